"""Template filters and tags for Japanese dates and the page furniture."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils import timezone

from kyodo.core import dates
from kyodo.core.forms import PageFeedbackForm, page_token

register = template.Library()


def _local(value: datetime.date | datetime.datetime) -> datetime.date | datetime.datetime:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def wareki(value: datetime.date | datetime.datetime | None, arg: str = "") -> str:
    """「令和2年11月19日」; with "weekday": 「令和2年11月19日木曜日」."""
    if value is None:
        return ""
    return dates.format_date(_local(value), weekday=arg == "weekday")


@register.filter
def seireki(value: datetime.date | datetime.datetime | None) -> str:
    """「2022年12月7日」, as public sites write 更新日."""
    if value is None:
        return ""
    return dates.format_gregorian_date(_local(value))


@register.filter
def wareki_month(value: datetime.date | None) -> str:
    """「平成17年7月」, for dates known only to the month."""
    if value is None:
        return ""
    era, year = dates.to_wareki(value)
    return f"{dates.format_era_year(era, year)}{value.month}月"


@register.filter
def datetime_range(start: datetime.datetime | None, end: datetime.datetime | None) -> str:
    """「令和2年11月19日木曜日9時30分から12時00分」."""
    if start is None:
        return ""
    return dates.format_datetime_range(start, end)


@register.filter
def fiscal_year(value: int | datetime.date) -> str:
    year = value if isinstance(value, int) else dates.fiscal_year(value)
    return dates.format_fiscal_year(year)


@register.inclusion_tag("core/_feedback.html", takes_context=True)
def page_feedback(context: dict[str, Any]) -> dict[str, Any]:
    """The two questions at the foot of a content page, bound to the page and its owner."""
    request = context["request"]
    owner = context.get("page_owner")
    token = page_token(
        path=request.path,
        title=str(context.get("page_title", "")),
        owner_id=owner.pk if owner is not None else None,
    )
    return {
        "form": PageFeedbackForm(initial={"page": token}),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def comma(value: int | None) -> str:
    """An amount with thousands separators, as in 「12,000」."""
    return "" if value is None else f"{value:,}"
