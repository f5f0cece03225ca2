"""Every write of the workshops: a series, its sessions, and the requests to another
department to facilitate (ファシリテーションの依頼) with their answers."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kyodo.core import audit
from kyodo.core.services import collect_errors, site_url
from kyodo.core.tasks import send_mail
from kyodo.directory.models import Organisation, OrganisationKind, Person
from kyodo.directory.queries import municipality_of
from kyodo.directory.rules import is_officer_of
from kyodo.liaison.models import (
    FacilitationRequest,
    RequestStatus,
    WorkshopSeries,
    WorkshopSession,
)
from kyodo.liaison.queries.workshops import department_staff
from kyodo.liaison.rules import ORGANISER_KINDS

SERIES_FIELDS = ("title", "purpose")
SESSION_FIELDS = (
    "kind",
    "date",
    "start_time",
    "end_time",
    "title",
    "venue",
    "participants",
    "note",
)
ALREADY_ANSWERED = "この依頼にはすでに回答しています。"
NOT_AN_ORGANISER = "主催は市町村・課・コミュニティ協議会から選んでください。"
NOT_YOURS = "主催には、あなたが担当する組織を選んでください。"
AREA_ELSEWHERE = "地域は主催と同じ市町村のコミュニティ協議会から選んでください。"
OWN_DEPARTMENT = "主催する課自身には依頼できません。ほかの課を選んでください。"
DEPARTMENT_ELSEWHERE = "依頼先は同じ市町村の課から選んでください。"
ALREADY_ASKED = "この課にはすでに回答待ちの依頼があります。回答を待ってから依頼してください。"
NO_SESSIONS = "依頼する回を1つ以上選んでください。"
SESSION_ELSEWHERE = "依頼する回はこのワークショップの回から選んでください。"
NO_FACILITATOR = "引き受ける場合は、担当するファシリテーターを選んでください。"
FACILITATOR_ELSEWHERE = "ファシリテーターは依頼先の課の職員から選んでください。"
NO_REPLY = "お断りする場合は、回答欄に理由を書いてください。"


def _values(obj: Any, names: Sequence[str]) -> dict[str, str]:
    return {name: "" if getattr(obj, name) is None else str(getattr(obj, name)) for name in names}


@transaction.atomic
def series_create(
    *,
    organiser: Organisation,
    title: str,
    purpose: str = "",
    area: Organisation | None = None,
    actor: Any,
) -> WorkshopSeries:
    """Start a workshop series organised by a municipality, department or council, held
    optionally with an area (a community council of the same municipality). Raises
    ValidationError with every problem; nothing is saved then. Writes an audit entry."""
    errors: dict[str, list[str]] = {}
    if organiser.kind not in ORGANISER_KINDS:
        errors.setdefault("organiser", []).append(NOT_AN_ORGANISER)
    elif not is_officer_of(actor, organiser):
        errors.setdefault("organiser", []).append(NOT_YOURS)
    if area is not None and (
        area.kind != OrganisationKind.COMMUNITY_COUNCIL
        or municipality_of(area) != municipality_of(organiser)
    ):
        errors.setdefault("area", []).append(AREA_ELSEWHERE)
    series = WorkshopSeries(organiser=organiser, area=area, title=title.strip(), purpose=purpose)
    collect_errors(series, "", errors)
    if errors:
        raise ValidationError(errors)
    series.save()
    audit.record(
        actor=actor,
        action="liaison.workshop.create",
        obj=series,
        changes={"organiser": ["", organiser.name], "title": ["", series.title]},
    )
    return series


def _touch(series: WorkshopSeries) -> None:
    series.updated_at = timezone.now()
    series.save(update_fields=["updated_at"])


@transaction.atomic
def session_save(
    *,
    series: WorkshopSeries,
    values: dict[str, Any],
    actor: Any,
    session: WorkshopSession | None = None,
) -> WorkshopSession:
    """Add a session (main, preparation or reflection) to a series, or change one. The date
    lies in 2000–2100, the end after the start, participants not below zero. Raises
    ValidationError with every problem; nothing is saved then. Writes an audit entry."""
    creating = session is None
    if session is None:
        session = WorkshopSession(series=series)
        before: dict[str, str] = {}
    else:
        before = _values(session, SESSION_FIELDS)
    for name in SESSION_FIELDS:
        setattr(session, name, values.get(name, getattr(session, name)))
    errors: dict[str, list[str]] = {}
    collect_errors(session, "", errors, exclude=("entry",))
    if errors:
        raise ValidationError(errors)
    session.save()
    _touch(series)
    audit.record(
        actor=actor,
        action="liaison.workshop.add_session" if creating else "liaison.workshop.change_session",
        obj=session,
        changes=audit.diff(before, _values(session, SESSION_FIELDS)),
    )
    return session


@transaction.atomic
def session_delete(*, session: WorkshopSession, actor: Any) -> None:
    """Remove a session (and it from any facilitation request). Writes an audit entry with
    what was removed."""
    audit.record(
        actor=actor,
        action="liaison.workshop.delete_session",
        obj=session,
        changes={name: [value, ""] for name, value in _values(session, SESSION_FIELDS).items()},
    )
    series = session.series
    session.delete()
    _touch(series)


@transaction.atomic
def facilitation_request(
    *,
    series: WorkshopSeries,
    department: Organisation,
    sessions: Sequence[WorkshopSession],
    message: str,
    actor: Any,
) -> FacilitationRequest:
    """Ask another department of the same municipality, formally, to facilitate chosen
    sessions. Raises ValidationError with every problem (its own department, a department
    elsewhere, one still to answer an earlier request, no session, a session of another series,
    no message); nothing is saved then.
    Writes an audit entry."""
    errors: dict[str, list[str]] = {}
    if department.pk == series.organiser_id:
        errors.setdefault("department", []).append(OWN_DEPARTMENT)
    elif department.kind != OrganisationKind.DEPARTMENT or municipality_of(
        department
    ) != municipality_of(series.organiser):
        errors.setdefault("department", []).append(DEPARTMENT_ELSEWHERE)
    elif series.facilitation_requests.filter(
        department=department, status=RequestStatus.PENDING
    ).exists():
        errors.setdefault("department", []).append(ALREADY_ASKED)
    if not sessions:
        errors.setdefault("sessions", []).append(NO_SESSIONS)
    elif any(session.series_id != series.pk for session in sessions):
        errors.setdefault("sessions", []).append(SESSION_ELSEWHERE)
    request = FacilitationRequest(
        series=series, department=department, message=message.strip(), requested_by=actor
    )
    collect_errors(request, "", errors, exclude=("department",))
    if errors:
        raise ValidationError(errors)
    request.save()
    request.sessions.set(sessions)
    audit.record(
        actor=actor,
        action="liaison.workshop.request_facilitation",
        obj=request,
        changes={
            "department": ["", department.name],
            "sessions": ["", ", ".join(str(s) for s in sessions)],
        },
    )
    return request


@transaction.atomic
def facilitation_answer(
    *,
    request: FacilitationRequest,
    accept: bool,
    facilitator: Person | None = None,
    reply: str = "",
    actor: Any,
    notify: bool = True,
) -> FacilitationRequest:
    """The department's answer: accept, naming a facilitator among its current staff, or
    decline, saying why. A request is answered once. Raises ValidationError otherwise;
    nothing is saved then. Side effects: an audit entry, and after commit a mail with the
    answer to the person who asked (and the organiser's address, if it has one), unless
    ``notify`` is off (the demo)."""
    request = FacilitationRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.PENDING:
        raise ValidationError(ALREADY_ANSWERED, code="answered")
    reply = reply.strip()
    errors: dict[str, list[str]] = {}
    if accept:
        if facilitator is None:
            errors["facilitator"] = [NO_FACILITATOR]
        elif not department_staff(request.department).filter(pk=facilitator.pk).exists():
            errors["facilitator"] = [FACILITATOR_ELSEWHERE]
    elif not reply:
        errors["reply"] = [NO_REPLY]
    if errors:
        raise ValidationError(errors)
    request.status = RequestStatus.APPROVED if accept else RequestStatus.DECLINED
    request.facilitator = facilitator if accept else None
    request.reply = reply
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.full_clean()
    request.save()
    audit.record(
        actor=actor,
        action="liaison.workshop.answer_facilitation",
        obj=request,
        changes={
            "status": [RequestStatus.PENDING, request.status],
            "facilitator": ["", str(request.facilitator or "")],
            "reply": ["", reply],
        },
    )
    if notify:
        _mail_answer(request)
    return request


def _mail_answer(request: FacilitationRequest) -> None:
    series = request.series
    recipients = [
        address
        for address in dict.fromkeys((request.requested_by.email, series.organiser.email))
        if address
    ]
    if not recipients:
        return
    body = render_to_string(
        "liaison/workshops/mail/facilitation_answer.txt",
        {
            "request": request,
            "series": series,
            "accepted": request.status == RequestStatus.APPROVED,
            "url": site_url(reverse("liaison:workshop", args=[series.pk])),
        },
    )
    verb = "お引き受け" if request.status == RequestStatus.APPROVED else "お断り"
    transaction.on_commit(
        functools.partial(
            send_mail.enqueue,
            subject=f"【ファシリテーションの依頼】{request.department.name}から{verb}の回答",
            body=body,
            to=recipients,
        )
    )
