"""Reusable reads of the directory. Each returns everything its page needs in a fixed number
of queries, whatever the size of the network."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from kyodo.directory.models import (
    Membership,
    Network,
    Organisation,
    OrganisationKind,
)


def municipality_of(organisation: Organisation | None) -> Organisation | None:
    """The municipality an area, department or association belongs to, walking up the tree
    (at most a few steps: association → council → municipality); a municipality is its
    own. Loading the parents with ``select_related("parent__parent__parent")`` saves the
    queries of the walk."""
    current = organisation
    for _step in range(6):
        if current is None or current.kind == OrganisationKind.MUNICIPALITY:
            return current
        current = current.parent
    return None


def descendant_ids(root: Organisation) -> set[int]:
    """The organisation and every organisation under it, from one query of the tree."""
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent in Organisation.objects.exclude(parent=None).values_list("pk", "parent_id"):
        children[parent].append(pk)
    found = {root.pk}
    stack = [root.pk]
    while stack:
        for child in children[stack.pop()]:
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def network_by_slug(slug: str) -> Network:
    return get_object_or_404(Network.objects.select_related("secretariat__parent"), slug=slug)


def organisation_by_pk(pk: int) -> Organisation:
    return get_object_or_404(
        Organisation.objects.select_related("parent", "regional_office"), pk=pk
    )


def networks_for_home() -> list[Network]:
    return list(
        Network.objects.select_related("secretariat")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)),
            municipality_count=Count(
                "memberships",
                filter=Q(
                    memberships__left_on__isnull=True,
                    memberships__organisation__kind=OrganisationKind.MUNICIPALITY,
                ),
            ),
        )
        .order_by("founded_on", "name")
    )


@dataclass
class MemberGroup:
    """Members shown under one heading: a regional office with the municipalities it covers,
    or the prefecture's own bodies."""

    heading: str
    office: Organisation | None = None
    members: list[Organisation] = field(default_factory=list)


_PREFECTURAL_KINDS = (
    OrganisationKind.PREFECTURE,
    OrganisationKind.REGIONAL_OFFICE,
    OrganisationKind.CENTRE,
    OrganisationKind.DEPARTMENT,
)


def network_member_groups(network: Network) -> list[MemberGroup]:
    """The network's current members: prefectural bodies first, then municipalities grouped
    by the regional office that covers them (in office order), then the rest."""
    members = list(
        Organisation.objects.filter(
            network_memberships__network=network, network_memberships__left_on__isnull=True
        )
        .select_related("regional_office")
        .order_by("lgcode", "kana", "name")
    )
    prefectural = MemberGroup("県の機関")
    others = MemberGroup("その他の会員")
    by_office: dict[int | None, MemberGroup] = {}
    kind_order: dict[str, int] = {kind: index for index, kind in enumerate(_PREFECTURAL_KINDS)}
    for org in members:
        if org.kind in kind_order:
            prefectural.members.append(org)
        elif org.kind == OrganisationKind.MUNICIPALITY:
            office = org.regional_office
            key = office.pk if office else None
            if key not in by_office:
                by_office[key] = MemberGroup(office.name if office else "所管未設定", office)
            by_office[key].members.append(org)
        else:
            others.members.append(org)
    prefectural.members.sort(key=lambda org: (kind_order[org.kind], org.pk))
    office_groups = sorted(
        by_office.values(), key=lambda group: group.office.pk if group.office else 1 << 62
    )
    return [group for group in (prefectural, *office_groups, others) if group.members]


def organisation_page(organisation: Organisation, *, with_people: bool) -> dict[str, object]:
    """What the organisation page shows. People are included only for those allowed to see
    them; the public sees only contacts the organisation chose to publish."""
    memberships = Membership.objects.current().filter(organisation=organisation)
    if not with_people:
        memberships = memberships.filter(is_public_contact=True)
    return {
        "children": list(organisation.children.order_by("kind", "lgcode", "kana", "name")),
        "networks": list(
            Network.objects.filter(
                memberships__organisation=organisation, memberships__left_on__isnull=True
            ).distinct()
        ),
        "covered": list(organisation.covered_organisations.order_by("lgcode"))
        if organisation.kind == OrganisationKind.REGIONAL_OFFICE
        else [],
        "memberships": list(
            memberships.select_related("person").order_by("role", "person__family_kana")
        ),
    }


def municipality_choices() -> list[tuple[int, str]]:
    """Every municipality in the directory, by local government code: the choices of a
    municipality filter."""
    return list(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
        .order_by("lgcode", "name")
        .values_list("pk", "name")
    )
