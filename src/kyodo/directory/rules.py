"""Who may do what — the roles of kyodo in one place.

Roles follow from a person's *current* memberships, never from flags typed on the account:

- anonymous: reads public pages;
- resident: any signed-in account;
- organisation officer: an officer, staff member or contact of an organisation edits that
  organisation's own content, and nobody else's;
- municipal staff: staff of a government body (prefecture, regional office, centre,
  municipality or one of its departments);
- network secretariat: staff of the organisation that runs a network; manages the network's
  members (and, later, its meetings);
- site administrator: ``is_superuser``; the only role that reaches Django's admin.

Other apps import these predicates rather than writing their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules

from kyodo.directory.models import (
    EDITING_ROLES,
    GOVERNMENT_KINDS,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    OrganisationKind,
)


@dataclass(frozen=True)
class Roles:
    editable_org_ids: frozenset[int]
    government_staff: bool
    secretariat_network_ids: frozenset[int]
    # The organisations the person acts for: their own, and the municipality or prefecture
    # whose responsible department (担当課) they work in.
    acting_org_ids: frozenset[int] = frozenset()


_EMPTY = Roles(frozenset(), government_staff=False, secretariat_network_ids=frozenset())


def roles_of(user: Any) -> Roles:
    """The user's roles, computed once per user object (so once per request)."""
    if not getattr(user, "is_authenticated", False):
        return _EMPTY
    cached: Roles | None = getattr(user, "_kyodo_roles", None)
    if cached is not None:
        return cached
    rows = list(
        Membership.objects.current()
        .filter(person__user=user, role__in=EDITING_ROLES)
        .values_list("organisation_id", "organisation__kind", "organisation__parent_id")
    )
    org_ids = frozenset(org_id for org_id, _kind, _parent in rows)
    parents_of_departments = frozenset(
        parent for _org, kind, parent in rows if kind == OrganisationKind.DEPARTMENT and parent
    )
    network_ids = (
        frozenset(Network.objects.filter(secretariat_id__in=org_ids).values_list("id", flat=True))
        if org_ids
        else frozenset()
    )
    result = Roles(
        editable_org_ids=org_ids,
        government_staff=any(kind in GOVERNMENT_KINDS for _org_id, kind, _parent in rows),
        secretariat_network_ids=network_ids,
        acting_org_ids=org_ids | parents_of_departments,
    )
    user._kyodo_roles = result
    return result


@rules.predicate
def is_site_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def is_resident(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@rules.predicate
def is_municipal_staff(user: Any) -> bool:
    return roles_of(user).government_staff


@rules.predicate
def is_any_secretariat(user: Any) -> bool:
    return bool(roles_of(user).secretariat_network_ids)


@rules.predicate
def is_secretariat_of_network(user: Any, network: Network | None) -> bool:
    return network is not None and network.pk in roles_of(user).secretariat_network_ids


@rules.predicate
def is_officer_of(user: Any, organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.pk in roles_of(user).editable_org_ids


@rules.predicate
def is_secretariat_for_member(user: Any, organisation: Organisation | None) -> bool:
    """The secretariat manages the records of its network's member organisations."""
    network_ids = roles_of(user).secretariat_network_ids
    if organisation is None or not network_ids:
        return False
    if organisation.pk in roles_of(user).editable_org_ids:
        return True
    return (
        NetworkMembership.objects.current()
        .filter(network_id__in=network_ids, organisation_id=organisation.pk)
        .exists()
    )


can_edit_organisation = is_site_admin | is_officer_of | is_secretariat_for_member

rules.add_perm("directory.view_organisation", rules.always_allow)
rules.add_perm("directory.change_organisation", can_edit_organisation)
# Where an organisation sits (kind, parent, code, covering office) decides what its people
# may do elsewhere, so its own officers cannot change it.
rules.add_perm("directory.change_organisation_structure", is_site_admin | is_secretariat_for_member)
rules.add_perm("directory.add_organisation", is_site_admin | is_any_secretariat)
rules.add_perm("directory.view_organisation_people", can_edit_organisation)
rules.add_perm("directory.view_network", rules.always_allow)
rules.add_perm("directory.change_network", is_site_admin | is_secretariat_of_network)
rules.add_perm("core.view_page_feedback", can_edit_organisation)
rules.add_perm("core.view_own_account", is_resident)


def network_memberships(user: Any) -> list[tuple[int, int]]:
    """(network, organisation) of each current network membership of an organisation the
    user acts for. One query once per user object, none for visitors."""
    cached: list[tuple[int, int]] | None = getattr(user, "_kyodo_network_memberships", None)
    if cached is not None:
        return cached
    org_ids = roles_of(user).acting_org_ids
    if not org_ids:
        return []
    result = list(
        NetworkMembership.objects.current()
        .filter(organisation_id__in=org_ids)
        .values_list("network_id", "organisation_id")
    )
    user._kyodo_network_memberships = result
    return result


def member_network_ids(user: Any) -> frozenset[int]:
    """The networks whose members-only pages the user may read: those of which an
    organisation the user acts for is a current member, and those the user runs as
    secretariat."""
    return roles_of(user).secretariat_network_ids | frozenset(
        network for network, _organisation in network_memberships(user)
    )
