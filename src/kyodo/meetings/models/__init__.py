"""A network's meetings: the record (meeting.py) and what happens inside a meeting:
questions and answers (questions.py), breakout groups (breakout.py)."""

from kyodo.meetings.models.breakout import (
    BreakoutGroup,
    BreakoutMember,
    BreakoutMode,
    BreakoutSession,
)
from kyodo.meetings.models.meeting import (
    Attachment,
    AttendanceMode,
    Attendee,
    Footnote,
    Invitation,
    Meeting,
    MeetingPerson,
    MeetingQuerySet,
    MeetingStatus,
    ProgrammeItem,
    Registration,
    Revision,
    Section,
    Venue,
    VenueKind,
)
from kyodo.meetings.models.questions import Question, QuestionVote

__all__ = [
    "Attachment",
    "AttendanceMode",
    "Attendee",
    "BreakoutGroup",
    "BreakoutMember",
    "BreakoutMode",
    "BreakoutSession",
    "Footnote",
    "Invitation",
    "Meeting",
    "MeetingPerson",
    "MeetingQuerySet",
    "MeetingStatus",
    "ProgrammeItem",
    "Question",
    "QuestionVote",
    "Registration",
    "Revision",
    "Section",
    "Venue",
    "VenueKind",
]
