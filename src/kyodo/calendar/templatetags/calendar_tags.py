"""How an entry's time is written on the calendar's pages."""

from __future__ import annotations

import datetime

from django import template

from kyodo.calendar.queries import TOKYO, Occurrence
from kyodo.core.dates import format_date_range, format_datetime_range

register = template.Library()


@register.filter
def clock(value: datetime.time | None) -> str:
    """「19:00」, as on a calendar."""
    return f"{value.hour}:{value.minute:02d}" if value else ""


@register.filter
def when(occurrence: Occurrence) -> str:
    """「令和8年12月6日日曜日19時00分から20時30分」, or the days with 「(終日)」."""
    entry = occurrence.entry
    if entry.start_time is None or entry.end_time is None:
        return f"{format_date_range(occurrence.start, occurrence.end)}(終日)"
    return format_datetime_range(
        datetime.datetime.combine(occurrence.start, entry.start_time, tzinfo=TOKYO),
        datetime.datetime.combine(occurrence.end, entry.end_time, tzinfo=TOKYO),
    )


@register.filter
def yen(value: int | None) -> str:
    if value is None:
        return ""
    return "無料" if value == 0 else f"{value:,}円"
