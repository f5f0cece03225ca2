"""The staff area's demo: participation over two fiscal years, none in the future, linked to
the council's calendar when the calendar demo is there, and the council's pending request."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kyodo.calendar import demo as calendar_demo
from kyodo.calendar import recurrence
from kyodo.calendar.models import Entry
from kyodo.liaison.demo import _load_scheme
from kyodo.liaison.demo import staff as staff_demo
from kyodo.liaison.models import Participation, RequestStatus, StaffRequest
from kyodo.liaison.queries.staff import occurs_on

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("with_calendar", [False, True])
def test_the_demo_logs_past_events_and_leaves_one_request_waiting(demo, with_calendar):
    if with_calendar:
        calendar_demo.load()
    context = _load_scheme()
    staff_demo.load(context)
    today = timezone.localdate()
    mine = Participation.objects.filter(person__user=context.liaison)
    assert mine.count() >= 6
    assert {log.fiscal_year for log in mine} >= {context.fiscal_year - 1}
    assert all(log.date <= today for log in Participation.objects.all())
    assert Participation.objects.filter(person__user=context.incoming).exists()
    linked = list(mine.filter(entry__isnull=False).select_related("entry"))
    # The calendar's demo entries start this month: linked when one has taken place already.
    first = datetime.date(context.fiscal_year - 1, 4, 1)
    happened = with_calendar and any(
        recurrence.occurrence_dates(entry, first, today, [])
        for entry in Entry.objects.filter(organisation=context.area, status="published")
    )
    assert bool(linked) == bool(happened)
    assert all(log.entry is not None and occurs_on(log.entry, log.date) for log in linked)
    request = StaffRequest.objects.get()
    assert (request.status, request.fiscal_year, request.requested_by) == (
        RequestStatus.PENDING,
        context.fiscal_year + 1,
        context.officer,
    )
