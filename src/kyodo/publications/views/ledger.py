"""Pages of the council's ledger (自主財源): the years at a glance with a chart of income by
source, one fiscal year's lines with its summary, and the line editor."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kyodo.core.dates import fiscal_year as fiscal_year_of
from kyodo.core.dates import format_fiscal_year
from kyodo.core.exports import csv_response
from kyodo.core.forms import add_service_errors, form_errors
from kyodo.core.permissions import requires, requires_object
from kyodo.core.requests import report_refusal
from kyodo.directory.models import Organisation
from kyodo.publications.charts import income_chart
from kyodo.publications.forms.ledger import LedgerLineForm, line_initial
from kyodo.publications.models import LedgerLine
from kyodo.publications.queries import ledger as queries
from kyodo.publications.queries.councils import councils_for
from kyodo.publications.services.ledger import ledger_line_delete, ledger_line_save


def _year_url(council: Organisation, year: int) -> str:
    return reverse("publications:ledger_year", args=[council.pk, year])


@requires("publications.manage")
def ledger_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "publications/ledger/home.html",
        {
            "councils": councils_for(request.user),
            "this_year": fiscal_year_of(timezone.localdate()),
            "page_title": "自主財源の出納帳",
            "noindex": True,
        },
    )


@requires_object("publications.view_ledger", load=queries.council_by_pk)
def ledger_overview(request: HttpRequest, council: Organisation) -> HttpResponse:
    this_year = fiscal_year_of(timezone.localdate())
    years = queries.summaries_across_years(council, around=this_year)
    return render(
        request,
        "publications/ledger/overview.html",
        {
            "council": council,
            "years": years,
            "chart": income_chart(years),
            "this_year": this_year,
            "page_title": f"{council.name} 自主財源の推移",
            "noindex": True,
        },
    )


@requires_object("publications.view_ledger", load=queries.council_year)
def ledger_year(request: HttpRequest, year: queries.CouncilYear) -> HttpResponse:
    council, fiscal_year = year.council, year.fiscal_year
    can_change = request.user.has_perm("publications.change_ledger", council)
    form = LedgerLineForm(request.POST or None) if can_change else None
    if request.method == "POST":
        if form is None:
            return redirect(_year_url(council, fiscal_year))
        if form.is_valid():
            try:
                line = ledger_line_save(council=council, values=form.values(), actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{format_fiscal_year(line.fiscal_year)}の出納に"
                    f"「{line.description}」{line.amount:,}円を記入しました。",
                )
                return redirect(_year_url(council, line.fiscal_year))
    return render(
        request,
        "publications/ledger/year.html",
        {
            "council": council,
            "fiscal_year": fiscal_year,
            "lines": queries.lines(council, fiscal_year),
            "summary": queries.year_summary(council, fiscal_year),
            "form": form,
            "errors": form_errors(form, "") if form else [],
            "page_title": f"{council.name} {format_fiscal_year(fiscal_year)} 出納帳",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@requires_object("publications.view_ledger", load=queries.council_year)
def ledger_csv(request: HttpRequest, year: queries.CouncilYear) -> StreamingHttpResponse:
    council, fiscal_year = year.council, year.fiscal_year
    rows = (
        (
            line.date.isoformat(),
            line.direction.label,
            line.get_category_display(),
            line.description,
            line.amount,
            line.note,
        )
        for line in queries.lines(council, fiscal_year)
    )
    return csv_response(
        f"{council.name}_出納帳_{fiscal_year}年度.csv",
        ("日付", "収支", "科目", "摘要", "金額(円)", "備考"),
        rows,
    )


@requires_object("publications.change_ledger", load=queries.line_by_pk)
def ledger_line_edit(request: HttpRequest, line: LedgerLine) -> HttpResponse:
    if line.ad_slot_id is not None:
        messages.info(
            request, "広告料収入は広告枠の入金から記帳されます。広告枠の画面で変更してください。"
        )
        return redirect(_year_url(line.council, line.fiscal_year))
    form = LedgerLineForm(request.POST or None, initial=line_initial(line))
    if request.method == "POST" and form.is_valid():
        try:
            saved = ledger_line_save(
                council=line.council, line=line, values=form.values(), actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"「{saved.description}」を更新しました。")
            return redirect(_year_url(saved.council, saved.fiscal_year))
    return render(
        request,
        "publications/ledger/line_edit.html",
        {
            "line": line,
            "council": line.council,
            "form": form,
            "errors": form_errors(form, ""),
            "page_title": f"出納の修正「{line.description}」",
            "noindex": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@requires_object("publications.change_ledger", load=queries.line_by_pk)
def ledger_line_remove(request: HttpRequest, line: LedgerLine) -> HttpResponse:
    council, year, description = line.council, line.fiscal_year, line.description
    try:
        ledger_line_delete(line=line, actor=request.user)
    except ValidationError as error:
        report_refusal(request, error)
    else:
        messages.success(request, f"「{description}」を削除しました。")
    return redirect(_year_url(council, year))


urlpatterns: list[URLPattern] = [
    path("publications/ledger/", ledger_home, name="ledger_home"),
    path("publications/ledger/<int:council_pk>/", ledger_overview, name="ledger"),
    path(
        "publications/ledger/<int:council_pk>/<int:fiscal_year>/",
        ledger_year,
        name="ledger_year",
    ),
    path(
        "publications/ledger/<int:council_pk>/<int:fiscal_year>.csv",
        ledger_csv,
        name="ledger_csv",
    ),
    path("publications/ledger/lines/<int:pk>/edit/", ledger_line_edit, name="ledger_line_edit"),
    path(
        "publications/ledger/lines/<int:pk>/delete/",
        ledger_line_remove,
        name="ledger_line_delete",
    ),
]
