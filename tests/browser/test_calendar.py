"""The community calendar in a browser: an officer posts a meeting that needs an application
to observe, with the meeting-only fields appearing as they choose the kind; residents find it
in the month grid, the list of observable meetings and on its page. axe-core checks each."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kyodo.calendar.models import Entry
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in

pytestmark = pytest.mark.browser


def test_an_officer_posts_a_meeting_and_residents_find_it(page: Page, live_demo, console) -> None:
    sign_in(page, "officer@kyodo.example")
    page.goto("/calendar/manage/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="行事・会議を登録").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("行事・会議を登録")
    meeting_only = page.get_by_role("group", name="会議の傍聴と議題(会議のみ)")
    expect(meeting_only).to_be_hidden()
    page.get_by_label("種類").select_option(label="会議")
    expect(meeting_only).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("名称 必須", exact=True).fill("校区まちづくり会議")
    page.get_by_label("名称のよみがな").fill("こうくまちづくりかいぎ")
    page.get_by_label("開始日").fill("2026-12-13")
    page.get_by_label("開始時間", exact=True).fill("10:00")
    page.get_by_label("終了時間", exact=True).fill("11:30")
    page.get_by_label("場所名称").fill("みなみ地区公民館")
    page.get_by_label("住所 必須", exact=True).fill("鹿児島県鹿児島市みなみ町1番1号")
    page.get_by_label("説明").fill("校区の防災計画について話し合います。")
    page.get_by_label("傍聴", exact=True).select_option(label="傍聴要事前申込")
    page.get_by_label("傍聴の申込方法").fill("12月10日までに事務局へ電話で申し込んでください。")
    page.get_by_role("button", name="保存して公開").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("校区まちづくり会議")
    expect(page.get_by_role("status")).to_contain_text("「校区まちづくり会議」を公開しました。")
    expect(page.get_by_text("令和8年12月13日日曜日10時00分から11時30分")).to_be_visible()
    assert_no_axe_violations(page)
    entry = Entry.objects.get(title="校区まちづくり会議")
    assert entry.observer_policy == "advance"
    page.get_by_role("button", name="ログアウト").click()

    page.goto("/calendar/?month=2026-12")
    grid = page.get_by_role("table", name="2026年12月(令和8年12月)")
    cell = grid.get_by_role("cell").filter(has=page.locator('time[datetime="2026-12-13"]'))
    expect(cell.get_by_role("link", name="10:00 校区まちづくり会議")).to_be_visible()
    expect(cell).to_contain_text("傍聴要事前申込")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="一覧").click()
    page.get_by_label("開始日").fill("2026-12-01")
    page.get_by_label("傍聴できる会議だけを表示").check()
    page.get_by_role("button", name="絞り込む").click()
    expect(page.get_by_role("link", name="校区まちづくり会議")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="週").click()
    assert_no_axe_violations(page)
    assert csp_reports(console) == []
