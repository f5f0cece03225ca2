"""Reads of an area's key people, open matters and handover plans. The loaders take the URL's
keyword arguments and fetch what the rules need (the area and its municipality) in the same
query, so checking the permission costs nothing more."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from kyodo.calendar import recurrence
from kyodo.calendar.models import Entry, EntryKind, EntryStatus
from kyodo.core.dates import fiscal_year
from kyodo.directory.models import Organisation, OrganisationKind, Person
from kyodo.directory.queries import municipality_of
from kyodo.liaison.models import (
    Assignment,
    Handover,
    HandoverItem,
    KeyPerson,
    LiaisonScheme,
    MatterStatus,
    OpenMatter,
)
from kyodo.liaison.rules import staff_people_of

AREA_KINDS = (OrganisationKind.COMMUNITY_COUNCIL,)


def area_by_pk(*, area_pk: int, **_: Any) -> Organisation:
    return get_object_or_404(
        Organisation.objects.select_related("parent"), pk=area_pk, kind__in=AREA_KINDS
    )


def key_person_by_pk(*, pk: int, **_: Any) -> KeyPerson:
    return get_object_or_404(KeyPerson.objects.select_related("area__parent"), pk=pk)


def matter_by_pk(*, area_pk: int, pk: int, **_: Any) -> OpenMatter:
    return get_object_or_404(
        OpenMatter.objects.select_related("area__parent"), pk=pk, area__pk=area_pk
    )


def handover_by_pk(*, pk: int, **_: Any) -> Handover:
    return get_object_or_404(
        Handover.objects.select_related("area__parent", "outgoing", "incoming"), pk=pk
    )


def scheme_of(area: Organisation) -> LiaisonScheme | None:
    municipality = municipality_of(area)
    if municipality is None:
        return None
    return LiaisonScheme.objects.filter(municipality=municipality).first()


def assignments(area: Organisation, on: datetime.date) -> QuerySet[Assignment]:
    """Everyone assigned to the area in the fiscal year of ``on``, ended assignments too."""
    return (
        Assignment.objects.filter(area=area, fiscal_year=fiscal_year(on))
        .select_related("person")
        .order_by("ended_on", "role", "person__family_kana", "person__given_kana")
    )


def current_assignees(area: Organisation, on: datetime.date) -> QuerySet[Person]:
    """The people who may hand the area over: assigned to it and not ended on ``on``."""
    return Person.objects.filter(
        pk__in=Assignment.objects.current(on).filter(area=area).values("person_id")
    )


def incoming_candidates(area: Organisation) -> QuerySet[Person]:
    """Who may take an area over: the staff of its municipality (and its departments)."""
    municipality = municipality_of(area)
    if municipality is None:
        return Person.objects.none()
    return staff_people_of(municipality)


def key_people(area: Organisation) -> list[KeyPerson]:
    """The area's key people, those still active first. One query."""
    return list(KeyPerson.objects.filter(area=area))


def matters(area: Organisation) -> list[OpenMatter]:
    """Open matters first, then closed ones, most recently changed first. One query."""
    return list(OpenMatter.objects.filter(area=area).order_by("-status", "-updated_at", "-pk"))


def handovers(area: Organisation) -> list[Handover]:
    """Every plan of the area, newest first, with its items counted. One query."""
    found = list(
        Handover.objects.filter(area=area)
        .select_related("outgoing", "incoming")
        .annotate(
            item_count=Count("items"),
            done_count=Count("items", filter=Q(items__done_at__isnull=False)),
        )
    )
    for handover in found:
        handover.area = area  # the rules read the area; no query for it per row
    return found


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.done == self.total


def items(handover: Handover) -> list[HandoverItem]:
    """The plan's checklist in order, with who ticked each line. One query."""
    return list(
        HandoverItem.objects.filter(handover=handover).select_related(
            "done_by", "entry", "matter", "key_person"
        )
    )


def progress(checklist: list[HandoverItem]) -> Progress:
    return Progress(
        done=sum(1 for item in checklist if item.done_at is not None), total=len(checklist)
    )


def open_matters(area: Organisation) -> QuerySet[OpenMatter]:
    return OpenMatter.objects.filter(area=area, status=MatterStatus.OPEN).order_by("created_at")


def active_key_people(area: Organisation) -> QuerySet[KeyPerson]:
    return KeyPerson.objects.filter(area=area, is_active=True).order_by("kana", "name", "pk")


@dataclass(frozen=True)
class MeetingDate:
    entry: Entry
    date: datetime.date


def meetings_for_handover(
    area: Organisation, starts_on: datetime.date, ends_on: datetime.date
) -> list[MeetingDate]:
    """The council meetings a successor should attend: each regular (repeating) meeting of
    the area's published calendar at its next date on or after the start, skipping the dates
    it does not take place; when the area has no regular meeting ahead, its one-off meetings
    within the plan. Two queries."""
    published = Entry.objects.filter(
        organisation=area, kind=EntryKind.MEETING, status=EntryStatus.PUBLISHED
    ).prefetch_related("exceptions")
    regular = []
    for entry in published.exclude(repeat="").filter(repeat_until__gte=starts_on):
        assert entry.repeat_until is not None
        skipped = [exception.date for exception in entry.exceptions.all()]
        dates = recurrence.occurrence_dates(entry, starts_on, entry.repeat_until, skipped)
        if dates:
            regular.append(MeetingDate(entry=entry, date=dates[0]))
    if regular:
        return sorted(regular, key=lambda meeting: (meeting.date, meeting.entry.pk))
    return [
        MeetingDate(entry=entry, date=entry.start_date)
        for entry in published.filter(repeat="", start_date__gte=starts_on, start_date__lte=ends_on)
        .prefetch_related(None)
        .order_by("start_date", "start_time", "pk")
    ]
