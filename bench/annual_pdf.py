"""The print files of the annual calendar: a council's year of 600 draft lines (50 a month,
six on the busiest days) and 24 advertisements filling the 8 × 3 band (8 with PNG artwork,
16 with text), rendered as the A3 and A2 wall sheets and the A4 booklet with WeasyPrint.
Uses a SQLite database and media folder of its own (a temporary folder, removed afterwards).
Run by bench/run.py, or alone; prints one markdown table.
"""

from __future__ import annotations

import datetime
import io
import logging
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time

import django

LINES = int(os.environ.get("BENCH_PDF_LINES", "600"))
RUNS = int(os.environ.get("BENCH_PDF_RUNS", "3"))
YEAR = 2026
TITLES = [
    "夏祭り", "校区運動会", "もちつき大会", "子ども食堂", "ふれあいサロン", "一斉清掃",
    "防災訓練", "定例役員会", "グラウンドゴルフ大会", "高齢者学級", "資源ごみ回収",
]  # fmt: skip


def main() -> None:
    var = tempfile.mkdtemp(prefix="kyodo-bench-pdf-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["KYODO_VAR_DIR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")
    try:
        django.setup()
        # WeasyPrint reports each step at INFO; the table is what this script prints.
        logging.getLogger("weasyprint").setLevel(logging.WARNING)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        calendar = build()
        print_table([measure(calendar, sheet) for sheet in ("a3", "a2", "a4_booklet")])
    finally:
        shutil.rmtree(var, ignore_errors=True)


def build() -> object:
    """A council with two associations, its 2026 calendar, a draft and 24 ad slots."""
    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    from kyodo.directory.models import Organisation, OrganisationKind
    from kyodo.publications.models import AD_GRID, AdSlot, AnnualCalendar, CalendarDraft

    rng = random.Random(YEAR)  # noqa: S311 -- sample data, not secrets
    council = Organisation.objects.create(
        kind=OrganisationKind.COMMUNITY_COUNCIL, name="ベンチ校区コミュニティ協議会"
    )
    organisers = ["協議会"] + [
        Organisation.objects.create(
            kind=OrganisationKind.NEIGHBOURHOOD_ASSOCIATION, name=name, parent=council
        ).name
        for name in ("東町内会", "西町内会")
    ]
    calendar = AnnualCalendar.objects.create(council=council, year=YEAR, title="年間行事カレンダー")
    days = [datetime.date(YEAR, 1, 1) + datetime.timedelta(n) for n in range(365)]
    busy = [next(d for d in days if d.month == m and d.weekday() == 6) for m in range(1, 13)]
    chosen = [day for day in busy for _ in range(6)]
    chosen += [rng.choice(days) for _ in range(LINES - len(chosen))]
    lines = [
        {
            "uid": f"bench-{n}@kyodo",
            "date": day.isoformat(),
            "end_date": day.isoformat(),
            "start_time": "" if n % 9 == 0 else f"{rng.choice([9, 10, 13, 19]):02d}:30",
            "title": f"{rng.choice(TITLES)}{n}",
            "organisation": rng.choice(organisers),
            "kind": "event",
            "cancelled": n % 41 == 5,
        }
        for n, day in enumerate(chosen)
    ]
    CalendarDraft.objects.create(calendar=calendar, number=1, lines=lines)
    for row in range(AD_GRID.rows):
        for column in range(AD_GRID.columns):
            artwork = None
            if column < AD_GRID.columns // 3:
                image = Image.new("RGB", (600, 200), "white")
                ImageDraw.Draw(image).ellipse((20, 20, 180, 180), fill="#1e6fb8")
                out = io.BytesIO()
                image.save(out, format="PNG")
                artwork = ContentFile(out.getvalue(), name=f"ad-{row}-{column}.png")
            AdSlot.objects.create(
                calendar=calendar,
                sponsor=f"協賛{row}{column}商会",
                column=column,
                row=row,
                fee=10000,
                text="" if artwork else "地域の暮らしを応援します\n電話 099-000-0000",
                artwork=artwork or "",
            )
    return calendar


def measure(calendar: object, sheet: str) -> tuple[str, int, int, float, float]:
    """(sheet, pages, bytes, first run ms, median ms of the next RUNS)."""
    from kyodo.publications.pdf import render_annual_calendar

    times = []
    pdf = b""
    for _ in range(RUNS + 1):
        started = time.perf_counter()
        pdf = render_annual_calendar(calendar, sheet)  # type: ignore[arg-type]
        times.append(time.perf_counter() - started)
    return sheet, _pages(pdf), len(pdf), times[0] * 1000, statistics.median(times[1:]) * 1000


def _pages(pdf: bytes) -> int:
    """The page count as pdfinfo (poppler-utils) reads it; 0 without poppler."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is None:
        return 0
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        info = subprocess.run([pdfinfo, file.name], capture_output=True, text=True, check=True)
    lines = info.stdout.splitlines()
    return next(int(line.split()[-1]) for line in lines if line.startswith("Pages:"))


def print_table(rows: list[tuple[str, int, int, float, float]]) -> None:
    print(
        f"\nannual calendar print files — {LINES} draft lines in {YEAR}, 24 advertisements "
        f"(8 with PNG artwork); WeasyPrint, {os.cpu_count()} cores\n"
    )
    print(f"| sheet | pages | bytes | first run ms | median of next {RUNS} ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for sheet, pages, size, first, median in rows:
        print(f"| {sheet} | {pages} | {size:,} | {first:,.0f} | {median:,.0f} |")


if __name__ == "__main__":
    main()
