"""The whole calendar as one iCalendar feed: 10,000 published entries of community councils,
NPOs and municipalities in several municipalities, streamed from a SQLite database of its own
(made in a temporary folder, removed afterwards). Reports the time to the first byte, the time
to the last, the size and the SQL queries. Run by bench/run.py; prints one markdown table.

Named calendar_feed.py, not calendar.py: a script's folder comes first on sys.path, and a
calendar.py there would stand in for the standard library's calendar module, which
http.client and dateutil import.
"""

from __future__ import annotations

import datetime
import os
import random
import shutil
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import django

ENTRIES = int(os.environ.get("BENCH_CALENDAR_ENTRIES", "10000"))
RUNS = int(os.environ.get("BENCH_CALENDAR_RUNS", "3"))
FEED_PATH = "/calendar/feed.ics"
# Where entries are posted: community councils, neighbourhood associations and NPOs under
# these municipalities (by local government code), and the municipalities themselves.
MUNICIPALITIES = ("462012", "462039", "462047", "462101", "462136", "462187", "463035")
GROUPS_PER_MUNICIPALITY = 12
TODAY = datetime.date(2026, 12, 1)


def main() -> None:
    var = tempfile.mkdtemp(prefix="kyodo-bench-calendar-")
    # A database of its own, whatever the environment names: the bench adds 10,000 rows.
    os.environ.pop("DATABASE_URL", None)
    os.environ["KYODO_VAR_DIR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")
    try:
        django.setup()
        from django.core.management import call_command

        from kyodo.directory import demo

        call_command("migrate", verbosity=0)
        call_command("createcachetable")
        # Error pages, should one occur, name static files through the manifest.
        call_command("collectstatic", "--no-input", verbosity=0)
        demo.load()
        mix = build()
        rendering = store()
        stored = [measure() for _ in range(RUNS)]
        age_organisations()
        print_table(mix, rendering, stored, measure())
    finally:
        shutil.rmtree(var, ignore_errors=True)


def stream() -> Iterator[bytes]:
    """The whole calendar's feed, chunk by chunk, as a calendar application receives it."""
    from django.test import Client

    response = Client(HTTP_HOST="127.0.0.1").get(FEED_PATH)
    if response.status_code != 200 or not response.streaming:
        raise SystemExit(f"{FEED_PATH} answered {response.status_code}, not a stream")
    return iter(response.streaming_content)


def store() -> float:
    """Render and store every entry's VEVENT, as the services do at each change; returns the
    seconds it took for all of them."""
    from django.conf import settings

    from kyodo.calendar import queries
    from kyodo.calendar.models import Entry

    started = time.perf_counter()
    entries = list(Entry.objects.select_related("organisation").prefetch_related("exceptions"))
    for entry in entries:
        entry.ical = queries.stored_ical(entry, [e.date for e in entry.exceptions.all()])
        entry.ical_site = settings.SITE_URL
    Entry.objects.bulk_update(entries, ["ical", "ical_site"], batch_size=1000)
    return time.perf_counter() - started


def age_organisations() -> None:
    """Every organisation changed after its entries (renamed, say): the feed then renders
    each VEVENT again on the way out, the slowest case."""
    from django.utils import timezone

    from kyodo.directory.models import Organisation

    Organisation.objects.update(updated_at=timezone.now())


def measure() -> tuple[float, float, int, int]:
    """(first byte s, last byte s, bytes, SQL queries) of one whole feed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    size = 0
    first = 0.0
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        for chunk in stream():
            if not size:
                first = time.perf_counter() - started
            size += len(chunk)
        total = time.perf_counter() - started
    return first, total, size, len(captured)


# --- The data -----------------------------------------------------------------------------

TITLES = {
    "event": [
        ("夏祭り", "なつまつり"),
        ("校区運動会", "こうくうんどうかい"),
        ("もちつき大会", "もちつきたいかい"),
        ("子ども食堂", "こどもしょくどう"),
        ("ふれあいサロン", "ふれあいさろん"),
        ("一斉清掃", "いっせいせいそう"),
        ("防災訓練", "ぼうさいくんれん"),
        ("健康ウォーキング", "けんこううぉーきんぐ"),
        ("ラジオ体操", "らじおたいそう"),
        ("作品展", "さくひんてん"),
    ],
    "meeting": [
        ("定例役員会", "ていれいやくいんかい"),
        ("総会", "そうかい"),
        ("地域づくり懇談会", "ちいきづくりこんだんかい"),
        ("まちづくり協議会", "まちづくりきょうぎかい"),
        ("防災部会", "ぼうさいぶかい"),
    ],
}
VENUES = ["地区公民館", "小学校 体育館", "地域コミュニティセンター", "中央公園", "市民会館"]
DESCRIPTION = (
    "地域のみなさんが顔を合わせ、つながりを深める機会です。どなたでも参加できます。"
    "飲み物は各自でお持ちください。駐車場に限りがありますので、なるべく徒歩か公共交通機関で"
    "お越しください。雨天の場合の開催は前日の正午までに校区のホームページでお知らせします。"
)


def _organisations() -> list[tuple[Any, str]]:
    """Groups under several municipalities (made here), and those municipalities, each with
    the name of its municipality."""
    from kyodo.directory.models import Organisation, OrganisationKind

    towns = list(Organisation.objects.filter(lgcode__in=MUNICIPALITIES))
    kinds = [
        (OrganisationKind.COMMUNITY_COUNCIL, "校区コミュニティ協議会"),
        (OrganisationKind.NEIGHBOURHOOD_ASSOCIATION, "町内会"),
        (OrganisationKind.NPO, "NPO法人 地域づくりの会"),
    ]
    groups = Organisation.objects.bulk_create(
        Organisation(kind=kind, name=f"{town.name}第{n + 1}{suffix}", parent=town)
        for town in towns
        for n in range(GROUPS_PER_MUNICIPALITY)
        for kind, suffix in [kinds[n % len(kinds)]]
    )
    town_names = {town.pk: town.name for town in towns}
    return [(group, town_names[group.parent_id]) for group in groups] + [
        (town, town.name) for town in towns
    ]


def _entry(rng: random.Random, poster: tuple[Any, str], number: int) -> tuple[Any, str]:
    """One published entry and its shape (timed, all-day, multi-day, recurring)."""
    from kyodo.calendar.models import Entry, EntryStatus, ObserverPolicy, Repeat

    organisation, town = poster
    kind = "meeting" if rng.random() < 0.35 else "event"
    title, kana = rng.choice(TITLES[kind])
    start = TODAY + datetime.timedelta(days=rng.randint(-365, 365))
    hour = rng.choice([9, 10, 13, 14, 18, 19])
    start_time: datetime.time | None = datetime.time(hour, rng.choice([0, 30]))
    end_time: datetime.time | None = datetime.time(hour + rng.choice([1, 2, 3]))
    end = start
    repeat, until = "", None
    roll = rng.random()
    if roll < 0.20:
        shape = "all-day"
        start_time = end_time = None
    elif roll < 0.30:
        shape = "multi-day"
        end = start + datetime.timedelta(days=rng.randint(1, 4))
        if rng.random() < 0.6:
            start_time = end_time = None
    elif roll < 0.55:
        shape = "recurring"
        repeat = rng.choice([Repeat.WEEKLY, Repeat.MONTHLY_WEEKDAY, Repeat.MONTHLY_DAY])
        until = start + datetime.timedelta(days=rng.randint(60, 365))
    else:
        shape = "timed"
    now = datetime.datetime.now(datetime.UTC)
    located = rng.random() < 0.5
    entry = Entry(
        organisation=organisation,
        kind=kind,
        status=EntryStatus.PUBLISHED,
        title=f"{title}({number})",
        title_kana=kana,
        start_date=start,
        end_date=end,
        start_time=start_time,
        end_time=end_time,
        repeat=repeat,
        repeat_interval=2 if repeat == Repeat.WEEKLY and rng.random() < 0.3 else 1,
        repeat_until=until,
        last_date=until or end,  # what save() would keep; bulk_create skips it
        description=DESCRIPTION[: rng.randint(40, len(DESCRIPTION))],
        fee_amount=rng.choice([None, 0, 0, 300, 500, 1000]),
        contact_name=f"{organisation.name} 事務局",
        contact_phone="099-000-0000",
        venue_name=f"{town}{rng.choice(VENUES)}",
        address=f"鹿児島県{town}{rng.randint(1, 30)}番{rng.randint(1, 20)}号",
        building="2階 研修室" if rng.random() < 0.3 else "",
        latitude=Decimal("31.596600") if located else None,
        longitude=Decimal("130.557100") if located else None,
        observer_policy=rng.choice(ObserverPolicy.values) if kind == "meeting" else "",
        observer_how="前日までに事務局へ電話で申し込んでください。" if kind == "meeting" else "",
        agenda="1. 事業報告\n2. 年間行事について" if kind == "meeting" else "",
        published_at=now,
        created_at=now,
        updated_at=now,
    )
    return entry, shape


def build() -> Counter[str]:
    """ENTRIES published entries in bulk, a third of the recurring ones with one to three
    exception dates; returns how many of each shape."""
    from django.db import transaction

    from kyodo.calendar import recurrence
    from kyodo.calendar.models import Entry, EntryException

    rng = random.Random(2026)  # noqa: S311 -- sample data, not secrets
    shapes: Counter[str] = Counter()
    with transaction.atomic():
        organisations = _organisations()
        made = [_entry(rng, rng.choice(organisations), n) for n in range(ENTRIES)]
        entries = Entry.objects.bulk_create([entry for entry, _shape in made], batch_size=1000)
        exceptions = []
        for entry, (_, shape) in zip(entries, made, strict=True):
            shapes[shape] += 1
            if shape == "recurring" and rng.random() < 1 / 3:
                dates = recurrence.rule_dates(entry)[1:]
                for day in rng.sample(dates, min(len(dates), rng.randint(1, 3))):
                    exceptions.append(EntryException(entry=entry, date=day))
        EntryException.objects.bulk_create(exceptions, batch_size=1000)
    shapes["exception dates"] = len(exceptions)
    shapes["organisations"] = len(organisations)
    return shapes


def print_table(
    mix: Counter[str],
    rendering: float,
    stored: list[tuple[float, float, int, int]],
    rendered: tuple[float, float, int, int],
) -> None:
    print(
        f"\ncalendar feed — {ENTRIES:,} published entries of {mix['organisations']} "
        f"organisations in {len(MUNICIPALITIES)} municipalities: {mix['timed']:,} timed, "
        f"{mix['all-day']:,} all-day, {mix['multi-day']:,} multi-day, {mix['recurring']:,} "
        f"recurring ({mix['exception dates']:,} exception dates); SQLite, `{FEED_PATH}` "
        f"through the test client\n"
    )
    print("| feed | first byte ms | total ms | bytes | SQL queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    first = statistics.median(run[0] for run in stored) * 1000
    total = statistics.median(run[1] for run in stored) * 1000
    size, queries = stored[-1][2], stored[-1][3]
    print(
        f"| whole calendar, VEVENTs stored at each change (median of {RUNS}) | {first:.0f} "
        f"| {total:,.0f} | {size:,} | {queries} |"
    )
    print(
        f"| whole calendar, every VEVENT rendered again (organisations changed) "
        f"| {rendered[0] * 1000:.0f} | {rendered[1] * 1000:,.0f} | {rendered[2]:,} "
        f"| {rendered[3]} |"
    )
    print(
        f"\nRendering and storing all {ENTRIES:,} VEVENTs (what the services do, one entry "
        f"at a time): {rendering * 1000:,.0f} ms, {rendering / ENTRIES * 1000:.2f} ms each."
    )


if __name__ == "__main__":
    main()
