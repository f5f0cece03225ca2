"""Every write of the calendar: saving an entry with its exception dates, publishing,
cancelling, withdrawing and deleting it, and importing many at once."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from kyodo.calendar import queries, recurrence, search
from kyodo.calendar.models import MAX_REPEAT_DAYS, Entry, EntryException, EntryStatus
from kyodo.core import audit
from kyodo.core.search import index as search_index
from kyodo.core.services import collect_errors
from kyodo.directory.models import Organisation

if TYPE_CHECKING:
    from kyodo.calendar.opendata import ImportRow

# The fields a person edits; the rest (status, sequence, stamps) follow from the services.
ENTRY_FIELDS = (
    "kind",
    "title",
    "title_kana",
    "title_en",
    "start_date",
    "end_date",
    "start_time",
    "end_time",
    "date_note",
    "repeat",
    "repeat_interval",
    "repeat_until",
    "description",
    "fee_amount",
    "fee_detail",
    "contact_name",
    "contact_phone",
    "contact_extension",
    "organiser_name",
    "venue_name",
    "address",
    "building",
    "latitude",
    "longitude",
    "access",
    "parking",
    "capacity",
    "apply_by_date",
    "apply_by_time",
    "apply_method",
    "url",
    "notes",
    "observer_policy",
    "observer_how",
    "agenda",
)


# Dates a calendar can hold: a typo such as 0206 or 9999 is refused instead of reaching the
# feeds and the open data.
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)
OUT_OF_RANGE = "日付は2000年1月1日から2100年12月31日までの範囲で入力してください。"


def _check(
    entry: Entry,
    exceptions: Sequence[datetime.date],
    *,
    exclude: Iterable[str] = (),
) -> None:
    """Every rule the database does not hold by itself, with the constraints, as one set of
    messages keyed by field. ``exclude`` names fields already refused (an unreadable cell of
    an import). The constraints are evaluated in Python, so a file of thousands of rows is
    checked without a query per constraint and row."""
    errors: dict[str, list[str]] = {}
    skipped = ["organisation", "last_date", *exclude]
    collect_errors(entry, "", errors, exclude=skipped, constraints_in_python=True)
    for name in ("start_date", "end_date", "repeat_until", "apply_by_date"):
        day = getattr(entry, name)
        if isinstance(day, datetime.date) and not FIRST_DAY <= day <= LAST_DAY:
            errors.setdefault(name, []).append(OUT_OF_RANGE)
    if any(not FIRST_DAY <= day <= LAST_DAY for day in exceptions):
        errors.setdefault("exceptions", []).append(OUT_OF_RANGE)
    if (
        entry.repeat
        and entry.repeat_until
        and entry.start_date
        and (entry.repeat_until - entry.start_date).days > MAX_REPEAT_DAYS
    ):
        errors.setdefault("repeat_until", []).append(
            "繰り返しの終了日は開始日から3年以内にしてください。"
        )
    if exceptions and not entry.repeat:
        errors.setdefault("exceptions", []).append("休止日は繰り返す行事にだけ設定できます。")
    elif exceptions and not errors:
        dates = set(recurrence.rule_dates(entry))
        strays = [day for day in exceptions if day not in dates]
        if strays:
            listed = "、".join(f"{day:%Y-%m-%d}" for day in strays)
            errors.setdefault("exceptions", []).append(
                f"{listed} は繰り返しの日ではありません。休止日には開催日を指定してください。"
            )
    if entry.apply_by_date and entry.end_date and entry.apply_by_date > entry.end_date:
        errors.setdefault("apply_by_date", []).append(
            "参加申込終了日は行事の終了日までにしてください。"
        )
    if entry.apply_by_time and not entry.apply_by_date:
        errors.setdefault("apply_by_date", []).append(
            "参加申込終了時間を入れるときは、参加申込終了日も入れてください。"
        )
    if errors:
        raise ValidationError(errors)


def _render_ical(entry: Entry, exceptions: Iterable[datetime.date]) -> None:
    """Put the entry's VEVENT, as the feeds serve it, on the entry (saved by the caller)."""
    entry.ical = queries.stored_ical(entry, exceptions)
    entry.ical_site = settings.SITE_URL


def _snapshot(entry: Entry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in ENTRY_FIELDS}


@transaction.atomic
def entry_save(
    *,
    organisation: Organisation,
    values: Mapping[str, Any],
    actor: Any,
    entry: Entry | None = None,
    exceptions: Iterable[datetime.date] = (),
    publish: bool = False,
) -> Entry:
    """Create an entry for ``organisation`` or replace the fields of ``entry``, with its
    exception dates. Nothing is written unless the whole entry is valid (ValidationError
    with messages per field). A change to a published or cancelled entry raises its
    SEQUENCE so calendar applications take the new version.
    Side effects: one audit entry with the changed fields; the entry is indexed again for
    the search."""
    if entry is not None:
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        before = _snapshot(entry)
    else:
        entry = Entry(organisation=organisation)
        before = {}
    for name in ENTRY_FIELDS:
        if name in values:
            setattr(entry, name, values[name])
    dates = sorted(set(exceptions))
    _check(entry, dates)
    entry = _store(entry, before=before, exceptions=dates, publish=publish, actor=actor)
    search_index.refresh(search.KIND, [entry.pk])
    return entry


def _store(
    entry: Entry,
    *,
    before: dict[str, Any],
    exceptions: list[datetime.date] | None,
    publish: bool,
    actor: Any,
) -> Entry:
    """Save an entry that passed :func:`_check`, with its exception dates (None: leave them
    as they are), its VEVENT and its audit entry."""
    changes = audit.diff(before, _snapshot(entry))
    created = entry.pk is None
    kept = set() if created else {exception.date for exception in entry.exceptions.all()}
    dates = sorted(kept) if exceptions is None else exceptions
    if set(dates) != kept:
        changes["exceptions"] = [
            ", ".join(f"{day:%Y-%m-%d}" for day in sorted(kept)),
            ", ".join(f"{day:%Y-%m-%d}" for day in dates),
        ]
    if not created and entry.status != EntryStatus.DRAFT and changes:
        entry.sequence += 1
    entry.updated_at = timezone.now()
    if publish and entry.status == EntryStatus.DRAFT:
        entry.status = EntryStatus.PUBLISHED
        entry.published_at = entry.updated_at
        changes["status"] = [EntryStatus.DRAFT, EntryStatus.PUBLISHED]
    if created:
        entry.save()  # the VEVENT links to the entry's page, which needs its number
    _render_ical(entry, dates)
    entry.save()
    if set(dates) != kept:
        entry.exceptions.exclude(date__in=dates).delete()
        EntryException.objects.bulk_create(
            EntryException(entry=entry, date=day) for day in dates if day not in kept
        )
    audit.record(
        actor=actor,
        action="calendar.entry_create" if created else "calendar.entry_update",
        obj=entry,
        changes=changes,
    )
    return entry


_TRANSITIONS = {
    EntryStatus.DRAFT: {EntryStatus.PUBLISHED},
    EntryStatus.PUBLISHED: {EntryStatus.CANCELLED, EntryStatus.DRAFT},
    EntryStatus.CANCELLED: {EntryStatus.PUBLISHED},
}
_REFUSALS = {
    EntryStatus.DRAFT: "公開中の行事だけを下書きに戻せます。中止した行事は中止のまま掲載されます。",
    EntryStatus.PUBLISHED: "この行事はすでに公開中です。",
    EntryStatus.CANCELLED: "公開中の行事だけを中止にできます。",
}


@transaction.atomic
def entry_set_status(*, entry: Entry, status: str, actor: Any, reason: str = "") -> Entry:
    """Publish a draft, cancel a published entry (it stays visible, marked as cancelled, with
    the reason), restore a cancelled one, or withdraw a published one to draft.
    Side effects: one audit entry; the entry is indexed again for the search (a draft
    leaves it)."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    before = entry.status
    if status not in EntryStatus.values:
        raise ValidationError({"status": ["状態の指定が正しくありません。"]})
    if status not in _TRANSITIONS[EntryStatus(before)]:
        raise ValidationError({"status": [_REFUSALS[EntryStatus(status)]]})
    if status == EntryStatus.CANCELLED and not reason.strip():
        raise ValidationError({"reason": ["中止の理由を入力してください(例: 雨天のため)。"]})
    entry.status = status
    reason_before = entry.cancel_reason
    entry.cancel_reason = reason.strip()[:300] if status == EntryStatus.CANCELLED else ""
    entry.updated_at = timezone.now()
    if status == EntryStatus.PUBLISHED and entry.published_at is None:
        entry.published_at = entry.updated_at
    if before != EntryStatus.DRAFT:
        entry.sequence += 1
    _render_ical(entry, [exception.date for exception in entry.exceptions.all()])
    entry.save()
    changes: dict[str, Any] = {"status": [before, status]}
    if entry.cancel_reason != reason_before:
        changes["cancel_reason"] = [reason_before, entry.cancel_reason]
    audit.record(actor=actor, action="calendar.entry_status", obj=entry, changes=changes)
    search_index.refresh(search.KIND, [entry.pk])
    return entry


@transaction.atomic
def entry_delete(*, entry: Entry, actor: Any) -> None:
    """Delete a draft. Published entries are cancelled or withdrawn instead, so that what
    people saw does not vanish without a trace. Side effects: one audit entry; the entry's
    search row, if any, goes."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.DRAFT:
        raise ValidationError(
            {"status": ["公開した行事は削除できません。中止にするか下書きに戻してください。"]}
        )
    audit.record(actor=actor, action="calendar.entry_delete", obj=entry, changes={})
    pk = entry.pk
    entry.delete()
    search_index.refresh(search.KIND, [pk])


class ImportRefusedError(ValidationError):
    """Rows of an import that cannot be stored: ``rows`` maps each row's number to its
    messages by field. Nothing of the file was saved."""

    def __init__(self, rows: dict[int, dict[str, list[str]]]) -> None:
        super().__init__("取り込めない行があります。何も取り込んでいません。")
        self.rows = rows


class ImportOutcome(models.TextChoices):
    CREATED = "created", "新規登録"
    UPDATED = "updated", "更新"
    UNCHANGED = "unchanged", "変更なし"
    OCCURRENCE = "occurrence", "繰り返す行事の1回分(変更せず)"


@dataclass(frozen=True)
class ImportResult:
    number: int
    entry: Entry
    outcome: ImportOutcome


_KEY_FIELDS = {"title", "start_date", "start_time", "venue_name"}


def _entries_of_others(organisation: Organisation, rows: Sequence[ImportRow]) -> dict[int, str]:
    """The kyodo entries of other organisations that rows link to as their URL (rows copied
    from a municipality's file), with the name of their organisation."""
    pages = {page for row in rows if (page := row.entry_page()) is not None}
    return dict(
        Entry.objects.filter(pk__in=pages)
        .exclude(organisation=organisation)
        .values_list("pk", "organisation__name")
    )


def _import_targets(organisation: Organisation) -> dict[tuple[Any, ...], Entry]:
    """The organisation's entries by what makes a row the same event (title, start date,
    start time, venue); a recurring entry under each of its dates. Locked until the import
    ends, so that an edit made meanwhile is not overwritten unseen."""
    targets: dict[tuple[Any, ...], Entry] = {}
    entries = (
        Entry.objects.select_for_update(of=("self",))
        .filter(organisation=organisation)
        .select_related("organisation")
        .prefetch_related("exceptions")
        .order_by("pk")
    )
    for entry in entries:
        skipped = {exception.date for exception in entry.exceptions.all()}
        for day in recurrence.rule_dates(entry):
            if day not in skipped:
                key = (entry.title, day, entry.start_time, entry.venue_name)
                targets.setdefault(key, entry)
    return targets


@transaction.atomic
def entries_import(
    *, organisation: Organisation, rows: Sequence[ImportRow], publish: bool, actor: Any
) -> list[ImportResult]:
    """Store the rows of an event list as entries of ``organisation``. Every row is checked
    by the editor's rules, and nothing is written unless all of them pass
    (ImportRefusedError, with messages per row and field). A row that names the same event
    as an entry of the organisation (title, start date, start time, venue) updates it
    instead of adding another; a row that is one date of a recurring entry leaves it as it
    is (its rule is changed in the editor). New entries are events, published when
    ``publish`` is set (a row marked 【中止】 stays a draft), otherwise drafts.
    Side effects: one audit entry per created or changed entry, as the editor writes them,
    so an entry's history shows the import like any edit; none for unchanged rows. The
    created and changed entries are indexed again for the search in one refresh."""
    targets = _import_targets(organisation)
    others = _entries_of_others(organisation, rows)
    first_row: dict[tuple[Any, ...], int] = {}
    errors: dict[int, dict[str, list[str]]] = {}
    plans: list[tuple[ImportRow, Entry, dict[str, Any], ImportOutcome]] = []
    for row in rows:
        found = {name: list(messages) for name, messages in row.errors.items()}
        key = row.key()
        if key in first_row and not row.errors.keys() & _KEY_FIELDS:
            found.setdefault("__all__", []).append(
                f"{first_row[key]}行目と同じ行事です(イベント名・開始日・開始時間・場所名称が同じ)。"
            )
        first_row.setdefault(key, row.number)
        page = row.entry_page()
        if page is not None and (other := others.get(page)) is not None:
            found.setdefault("__all__", []).append(
                f"ほかの組織({other})の行事です(URLがその行事のページ)。"
                "市町村のファイルから取り込むときは、自分の組織の行だけを残してください。"
            )
        target = targets.get(key)
        if target is not None and target.repeat:
            if found:
                errors[row.number] = found
            else:
                plans.append((row, target, {}, ImportOutcome.OCCURRENCE))
            continue
        entry = target or Entry(organisation=organisation)
        before = _snapshot(entry) if target else {}
        for name, value in row.values_for(target, organisation).items():
            setattr(entry, name, value)
        try:
            _check(entry, (), exclude=row.errors)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                found.setdefault(name, []).extend(messages)
        if found:
            errors[row.number] = found
        elif target is None:
            plans.append((row, entry, before, ImportOutcome.CREATED))
        elif audit.diff(before, _snapshot(entry)) or (
            publish and not row.cancelled and entry.status == EntryStatus.DRAFT
        ):
            plans.append((row, entry, before, ImportOutcome.UPDATED))
        else:
            plans.append((row, entry, before, ImportOutcome.UNCHANGED))
    if errors:
        raise ImportRefusedError(errors)
    stored = []
    for row, entry, before, outcome in plans:
        if outcome in (ImportOutcome.CREATED, ImportOutcome.UPDATED):
            _store(
                entry,
                before=before,
                exceptions=None,
                publish=publish and not row.cancelled,
                actor=actor,
            )
            stored.append(entry.pk)
    search_index.refresh(search.KIND, stored)
    return [ImportResult(row.number, entry, outcome) for row, entry, _before, outcome in plans]
