"""Japanese calendar conventions used in municipal publications.

Conventions followed, and where they come from:

- Era names (元号) and their first days: 明治 (改元の詔, 慶応4年9月8日 = 1868-10-23, applied
  back to the start of that year), 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08 (元号を改める
  政令, 昭和64年政令第1号) and 令和 2019-05-01 (平成31年政令第143号). The day an era begins belongs
  to the new era, and its first year is written 元年, never 1年, as in 公用文.
- The Gregorian calendar has been in use since 1873-01-01 (改暦ノ布告, 明治5年太政官布告第337号).
  Earlier dates were lunisolar and cannot be written here from a Python ``date``; they raise
  ``ValueError`` rather than producing a plausible-looking but wrong 明治 date.
- A local government's fiscal year (会計年度) runs from 1 April to 31 March
  (地方自治法第208条第1項) and is written with 年度, e.g. 令和2年度.
- Public holidays are those of 国民の祝日に関する法律, including 振替休日 (第3条第2項) and
  国民の休日 (第3条第3項), taken from the maintained ``holidays`` package. Offices are also
  closed on weekends and from 29 December to 3 January (行政機関の休日に関する法律第1条; local
  governments set the same days by 条例 under 地方自治法第4条の2).
- Times are written on a 24-hour clock as in published meeting results, hour without a leading
  zero and minutes always with two digits: 「令和2年11月19日木曜日9時30分から12時00分」.
  Seconds are dropped. Aware datetimes are converted to Asia/Tokyo first; naive ones are taken
  to be Asia/Tokyo wall-clock time already.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from types import MappingProxyType
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "ERAS",
    "GREGORIAN_CALENDAR_START",
    "TOKYO",
    "Era",
    "WarekiDate",
    "fiscal_year",
    "fiscal_year_bounds",
    "format_date",
    "format_date_range",
    "format_datetime_range",
    "format_era_year",
    "format_fiscal_year",
    "format_gregorian_date",
    "format_time",
    "holiday_name",
    "is_office_closed",
    "to_wareki",
    "weekday_ja",
]

TOKYO = ZoneInfo("Asia/Tokyo")

GREGORIAN_CALENDAR_START = date(1873, 1, 1)

_WEEKDAYS = "月火水木金土日"


@dataclass(frozen=True, slots=True)
class Era:
    """A Japanese era (元号) and the Gregorian date on which it took effect."""

    name: str
    start: date


# Ordered oldest first: lookups rely on it.
ERAS: tuple[Era, ...] = (
    Era("明治", date(1868, 10, 23)),
    Era("大正", date(1912, 7, 30)),
    Era("昭和", date(1926, 12, 25)),
    Era("平成", date(1989, 1, 8)),
    Era("令和", date(2019, 5, 1)),
)

_ERA_NAMES = frozenset(era.name for era in ERAS)


class WarekiDate(NamedTuple):
    """The era and era year of a date; month and day are the same as the Gregorian date's."""

    era: str
    year: int


def _in_tokyo(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=TOKYO)
    return value.astimezone(TOKYO)


def _local_date(value: date) -> date:
    # A datetime is a date too; without this, an aware datetime late in the UTC day would be
    # filed under the wrong Japanese day, and comparing it with a plain date raises TypeError.
    if isinstance(value, datetime):
        return _in_tokyo(value).date()
    return value


def _era_for(d: date) -> Era:
    if d < GREGORIAN_CALENDAR_START:
        raise ValueError(
            f"{d.isoformat()} is before the Gregorian calendar was adopted in Japan "
            f"({GREGORIAN_CALENDAR_START.isoformat()})"
        )
    # Cannot run dry: 明治 began before the earliest date let through above.
    return next(era for era in reversed(ERAS) if era.start <= d)


def to_wareki(d: date) -> WarekiDate:
    """Return the era name and era year of ``d``; raises ``ValueError`` before 1873-01-01."""
    d = _local_date(d)
    era = _era_for(d)
    return WarekiDate(era.name, d.year - era.start.year + 1)


def format_era_year(era: str, year: int) -> str:
    """Write an era year, e.g. 「令和元年」 or 「令和2年」."""
    if era not in _ERA_NAMES:
        raise ValueError(f"unknown era {era!r}")
    if year < 1:
        raise ValueError(f"era year must be 1 or more, got {year}")
    return f"{era}{'元' if year == 1 else year}年"


def weekday_ja(d: date, *, short: bool = False) -> str:
    """Return the weekday as 「木曜日」, or 「木」 when ``short``."""
    day = _WEEKDAYS[_local_date(d).weekday()]
    return day if short else f"{day}曜日"


def format_date(d: date, *, weekday: bool = False) -> str:
    """Write a date in the Japanese calendar: 「令和2年11月19日」, or 「令和2年11月19日木曜日」."""
    d = _local_date(d)
    era, year = to_wareki(d)
    text = f"{format_era_year(era, year)}{d.month}月{d.day}日"
    return f"{text}{weekday_ja(d)}" if weekday else text


def format_gregorian_date(d: date) -> str:
    """Write a date in the Gregorian calendar, e.g. 「2022年12月7日」 (as used for 更新日)."""
    d = _local_date(d)
    return f"{d.year}年{d.month}月{d.day}日"


def format_time(t: time | datetime) -> str:
    """Write a time of day as 「9時30分」; seconds are dropped.

    A ``datetime`` is converted to Asia/Tokyo first. An aware ``time`` is refused, because
    without a date its offset cannot be converted reliably.
    """
    if isinstance(t, datetime):
        t = _in_tokyo(t).time()
    elif t.tzinfo is not None:
        raise ValueError("pass an aware datetime, not an aware time, so it can be converted")
    return f"{t.hour}時{t.minute:02d}分"


def format_datetime_range(start: datetime, end: datetime | None = None) -> str:
    """Write a meeting's time as in published results.

    Same day: 「令和2年11月19日木曜日9時30分から12時00分」. Ending on another day, the end
    repeats the full date: 「…9時30分から令和2年11月20日金曜日12時00分」. With no end, only
    the start is written. An end before the start raises ``ValueError``.
    """
    start = _in_tokyo(start)
    text = f"{format_date(start.date(), weekday=True)}{format_time(start)}"
    if end is None:
        return text
    end = _in_tokyo(end)
    if end < start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    if end.date() == start.date():
        return f"{text}から{format_time(end)}"
    return f"{text}から{format_date(end.date(), weekday=True)}{format_time(end)}"


def format_date_range(start: date, end: date | None = None) -> str:
    """Write a span of whole days, always with weekdays.

    The end omits the era and year when they are the same as the start's:
    「令和2年11月19日木曜日から11月21日土曜日」; otherwise both dates are written in full.
    A single day (no end, or end equal to start) is written as one date. An end before the
    start raises ``ValueError``.
    """
    start = _local_date(start)
    text = format_date(start, weekday=True)
    if end is None:
        return text
    end = _local_date(end)
    if end < start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    if end == start:
        return text
    if to_wareki(end) == to_wareki(start):
        return f"{text}から{end.month}月{end.day}日{weekday_ja(end)}"
    return f"{text}から{format_date(end, weekday=True)}"


def fiscal_year(d: date) -> int:
    """Return the fiscal year of ``d`` as the Gregorian year in which it starts (1 April)."""
    d = _local_date(d)
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """Return the first and last days of fiscal year ``fy`` (1 April to the next 31 March)."""
    return date(fy, 4, 1), date(fy + 1, 3, 31)


def format_fiscal_year(fy: int) -> str:
    """Write a fiscal year in the Japanese calendar, e.g. 「令和2年度」 or 「令和元年度」."""
    first, _ = fiscal_year_bounds(fy)
    era = _era_for(first)
    # A fiscal year is named by the era in force on its first day, 1 April. But when a new era
    # begins later in that same calendar year (April to December), the fiscal year is renamed
    # after it, because that calendar year is the new era's 元年 and documents issued after the
    # change say so: FY2019 is 令和元年度 (平成31年度 survives only as an alias in budgets passed
    # before 1 May 2019), FY1912 大正元年度, FY1926 昭和元年度. An era beginning in January to
    # March falls in the next calendar year, so the fiscal year keeps its old name: 平成 began
    # 1989-01-08, so FY1988 stays 昭和63年度 and FY1989 is 平成元年度.
    for later in ERAS:
        if first < later.start <= date(fy, 12, 31):
            era = later
    return f"{format_era_year(era.name, fy - era.start.year + 1)}度"


# Bounded because callers may ask about arbitrary years; a few dozen covers any real page.
@functools.lru_cache(maxsize=64)
def _holidays_for_year(year: int) -> Mapping[date, str]:
    # Copied out of the HolidayBase, which adds other years to itself when asked about them,
    # and made read-only, since the cached mapping is shared by every caller.
    found = holidays.country_holidays("JP", language="ja", years=year)
    return MappingProxyType(dict(found.items()))


def holiday_name(d: date) -> str | None:
    """Return the Japanese name of the public holiday on ``d``, or ``None``.

    Coverage is that of the ``holidays`` package (1949 to 2099 at the time of writing); other
    years have no holidays.
    """
    d = _local_date(d)
    return _holidays_for_year(d.year).get(d)


def is_office_closed(d: date) -> bool:
    """Whether government offices are closed: weekends, public holidays and 29 Dec to 3 Jan."""
    d = _local_date(d)
    year_end_break = (d.month, d.day) >= (12, 29) or (d.month, d.day) <= (1, 3)
    return d.weekday() >= 5 or year_end_break or holiday_name(d) is not None
