"""Reads of the liaison-staff area: the objects URLs name, the assignments and requests of a
municipality's areas, what a staff member may log a participation against, and the
participation reports (the personnel indicator 「地域行事にどれだけ参加しているか」).

Every function here runs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from kyodo.calendar import recurrence
from kyodo.calendar.models import Entry, EntryStatus
from kyodo.core.dates import fiscal_year_bounds, format_date_range, format_fiscal_year
from kyodo.directory.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Person,
)
from kyodo.directory.queries import municipality_of
from kyodo.liaison.models import (
    FISCAL_YEAR_RANGE,
    Assignment,
    LiaisonScheme,
    Participation,
    RequestStatus,
    StaffRequest,
)
from kyodo.liaison.rules import StaffReport

ZERO = Decimal("0.0")


def hours_text(hours: Decimal) -> str:
    """Hours as every page and CSV of the area write them: one decimal place, 「3.0」."""
    return f"{hours:.1f}"


# --- Objects named by URLs ------------------------------------------------------------------


@dataclass(frozen=True)
class MunicipalityYear:
    """A municipality's fiscal year, named by a URL; the rules read ``municipality``."""

    municipality: Organisation
    fiscal_year: int


@dataclass(frozen=True)
class StaffReportYear(StaffReport):
    """One staff member's participation report for one municipality and fiscal year."""

    fiscal_year: int


def _check_year(fiscal_year: int) -> None:
    low, high = FISCAL_YEAR_RANGE
    if not low <= fiscal_year <= high:
        raise Http404


def municipality_by_pk(pk: int) -> Organisation:
    """A municipality that runs a liaison scheme (404 otherwise)."""
    scheme = get_object_or_404(
        LiaisonScheme.objects.select_related("municipality"),
        municipality__pk=pk,
        municipality__kind=OrganisationKind.MUNICIPALITY,
    )
    return scheme.municipality


def municipality_year(*, municipality_pk: int, fiscal_year: int, **_: Any) -> MunicipalityYear:
    _check_year(fiscal_year)
    return MunicipalityYear(municipality_by_pk(municipality_pk), fiscal_year)


def staff_report_year(
    *, municipality_pk: int, fiscal_year: int, person_pk: int, **_: Any
) -> StaffReportYear:
    """The subject of a report. Whether the person is staff of the municipality is asked
    only after the permission check (:func:`has_reports_in`), so a refused visitor cannot tell
    staff from other people by the answer."""
    _check_year(fiscal_year)
    municipality = municipality_by_pk(municipality_pk)
    person = get_object_or_404(Person, pk=person_pk)
    return StaffReportYear(person=person, municipality=municipality, fiscal_year=fiscal_year)


def has_reports_in(person: Person, municipality: Organisation) -> bool:
    """The person is (or was) staff of the municipality: a current member of it or of one
    of its departments, or someone with an assignment or a log there."""
    return (
        Person.objects.filter(pk=person.pk)
        .filter(
            Q(pk__in=staff_people(municipality).values("pk"))
            | Q(liaison_assignments__area__parent=municipality)
            | Q(liaison_participations__municipality=municipality)
        )
        .exists()
    )


def area_by_pk(*, area_pk: int, **_: Any) -> Organisation:
    """A community council whose municipality runs a liaison scheme."""
    return get_object_or_404(
        Organisation.objects.select_related("parent"),
        pk=area_pk,
        kind=OrganisationKind.COMMUNITY_COUNCIL,
        parent__kind=OrganisationKind.MUNICIPALITY,
        parent__liaison_scheme__isnull=False,
    )


def assignment_by_pk(*, pk: int, **_: Any) -> Assignment:
    return get_object_or_404(Assignment.objects.select_related("area__parent", "person"), pk=pk)


def staff_request_by_pk(*, pk: int, **_: Any) -> StaffRequest:
    return get_object_or_404(
        StaffRequest.objects.select_related("area__parent", "person", "requested_by"), pk=pk
    )


def participation_by_pk(*, pk: int, **_: Any) -> Participation:
    return get_object_or_404(
        Participation.objects.select_related("entry", "area", "municipality"), pk=pk
    )


def person_of_user(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


# --- People and areas of a municipality -----------------------------------------------------


def areas_of(municipality: Organisation) -> QuerySet[Organisation]:
    """The municipality's community councils (the areas staff are assigned to), by kana."""
    return Organisation.objects.filter(
        parent=municipality, kind=OrganisationKind.COMMUNITY_COUNCIL
    ).order_by("kana", "name")


def _staff_memberships(municipality: Organisation) -> QuerySet[Membership]:
    return Membership.objects.current().filter(
        Q(organisation=municipality)
        | Q(organisation__parent=municipality, organisation__kind=OrganisationKind.DEPARTMENT),
        role__in=(MembershipRole.STAFF, MembershipRole.CONTACT),
    )


def staff_people(municipality: Organisation) -> QuerySet[Person]:
    """The same people as ``rules.staff_people_of``: current staff and contacts of the
    municipality and its departments."""
    return Person.objects.filter(
        pk__in=_staff_memberships(municipality).values("person_id")
    ).order_by("family_kana", "given_kana", "family_name", "given_name", "pk")


@dataclass(frozen=True)
class StaffChoice:
    person: Person
    where: str  # the departments they work in, for telling namesakes apart

    @property
    def label(self) -> str:
        return f"{self.person.full_name}({self.where})" if self.where else self.person.full_name


def staff_choices(municipality: Organisation) -> list[StaffChoice]:
    """Staff of the municipality with the departments they belong to, by kana. One query."""
    departments: dict[int, list[str]] = defaultdict(list)
    people: dict[int, Person] = {}
    for membership in _staff_memberships(municipality).select_related("person", "organisation"):
        people[membership.person_id] = membership.person
        name = membership.organisation.name
        if (
            membership.organisation_id != municipality.pk
            and name not in departments[membership.person_id]
        ):
            departments[membership.person_id].append(name)
    ordered = sorted(people.values(), key=_kana_key)
    return [StaffChoice(person, "・".join(departments[person.pk])) for person in ordered]


def _kana_key(person: Person) -> tuple[str, str, str, str, int]:
    return (
        person.family_kana or person.family_name,
        person.given_kana or person.given_name,
        person.family_name,
        person.given_name,
        person.pk,
    )


def is_staff_of(person: Person, municipality: Organisation) -> bool:
    return _staff_memberships(municipality).filter(person=person).exists()


# --- Assignments and requests ---------------------------------------------------------------


@dataclass
class AreaAssignments:
    area: Organisation
    assignments: list[Assignment] = field(default_factory=list)


def assignments_by_area(municipality: Organisation, fiscal_year: int) -> list[AreaAssignments]:
    """Every community council of the municipality with its staff for the year, the lead
    first. Two queries."""
    rows = {area.pk: AreaAssignments(area) for area in areas_of(municipality)}
    for assignment in (
        Assignment.objects.filter(area_id__in=rows, fiscal_year=fiscal_year)
        .select_related("person")
        .order_by("role", "person__family_kana", "person__given_kana", "pk")
    ):
        rows[assignment.area_id].assignments.append(assignment)
    return list(rows.values())


def pending_requests(municipality: Organisation) -> QuerySet[StaffRequest]:
    """Requests of the municipality's areas waiting for an answer, oldest first."""
    return (
        StaffRequest.objects.filter(
            area__parent=municipality,
            area__kind=OrganisationKind.COMMUNITY_COUNCIL,
            status=RequestStatus.PENDING,
        )
        .select_related("area", "person", "requested_by")
        .order_by("requested_at", "pk")
    )


def requests_of_area(area: Organisation) -> QuerySet[StaffRequest]:
    return (
        StaffRequest.objects.filter(area=area)
        .select_related("person")
        .order_by("-requested_at", "-pk")
    )


def area_staff(area: Organisation, fiscal_year: int) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(area=area, fiscal_year=fiscal_year)
        .select_related("person")
        .order_by("role", "pk")
    )


# --- What a staff member logs against -------------------------------------------------------


@dataclass
class LogChoices:
    """The calendar entries, areas and municipalities a person may log a participation
    against: entries of the areas they are assigned to this fiscal year or last (the area
    and its member organisations), published and begun by ``today``."""

    entries: list[Entry]
    areas: list[Organisation]
    municipalities: list[Organisation]

    def area_for(self, entry: Entry) -> Organisation | None:
        """The assigned area an entry belongs to: its organisation, or the organisation's
        parent (a neighbourhood association of the council)."""
        by_pk = {area.pk: area for area in self.areas}
        return by_pk.get(entry.organisation_id) or by_pk.get(entry.organisation.parent_id or 0)


def log_choices(person: Person, today: datetime.date) -> LogChoices:
    """Four queries, whatever the number of entries."""
    from kyodo.core.dates import fiscal_year

    year = fiscal_year(today)
    areas = list(
        Organisation.objects.filter(
            liaison_assignments__person=person,
            liaison_assignments__fiscal_year__in=(year - 1, year),
        )
        .select_related("parent")
        .distinct()
        .order_by("kana", "name")
    )
    first, _ = fiscal_year_bounds(year - 1)
    area_ids = [area.pk for area in areas]
    entries = (
        list(
            Entry.objects.filter(
                Q(organisation_id__in=area_ids) | Q(organisation__parent_id__in=area_ids),
                status=EntryStatus.PUBLISHED,
                start_date__lte=today,
                last_date__gte=first,
            )
            .select_related("organisation")
            .prefetch_related("exceptions")
            .order_by("-start_date", "title", "pk")
        )
        if area_ids
        else []
    )
    municipalities: dict[int, Organisation] = {}
    for membership in (
        Membership.objects.current(today)
        .filter(
            person=person,
            role__in=(MembershipRole.STAFF, MembershipRole.CONTACT),
            organisation__kind__in=(OrganisationKind.MUNICIPALITY, OrganisationKind.DEPARTMENT),
        )
        .select_related("organisation__parent")
    ):
        found = municipality_of(membership.organisation)
        if found is not None:
            municipalities[found.pk] = found
    for area in areas:
        if area.parent is not None and area.parent.kind == OrganisationKind.MUNICIPALITY:
            municipalities.setdefault(area.parent.pk, area.parent)
    return LogChoices(
        entries=entries,
        areas=areas,
        municipalities=sorted(municipalities.values(), key=lambda m: (m.kana, m.name)),
    )


def entry_label(entry: Entry) -> str:
    """「校区一斉清掃(毎月第1日曜日(令和9年4月30日まで))」 or the date of a one-off."""
    when = recurrence.describe(entry) or format_date_range(entry.start_date, entry.end_date)
    return f"{entry.title}({when})"


def occurs_on(entry: Entry, day: datetime.date) -> bool:
    """``day`` is within one of the entry's occurrences (not a skipped date). The entry's
    exceptions should be prefetched."""
    length = entry.end_date - entry.start_date
    skipped = [exception.date for exception in entry.exceptions.all()] if entry.repeat else []
    starts = recurrence.occurrence_dates(entry, day - length, day, skipped)
    return any(start <= day <= start + length for start in starts)


# --- Participation ---------------------------------------------------------------------------


def participations_of(person: Person) -> QuerySet[Participation]:
    """A person's own log, newest first."""
    return (
        Participation.objects.filter(person=person)
        .select_related("area", "municipality", "entry")
        .order_by("-date", "-pk")
    )


@dataclass
class StaffRow:
    person: Person
    areas: list[str]
    events: int
    hours: Decimal


def municipality_report(municipality: Organisation, fiscal_year: int) -> list[StaffRow]:
    """Each staff member with a log or an assignment in the municipality that fiscal year,
    with the number of events and the hours, by kana. Three queries."""
    totals = {
        row["person_id"]: (row["events"], row["hours"] or ZERO)
        for row in Participation.objects.filter(municipality=municipality, fiscal_year=fiscal_year)
        .values("person_id")
        .annotate(events=Count("pk"), hours=Sum("hours"))
        .order_by()
    }
    areas: dict[int, list[str]] = defaultdict(list)
    for person_id, name in (
        Assignment.objects.filter(area__parent=municipality, fiscal_year=fiscal_year)
        .order_by("area__kana", "area__name")
        .values_list("person_id", "area__name")
    ):
        if name not in areas[person_id]:
            areas[person_id].append(name)
    people = Person.objects.filter(pk__in={*totals, *areas})
    return [
        StaffRow(
            person=person,
            areas=areas.get(person.pk, []),
            events=totals.get(person.pk, (0, ZERO))[0],
            hours=totals.get(person.pk, (0, ZERO))[1],
        )
        for person in sorted(people, key=_kana_key)
    ]


# April to March: the months of a fiscal year in order.
FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


@dataclass
class Bucket:
    label: str
    events: int = 0
    total: Decimal = ZERO

    @property
    def hours(self) -> str:
        return hours_text(self.total)


@dataclass
class PersonReport:
    fiscal_year: int
    logs: list[Participation]
    months: list[Bucket]
    areas: list[Bucket]

    @property
    def events(self) -> int:
        return len(self.logs)

    @property
    def hours(self) -> str:
        return hours_text(sum((log.hours for log in self.logs), ZERO))


NO_AREA = "地域の指定なし"


def person_report(report: StaffReportYear) -> PersonReport:
    """One staff member's logs for the municipality and fiscal year, counted by month (April
    to March) and by area. One query."""
    logs = list(
        Participation.objects.filter(
            person=report.person,
            municipality=report.municipality,
            fiscal_year=report.fiscal_year,
        )
        .select_related("area", "entry")
        .order_by("date", "pk")
    )
    months = {month: Bucket(f"{month}月") for month in FISCAL_MONTHS}
    areas: dict[str, Bucket] = {}
    for log in logs:
        name = log.area.name if log.area else NO_AREA
        for bucket in (months[log.date.month], areas.setdefault(name, Bucket(name))):
            bucket.events += 1
            bucket.total += log.hours
    return PersonReport(
        fiscal_year=report.fiscal_year,
        logs=logs,
        months=list(months.values()),
        areas=sorted(areas.values(), key=lambda b: (b.label == NO_AREA, b.label)),
    )


def report_rows(logs: Iterable[Participation]) -> list[tuple[str, str, str, str, str]]:
    """The rows of a person's report, as the page's table and the CSV both show them."""
    return [
        (
            log.date.isoformat(),
            log.title,
            log.area.name if log.area else NO_AREA,
            hours_text(log.hours),
            log.note,
        )
        for log in logs
    ]


def staff_rows(rows: Iterable[StaffRow]) -> list[tuple[str, str, str, int, str]]:
    """The rows of the municipality's report, as the page's table and the CSV show them."""
    return [
        (
            row.person.full_name,
            " ".join(filter(None, (row.person.family_kana, row.person.given_kana))),
            "、".join(row.areas),
            row.events,
            hours_text(row.hours),
        )
        for row in rows
    ]


# --- Chart: events per month, drawn as SVG on the server -------------------------------------

WIDTH, HEIGHT = 720, 260
LEFT, BOTTOM, TOP = 50, 36, 16
BAR_COLOUR = "#0050b3"  # 7:1 against white


@dataclass
class Bar:
    x: int
    y: float
    width: int
    height: float
    x_label: int
    label: str
    title: str


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class MonthChart:
    width: int
    height: int
    left: int
    baseline: int
    colour: str
    bars: list[Bar]
    ticks: list[Tick]
    summary: str


def month_chart(report: PersonReport) -> MonthChart:
    """Events per month of the fiscal year; the page shows the same numbers in a table."""
    months: Sequence[Bucket] = report.months
    top = max((month.events for month in months), default=0)
    step = max(1, -(-top // 4))
    scale_top = max(step * 4, 1)
    baseline = HEIGHT - BOTTOM
    plot = baseline - TOP
    slot = (WIDTH - LEFT - 10) // len(months)
    width = int(slot * 0.6)
    bars = []
    for index, month in enumerate(months):
        x = LEFT + index * slot + (slot - width) // 2
        height = round(month.events / scale_top * plot, 1)
        bars.append(
            Bar(
                x=x,
                y=round(baseline - height, 1),
                width=width,
                height=height,
                x_label=x + width // 2,
                label=month.label,
                title=f"{month.label} {month.events}件 {month.hours}時間",
            )
        )
    ticks = [
        Tick(y=round(baseline - value / scale_top * plot, 1), label=f"{value}件")
        for value in range(0, scale_top + 1, step)
    ]
    summary = "、".join(f"{month.label} {month.events}件" for month in months)
    return MonthChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        baseline=baseline,
        colour=BAR_COLOUR,
        bars=bars,
        ticks=ticks,
        summary=f"{format_fiscal_year(report.fiscal_year)}の月別の参加件数: {summary}",
    )
