"""Input validation of meetings: the record and registration (meeting.py), questions and
answers (questions.py)."""

from kyodo.meetings.forms.meeting import (
    KIND_SUGGESTIONS,
    ROLE_SUGGESTIONS,
    AttachmentForm,
    AttendeeFormSet,
    CopyForm,
    MeetingEditor,
    OrganisationChoiceForm,
    StatusForm,
    model_fields,
    suggested,
)
from kyodo.meetings.forms.questions import MergeForm, ModerationForm, QuestionForm

__all__ = [
    "KIND_SUGGESTIONS",
    "ROLE_SUGGESTIONS",
    "AttachmentForm",
    "AttendeeFormSet",
    "CopyForm",
    "MeetingEditor",
    "MergeForm",
    "ModerationForm",
    "OrganisationChoiceForm",
    "QuestionForm",
    "StatusForm",
    "model_fields",
    "suggested",
]
