"""The newsletter's pages read a fixed number of queries with 1 and with 30 articles,
notices (obituaries among them) and issues."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from kyodo.publications.models import (
    Article,
    IssueStatus,
    NewsletterIssue,
    Notice,
    NoticeKind,
)
from tests.publications.newsletter_fixtures import ISSUE_DATE, _media

__all__ = ["_media"]

pytestmark = pytest.mark.django_db

SIZES = [1, 30]


def build(council, size: int) -> NewsletterIssue:
    """``size`` published issues; the newest with ``size`` articles and ``size`` notices of
    every kind, its obituaries with consent."""
    published = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    issues = NewsletterIssue.objects.bulk_create(
        NewsletterIssue(
            council=council,
            name="みなみ校区だより",
            number=number,
            issue_date=ISSUE_DATE,
            status=IssueStatus.PUBLISHED,
            published_at=published,
        )
        for number in range(1, size + 1)
    )
    issue = issues[-1]
    Article.objects.bulk_create(
        Article(issue=issue, position=n, heading=f"記事{n}", body="本文") for n in range(size)
    )
    kinds = list(NoticeKind)
    notices = []
    for n in range(size):
        kind = kinds[n % len(kinds)]
        notice = Notice(
            issue=issue, position=n, kind=kind, title=f"お知らせ{n}", organisation=council
        )
        if kind == NoticeKind.OBITUARY:
            notice.organisation = None
            notice.deceased_name = "鳴子 太郎"
            notice.consent_by = "鳴子 花子"
            notice.consent_on = ISSUE_DATE
            notice.consent_fields = ["deceased_name"]
            notice.web_until = datetime.date(2100, 1, 1)
        notices.append(notice)
    Notice.objects.bulk_create(notices)
    return issue


@pytest.mark.parametrize("size", SIZES)
def test_the_issue_page(client: Client, demo, size, django_assert_num_queries) -> None:
    issue = build(demo.council, size)
    with django_assert_num_queries(4):
        response = client.get(f"/publications/newsletters/{issue.pk}/")
    assert response.content.decode().count("鳴子 太郎") == len(
        [n for n in range(size) if n % len(NoticeKind) == 0]
    )


@pytest.mark.parametrize("size", SIZES)
def test_the_list(client: Client, demo, size, django_assert_num_queries) -> None:
    build(demo.council, size)
    with django_assert_num_queries(2):
        response = client.get("/publications/newsletters/")
    assert response.content.decode().count("みなみ校区だより 第") == size


@pytest.mark.parametrize("size", SIZES)
def test_the_feed(client: Client, demo, size, django_assert_num_queries) -> None:
    build(demo.council, size)
    with django_assert_num_queries(3):
        response = client.get("/publications/newsletters/feed.xml")
    assert response.content.decode().count("<entry>") == size


@pytest.mark.parametrize("size", SIZES)
def test_the_editor(client: Client, demo, size, django_assert_num_queries) -> None:
    issue = build(demo.council, size)
    client.force_login(demo.officer)
    with django_assert_num_queries(8):
        response = client.get(f"/publications/newsletters/{issue.pk}/edit/")
    assert response.content.decode().count('name="notices-') > size


@pytest.mark.parametrize("size", SIZES)
def test_the_editors_list(client: Client, demo, size, django_assert_num_queries) -> None:
    build(demo.council, size)
    client.force_login(demo.officer)
    with django_assert_num_queries(7):
        response = client.get("/publications/newsletters/manage/")
    assert response.content.decode().count("を編集</span>") == size
