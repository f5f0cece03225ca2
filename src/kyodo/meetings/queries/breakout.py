"""Reads of breakout groups: the secretariat's board with its quality figures, Zoom's
pre-assignment rows, and the notes published with the results."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from kyodo.core.exports import inert
from kyodo.directory.models import (
    OrganisationKind,
)
from kyodo.meetings.grouping import (
    Person,
    fewest_pairs,
    pairs_of,
    same_organisation_pairs,
    sizes_of,
)
from kyodo.meetings.models import (
    Attendee,
    BreakoutGroup,
    BreakoutMode,
    BreakoutSession,
    Meeting,
)


def breakout_person(attendee: Attendee) -> Person:
    """What the grouping needs to know of an attendee (with registration__organisation)."""
    organisation = attendee.registration.organisation
    region = organisation.regional_office_id
    if region is None and organisation.kind == OrganisationKind.REGIONAL_OFFICE:
        region = organisation.pk
    return Person(
        key=attendee.pk,
        organisation=organisation.pk,
        region=region,
        # Municipalities spread by size (市・町・村); other bodies by their kind.
        kind=organisation.municipality_type or organisation.kind,
        value=attendee.grouping_answer,
    )


def _meeting_attendees(meeting: Meeting) -> list[Attendee]:
    return list(
        Attendee.objects.filter(registration__meeting=meeting)
        .select_related("registration__organisation")
        .order_by("registration__organisation__lgcode", "registration__organisation__name", "pk")
    )


def breakout_people(meeting: Meeting) -> list[tuple[Attendee, Person]]:
    """The attendees groups are formed from: everyone registered but those marked absent."""
    return [
        (attendee, breakout_person(attendee))
        for attendee in _meeting_attendees(meeting)
        if attendee.attended is not False
    ]


def breakout_sessions(meeting: Meeting) -> list[BreakoutSession]:
    return list(
        meeting.breakout_sessions.annotate(
            member_count=Count("members", distinct=True),
            published_count=Count("groups", filter=Q(groups__notes_published=True), distinct=True),
        ).order_by("created_at", "pk")
    )


def breakout_session(meeting: Meeting, pk: int) -> BreakoutSession:
    return get_object_or_404(
        BreakoutSession.objects.select_related("meeting"), meeting=meeting, pk=pk
    )


def breakout_group(session: BreakoutSession, pk: int) -> BreakoutGroup:
    return get_object_or_404(BreakoutGroup, session=session, pk=pk)


def breakout_attendee(meeting: Meeting, pk: Any) -> Attendee | None:
    """An attendee of this meeting, or None (also for a number that is no attendee's)."""
    return (
        Attendee.objects.filter(registration__meeting=meeting, pk=pk)
        .select_related("registration")
        .first()
    )


@dataclass
class BoardMember:
    attendee: Attendee
    locked: bool
    role: str
    shares_organisation: bool


@dataclass
class BoardGroup:
    group: BreakoutGroup
    members: list[BoardMember]
    same_organisation_pairs: int


@dataclass
class Board:
    """A session's groups as the secretariat works on them, with the figures of quality."""

    session: BreakoutSession
    groups: list[BoardGroup]
    unassigned: list[Attendee]
    attendees: list[Attendee]
    without_email: list[Attendee]
    sizes: list[int]
    same_organisation_pairs: int
    fewest_pairs: int
    other_answer: int

    @property
    def member_count(self) -> int:
        return sum(self.sizes)

    @property
    def smallest(self) -> int:
        return min(self.sizes, default=0)

    @property
    def largest(self) -> int:
        return max(self.sizes, default=0)


def breakout_board(session: BreakoutSession) -> Board:
    """The session's groups, members, unassigned attendees and quality figures, in three
    queries whatever the number of groups and attendees."""
    groups = list(session.groups.order_by("position"))
    placed = {
        attendee_id: (group_id, locked)
        for attendee_id, group_id, locked in session.members.values_list(
            "attendee_id", "group_id", "locked"
        )
    }
    attendees = _meeting_attendees(session.meeting)
    people = {attendee.pk: breakout_person(attendee) for attendee in attendees}
    position = {group.pk: index for index, group in enumerate(groups)}
    group_of = {key: position[group_id] for key, (group_id, _locked) in placed.items()}
    by_group: dict[int, list[Attendee]] = defaultdict(list)
    for attendee in attendees:
        if attendee.pk in placed:
            by_group[placed[attendee.pk][0]].append(attendee)
    board_groups = []
    for group in groups:
        organisations = Counter(people[a.pk].organisation for a in by_group[group.pk])
        roles = {group.facilitator_id: "ファシリテーター", group.note_taker_id: "記録係"}
        board_groups.append(
            BoardGroup(
                group=group,
                members=[
                    BoardMember(
                        attendee=a,
                        locked=placed[a.pk][1],
                        role=roles.get(a.pk, ""),
                        shares_organisation=organisations[people[a.pk].organisation] > 1,
                    )
                    for a in by_group[group.pk]
                ],
                same_organisation_pairs=pairs_of(organisations.values()),
            )
        )
    assignable = [a for a in attendees if a.attended is not False]
    per_value: Counter[str] = Counter(group.value for group in groups)
    delegations = Counter(
        (
            people[a.pk].value if session.mode == BreakoutMode.ATTRIBUTE else "",
            people[a.pk].organisation,
        )
        for a in assignable
    )
    return Board(
        session=session,
        groups=board_groups,
        unassigned=[a for a in assignable if a.pk not in placed],
        attendees=assignable,
        without_email=[a for a in attendees if a.pk in placed and not a.email],
        sizes=sizes_of(group_of, len(groups)),
        same_organisation_pairs=same_organisation_pairs(list(people.values()), group_of),
        fewest_pairs=sum(
            fewest_pairs(size, per_value[value])
            for (value, _organisation), size in delegations.items()
            if per_value[value]
        ),
        other_answer=sum(
            1
            for key, index in group_of.items()
            if session.mode == BreakoutMode.ATTRIBUTE and people[key].value != groups[index].value
        ),
    )


ZOOM_HEADER = ("Pre-assign Room Name", "Email Address")


def zoom_rows(board: Board) -> list[tuple[str, str]]:
    """Zoom's breakout pre-assignment: a room name and an e-mail address per member who has
    one (Zoom matches the address of the participant's account)."""
    return [
        (inert(entry.group.name), inert(member.attendee.email))
        for entry in board.groups
        for member in entry.members
        if member.attendee.email
    ]


@dataclass
class PublishedNotes:
    title: str
    groups: list[BreakoutGroup]


def published_breakout_notes(meeting: Meeting) -> list[PublishedNotes]:
    """The groups' notes chosen for the results page, by session and group (one query)."""
    sessions: dict[int, PublishedNotes] = {}
    for group in (
        BreakoutGroup.objects.filter(session__meeting=meeting, notes_published=True)
        .select_related("session")
        .order_by("session__created_at", "session__pk", "position")
    ):
        sessions.setdefault(
            group.session_id, PublishedNotes(group.session.title, [])
        ).groups.append(group)
    return list(sessions.values())


def breakout_group_members(group: BreakoutGroup) -> list[Attendee]:
    return list(
        Attendee.objects.filter(pk__in=group.members.values("attendee_id"))
        .select_related("registration__organisation")
        .order_by("pk")
    )
