"""Published newsletter issues as the site search finds them (kind ``newsletter``).

The text is :func:`kyodo.publications.queries.newsletter.public_issue_text`, the one place
that decides what of an issue a public search may carry: never an obituary, whatever the
family agreed to show on the page. A draft is not found."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from kyodo.core.dates import fiscal_year
from kyodo.core.models import SearchAudience
from kyodo.core.search import index
from kyodo.core.search.registry import Document, Source, register
from kyodo.directory.queries import municipality_of
from kyodo.directory.signals import organisations_renamed_or_moved
from kyodo.publications.models import IssueStatus, NewsletterIssue, Notice
from kyodo.publications.queries.newsletter import public_issue_text

KIND = "newsletter"


def queryset() -> QuerySet[NewsletterIssue]:
    return (
        NewsletterIssue.objects.filter(status=IssueStatus.PUBLISHED)
        .select_related("council__parent__parent")
        .prefetch_related(
            "articles", Prefetch("notices", queryset=Notice.objects.select_related("organisation"))
        )
    )


def build(issue: NewsletterIssue) -> Document | None:
    body = public_issue_text(issue, timezone.localdate())
    if not body:
        return None
    municipality = municipality_of(issue.council)
    return Document(
        title=str(issue),
        body=body,
        url=reverse("publications:newsletter", kwargs={"pk": issue.pk}),
        audience=SearchAudience.PUBLIC,
        network_id=None,
        municipality_id=municipality.pk if municipality else None,
        fiscal_year=fiscal_year(issue.issue_date),
        date=issue.issue_date,
    )


register(Source(kind=KIND, label="会報", order=60, queryset=queryset, build=build))


@receiver(organisations_renamed_or_moved, dispatch_uid="publications.search")
def refresh_issues_of(*, organisation_ids: Collection[int], **kwargs: Any) -> None:
    """An issue shows its council's name and the names of the organisations its notices
    come from, and counts in the council's municipality."""
    ids = (
        NewsletterIssue.objects.filter(
            Q(council_id__in=organisation_ids) | Q(notices__organisation_id__in=organisation_ids),
            status=IssueStatus.PUBLISHED,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    index.refresh(KIND, ids)
