"""Every write of the recruitment requests (動員依頼): the request with its numbers wanted per
age band and the associations asked, each head's answer, and closing the request."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from kyodo.calendar.models import Entry, EntryStatus
from kyodo.core import audit
from kyodo.core.services import collect_errors, site_url
from kyodo.core.tasks import send_mail
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.directory.queries import municipality_of
from kyodo.directory.rules import is_officer_of
from kyodo.liaison.models import (
    AgeBand,
    RecruitmentAnswer,
    RecruitmentAsk,
    RecruitmentRequest,
    RecruitmentStatus,
    RecruitmentTarget,
)
from kyodo.liaison.queries.recruitment import officer_addresses
from kyodo.liaison.rules import ORGANISER_KINDS

MAX_COUNT = 10000
NEGATIVE = "人数は0以上で入力してください。"
TOO_MANY = "人数は10,000人以下で入力してください。"
NOBODY_WANTED = "希望人数を1人以上入力してください。"
NO_ASSOCIATIONS = "依頼する自治会・町内会を1つ以上選んでください。"
ASSOCIATION_ELSEWHERE = "依頼先は依頼元と同じ市町村の自治会・町内会から選んでください。"
ENTRY_ELSEWHERE = "行事は依頼元のカレンダーに公開されている予定から選んでください。"
NOT_AN_ORGANISER = "依頼元は市町村・課・コミュニティ協議会から選んでください。"
NOT_YOURS = "依頼元には、あなたが担当する組織を選んでください。"
ANSWER_AFTER_EVENT = "回答期限は行事の日までの日にしてください。"
CLOSED = "この動員依頼は締め切られたため、回答できません。依頼元にご連絡ください。"
ALREADY_CLOSED = "この動員依頼はすでに締め切っています。"
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
OUT_OF_RANGE = "日付は2000年から2100年の間で入力してください。"


def _check_counts(counts: Mapping[str, Any], field: str, errors: dict[str, list[str]]) -> None:
    """Every band's number is a whole number from 0 to 10,000; messages under
    ``<field>_<band>``, the names of the form's inputs."""
    for band in AgeBand:
        value = counts.get(band.value, 0)
        if not isinstance(value, int) or value < 0:
            errors.setdefault(f"{field}_{band.value}", []).append(NEGATIVE)
        elif value > MAX_COUNT:
            errors.setdefault(f"{field}_{band.value}", []).append(TOO_MANY)


def _check_date(value: datetime.date | None, name: str, errors: dict[str, list[str]]) -> None:
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        errors.setdefault(name, []).append(OUT_OF_RANGE)


@transaction.atomic
def recruitment_create(
    *,
    organiser: Organisation,
    title: str,
    event_date: datetime.date | None,
    answer_by: datetime.date | None,
    message: str,
    wanted: Mapping[str, int],
    associations: Sequence[Organisation],
    entry: Entry | None = None,
    actor: Any,
    notify: bool = True,
) -> RecruitmentRequest:
    """Ask the heads of several neighbourhood associations for participants in an event,
    with the number wanted per age band. A published calendar entry of the organiser may
    name the event: its title and first day fill what was left blank. Raises ValidationError
    with every problem (a negative number, the answer after the event, no association, one
    in another municipality); nothing is saved then. Side effects: an audit entry, and after
    commit a mail with the link to each asked association's officers with an address."""
    errors: dict[str, list[str]] = {}
    if organiser.kind not in ORGANISER_KINDS:
        errors.setdefault("organiser", []).append(NOT_AN_ORGANISER)
    elif not is_officer_of(actor, organiser):
        errors.setdefault("organiser", []).append(NOT_YOURS)
    if entry is not None:
        if entry.status != EntryStatus.PUBLISHED or entry.organisation_id != organiser.pk:
            errors.setdefault("entry", []).append(ENTRY_ELSEWHERE)
        title = title.strip() or entry.title
        event_date = event_date or entry.start_date
    _check_counts(wanted, "wanted", errors)
    if not any(errors.get(f"wanted_{band.value}") for band in AgeBand) and not any(
        wanted.get(band.value, 0) for band in AgeBand
    ):
        errors.setdefault("__all__", []).append(NOBODY_WANTED)
    if not associations:
        errors.setdefault("associations", []).append(NO_ASSOCIATIONS)
    else:
        home = municipality_of(organiser)
        if any(
            association.kind != OrganisationKind.NEIGHBOURHOOD_ASSOCIATION
            or municipality_of(association) != home
            for association in associations
        ):
            errors.setdefault("associations", []).append(ASSOCIATION_ELSEWHERE)
    _check_date(event_date, "event_date", errors)
    _check_date(answer_by, "answer_by", errors)
    if (
        event_date is not None
        and answer_by is not None
        and answer_by > event_date
        and "answer_by" not in errors
    ):
        errors.setdefault("answer_by", []).append(ANSWER_AFTER_EVENT)
    request = RecruitmentRequest(
        organiser=organiser,
        entry=entry,
        title=title.strip(),
        message=message.strip(),
        created_by=actor,
    )
    # Missing dates are reported by the model's own check below.
    request.event_date = event_date  # type: ignore[assignment]
    request.answer_by = answer_by  # type: ignore[assignment]
    if not errors.get("answer_by") and not errors.get("event_date"):
        collect_errors(request, "", errors, exclude=("entry",))
    else:
        collect_errors(request, "", errors, exclude=("entry", "event_date", "answer_by"))
    if errors:
        raise ValidationError(errors)
    request.save()
    RecruitmentTarget.objects.bulk_create(
        RecruitmentTarget(request=request, band=band, wanted=wanted.get(band.value, 0))
        for band in AgeBand
    )
    asks = RecruitmentAsk.objects.bulk_create(
        RecruitmentAsk(request=request, association=association)
        for association in dict.fromkeys(associations)
    )
    audit.record(
        actor=actor,
        action="liaison.recruitment.create",
        obj=request,
        changes={
            "title": ["", request.title],
            "wanted": ["", ", ".join(f"{b.label} {wanted.get(b.value, 0)}" for b in AgeBand)],
            "associations": ["", ", ".join(a.association.name for a in asks)],
        },
    )
    if notify:
        for ask in asks:
            _mail_ask(ask)
    return request


def _mail_ask(ask: RecruitmentAsk) -> None:
    request = ask.request
    url = site_url(reverse("liaison:recruitment_ask", args=[ask.pk]))
    body = render_to_string(
        "liaison/recruitment/mail/ask.txt", {"request": request, "ask": ask, "url": url}
    )
    for address in officer_addresses(ask.association):
        transaction.on_commit(
            functools.partial(
                send_mail.enqueue,
                subject=f"【動員のお願い】{request.title}({request.organiser.name})",
                body=body,
                to=[address],
            )
        )


@transaction.atomic
def recruitment_answer(
    *, ask: RecruitmentAsk, counts: Mapping[str, int], note: str = "", actor: Any
) -> RecruitmentAsk:
    """A head's answer: how many the association can send per age band, and a note. The
    answer may change until the request is closed. Every band is checked before any is
    written, so a bad number leaves the whole answer as it was. Raises ValidationError
    otherwise. Writes an audit entry with what changed."""
    request = RecruitmentRequest.objects.select_for_update().get(pk=ask.request_id)
    if request.status == RecruitmentStatus.CLOSED:
        raise ValidationError(CLOSED, code="closed")
    errors: dict[str, list[str]] = {}
    _check_counts(counts, "count", errors)
    if len(note) > 2000:
        errors["note"] = ["連絡事項は2,000文字以内で入力してください。"]
    if errors:
        raise ValidationError(errors)
    before = {b.value: "" for b in AgeBand}
    before.update({band: str(n) for band, n in ask.answers.values_list("band", "count")})
    before["note"] = ask.note
    for band in AgeBand:
        RecruitmentAnswer.objects.update_or_create(
            ask=ask, band=band.value, defaults={"count": counts.get(band.value, 0)}
        )
    ask.note = note.strip()
    ask.answered_at = timezone.now()
    ask.answered_by = actor
    ask.save(update_fields=["note", "answered_at", "answered_by"])
    after = {b.value: str(counts.get(b.value, 0)) for b in AgeBand}
    after["note"] = ask.note
    audit.record(
        actor=actor, action="liaison.recruitment.answer", obj=ask, changes=audit.diff(before, after)
    )
    return ask


@transaction.atomic
def recruitment_close(*, request: RecruitmentRequest, actor: Any) -> RecruitmentRequest:
    """Stop taking answers; the heads' answers stay as they are. Writes an audit entry."""
    request = RecruitmentRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == RecruitmentStatus.CLOSED:
        raise ValidationError(ALREADY_CLOSED, code="closed")
    request.status = RecruitmentStatus.CLOSED
    request.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="liaison.recruitment.close",
        obj=request,
        changes={"status": [RecruitmentStatus.OPEN, RecruitmentStatus.CLOSED]},
    )
    return request
