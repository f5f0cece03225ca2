"""The calendar's pages and feeds read a fixed number of queries with 10 and with 5,000
entries (recurring ones with exceptions among them)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from kyodo.calendar.models import (
    Entry,
    EntryException,
    EntryKind,
    EntryStatus,
    ObserverPolicy,
    Repeat,
)

SIZES = [10, 5000]


def build(organisation, count: int) -> Entry:
    entries = []
    for n in range(count):
        day = datetime.date(2026, 12, 1 + n % 28)
        recurring = n % 10 == 0
        entries.append(
            Entry(
                organisation=organisation,
                kind=EntryKind.MEETING if n % 2 else EntryKind.EVENT,
                observer_policy=ObserverPolicy.OPEN if n % 2 else "",
                status=EntryStatus.PUBLISHED,
                title=f"行事{n}",
                title_kana="ぎょうじ",
                start_date=day,
                end_date=day if recurring else day + datetime.timedelta(days=n % 3),
                start_time=datetime.time(10) if n % 4 else None,
                end_time=datetime.time(12) if n % 4 else None,
                repeat=Repeat.WEEKLY if recurring else "",
                repeat_until=day + datetime.timedelta(days=60) if recurring else None,
                last_date=day + datetime.timedelta(days=60 if recurring else n % 3),
                description="説明",
                venue_name="公民館",
                address="鹿児島市",
            )
        )
    Entry.objects.bulk_create(entries, batch_size=500)
    EntryException.objects.bulk_create(
        EntryException(entry=entry, date=entry.start_date + datetime.timedelta(days=7))
        for entry in Entry.objects.exclude(repeat="")
    )
    return Entry.objects.first()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("path", "params", "queries"),
    [
        ("/calendar/", {"month": "2026-12"}, 4),
        ("/calendar/", {"month": "2026-12", "area": "AREA", "kind": "meeting"}, 6),
        ("/calendar/week/", {"date": "2026-12-06"}, 4),
        ("/calendar/list/", {"from": "2026-12-01", "to": "2026-12-31"}, 4),
        ("/calendar/feed.ics", {}, 3),
        ("/calendar/feed.ics", {"area": "AREA", "observable": "on"}, 5),
    ],
)
def test_pages_and_feeds_read_a_fixed_number_of_queries(
    demo, django_assert_num_queries, size, path, params, queries
):
    build(demo.council, size)
    params = {k: demo.kagoshima_city.pk if v == "AREA" else v for k, v in params.items()}
    client = Client()
    with django_assert_num_queries(queries):
        response = client.get(path, params)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    if path.endswith(".ics"):
        expected = size if not params else size // 2  # every other entry is a meeting
        assert body.count(b"BEGIN:VEVENT") == expected


@pytest.mark.parametrize("size", SIZES)
def test_an_entry_page_reads_a_fixed_number_of_queries(demo, django_assert_num_queries, size):
    first = build(demo.council, size)
    with django_assert_num_queries(2):
        response = Client().get(first.get_absolute_url())
    assert response.status_code == 200
