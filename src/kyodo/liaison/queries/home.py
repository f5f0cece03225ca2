"""Reads for the liaison start page and the scheme settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from kyodo.core.dates import fiscal_year
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.directory.rules import roles_of
from kyodo.liaison.models import Assignment, Handover, HandoverStatus, LiaisonScheme
from kyodo.liaison.rules import liaison_roles


def municipality_by_pk(pk: int) -> Organisation:
    found = Organisation.objects.filter(pk=pk, kind=OrganisationKind.MUNICIPALITY).first()
    if found is None:
        raise Http404("市町村が見つかりません。")
    return found


def scheme_of(municipality: Organisation) -> LiaisonScheme | None:
    return (
        LiaisonScheme.objects.select_related("managing_department", "personnel_department")
        .filter(municipality=municipality)
        .first()
    )


@dataclass
class Overview:
    fiscal_year: int
    assignments: list[Assignment] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    openable: set[int] = field(default_factory=set)
    managed: list[Organisation] = field(default_factory=list)
    personnel: list[Organisation] = field(default_factory=list)
    municipalities: list[Organisation] = field(default_factory=list)
    unconfigured: list[Organisation] = field(default_factory=list)
    councils: list[Organisation] = field(default_factory=list)
    associations: list[Organisation] = field(default_factory=list)
    is_staff_member: bool = False
    edits_any: bool = False


def overview(user: Any) -> Overview:
    """What the person does in the liaison area, by role: their areas and handovers (as
    liaison staff), the municipalities they manage or report on, the municipalities they
    work for (evaluation, workshops), the councils they are an officer of (asking for a
    staff member) and the associations they head (recruitment requests). A fixed number of
    queries."""
    today = timezone.localdate()
    roles = liaison_roles(user)
    result = Overview(fiscal_year=fiscal_year(today))
    editable = roles_of(user).editable_org_ids
    acting = roles_of(user).acting_org_ids
    if roles.person_id is not None:
        result.assignments = list(
            Assignment.objects.current(today)
            .filter(person_id=roles.person_id, area_id__in=roles.assigned_area_ids)
            .select_related("area")
            .order_by("area__kana", "area__name")
        )
        result.handovers = list(
            Handover.objects.filter(status=HandoverStatus.PLANNED)
            .filter(Q(incoming_id=roles.person_id) | Q(outgoing_id=roles.person_id))
            .select_related("area", "outgoing", "incoming")
            .order_by("starts_on")
        )
        # The incoming person opens the plan from its start day (see rules.py).
        result.openable = {
            handover.pk
            for handover in result.handovers
            if handover.outgoing_id == roles.person_id or handover.starts_on <= today
        }
    wanted = editable | acting | roles.managed_municipality_ids | roles.personnel_municipality_ids
    organisations = list(Organisation.objects.filter(pk__in=wanted)) if wanted else []
    municipalities = {
        org.pk: org for org in organisations if org.kind == OrganisationKind.MUNICIPALITY
    }
    result.managed = sorted(
        (municipalities[pk] for pk in roles.managed_municipality_ids if pk in municipalities),
        key=lambda org: org.lgcode,
    )
    result.personnel = sorted(
        (municipalities[pk] for pk in roles.personnel_municipality_ids if pk in municipalities),
        key=lambda org: org.lgcode,
    )
    result.municipalities = sorted(
        (org for pk, org in municipalities.items() if pk in acting), key=lambda org: org.lgcode
    )
    with_scheme = set(
        LiaisonScheme.objects.filter(municipality__in=list(municipalities)).values_list(
            "municipality_id", flat=True
        )
    )
    result.unconfigured = [
        org for org in result.municipalities if org.pk in editable and org.pk not in with_scheme
    ]
    result.councils = [
        org
        for org in organisations
        if org.pk in editable and org.kind == OrganisationKind.COMMUNITY_COUNCIL
    ]
    result.associations = [
        org
        for org in organisations
        if org.pk in editable and org.kind == OrganisationKind.NEIGHBOURHOOD_ASSOCIATION
    ]
    result.is_staff_member = roles_of(user).government_staff
    result.edits_any = bool(editable)
    return result
