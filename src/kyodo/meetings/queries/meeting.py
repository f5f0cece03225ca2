"""Reads of meetings: the record, the results page, the year plan, registration and
invitations, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from icalendar import Calendar, Event

from kyodo.core.dates import format_datetime_range
from kyodo.core.numbering import outline_label
from kyodo.directory.models import (
    Membership,
    MembershipRole,
    Network,
    Organisation,
    OrganisationKind,
)
from kyodo.directory.rules import roles_of
from kyodo.meetings.models import (
    Attachment,
    Attendee,
    Meeting,
    MeetingStatus,
    ProgrammeItem,
    Registration,
    Revision,
    Section,
)
from kyodo.meetings.queries.breakout import published_breakout_notes
from kyodo.meetings.queries.questions import published_questions
from kyodo.meetings.rules import is_registered_attendee
from kyodo.surveys import queries as survey_queries


def meeting_by_pk(pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("network__secretariat__parent", "questionnaire"), pk=pk
    )


def meeting_with_parts(pk: int, **parts: int) -> Meeting:
    """The meeting of a URL that also names parts of it (a revision, an attachment, a
    question, a breakout session and group), kept in ``requested_parts``: the views look the
    parts up only after the permission check on the meeting."""
    meeting = meeting_by_pk(pk)
    meeting.requested_parts = parts  # type: ignore[attr-defined]
    return meeting


def requested_part(meeting: Meeting, name: str) -> int:
    """A part named by the URL of a meeting loaded by :func:`meeting_with_parts`."""
    parts: dict[str, int] = meeting.requested_parts  # type: ignore[attr-defined]
    return parts[name]


def latest_revision(meeting: Meeting) -> Revision | None:
    return meeting.revisions.order_by("-number").first()


@dataclass
class ProgrammeNode:
    label: str
    title: str
    is_breakout: bool
    note: str
    children: list[ProgrammeNode] = field(default_factory=list)


def programme_tree(items: list[ProgrammeItem]) -> list[ProgrammeNode]:
    """Nest the flat list of items and give each its outline label (1. / (1) / ア)."""
    by_parent: dict[int | None, list[ProgrammeItem]] = defaultdict(list)
    for item in sorted(items, key=lambda item: (item.order, item.pk)):
        by_parent[item.parent_id].append(item)

    def build(parent: int | None, depth: int) -> list[ProgrammeNode]:
        return [
            ProgrammeNode(
                label=outline_label(depth, index),
                title=item.title,
                is_breakout=item.is_breakout,
                note=item.note,
                children=build(item.pk, depth + 1),
            )
            for index, item in enumerate(by_parent[parent], start=1)
        ]

    return build(None, 0)


def attended_count(meeting: Meeting) -> int:
    return Attendee.objects.filter(registration__meeting=meeting, attended=True).count()


def results_context(meeting: Meeting, *, as_result: bool = False) -> dict[str, Any]:
    """Everything the results page is rendered from, read in a fixed number of queries.
    ``as_result`` words the page as a report of a meeting held (publication); otherwise it
    reads as an announcement until the meeting is marked held."""
    meeting = (
        Meeting.objects.select_related("network", "questionnaire")
        .prefetch_related(
            "venues", "people", "programme_items", "sections", "footnotes", "attachments"
        )
        .get(pk=meeting.pk)
    )
    sections: dict[str, list[Section]] = defaultdict(list)
    for section in meeting.sections.all():
        sections[section.placement].append(section)
    manual = meeting.attendee_count_manual
    attendee_count = manual if manual is not None else attended_count(meeting)
    venues = list(meeting.venues.all())
    people = list(meeting.people.all())
    # The numbered facts, in the order and wording of the published results.
    facts: list[tuple[str, list[str]]] = [
        ("日時", [format_datetime_range(meeting.starts_at, meeting.ends_at)]),
        ("場所", ["、".join(venue.label for venue in venues)] if venues else []),
        ("講師等", [f"{person.role}:{person.label}" for person in people]),
        ("内容", [meeting.content] if meeting.content else []),
        ("テーマ", [meeting.theme] if meeting.theme else []),
        (
            "出席者",
            [
                f"{attendee_count}名"
                + (f"({meeting.attendee_description})" if meeting.attendee_description else "")
            ]
            if attendee_count
            else [],
        ),
    ]
    return {
        "meeting": meeting,
        "network": meeting.network,
        "questionnaire": (
            survey_queries.summary(meeting.questionnaire, on_results_only=True)
            if meeting.questionnaire
            else None
        ),
        "is_result": as_result or meeting.status in (MeetingStatus.HELD, MeetingStatus.PUBLISHED),
        "facts": [
            (outline_label(0, index), label, lines)
            for index, (label, lines) in enumerate(
                [(label, lines) for label, lines in facts if lines], start=1
            )
        ],
        "online_tools": sorted({v.online_tool for v in venues if v.online_tool}),
        "attendee_count": attendee_count,
        "attendee_count_is_manual": manual is not None,
        "programme": programme_tree(list(meeting.programme_items.all())),
        "sections": dict(sections),
        "footnotes": list(meeting.footnotes.all()),
        "attachments": list(meeting.attachments.all()),
        "questions": published_questions(meeting),
        "breakout_notes": published_breakout_notes(meeting),
    }


def year_plan(network: Network, fiscal_year: int, *, include_unpublished: bool) -> list[Meeting]:
    meetings = Meeting.objects.in_fiscal_year(network, fiscal_year)
    if not include_unpublished:
        meetings = meetings.filter(status=MeetingStatus.PUBLISHED)
    return list(
        meetings.annotate(
            registered=Count("registrations__attendees", distinct=True),
            attended=Count(
                "registrations__attendees",
                filter=Q(registrations__attendees__attended=True),
                distinct=True,
            ),
        )
        .prefetch_related(Prefetch("venues"))
        .order_by("starts_at", "kind", "ordinal")
    )


def next_ordinal(network: Network, fiscal_year: int, kind: str) -> int:
    """The next 第N回 of a kind of meeting in a fiscal year."""
    last = Meeting.objects.filter(network=network, fiscal_year=fiscal_year, kind=kind).aggregate(
        last=Max("ordinal")
    )["last"]
    return (last or 0) + 1


def fiscal_years_with_meetings(network: Network, *, include_unpublished: bool) -> list[int]:
    meetings = Meeting.objects.filter(network=network)
    if not include_unpublished:
        meetings = meetings.filter(status=MeetingStatus.PUBLISHED)
    return list(meetings.values_list("fiscal_year", flat=True).distinct().order_by("-fiscal_year"))


RECORD_PREFETCH = ("venues", "people", "programme_items", "sections", "footnotes")


def meetings_for_records() -> QuerySet[Meeting]:
    """Meetings with everything :func:`record_of` reads, in a fixed number of queries."""
    return Meeting.objects.select_related("network").prefetch_related(*RECORD_PREFETCH)


def meeting_record(meeting: Meeting) -> dict[str, Any]:
    """The meeting as JSON-ready data: the shape the API reads and writes, so an export can
    be imported again without loss."""
    return record_of(meetings_for_records().get(pk=meeting.pk))


def registered_meeting_ids(user: Any, meeting_ids: list[int]) -> set[int]:
    """Of these meetings, those the user is a registered attendee of (one query)."""
    if not getattr(user, "is_authenticated", False) or not meeting_ids:
        return set()
    return set(
        Attendee.objects.filter(registration__meeting_id__in=meeting_ids, user=user).values_list(
            "registration__meeting_id", flat=True
        )
    )


def record_of(meeting: Meeting) -> dict[str, Any]:
    """The record of a meeting fetched with :func:`meetings_for_records`."""
    by_parent: dict[int | None, list[ProgrammeItem]] = defaultdict(list)
    for item in sorted(meeting.programme_items.all(), key=lambda item: (item.order, item.pk)):
        by_parent[item.parent_id].append(item)

    def programme(parent: int | None) -> list[dict[str, Any]]:
        return [
            {
                "title": item.title,
                "is_breakout": item.is_breakout,
                "note": item.note,
                "children": programme(item.pk),
            }
            for item in by_parent[parent]
        ]

    def when(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": meeting.pk,
        "network": meeting.network.slug,
        "fiscal_year": meeting.fiscal_year,
        "ordinal": meeting.ordinal,
        "kind": meeting.kind,
        "title": meeting.title,
        "display_title": meeting.display_title,
        "starts_at": when(meeting.starts_at),
        "ends_at": when(meeting.ends_at),
        "theme": meeting.theme,
        "content": meeting.content,
        "attendee_description": meeting.attendee_description,
        "attendee_count_manual": meeting.attendee_count_manual,
        "capacity": meeting.capacity,
        "registration_deadline": when(meeting.registration_deadline),
        "grouping_label": meeting.grouping_label,
        "grouping_choices": list(meeting.grouping_choices),
        "status": meeting.status,
        "venues": [
            {
                "kind": venue.kind,
                "name": venue.name,
                "address": venue.address,
                "online_tool": venue.online_tool,
                "join_url": venue.join_url,
            }
            for venue in meeting.venues.all()
        ],
        "people": [
            {
                "role": person.role,
                "name": person.name,
                "affiliation": person.affiliation,
                "organisation": person.organisation_id,
                "person": person.person_id,
            }
            for person in meeting.people.all()
        ],
        "programme": programme(None),
        "sections": [
            {"placement": s.placement, "heading": s.heading, "body": s.body}
            for s in meeting.sections.all()
        ],
        "footnotes": [
            {"number": note.number, "term": note.term, "text": note.text}
            for note in meeting.footnotes.all()
        ],
    }


def revision(meeting: Meeting, number: int) -> Revision:
    return get_object_or_404(Revision, meeting=meeting, number=number)


def attachment(meeting: Meeting, pk: int) -> Attachment:
    return get_object_or_404(Attachment, meeting=meeting, pk=pk)


def join_venues(meeting: Meeting, user: Any, *, manages: bool) -> list[Any]:
    """Online venues with their join URL, only for the organisers and registered attendees."""
    if not manages and not is_registered_attendee(user, meeting):
        return []
    return [venue for venue in meeting.venues.all() if venue.join_url]


def registrable_organisations(meeting: Meeting, user: Any) -> list[Organisation]:
    """The member organisations the user may register attendees for: those where they are
    staff, officer or contact, or whose responsible department they work in."""
    org_ids = roles_of(user).acting_org_ids
    if not org_ids:
        return []
    return list(
        Organisation.objects.filter(
            pk__in=org_ids,
            network_memberships__network_id=meeting.network_id,
            network_memberships__left_on__isnull=True,
        )
        .distinct()
        .order_by("lgcode", "name")
    )


def registration_for(meeting: Meeting, organisation: Organisation) -> Registration | None:
    return (
        Registration.objects.filter(meeting=meeting, organisation=organisation)
        .prefetch_related("attendees")
        .first()
    )


def registered_count(meeting: Meeting, *, excluding: Organisation | None = None) -> int:
    attendees = Attendee.objects.filter(registration__meeting=meeting)
    if excluding is not None:
        attendees = attendees.exclude(registration__organisation=excluding)
    return attendees.count()


def attendance_sheet(meeting: Meeting) -> list[Registration]:
    return list(
        meeting.registrations.select_related("organisation")
        .prefetch_related("attendees")
        .order_by("organisation__lgcode", "organisation__name")
    )


def invitation_recipients(meeting: Meeting) -> list[tuple[Organisation, list[str]]]:
    """Each current member organisation with the addresses its invitation goes to: the
    organisation's own address, and its (and its departments') current staff and contacts."""
    members = list(
        Organisation.objects.filter(
            network_memberships__network_id=meeting.network_id,
            network_memberships__left_on__isnull=True,
        ).order_by("lgcode", "name")
    )
    people = (
        Membership.objects.current()
        .filter(
            Q(organisation__in=members)
            | Q(organisation__parent__in=members, organisation__kind=OrganisationKind.DEPARTMENT),
            role__in=[MembershipRole.STAFF, MembershipRole.CONTACT],
        )
        .exclude(person__email="")
        .values_list("organisation_id", "organisation__parent_id", "person__email")
    )
    addresses: dict[int, set[str]] = defaultdict(set)
    member_ids = {org.pk for org in members}
    for org_id, parent_id, email in people:
        owner = org_id if org_id in member_ids else parent_id
        if owner is not None:
            addresses[owner].add(email)
    for org in members:
        if org.email:
            addresses[org.pk].add(org.email)
    return [(org, sorted(addresses[org.pk])) for org in members]


def meeting_ics(meeting: Meeting, *, with_join_url: bool) -> str:
    """The meeting as an iCalendar (RFC 5545) event."""
    calendar = Calendar()
    calendar.add("prodid", "-//kyodo//meetings//JA")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@kyodo")
    event.add("summary", meeting.display_title)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("dtstamp", meeting.updated_at)
    venues = list(meeting.venues.all())
    if venues:
        event.add("location", "、".join(venue.label for venue in venues))
    lines = [f"テーマ: {meeting.theme}"] if meeting.theme else []
    if with_join_url:
        lines += [f"参加用URL: {venue.join_url}" for venue in venues if venue.join_url]
    if lines:
        event.add("description", "\n".join(lines))
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical.decode()
