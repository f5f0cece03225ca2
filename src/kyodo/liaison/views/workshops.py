"""Pages of the workshops: the series a person works on, one series with its sessions and
the ratio of preparation and reflection meetings to main sessions, the session editor, and
the facilitation requests (ファシリテーションの依頼) asked and answered."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from kyodo.core.dates import format_date
from kyodo.core.forms import add_service_errors, form_errors
from kyodo.core.permissions import requires, requires_object
from kyodo.core.requests import report_refusal
from kyodo.liaison.forms.workshops import (
    ACCEPT,
    FacilitationAnswerForm,
    FacilitationRequestForm,
    SeriesForm,
    SessionForm,
    session_initial,
)
from kyodo.liaison.models import FacilitationRequest, RequestStatus, WorkshopSeries, WorkshopSession
from kyodo.liaison.queries import workshops as queries
from kyodo.liaison.services import workshops as services


def _series_url(series: WorkshopSeries) -> str:
    return reverse("liaison:workshop", args=[series.pk])


@requires("liaison.list_workshops")
def workshop_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "liaison/workshops/list.html",
        {
            "series_list": queries.series_for(request.user),
            "can_add": request.user.has_perm("liaison.add_workshop"),
            "page_title": "ワークショップ",
            "noindex": True,
        },
    )


@requires("liaison.add_workshop")
def workshop_new(request: HttpRequest) -> HttpResponse:
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(**form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"ワークショップ「{series.title}」を作成しました。回を追加してください。"
            )
            return redirect(_series_url(series))
    return render(
        request,
        "liaison/workshops/new.html",
        {
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": "ワークショップの作成",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires_object("liaison.view_workshop", load=queries.series_by_pk)
def workshop_detail(request: HttpRequest, series: WorkshopSeries) -> HttpResponse:
    sessions = queries.sessions_of(series)
    return render(
        request,
        "liaison/workshops/detail.html",
        {
            "series": series,
            "sessions": sessions,
            "ratio": queries.Ratio.of_sessions(sessions),
            "requests": queries.facilitation_requests_of(series),
            "can_change": request.user.has_perm("liaison.change_workshop", series),
            "page_title": f"ワークショップ「{series.title}」",
            "noindex": True,
        },
    )


def _session_page(
    request: HttpRequest, series: WorkshopSeries, session: WorkshopSession | None
) -> HttpResponse:
    initial = session_initial(session) if session else None
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.session_save(
                series=series, session=session, values=form.values(), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            verb = "更新しました" if session else "追加しました"
            messages.success(
                request,
                f"{format_date(saved.date)}の{saved.get_kind_display()}「{saved.title}」を{verb}。",
            )
            return redirect(_series_url(series))
    return render(
        request,
        "liaison/workshops/session_form.html",
        {
            "series": series,
            "session": session,
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": "回の修正" if session else "回の追加",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires_object("liaison.change_workshop", load=queries.series_by_pk)
def session_new(request: HttpRequest, series: WorkshopSeries) -> HttpResponse:
    return _session_page(request, series, None)


@requires_object("liaison.change_workshop", load=queries.session_by_pk)
def session_edit(request: HttpRequest, session: WorkshopSession) -> HttpResponse:
    return _session_page(request, session.series, session)


@require_POST
@requires_object("liaison.change_workshop", load=queries.session_by_pk)
def session_remove(request: HttpRequest, session: WorkshopSession) -> HttpResponse:
    series, title = session.series, session.title
    services.session_delete(session=session, actor=request.user)
    messages.success(request, f"「{title}」を削除しました。")
    return redirect(_series_url(series))


@requires_object("liaison.change_workshop", load=queries.series_by_pk)
def facilitation_new(request: HttpRequest, series: WorkshopSeries) -> HttpResponse:
    form = FacilitationRequestForm(request.POST or None, series=series)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.facilitation_request(
                series=series,
                department=form.cleaned_data["department"],
                sessions=list(form.cleaned_data["sessions"]),
                message=form.cleaned_data["message"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{sent.department.name}にファシリテーションを依頼しました。")
            return redirect(_series_url(series))
    return render(
        request,
        "liaison/workshops/facilitation_new.html",
        {
            "series": series,
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": "ファシリテーションの依頼",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires("liaison.list_workshops")
def facilitation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "liaison/workshops/facilitation_list.html",
        {
            "requests": queries.requests_to(request.user),
            "page_title": "ファシリテーションの依頼(受けたもの)",
            "noindex": True,
        },
    )


@requires_object("liaison.answer_facilitation", load=queries.facilitation_by_pk)
def facilitation_answer(request: HttpRequest, asked: FacilitationRequest) -> HttpResponse:
    pending = asked.status == RequestStatus.PENDING
    form = FacilitationAnswerForm(request.POST or None, request=asked)
    if request.method == "POST":
        if not pending:
            report_refusal(request, ValidationError(services.ALREADY_ANSWERED))
            return redirect(reverse("liaison:facilitation", args=[asked.pk]))
        if form.is_valid():
            try:
                answered = services.facilitation_answer(
                    request=asked,
                    accept=form.cleaned_data["decision"] == ACCEPT,
                    facilitator=form.cleaned_data["facilitator"],
                    reply=form.cleaned_data["reply"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                verb = "引き受け" if answered.status == RequestStatus.APPROVED else "お断り"
                messages.success(
                    request,
                    f"「{asked.series.title}」のファシリテーションの依頼に{verb}の回答をしました。"
                    "依頼元にメールでお知らせします。",
                )
                return redirect(reverse("liaison:facilitation_list"))
    return render(
        request,
        "liaison/workshops/facilitation_answer.html",
        {
            "asked": asked,
            "sessions": list(asked.sessions.all()),
            "form": form if pending else None,
            "errors": form_errors(form, ""),
            "page_title": f"ファシリテーションの依頼「{asked.series.title}」",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


urlpatterns: list[URLPattern] = [
    path("liaison/workshops/", workshop_list, name="workshop_list"),
    path("liaison/workshops/new/", workshop_new, name="workshop_new"),
    path("liaison/workshops/<int:pk>/", workshop_detail, name="workshop"),
    path("liaison/workshops/<int:pk>/sessions/new/", session_new, name="workshop_session_new"),
    path("liaison/workshops/sessions/<int:pk>/edit/", session_edit, name="workshop_session_edit"),
    path(
        "liaison/workshops/sessions/<int:pk>/delete/",
        session_remove,
        name="workshop_session_delete",
    ),
    path(
        "liaison/workshops/<int:pk>/facilitation/new/",
        facilitation_new,
        name="facilitation_new",
    ),
    path("liaison/facilitation/", facilitation_list, name="facilitation_list"),
    path("liaison/facilitation/<int:pk>/", facilitation_answer, name="facilitation"),
]
