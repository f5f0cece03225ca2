"""Pages of the collaboration evaluation (協働評価): the departments' programmes, the yearly
rounds, a department's sheets and its answer to one, and the summary by department and year
with its charts and CSV."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kyodo.core.dates import fiscal_year as fiscal_year_of
from kyodo.core.dates import format_fiscal_year
from kyodo.core.exports import csv_response
from kyodo.core.forms import add_service_errors, form_errors
from kyodo.core.permissions import requires_object
from kyodo.core.requests import report_refusal
from kyodo.directory.models import Organisation
from kyodo.liaison.forms.evaluation import (
    ProgrammeForm,
    RoundForm,
    RoundStatusForm,
    SheetForm,
    programme_initial,
)
from kyodo.liaison.models import EvaluationRound, EvaluationSheet, Programme
from kyodo.liaison.queries import evaluation as queries
from kyodo.liaison.services import evaluation as services
from kyodo.liaison.views.evaluation_chart import level_chart

CSV_HEADER = ("担当課", "事業番号", "事務事業名", "協働ができていますか", "コメント", "協働の相手")


def _rounds_url(municipality: Organisation) -> str:
    return reverse("liaison:evaluation_rounds", args=[municipality.pk])


def _mine_url(municipality: Organisation, fiscal_year: int) -> str:
    return reverse("liaison:evaluation_mine", args=[municipality.pk, fiscal_year])


# --- Programmes ---------------------------------------------------------------------------


@requires_object("liaison.view_evaluation", load=queries.municipality_by_pk)
def programme_list(request: HttpRequest, municipality: Organisation) -> HttpResponse:
    departments = queries.departments_for(request.user, municipality)
    form = None
    if departments.exists():
        form = ProgrammeForm(request.POST or None, departments=departments)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                programme = services.programme_save(
                    municipality=municipality,
                    department=form.cleaned_data["department"],
                    values=form.values(),
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{programme.department.name}の事務事業「{programme.name}」を追加しました。",
                )
                return redirect("liaison:evaluation_programmes", municipality.pk)
    programmes = list(queries.programmes_of(municipality))
    editable = {
        programme.pk
        for programme in programmes
        if request.user.has_perm("liaison.change_programme", programme)
    }
    return render(
        request,
        "liaison/evaluation/programmes.html",
        {
            "municipality": municipality,
            "programmes": programmes,
            "editable": editable,
            "form": form,
            "errors": form_errors(form, "") if form else [],
            "page_title": f"{municipality.name} 事務事業の一覧",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires_object("liaison.change_programme", load=queries.programme_by_pk)
def programme_edit(request: HttpRequest, programme: Programme) -> HttpResponse:
    municipality = programme.department.parent
    assert municipality is not None
    form = ProgrammeForm(
        request.POST or None,
        initial=programme_initial(programme),
        departments=queries.departments_for(request.user, municipality),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.programme_save(
                municipality=municipality,
                department=form.cleaned_data["department"],
                values=form.values(),
                programme=programme,
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"事務事業「{saved.name}」を更新しました。")
            return redirect("liaison:evaluation_programmes", municipality.pk)
    return render(
        request,
        "liaison/evaluation/programme_edit.html",
        {
            "municipality": municipality,
            "programme": programme,
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": f"事務事業の修正「{programme.name}」",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Rounds -------------------------------------------------------------------------------


@requires_object("liaison.view_evaluation", load=queries.municipality_by_pk)
def round_list(request: HttpRequest, municipality: Organisation) -> HttpResponse:
    this_year = fiscal_year_of(timezone.localdate())
    can_manage = request.user.has_perm("liaison.manage_evaluation", municipality)
    form = RoundForm(request.POST or None, this_year=this_year) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                started = services.round_start(
                    municipality=municipality,
                    fiscal_year=form.cleaned_data["fiscal_year"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{format_fiscal_year(started.fiscal_year)}の協働評価を始めました"
                    f"(シート{started.sheets.count()}件)。",
                )
                return redirect(_rounds_url(municipality))
    return render(
        request,
        "liaison/evaluation/rounds.html",
        {
            "municipality": municipality,
            "rounds": queries.rounds_of(municipality),
            "can_manage": can_manage,
            "form": form,
            "status_form": RoundStatusForm(),
            "errors": form_errors(form, "") if form else [],
            "this_year": this_year,
            "page_title": f"{municipality.name} 協働評価",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@requires_object("liaison.manage_evaluation", load=queries.round_by_pk)
def round_status(request: HttpRequest, evaluation: EvaluationRound) -> HttpResponse:
    form = RoundStatusForm(request.POST)
    if form.is_valid():
        is_open = form.cleaned_data["action"] == "open"
        try:
            services.round_set_open(evaluation=evaluation, is_open=is_open, actor=request.user)
        except ValidationError as error:
            report_refusal(request, error)
        else:
            year = format_fiscal_year(evaluation.fiscal_year)
            messages.success(
                request,
                f"{year}の協働評価の受付を再開しました。"
                if is_open
                else f"{year}の協働評価を締め切りました。",
            )
    return redirect(_rounds_url(evaluation.municipality))


@require_POST
@requires_object("liaison.manage_evaluation", load=queries.round_by_pk)
def round_add_sheets(request: HttpRequest, evaluation: EvaluationRound) -> HttpResponse:
    try:
        added = services.round_add_sheets(evaluation=evaluation, actor=request.user)
    except ValidationError as error:
        report_refusal(request, error)
    else:
        messages.success(
            request,
            f"{format_fiscal_year(evaluation.fiscal_year)}の協働評価にシートを{added}件追加しました。",
        )
    return redirect(_rounds_url(evaluation.municipality))


# --- Sheets -------------------------------------------------------------------------------


@requires_object("liaison.view_evaluation", load=queries.municipality_year)
def sheets_mine(request: HttpRequest, year: queries.MunicipalityYear) -> HttpResponse:
    municipality, fiscal_year = year.municipality, year.fiscal_year
    return render(
        request,
        "liaison/evaluation/mine.html",
        {
            "municipality": municipality,
            "fiscal_year": fiscal_year,
            "round": queries.round_for(municipality, fiscal_year),
            "rows": queries.sheets_for(request.user, municipality, fiscal_year),
            "page_title": f"{format_fiscal_year(fiscal_year)} 担当課の事務事業評価シート",
            "noindex": True,
        },
    )


@requires_object("liaison.answer_sheet", load=queries.sheet_by_pk)
def sheet_answer(request: HttpRequest, sheet: EvaluationSheet) -> HttpResponse:
    evaluation = sheet.round
    municipality = evaluation.municipality
    version, initial = queries.sheet_initial(sheet)
    accepts = evaluation.survey.accepts_answers()
    form = SheetForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "version": version},
        partners=queries.partners_of(municipality),
    )
    if not accepts:  # shown for reference; the service refuses a closed round's answers
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.sheet_answer(
                sheet=sheet,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
                partners=form.cleaned_data["partners"],
                other_partners=form.cleaned_data["other_partners"],
                version=form.cleaned_data["version"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"「{sheet.programme.name}」の評価シートを保存しました。")
            return redirect(_mine_url(municipality, evaluation.fiscal_year))
    return render(
        request,
        "liaison/evaluation/sheet.html",
        {
            "municipality": municipality,
            "sheet": sheet,
            "evaluation": evaluation,
            "form": form,
            "accepts": accepts,
            "answered": version is not None,
            "errors": form_errors(form, ""),
            "page_title": f"{sheet.programme.name} 事務事業評価シート"
            f"({format_fiscal_year(evaluation.fiscal_year)})",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- The summary --------------------------------------------------------------------------


@requires_object("liaison.view_evaluation", load=queries.municipality_year)
def summary(request: HttpRequest, year: queries.MunicipalityYear) -> HttpResponse:
    municipality, fiscal_year = year.municipality, year.fiscal_year
    found = queries.summary(municipality, fiscal_year)
    label = format_fiscal_year(fiscal_year)
    years = queries.years_of(municipality)
    return render(
        request,
        "liaison/evaluation/summary.html",
        {
            "municipality": municipality,
            "fiscal_year": fiscal_year,
            "summary": found,
            "department_chart": level_chart(
                "departments",
                f"{label} 課別の協働評価",
                [entry.counts for entry in found.departments] + [found.totals],
            )
            if found.departments
            else None,
            "years": years,
            "years_chart": level_chart(
                "years", f"{municipality.name} 協働評価の推移", [c for _y, c in years]
            )
            if years
            else None,
            "page_title": f"{municipality.name} {label} 協働評価の集計",
            "noindex": True,
        },
    )


@requires_object("liaison.view_evaluation", load=queries.municipality_year)
def summary_csv(request: HttpRequest, year: queries.MunicipalityYear) -> StreamingHttpResponse:
    municipality, fiscal_year = year.municipality, year.fiscal_year
    return csv_response(
        f"{municipality.name}_協働評価_{fiscal_year}年度.csv",
        CSV_HEADER,
        queries.export_rows(queries.summary(municipality, fiscal_year)),
    )


urlpatterns: list[URLPattern] = [
    path(
        "liaison/municipalities/<int:municipality_pk>/programmes/",
        programme_list,
        name="evaluation_programmes",
    ),
    path("liaison/programmes/<int:pk>/edit/", programme_edit, name="programme_edit"),
    path(
        "liaison/municipalities/<int:municipality_pk>/evaluation/",
        round_list,
        name="evaluation_rounds",
    ),
    path(
        "liaison/evaluation/rounds/<int:pk>/status/", round_status, name="evaluation_round_status"
    ),
    path(
        "liaison/evaluation/rounds/<int:pk>/sheets/",
        round_add_sheets,
        name="evaluation_round_add_sheets",
    ),
    path(
        "liaison/municipalities/<int:municipality_pk>/evaluation/<int:fiscal_year>/",
        summary,
        name="evaluation_summary",
    ),
    path(
        "liaison/municipalities/<int:municipality_pk>/evaluation/<int:fiscal_year>.csv",
        summary_csv,
        name="evaluation_csv",
    ),
    path(
        "liaison/municipalities/<int:municipality_pk>/evaluation/<int:fiscal_year>/mine/",
        sheets_mine,
        name="evaluation_mine",
    ),
    path("liaison/evaluation/sheets/<int:pk>/", sheet_answer, name="evaluation_sheet"),
]
