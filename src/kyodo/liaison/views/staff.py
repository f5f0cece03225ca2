"""Pages of the liaison-staff area (地域担当職員): the municipality's assignments per fiscal
year with the areas' pending requests, an area's requests, a staff member's participation
log, and the participation reports with their CSV."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kyodo.core.dates import fiscal_year as fiscal_year_of
from kyodo.core.dates import format_date, format_fiscal_year
from kyodo.core.exports import csv_response
from kyodo.core.forms import add_service_errors, form_errors
from kyodo.core.permissions import has_object_perm, requires, requires_object
from kyodo.core.requests import report_refusal
from kyodo.directory.models import Organisation
from kyodo.liaison.forms.staff import (
    AssignmentForm,
    DecisionForm,
    ParticipationForm,
    StaffRequestForm,
    participation_initial,
)
from kyodo.liaison.models import Assignment, Participation, StaffRequest
from kyodo.liaison.queries import staff as queries
from kyodo.liaison.services import staff as services

PAGE_SIZE = 50


def _assignments_url(municipality_pk: int, year: int) -> str:
    return reverse("liaison:assignments", args=[municipality_pk, year])


# --- Assignments (managers) -----------------------------------------------------------------


def _assignments_page(
    request: HttpRequest,
    year: queries.MunicipalityYear,
    *,
    form: AssignmentForm | None = None,
    errors: list[tuple[str, str, str]] | None = None,
    failed: DecisionForm | None = None,
    failed_pk: int | None = None,
    status: int = 200,
) -> HttpResponse:
    municipality, fiscal_year = year.municipality, year.fiscal_year
    rows = queries.assignments_by_area(municipality, fiscal_year)
    if form is None:
        form = AssignmentForm(
            areas=[row.area for row in rows], staff=queries.staff_choices(municipality)
        )
    return render(
        request,
        "liaison/staff/assignments.html",
        {
            "municipality": municipality,
            "fiscal_year": fiscal_year,
            "this_year": fiscal_year_of(timezone.localdate()),
            "rows": rows,
            "pending": queries.pending_requests(municipality),
            "form": form,
            "errors": errors if errors is not None else form_errors(form, ""),
            "failed": failed,
            "failed_pk": failed_pk,
            "page_title": f"{municipality.name} {format_fiscal_year(fiscal_year)} "
            "地域担当職員の割当て",
            "noindex": True,
        },
        status=status,
    )


@requires_object("liaison.manage_scheme", load=queries.municipality_year, personal_data=True)
def assignments(request: HttpRequest, year: queries.MunicipalityYear) -> HttpResponse:
    if request.method != "POST":
        return _assignments_page(request, year)
    municipality = year.municipality
    form = AssignmentForm(
        request.POST,
        areas=list(queries.areas_of(municipality)),
        staff=queries.staff_choices(municipality),
    )
    if form.is_valid():
        try:
            assignment = services.assignment_add(
                municipality=municipality,
                fiscal_year=year.fiscal_year,
                actor=request.user,
                **form.values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{assignment.person.full_name}さんを{format_fiscal_year(assignment.fiscal_year)}の"
                f"{assignment.area.name}の{assignment.get_role_display()}にしました。",
            )
            return redirect(_assignments_url(municipality.pk, year.fiscal_year))
    return _assignments_page(request, year, form=form, status=400)


@require_POST
@requires_object("liaison.manage_scheme", load=queries.assignment_by_pk, personal_data=True)
def assignment_remove(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    municipality_pk, fiscal_year = assignment.area.parent_id, assignment.fiscal_year
    name, area = assignment.person.full_name, assignment.area.name
    services.assignment_remove(assignment=assignment, actor=request.user)
    messages.success(
        request, f"{name}さんを{format_fiscal_year(fiscal_year)}の{area}の担当から外しました。"
    )
    assert municipality_pk is not None
    return redirect(_assignments_url(municipality_pk, fiscal_year))


@require_POST
@requires_object("liaison.manage_scheme", load=queries.staff_request_by_pk, personal_data=True)
def staff_request_decide(request: HttpRequest, staff_request: StaffRequest) -> HttpResponse:
    municipality = staff_request.area.parent
    assert municipality is not None
    back = queries.MunicipalityYear(municipality, staff_request.fiscal_year)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decided = services.staff_request_decide(
                request=staff_request,
                approve=form.approve,
                note=form.cleaned_data["decision_note"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            who = f"{decided.area.name}の{decided.person.full_name}さんの希望"
            messages.success(
                request,
                f"{who}を承認し、{format_fiscal_year(decided.fiscal_year)}の担当にしました。"
                if form.approve
                else f"{who}を見送りました。地域に理由をメールで伝えます。",
            )
            return redirect(_assignments_url(municipality.pk, decided.fiscal_year))
    where = f"{staff_request.area.name}の希望({staff_request.person.full_name})"
    errors = [
        (where, message, f"decision-note-{staff_request.pk}" if anchor else "")
        for _where, message, anchor in form_errors(form, "")
    ]
    return _assignments_page(
        request, back, errors=errors, failed=form, failed_pk=staff_request.pk, status=400
    )


# --- An area's requests (officers of the council) -------------------------------------------


@requires_object("liaison.request_staff", load=queries.area_by_pk)
def staff_requests(request: HttpRequest, area: Organisation) -> HttpResponse:
    municipality = area.parent
    assert municipality is not None
    staff = queries.staff_choices(municipality)
    years = services.request_years(timezone.localdate())
    form = StaffRequestForm(request.POST or None, staff=staff, years=years)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.staff_request_create(area=area, actor=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{format_fiscal_year(made.fiscal_year)}の担当職員として"
                f"{made.person.full_name}さんを希望しました。市からの回答をお待ちください。",
            )
            return redirect(reverse("liaison:staff_requests", args=[area.pk]))
    return render(
        request,
        "liaison/staff/requests.html",
        {
            "area": area,
            "municipality": municipality,
            "this_year": years[0],
            "current_staff": queries.area_staff(area, years[0]),
            "requests": queries.requests_of_area(area),
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": f"{area.name} 担当職員の希望",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Participation log (each staff member, their own) ---------------------------------------


@requires("liaison.log_participation")
def participation(request: HttpRequest) -> HttpResponse:
    person = queries.person_of_user(request.user)
    today = timezone.localdate()
    choices = queries.log_choices(person, today) if person is not None else None
    can_log = choices is not None and bool(choices.municipalities)
    form = (
        ParticipationForm(request.POST or None, choices=choices)
        if choices is not None and can_log
        else None
    )
    if request.method == "POST" and person is not None and form is not None:
        if form.is_valid():
            try:
                logged = services.participation_save(
                    person=person, values=form.values(), actor=request.user
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{format_date(logged.date)}の「{logged.title}」({logged.hours}時間)を"
                    "記録しました。",
                )
                return redirect(reverse("liaison:participation"))
    elif request.method == "POST":
        return redirect(reverse("liaison:participation"))
    logs = (
        Paginator(queries.participations_of(person), PAGE_SIZE).get_page(request.GET.get("page"))
        if person is not None
        else None
    )
    return render(
        request,
        "liaison/staff/participation.html",
        {
            "person": person,
            "logs": logs,
            "form": form,
            "errors": form_errors(form, "") if form is not None else [],
            "municipalities": choices.municipalities if choices is not None else [],
            "this_year": fiscal_year_of(today),
            "page_title": "地域行事への参加の記録",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires_object(
    "liaison.change_participation", load=queries.participation_by_pk, personal_data=True
)
def participation_edit(request: HttpRequest, log: Participation) -> HttpResponse:
    person = log.person
    choices = queries.log_choices(person, timezone.localdate())
    form = ParticipationForm(
        request.POST or None, choices=choices, current=log, initial=participation_initial(log)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.participation_save(
                person=person, participation=log, values=form.values(), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"「{saved.title}」の記録を更新しました。")
            return redirect(reverse("liaison:participation"))
    return render(
        request,
        "liaison/staff/participation_edit.html",
        {
            "log": log,
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": f"参加の記録の修正「{log.title}」",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@requires_object(
    "liaison.change_participation", load=queries.participation_by_pk, personal_data=True
)
def participation_remove(request: HttpRequest, log: Participation) -> HttpResponse:
    title, day = log.title, log.date
    try:
        services.participation_delete(participation=log, actor=request.user)
    except ValidationError as error:
        report_refusal(request, error)
    else:
        messages.success(request, f"{format_date(day)}の「{title}」の記録を削除しました。")
    return redirect(reverse("liaison:participation"))


# --- Reports (managers, personnel, the staff member) ----------------------------------------

STAFF_HEADER = ("氏名", "よみがな", "担当地域", "参加件数", "参加時間(時間)")
LOG_HEADER = ("参加日", "行事名", "地域", "時間", "メモ")


def _wants_csv(request: HttpRequest, csv: bool) -> bool:
    return csv or request.GET.get("format") == "csv"


def _reports(
    request: HttpRequest, year: queries.MunicipalityYear, *, csv: bool
) -> HttpResponseBase:
    municipality, fiscal_year = year.municipality, year.fiscal_year
    rows = queries.municipality_report(municipality, fiscal_year)
    if _wants_csv(request, csv):
        return csv_response(
            f"{municipality.name}_地域行事への参加_{fiscal_year}年度.csv",
            STAFF_HEADER,
            queries.staff_rows(rows),
        )
    return render(
        request,
        "liaison/staff/reports.html",
        {
            "municipality": municipality,
            "fiscal_year": fiscal_year,
            "rows": list(zip(rows, queries.staff_rows(rows), strict=True)),
            "events": sum(row.events for row in rows),
            "hours": queries.hours_text(sum((row.hours for row in rows), start=queries.ZERO)),
            "can_manage": has_object_perm(
                request.user, "liaison.manage_scheme", municipality, personal_data=True
            ),
            "page_title": f"{municipality.name} {format_fiscal_year(fiscal_year)} "
            "地域行事への参加状況",
            "noindex": True,
        },
    )


@requires_object(
    "liaison.view_municipality_reports", load=queries.municipality_year, personal_data=True
)
def reports(request: HttpRequest, year: queries.MunicipalityYear) -> HttpResponseBase:
    return _reports(request, year, csv=False)


@requires_object(
    "liaison.view_municipality_reports", load=queries.municipality_year, personal_data=True
)
def reports_csv(request: HttpRequest, year: queries.MunicipalityYear) -> HttpResponseBase:
    return _reports(request, year, csv=True)


def _report(
    request: HttpRequest, subject: queries.StaffReportYear, *, csv: bool
) -> HttpResponseBase:
    person, municipality = subject.person, subject.municipality
    if not queries.has_reports_in(person, municipality):
        raise Http404
    report = queries.person_report(subject)
    if _wants_csv(request, csv):
        return csv_response(
            f"{person.full_name}_地域行事への参加_{subject.fiscal_year}年度.csv",
            LOG_HEADER,
            queries.report_rows(report.logs),
        )
    can_list = has_object_perm(
        request.user, "liaison.view_municipality_reports", municipality, personal_data=True
    )
    return render(
        request,
        "liaison/staff/report.html",
        {
            "subject": subject,
            "person": person,
            "municipality": municipality,
            "fiscal_year": subject.fiscal_year,
            "report": report,
            "rows": list(zip(report.logs, queries.report_rows(report.logs), strict=True)),
            "chart": queries.month_chart(report),
            "can_list": can_list,
            "page_title": f"{person.full_name} {format_fiscal_year(subject.fiscal_year)} "
            "地域行事への参加",
            "noindex": True,
        },
    )


@requires_object(
    "liaison.view_participation_report", load=queries.staff_report_year, personal_data=True
)
def report(request: HttpRequest, subject: queries.StaffReportYear) -> HttpResponseBase:
    return _report(request, subject, csv=False)


@requires_object(
    "liaison.view_participation_report", load=queries.staff_report_year, personal_data=True
)
def report_csv(request: HttpRequest, subject: queries.StaffReportYear) -> HttpResponseBase:
    return _report(request, subject, csv=True)


MUNICIPALITY_YEAR = "liaison/municipalities/<int:municipality_pk>/"

urlpatterns: list[URLPattern] = [
    path(f"{MUNICIPALITY_YEAR}assignments/<int:fiscal_year>/", assignments, name="assignments"),
    path("liaison/assignments/<int:pk>/remove/", assignment_remove, name="assignment_remove"),
    path("liaison/requests/<int:pk>/decide/", staff_request_decide, name="staff_request_decide"),
    path("liaison/areas/<int:area_pk>/requests/", staff_requests, name="staff_requests"),
    path("liaison/participation/", participation, name="participation"),
    path("liaison/participation/<int:pk>/edit/", participation_edit, name="participation_edit"),
    path(
        "liaison/participation/<int:pk>/delete/",
        participation_remove,
        name="participation_delete",
    ),
    path(f"{MUNICIPALITY_YEAR}reports/<int:fiscal_year>/", reports, name="participation_reports"),
    path(
        f"{MUNICIPALITY_YEAR}reports/<int:fiscal_year>.csv",
        reports_csv,
        name="participation_reports_csv",
    ),
    path(
        f"{MUNICIPALITY_YEAR}reports/<int:fiscal_year>/<int:person_pk>/",
        report,
        name="participation_report",
    ),
    path(
        f"{MUNICIPALITY_YEAR}reports/<int:fiscal_year>/<int:person_pk>.csv",
        report_csv,
        name="participation_report_csv",
    ),
]
