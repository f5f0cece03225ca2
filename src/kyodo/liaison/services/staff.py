"""Every write of the liaison-staff area: assigning staff to areas, an area's request for a
particular staff member and the municipality's answer, and the staff's participation log.

Each service checks the whole input and raises ValidationError with every problem at once;
nothing is saved then. Each writes its audit entry in the same transaction."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kyodo.calendar.models import Entry
from kyodo.core import audit
from kyodo.core.dates import fiscal_year as fiscal_year_of
from kyodo.core.services import collect_errors, site_url
from kyodo.core.tasks import send_mail
from kyodo.directory.models import Organisation, OrganisationKind, Person
from kyodo.liaison.models import (
    FISCAL_YEAR_RANGE,
    Assignment,
    AssignmentRole,
    Participation,
    RequestStatus,
    StaffRequest,
)
from kyodo.liaison.queries import staff as queries

FUTURE_DATE = "未来の日付は記録できません。参加した後に記録してください。"
NOT_STAFF = "この市町村の職員から選んでください。"
NOT_AN_AREA = "この市町村のコミュニティ協議会から選んでください。"
DECLINE_NEEDS_REASON = "見送る場合は、地域に伝える理由を入力してください。"
ALREADY_ANSWERED = "この希望にはすでに回答しています。"
ALREADY_ASSIGNED = "この職員はこの年度すでにこの地域の担当です。"


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Assignments ----------------------------------------------------------------------------


def _save_once(obj: Any, field: str, message: str) -> None:
    """Insert ``obj``; when the same row was inserted a moment earlier (two clicks, two
    managers), the database's unique constraint refuses it and the person reads why."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError({field: [message]}) from None


@transaction.atomic
def assignment_add(
    *,
    municipality: Organisation,
    area: Organisation,
    person: Person,
    fiscal_year: int,
    role: str,
    actor: Any,
) -> Assignment:
    """Assign a staff member of the municipality to one of its community councils for a
    fiscal year. Writes an audit entry."""
    errors: dict[str, list[str]] = {}
    if area.parent_id != municipality.pk or area.kind != OrganisationKind.COMMUNITY_COUNCIL:
        errors.setdefault("area", []).append(NOT_AN_AREA)
    if not queries.is_staff_of(person, municipality):
        errors.setdefault("person", []).append(NOT_STAFF)
    assignment = Assignment(area=area, person=person, fiscal_year=fiscal_year, role=role)
    collect_errors(assignment, "", errors, exclude=("ended_on",))
    if Assignment.objects.filter(area=area, person=person, fiscal_year=fiscal_year).exists():
        errors.setdefault("person", []).append(ALREADY_ASSIGNED)
    _refuse(errors)
    _save_once(assignment, "person", ALREADY_ASSIGNED)
    audit.record(
        actor=actor,
        action="liaison.assign",
        obj=assignment,
        changes={
            "area": ["", area.name],
            "person": ["", person.full_name],
            "fiscal_year": ["", str(fiscal_year)],
            "role": ["", assignment.get_role_display()],
        },
    )
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, actor: Any) -> None:
    """Take a staff member off an area for the year (also one whose assignment ended by a
    handover: the record goes, the audit entry keeps what it was)."""
    audit.record(
        actor=actor,
        action="liaison.unassign",
        obj=assignment,
        changes={
            "area": [assignment.area.name, ""],
            "person": [assignment.person.full_name, ""],
            "fiscal_year": [str(assignment.fiscal_year), ""],
            "role": [assignment.get_role_display(), ""],
        },
    )
    assignment.delete()


# --- An area's requests ---------------------------------------------------------------------


def request_years(today: datetime.date) -> tuple[int, int]:
    """An area asks for this fiscal year or the next, never the past."""
    year = fiscal_year_of(today)
    return year, year + 1


@transaction.atomic
def staff_request_create(
    *, area: Organisation, person: Person, fiscal_year: int, reason: str, actor: Any
) -> StaffRequest:
    """The area asks the municipality for a particular staff member. Refused for someone who
    is not staff of the area's municipality, for a past or far year, without a reason, for
    someone already assigned, and while the same request is waiting. Writes an audit entry."""
    municipality = area.parent
    errors: dict[str, list[str]] = {}
    if municipality is None or not queries.is_staff_of(person, municipality):
        errors.setdefault("person", []).append(NOT_STAFF)
    if fiscal_year not in request_years(timezone.localdate()):
        errors.setdefault("fiscal_year", []).append("今年度か来年度を選んでください。")
    request = StaffRequest(
        area=area,
        person=person,
        fiscal_year=fiscal_year,
        reason=reason.strip(),
        requested_by=actor,
    )
    collect_errors(request, "", errors, exclude=("decided_by", "decision_note"))
    if Assignment.objects.filter(area=area, person=person, fiscal_year=fiscal_year).exists():
        errors.setdefault("person", []).append(ALREADY_ASSIGNED)
    _refuse(errors)
    _save_once(request, "person", "この職員への希望はすでに回答待ちです。")
    audit.record(
        actor=actor,
        action="liaison.request_staff",
        obj=request,
        changes={"person": ["", person.full_name], "fiscal_year": ["", str(fiscal_year)]},
    )
    return request


@transaction.atomic
def staff_request_decide(
    *, request: StaffRequest, approve: bool, note: str, actor: Any, role: str = ""
) -> StaffRequest:
    """Answer an area's request. Approving assigns the person to the area for the year (in
    the same transaction; nothing more if they already are); declining needs a reason for
    the area. The requester is e-mailed the answer after commit. Writes an audit entry."""
    request = (
        StaffRequest.objects.select_for_update().select_related("area", "person").get(pk=request.pk)
    )
    note = note.strip()
    if request.status != RequestStatus.PENDING:
        raise ValidationError(ALREADY_ANSWERED, code="answered")
    if not approve and not note:
        raise ValidationError({"decision_note": [DECLINE_NEEDS_REASON]})
    if approve:
        municipality = request.area.parent
        if municipality is None or not queries.is_staff_of(request.person, municipality):
            raise ValidationError({"person": [NOT_STAFF]})
        if request.fiscal_year < fiscal_year_of(timezone.localdate()):
            raise ValidationError("過ぎた年度の希望は承認できません。見送ってください。")
    request.status = RequestStatus.APPROVED if approve else RequestStatus.DECLINED
    request.decision_note = note
    request.decided_by = actor
    request.decided_at = timezone.now()
    errors: dict[str, list[str]] = {}
    collect_errors(request, "", errors)
    _refuse(errors)
    request.save()
    if approve:
        assignment, created = Assignment.objects.get_or_create(
            area=request.area,
            person=request.person,
            fiscal_year=request.fiscal_year,
            defaults={"role": role or AssignmentRole.LEAD},
        )
        if created:
            assignment.full_clean()
            audit.record(
                actor=actor,
                action="liaison.assign",
                obj=assignment,
                changes={
                    "area": ["", request.area.name],
                    "person": ["", request.person.full_name],
                    "fiscal_year": ["", str(request.fiscal_year)],
                    "role": ["", assignment.get_role_display()],
                    "request": ["", str(request.pk)],
                },
            )
    audit.record(
        actor=actor,
        action="liaison.approve_request" if approve else "liaison.decline_request",
        obj=request,
        changes={"status": [str(RequestStatus.PENDING.label), request.get_status_display()]},
    )
    email = getattr(request.requested_by, "email", "")
    if email:
        body = render_to_string(
            "liaison/staff/decision_mail.txt",
            {
                "request": request,
                "url": site_url(reverse("liaison:staff_requests", args=[request.area_id])),
            },
        )
        transaction.on_commit(
            functools.partial(
                send_mail.enqueue,
                subject=f"【担当職員の希望】{request.get_status_display()}"
                f"({request.area.name} {request.person.full_name})",
                body=body,
                to=[email],
            )
        )
    return request


# --- Participation --------------------------------------------------------------------------

PARTICIPATION_FIELDS = ("date", "title", "hours", "note", "area", "municipality", "entry")


def _snapshot(participation: Participation) -> dict[str, str]:
    return {name: str(getattr(participation, name) or "") for name in PARTICIPATION_FIELDS}


def _entry_and_area(
    values: dict[str, Any],
    choices: queries.LogChoices,
    participation: Participation | None,
    errors: dict[str, list[str]],
) -> tuple[Entry | None, Organisation | None, str]:
    """The calendar entry (one of the person's areas', or the one already logged), the
    area it belongs to, and the title; or the chosen area and the typed title."""
    entry: Entry | None = values.get("entry")
    date: datetime.date | None = values.get("date")
    area: Organisation | None = values.get("area")
    title = (values.get("title") or "").strip()
    if entry is None:
        if not title:
            errors.setdefault("title", []).append(
                "カレンダーの行事を選ぶか、行事名を入力してください。"
            )
        return None, area, title
    allowed = {e.pk: e for e in choices.entries}
    if entry.pk in allowed:
        entry = allowed[entry.pk]  # with its exceptions
        area = choices.area_for(entry)
    elif participation is not None and participation.entry_id == entry.pk:
        area = participation.area
    else:
        errors.setdefault("entry", []).append(
            "担当している地域のカレンダーの行事から選んでください。"
        )
        return None, area, title
    if date is not None and not queries.occurs_on(entry, date):
        errors.setdefault("date", []).append(
            f"この日は「{entry.title}」の開催日ではありません。"
            "行事の開催日を入力するか、行事名を入力して記録してください。"
        )
    return entry, area, entry.title


def _municipality(
    area: Organisation | None,
    chosen: Organisation | None,
    choices: queries.LogChoices,
    participation: Participation | None,
    errors: dict[str, list[str]],
) -> Organisation | None:
    """The area's municipality; else the chosen one; else the one already logged; else the
    only one the person is staff of. What was logged before may stay as it was."""
    if area is not None:
        kept = participation is not None and participation.area_id == area.pk
        if not kept and area.pk not in {a.pk for a in choices.areas}:
            errors.setdefault("area", []).append("担当している地域から選んでください。")
            return None
        return area.parent or chosen
    if chosen is not None:
        kept = participation is not None and participation.municipality_id == chosen.pk
        if not kept and chosen.pk not in {m.pk for m in choices.municipalities}:
            errors.setdefault("municipality", []).append(
                "職員として勤める市町村から選んでください。"
            )
        return chosen
    if participation is not None:
        return participation.municipality
    if len(choices.municipalities) == 1:
        return choices.municipalities[0]
    if choices.municipalities:
        errors.setdefault("municipality", []).append("記録する市町村を選んでください。")
    else:
        errors.setdefault("__all__", []).append(
            "市町村の職員として登録されていないため、参加を記録できません。"
        )
    return None


@transaction.atomic
def participation_save(
    *,
    person: Person,
    values: dict[str, Any],
    actor: Any,
    participation: Participation | None = None,
) -> Participation:
    """Log (or correct) a staff member's participation in a local event: a calendar entry of
    an area they are assigned to, on a day it took place, or an event typed in by hand. A
    date in the future is refused. The municipality and area follow from the entry, else
    from the chosen area, else the chosen municipality (needed only when the person is
    staff of several). The fiscal year follows from the date. Writes an audit entry."""
    today = timezone.localdate()
    choices = queries.log_choices(person, today)
    errors: dict[str, list[str]] = {}
    date: datetime.date | None = values.get("date")
    if date is not None and date > today:
        errors.setdefault("date", []).append(FUTURE_DATE)
    entry, area, title = _entry_and_area(values, choices, participation, errors)
    municipality = _municipality(area, values.get("municipality"), choices, participation, errors)
    creating = participation is None
    if participation is None:
        participation = Participation(person=person)
        before: dict[str, str] = {}
    else:
        before = _snapshot(participation)
    participation.entry = entry
    participation.title = title
    participation.date = date  # type: ignore[assignment]
    participation.hours = values.get("hours")  # type: ignore[assignment]
    participation.note = (values.get("note") or "").strip()
    participation.area = area
    if municipality is not None:
        participation.municipality = municipality
    if date is not None:
        participation.fiscal_year = fiscal_year_of(date)
        low, high = FISCAL_YEAR_RANGE
        if not low <= participation.fiscal_year <= high:
            errors.setdefault("date", []).append(
                f"参加日は{low}年4月1日から{high + 1}年3月31日までの日にしてください。"
            )
    participation.updated_at = timezone.now()
    collect_errors(
        participation,
        "",
        errors,
        exclude=("fiscal_year", "municipality") if municipality is None else ("fiscal_year",),
    )
    _refuse(errors)
    participation.save()
    audit.record(
        actor=actor,
        action="liaison.log_participation" if creating else "liaison.change_participation",
        obj=participation,
        changes=audit.diff(before, _snapshot(participation)),
    )
    return participation


@transaction.atomic
def participation_delete(*, participation: Participation, actor: Any) -> None:
    """Remove a log entry; the audit entry keeps what it said."""
    audit.record(
        actor=actor,
        action="liaison.delete_participation",
        obj=participation,
        changes={name: [value, ""] for name, value in _snapshot(participation).items()},
    )
    participation.delete()
