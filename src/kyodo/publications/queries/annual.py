"""Reads of the annual event calendar: the calendars a person works on, the lines gathered
from the calendar entries, the drafts and what changed between them, the advertisement band
and its money, and the delivery counts. Each page costs a fixed number of queries whatever
the number of entries, drafts, comments or slots."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from kyodo.calendar import queries as calendar_queries
from kyodo.calendar.models import Entry
from kyodo.core.dates import format_era_year, to_wareki, weekday_ja
from kyodo.directory.models import EDITING_ROLES, Membership, Organisation, OrganisationKind
from kyodo.directory.queries import descendant_ids
from kyodo.directory.rules import roles_of
from kyodo.publications.models import (
    AD_GRID,
    AdSlot,
    AnnualCalendar,
    CalendarComment,
    CalendarDraft,
    Delivery,
    DraftLine,
    YearKind,
)

# --- Loading what a URL names ---------------------------------------------------------------


def calendar_by_pk(pk: int, **parts: int) -> AnnualCalendar:
    """The calendar of a URL; other parts the URL names (a slot, a comment) are kept in
    ``requested_parts`` and looked up only after the permission check on the calendar."""
    calendar = get_object_or_404(AnnualCalendar.objects.select_related("council"), pk=pk)
    calendar.requested_parts = parts  # type: ignore[attr-defined]
    return calendar


def requested_part(calendar: AnnualCalendar, name: str) -> int:
    parts: dict[str, int] = calendar.requested_parts  # type: ignore[attr-defined]
    return parts[name]


def draft_by_number(pk: int, number: int) -> CalendarDraft:
    return get_object_or_404(
        CalendarDraft.objects.select_related("calendar__council", "taken_by"),
        calendar_id=pk,
        number=number,
    )


def ad_slot(calendar: AnnualCalendar, pk: int) -> AdSlot:
    slot = get_object_or_404(AdSlot, calendar=calendar, pk=pk)
    slot.calendar = calendar  # already loaded, with its council
    return slot


def comment(calendar: AnnualCalendar, pk: int) -> CalendarComment:
    return get_object_or_404(
        CalendarComment.objects.select_related("draft", "organisation"),
        draft__calendar=calendar,
        pk=pk,
    )


# --- Calendars a person works on ------------------------------------------------------------


def calendars_for(user: Any) -> list[AnnualCalendar]:
    """The calendars of the councils the user edits, and of the councils one of whose
    member associations the user is an officer of (site administrators: all)."""
    calendars = AnnualCalendar.objects.select_related("council").order_by(
        "-year", "council__kana", "council__name"
    )
    if not getattr(user, "is_superuser", False):
        editable = roles_of(user).editable_org_ids
        calendars = calendars.filter(
            Q(council_id__in=editable)
            | Q(council__in=Organisation.objects.filter(children__in=editable))
        ).distinct()
    return list(calendars)


def default_title(council: Organisation, year: int, year_kind: str) -> str:
    """「令和9年 (協議会名) 年間行事カレンダー」, or 「令和9年度 …」 for a fiscal year."""
    calendar = AnnualCalendar(council=council, year=year, year_kind=year_kind)
    era, era_year = to_wareki(calendar.first_day)
    period = format_era_year(era, era_year)
    if calendar.year_kind == YearKind.FISCAL:
        period += "度"
    return f"{period} {council.name} 年間行事カレンダー"


# --- Lines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One printed line of the calendar: from the live entries (with the entry's id, so an
    editor can leave it out) or from a draft."""

    uid: str
    date: datetime.date
    end_date: datetime.date
    start_time: str
    title: str
    organisation: str
    kind: str
    cancelled: bool
    entry_id: int | None = None

    @classmethod
    def from_draft(cls, line: DraftLine) -> Line:
        return cls(
            uid=line["uid"],
            date=datetime.date.fromisoformat(line["date"]),
            end_date=datetime.date.fromisoformat(line["end_date"]),
            start_time=line["start_time"],
            title=line["title"],
            organisation=line["organisation"],
            kind=line["kind"],
            cancelled=bool(line["cancelled"]),
        )

    def as_draft(self) -> DraftLine:
        return DraftLine(
            uid=self.uid,
            date=self.date.isoformat(),
            end_date=self.end_date.isoformat(),
            start_time=self.start_time,
            title=self.title,
            organisation=self.organisation,
            kind=self.kind,
            cancelled=self.cancelled,
        )

    @property
    def key(self) -> tuple[str, datetime.date]:
        return (self.uid, self.date)

    @property
    def day_label(self) -> str:
        """「1月10日(日)」, or 「1月10日(日)〜12日(火)」 for several days."""
        text = f"{self.date.month}月{self.date.day}日({weekday_ja(self.date, short=True)})"
        if self.end_date == self.date:
            return text
        end = self.end_date
        month = f"{end.month}月" if end.month != self.date.month else ""
        return f"{text}〜{month}{end.day}日({weekday_ja(end, short=True)})"

    @property
    def time_label(self) -> str:
        return self.start_time or "終日"


def _organisation_ids(calendar: AnnualCalendar) -> set[int]:
    if calendar.include_members:
        return descendant_ids(calendar.council)
    return {calendar.council_id}


def current_lines(calendar: AnnualCalendar) -> list[Line]:
    """The lines the calendar would print now: every occurrence between its first and last
    day of the published and cancelled entries of the council (and, with
    ``include_members``, of the organisations under it), except the entries left out.
    Three queries: the organisation tree, the entries, their exception dates."""
    first, last = calendar.first_day, calendar.last_day
    entries = (
        Entry.objects.visible()
        .filter(organisation_id__in=_organisation_ids(calendar))
        .exclude(pk__in=calendar.excluded_entries.values("pk"))
        .overlapping(first, last)
        .select_related("organisation")
        .prefetch_related("exceptions")
    )
    return [
        Line(
            uid=str(occurrence.entry.uid),
            date=max(occurrence.start, first),
            end_date=min(occurrence.end, last),
            start_time=(
                f"{occurrence.entry.start_time:%H:%M}" if occurrence.entry.start_time else ""
            ),
            title=occurrence.entry.title,
            organisation=occurrence.entry.organiser,
            kind=occurrence.entry.kind,
            cancelled=occurrence.entry.is_cancelled,
            entry_id=occurrence.entry.pk,
        )
        for occurrence in calendar_queries.occurrences(entries, first, last)
    ]


def draft_lines(draft: CalendarDraft) -> list[Line]:
    return [Line.from_draft(line) for line in draft.draft_lines]


def excluded_entries(calendar: AnnualCalendar) -> list[Entry]:
    return list(
        calendar.excluded_entries.select_related("organisation").order_by("start_date", "pk")
    )


@dataclass
class Month:
    year: int
    month: int
    lines: list[Line] = field(default_factory=list)

    @property
    def label(self) -> str:
        era, era_year = to_wareki(datetime.date(self.year, self.month, 1))
        return f"{format_era_year(era, era_year)}{self.month}月"

    @property
    def anchor(self) -> str:
        return f"month-{self.year}-{self.month:02d}"


def by_month(calendar: AnnualCalendar, lines: Iterable[Line]) -> list[Month]:
    """The calendar's twelve months, each with its lines in order."""
    months = {(year, month): Month(year, month) for year, month in calendar.months}
    for line in lines:
        found = months.get((line.date.year, line.date.month))
        if found is not None:
            found.lines.append(line)
    return list(months.values())


# --- Changes between drafts -----------------------------------------------------------------

# What makes a line "changed" when its entry and day are the same, with the labels shown.
COMPARED = (
    ("title", "行事名"),
    ("start_time", "開始時間"),
    ("end_date", "終了日"),
    ("organisation", "団体"),
    ("cancelled", "中止"),
)


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed" or "changed"
    line: Line  # the line as it is now (as it was, for a removed line)
    before: Line | None = None
    fields: tuple[tuple[str, str, str], ...] = ()  # (label, before, after)

    @property
    def label(self) -> str:
        return {"added": "追加", "removed": "削除", "changed": "変更"}[self.kind]


def _shown(name: str, value: Any) -> str:
    if name == "cancelled":
        return "中止" if value else "実施"
    if name == "start_time":
        return value or "終日"
    if name == "end_date":
        return f"{value.month}月{value.day}日"
    return str(value)


def changes(before: Sequence[Line], after: Sequence[Line]) -> list[Change]:
    """What a reader of ``before`` finds different in ``after``: lines added, removed, and
    changed (same entry on the same day, with another title, start time, end day, organiser
    or cancellation), in the order of the day."""
    old = {line.key: line for line in before}
    new = {line.key: line for line in after}
    found = []
    for key, line in new.items():
        if key not in old:
            found.append(Change("added", line))
            continue
        previous = old[key]
        differing = tuple(
            (label, _shown(name, getattr(previous, name)), _shown(name, getattr(line, name)))
            for name, label in COMPARED
            if getattr(previous, name) != getattr(line, name)
        )
        if differing:
            found.append(Change("changed", line, previous, differing))
    found += [Change("removed", line) for key, line in old.items() if key not in new]
    found.sort(key=lambda change: (change.line.date, change.line.start_time, change.line.title))
    return found


def drafts(calendar: AnnualCalendar) -> list[CalendarDraft]:
    """The calendar's drafts, newest first, with their number of comments and of those not
    yet answered."""
    return list(
        calendar.drafts.select_related("taken_by")
        .annotate(
            comment_count=Count("comments"),
            open_count=Count("comments", filter=Q(comments__resolved_at__isnull=True)),
        )
        .order_by("-number")
    )


def previous_draft(draft: CalendarDraft) -> CalendarDraft | None:
    return (
        CalendarDraft.objects.filter(calendar_id=draft.calendar_id, number__lt=draft.number)
        .order_by("-number")
        .first()
    )


def comments(draft: CalendarDraft) -> list[CalendarComment]:
    return list(draft.comments.select_related("organisation"))


def commenting_organisations(user: Any, calendar: AnnualCalendar) -> list[Organisation]:
    """The organisations on whose behalf the user may comment: those they edit among the
    council and its member associations."""
    organisations = Organisation.objects.filter(
        Q(pk=calendar.council_id) | Q(parent_id=calendar.council_id)
    ).order_by("parent_id", "kana", "name")
    if not getattr(user, "is_superuser", False):
        organisations = organisations.filter(pk__in=roles_of(user).editable_org_ids)
    return list(organisations)


# --- Advertisements -------------------------------------------------------------------------


def ad_slots(calendar: AnnualCalendar) -> list[AdSlot]:
    slots = list(calendar.ad_slots.all())
    for slot in slots:
        slot.calendar = calendar
    return slots


def taken_cells(slots: Iterable[AdSlot]) -> dict[tuple[int, int], AdSlot]:
    return {cell: slot for slot in slots for cell in slot.cells}


def free_positions(
    taken: dict[tuple[int, int], Any], width: int, height: int
) -> list[tuple[int, int]]:
    """Every (column, row) where a width × height advertisement fits, scanning the rows from
    the top and, in each, the columns from the left."""
    found = []
    for row in range(AD_GRID.rows - height + 1):
        for column in range(AD_GRID.columns - width + 1):
            cells = {(column + dx, row + dy) for dx in range(width) for dy in range(height)}
            if not cells & taken.keys():
                found.append((column, row))
    return found


def free_cells_label(taken: dict[tuple[int, int], Any]) -> str:
    """The free boxes row by row: 「上から1段目: 左から3〜8枠目、上から2段目: 左から1枠目」."""
    rows = []
    for row in range(AD_GRID.rows):
        runs: list[tuple[int, int]] = []
        for column in range(AD_GRID.columns):
            if (column, row) in taken:
                continue
            if runs and runs[-1][1] == column - 1:
                runs[-1] = (runs[-1][0], column)
            else:
                runs.append((column, column))
        if runs:
            spans = "・".join(f"{a + 1}" if a == b else f"{a + 1}〜{b + 1}" for a, b in runs)
            rows.append(f"上から{row + 1}段目の左から{spans}枠目")
    return "、".join(rows) if rows else "なし"


@dataclass(frozen=True)
class BandCell:
    """A cell of the band as drawn in an HTML table: a slot spanning its boxes, or a free
    box."""

    column: int
    row: int
    slot: AdSlot | None = None

    @property
    def colspan(self) -> int:
        return self.slot.width if self.slot else 1

    @property
    def rowspan(self) -> int:
        return self.slot.height if self.slot else 1


def band(slots: Sequence[AdSlot]) -> list[list[BandCell]]:
    """The band's rows, each with the cells that start in it (a slot covering several
    boxes is one cell, at its top-left box)."""
    taken = taken_cells(slots)
    rows = []
    for row in range(AD_GRID.rows):
        cells = []
        for column in range(AD_GRID.columns):
            slot = taken.get((column, row))
            if slot is None:
                cells.append(BandCell(column, row))
            elif (slot.column, slot.row) == (column, row):
                cells.append(BandCell(column, row, slot))
        rows.append(cells)
    return rows


@dataclass(frozen=True)
class AdTotals:
    count: int
    boxes: int
    fees: int
    invoiced: int
    paid: int

    @property
    def unpaid(self) -> int:
        return self.fees - self.paid

    @property
    def free_boxes(self) -> int:
        return AD_GRID.cells - self.boxes


def ad_totals(slots: Iterable[AdSlot]) -> AdTotals:
    slots = list(slots)
    return AdTotals(
        count=len(slots),
        boxes=sum(slot.width * slot.height for slot in slots),
        fees=sum(slot.fee for slot in slots),
        invoiced=sum(slot.fee for slot in slots if slot.invoiced_on),
        paid=sum(slot.fee for slot in slots if slot.paid_on),
    )


# --- Delivery -------------------------------------------------------------------------------


@dataclass
class DeliveryRow:
    association: Organisation
    delivery: Delivery | None


def delivery_rows(calendar: AnnualCalendar) -> list[DeliveryRow]:
    """One row per neighbourhood association of the council, and per other organisation
    already given copies, with its delivery if recorded. Two queries."""
    recorded = {
        delivery.association_id: delivery
        for delivery in calendar.deliveries.select_related("association")
    }
    members = Organisation.objects.filter(
        parent_id=calendar.council_id, kind=OrganisationKind.NEIGHBOURHOOD_ASSOCIATION
    ).exclude(pk__in=list(recorded))
    rows = [DeliveryRow(d.association, d) for d in recorded.values()]
    rows += [DeliveryRow(association, None) for association in members]
    rows.sort(key=lambda row: (row.association.kana, row.association.name))
    return rows


def deliveries_for(calendar: AnnualCalendar, user: Any) -> list[Delivery]:
    """The deliveries to the associations the user is an officer of: how many copies the
    町内会長 collects for their households. One query (none for an anonymous visitor)."""
    editable = roles_of(user).editable_org_ids
    if not editable:
        return []
    return list(
        calendar.deliveries.filter(association_id__in=editable).select_related("association")
    )


@dataclass(frozen=True)
class DeliveryTotals:
    households: int
    copies: int
    print_run: int

    @property
    def over_print_run(self) -> bool:
        return self.copies > self.print_run

    @property
    def spare(self) -> int:
        return max(self.print_run - self.copies, 0)

    @property
    def excess(self) -> int:
        return max(self.copies - self.print_run, 0)


def delivery_totals(calendar: AnnualCalendar, rows: Iterable[DeliveryRow]) -> DeliveryTotals:
    deliveries = [row.delivery for row in rows if row.delivery is not None]
    return DeliveryTotals(
        households=sum(d.households for d in deliveries),
        copies=sum(d.copies for d in deliveries),
        print_run=calendar.print_run,
    )


# --- Who is asked to check a draft -----------------------------------------------------------


def review_recipients(calendar: AnnualCalendar) -> list[tuple[Organisation, str]]:
    """(organisation, address) of everyone asked to check a draft: the council's and each
    member organisation's current officers, staff and contacts with an address, and the
    organisations' own addresses; each address once, under the first organisation that
    names it. Two queries."""
    organisations = list(
        Organisation.objects.filter(
            Q(pk=calendar.council_id) | Q(parent_id=calendar.council_id)
        ).order_by("kana", "name")
    )
    by_pk = {org.pk: org for org in organisations}
    people = (
        Membership.objects.current()
        .filter(organisation_id__in=by_pk, role__in=EDITING_ROLES)
        .exclude(person__email="")
        .order_by("organisation_id", "person__family_kana", "pk")
        .values_list("organisation_id", "person__email")
    )
    found: dict[str, Organisation] = {}
    for org_id, address in people:
        found.setdefault(address.lower(), by_pk[org_id])
    for org in organisations:
        if org.email:
            found.setdefault(org.email.lower(), org)
    return sorted(
        ((org, address) for address, org in found.items()),
        key=lambda r: (r[0].kana, r[0].name, r[1]),
    )
