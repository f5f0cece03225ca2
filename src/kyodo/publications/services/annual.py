"""Every write of the annual event calendar: the calendar and its settings, the entries left
out, the numbered drafts and the review (comments and replies), finalising, the
advertisement slots (with their ledger lines) and the delivery counts.

Each service checks everything before it writes anything, raises ValidationError with
Japanese messages (keyed by field) when it refuses, and writes its audit entry in the same
transaction."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from kyodo.calendar.models import Entry
from kyodo.core import audit
from kyodo.core.files import reencode_image
from kyodo.core.jobs import job_start
from kyodo.core.models import Job
from kyodo.core.queries import latest_job
from kyodo.core.services import collect_errors
from kyodo.directory.models import Organisation
from kyodo.publications.models import (
    AD_GRID,
    AdSlot,
    AnnualCalendar,
    CalendarComment,
    CalendarDraft,
    CalendarStatus,
    Delivery,
    SheetFormat,
)
from kyodo.publications.queries import annual as queries
from kyodo.publications.services.ledger import ledger_sync_ad_slot
from kyodo.publications.tasks import ANNUAL_PDF, REVIEW_MAIL

# The settings an editor changes on the calendar's form.
CALENDAR_FIELDS = ("title", "include_members", "print_run", "unit_print_cost", "notes")
AD_SLOT_FIELDS = (
    "sponsor",
    "sponsor_contact",
    "width",
    "height",
    "fee",
    "text",
    "invoiced_on",
    "paid_on",
)
DELIVERY_FIELDS = ("households", "copies", "delivered_on", "note")

FINAL_REFUSED = (
    "確定したカレンダーは変更できません。変更するときは「作成中に戻す」を押してください。"
)


def _locked(calendar: AnnualCalendar) -> AnnualCalendar:
    """The calendar, locked until the transaction ends, so that two editors numbering a
    draft or placing an advertisement at the same moment go one after the other."""
    locked = AnnualCalendar.objects.select_for_update().select_related("council")
    return locked.get(pk=calendar.pk)


def _refuse_if_final(calendar: AnnualCalendar) -> None:
    if calendar.status == CalendarStatus.FINAL:
        raise ValidationError({"status": [FINAL_REFUSED]})


FINAL_PRINTED = (
    "確定したカレンダーの広告は、紙面に出る内容(広告主・大きさ・位置・広告文・画像)を"
    "追加・変更・削除できません。料金・請求日・入金日・連絡先は変更できます。"
    "紙面を変えるときは「作成中に戻す」を押してください。"
)


def _printed(slot: AdSlot) -> dict[str, Any]:
    """What of an advertisement appears on the printed sheet."""
    return {
        "sponsor": slot.sponsor,
        "width": slot.width,
        "height": slot.height,
        "text": slot.text,
        "column": slot.column,
        "row": slot.row,
        "artwork": slot.artwork.name,
    }


def _values(obj: Any, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


# --- The calendar ---------------------------------------------------------------------------


@transaction.atomic
def calendar_create(
    *, council: Organisation, year: int, year_kind: str, actor: Any, title: str = ""
) -> AnnualCalendar:
    """Start the calendar of ``council`` for a year (暦年) or fiscal year (年度), titled
    「令和9年 (協議会名) 年間行事カレンダー」 unless ``title`` is given. Refused when the
    council already has that year's calendar. Side effects: one audit entry."""
    calendar = AnnualCalendar(council=council, year=year, year_kind=year_kind)
    calendar.title = title.strip() or queries.default_title(council, year, year_kind)
    calendar.full_clean()
    calendar.save()
    audit.record(
        actor=actor,
        action="publications.calendar_create",
        obj=calendar,
        changes={
            "council": ["", council.name],
            "year": ["", str(year)],
            "year_kind": ["", year_kind],
        },
    )
    return calendar


@transaction.atomic
def calendar_update(
    *, calendar: AnnualCalendar, values: Mapping[str, Any], actor: Any
) -> AnnualCalendar:
    """Change the calendar's title, whether the member associations' entries are printed,
    the print run and the cost of a copy, and the notes. What is printed (title, members'
    entries) stays as it is once the calendar is final. Side effects: one audit entry."""
    calendar = _locked(calendar)
    before = _values(calendar, CALENDAR_FIELDS)
    for name in CALENDAR_FIELDS:
        if name in values:
            setattr(calendar, name, values[name])
    printed = ("title", "include_members")
    if calendar.status == CalendarStatus.FINAL and any(
        getattr(calendar, name) != before[name] for name in printed
    ):
        raise ValidationError({"title": [FINAL_REFUSED]})
    calendar.full_clean()
    calendar.updated_at = timezone.now()
    calendar.save()
    audit.record(
        actor=actor,
        action="publications.calendar_update",
        obj=calendar,
        changes=audit.diff(before, _values(calendar, CALENDAR_FIELDS)),
    )
    return calendar


@transaction.atomic
def calendar_set_excluded(
    *, calendar: AnnualCalendar, entry: Entry, excluded: bool, actor: Any
) -> None:
    """Leave an entry (every date of it) out of the calendar (「掲載しない」), or print it
    again. Only the council's and its members' entries can be named. Side effects: one
    audit entry when something changed."""
    calendar = _locked(calendar)
    _refuse_if_final(calendar)
    if entry.organisation_id not in queries._organisation_ids(calendar):
        raise ValidationError({"entry": ["この協議会と加入団体の行事ではありません。"]})
    listed = calendar.excluded_entries.filter(pk=entry.pk).exists()
    if listed == excluded:
        return
    if excluded:
        calendar.excluded_entries.add(entry)
    else:
        calendar.excluded_entries.remove(entry)
    calendar.updated_at = timezone.now()
    calendar.save(update_fields=["updated_at"])
    audit.record(
        actor=actor,
        action="publications.calendar_exclude" if excluded else "publications.calendar_include",
        obj=calendar,
        changes={"entry": [str(entry.uid), entry.title]},
    )


# --- Drafts and review ----------------------------------------------------------------------


@transaction.atomic
def calendar_take_draft(*, calendar: AnnualCalendar, message: str, actor: Any) -> CalendarDraft:
    """Freeze the lines the calendar prints now as the next numbered draft (第n稿), with a
    message to the members. Comments go on the newest draft, so a draft taken during the
    review takes the comments from then on. Side effects: one audit entry."""
    calendar = _locked(calendar)
    _refuse_if_final(calendar)
    last = calendar.drafts.order_by("-number").values_list("number", flat=True).first()
    draft = CalendarDraft(
        calendar=calendar,
        number=(last or 0) + 1,
        lines=[line.as_draft() for line in queries.current_lines(calendar)],
        message=message.strip(),
        taken_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    # A draft of a calendar without entries yet is empty, and still a draft to comment on.
    draft.full_clean(exclude=["lines"])
    draft.save()
    calendar.updated_at = timezone.now()
    calendar.save(update_fields=["updated_at"])
    audit.record(
        actor=actor,
        action="publications.calendar_take_draft",
        obj=draft,
        changes={"number": ["", str(draft.number)], "lines": ["", str(len(draft.lines))]},
    )
    return draft


def _set_status(
    calendar: AnnualCalendar, status: str, actor: Any, **changed: Any
) -> AnnualCalendar:
    before = {"status": calendar.status, **{name: getattr(calendar, name) for name in changed}}
    calendar.status = status
    for name, value in changed.items():
        setattr(calendar, name, value)
    calendar.updated_at = timezone.now()
    calendar.full_clean()
    calendar.save()
    after = {"status": status, **changed}
    audit.record(
        actor=actor,
        action="publications.calendar_status",
        obj=calendar,
        changes=audit.diff(before, after),
    )
    return calendar


@transaction.atomic
def calendar_open_review(
    *, calendar: AnnualCalendar, comments_until: datetime.date | None, actor: Any
) -> AnnualCalendar:
    """Ask the members for comments on the newest draft until ``comments_until``. Refused
    without a draft, and on a final calendar. Side effects: one audit entry, and a
    background job (started after commit) that e-mails the request to every officer, staff
    member and contact of the council and its member organisations — once per draft: asked
    again for the same draft (to move the deadline), nobody is mailed twice."""
    calendar = _locked(calendar)
    _refuse_if_final(calendar)
    if not calendar.drafts.exists():
        raise ValidationError(
            {"status": ["先に原稿を作ってください。意見は原稿に対して募集します。"]}
        )
    if comments_until is not None and comments_until < timezone.localdate():
        raise ValidationError(
            {"comments_until": ["意見の締切日には今日以降の日付を入れてください。"]}
        )
    calendar = _set_status(calendar, CalendarStatus.REVIEW, actor, comments_until=comments_until)
    draft = calendar.drafts.order_by("-number").first()
    assert draft is not None
    if latest_job(REVIEW_MAIL, {"draft": draft.pk}) is not None:
        return calendar
    job_start(
        actor=actor,
        kind=REVIEW_MAIL,
        title=f"原稿確認のお願いのメール({calendar.title} 第{draft.number}稿)",
        params={"draft": draft.pk},
        organisation=calendar.council,
    )
    return calendar


@transaction.atomic
def calendar_finalise(*, calendar: AnnualCalendar, actor: Any) -> AnnualCalendar:
    """Make the newest draft the final calendar (確定): the print files are made from it,
    and everyone may read it. Refused without a draft. Side effects: one audit entry."""
    calendar = _locked(calendar)
    _refuse_if_final(calendar)
    if not calendar.drafts.exists():
        raise ValidationError({"status": ["原稿がありません。確定する前に原稿を作ってください。"]})
    return _set_status(calendar, CalendarStatus.FINAL, actor, finalised_at=timezone.now())


@transaction.atomic
def calendar_reopen(*, calendar: AnnualCalendar, actor: Any) -> AnnualCalendar:
    """Back to editing (作成中), from the review or from final. Side effects: one audit
    entry."""
    calendar = _locked(calendar)
    if calendar.status == CalendarStatus.EDITING:
        raise ValidationError({"status": ["このカレンダーはすでに作成中です。"]})
    return _set_status(calendar, CalendarStatus.EDITING, actor, finalised_at=None)


@transaction.atomic
def calendar_comment_add(
    *, draft: CalendarDraft, organisation: Organisation, body: str, actor: Any
) -> CalendarComment:
    """A member's comment on the newest draft while the calendar is out for review, on
    behalf of the council or one of its member associations. Side effects: one audit
    entry."""
    calendar = _locked(draft.calendar)
    newest = calendar.drafts.order_by("-number").values_list("pk", flat=True).first()
    if calendar.status != CalendarStatus.REVIEW or newest != draft.pk:
        raise ValidationError(
            {"body": ["意見を受け付けていません。意見は意見募集中の最新の原稿にだけ送れます。"]}
        )
    if calendar.comments_until is not None and timezone.localdate() > calendar.comments_until:
        raise ValidationError(
            {
                "body": [
                    "意見の締切日を過ぎたため、意見を受け付けていません。事務局にご連絡ください。"
                ]
            }
        )
    if organisation.pk != calendar.council_id and organisation.parent_id != calendar.council_id:
        raise ValidationError({"organisation": ["協議会または加入団体を選んでください。"]})
    name = getattr(actor, "name", "") or getattr(actor, "email", "")
    comment = CalendarComment(
        draft=draft,
        organisation=organisation,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        author_name=name[:100],
        body=body.strip(),
    )
    comment.full_clean()
    comment.save()
    audit.record(
        actor=actor,
        action="publications.calendar_comment_add",
        obj=comment,
        changes={"organisation": ["", organisation.name]},
    )
    return comment


@transaction.atomic
def calendar_comment_reply(
    *, comment: CalendarComment, reply: str, resolved: bool, actor: Any
) -> CalendarComment:
    """The committee's answer to a comment, marked as dealt with (対応済み) or not.
    Side effects: one audit entry."""
    comment = CalendarComment.objects.select_for_update().get(pk=comment.pk)
    before = {"reply": comment.reply, "resolved": comment.resolved_at is not None}
    comment.reply = reply.strip()
    if resolved and comment.resolved_at is None:
        comment.resolved_at = timezone.now()
    elif not resolved:
        comment.resolved_at = None
    comment.full_clean()
    comment.save()
    audit.record(
        actor=actor,
        action="publications.calendar_comment_reply",
        obj=comment,
        changes=audit.diff(before, {"reply": comment.reply, "resolved": resolved}),
    )
    return comment


# --- Advertisement slots --------------------------------------------------------------------


def _position(
    slot: AdSlot, column: int | None, row: int | None, others: list[AdSlot]
) -> dict[str, list[str]]:
    """Place the slot at the position given, or at the first free one; the messages why
    it cannot be placed (an empty dict when it is)."""
    if not (1 <= slot.width <= AD_GRID.columns and 1 <= slot.height <= AD_GRID.rows):
        return {
            "width": [
                f"広告の大きさは横1〜{AD_GRID.columns}枠、縦1〜{AD_GRID.rows}枠にしてください。"
            ]
        }
    taken = queries.taken_cells(others)
    size = f"{slot.width}×{slot.height}枠"
    free = queries.free_positions(taken, slot.width, slot.height)
    no_room = (
        f"この大きさ({size})の広告が入る空きがありません。"
        f"空いている枠: {queries.free_cells_label(taken)}。"
    )
    if (column is None) != (row is None):
        return {
            "column": ["位置は「左から」と「上から」の両方を入れるか、両方とも空欄にしてください。"]
        }
    if column is None or row is None:
        if not free:
            return {"width": [no_room]}
        slot.column, slot.row = free[0]
        return {}
    slot.column, slot.row = column, row
    if column + slot.width > AD_GRID.columns or row + slot.height > AD_GRID.rows:
        return {
            "column": [
                f"広告が広告欄からはみ出しています(広告欄は横{AD_GRID.columns}枠×縦{AD_GRID.rows}枠)。"
            ]
        }
    overlapped = sorted({taken[cell].sponsor for cell in slot.cells if cell in taken})
    if overlapped:
        names = "、".join(f"「{name}」" for name in overlapped)
        hint = (
            f"この大きさが入る位置: {_positions_label(free)}。"
            "位置を空欄にすると空いている所に自動で入ります。"
            if free
            else no_room
        )
        return {"column": [f"この位置には{names}の広告があり、重なります。{hint}"]}
    return {}


def _positions_label(positions: list[tuple[int, int]]) -> str:
    shown = [f"上から{row + 1}段目・左から{column + 1}枠目" for column, row in positions[:5]]
    more = f" ほか{len(positions) - 5}か所" if len(positions) > 5 else ""
    return "、".join(shown) + more


def ad_slot_save(
    *,
    calendar: AnnualCalendar,
    values: Mapping[str, Any],
    actor: Any,
    slot: AdSlot | None = None,
    column: int | None = None,
    row: int | None = None,
    artwork: UploadedFile[bytes] | None = None,
    remove_artwork: bool = False,
) -> AdSlot:
    """Add an advertisement slot to the calendar or change ``slot``: sponsor, size in
    boxes, fee, text and artwork, invoice and payment dates. ``column`` and ``row`` (from
    0, left and top) place it; when both are None it goes to the first free position,
    scanning the rows from the top. Refused, with nothing saved, when it overlaps another
    slot, leaves the band or no free space is large enough. The artwork must already have
    been checked as an image (forms.AdSlotForm).
    On a final calendar only the fee, contact and the invoice and payment dates change.
    Side effects: the artwork file in the media storage (removed again if the write fails;
    a replaced or removed one is deleted after commit); the slot's advertising income line
    in the ledger (ledger_sync_ad_slot); audit entries."""
    stored_before = ""
    try:
        with transaction.atomic():
            calendar = _locked(calendar)
            if slot is not None:
                slot = AdSlot.objects.select_for_update().get(pk=slot.pk, calendar=calendar)
                before = {
                    **_values(slot, AD_SLOT_FIELDS),
                    "column": slot.column,
                    "row": slot.row,
                    "artwork": slot.artwork.name,
                }
                stored_before = str(slot.artwork.name or "")
            else:
                slot = AdSlot(calendar=calendar)
                before = {}
            slot.calendar = calendar
            for name in AD_SLOT_FIELDS:
                if name in values:
                    setattr(slot, name, values[name])
            picture_errors: dict[str, list[str]] = {}
            if artwork is not None:
                try:
                    slot.artwork = reencode_image(artwork)
                except ValidationError as error:
                    picture_errors["artwork"] = error.messages
            elif remove_artwork:
                slot.artwork = ""
            others = (
                list(calendar.ad_slots.exclude(pk=slot.pk))
                if slot.pk
                else list(calendar.ad_slots.all())
            )
            errors = {**_position(slot, column, row, others), **picture_errors}
            if calendar.status == CalendarStatus.FINAL and (
                not before
                or any(before.get(name) != value for name, value in _printed(slot).items())
            ):
                errors.setdefault("__all__", []).append(FINAL_PRINTED)
            collect_errors(slot, "", errors, exclude=["calendar", "column", "row"])
            if errors:
                raise ValidationError(errors)
            created = slot.pk is None
            slot.updated_at = timezone.now()
            slot.save()
            ledger_sync_ad_slot(slot=slot, actor=actor)
            after = {
                **_values(slot, AD_SLOT_FIELDS),
                "column": slot.column,
                "row": slot.row,
                "artwork": slot.artwork.name,
            }
            audit.record(
                actor=actor,
                action="publications.ad_slot_create" if created else "publications.ad_slot_update",
                obj=slot,
                changes=audit.diff(before, after),
            )
            replaced = stored_before and stored_before != slot.artwork.name
            if replaced:
                storage = slot.artwork.storage
                transaction.on_commit(functools.partial(storage.delete, stored_before))
    except BaseException:
        # A new artwork written by save() must not outlive a refused or failed write.
        if artwork is not None and slot is not None and slot.artwork.name != stored_before:
            name = str(slot.artwork.name or "")
            if name and slot.artwork.storage.exists(name):
                slot.artwork.storage.delete(name)
        raise
    return slot


@transaction.atomic
def ad_slot_delete(*, slot: AdSlot, actor: Any) -> None:
    """Remove an advertisement slot. Its ledger line is removed first, through the ledger
    service, so the ledger's audit says so. Side effects: the artwork file is deleted after
    commit; audit entries."""
    calendar = _locked(slot.calendar)
    if calendar.status == CalendarStatus.FINAL:
        raise ValidationError({"__all__": [FINAL_PRINTED]})
    slot = AdSlot.objects.select_for_update().get(pk=slot.pk, calendar=calendar)
    slot.calendar = calendar
    slot.paid_on = None
    ledger_sync_ad_slot(slot=slot, actor=actor)
    audit.record(
        actor=actor,
        action="publications.ad_slot_delete",
        obj=slot,
        changes={"sponsor": [slot.sponsor, ""], "fee": [str(slot.fee), ""]},
    )
    name = str(slot.artwork.name or "")
    storage = slot.artwork.storage
    slot.delete()
    if name:
        transaction.on_commit(functools.partial(storage.delete, name))


# --- Delivery -------------------------------------------------------------------------------


@transaction.atomic
def deliveries_save(
    *, calendar: AnnualCalendar, rows: Mapping[int, Mapping[str, Any]], actor: Any
) -> list[Delivery]:
    """Record, per association (by id), its households, the copies it receives, when they
    were delivered and a note. Only the council's member associations and those already
    recorded may be named. Nothing is written unless every row is valid (ValidationError
    keyed 「団体id.field」). Side effects: one audit entry per changed row."""
    calendar = _locked(calendar)
    recorded = {d.association_id: d for d in calendar.deliveries.select_for_update()}
    allowed = set(recorded) | set(
        Organisation.objects.filter(parent_id=calendar.council_id).values_list("pk", flat=True)
    )
    errors: dict[str, list[str]] = {}
    plans = []
    for association_id, values in rows.items():
        if association_id not in allowed:
            errors.setdefault(f"{association_id}", []).append(
                "この協議会の加入団体ではありません。"
            )
            continue
        delivery = recorded.get(association_id) or Delivery(
            calendar=calendar, association_id=association_id
        )
        before = _values(delivery, DELIVERY_FIELDS) if delivery.pk else {}
        for name in DELIVERY_FIELDS:
            if name in values:
                setattr(delivery, name, values[name])
        collect_errors(delivery, str(association_id), errors, exclude=["calendar", "association"])
        plans.append((delivery, before))
    if errors:
        raise ValidationError(errors)
    saved = []
    for delivery, before in plans:
        changes = audit.diff(before, _values(delivery, DELIVERY_FIELDS))
        if delivery.pk and not changes:
            saved.append(delivery)
            continue
        delivery.save()
        audit.record(
            actor=actor, action="publications.delivery_save", obj=delivery, changes=changes
        )
        saved.append(delivery)
    return saved


def calendar_pdf_start(*, calendar: AnnualCalendar, sheet: str, actor: Any) -> Job:
    """Make the print file of the newest draft in the background (A3 or A2 wall sheet, A4
    booklet). Refused without a draft. Side effects: a job (see kyodo.core.jobs) with its
    audit entry; the file is kept with the job."""
    if sheet not in SheetFormat.values:
        raise ValidationError({"sheet": ["用紙を選んでください。"]})
    draft = calendar.drafts.order_by("-number").first()
    if draft is None:
        raise ValidationError({"sheet": ["原稿がありません。先に原稿を作ってください。"]})
    return job_start(
        actor=actor,
        kind=ANNUAL_PDF,
        title=f"{calendar.title}(第{draft.number}稿・{SheetFormat(sheet).label})の印刷用PDF",
        params={"calendar": calendar.pk, "sheet": sheet},
        organisation=calendar.council,
    )
