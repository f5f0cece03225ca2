"""Every write about an area's people: its key people (地域のキーマン), its open matters
(懸案事項), and the handover plan (引継ぎ) when its staff move.

Key people are personal data. Each time someone sees one, an audit entry names the viewer;
each change is audited with the names of the fields changed, never their values, so the
audit log does not become a second copy of the data (a key person is named there by number,
see ``KeyPerson.__str__``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from kyodo.core import audit
from kyodo.core.dates import fiscal_year, format_date
from kyodo.core.models import AuditEntry
from kyodo.core.permissions import has_object_perm
from kyodo.core.services import collect_errors
from kyodo.directory.models import Organisation, Person
from kyodo.liaison.models import (
    Assignment,
    AssignmentRole,
    Handover,
    HandoverItem,
    HandoverStatus,
    ItemKind,
    KeyPerson,
    LiaisonScheme,
    MatterStatus,
    OpenMatter,
)
from kyodo.liaison.queries import area as queries

KEY_PERSON_FIELDS = ("name", "kana", "role_in_area", "contact", "approach", "notes", "is_active")
# Audited by name only: what was changed, not what it says.
PERSONAL_FIELDS = frozenset(KEY_PERSON_FIELDS) - {"is_active"}
MATTER_FIELDS = ("title", "detail")

SAME_PERSON = "前任と後任に同じ職員は指定できません。"
START_IN_PAST = "開始日は今日以降の日にしてください。"
START_TOO_LATE = "開始日は1年以内の日にしてください。"
ENDS_BEFORE_START = "終了予定日は開始日以降の日にしてください。"
TOO_LONG = "引継ぎの期間は1年以内にしてください。"
ALREADY_PLANNED = "この後任への引継ぎ計画がすでにあります。"
NOT_ASSIGNED = "前任には、いまこの地域を担当している職員を選んでください。"
ONLY_YOURSELF = "前任として引継ぎ計画を作れるのは、ご自身の担当分だけです。"
NOT_STAFF = "後任には、この市町村の職員を選んでください。"
NOT_OPEN = "この引継ぎはすでに完了したか、取りやめになっています。"
UNDONE = (
    "未了の項目が{count}件あります。すべて済ませてから完了するか、"
    "「未了の項目があるまま完了する」を選び、理由をメモに書いてください。"
)
FORCE_NEEDS_NOTE = "未了の項目があるまま完了するときは、理由をメモに書いてください。"
LONGEST_PLAN = datetime.timedelta(days=366)


def _snapshot(obj: Any, names: Iterable[str]) -> dict[str, str]:
    return {name: str(getattr(obj, name)) for name in names}


def _personal_changes(before: dict[str, str], after: dict[str, str]) -> dict[str, Any]:
    """``audit.diff`` with the personal fields listed by name only."""
    changed = audit.diff(before, after)
    changes: dict[str, Any] = {
        name: values for name, values in changed.items() if name not in PERSONAL_FIELDS
    }
    named = [name for name in KEY_PERSON_FIELDS if name in changed and name in PERSONAL_FIELDS]
    if named:
        changes["fields"] = named
    return changes


# --- Key people -------------------------------------------------------------------------


@transaction.atomic
def key_person_viewed(*, key_person: KeyPerson, actor: Any) -> None:
    """Note that ``actor`` saw one key person's record. Side effects: one audit entry."""
    audit.record(actor=actor, action="liaison.key_person.view", obj=key_person)


@transaction.atomic
def key_people_viewed(*, key_people: Iterable[KeyPerson], actor: Any) -> None:
    """Note that ``actor`` saw a list of key people: one audit entry per person shown, written
    with one query however long the list."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=now,
            actor=user,
            action="liaison.key_person.view",
            object_type=KeyPerson._meta.label_lower,
            object_id=str(person.pk),
            object_repr=str(person)[:200],
            changes={},
        )
        for person in key_people
    )


@transaction.atomic
def key_person_save(
    *,
    area: Organisation,
    values: Mapping[str, Any],
    actor: Any,
    key_person: KeyPerson | None = None,
) -> KeyPerson:
    """Add a key person to the area, or change one (``is_active`` off marks someone who has
    left their role: they are no longer introduced in a handover). Raises ValidationError with
    every problem at once; nothing is saved then. Side effects: one audit entry listing the
    changed personal fields by name."""
    creating = key_person is None
    if key_person is None:
        key_person = KeyPerson(area=area)
        before = dict.fromkeys(PERSONAL_FIELDS, "")
    else:
        before = _snapshot(key_person, KEY_PERSON_FIELDS)
    for name in KEY_PERSON_FIELDS:
        if name in values:
            value = values[name]
            setattr(key_person, name, value.strip() if isinstance(value, str) else value)
    key_person.updated_at = timezone.now()
    errors: dict[str, list[str]] = {}
    collect_errors(key_person, "", errors, exclude=("area",))
    if errors:
        raise ValidationError(errors)
    key_person.save()
    after = _snapshot(key_person, KEY_PERSON_FIELDS)
    if creating:
        after = {name: value for name, value in after.items() if name != "is_active"}
    audit.record(
        actor=actor,
        action="liaison.key_person.create" if creating else "liaison.key_person.change",
        obj=key_person,
        changes=_personal_changes(before, after),
    )
    return key_person


# --- Open matters -----------------------------------------------------------------------


@transaction.atomic
def matter_save(
    *,
    area: Organisation,
    values: Mapping[str, Any],
    actor: Any,
    matter: OpenMatter | None = None,
) -> OpenMatter:
    """Add an open matter to the area, or change its title and account. Raises
    ValidationError with every problem; nothing is saved then. Side effects: one audit entry
    (the account, which may name people, by field name only)."""
    creating = matter is None
    if matter is None:
        matter = OpenMatter(area=area)
        before = {"title": "", "detail": ""}
    else:
        before = _snapshot(matter, MATTER_FIELDS)
    for name in MATTER_FIELDS:
        if name in values:
            setattr(matter, name, str(values[name]).strip())
    matter.updated_at = timezone.now()
    errors: dict[str, list[str]] = {}
    collect_errors(matter, "", errors, exclude=("area",))
    if errors:
        raise ValidationError(errors)
    matter.save()
    changes = audit.diff(before, _snapshot(matter, MATTER_FIELDS))
    for name in ("title", "detail"):
        if name in changes:
            changes[name] = ["", "(変更あり)"]
    audit.record(
        actor=actor,
        action="liaison.matter.create" if creating else "liaison.matter.change",
        obj=matter,
        changes=changes,
    )
    return matter


@transaction.atomic
def matter_set_status(*, matter: OpenMatter, status: str, actor: Any) -> OpenMatter:
    """Close a matter (解決済み) or open it again. Side effects: one audit entry."""
    if status not in MatterStatus.values:
        raise ValidationError("状態の指定が正しくありません。", code="invalid")
    before = matter.status
    matter.status = status
    matter.updated_at = timezone.now()
    matter.save(update_fields=("status", "updated_at"))
    audit.record(
        actor=actor,
        action="liaison.matter.status",
        obj=matter,
        changes=audit.diff({"status": before}, {"status": status}),
    )
    return matter


# --- Handover ---------------------------------------------------------------------------


def default_ends_on(starts_on: datetime.date, scheme: LiaisonScheme | None) -> datetime.date:
    """The last day of a plan of the scheme's standard length: 7 days from a Monday end on
    the Sunday."""
    days = scheme.handover_days if scheme is not None else 7
    return starts_on + datetime.timedelta(days=days - 1)


def _generated_items(
    handover: Handover, starts_on: datetime.date, ends_on: datetime.date
) -> list[HandoverItem]:
    """The checklist the area itself suggests: introduce each active key person, attend each
    regular council meeting, hand over each open matter."""
    area = handover.area
    lines: list[HandoverItem] = []

    def add(**values: Any) -> None:
        lines.append(HandoverItem(handover=handover, position=len(lines) + 1, **values))

    for person in queries.active_key_people(area):
        add(kind=ItemKind.INTRODUCE, label=f"{person.role_in_area}の紹介", key_person=person)
    for meeting in queries.meetings_for_handover(area, starts_on, ends_on):
        add(
            kind=ItemKind.MEETING,
            label=f"{meeting.entry.title}({format_date(meeting.date, weekday=True)})への同席",
            entry=meeting.entry,
            entry_date=meeting.date,
        )
    for matter in queries.open_matters(area):
        add(kind=ItemKind.MATTER, label=f"懸案事項「{matter.title}」の引継ぎ", matter=matter)
    return lines


@transaction.atomic
def handover_plan(
    *,
    area: Organisation,
    outgoing: Person | None,
    incoming: Person | None,
    starts_on: datetime.date | None,
    actor: Any,
    ends_on: datetime.date | None = None,
    note: str = "",
) -> Handover:
    """Plan the handover of ``area`` from ``outgoing`` (assigned to it today) to ``incoming``
    (staff of its municipality), from ``starts_on`` (today or later) to ``ends_on`` (by
    default the scheme's standard length, a full week). A person who is not a manager plans
    only their own handover. Raises ValidationError with every problem at once; nothing is
    saved then.

    Side effects: the checklist (see ``_generated_items``) and one audit entry. From the
    start day the incoming person reads the area's key people (see ``rules.py``)."""
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if outgoing is not None and incoming is not None and outgoing.pk == incoming.pk:
        errors.setdefault("incoming", []).append(SAME_PERSON)
    if outgoing is not None:
        if not queries.current_assignees(area, today).filter(pk=outgoing.pk).exists():
            errors.setdefault("outgoing", []).append(NOT_ASSIGNED)
        elif not has_object_perm(
            actor, "liaison.manage_scheme", area, personal_data=True
        ) and outgoing.user_id != getattr(actor, "pk", None):
            errors.setdefault("outgoing", []).append(ONLY_YOURSELF)
    if (
        incoming is not None
        and not queries.incoming_candidates(area).filter(pk=incoming.pk).exists()
    ):
        errors.setdefault("incoming", []).append(NOT_STAFF)
    if starts_on is not None:
        if starts_on < today:
            errors.setdefault("starts_on", []).append(START_IN_PAST)
        elif starts_on > today + LONGEST_PLAN:
            errors.setdefault("starts_on", []).append(START_TOO_LATE)
        if ends_on is None:
            ends_on = default_ends_on(starts_on, queries.scheme_of(area))
        elif ends_on < starts_on:
            errors.setdefault("ends_on", []).append(ENDS_BEFORE_START)
        elif ends_on > starts_on + LONGEST_PLAN:
            errors.setdefault("ends_on", []).append(TOO_LONG)
    handover = Handover(
        area=area,
        outgoing=outgoing,
        incoming=incoming,
        starts_on=starts_on,  # type: ignore[misc]  # None is refused by the checks below
        ends_on=ends_on,
        note=note.strip(),
        created_by=actor,
    )
    if Handover.objects.filter(
        area=area, incoming=incoming, status=HandoverStatus.PLANNED
    ).exists():
        errors.setdefault("incoming", []).append(ALREADY_PLANNED)
    already = {message for messages in errors.values() for message in messages}
    found: dict[str, list[str]] = {}
    collect_errors(handover, "", found, exclude=("area", "created_by"))
    for name, messages in found.items():
        fresh = [message for message in messages if message not in already]
        if fresh:
            errors.setdefault(name, []).extend(fresh)
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None
    assert ends_on is not None
    try:
        with transaction.atomic():
            handover.save()
    except IntegrityError:
        # Two plans sent at the same moment: the database keeps one.
        raise ValidationError({"incoming": [ALREADY_PLANNED]}) from None
    checklist = _generated_items(handover, starts_on, ends_on)
    HandoverItem.objects.bulk_create(checklist)
    audit.record(
        actor=actor,
        action="liaison.handover.plan",
        obj=handover,
        changes={
            "outgoing": ["", str(outgoing)],
            "incoming": ["", str(incoming)],
            "starts_on": ["", str(starts_on)],
            "ends_on": ["", str(ends_on)],
            "items": ["", str(len(checklist))],
        },
    )
    return handover


def _locked_open(handover: Handover) -> Handover:
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    if locked.status != HandoverStatus.PLANNED:
        raise ValidationError(NOT_OPEN, code="not_open")
    return locked


@transaction.atomic
def handover_item_mark(*, handover: Handover, item_id: int, done: bool, actor: Any) -> HandoverItem:
    """Tick a line of an open plan as done (when and by whom), or untick it. Side effects:
    one audit entry on the plan (naming the line by its number: a line may name a key
    person's role)."""
    _locked_open(handover)
    item = HandoverItem.objects.filter(handover=handover, pk=item_id).first()
    if item is None:
        raise ValidationError("指定された項目はこの引継ぎ計画にありません。", code="no_item")
    was_done = item.done_at is not None
    if was_done != done:
        item.done_at = timezone.now() if done else None
        item.done_by = actor if done else None
        item.save(update_fields=("done_at", "done_by"))
        audit.record(
            actor=actor,
            action="liaison.handover.item_done" if done else "liaison.handover.item_undone",
            obj=handover,
            changes={"item": item.position},
        )
    return item


@transaction.atomic
def handover_item_add(
    *, handover: Handover, label: str, actor: Any, note: str = ""
) -> HandoverItem:
    """Add a line of one's own to an open plan, at the end. Side effects: one audit entry."""
    _locked_open(handover)
    last = HandoverItem.objects.filter(handover=handover).aggregate(last=Max("position"))["last"]
    item = HandoverItem(
        handover=handover,
        position=(last or 0) + 1,
        kind=ItemKind.OTHER,
        label=label.strip(),
        note=note.strip(),
    )
    errors: dict[str, list[str]] = {}
    collect_errors(item, "", errors, exclude=("handover",))
    if errors:
        raise ValidationError(errors)
    item.save()
    audit.record(
        actor=actor,
        action="liaison.handover.item_add",
        obj=handover,
        changes={"item": item.position},
    )
    return item


@transaction.atomic
def handover_complete(
    *, handover: Handover, actor: Any, force: bool = False, note: str = ""
) -> Handover:
    """Complete an open plan. Refused while lines are undone, unless ``force`` with a
    ``note`` saying why (a manager's decision).

    Side effects: the outgoing person's assignments to the area (this year's and any coming
    year's) end today (they lose write access now, not before); the incoming person is
    assigned for the same years with the same roles, unless already; the note is kept on
    the plan; an audit entry for each of these."""
    locked = _locked_open(handover)
    note = note.strip()
    undone = HandoverItem.objects.filter(handover=locked, done_at__isnull=True).count()
    if undone and not force:
        raise ValidationError({"force": UNDONE.format(count=undone)})
    if undone and not note:
        raise ValidationError({"note": FORCE_NEEDS_NOTE})
    today = timezone.localdate()
    # This year's assignment, and any already made for a coming year: otherwise the
    # outgoing person would write again on 1 April.
    ending = list(
        Assignment.objects.filter(
            area=locked.area,
            person=locked.outgoing,
            fiscal_year__gte=fiscal_year(today),
            ended_on__isnull=True,
        ).order_by("fiscal_year")
    )
    role = ending[0].role if ending else AssignmentRole.LEAD
    for assignment in ending:
        assignment.ended_on = today
        assignment.save(update_fields=("ended_on",))
        audit.record(
            actor=actor,
            action="liaison.assignment.end",
            obj=assignment,
            changes={"ended_on": ["", str(today)]},
        )
    # The incoming person takes over this year and every coming year the outgoing person
    # was already assigned for, each with the same role.
    years = {fiscal_year(today): role} | {a.fiscal_year: a.role for a in ending}
    for year, year_role in sorted(years.items()):
        _assign_successor(locked, year, year_role, actor)
    locked.status = HandoverStatus.COMPLETED
    locked.completed_at = timezone.now()
    if note:
        lines = [locked.note, f"完了時のメモ({format_date(today)}): {note}"]
        locked.note = "\n".join(filter(None, lines))[:2000]
    locked.save(update_fields=("status", "completed_at", "note"))
    audit.record(
        actor=actor,
        action="liaison.handover.complete",
        obj=locked,
        changes={
            "status": [HandoverStatus.PLANNED, HandoverStatus.COMPLETED],
            "undone_items": undone,
            # The note tends to name people; the plan keeps it, the log only says it exists.
            **({"note": ["", "(記載あり)"]} if note else {}),
        },
    )
    return locked


def _assign_successor(handover: Handover, year: int, role: str, actor: Any) -> None:
    successor = Assignment.objects.filter(
        area=handover.area, person=handover.incoming, fiscal_year=year
    ).first()
    if successor is None:
        successor = Assignment(
            area=handover.area, person=handover.incoming, fiscal_year=year, role=role
        )
        successor.full_clean()
        successor.save()
        audit.record(
            actor=actor,
            action="liaison.assignment.create",
            obj=successor,
            changes={"fiscal_year": ["", str(year)], "role": ["", role]},
        )
    elif successor.ended_on is not None:
        ended = successor.ended_on
        successor.ended_on = None
        successor.save(update_fields=("ended_on",))
        audit.record(
            actor=actor,
            action="liaison.assignment.resume",
            obj=successor,
            changes={"ended_on": [str(ended), ""]},
        )


@transaction.atomic
def handover_cancel(*, handover: Handover, actor: Any) -> Handover:
    """Call off an open plan; nobody's assignment changes, and the incoming person no longer
    reads the area's key people. Side effects: one audit entry."""
    locked = _locked_open(handover)
    locked.status = HandoverStatus.CANCELLED
    locked.save(update_fields=("status",))
    audit.record(
        actor=actor,
        action="liaison.handover.cancel",
        obj=locked,
        changes={"status": [HandoverStatus.PLANNED, HandoverStatus.CANCELLED]},
    )
    return locked
