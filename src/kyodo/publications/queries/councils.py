"""The organisations a person publishes for, shared by the calendar, newsletter and ledger."""

from __future__ import annotations

from typing import Any

from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.directory.rules import roles_of
from kyodo.publications.rules import PUBLISHER_KINDS


def councils_for(user: Any) -> list[Organisation]:
    """The publishing organisations the user edits, in name order (site administrators:
    every community council). One query."""
    organisations = Organisation.objects.order_by("kana", "name")
    if getattr(user, "is_superuser", False):
        return list(organisations.filter(kind=OrganisationKind.COMMUNITY_COUNCIL))
    editable = roles_of(user).editable_org_ids
    return list(organisations.filter(pk__in=editable, kind__in=PUBLISHER_KINDS))
