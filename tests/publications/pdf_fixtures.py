"""Rows for the print tests: a council with two member associations, a year of draft lines,
advertisements (one with real PNG artwork) and a newsletter issue."""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.publications.models import (
    AnnualCalendar,
    CalendarDraft,
    DraftLine,
    YearKind,
)

TITLES = [
    "夏祭り", "校区運動会", "もちつき大会", "子ども食堂", "ふれあいサロン", "一斉清掃",
    "防災訓練", "定例役員会", "グラウンドゴルフ大会", "高齢者学級", "資源ごみ回収",
]  # fmt: skip


@dataclass
class Council:
    council: Organisation
    associations: list[Organisation]


def make_council() -> Council:
    council = Organisation.objects.create(
        kind=OrganisationKind.COMMUNITY_COUNCIL,
        name="みなみ校区コミュニティ協議会",
        postal_code="890-0000",
        address="鹿児島市みなみ1-2-3",
        phone="099-000-0000",
    )
    associations = [
        Organisation.objects.create(
            kind=OrganisationKind.NEIGHBOURHOOD_ASSOCIATION, name=name, parent=council
        )
        for name in ("東町内会", "西町内会")
    ]
    return Council(council, associations)


def year_lines(
    first_day: datetime.date, count: int, organisers: list[str], *, seed: int = 2026
) -> list[DraftLine]:
    """``count`` lines spread over the year from ``first_day``, a few all-day, several days
    long or cancelled. With 100 lines or more, the first Sunday of each month gets six."""
    rng = random.Random(seed)
    days = [first_day + datetime.timedelta(days=n) for n in range(365)]
    busy = [
        next(d for d in days if d.month == m and d.weekday() == 6)
        for m in sorted({d.month for d in days})
    ]
    chosen = [day for day in busy for _ in range(6)] if count >= 100 else []
    chosen += [rng.choice(days) for _ in range(count - len(chosen))]
    lines: list[DraftLine] = []
    for n, day in enumerate(chosen):
        long = n % 37 == 0
        lines.append(
            DraftLine(
                uid=f"line-{n}@kyodo.test",
                date=day.isoformat(),
                end_date=(day + datetime.timedelta(days=2 if long else 0)).isoformat(),
                start_time=""
                if n % 9 == 0
                else f"{rng.choice([9, 10, 13, 14, 19]):02d}:{rng.choice(['00', '30'])}",
                title=f"{rng.choice(TITLES)}{n}",
                organisation=rng.choice(organisers),
                kind="event",
                cancelled=n % 41 == 5,
            )
        )
    return lines


def make_calendar(
    council: Council,
    *,
    year: int = 2026,
    year_kind: str = YearKind.CALENDAR,
    lines: int = 600,
) -> AnnualCalendar:
    calendar = AnnualCalendar.objects.create(
        council=council.council,
        year=year,
        year_kind=year_kind,
        title="みなみ校区 年間行事カレンダー",
    )
    organisers = ["協議会", *(a.name for a in council.associations)]
    CalendarDraft.objects.create(
        calendar=calendar, number=1, lines=year_lines(calendar.first_day, 10, organisers)
    )
    CalendarDraft.objects.create(
        calendar=calendar,
        number=2,
        lines=year_lines(calendar.first_day, lines, organisers),
    )
    return calendar


def png(text: str, size: tuple[int, int] = (600, 200), colour: str = "#1e6fb8") -> bytes:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, size[0] - 9, size[1] - 9), outline=colour, width=10)
    draw.ellipse((30, 30, size[1] - 30, size[1] - 30), fill=colour)
    draw.text((size[1], size[1] // 2 - 10), text, fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def artwork(name: str, text: str = "AD") -> ContentFile[bytes]:
    return ContentFile(png(text), name=name)
