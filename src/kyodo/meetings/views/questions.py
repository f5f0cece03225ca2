"""Pages of questions and answers (質疑応答): attendees ask and vote, the secretariat
moderates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kyodo.core.permissions import requires_object
from kyodo.core.requests import is_htmx
from kyodo.meetings import queries, services
from kyodo.meetings.forms import MergeForm, ModerationForm, QuestionForm
from kyodo.meetings.models import Meeting


@requires_object("meetings.view_questions", load=queries.meeting_by_pk)
def meeting_questions(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    """Attendees ask and vote; the list refreshes itself every few seconds with htmx, and
    without JavaScript on each visit."""
    form = QuestionForm(request.POST or None)
    refusal = ""
    if request.method == "POST":
        if not request.user.has_perm("meetings.ask_question", meeting):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.question_submit(
                    meeting=meeting,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    hidden=form.cleaned_data["hidden"],
                )
            except services.QuestionRefusedError as error:
                refusal = error.messages[0]
            else:
                messages.success(request, "質問を受け付けました。")
                return redirect("meetings:questions", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return _questions_page(request, meeting, form=form, refusal=refusal, status=status)


def _questions_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    form: QuestionForm,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "meeting": meeting,
        "network": meeting.network,
        "form": form,
        "refusal": refusal,
        "may_ask": request.user.has_perm("meetings.ask_question", meeting),
        "may_vote": request.user.has_perm("meetings.vote_question", meeting),
        "moderates": request.user.has_perm("meetings.moderate_questions", meeting),
        "questions": queries.questions_for_attendee(meeting, request.user),
        "page_title": f"質問 | {meeting.display_title}",
    }
    if is_htmx(request):
        return render(request, "meetings/questions.html#question-list", context, status=status)
    return render(request, "meetings/questions.html", context, status=status)


@require_POST
@requires_object("meetings.vote_question", load=queries.meeting_with_parts)
def question_vote(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    question = queries.question(meeting, queries.requested_part(meeting, "question"))
    if question.hidden and question.asked_by_id != request.user.pk:
        raise Http404
    try:
        services.question_vote(question=question, actor=request.user)
    except services.QuestionRefusedError as error:
        messages.error(request, error.messages[0])
    if is_htmx(request):
        return _questions_page(request, meeting, form=QuestionForm())
    return redirect("meetings:questions", pk=meeting.pk)


@requires_object("meetings.moderate_questions", load=queries.meeting_by_pk)
def questions_moderate(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    context = {
        "meeting": meeting,
        "network": meeting.network,
        "questions": queries.questions_for_moderator(meeting),
        "page_title": f"質問の進行 | {meeting.display_title}",
    }
    if is_htmx(request):
        return render(request, "meetings/moderate.html#moderation-list", context)
    return render(request, "meetings/moderate.html", context)


@requires_object("meetings.moderate_questions", load=queries.meeting_with_parts)
def question_edit(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    question = queries.question(meeting, queries.requested_part(meeting, "question"))
    form = ModerationForm(
        request.POST or None,
        initial={name: getattr(question, name) for name in services.MODERATED_FIELDS},
    )
    merge = MergeForm(question=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_moderate(question=question, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "質問を更新しました。")
            return redirect("meetings:questions_moderate", pk=meeting.pk)
    return render(
        request,
        "meetings/question_edit.html",
        {
            "meeting": meeting,
            "network": meeting.network,
            "question": question,
            "form": form,
            "merge": merge,
            "answerers": [person.label for person in meeting.people.all()],
            "page_title": "質問の編集と回答",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@requires_object("meetings.moderate_questions", load=queries.meeting_with_parts)
def question_merge(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    question = queries.question(meeting, queries.requested_part(meeting, "question"))
    merge = MergeForm(request.POST, question=question)
    if not merge.is_valid():
        messages.error(request, "まとめる先の質問を選んでください。")
        return redirect("meetings:question_edit", pk=meeting.pk, question=question.pk)
    try:
        services.question_merge(
            question=question, into=merge.cleaned_data["into"], actor=request.user
        )
    except services.QuestionRefusedError as error:
        messages.error(request, error.messages[0])
        return redirect("meetings:question_edit", pk=meeting.pk, question=question.pk)
    messages.success(request, "質問をまとめました。")
    return redirect("meetings:questions_moderate", pk=meeting.pk)
