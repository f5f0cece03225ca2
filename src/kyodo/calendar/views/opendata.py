"""The open-data event list: the page that describes it and each municipality's file. The
import is a placeholder until it is written."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from kyodo.calendar import opendata as event_list
from kyodo.calendar.models import Entry
from kyodo.core.exports import csv_response
from kyodo.core.permissions import public


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


@public
def entries_import(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404
