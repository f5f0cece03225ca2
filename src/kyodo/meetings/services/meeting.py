"""Writes of the meeting record, its publication, invitations, registration and attendance."""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kyodo.core import audit
from kyodo.core.dates import fiscal_year
from kyodo.core.numbering import outline_label
from kyodo.core.search import index as search_index
from kyodo.core.services import collect_errors, site_url
from kyodo.core.tasks import send_mail
from kyodo.directory.models import Network, Organisation, Person, User
from kyodo.meetings import queries, search
from kyodo.meetings.models import (
    Attachment,
    Attendee,
    Footnote,
    Invitation,
    Meeting,
    MeetingPerson,
    MeetingStatus,
    ProgrammeItem,
    Registration,
    Revision,
    Section,
    Venue,
)
from kyodo.meetings.tasks import render_results_pdf

MEETING_FIELDS = (
    "fiscal_year",
    "ordinal",
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "theme",
    "content",
    "attendee_description",
    "attendee_count_manual",
    "capacity",
    "registration_deadline",
    "grouping_label",
    "grouping_choices",
    "status",
)
VENUE_FIELDS = ("kind", "name", "address", "online_tool", "join_url")
PERSON_FIELDS = ("role", "name", "affiliation")
SECTION_FIELDS = ("placement", "heading", "body")
FOOTNOTE_FIELDS = ("number", "term", "text")
DATETIME_FIELDS = ("starts_at", "ends_at", "registration_deadline")


class RecordError(ValidationError):
    """A meeting record that cannot be stored; ``message_dict`` maps paths such as
    ``venues[1].join_url`` to messages in Japanese. Nothing of the record was saved."""


def _datetime(value: Any, path: str, errors: dict[str, list[str]]) -> datetime.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        parsed: datetime.datetime | None = value
    else:
        parsed = parse_datetime(str(value))
    if parsed is None:
        errors.setdefault(path, []).append(
            f"日時「{value}」を読み取れません。2020-11-19T09:30:00+09:00 の形で書いてください。"
        )
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)  # wall-clock time in Asia/Tokyo
    return parsed


def _only(record: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    return {name: record[name] for name in fields if name in record and record[name] is not None}


def _build(
    meeting: Meeting, record: Mapping[str, Any], errors: dict[str, list[str]]
) -> dict[str, list[Any]]:
    """Validate every part of a record before anything is written; return unsaved rows."""
    rows: dict[str, list[Any]] = {"venues": [], "people": [], "sections": [], "footnotes": []}
    for index, venue in enumerate(record.get("venues", [])):
        obj = Venue(meeting=meeting, order=index, **_only(venue, VENUE_FIELDS))
        collect_errors(obj, f"venues[{index}]", errors, exclude=["meeting"])
        rows["venues"].append(obj)
    for index, person in enumerate(record.get("people", [])):
        role = MeetingPerson(meeting=meeting, order=index, **_only(person, PERSON_FIELDS))
        if person.get("organisation"):
            org = Organisation.objects.filter(pk=person["organisation"]).first()
            if org is None:
                errors.setdefault(f"people[{index}].organisation", []).append(
                    f"組織ID {person['organisation']} は登録されていません。"
                )
            role.organisation = org
        if person.get("person"):
            role.person = Person.objects.filter(pk=person["person"]).first()
            if role.person is None:
                errors.setdefault(f"people[{index}].person", []).append(
                    f"名簿の人ID {person['person']} は登録されていません。"
                )
        collect_errors(role, f"people[{index}]", errors, exclude=["meeting"])
        rows["people"].append(role)
    for index, section in enumerate(record.get("sections", [])):
        paragraph = Section(meeting=meeting, order=index, **_only(section, SECTION_FIELDS))
        collect_errors(paragraph, f"sections[{index}]", errors, exclude=["meeting"])
        rows["sections"].append(paragraph)
    numbers = [note.get("number") for note in record.get("footnotes", [])]
    if len(numbers) != len(set(numbers)):
        errors.setdefault("footnotes", []).append("注釈の番号が重複しています。")
    for index, note in enumerate(record.get("footnotes", [])):
        footnote = Footnote(meeting=meeting, **_only(note, FOOTNOTE_FIELDS))
        collect_errors(footnote, f"footnotes[{index}]", errors, exclude=["meeting"])
        rows["footnotes"].append(footnote)
    _check_programme(record.get("programme", []), "programme", errors)
    return rows


MAX_PROGRAMME_DEPTH = 6


def _check_programme(
    items: Sequence[Mapping[str, Any]],
    path: str,
    errors: dict[str, list[str]],
    depth: int = 0,
) -> None:
    if depth >= MAX_PROGRAMME_DEPTH:
        errors.setdefault(path, []).append(f"次第の入れ子は{MAX_PROGRAMME_DEPTH}段までです。")
        return
    if items:
        try:
            outline_label(depth, len(items))
        except ValueError:
            errors.setdefault(path, []).append(
                f"この段の項目が多すぎます({len(items)}項目)。番号を付けられる数を超えています。"
            )
            return
    for index, item in enumerate(items):
        here = f"{path}[{index}]"
        collect_errors(
            ProgrammeItem(title=item.get("title", "")), here, errors, exclude=["meeting"]
        )
        _check_programme(item.get("children", []), f"{here}.children", errors, depth + 1)


def _save_programme(
    meeting: Meeting, items: Sequence[Mapping[str, Any]], parent: ProgrammeItem | None = None
) -> None:
    for index, item in enumerate(items):
        saved = ProgrammeItem.objects.create(
            meeting=meeting,
            parent=parent,
            order=index,
            title=item["title"],
            is_breakout=bool(item.get("is_breakout", False)),
            note=item.get("note", ""),
        )
        _save_programme(meeting, item.get("children", []), saved)


@transaction.atomic
def meeting_save_record(
    *, network: Network, record: Mapping[str, Any], actor: Any, meeting: Meeting | None = None
) -> Meeting:
    """Create a meeting from a record, or replace an existing meeting's record with it.

    The record is the JSON shape of :func:`queries.meeting_record`; venues, people, programme,
    sections and footnotes are replaced as a whole. Everything is validated before anything
    is written; on any error :class:`RecordError` lists every problem and nothing is saved.
    Side effects: one audit entry; the search index is refreshed (a record may take a
    published meeting back to a draft, or move it to another year)."""
    errors: dict[str, list[str]] = {}
    # Every key present counts, null included, so a record can clear a value (capacity: null).
    values = {name: record[name] for name in MEETING_FIELDS if name in record}
    for name in DATETIME_FIELDS:
        if name in record:
            values[name] = _datetime(record[name], name, errors)
    if isinstance(values.get("grouping_label"), str):
        values["grouping_label"] = values["grouping_label"].strip()
    if isinstance(values.get("grouping_choices"), list):
        values["grouping_choices"] = [
            choice.strip() if isinstance(choice, str) else choice
            for choice in values["grouping_choices"]
        ]
    creating = meeting is None
    if meeting is None:
        meeting = Meeting(network=network)
    else:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if (
        values.get("status") == MeetingStatus.PUBLISHED
        and meeting.status != MeetingStatus.PUBLISHED
    ):
        errors.setdefault("status", []).append(
            "結果の公開は記録の保存ではできません。「開催結果を公開」で公開してください。"
        )
        values.pop("status")
    for name, value in values.items():
        setattr(meeting, name, value)
    collect_errors(meeting, "", errors, exclude=["network"])
    numbered = isinstance(meeting.fiscal_year, int) and isinstance(meeting.ordinal, int)
    if numbered and (
        Meeting.objects.filter(
            network=network,
            fiscal_year=meeting.fiscal_year,
            kind=meeting.kind,
            ordinal=meeting.ordinal,
        )
        .exclude(pk=meeting.pk)
        .exists()
    ):
        errors.setdefault("ordinal", []).append(
            f"この年度の第{meeting.ordinal}回{meeting.kind}はすでに登録されています。"
        )
    rows = _build(meeting, record, errors)
    if errors:
        raise RecordError(errors)
    meeting.updated_at = timezone.now()
    meeting.save()
    if not creating:
        for related in (meeting.venues, meeting.people, meeting.sections, meeting.footnotes):
            related.all().delete()
        meeting.programme_items.filter(parent__isnull=True).delete()
    for name, model in (
        ("venues", Venue),
        ("people", MeetingPerson),
        ("sections", Section),
        ("footnotes", Footnote),
    ):
        for obj in rows[name]:
            obj.meeting = meeting
        model.objects.bulk_create(rows[name])
    _save_programme(meeting, record.get("programme", []))
    if not creating:
        # Questions carry the meeting's title, year and date (their place in the ranking).
        _reindex(meeting)
    audit.record(
        actor=actor, action="meeting.create" if creating else "meeting.update", obj=meeting
    )
    return meeting


@transaction.atomic
def meeting_copy(*, meeting: Meeting, actor: Any, fiscal_year: int | None = None) -> Meeting:
    """Copy a meeting as the template for the next one: the next free ordinal of its year
    (or of ``fiscal_year``), the same kind, venues, people and programme, a week-day a year
    on when the year changes; as a draft, without registrations or results.
    Side effects: one audit entry."""
    record = queries.meeting_record(meeting)
    year = fiscal_year if fiscal_year is not None else meeting.fiscal_year
    shift = _same_weekday_shift(timezone.localtime(meeting.starts_at), year - meeting.fiscal_year)
    record.update(
        fiscal_year=year,
        ordinal=queries.next_ordinal(meeting.network, year, meeting.kind),
        title="",
        status=MeetingStatus.DRAFT,
        attendee_count_manual=None,
        starts_at=meeting.starts_at + shift,
        ends_at=meeting.ends_at + shift,
        registration_deadline=None,
        sections=[],
    )
    return meeting_save_record(network=meeting.network, record=record, actor=actor)


def _same_weekday_shift(start: datetime.datetime, years: int) -> datetime.timedelta:
    """How far to move a meeting ``years`` years on: to the same weekday nearest the same
    calendar date, staying inside the same part of the fiscal year."""
    if years == 0:
        return datetime.timedelta(0)
    day = start.date()
    try:
        target = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        target = day.replace(year=day.year + years, day=28)
    offset = (day.weekday() - target.weekday()) % 7
    candidate = target + datetime.timedelta(days=offset if offset <= 3 else offset - 7)
    wanted = fiscal_year(day) + years
    while fiscal_year(candidate) < wanted:
        candidate += datetime.timedelta(weeks=1)
    while fiscal_year(candidate) > wanted:
        candidate -= datetime.timedelta(weeks=1)
    return candidate - day


@transaction.atomic
def meeting_set_status(*, meeting: Meeting, status: str, actor: Any) -> Meeting:
    """Move a meeting along draft → open → held. Publishing goes through
    :func:`meeting_publish`. Side effects: one audit entry; the meeting's results page and
    questions leave the search index when it was published."""
    if status not in (MeetingStatus.DRAFT, MeetingStatus.OPEN, MeetingStatus.HELD):
        raise ValidationError({"status": ["この状態には変更できません。"]})
    before = meeting.status
    meeting.status = status
    meeting.updated_at = timezone.now()
    meeting.save(update_fields=["status", "updated_at"])
    _reindex(meeting)
    audit.record(
        actor=actor, action="meeting.status", obj=meeting, changes={"status": [before, status]}
    )
    return meeting


@transaction.atomic
def meeting_publish(
    *, meeting: Meeting, actor: Any, published_at: datetime.datetime | None = None
) -> Revision:
    """Render the results page from the record and keep it as a new revision; the public
    page shows the latest revision. ``published_at`` is for entering past meetings, whose
    pages were published long ago. Side effects: status becomes published; the PDF of the
    page is rendered by the task worker after commit; the results page and the meeting's
    questions are indexed for the search; one audit entry."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    results = queries.results_context(meeting, as_result=True)
    last = meeting.revisions.aggregate(last=Max("number"))["last"] or 0
    revision = Revision.objects.create(
        meeting=meeting,
        number=last + 1,
        published_at=published_at or timezone.now(),
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        title=meeting.display_title,
        body_html=render_to_string("meetings/_results_body.html", results),
        attendee_count=results["attendee_count"],
    )
    meeting.status = MeetingStatus.PUBLISHED
    meeting.updated_at = timezone.now()
    meeting.save(update_fields=["status", "updated_at"])
    transaction.on_commit(functools.partial(render_results_pdf.enqueue, revision_id=revision.pk))
    _reindex(meeting)
    audit.record(
        actor=actor, action="meeting.publish", obj=meeting, changes={"revision": revision.number}
    )
    return revision


def _reindex(meeting: Meeting) -> None:
    """Refresh the meeting's results page in the search index and its questions, whose
    answers are public only on a published meeting and which show its title, year and
    date."""
    search_index.refresh(search.KIND, [meeting.pk])
    search_index.refresh(search.QA_KIND, meeting.questions.values_list("pk", flat=True))


def attachment_add(*, meeting: Meeting, title: str, upload: File[bytes], actor: Any) -> Attachment:
    """Keep a PDF material of a meeting, after the list of materials. The file is stored
    under a random name; its content must already have been checked (forms.AttachmentForm).
    Side effects: a file in the media storage; one audit entry."""
    attachment = Attachment(meeting=meeting, title=title, size=upload.size or 0)
    attachment.file.save(f"{uuid.uuid4().hex}.pdf", upload, save=False)
    try:
        with transaction.atomic():
            # Locking the meeting numbers two uploads at the same moment one after the other.
            Meeting.objects.select_for_update().filter(pk=meeting.pk).exists()
            last = meeting.attachments.aggregate(last=Max("order"))["last"]
            attachment.order = (last or 0) + 1
            attachment.save()
            audit.record(
                actor=actor,
                action="meeting.attachment_add",
                obj=meeting,
                changes={"title": title, "size": attachment.size},
            )
    except BaseException:
        attachment.file.storage.delete(str(attachment.file.name))
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: Any) -> None:
    """Remove a material. Side effects: the file is deleted after commit; one audit entry."""
    name = str(attachment.file.name)
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(functools.partial(storage.delete, name))
    audit.record(
        actor=actor,
        action="meeting.attachment_remove",
        obj=attachment.meeting,
        changes={"title": attachment.title},
    )


# --- Invitation, registration, attendance ------------------------------------------------


@transaction.atomic
def meeting_invite(*, meeting: Meeting, actor: Any) -> tuple[int, list[Organisation]]:
    """Invite every current member organisation by e-mail, sent by the task worker after the
    transaction commits. Addresses already invited are not mailed twice. Returns how many
    messages were queued and the members that have no address to invite.
    Side effects: Invitation rows, queued mail, one audit entry."""
    queued = 0
    without_address: list[Organisation] = []
    already = set(meeting.invitations.values_list("organisation_id", "email"))
    subject = f"【ご案内】{meeting.display_title}"
    body = render_to_string(
        "meetings/mail/invitation.txt",
        {"meeting": meeting, "url": site_url(meeting.get_absolute_url())},
    )
    for organisation, addresses in queries.invitation_recipients(meeting):
        if not addresses:
            without_address.append(organisation)
        for address in addresses:
            if (organisation.pk, address) in already:
                continue
            Invitation.objects.create(
                meeting=meeting, organisation=organisation, email=address, sent_at=timezone.now()
            )
            transaction.on_commit(
                functools.partial(send_mail.enqueue, subject=subject, body=body, to=[address])
            )
            queued += 1
    audit.record(actor=actor, action="meeting.invite", obj=meeting, changes={"queued": queued})
    return queued, without_address


def _registration_errors(
    meeting: Meeting, organisation: Organisation, count: int, now: datetime.datetime
) -> list[str]:
    errors: list[str] = []
    if meeting.status != MeetingStatus.OPEN:
        errors.append("この会議は参加申込を受け付けていません。")
    if meeting.registration_deadline and now > meeting.registration_deadline:
        deadline = timezone.localtime(meeting.registration_deadline)
        errors.append(
            f"申込の締切({deadline:%Y年%-m月%-d日 %-H時%M分})を過ぎているため、申込できません。"
            "事務局へお問い合わせください。"
        )
    if meeting.capacity is not None:
        others = queries.registered_count(meeting, excluding=organisation)
        if others + count > meeting.capacity:
            left = max(meeting.capacity - others, 0)
            errors.append(
                f"定員({meeting.capacity}名)を超えるため申込できません。"
                f"この団体から申し込めるのはあと{left}名です。"
            )
    return errors


def _grouping_errors(meeting: Meeting, attendees: Sequence[Mapping[str, Any]]) -> list[str]:
    """Answers to the grouping question must be among its choices (or left blank)."""
    offered = set(meeting.grouping_choices) if meeting.grouping_label else set()
    refused = [
        str(a["grouping_answer"])
        for a in attendees
        if a.get("grouping_answer") and a["grouping_answer"] not in offered
    ]
    if not refused:
        return []
    if not meeting.grouping_label:
        return ["この会議にはグループ分けの質問がありません。"]
    return [
        f"「{meeting.grouping_label}」の回答「{answer}」は選択肢にありません。"
        f"選択肢: {'、'.join(meeting.grouping_choices)}"
        for answer in dict.fromkeys(refused)
    ]


@transaction.atomic
def registration_submit(
    *,
    meeting: Meeting,
    organisation: Organisation,
    attendees: Sequence[Mapping[str, Any]],
    actor: Any,
) -> Registration:
    """Register (or re-register) an organisation's attendees. The meeting row is locked so
    two organisations cannot both take the last seats. After the deadline, beyond capacity or
    when the meeting is not open the registration is refused and nothing changes.
    Side effects: the organisation's previous attendee list is replaced; a confirmation with
    the meeting's .ics is queued for every attendee with an address; one audit entry."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not attendees:
        raise ValidationError("参加者を1名以上入力してください。")
    errors = _registration_errors(locked, organisation, len(attendees), timezone.now())
    errors += _grouping_errors(locked, attendees)
    if errors:
        raise ValidationError(errors)
    registration, created = Registration.objects.get_or_create(
        meeting=locked, organisation=organisation, defaults={"registered_by": actor}
    )
    registration.attendees.all().delete()
    users = {
        user.email: user
        for user in User.objects.filter(
            email__in=[a.get("email") for a in attendees if a.get("email")]
        )
    }
    rows = []
    for values in attendees:
        attendee = Attendee(
            registration=registration,
            name=values["name"],
            department=values.get("department", ""),
            email=values.get("email", ""),
            mode=values["mode"],
            grouping_answer=values.get("grouping_answer", ""),
            user=users.get(values.get("email", "").lower()),
        )
        attendee.full_clean(exclude=["registration"])
        rows.append(attendee)
    Attendee.objects.bulk_create(rows)
    body = render_to_string(
        "meetings/mail/registration.txt",
        {
            "meeting": locked,
            "organisation": organisation,
            "attendees": rows,
            "url": site_url(locked.get_absolute_url()),
        },
    )
    # The join URL travels only to the attendees' own addresses; the person who registered
    # them gets the same confirmation with an .ics without it.
    attendee_addresses = {a.email.lower() for a in rows if a.email}
    actor_address = (getattr(actor, "email", "") or "").lower()
    recipients = [(address, True) for address in sorted(attendee_addresses)]
    if actor_address and actor_address not in attendee_addresses:
        recipients.append((actor_address, False))
    for address, with_join_url in recipients:
        ics = queries.meeting_ics(locked, with_join_url=with_join_url)
        transaction.on_commit(
            functools.partial(
                send_mail.enqueue,
                subject=f"【参加申込の受付】{locked.display_title}",
                body=body,
                to=[address],
                attachments=[("meeting.ics", ics, "text/calendar")],
            )
        )
    audit.record(
        actor=actor,
        action="registration.create" if created else "registration.update",
        obj=registration,
        changes={"attendees": [a.name for a in rows]},
    )
    return registration


@transaction.atomic
def attendance_record(*, meeting: Meeting, attended_ids: set[int], actor: Any) -> int:
    """Mark who attended on the day; everyone else registered is marked absent. Returns the
    number present. Side effects: one audit entry."""
    attendees = Attendee.objects.filter(registration__meeting=meeting)
    attendees.filter(pk__in=attended_ids).update(attended=True)
    attendees.exclude(pk__in=attended_ids).update(attended=False)
    present = attendees.filter(attended=True).count()
    audit.record(
        actor=actor, action="meeting.attendance", obj=meeting, changes={"present": present}
    )
    return present
