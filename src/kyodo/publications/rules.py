"""Who may do what with a council's publications and money.

- The council's officers and staff (those who edit the council's records) make the annual
  calendar, the newsletter and keep the ledger.
- Officers of the member associations (the council's child organisations) read the drafts
  of the annual calendar and comment on them while comments are open, and see their own
  delivery counts.
- Everyone reads a published newsletter issue (obituaries only as the notice allows, see
  ``Notice.on_web``) and the final annual calendar.
- The ledger is the council's own business: its editors only.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.directory.rules import can_edit_organisation, roles_of
from kyodo.publications.models import (
    AnnualCalendar,
    CalendarDraft,
    CalendarStatus,
    IssueStatus,
    NewsletterIssue,
)

# The kinds of organisation that publish: in the case city, the community council; an
# association or NPO that gathers others may publish the same way.
PUBLISHER_KINDS = (
    OrganisationKind.COMMUNITY_COUNCIL,
    OrganisationKind.NEIGHBOURHOOD_ASSOCIATION,
    OrganisationKind.NPO,
    OrganisationKind.OTHER,
)


def _council_of(obj: Any) -> Organisation | None:
    if isinstance(obj, Organisation):
        return obj
    if isinstance(obj, CalendarDraft):
        return obj.calendar.council
    return getattr(obj, "council", None)


@rules.predicate
def edits_council(user: Any, obj: Any) -> bool:
    """The officers and staff of the council that owns ``obj`` (a council, calendar, draft,
    newsletter issue or ledger line)."""
    council = _council_of(obj)
    return council is not None and can_edit_organisation(user, council)


@rules.predicate
def is_member_officer(user: Any, obj: Any) -> bool:
    """An officer of one of the council's member associations."""
    council = _council_of(obj)
    if council is None:
        return False
    editable = roles_of(user).editable_org_ids
    if not editable:
        return False
    return Organisation.objects.filter(parent_id=council.pk, pk__in=editable).exists()


@rules.predicate
def is_final(user: Any, calendar: AnnualCalendar | None) -> bool:
    return calendar is not None and calendar.status == CalendarStatus.FINAL


@rules.predicate
def comments_open(user: Any, draft: CalendarDraft | None) -> bool:
    """Comments go on the newest draft while the calendar is out for review."""
    if draft is None or draft.calendar.status != CalendarStatus.REVIEW:
        return False
    until = draft.calendar.comments_until
    if until is not None and timezone.localdate() > until:
        return False
    newest = draft.calendar.drafts.order_by("-number").values_list("pk", flat=True).first()
    return newest == draft.pk


@rules.predicate
def is_published(user: Any, issue: NewsletterIssue | None) -> bool:
    return issue is not None and issue.status == IssueStatus.PUBLISHED


@rules.predicate
def publishes_somewhere(user: Any) -> bool:
    editable = roles_of(user).editable_org_ids
    if getattr(user, "is_superuser", False):
        return True
    if not editable:
        return False
    return Organisation.objects.filter(pk__in=editable, kind__in=PUBLISHER_KINDS).exists() or (
        Organisation.objects.filter(
            parent_id__in=editable, kind=OrganisationKind.COMMUNITY_COUNCIL
        ).exists()
    )


# Pages listing what a person may work on.
rules.add_perm("publications.manage", publishes_somewhere | is_member_officer)
# Annual calendar.
rules.add_perm("publications.change_calendar", edits_council)
rules.add_perm("publications.view_calendar", edits_council | is_member_officer | is_final)
rules.add_perm("publications.view_drafts", edits_council | is_member_officer)
rules.add_perm("publications.comment_draft", comments_open & (edits_council | is_member_officer))
# Newsletter.
rules.add_perm("publications.change_issue", edits_council)
rules.add_perm("publications.view_issue", is_published | edits_council)
# Ledger.
rules.add_perm("publications.view_ledger", edits_council)
rules.add_perm("publications.change_ledger", edits_council)
