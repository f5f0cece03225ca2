"""Demo data of the staff area: the demo staff member's participation in local events over
last and this fiscal year (some linked to the demo council's calendar, when the calendar demo
is loaded), a few logs of the colleague about to take over, and the council's pending request
asking for that colleague next fiscal year. Every date is today or earlier."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from kyodo.calendar import recurrence
from kyodo.calendar.models import Entry
from kyodo.core.dates import fiscal_year_bounds
from kyodo.directory.models import Person
from kyodo.liaison.queries import staff as queries
from kyodo.liaison.services import staff as services

if TYPE_CHECKING:
    from kyodo.liaison.demo import DemoContext

# (days after 1 April of last fiscal year, title, hours, note)
LAST_YEAR = [
    (
        20,
        "(デモ)校区コミュニティ協議会 総会",
        "2.0",
        "事業計画の説明を聞き、市の補助制度を紹介した。",
    ),
    (75, "(デモ)みなみ夏祭り 準備会", "1.5", ""),
    (118, "(デモ)みなみ夏祭り", "4.0", "本部テントで受付を手伝った。"),
    (170, "(デモ)敬老会", "2.5", ""),
    (228, "(デモ)防災訓練", "3.0", "避難所運営の訓練に参加。"),
    (290, "(デモ)どんど焼き", "2.0", ""),
]
# (days after 1 April of this fiscal year, title, hours, note); later than today are skipped.
THIS_YEAR = [
    (25, "(デモ)校区コミュニティ協議会 総会", "2.0", "新任の役員に挨拶。"),
    (100, "(デモ)みなみ夏祭り", "3.5", ""),
    (160, "(デモ)敬老会", "2.0", "来年度の担当の交代について会長に相談した。"),
]
INCOMING = [
    (40, "(デモ)きた校区 清掃活動", "1.5", "引継ぎの前に地域の様子を見に行った。"),
    (130, "(デモ)みなみ夏祭り(見学)", "2.0", ""),
]
LINKED = 3  # logs taken from the council's calendar, when it has past occurrences


def load(context: DemoContext) -> None:
    liaison = Person.objects.get(user=context.liaison)
    incoming = Person.objects.get(user=context.incoming)
    today = context.today
    last_start, _ = fiscal_year_bounds(context.fiscal_year - 1)
    this_start, _ = fiscal_year_bounds(context.fiscal_year)
    for start, rows, person, user, area in (
        (last_start, LAST_YEAR, liaison, context.liaison, context.area),
        (this_start, THIS_YEAR, liaison, context.liaison, context.area),
        (this_start, INCOMING, incoming, context.incoming, None),
    ):
        for days, title, hours, note in rows:
            day = start + datetime.timedelta(days=days)
            if day > today:
                continue
            services.participation_save(
                person=person,
                values={
                    "date": day,
                    "title": title,
                    "hours": Decimal(hours),
                    "note": note,
                    "area": area,
                },
                actor=user,
            )
    _log_calendar_entries(context, liaison)
    services.staff_request_create(
        area=context.area,
        person=incoming,
        fiscal_year=context.fiscal_year + 1,
        reason="夏祭りの準備会に何度も来てくれて、若い役員とも話が合う方です。"
        "来年度はぜひ地域の担当をお願いしたいです。",
        actor=context.officer,
    )


def _log_calendar_entries(context: DemoContext, liaison: Person) -> None:
    """The latest past occurrences of the council's published entries (none when the
    calendar demo is not loaded)."""
    choices = queries.log_choices(liaison, context.today)
    first, _ = fiscal_year_bounds(context.fiscal_year - 1)
    found: list[tuple[datetime.date, Entry]] = []
    for entry in choices.entries:
        skipped = [exception.date for exception in entry.exceptions.all()]
        for day in recurrence.occurrence_dates(entry, first, context.today, skipped):
            if first <= day <= context.today:
                found.append((day, entry))
    found.sort(key=lambda pair: pair[0], reverse=True)
    for day, entry in found[:LINKED]:
        services.participation_save(
            person=liaison,
            values={"entry": entry, "date": day, "hours": Decimal("1.5"), "note": ""},
            actor=context.liaison,
        )
