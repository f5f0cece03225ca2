"""Published newsletter issues in the site search: found once published, gone when
withdrawn, never any part of an obituary, the same after a rebuild, and indexed in a fixed
number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from kyodo.core.search import index
from kyodo.directory import services as directory
from kyodo.directory.models import Organisation
from kyodo.publications.models import (
    Article,
    IssueStatus,
    NewsletterIssue,
    Notice,
    NoticeKind,
)
from kyodo.publications.services import newsletter as services
from tests.publications.newsletter_fixtures import (
    _media,
    article,
    make_issue,
    notice,
    obituary,
    save,
)
from tests.searching import assert_rebuild_keeps_rows, found, rows

pytestmark = pytest.mark.django_db
SIZES = [1, 50]
__all__ = ["_media", "make_issue"]


def issue_url(issue: NewsletterIssue) -> str:
    return f"/publications/newsletters/{issue.pk}/"


def test_a_published_issue_is_found_and_a_draft_is_not(demo, make_issue) -> None:
    issue = make_issue(publish=False)
    assert found("餅つき") == []
    services.newsletter_issue_publish(issue=issue, actor=demo.officer)
    assert found("餅つき") == [("newsletter", f"/publications/newsletters/{issue.pk}/")]
    [row] = rows("newsletter")
    assert row["municipality_id"] == demo.kagoshima_city.pk
    assert (row["fiscal_year"], row["date"]) == (2026, datetime.date(2026, 12, 1))


def test_a_withdrawn_issue_is_no_longer_found(demo, make_issue) -> None:
    issue = make_issue()
    services.newsletter_issue_withdraw(issue=issue, actor=demo.officer)
    assert found("餅つき") == []
    assert rows("newsletter") == []


def test_an_edit_of_a_published_issue_is_found_at_once(demo, make_issue) -> None:
    issue = make_issue()
    save(issue, demo.officer, articles=[article(heading="門松", body="公民館の玄関に飾りました。")])
    assert found("門松") == [("newsletter", f"/publications/newsletters/{issue.pk}/")]
    assert found("餅つき") == []


def test_renaming_the_council_or_a_notice_source_refreshes_its_issues(demo, make_issue) -> None:
    association = Organisation.objects.get(name="(デモ)みなみ一丁目町内会")
    issue = make_issue(notices=[notice(organisation=association.pk)])
    directory.organisation_update(
        organisation=demo.council, actor=demo.admin, values={"name": "みなみ校区まちづくり協議会"}
    )
    assert found("まちづくり", kind="newsletter") == [("newsletter", issue_url(issue))]
    directory.organisation_update(
        organisation=association, actor=demo.admin, values={"name": "みなみ一丁目自治会"}
    )
    assert found("自治会", kind="newsletter") == [("newsletter", issue_url(issue))]


def test_an_obituary_is_never_indexed(make_issue) -> None:
    # Consented and within its days on the web: the page shows it, the search must not.
    make_issue(notices=[notice(), obituary()])
    assert found("金婚") != []
    for words in ("鳴子", "太郎", "湯元", "斎場", "花子"):
        assert found(words) == [], words
    assert "鳴子" not in rows("newsletter")[0]["body"]


def test_a_rebuild_writes_the_rows_the_services_wrote(demo, make_issue) -> None:
    make_issue(notices=[notice(organisation=demo.council.pk), obituary()])
    make_issue(articles=[article(heading="防災訓練")])
    make_issue(publish=False)
    assert len(rows("newsletter")) == 2
    assert_rebuild_keeps_rows("newsletter")


def published_issues(demo, size: int) -> list[int]:
    issues = NewsletterIssue.objects.bulk_create(
        NewsletterIssue(
            council=demo.council,
            name="みなみだより",
            number=n + 1,
            issue_date=datetime.date(2026, 6, 1),
            status=IssueStatus.PUBLISHED,
            published_at=timezone.now(),
        )
        for n in range(size)
    )
    Article.objects.bulk_create(
        Article(issue=issue, heading="記事", body="本文") for issue in issues
    )
    Notice.objects.bulk_create(
        Notice(issue=issue, kind=kind, title="お知らせ", organisation=demo.council)
        for issue in issues
        for kind in (NoticeKind.ORGANISATION, NoticeKind.OBITUARY)
    )
    return [issue.pk for issue in issues]


@pytest.mark.parametrize("size", SIZES)
def test_indexing_reads_a_fixed_number_of_queries(
    demo, django_assert_num_queries, size: int
) -> None:
    ids = published_issues(demo, size)
    with django_assert_num_queries(7):
        assert index.refresh("newsletter", ids) == size
    with django_assert_num_queries(7):
        assert index.rebuild(["newsletter"]) == {"newsletter": size}
