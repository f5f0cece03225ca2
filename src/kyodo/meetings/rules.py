"""Who may see and manage meetings. Roles come from kyodo.directory.rules."""

from __future__ import annotations

from typing import Any

import rules

from kyodo.directory.models import Network
from kyodo.directory.rules import (
    is_secretariat_of_network,
    is_site_admin,
    member_network_ids,
    roles_of,
)
from kyodo.meetings.models import Attendee, Meeting, MeetingStatus


@rules.predicate
def is_published(user: Any, meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.status == MeetingStatus.PUBLISHED


@rules.predicate
def is_meeting_secretariat(user: Any, meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.network_id in roles_of(user).secretariat_network_ids


@rules.predicate
def is_invited_member(user: Any, meeting: Meeting | None) -> bool:
    """Staff, officers and contacts of the network's member organisations see meetings once
    they are open for registration."""
    if meeting is None or meeting.status == MeetingStatus.DRAFT:
        return False
    return meeting.network_id in member_network_ids(user)


@rules.predicate
def manages_network_meetings(user: Any, network: Network | None) -> bool:
    return bool(is_site_admin(user) or is_secretariat_of_network(user, network))


@rules.predicate
def is_draft(user: Any, meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.status == MeetingStatus.DRAFT


@rules.predicate
def is_open_for_registration(user: Any, meeting: Meeting | None) -> bool:
    return meeting is not None and meeting.status == MeetingStatus.OPEN


@rules.predicate
def is_registered_attendee(user: Any, meeting: Meeting | None) -> bool:
    """The user is among the attendees registered for the meeting (once per user object)."""
    if meeting is None or not getattr(user, "is_authenticated", False):
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_kyodo_attending", {})
    if meeting.pk not in cache:
        cache[meeting.pk] = Attendee.objects.filter(
            registration__meeting=meeting, user=user
        ).exists()
    return cache[meeting.pk]


@rules.predicate
def takes_questions(user: Any, meeting: Meeting | None) -> bool:
    """Questions are asked before and during the meeting, until it is marked held."""
    return meeting is not None and meeting.status in (MeetingStatus.OPEN, MeetingStatus.HELD)


can_manage_meeting = is_site_admin | is_meeting_secretariat

rules.add_perm("meetings.view_meeting", is_published | can_manage_meeting | is_invited_member)
rules.add_perm("meetings.change_meeting", can_manage_meeting)
rules.add_perm("meetings.view_revisions", can_manage_meeting)
rules.add_perm("meetings.register", is_open_for_registration & is_invited_member)
rules.add_perm("meetings.manage_attendance", can_manage_meeting)
rules.add_perm("meetings.manage_network_meetings", manages_network_meetings)
rules.add_perm("meetings.view_questions", can_manage_meeting | (is_registered_attendee & ~is_draft))
rules.add_perm(
    "meetings.ask_question", takes_questions & (is_registered_attendee | can_manage_meeting)
)
rules.add_perm("meetings.vote_question", takes_questions & is_registered_attendee)
rules.add_perm("meetings.moderate_questions", can_manage_meeting)
rules.add_perm("meetings.manage_breakouts", can_manage_meeting)
