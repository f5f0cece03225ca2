"""Who may read and write calendar entries. An organisation's officers, staff and contacts
post its entries; the network's secretariat may help its members; everyone reads what is
published (a cancelled entry stays readable, marked as cancelled)."""

from __future__ import annotations

from typing import Any

import rules

from kyodo.calendar.models import VISIBLE_STATUSES, Entry
from kyodo.directory.rules import can_edit_organisation, roles_of


@rules.predicate
def manages_entry(user: Any, entry: Entry | None) -> bool:
    return entry is not None and can_edit_organisation(user, entry.organisation)


@rules.predicate
def is_visible(user: Any, entry: Entry | None) -> bool:
    return entry is not None and entry.status in VISIBLE_STATUSES


@rules.predicate
def posts_for_some_organisation(user: Any) -> bool:
    return bool(roles_of(user).editable_org_ids) or bool(getattr(user, "is_superuser", False))


rules.add_perm("calendar.view_entry", is_visible | manages_entry)
rules.add_perm("calendar.change_entry", manages_entry)
# Posting for an organisation is editing that organisation's content.
rules.add_perm("calendar.post_entry", can_edit_organisation)
rules.add_perm("calendar.manage_entries", posts_for_some_organisation)
