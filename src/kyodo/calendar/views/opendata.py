"""The open-data event list: each municipality's file. The page that describes it and the
import are placeholders until they are written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from kyodo.calendar import opendata as event_list
from kyodo.calendar.models import Entry
from kyodo.core.exports import csv_response
from kyodo.core.permissions import public


@public
def opendata(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


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
