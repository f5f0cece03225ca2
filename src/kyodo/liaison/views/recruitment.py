"""Pages of the recruitment requests (動員依頼): the requests made and the asks received, the
request form with a number per age band, the organiser's totals against the target, and the
head's answer per band."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kyodo.core.forms import add_service_errors, form_errors
from kyodo.core.permissions import requires, requires_object
from kyodo.core.requests import report_refusal
from kyodo.liaison.forms.recruitment import AnswerForm, RecruitmentForm, answer_initial
from kyodo.liaison.models import RecruitmentAsk, RecruitmentRequest, RecruitmentStatus
from kyodo.liaison.queries import recruitment as queries
from kyodo.liaison.services import recruitment as services


@requires("liaison.list_recruitment")
def recruitment_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "liaison/recruitment/list.html",
        {
            "made": queries.requests_made_by(request.user),
            "asks": queries.asks_to(request.user),
            "can_add": request.user.has_perm("liaison.add_recruitment"),
            "page_title": "動員依頼",
            "noindex": True,
        },
    )


@requires("liaison.add_recruitment")
def recruitment_new(request: HttpRequest) -> HttpResponse:
    form = RecruitmentForm(request.POST or None, user=request.user, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            created = services.recruitment_create(**form.values(), actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            asked = created.asks.count()
            messages.success(
                request,
                f"動員依頼「{created.title}」を{asked}つの自治会・町内会に送りました。",
            )
            return redirect(reverse("liaison:recruitment", args=[created.pk]))
    return render(
        request,
        "liaison/recruitment/new.html",
        {
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": "動員依頼の作成",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires_object("liaison.view_recruitment", load=queries.request_by_pk)
def recruitment_detail(request: HttpRequest, recruitment: RecruitmentRequest) -> HttpResponse:
    return render(
        request,
        "liaison/recruitment/detail.html",
        {
            "recruitment": recruitment,
            "totals": queries.totals(recruitment),
            "bands": queries.BANDS,
            "is_open": recruitment.status == RecruitmentStatus.OPEN,
            "can_change": request.user.has_perm("liaison.change_recruitment", recruitment),
            "page_title": f"動員依頼「{recruitment.title}」の集計",
            "noindex": True,
        },
    )


@require_POST
@requires_object("liaison.change_recruitment", load=queries.request_by_pk)
def recruitment_close(request: HttpRequest, recruitment: RecruitmentRequest) -> HttpResponse:
    try:
        services.recruitment_close(request=recruitment, actor=request.user)
    except ValidationError as error:
        report_refusal(request, error)
    else:
        messages.success(request, f"動員依頼「{recruitment.title}」を締め切りました。")
    return redirect(reverse("liaison:recruitment", args=[recruitment.pk]))


@requires_object("liaison.answer_recruitment", load=queries.ask_by_pk)
def recruitment_ask(request: HttpRequest, ask: RecruitmentAsk) -> HttpResponse:
    recruitment = ask.request
    is_open = recruitment.status == RecruitmentStatus.OPEN
    answers = queries.answers_of(ask)
    form = AnswerForm(request.POST or None, initial=answer_initial(answers, ask.note))
    if request.method == "POST":
        if not is_open:
            report_refusal(request, ValidationError(services.CLOSED))
            return redirect(reverse("liaison:recruitment_ask", args=[ask.pk]))
        if form.is_valid():
            try:
                services.recruitment_answer(
                    ask=ask,
                    counts=form.counts(),
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                total = sum(form.counts().values())
                messages.success(
                    request,
                    f"「{recruitment.title}」に合計{total}人で回答しました。"
                    "締切までは回答を変更できます。",
                )
                return redirect(reverse("liaison:recruitment_ask", args=[ask.pk]))
    wanted = queries.wanted_of(recruitment)
    return render(
        request,
        "liaison/recruitment/ask.html",
        {
            "ask": ask,
            "recruitment": recruitment,
            "rows": [
                (band, wanted[band.value], answers.get(band.value), field)
                for band, field in zip(queries.BANDS, form.band_inputs, strict=True)
            ],
            "wanted_total": sum(wanted.values()),
            "answered_total": sum(answers.values()),
            "form": form if is_open else None,
            "is_open": is_open,
            "errors": form_errors(form, ""),
            "page_title": f"動員依頼「{recruitment.title}」への回答",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


urlpatterns: list[URLPattern] = [
    path("liaison/recruitment/", recruitment_list, name="recruitment_list"),
    path("liaison/recruitment/new/", recruitment_new, name="recruitment_new"),
    path("liaison/recruitment/<int:pk>/", recruitment_detail, name="recruitment"),
    path("liaison/recruitment/<int:pk>/close/", recruitment_close, name="recruitment_close"),
    path("liaison/recruitment/asks/<int:pk>/", recruitment_ask, name="recruitment_ask"),
]
