"""Reads of the workshops: the series a person works on, one series with its sessions and the
ratio of preparation and reflection meetings to main sessions, and facilitation requests."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from kyodo.directory.models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Person,
)
from kyodo.directory.queries import municipality_of
from kyodo.directory.rules import roles_of
from kyodo.liaison.models import (
    FacilitationRequest,
    RequestStatus,
    SessionKind,
    WorkshopSeries,
    WorkshopSession,
)
from kyodo.liaison.rules import organiser_ids_of


@dataclass(frozen=True)
class Ratio:
    """How many sessions of each kind, and the preparation and reflection meetings per main
    session (the case city holds 10–20 for every three main sessions)."""

    main: int
    preparation: int
    reflection: int

    @property
    def others(self) -> int:
        return self.preparation + self.reflection

    @property
    def total(self) -> int:
        return self.main + self.others

    @property
    def largest(self) -> int:
        """The count of the most frequent kind: the full length of the chart's bars."""
        return max(self.main, self.preparation, self.reflection)

    @property
    def per_main(self) -> float | None:
        """None while there is no main session: the ratio is not defined yet."""
        return self.others / self.main if self.main else None

    @property
    def per_main_text(self) -> str:
        """「5.0」, one decimal, as the page and the list print it."""
        return "—" if self.per_main is None else f"{self.per_main:.1f}"

    @property
    def rows(self) -> list[tuple[SessionKind, int]]:
        return [
            (SessionKind.MAIN, self.main),
            (SessionKind.PREPARATION, self.preparation),
            (SessionKind.REFLECTION, self.reflection),
        ]

    @classmethod
    def of(cls, counts: Mapping[str, int]) -> Ratio:
        return cls(
            main=counts.get(SessionKind.MAIN, 0),
            preparation=counts.get(SessionKind.PREPARATION, 0),
            reflection=counts.get(SessionKind.REFLECTION, 0),
        )

    @classmethod
    def of_sessions(cls, sessions: Iterable[WorkshopSession]) -> Ratio:
        counts: dict[str, int] = {}
        for session in sessions:
            counts[session.kind] = counts.get(session.kind, 0) + 1
        return cls.of(counts)


def _counted(queryset: QuerySet[WorkshopSeries]) -> QuerySet[WorkshopSeries]:
    return queryset.annotate(
        **{
            f"count_{kind.value}": Count("sessions", filter=Q(sessions__kind=kind))
            for kind in SessionKind
        }
    )


@dataclass(frozen=True)
class SeriesRow:
    series: WorkshopSeries
    ratio: Ratio


def series_for(user: Any) -> list[SeriesRow]:
    """The series the user organises, whose area they are an officer of, or which asked a
    department they edit to facilitate; newest first, each with its ratio. One query."""
    editable = roles_of(user).editable_org_ids
    if not editable:
        return []
    asked = FacilitationRequest.objects.filter(department_id__in=editable).values("series_id")
    found = _counted(
        WorkshopSeries.objects.filter(
            Q(organiser_id__in=editable) | Q(area_id__in=editable) | Q(pk__in=asked)
        ).select_related("organiser", "area")
    )
    return [
        SeriesRow(
            series=series,
            ratio=Ratio.of(
                {kind.value: getattr(series, f"count_{kind.value}") for kind in SessionKind}
            ),
        )
        for series in found
    ]


def series_by_pk(*, pk: int, **_: Any) -> WorkshopSeries:
    return get_object_or_404(
        WorkshopSeries.objects.select_related("organiser__parent", "area"), pk=pk
    )


def session_by_pk(*, pk: int, **_: Any) -> WorkshopSession:
    return get_object_or_404(
        WorkshopSession.objects.select_related("series__organiser", "series__area"), pk=pk
    )


def sessions_of(series: WorkshopSeries) -> list[WorkshopSession]:
    """The sessions in date order (the model's ordering). One query."""
    return list(series.sessions.all())


def facilitation_requests_of(series: WorkshopSeries) -> list[FacilitationRequest]:
    """The series' requests with their department, facilitator and sessions. Two queries."""
    return list(
        series.facilitation_requests.select_related("department", "facilitator")
        .prefetch_related("sessions")
        .order_by("-requested_at", "-pk")
    )


def organiser_choices(user: Any) -> QuerySet[Organisation]:
    """The organisations the user may organise for: municipalities, departments and
    community councils they edit."""
    return Organisation.objects.filter(pk__in=organiser_ids_of(user)).order_by("kind", "kana")


def areas_of(municipality: Organisation | None) -> QuerySet[Organisation]:
    """The community councils of a municipality (the areas a workshop can be held with)."""
    if municipality is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        parent=municipality, kind=OrganisationKind.COMMUNITY_COUNCIL
    ).order_by("kana", "name")


def areas_for(user: Any) -> QuerySet[Organisation]:
    """The community councils of every municipality the user organises in."""
    organisers = Organisation.objects.filter(pk__in=organiser_ids_of(user)).select_related(
        "parent__parent"
    )
    municipalities = {m.pk for m in (municipality_of(o) for o in organisers) if m is not None}
    return Organisation.objects.filter(
        parent_id__in=municipalities, kind=OrganisationKind.COMMUNITY_COUNCIL
    ).order_by("kana", "name")


def departments_to_ask(series: WorkshopSeries) -> QuerySet[Organisation]:
    """The departments of the series' municipality other than the organiser itself."""
    municipality = municipality_of(series.organiser)
    if municipality is None:
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(parent=municipality, kind=OrganisationKind.DEPARTMENT)
        .exclude(pk=series.organiser_id)
        .order_by("kana", "name")
    )


def department_staff(department: Organisation) -> QuerySet[Person]:
    """The department's current staff and contacts: those who can be named facilitator."""
    return (
        Person.objects.filter(
            memberships__in=Membership.objects.current().filter(
                organisation=department, role__in=(MembershipRole.STAFF, MembershipRole.CONTACT)
            )
        )
        .distinct()
        .order_by("family_kana", "given_kana", "family_name", "pk")
    )


def requests_to(user: Any) -> list[FacilitationRequest]:
    """Facilitation requests sent to the departments the user edits, waiting ones first.
    Two queries (the requests, then their sessions)."""
    editable = roles_of(user).editable_org_ids
    if not editable:
        return []
    requests = (
        FacilitationRequest.objects.filter(department_id__in=editable)
        .select_related("series__organiser", "series__area", "department", "facilitator")
        .prefetch_related("sessions")
    )
    return sorted(requests, key=lambda r: (r.status != RequestStatus.PENDING, -r.pk))


def facilitation_by_pk(*, pk: int, **_: Any) -> FacilitationRequest:
    return get_object_or_404(
        FacilitationRequest.objects.select_related(
            "series__organiser", "series__area", "department", "facilitator", "requested_by"
        ),
        pk=pk,
    )
