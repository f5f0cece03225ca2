"""Print-ready PDFs of the council's publications, made with WeasyPrint: the annual event
calendar (A3 or A2 wall sheet, or an A4 saddle-stitched booklet) and the newsletter.

Pure rendering: these functions read rows and return bytes; storing the file and telling
anyone about it is the caller's job (a background task).

Choices made for print:

- Fonts are the system's Noto CJK (Debian fonts-noto-cjk), named by family, so WeasyPrint
  embeds a subset of them and the printer needs no fonts of its own.
- Nothing is fetched from the network: artwork and photos are handed to WeasyPrint as
  ``file://`` URLs inside the media folder (or ``data:`` URIs for storages without local
  files), and the URL fetcher refuses every other URL, so a stored URL cannot make the
  server call out.
- The wall sheet keeps a white margin of 12 mm all round, inside the usual 10 mm safe area
  of the trim, so nothing needs bleed. It must stay one page whatever the year holds: every
  part of it has a fixed height, and a day shows at most ``WALL_CELL_LINES`` lines, the
  last one becoming 「ほかN件」 when more are planned (the booklet lists them all).
- The A2 sheet is the A3 layout drawn at √2 (WeasyPrint's zoom), so type and boxes grow
  with the sheet and the one-page guarantee holds for both.
- Days are told apart by text as well as colour, for readers who cannot see the colours and
  for black-and-white copies: the weekday is written in every cell and a holiday is
  written by name with a ● mark, explained in the legend.
"""

from __future__ import annotations

import base64
import datetime
import math
import mimetypes
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone

from kyodo.core.dates import format_date, format_era_year, holiday_name, to_wareki, weekday_ja
from kyodo.publications.models import (
    AD_GRID,
    AdSlot,
    AnnualCalendar,
    CalendarDraft,
    DraftLine,
    IssueStatus,
    NewsletterIssue,
    NoticeKind,
    SheetFormat,
)

if TYPE_CHECKING:
    from weasyprint import Document

__all__ = ["WALL_CELL_LINES", "local_url_fetcher", "render_annual_calendar", "render_newsletter"]

Progress = Callable[[int, str], None]

# Lines a day's cell of the wall sheet holds, a holiday's name counting as one; measured on
# the A3 sheet with 5.4 pt type (see annual_wall.css).
WALL_CELL_LINES = 3
# A saddle-stitched booklet is folded from sheets of four pages.
BOOKLET_PAGES_PER_SHEET = 4
A2_ZOOM = math.sqrt(2)
# Good news first; obituaries close the notices, apart from the celebrations.
NOTICE_ORDER = (
    NoticeKind.CELEBRATION,
    NoticeKind.ORGANISATION,
    NoticeKind.MUNICIPAL,
    NoticeKind.OBITUARY,
)


# --- What the templates draw ----------------------------------------------------------------


@dataclass(frozen=True)
class PrintLine:
    time: str  # 「9:30」, or "" for all day
    title: str
    organisation: str
    cancelled: bool
    until: str  # 「〜5/6」 for a line lasting several days, else ""


@dataclass(frozen=True)
class DayCell:
    day: datetime.date | None  # None: no such day in the month (30 February)
    weekday: str = ""
    tone: str = ""  # "sat", "sun" (Sundays and holidays) or ""
    holiday: str = ""
    lines: Sequence[PrintLine] = ()
    more: int = 0  # lines left out of a full wall cell


@dataclass(frozen=True)
class MonthPage:
    year: int
    month: int
    era_year: str  # 「令和8年」
    days: Sequence[DayCell]
    count: int


@dataclass(frozen=True)
class AdBox:
    column: int  # 1-based, as CSS grid lines count
    row: int
    width: int
    height: int
    sponsor: str = ""
    text: str = ""
    image_url: str = ""

    @property
    def empty(self) -> bool:
        return not self.sponsor


@dataclass(frozen=True)
class Holiday:
    day: datetime.date
    name: str


@dataclass
class AnnualSheet:
    calendar: AnnualCalendar
    council: str
    months: list[tuple[int, int]]
    holidays: list[Holiday]
    ads: list[AdBox]
    line_count: int
    wall_rows: list[list[DayCell]] = field(default_factory=list)
    month_pages: list[MonthPage] = field(default_factory=list)


# --- The annual calendar --------------------------------------------------------------------


def render_annual_calendar(
    calendar: AnnualCalendar,
    sheet: str,
    *,
    draft: CalendarDraft | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The calendar as a print-ready PDF: ``sheet`` is a ``SheetFormat`` value (``a3``,
    ``a2`` — one landscape page — or ``a4_booklet``). Made from ``draft``, by default the
    newest one; raises ``ValueError`` for an unknown sheet or a calendar without drafts.
    ``progress(percent, note)`` is called as the work goes on."""
    report = progress or _silent
    if sheet not in SheetFormat.values:
        raise ValueError(f"unknown sheet {sheet!r}; use one of {', '.join(SheetFormat.values)}")
    if draft is None:
        draft = calendar.drafts.order_by("-number").first()
        if draft is None:
            raise ValueError(f"{calendar} has no draft to print; take a draft first")
    elif draft.calendar_id != calendar.pk:
        raise ValueError(f"{draft} is not a draft of {calendar}")
    report(5, "原稿を読み込んでいます")
    data = _annual_sheet(calendar, draft, list(calendar.ad_slots.all()), sheet)
    report(20, "版面を組み立てています")
    if sheet == SheetFormat.A4_BOOKLET:
        pdf = _render_booklet(data, report)
    else:
        html = render_to_string("publications/print/annual_wall.html", {"sheet": data})
        report(40, "PDFを組版しています")
        document = _document(html, "publications/ads.css", "publications/annual_wall.css")
        report(85, "PDFを書き出しています")
        pdf = document.write_pdf(zoom=A2_ZOOM if sheet == SheetFormat.A2 else 1)
    report(100, "できあがりました")
    return bytes(pdf)


def _render_booklet(data: AnnualSheet, report: Progress) -> bytes:
    # Cover, twelve months and the advertisements, then blank pages so that the back cover
    # ends a sheet of four. A month with more lines than a page holds runs on, so the count
    # is checked after layout and the blanks are set again if it was off.
    def layout(blanks: int) -> Document:
        html = render_to_string(
            "publications/print/annual_booklet.html", {"sheet": data, "blanks": range(blanks)}
        )
        return _document(html, "publications/ads.css", "publications/annual_booklet.css")

    body_pages = 1 + len(data.months) + 1 + 1  # cover, months, advertisements, back cover
    blanks = -body_pages % BOOKLET_PAGES_PER_SHEET
    report(40, "PDFを組版しています")
    document = layout(blanks)
    extra = len(document.pages) - (body_pages + blanks)
    if extra:
        report(60, "ページ数を4の倍数にそろえています")
        document = layout(-(body_pages + extra) % BOOKLET_PAGES_PER_SHEET)
    report(85, "PDFを書き出しています")
    return bytes(document.write_pdf())


def _annual_sheet(
    calendar: AnnualCalendar, draft: CalendarDraft, slots: list[AdSlot], sheet: str
) -> AnnualSheet:
    first, last = calendar.first_day, calendar.last_day
    by_day: dict[datetime.date, list[DraftLine]] = defaultdict(list)
    for line in draft.draft_lines:
        day = datetime.date.fromisoformat(line["date"])
        if first <= day <= last:
            by_day[day].append(line)
    for lines in by_day.values():
        # All-day lines first, then by time; the title breaks ties so reprints match.
        lines.sort(key=lambda line: (line["start_time"], line["title"]))
    months = calendar.months
    data = AnnualSheet(
        calendar=calendar,
        council=calendar.council.name,
        months=months,
        holidays=[
            Holiday(day, name)
            for day in _days_between(first, last)
            if (name := holiday_name(day)) is not None
        ],
        ads=_ad_boxes(slots),
        line_count=sum(len(lines) for lines in by_day.values()),
    )
    if sheet == SheetFormat.A4_BOOKLET:
        data.month_pages = [
            MonthPage(
                year=year,
                month=month,
                era_year=format_era_year(*to_wareki(datetime.date(year, month, 1))),
                days=[_cell(day, by_day[day], limit=None) for day in _month_days(year, month)],
                count=sum(len(by_day[day]) for day in _month_days(year, month)),
            )
            for year, month in months
        ]
    else:
        data.wall_rows = [
            [
                _cell(found, by_day[found], limit=WALL_CELL_LINES)
                if (found := _date_or_none(year, month, number))
                else DayCell(day=None)
                for year, month in months
            ]
            for number in range(1, 32)
        ]
    return data


def _cell(day: datetime.date, lines: list[DraftLine], *, limit: int | None) -> DayCell:
    holiday = holiday_name(day) or ""
    printed = [_print_line(line, day) for line in lines]
    more = 0
    if limit is not None:
        room = limit - (1 if holiday else 0)
        if len(printed) > room:
            # The last row of the cell says how many more there are.
            more = len(printed) - (room - 1)
            printed = printed[: room - 1]
    tone = "sun" if holiday or day.weekday() == 6 else "sat" if day.weekday() == 5 else ""
    return DayCell(
        day=day,
        weekday=weekday_ja(day, short=True),
        tone=tone,
        holiday=holiday,
        lines=printed,
        more=more,
    )


def _print_line(line: DraftLine, day: datetime.date) -> PrintLine:
    start = line["start_time"]
    end = datetime.date.fromisoformat(line["end_date"] or line["date"])
    return PrintLine(
        time=start.lstrip("0") if start[:2] != "00" else start[1:],
        title=line["title"],
        organisation=line["organisation"],
        cancelled=bool(line["cancelled"]),
        until=f"〜{end.month}/{end.day}" if end > day else "",
    )


def _ad_boxes(slots: Iterable[AdSlot]) -> list[AdBox]:
    """Every slot at its place in the band, and a box for each cell no slot takes."""
    boxes = [
        AdBox(
            column=slot.column + 1,
            row=slot.row + 1,
            width=slot.width,
            height=slot.height,
            sponsor=slot.sponsor,
            text=slot.text,
            image_url=_file_url(slot.artwork),
        )
        for slot in slots
    ]
    taken = set().union(*(slot.cells for slot in slots)) if slots else set()
    boxes += [
        AdBox(column=column + 1, row=row + 1, width=1, height=1)
        for row in range(AD_GRID.rows)
        for column in range(AD_GRID.columns)
        if (column, row) not in taken
    ]
    return sorted(boxes, key=lambda box: (box.row, box.column))


def _days_between(first: datetime.date, last: datetime.date) -> Iterable[datetime.date]:
    for offset in range((last - first).days + 1):
        yield first + datetime.timedelta(days=offset)


def _month_days(year: int, month: int) -> list[datetime.date]:
    return [day for number in range(1, 32) if (day := _date_or_none(year, month, number))]


def _date_or_none(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


# --- The newsletter -------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeGroup:
    kind: str
    label: str
    notices: list[Any]


def render_newsletter(
    issue: NewsletterIssue,
    *,
    today: datetime.date | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The issue as an A4 PDF in two columns, for delivery to the area's households.

    Obituaries are printed only with the family's recorded consent and only the fields they
    agreed to; their title and body are never printed, since editors write names there too.
    The web period does not apply to paper. An issue still being edited is marked as a
    proof (校正刷り) dated ``today`` (by default today in Japan)."""
    report = progress or _silent
    report(5, "記事を読み込んでいます")
    articles = [
        (article, _file_url(article.image) if article.image else "")
        for article in issue.articles.all()
    ]
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for notice in issue.notices.select_related("organisation"):
        if notice.is_obituary and not notice.has_consent:
            continue
        by_kind[notice.kind].append(notice)
    groups = [
        NoticeGroup(kind=kind, label=str(kind.label), notices=by_kind[kind])
        for kind in NOTICE_ORDER
        if by_kind[kind]
    ]
    proof = None
    if issue.status != IssueStatus.PUBLISHED:
        proof = format_date(today or timezone.localdate())
    html = render_to_string(
        "publications/print/newsletter.html",
        {
            "issue": issue,
            "council": issue.council.name,
            "issue_date": format_date(issue.issue_date),
            "articles": articles,
            "groups": groups,
            "proof": proof,
        },
    )
    report(40, "PDFを組版しています")
    document = _document(html, "publications/newsletter_print.css")
    report(85, "PDFを書き出しています")
    pdf = document.write_pdf()
    report(100, "できあがりました")
    return bytes(pdf)


# --- WeasyPrint -----------------------------------------------------------------------------


def _document(html: str, *stylesheets: str) -> Document:
    from weasyprint import CSS, HTML  # imported here: only the worker needs it

    fetcher = local_url_fetcher()
    sheets = []
    for name in stylesheets:
        path = finders.find(name)
        if not isinstance(path, str):
            raise LookupError(f"static file {name} not found")
        sheets.append(CSS(filename=path, url_fetcher=fetcher))
    return HTML(string=html, url_fetcher=fetcher).render(stylesheets=sheets)


def local_url_fetcher(roots: Sequence[Path] | None = None) -> Any:
    """A WeasyPrint URL fetcher that opens ``data:`` URIs and files inside ``roots`` (by
    default the media folder, where artwork and photos are kept) and refuses everything
    else, above all the network."""
    from weasyprint.urls import URLFetcher

    allowed = [Path(root).resolve() for root in (roots or [Path(settings.MEDIA_ROOT)])]

    class LocalURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in allowed):
                    raise ValueError(f"refused to read {path}: outside the media folder")
            elif scheme != "data":
                raise ValueError(f"refused to fetch {url!r}: print files use local files only")
            return super().fetch(url, headers)

    return LocalURLFetcher(allowed_protocols={"file", "data"})


def _file_url(file: FieldFile) -> str:
    """A URL WeasyPrint may open for a stored image: the file itself when the storage keeps
    files on this machine, else its bytes as a data URI."""
    if not file:
        return ""
    try:
        return Path(file.path).resolve().as_uri()
    except NotImplementedError:  # a storage without local paths (object storage)
        with file.open("rb") as stream:
            data = stream.read()
        kind = mimetypes.guess_type(file.name or "")[0] or "application/octet-stream"
        return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _silent(percent: int, note: str) -> None:
    pass
