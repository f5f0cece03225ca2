from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from kyodo.core import audit
from kyodo.core.exports import csv_response, xlsx_response
from kyodo.core.permissions import login_required, public, requires, requires_object
from kyodo.core.requests import is_htmx, report_refusal
from kyodo.directory.rules import roles_of
from kyodo.surveys import queries, services
from kyodo.surveys.forms import ResponseForm, StatusForm, SurveyEditor
from kyodo.surveys.models import Survey, SurveyStatus
from kyodo.surveys.rules import managed_elsewhere


def survey_by_pk(pk: int) -> Survey:
    return get_object_or_404(Survey.objects.select_related("owner"), pk=pk)


@requires("surveys.list_surveys")
def survey_list(request: HttpRequest) -> HttpResponse:
    owners = None if request.user.is_superuser else roles_of(request.user).editable_org_ids
    surveys = list(queries.surveys_of(owners))
    managed = managed_elsewhere(surveys)
    # A questionnaire another app runs is listed with that app's name, not linked to the
    # engine's pages, which refuse it.
    rows = [(survey, managed.get(survey.pk)) for survey in surveys]
    return render(request, "surveys/list.html", {"rows": rows, "page_title": "アンケート"})


@requires_object("surveys.manage_survey", load=survey_by_pk)
def survey_results(request: HttpRequest, survey: Survey) -> HttpResponse:
    """The answers as they come in: charts with their data tables, refreshed by htmx."""
    context = {
        "survey": survey,
        "summary": queries.summary(survey),
        "progress": queries.progress(survey),
        "status_form": StatusForm(),
        "page_title": f"集計 | {survey.title}",
    }
    if is_htmx(request):
        return render(request, "surveys/results.html#summary", context)
    return render(request, "surveys/results.html", context)


@requires_object("surveys.manage_survey", load=survey_by_pk)
def survey_edit(request: HttpRequest, survey: Survey) -> HttpResponse:
    editor = SurveyEditor(request.POST or None, survey=survey)
    if request.method == "POST" and editor.is_valid():
        try:
            services.survey_save(
                survey=survey,
                fields=editor.fields(),
                questions=editor.question_rows(),
                actor=request.user,
            )
        except ValidationError as error:
            editor.add_service_errors(error)
        else:
            messages.success(request, "アンケートを保存しました。")
            if request.POST.get("continue"):
                return redirect("surveys:edit", pk=survey.pk)
            return redirect("surveys:results", pk=survey.pk)
    errors = editor.error_summary() if request.method == "POST" else []
    return render(
        request,
        "surveys/edit.html",
        {
            "survey": survey,
            "editor": editor,
            "errors": errors,
            "page_title": f"アンケートを編集 | {survey.title}",
        },
        status=400 if errors else 200,
    )


@requires_object("surveys.manage_survey", load=survey_by_pk)
def survey_preview(request: HttpRequest, survey: Survey) -> HttpResponse:
    form = ResponseForm(questions=queries.questions(survey))
    return render(
        request,
        "surveys/answer.html",
        {"survey": survey, "form": form, "preview": True, "page_title": survey.title},
    )


@require_POST
@requires_object("surveys.manage_survey", load=survey_by_pk)
def survey_status(request: HttpRequest, survey: Survey) -> HttpResponse:
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.survey_set_status(
                survey=survey, status=form.cleaned_data["status"], actor=request.user
            )
        except ValidationError as error:
            report_refusal(request, error)
        else:
            messages.success(
                request, f"状態を「{SurveyStatus(form.cleaned_data['status']).label}」にしました。"
            )
    return redirect("surveys:results", pk=survey.pk)


def _export(request: HttpRequest, survey: Survey, kind: str) -> HttpResponseBase:
    audit.record(actor=request.user, action=f"survey.export_{kind}", obj=survey)
    header, rows = queries.export_rows(survey)
    filename = f"survey-{survey.pk}-answers.{kind}"
    if kind == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, "回答", header, rows)


@requires_object("surveys.manage_survey", load=survey_by_pk)
def survey_export_csv(request: HttpRequest, survey: Survey) -> HttpResponseBase:
    return _export(request, survey, "csv")


@requires_object("surveys.manage_survey", load=survey_by_pk)
def survey_export_xlsx(request: HttpRequest, survey: Survey) -> HttpResponseBase:
    return _export(request, survey, "xlsx")


@login_required
def answer_signed_in(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed-in person asked to answer goes to their own answer page."""
    survey = survey_by_pk(pk)
    respondent = queries.respondent_of_user(survey, request.user)
    if respondent is None:
        raise PermissionDenied
    return redirect(respondent.get_absolute_url())


@public
def answer(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """The respondent's private page: anyone holding the link answers as that respondent,
    and may change the answers until the questionnaire closes."""
    try:
        respondent = queries.respondent_for_link(pk, token)
    except queries.LinkError as error:
        return render(
            request,
            "surveys/link_error.html",
            {"message": str(error), "page_title": "回答用リンクが正しくありません"},
            status=404,
        )
    survey = respondent.survey
    response, values = queries.response_of(respondent)
    questions = queries.questions(survey)
    initial = {f"q{question_id}": value for question_id, value in values.items()}
    initial["version"] = response.version if response else None
    form = ResponseForm(request.POST or None, initial=initial, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                respondent=respondent,
                answers=form.answers(),
                version=form.cleaned_data["version"],
                actor=request.user,
            )
        except services.AnswerRefusedError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                "回答を受け付けました。ご協力ありがとうございました。"
                "締切までは、このページで回答を修正できます。",
            )
            return redirect(respondent.get_absolute_url())
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "respondent": respondent,
            "response": response,
            "form": form,
            "accepts": survey.accepts_answers(),
            "page_title": survey.title,
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )
