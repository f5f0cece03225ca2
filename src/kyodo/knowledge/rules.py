"""Who may read and write the network's shared knowledge. Roles come from
kyodo.directory.rules.

- anyone reads published public posts and cases, and the Q&A of published meetings;
- members of a network (staff, officers and contacts of its current member organisations,
  and its secretariat) also read its members-only posts and cases;
- the secretariat writes for its network, under any member's name or its own;
- staff and officers of a member organisation write for their own organisation only, and
  change or withdraw only their organisation's posts and cases;
- the secretariat tags the Q&A of its network's meetings with themes.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from kyodo.directory.models import Network, NetworkMembership, Organisation
from kyodo.directory.rules import (
    is_any_secretariat,
    is_site_admin,
    member_network_ids,
    network_memberships,
    roles_of,
)
from kyodo.knowledge.models import Audience, Case, Post, Status


def organisation_filter(user: Any, network_id: int) -> Q | None:
    """The organisations the user may write for in the network, as a filter on
    Organisation; None when none."""
    if network_id in roles_of(user).secretariat_network_ids:
        members = NetworkMembership.objects.current().filter(network_id=network_id)
        return Q(pk__in=members.values("organisation_id")) | Q(secretariat_of__pk=network_id)
    own = [org for network, org in network_memberships(user) if network == network_id]
    return Q(pk__in=own) if own else None


def may_write_for(user: Any, network: Network, organisation: Organisation) -> bool:
    """The user may post in ``network`` under the name of ``organisation``."""
    if network.pk in roles_of(user).secretariat_network_ids:
        return (
            organisation.pk == network.secretariat_id
            or NetworkMembership.objects.current()
            .filter(network=network, organisation=organisation)
            .exists()
        )
    return (network.pk, organisation.pk) in set(network_memberships(user))


@rules.predicate
def is_writer(user: Any) -> bool:
    return bool(member_network_ids(user))


@rules.predicate
def can_change(user: Any, item: Post | Case | None) -> bool:
    """The secretariat changes any post of its network; a member only its own
    organisation's (for the network the post is in)."""
    if item is None:
        return False
    if item.network_id in roles_of(user).secretariat_network_ids:
        return True
    return (item.network_id, item.organisation_id) in set(network_memberships(user))


@rules.predicate
def can_read(user: Any, item: Post | Case | None) -> bool:
    if item is None:
        return False
    if item.status != Status.PUBLISHED:
        return bool(can_change(user, item) or is_site_admin(user))
    return item.audience == Audience.PUBLIC or item.network_id in member_network_ids(user)


def may_tag_questions(user: Any, network_id: int) -> bool:
    """The secretariat of the meeting's network gives its Q&A themes."""
    return network_id in roles_of(user).secretariat_network_ids


rules.add_perm("knowledge.write", is_writer)
rules.add_perm("knowledge.view_item", can_read)
rules.add_perm("knowledge.change_item", can_change | is_site_admin)
rules.add_perm("knowledge.tag_questions", is_any_secretariat)
