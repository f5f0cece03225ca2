"""The year plan and the published results of the network's meetings, read and managed in
a browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kyodo.meetings import demo as meetings_demo
from kyodo.meetings.models import Meeting
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def live_meetings(live_demo):
    meetings_demo.load(live_demo.network)
    return live_demo


def test_visitor_reads_the_published_results_from_the_year_plan(page: Page, live_meetings) -> None:
    page.goto("/networks/kagoshima/meetings/2020/")
    expect(page.get_by_role("heading", level=1)).to_have_text("令和2年度の会議")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="第3回会議").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "令和2年度共生・協働推進かごしま自治体ネットワーク第3回会議の開催結果"
    )
    expect(page.locator("dl.meeting-facts")).to_contain_text("51名")
    expect(page.locator("main")).not_to_contain_text("meet.kyodo.example")
    assert_no_axe_violations(page)


def test_secretariat_publishes_the_open_meeting_and_sees_its_revisions(
    page: Page, live_meetings
) -> None:
    meeting = Meeting.objects.get(fiscal_year=2026)
    sign_in(page, "secretariat@kyodo.example")
    page.goto("/networks/kagoshima/meetings/2026/")
    expect(page.get_by_role("cell", name="参加受付中")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="第1回会議").click()
    expect(page.get_by_text("以下は記録から作ったプレビューです。")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="開催結果を公開").click()
    expect(page.get_by_role("status")).to_contain_text("開催結果を公開しました(第1版)")
    expect(page.get_by_role("link", name="第1版")).to_be_visible()
    assert meeting.revisions.count() == 1
    assert_no_axe_violations(page)


def test_member_staff_registers_by_form_and_the_page_passes_axe(page: Page, live_meetings) -> None:
    meeting = Meeting.objects.get(fiscal_year=2026)
    sign_in(page, "staff@kyodo.example")
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("link", name="参加を申し込む").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("参加申込")
    assert_no_axe_violations(page)
    first = page.get_by_role("group", name="参加者 1")
    first.get_by_label("氏名").fill("鹿児 太郎")
    first.get_by_label("メールアドレス").fill("staff@kyodo.example")
    first.get_by_label("参加方法").select_option("online")
    page.get_by_role("button", name="申込む").click()
    expect(page.get_by_role("status")).to_contain_text("参加申込を受け付けました。")
    expect(page.get_by_role("link", name="https://meet.kyodo.example/j/2026-1")).to_be_visible()
    assert meeting.registrations.get().attendees.get().name == "鹿児 太郎"
    assert_no_axe_violations(page)


def test_refused_registration_shows_why_and_passes_axe(page: Page, live_meetings) -> None:
    meeting = Meeting.objects.get(fiscal_year=2026)
    Meeting.objects.filter(pk=meeting.pk).update(capacity=0)
    sign_in(page, "staff@kyodo.example")
    page.goto(f"/meetings/{meeting.pk}/register/")
    first = page.get_by_role("group", name="参加者 1")
    first.get_by_label("氏名").fill("鹿児 太郎")
    first.get_by_label("参加方法").select_option("in_person")
    page.get_by_role("button", name="申込む").click()
    expect(page.get_by_role("alert")).to_contain_text("定員(0名)を超えるため申込できません。")
    assert not meeting.registrations.exists()
    assert_no_axe_violations(page)
