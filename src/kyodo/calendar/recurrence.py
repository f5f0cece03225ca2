"""Recurring entries: the rule in dateutil's terms (for expansion), in RFC 5545 terms (for
feeds) and in Japanese words (for people). One rule, three views of it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from dateutil import rrule

from kyodo.core.dates import format_date, weekday_ja

if TYPE_CHECKING:
    from kyodo.calendar.models import Entry

_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def week_of_month(day: datetime.date) -> int:
    """1 to 4 for the first to fourth such weekday of the month; -1 for a fifth, which a rule
    can only mean as "the last"."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def _rule(entry: Entry) -> rrule.rrule:
    from kyodo.calendar.models import Repeat

    start = entry.start_date
    assert entry.repeat_until is not None
    common: dict[str, Any] = {
        "dtstart": datetime.datetime.combine(start, datetime.time()),
        "interval": entry.repeat_interval,
        "until": datetime.datetime.combine(entry.repeat_until, datetime.time()),
    }
    if entry.repeat == Repeat.WEEKLY:
        return rrule.rrule(rrule.WEEKLY, byweekday=start.weekday(), **common)
    if entry.repeat == Repeat.MONTHLY_WEEKDAY:
        weekday = rrule.weekday(start.weekday(), week_of_month(start))
        return rrule.rrule(rrule.MONTHLY, byweekday=weekday, **common)
    return rrule.rrule(rrule.MONTHLY, bymonthday=start.day, **common)


def rule_dates(entry: Entry) -> list[datetime.date]:
    """Every date the rule produces, exceptions included (bounded by ``repeat_until``)."""
    if not entry.repeat:
        return [entry.start_date]
    return [moment.date() for moment in _rule(entry)]


def occurrence_dates(
    entry: Entry,
    first: datetime.date,
    last: datetime.date,
    exceptions: Iterable[datetime.date] = (),
) -> list[datetime.date]:
    """The start dates of the entry's occurrences whose span touches first..last."""
    if not entry.repeat:
        return [entry.start_date] if entry.start_date <= last and entry.end_date >= first else []
    skipped = set(exceptions)
    found = _rule(entry).between(
        datetime.datetime.combine(first, datetime.time()),
        datetime.datetime.combine(last, datetime.time()),
        inc=True,
    )
    return [moment.date() for moment in found if moment.date() not in skipped]


def ical_rule(entry: Entry, until: datetime.date | datetime.datetime) -> dict[str, Any]:
    """The RRULE value. ``until`` is the last start as a date (all-day entries) or as a UTC
    date-time (timed entries), as RFC 5545 3.3.10 requires when DTSTART carries a TZID."""
    from kyodo.calendar.models import Repeat

    start = entry.start_date
    value: dict[str, Any] = {"FREQ": "WEEKLY" if entry.repeat == Repeat.WEEKLY else "MONTHLY"}
    if entry.repeat_interval > 1:
        value["INTERVAL"] = entry.repeat_interval
    if entry.repeat == Repeat.WEEKLY:
        value["BYDAY"] = _ICAL_DAYS[start.weekday()]
    elif entry.repeat == Repeat.MONTHLY_WEEKDAY:
        value["BYDAY"] = f"{week_of_month(start)}{_ICAL_DAYS[start.weekday()]}"
    else:
        value["BYMONTHDAY"] = start.day
    value["UNTIL"] = until
    return value


def describe(entry: Entry) -> str:
    """The rule in Japanese: 「毎月第1日曜日(2027年3月31日まで)」."""
    from kyodo.calendar.models import Repeat

    if not entry.repeat or entry.repeat_until is None:
        return ""
    start = entry.start_date
    weekday = weekday_ja(start)
    every = entry.repeat_interval
    if entry.repeat == Repeat.WEEKLY:
        text = f"毎週{weekday}" if every == 1 else f"{every}週間ごとの{weekday}"
    else:
        month = "毎月" if every == 1 else f"{every}か月ごとの"
        if entry.repeat == Repeat.MONTHLY_WEEKDAY:
            nth = week_of_month(start)
            text = f"{month}最終{weekday}" if nth == -1 else f"{month}第{nth}{weekday}"
        else:
            text = f"{month}{start.day}日"
    return f"{text}({format_date(entry.repeat_until)}まで)"
