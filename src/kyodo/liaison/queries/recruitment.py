"""Reads of the recruitment requests (動員依頼): the requests a person's organisations made,
the asks sent to the associations they head, and the totals of one request per age band and
per association against the numbers wanted."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from kyodo.calendar.models import Entry, EntryStatus, Repeat
from kyodo.directory.models import Membership, MembershipRole, Organisation, OrganisationKind
from kyodo.directory.queries import municipality_of
from kyodo.directory.rules import roles_of
from kyodo.liaison.models import (
    AgeBand,
    RecruitmentAnswer,
    RecruitmentAsk,
    RecruitmentRequest,
    RecruitmentTarget,
)
from kyodo.liaison.rules import organiser_ids_of

BANDS: tuple[AgeBand, ...] = tuple(AgeBand)


def request_by_pk(*, pk: int, **_: Any) -> RecruitmentRequest:
    return get_object_or_404(RecruitmentRequest.objects.select_related("organiser", "entry"), pk=pk)


def ask_by_pk(*, pk: int, **_: Any) -> RecruitmentAsk:
    return get_object_or_404(
        RecruitmentAsk.objects.select_related("request__organiser", "association"), pk=pk
    )


def _sum_of(model: type[Any], link: str, value: str) -> Subquery:
    return Subquery(
        model.objects.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(total=Sum(value))
        .values("total"),
        output_field=IntegerField(),
    )


def requests_made_by(user: Any) -> list[RecruitmentRequest]:
    """The requests of the organisations the user edits, with the totals wanted and offered
    and how many associations answered. One query."""
    editable = roles_of(user).editable_org_ids
    if not editable:
        return []
    return list(
        RecruitmentRequest.objects.filter(organiser_id__in=editable)
        .select_related("organiser")
        .annotate(
            wanted_total=Coalesce(_sum_of(RecruitmentTarget, "request", "wanted"), 0),
            offered_total=Coalesce(_sum_of(RecruitmentAnswer, "ask__request", "count"), 0),
            ask_count=Count("asks", distinct=True),
            answered_count=Count("asks", filter=Q(asks__answered_at__isnull=False), distinct=True),
        )
    )


def asks_to(user: Any) -> list[RecruitmentAsk]:
    """The asks sent to the associations the user heads, the newest event first, with the
    association's own total offered. One query."""
    editable = roles_of(user).editable_org_ids
    if not editable:
        return []
    return list(
        RecruitmentAsk.objects.filter(association_id__in=editable)
        .select_related("request__organiser", "association")
        .annotate(offered_total=Coalesce(_sum_of(RecruitmentAnswer, "ask", "count"), 0))
        .order_by("-request__event_date", "-pk")
    )


def wanted_of(request: RecruitmentRequest) -> dict[str, int]:
    """The number wanted per band (0 for a band without a target). One query."""
    found = dict(request.targets.values_list("band", "wanted"))
    return {band.value: found.get(band.value, 0) for band in BANDS}


def answers_of(ask: RecruitmentAsk) -> dict[str, int]:
    found = dict(ask.answers.values_list("band", "count"))
    return {band.value: found[band.value] for band in BANDS if band.value in found}


@dataclass
class BandTotal:
    band: AgeBand
    wanted: int
    offered: int

    @property
    def difference(self) -> int:
        """Offered minus wanted: below zero a shortfall, above a surplus."""
        return self.offered - self.wanted

    @property
    def shortfall(self) -> int:
        return max(0, -self.difference)

    @property
    def surplus(self) -> int:
        return max(0, self.difference)


@dataclass
class AskRow:
    ask: RecruitmentAsk
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def answered(self) -> bool:
        return self.ask.answered_at is not None


@dataclass
class Totals:
    bands: list[BandTotal] = field(default_factory=list)
    asks: list[AskRow] = field(default_factory=list)

    @property
    def wanted(self) -> int:
        return sum(row.wanted for row in self.bands)

    @property
    def offered(self) -> int:
        return sum(row.offered for row in self.bands)

    @property
    def difference(self) -> int:
        return self.offered - self.wanted

    @property
    def shortfall(self) -> int:
        return max(0, -self.difference)

    @property
    def surplus(self) -> int:
        return max(0, self.difference)

    @property
    def answered_count(self) -> int:
        return sum(1 for row in self.asks if row.answered)


def totals(request: RecruitmentRequest) -> Totals:
    """Per band: wanted, offered (the sum of every association's answer) and the difference;
    per association: its answer per band. Three queries, whatever the number of asks."""
    wanted = wanted_of(request)
    asks = list(request.asks.select_related("association", "answered_by").order_by("pk"))
    counts: dict[tuple[int, str], int] = {
        (ask_id, band): count
        for ask_id, band, count in RecruitmentAnswer.objects.filter(
            ask__request=request
        ).values_list("ask_id", "band", "count")
    }
    rows = [
        AskRow(ask=ask, counts=[counts.get((ask.pk, b.value), 0) for b in BANDS]) for ask in asks
    ]
    bands = [
        BandTotal(
            band=band,
            wanted=wanted[band.value],
            offered=sum(row.counts[index] for row in rows),
        )
        for index, band in enumerate(BANDS)
    ]
    return Totals(bands=bands, asks=rows)


def association_choices(user: Any) -> QuerySet[Organisation]:
    """The neighbourhood associations under the community councils of every municipality
    the user organises in, by council."""
    organisers = Organisation.objects.filter(pk__in=organiser_ids_of(user)).select_related(
        "parent__parent"
    )
    municipalities = {m.pk for m in (municipality_of(o) for o in organisers) if m is not None}
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.NEIGHBOURHOOD_ASSOCIATION,
            parent__kind=OrganisationKind.COMMUNITY_COUNCIL,
            parent__parent_id__in=municipalities,
        )
        .select_related("parent")
        .order_by("parent__kana", "parent__name", "kana", "name")
    )


def entry_choices(user: Any, today: datetime.date) -> QuerySet[Entry]:
    """Published one-off calendar entries, from today on, of the organisations the user
    organises for: a request can name one of them as its event (a repeating entry has no
    single day to recruit for)."""
    return Entry.objects.filter(
        organisation_id__in=organiser_ids_of(user),
        status=EntryStatus.PUBLISHED,
        repeat=Repeat.NONE,
        start_date__gte=today,
    ).order_by("start_date", "pk")


def officer_addresses(association: Organisation) -> list[str]:
    """The e-mail addresses of the association's current officers (its heads)."""
    addresses = (
        Membership.objects.current()
        .filter(organisation=association, role=MembershipRole.OFFICER)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )
    return sorted(set(addresses))
