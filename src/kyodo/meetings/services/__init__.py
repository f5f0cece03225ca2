"""Every write to meetings. Keyword-only, atomic, audited: the record, publication,
invitation and registration (meeting.py); questions and answers (questions.py); the
questionnaire (questionnaire.py); breakout groups (breakout.py)."""

from kyodo.meetings.services.breakout import (
    BreakoutRefusedError,
    breakout_assign,
    breakout_create,
    breakout_delete,
    breakout_group_update,
    breakout_lock,
    breakout_move,
    breakout_swap,
)
from kyodo.meetings.services.meeting import (
    RecordError,
    attachment_add,
    attachment_remove,
    attendance_record,
    meeting_copy,
    meeting_invite,
    meeting_publish,
    meeting_save_record,
    meeting_set_status,
    registration_submit,
)
from kyodo.meetings.services.questionnaire import (
    meeting_questionnaire_create,
    meeting_questionnaire_send,
)
from kyodo.meetings.services.questions import (
    MODERATED_FIELDS,
    QuestionRefusedError,
    question_merge,
    question_moderate,
    question_submit,
    question_vote,
)

__all__ = [
    "MODERATED_FIELDS",
    "BreakoutRefusedError",
    "QuestionRefusedError",
    "RecordError",
    "attachment_add",
    "attachment_remove",
    "attendance_record",
    "breakout_assign",
    "breakout_create",
    "breakout_delete",
    "breakout_group_update",
    "breakout_lock",
    "breakout_move",
    "breakout_swap",
    "meeting_copy",
    "meeting_invite",
    "meeting_publish",
    "meeting_questionnaire_create",
    "meeting_questionnaire_send",
    "meeting_save_record",
    "meeting_set_status",
    "question_merge",
    "question_moderate",
    "question_submit",
    "question_vote",
    "registration_submit",
]
