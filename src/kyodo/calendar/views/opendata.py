"""The open-data event list: the page that describes it, each municipality's file, and the
import of a file in the same format by officers."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from kyodo.calendar import opendata as event_list
from kyodo.calendar import queries, services
from kyodo.calendar.forms import ImportForm
from kyodo.calendar.models import Entry
from kyodo.core.exports import csv_response
from kyodo.core.permissions import public, requires

# A file with thousands of bad rows lists the first ones; the rest are counted.
PROBLEMS_SHOWN = 200


@public
def opendata(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "calendar/opendata.html",
        {
            "files": event_list.municipality_files(),
            "licence": settings.KYODO_OPENDATA_LICENCE,
            "columns": event_list.COLUMNS,
            "required": (*event_list.REQUIRED_COLUMNS, "開始時間", "終了時間"),
            "can_import": request.user.has_perm("calendar.manage_entries"),
            "page_title": "オープンデータ(イベント一覧)",
        },
    )


@public
def event_csv(request: HttpRequest, lgcode: str) -> HttpResponseBase:
    municipality = event_list.municipality_by_lgcode(lgcode)

    def url_of(entry: Entry) -> str:
        return request.build_absolute_uri(entry.get_absolute_url())

    rows = event_list.event_rows(municipality, url_of=url_of)
    return csv_response(event_list.filename(municipality), event_list.COLUMNS, rows)


@requires("calendar.manage_entries")
def entries_import(request: HttpRequest) -> HttpResponse:
    organisations = queries.postable_organisations(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    results: list[services.ImportResult] | None = None
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        if not request.user.has_perm("calendar.post_entry", organisation):
            raise PermissionDenied
        try:
            results = services.entries_import(
                organisation=organisation,
                rows=form.cleaned_data["file"],
                publish=form.cleaned_data["publish"],
                actor=request.user,
            )
        except services.ImportRefusedError as error:
            problems = event_list.error_lines(error.rows)
        else:
            # The next file starts from an empty form, for the same organisation.
            form = ImportForm(
                organisations=organisations, initial={"organisation": organisation.pk}
            )
    outcomes = Counter(result.outcome for result in results or ())
    refused = request.method == "POST" and results is None
    return render(
        request,
        "calendar/import.html",
        {
            "form": form,
            "results": results,
            "summary": "、".join(
                f"{outcome.label} {outcomes[outcome]}件"
                for outcome in services.ImportOutcome
                if outcomes[outcome]
            ),
            "problems": problems[:PROBLEMS_SHOWN],
            "problems_more": max(0, len(problems) - PROBLEMS_SHOWN),
            "problem_count": len(problems),
            "required": event_list.REQUIRED_COLUMNS,
            "page_title": "行事をCSVファイルから取り込む",
            "refused": refused,
        },
        status=400 if refused else 200,
    )
