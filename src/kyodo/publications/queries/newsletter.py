"""Reads of the newsletter (協議会だより): issues for the public, the editors and the feed,
what of an issue the public may see on a given day, and what a public search may index.

Every read for the public goes through :func:`shown_notices` or :func:`public_notices`, so an
obituary appears only as ``Notice.on_web`` and ``Notice.consented`` allow, and never in the
feed or a search index.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from kyodo.directory.models import Organisation
from kyodo.publications.models import (
    Article,
    IssueStatus,
    NewsletterIssue,
    Notice,
    NoticeKind,
)

# The public list and the feed show at most this many issues, newest first.
LIST_LIMIT = 200
FEED_LIMIT = 30


def _with_parts(issues: QuerySet[NewsletterIssue]) -> QuerySet[NewsletterIssue]:
    return issues.select_related("council").prefetch_related(
        Prefetch("articles", queryset=Article.objects.order_by("position", "pk")),
        Prefetch(
            "notices",
            queryset=Notice.objects.select_related("organisation").order_by("position", "pk"),
        ),
    )


def issue_by_pk(pk: int) -> NewsletterIssue:
    """An issue with its council, articles and notices (three queries), whatever its state;
    the caller checks the permission."""
    return get_object_or_404(_with_parts(NewsletterIssue.objects.all()), pk=pk)


def issue_for_reader(pk: int, user: Any) -> NewsletterIssue:
    """The issue a person may read (published, or theirs to edit). A draft is not found for
    anyone else, so its existence is not given away."""
    issue = issue_by_pk(pk)
    if not user.has_perm("publications.view_issue", issue):
        raise Http404("この号は見つかりません。")
    return issue


def article_with_image(issue: NewsletterIssue, pk: int) -> Article:
    article = get_object_or_404(Article, issue=issue, pk=pk)
    if not article.image:
        raise Http404("この記事に写真はありません。")
    return article


def published_issues(council: Organisation | None = None) -> QuerySet[NewsletterIssue]:
    """Published issues, newest first, with their council."""
    issues = NewsletterIssue.objects.filter(status=IssueStatus.PUBLISHED).select_related("council")
    if council is not None:
        issues = issues.filter(council=council)
    return issues.order_by("-issue_date", "-number", "-pk")


def publishing_councils() -> QuerySet[Organisation]:
    """The organisations with a published issue, for the public list's filter."""
    return (
        Organisation.objects.filter(newsletter_issues__status=IssueStatus.PUBLISHED)
        .distinct()
        .order_by("kana", "name")
    )


def feed_issues(council: Organisation | None = None) -> list[NewsletterIssue]:
    """The newest published issues with their articles and notices, for the feed."""
    return list(_with_parts(published_issues(council))[:FEED_LIMIT])


def issues_to_manage(councils: Iterable[Organisation]) -> list[NewsletterIssue]:
    """Every issue of the councils, newest first (one query)."""
    return list(
        NewsletterIssue.objects.filter(council__in=list(councils))
        .select_related("council")
        .order_by("council__kana", "council__name", "-number")
    )


@dataclass(frozen=True)
class IssueDefaults:
    name: str
    number: int


def issue_defaults(council: Organisation) -> IssueDefaults:
    """The name and number of a council's next issue: the name of its previous issue (or
    「(council)だより」) and the number after the highest."""
    previous = council.newsletter_issues.order_by("-number").first()
    if previous is None:
        return IssueDefaults(name=f"{council.name}だより"[:100], number=1)
    return IssueDefaults(name=previous.name, number=previous.number + 1)


def organisation_choices(council: Organisation) -> list[tuple[int, str]]:
    """Who a notice may come from: the council, its member organisations and the
    municipality above it (one query)."""
    organisations = Organisation.objects.filter(pk=council.pk) | Organisation.objects.filter(
        parent_id=council.pk
    )
    if council.parent_id is not None:
        organisations = organisations | Organisation.objects.filter(pk=council.parent_id)
    return list(organisations.order_by("kind", "kana", "name").values_list("pk", "name"))


# --- What the public sees --------------------------------------------------------------


@dataclass(frozen=True)
class NoticeGroup:
    kind: str
    label: str
    notices: list[Notice]


def shown_notices(issue: NewsletterIssue, today: datetime.date) -> list[Notice]:
    """The notices of an issue as its public page shows them on ``today``: every notice but
    the obituaries that are not on the web (no consent, or past their last day). The page
    shows an obituary only through ``Notice.consented``."""
    return [notice for notice in issue.notices.all() if notice.on_web(today)]


def grouped(notices: Iterable[Notice]) -> list[NoticeGroup]:
    """Notices grouped by kind, in the order of the kinds, each group in print order."""
    by_kind: dict[str, list[Notice]] = {}
    for notice in notices:
        by_kind.setdefault(notice.kind, []).append(notice)
    return [
        NoticeGroup(kind=kind, label=str(label), notices=by_kind[kind])
        for kind, label in NoticeKind.choices
        if kind in by_kind
    ]


def shows_obituary(notices: Iterable[Notice]) -> bool:
    return any(notice.is_obituary for notice in notices)


def public_notices(issue: NewsletterIssue, today: datetime.date) -> list[Notice]:
    """The notices of an issue that a public search, a feed or open data may carry: those of
    a published issue, never an obituary, whatever its consent or date. ``today`` is there so
    a later rule on dates needs no change of callers."""
    del today
    if issue.status != IssueStatus.PUBLISHED:
        return []
    return [notice for notice in issue.notices.all() if not notice.is_obituary]


def public_issue_text(issue: NewsletterIssue, today: datetime.date) -> str:
    """The text of a published issue a public search may index: its name, the articles
    (heading, body, photo description and caption) and the notices of
    :func:`public_notices`. Empty for a draft. Never any part of an obituary."""
    if issue.status != IssueStatus.PUBLISHED:
        return ""
    parts: list[str] = [str(issue), issue.council.name]
    for article in issue.articles.all():
        parts += [article.heading, article.body, article.image_alt, article.caption]
    for notice in public_notices(issue, today):
        parts += [notice.title, notice.body]
        if notice.organisation is not None:
            parts.append(notice.organisation.name)
    if issue.editor_note:
        parts.append(issue.editor_note)
    return "\n".join(part for part in parts if part)


def feed_summary(issue: NewsletterIssue) -> str:
    """The description of an issue in the feed: the headings of its articles and of the
    notices a feed may carry (:func:`public_notices`); never an obituary."""
    headings = [article.heading for article in issue.articles.all()]
    headings += [notice.title for notice in public_notices(issue, issue.issue_date)]
    return "、".join(headings)
