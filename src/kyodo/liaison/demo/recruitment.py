"""Demo recruitment request: the demo council asks its neighbourhood associations for
helpers at the summer festival, by age band; みなみ一丁目町内会's head has answered, the
second association not yet. All groups and people are invented and marked (デモ)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from kyodo.calendar.models import Entry, EntryStatus
from kyodo.directory import services as directory_services
from kyodo.directory.models import OrganisationKind
from kyodo.liaison.models import AgeBand
from kyodo.liaison.services import recruitment as services

if TYPE_CHECKING:
    from kyodo.liaison.demo import DemoContext

FESTIVAL = "校区夏祭り"
WANTED = {
    AgeBand.TEENS: 6,
    AgeBand.TWENTIES: 4,
    AgeBand.THIRTIES: 8,
    AgeBand.FORTIES: 8,
    AgeBand.FIFTIES: 6,
    AgeBand.SIXTIES: 5,
    AgeBand.SEVENTIES_PLUS: 3,
}
ANSWER = {
    AgeBand.TEENS: 4,
    AgeBand.TWENTIES: 1,
    AgeBand.THIRTIES: 3,
    AgeBand.FORTIES: 5,
    AgeBand.FIFTIES: 4,
    AgeBand.SIXTIES: 6,
    AgeBand.SEVENTIES_PLUS: 3,
}


def _festival_date(today: datetime.date) -> datetime.date:
    """The coming summer's festival (the fourth Saturday of July), at least a month away."""
    year = today.year if today < datetime.date(today.year, 6, 1) else today.year + 1
    first = datetime.date(year, 7, 1)
    return first + datetime.timedelta(days=(5 - first.weekday()) % 7 + 21)


def load(context: DemoContext) -> None:
    second = directory_services.organisation_create(
        actor=None,
        kind=OrganisationKind.NEIGHBOURHOOD_ASSOCIATION,
        name="(デモ)みなみ二丁目町内会",
        kana="みなみにちょうめちょうないかい",
        parent=context.area,
    )
    # The festival as the council published it on the calendar, when it is there.
    entry = (
        Entry.objects.filter(
            organisation=context.area,
            title=FESTIVAL,
            status=EntryStatus.PUBLISHED,
            start_date__gte=context.today,
        )
        .order_by("start_date")
        .first()
    )
    event_date = entry.start_date if entry else _festival_date(context.today)
    request = services.recruitment_create(
        notify=False,
        organiser=context.area,
        entry=entry,
        title="" if entry else f"(デモ){FESTIVAL}",
        event_date=event_date,
        answer_by=max(context.today, event_date - datetime.timedelta(days=30)),
        message=(
            "今年も校区夏祭りの運営にご協力ください。やぐら・受付・子どもコーナー・"
            "片付けの係に、年代別に次の人数の参加をお願いします。"
        ),
        wanted={band.value: count for band, count in WANTED.items()},
        associations=[context.association, second],
        actor=context.officer,
    )
    services.recruitment_answer(
        ask=request.asks.get(association=context.association),
        counts={band.value: count for band, count in ANSWER.items()},
        note="20代は仕事の都合で1人だけです。60代は多めに出せます。",
        actor=context.head,
    )
