"""Input validation of meetings: the record and registration (meeting.py), questions and
answers (questions.py), breakout groups (breakout.py)."""

from kyodo.meetings.forms.breakout import (
    AssignForm,
    BreakoutForm,
    GroupForm,
    LockForm,
    MoveForm,
    SwapForm,
)
from kyodo.meetings.forms.meeting import (
    KIND_SUGGESTIONS,
    ROLE_SUGGESTIONS,
    AttachmentForm,
    AttendeeFormSet,
    CopyForm,
    MeetingEditor,
    OrganisationChoiceForm,
    StatusForm,
    suggested,
)
from kyodo.meetings.forms.questions import MergeForm, ModerationForm, QuestionForm

__all__ = [
    "KIND_SUGGESTIONS",
    "ROLE_SUGGESTIONS",
    "AssignForm",
    "AttachmentForm",
    "AttendeeFormSet",
    "BreakoutForm",
    "CopyForm",
    "GroupForm",
    "LockForm",
    "MeetingEditor",
    "MergeForm",
    "ModerationForm",
    "MoveForm",
    "OrganisationChoiceForm",
    "QuestionForm",
    "StatusForm",
    "SwapForm",
    "suggested",
]
