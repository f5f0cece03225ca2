"""The annual event calendar in a browser: the council's chair opens the calendar with the
entries it gathers, places two advertisements in the band (one refused for overlapping),
takes a draft and reads it. axe-core checks each page."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from kyodo.calendar import services as calendar_services
from kyodo.publications.models import AdSlot, YearKind
from kyodo.publications.services import annual as services
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in
from tests.calendar.conftest import values

pytestmark = pytest.mark.browser


def test_the_chair_builds_the_calendar_with_its_ads_and_a_draft(
    page: Page, live_demo, console, tmp_path, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path
    demo = live_demo
    calendar = services.calendar_create(
        council=demo.council, year=2027, year_kind=YearKind.CALENDAR, actor=demo.officer
    )
    for title, day in (
        ("どんど焼き", datetime.date(2027, 1, 10)),
        ("夏祭り", datetime.date(2027, 7, 24)),
    ):
        calendar_services.entry_save(
            organisation=demo.council,
            values=values(title=title, start_date=day, end_date=day),
            actor=demo.officer,
            publish=True,
        )
    sign_in(page, "officer@kyodo.example")

    page.goto("/publications/calendars/")
    page.get_by_role("link", name=calendar.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(calendar.title)
    january = page.get_by_role("region", name="令和9年1月")
    expect(january.get_by_role("cell", name="会議 どんど焼き")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="広告枠").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{calendar.title}の広告")
    page.get_by_role("link", name="広告を追加").click()
    page.get_by_label("広告主 必須", exact=True).fill("みなみ商店")
    page.get_by_label("横の枠数").fill("3")
    page.get_by_label("縦の枠数").fill("2")
    page.get_by_label("広告文").fill("創業50年 みなみ商店")
    page.get_by_label("広告料(円)").fill("30000")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("上から1段目・左から1枠目に保存しました")

    page.get_by_role("link", name="広告を追加").click()
    page.get_by_label("広告主 必須", exact=True).fill("きた工務店")
    page.get_by_label("横の枠数").fill("2")
    page.get_by_label("位置(左から何枠目)").fill("3")
    page.get_by_label("位置(上から何段目)").fill("2")
    page.get_by_label("広告文").fill("リフォーム承ります")
    page.get_by_label("広告料(円)").fill("20000")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "この位置には「みなみ商店」の広告があり、重なります。"
    )
    assert_no_axe_violations(page)
    page.get_by_label("位置(左から何枠目)").fill("")
    page.get_by_label("位置(上から何段目)").fill("")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("上から1段目・左から4枠目に保存しました")
    band = page.get_by_role("table", name="広告欄(横8枠×縦3枠)")
    expect(band.get_by_role("cell", name="みなみ商店 3×2枠・未請求")).to_be_visible()
    assert AdSlot.objects.count() == 2
    assert_no_axe_violations(page)

    page.get_by_role("link", name=calendar.title).click()
    page.get_by_label("委員へのお知らせ").fill("第1稿です。日付を確認してください。")
    page.get_by_role("button", name="いまの行事で第1稿を作る").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{calendar.title} 第1稿")
    expect(page.get_by_text("最初の原稿です。")).to_be_visible()
    july = page.get_by_role("region", name="令和9年7月")
    expect(july.get_by_role("cell", name="会議 夏祭り")).to_be_visible()
    assert_no_axe_violations(page)
    assert csp_reports(console) == []


def test_the_chair_sets_the_print_run_records_delivery_and_orders_a_print_file(
    page: Page, live_demo, console
) -> None:
    demo = live_demo
    calendar = services.calendar_create(
        council=demo.council, year=2027, year_kind=YearKind.CALENDAR, actor=demo.officer
    )
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    sign_in(page, "officer@kyodo.example")
    page.goto("/publications/calendars/")
    assert_no_axe_violations(page)

    page.goto(f"/publications/calendars/{calendar.pk}/settings/")
    page.get_by_label("印刷部数").fill("900")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(calendar.title)
    calendar.refresh_from_db()
    assert calendar.print_run == 900

    page.goto(f"/publications/calendars/{calendar.pk}/deliveries/")
    assert_no_axe_violations(page)

    page.goto(f"/publications/calendars/{calendar.pk}/")
    page.get_by_label("A4 冊子").check()
    page.get_by_role("button", name="PDFを作る").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("印刷用PDF")
    expect(page.get_by_text("状態:")).to_contain_text("待機中")
    assert_no_axe_violations(page)
    assert csp_reports(console) == []
