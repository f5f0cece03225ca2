"""The public calendar: month grid, week and agenda lists, entry pages and iCal feeds. Every
page takes the same filters in its URL, and offers the feed of exactly what it shows."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from kyodo.calendar import queries, recurrence
from kyodo.calendar.forms import FilterForm, date_of, month_of
from kyodo.calendar.models import Entry
from kyodo.core.dates import format_date
from kyodo.core.permissions import public, requires_object

# Parameters that say which period a page shows; the rest are filters kept across views.
_PERIOD = ("month", "date", "from", "to")


def _filter_query(request: HttpRequest) -> str:
    kept = request.GET.copy()
    for name in _PERIOD:
        kept.pop(name, None)
    return kept.urlencode()


def _calendar_name(filters: queries.Filters) -> str:
    parts = [part.name for part in (filters.area, filters.organisation) if part is not None]
    if filters.observable:
        parts.append("傍聴できる会議")
    elif filters.kind:
        parts.append("会議" if filters.kind == "meeting" else "行事")
    if filters.words:
        parts.append("「" + " ".join(filters.words) + "」")
    return " ".join(parts) or "地域の行事・会議"


def _page(
    request: HttpRequest, template: str, view: str, title: str, **context: Any
) -> HttpResponse:
    form: FilterForm = context.pop("form")
    form.offer_choices()
    filters = form.filters()
    query = _filter_query(request)
    feed_path = reverse("calendar:feed") + (f"?{query}" if query else "")
    feed_url = request.build_absolute_uri(feed_path)
    name = _calendar_name(filters)
    return render(
        request,
        template,
        {
            "form": form,
            "filters": filters,
            "filter_query": query,
            "view": view,
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
            "calendar_name": name,
            "page_title": f"{title} {name}" if not filters.is_empty else title,
            "noindex": not filters.is_empty,
            **context,
        },
        status=400 if form.errors else 200,
    )


@public
def month(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET)
    shown = month_of(request.GET.get("month"))
    weeks = queries.month_weeks(form.filters(), shown)
    return _page(
        request,
        "calendar/month.html",
        "month",
        f"{shown.year}年{shown.month}月の行事・会議",
        form=form,
        month=shown,
        weeks=weeks,
        previous=queries.add_months(shown, -1),
        next=queries.add_months(shown, 1),
        today=timezone.localdate(),
    )


@public
def week(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET)
    day = date_of(request.GET.get("date"), timezone.localdate())
    first = day - datetime.timedelta(days=(day.weekday() + 1) % 7)
    last = first + datetime.timedelta(days=6)
    days = queries.days(first, last, queries.window(form.filters(), first, last))
    return _page(
        request,
        "calendar/week.html",
        "week",
        f"{format_date(first)}からの1週間の行事・会議",
        form=form,
        days=days,
        first=first,
        last=last,
        previous=first - datetime.timedelta(days=7),
        next=first + datetime.timedelta(days=7),
        today=timezone.localdate(),
    )


@public
def agenda(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET)
    today = timezone.localdate()
    first = date_of(request.GET.get("from"), today)
    last = date_of(request.GET.get("to"), first + datetime.timedelta(days=90))
    if last < first:
        last = first
    last = min(last, first + datetime.timedelta(days=366))
    found = queries.window(form.filters(), first, last)
    return _page(
        request,
        "calendar/list.html",
        "list",
        "行事・会議の一覧",
        form=form,
        occurrences=found[: queries.LIST_LIMIT],
        truncated=len(found) > queries.LIST_LIMIT,
        total=len(found),
        first=first,
        last=last,
    )


@public
def feed(request: HttpRequest) -> HttpResponseBase:
    form = FilterForm(request.GET)
    filters = form.filters()
    if form.errors:
        # A feed never widens to the whole calendar because a filter no longer applies (an
        # organisation merged away after someone subscribed).
        problems = "\n".join(str(m) for messages in form.errors.values() for m in messages)
        return HttpResponseBadRequest(
            f"フィードの条件が正しくありません。\n{problems}\n",
            content_type="text/plain; charset=utf-8",
        )
    entries = queries.filtered(filters, visible_only=False)
    etag, last_modified = queries.feed_version(entries)
    stamp = int(last_modified.timestamp()) if last_modified else None
    unchanged = get_conditional_response(request, etag=f'"{etag}"', last_modified=stamp)
    if unchanged is not None:
        return unchanged
    response = StreamingHttpResponse(
        queries.feed(entries, name=_calendar_name(filters)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="kyodo-calendar.ics"'
    response["ETag"] = f'"{etag}"'
    if last_modified is not None:
        response["Last-Modified"] = http_date(stamp)
    return response


@requires_object("calendar.view_entry", load=queries.entry_by_pk)
def entry_detail(request: HttpRequest, entry: Entry) -> HttpResponse:
    manages = request.user.has_perm("calendar.change_entry", entry)
    today = timezone.localdate()
    return render(
        request,
        "calendar/entry.html",
        {
            "entry": entry,
            "manages": manages,
            "occurrence": queries.Occurrence(entry, entry.start_date, entry.end_date),
            "rule": recurrence.describe(entry),
            "next_dates": queries.upcoming_dates(entry, today) if entry.repeat else [],
            "skipped": [e for e in entry.exceptions.all() if e.date >= today],
            "page_owner": entry.organisation,
            "page_title": entry.title,
            "page_updated": entry.updated_at,
            "noindex": entry.status not in ("published", "cancelled"),
        },
    )


@requires_object("calendar.view_entry", load=queries.entry_by_pk)
def entry_ics(request: HttpRequest, entry: Entry) -> HttpResponse:
    url = request.build_absolute_uri(entry.get_absolute_url())
    response = HttpResponse(queries.entry_ics(entry, url), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="entry-{entry.pk}.ics"'
    return response
