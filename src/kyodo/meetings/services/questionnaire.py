"""The meeting's questionnaire (会議終了時のアンケート), built on the questionnaire engine."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kyodo.core import audit
from kyodo.meetings.models import Attendee, Meeting
from kyodo.surveys import services as surveys
from kyodo.surveys.models import QuestionKind, Survey

# Programme items that are not content an attendee would rate.
CEREMONY_WORDS = ("開会", "閉会", "あいさつ", "挨拶")
FALLBACK_PARTS = ["講演", "事例紹介", "グループワーク", "質疑応答"]


def default_questions(meeting: Meeting) -> list[dict[str, Any]]:
    """The questions the network usually asks at the end of a meeting; the parts of the
    programme become the options of 「参考になった内容」."""
    parts = [
        item.title
        for item in meeting.programme_items.filter(parent__isnull=True).order_by("order")
        if not any(word in item.title for word in CEREMONY_WORDS)
    ]
    return [
        {
            "kind": QuestionKind.SCALE,
            "text": "本日の会議はいかがでしたか",
            "required": True,
            "scale_low": "不満",
            "scale_high": "満足",
            "on_results": True,
        },
        {
            "kind": QuestionKind.MULTIPLE,
            "text": "参考になった内容を選んでください",
            "options": list(dict.fromkeys(parts)) if len(set(parts)) >= 2 else FALLBACK_PARTS,
            "on_results": True,
        },
        {"kind": QuestionKind.LONG_TEXT, "text": "今後取り上げてほしいテーマ"},
        {
            "kind": QuestionKind.LONG_TEXT,
            "text": "感想・ご意見",
            "help_text": (
                "結果のページに掲載することがあります。個人が特定される内容は書かないでください。"
            ),
            "on_results": True,
        },
    ]


@transaction.atomic
def meeting_questionnaire_create(*, meeting: Meeting, actor: Any) -> Survey:
    """Give the meeting its questionnaire, run by the network's secretariat, with the usual
    questions to adjust. Side effects: audit entries."""
    meeting = Meeting.objects.select_for_update().select_related("network").get(pk=meeting.pk)
    if meeting.questionnaire_id:
        raise ValidationError("この会議にはすでにアンケートがあります。")
    survey = surveys.survey_create(
        owner=meeting.network.secretariat,
        title=f"{meeting.display_title} アンケート",
        description=(
            "本日はご参加いただき、ありがとうございました。"
            "今後の会議の参考にするため、アンケートへのご協力をお願いします。"
        ),
        questions=default_questions(meeting),
        actor=actor,
    )
    meeting.questionnaire = survey
    meeting.save(update_fields=["questionnaire"])
    audit.record(
        actor=actor,
        action="meeting.questionnaire_create",
        obj=meeting,
        changes={"survey": survey.pk},
    )
    return survey


@transaction.atomic
def meeting_questionnaire_send(*, meeting: Meeting, actor: Any) -> tuple[int, int]:
    """Ask every attendee not marked absent, by e-mail with a private link, sent by the task
    worker after commit; attendees asked before are not asked again. Returns (messages
    queued, attendees without an address). Side effects: respondents, queued mail, audit."""
    meeting = Meeting.objects.select_related("questionnaire").get(pk=meeting.pk)
    survey = meeting.questionnaire
    if survey is None:
        raise ValidationError("この会議にはアンケートがありません。")
    attendees = (
        Attendee.objects.filter(registration__meeting=meeting)
        .exclude(attended=False)
        .select_related("registration")
        .order_by("pk")
    )
    surveys.respondents_add(
        survey=survey,
        people=[
            {
                "name": attendee.name,
                "email": attendee.email,
                "organisation": attendee.registration.organisation,
                "user": attendee.user,
                "source": f"meetings.attendee:{attendee.pk}",
            }
            for attendee in attendees
        ],
        actor=actor,
    )
    queued = surveys.survey_request(survey=survey, actor=actor, context={"meeting": meeting})
    without = survey.respondents.filter(email="").count()
    return queued, without
