"""The meeting's questionnaire: created and sent from the meeting; built, followed and
exported on the questionnaire's own pages (kyodo.surveys)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from kyodo.core.permissions import requires_object
from kyodo.meetings import queries, services
from kyodo.meetings.models import Meeting


@require_POST
@requires_object("meetings.change_meeting", load=queries.meeting_by_pk)
def questionnaire_create(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    try:
        survey = services.meeting_questionnaire_create(meeting=meeting, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(meeting.get_absolute_url())
    messages.success(request, "アンケートを作りました。質問を確かめて保存してください。")
    return redirect("surveys:edit", pk=survey.pk)


@require_POST
@requires_object("meetings.change_meeting", load=queries.meeting_by_pk)
def questionnaire_send(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    try:
        queued, without = services.meeting_questionnaire_send(meeting=meeting, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        text = f"アンケートの依頼を{queued}名に送信します。"
        if without:
            text += (
                f"メールアドレスのない参加者が{without}名います。"
                "回答用リンクを別にお知らせください。"
            )
        messages.success(request, text)
    return redirect(meeting.get_absolute_url())
