"""The published results pages in the site search: found as soon as they are published,
gone when the meeting goes back, the same after a rebuild, and indexed in a fixed number
of queries."""

from __future__ import annotations

import datetime

import pytest

from kyodo.core.dates import TOKYO
from kyodo.core.search import index
from kyodo.meetings import queries, services
from kyodo.meetings.models import Meeting, MeetingStatus, Revision
from kyodo.meetings.search import html_text
from tests.searching import assert_rebuild_keeps_rows, found, rows

pytestmark = pytest.mark.django_db
SIZES = [1, 50]


def test_a_published_results_page_is_found_by_a_word_of_its_body(seed_meeting) -> None:
    # From the answers of the seed's questions and answers, as the demo publishes them.
    assert found("山形", "results") == [("results", f"/meetings/{seed_meeting.pk}/")]
    [row] = rows("results")
    assert row["title"] == "令和2年度共生・協働推進かごしま自治体ネットワーク第3回会議"
    assert row["network_id"] == seed_meeting.network_id
    assert row["municipality_id"] is None
    assert (row["fiscal_year"], row["date"]) == (2020, datetime.date(2020, 11, 19))
    assert "<" not in row["body"]
    # Blocks stay apart: the index stores their line breaks as spaces.
    assert "1.日時 令和2年11月19日木曜日9時30分から12時00分 2.場所" in row["body"]


def test_a_meeting_taken_back_from_publication_is_no_longer_found(demo, seed_meeting) -> None:
    services.meeting_set_status(meeting=seed_meeting, status=MeetingStatus.HELD, actor=None)
    assert found("山形", "results") == []
    assert rows("results") == []
    services.meeting_publish(meeting=seed_meeting, actor=demo.secretary)
    assert found("山形", "results") == [("results", f"/meetings/{seed_meeting.pk}/")]


def test_a_record_saved_as_draft_withdraws_the_published_page(demo, seed_meeting) -> None:
    services.meeting_save_record(
        network=demo.network,
        meeting=seed_meeting,
        record={**queries.meeting_record(seed_meeting), "status": MeetingStatus.DRAFT},
        actor=demo.secretary,
    )
    assert found("山形", "results") == []


def test_the_latest_revision_is_what_is_found(demo, open_meeting) -> None:
    assert found("懇親") == []
    services.meeting_publish(meeting=open_meeting, actor=demo.secretary)
    revision = open_meeting.revisions.get()
    Revision.objects.filter(pk=revision.pk).update(body_html="<p>古い版</p>")
    Revision.objects.create(
        meeting=open_meeting, number=2, title="新しい版", body_html="<p>懇親会の報告</p>"
    )
    index.refresh("results", [open_meeting.pk])
    assert found("懇親") == [("results", f"/meetings/{open_meeting.pk}/")]
    assert found("古い") == []


def test_a_rebuild_writes_the_rows_the_services_wrote(demo, seed_meeting, open_meeting) -> None:
    services.meeting_publish(meeting=open_meeting, actor=demo.secretary)
    assert len(rows("results")) == 2
    assert_rebuild_keeps_rows("results")


def test_html_becomes_text_with_a_line_per_block() -> None:
    html = (
        "<h2>開催概要</h2><dl><div><dt>1.日時</dt><dd>11月19日<br>9時30分</dd></div></dl>"
        "<p>A&amp;B &lt;script&gt;</p><script>alert(1)</script><p>地域  と\n 行政</p>"
        "<pre>一行目\n二行目</pre>"
    )
    assert html_text(html) == (
        "開催概要\n1.日時\n11月19日\n9時30分\nA&B <script>\n地域 と 行政\n一行目\n二行目"
    )


def published_meetings(demo, size: int) -> list[int]:
    start = datetime.datetime(2024, 6, 1, 10, tzinfo=TOKYO)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            network=demo.network,
            fiscal_year=2024,
            ordinal=n + 1,
            kind="会議",
            starts_at=start + datetime.timedelta(days=n),
            ends_at=start + datetime.timedelta(days=n, hours=2),
            status=MeetingStatus.PUBLISHED,
        )
        for n in range(size)
    )
    Revision.objects.bulk_create(
        Revision(meeting=meeting, number=number, title=f"第{meeting.ordinal}回", body_html=body)
        for meeting in meetings
        for number, body in ((1, "<p>初版</p>"), (2, "<p>第二版</p>"))
    )
    return [meeting.pk for meeting in meetings]


@pytest.mark.parametrize("size", SIZES)
def test_indexing_reads_a_fixed_number_of_queries(
    demo, django_assert_num_queries, size: int
) -> None:
    ids = published_meetings(demo, size)
    with django_assert_num_queries(6):
        assert index.refresh("results", ids) == size
    with django_assert_num_queries(6):
        assert index.rebuild(["results"]) == {"results": size}
    assert {row["body"] for row in rows("results")} == {"第二版"}


def test_an_edited_record_refreshes_its_questions_too(demo, seed_meeting) -> None:
    assert seed_meeting.questions.filter(published=True).exists()
    services.meeting_save_record(
        network=demo.network,
        meeting=seed_meeting,
        record={**queries.meeting_record(seed_meeting), "title": "改称した意見交換会"},
        actor=demo.secretary,
    )
    published = seed_meeting.questions.filter(published=True, merged_into=None).count()
    assert len(found("改称した意見交換会", "qa")) == published
