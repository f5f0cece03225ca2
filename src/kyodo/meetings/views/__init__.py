"""Thin views of meetings: the meeting and its record (meeting.py), questions and answers
(questions.py)."""

from kyodo.meetings.views.meeting import (
    attachment_delete,
    attachment_download,
    meeting_attachments,
    meeting_attendance,
    meeting_copy,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_ics,
    meeting_invite,
    meeting_publish,
    meeting_register,
    meeting_status,
    results_pdf,
    revision_detail,
    year_plan,
    year_plan_current,
)
from kyodo.meetings.views.questions import (
    meeting_questions,
    question_edit,
    question_merge,
    question_vote,
    questions_moderate,
)

__all__ = [
    "attachment_delete",
    "attachment_download",
    "meeting_attachments",
    "meeting_attendance",
    "meeting_copy",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_ics",
    "meeting_invite",
    "meeting_publish",
    "meeting_questions",
    "meeting_register",
    "meeting_status",
    "question_edit",
    "question_merge",
    "question_vote",
    "questions_moderate",
    "results_pdf",
    "revision_detail",
    "year_plan",
    "year_plan_current",
]
