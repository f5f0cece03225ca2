"""The open-data page and the import of an event list in a browser: a visitor finds the
municipality's file, an officer imports a file, is told which row is wrong, fixes it and
reads the report."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from kyodo.calendar import services
from kyodo.calendar.models import Entry
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in
from tests.calendar.conftest import values

pytestmark = pytest.mark.browser

HEADER = ["イベント名", "イベント名_カナ", "開始日", "終了日", "開始時間", "終了時間", "説明"]
HEADER += ["場所名称", "住所", "料金（基本）"]


def event_list(*starts: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for number, start in enumerate(starts, start=1):
        writer.writerow(
            [
                f"校区夏祭り{number}",
                "コウクナツマツリ",
                start,
                start,
                "17:00",
                "21:00",
                "盆踊りと夜店があります。",
                "みなみ小学校 運動場",
                "鹿児島県鹿児島市山下町1番1号",
                "0",
            ]
        )
    return buffer.getvalue().encode("cp932")


def choose_file(page: Page, data: bytes) -> None:
    page.get_by_label("CSVファイル").set_input_files(
        {"name": "events.csv", "mimeType": "text/csv", "buffer": data}
    )


def test_a_visitor_finds_the_file_and_an_officer_imports_an_event_list(
    page: Page, live_demo, console
) -> None:
    services.entry_save(
        organisation=live_demo.council, values=values(), actor=live_demo.officer, publish=True
    )

    page.goto("/opendata/")
    expect(page.get_by_role("heading", level=1)).to_have_text("オープンデータ(イベント一覧)")
    files = page.get_by_role("table", name="市町村別のイベント一覧ファイル")
    expect(files.get_by_role("rowheader", name="鹿児島市")).to_be_visible()
    expect(files.get_by_role("link", name="462012_event.csv")).to_have_attribute(
        "href", "/opendata/462012_event.csv"
    )
    assert_no_axe_violations(page)

    sign_in(page, "officer@kyodo.example")
    page.goto("/calendar/import/")
    expect(page.get_by_role("heading", level=1)).to_have_text("行事をCSVファイルから取り込む")
    assert_no_axe_violations(page)

    page.get_by_label("取り込む組織").select_option(label="(デモ)みなみ校区コミュニティ協議会")
    choose_file(page, event_list("2027-08-01", "2027/8/32"))
    page.get_by_label("取り込んだ行事をすぐに公開する").check()
    page.get_by_role("button", name="取り込む").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("何も取り込んでいません")
    expect(alert).to_contain_text("3行目 開始日: 日付の形式が正しくありません(例: 2026-12-06)")
    assert_no_axe_violations(page)
    assert Entry.objects.count() == 1

    page.get_by_label("取り込む組織").select_option(label="(デモ)みなみ校区コミュニティ協議会")
    choose_file(page, event_list("2027-08-01", "2027/8/2"))
    page.get_by_label("取り込んだ行事をすぐに公開する").check()
    page.get_by_role("button", name="取り込む").click()
    expect(page.get_by_role("status")).to_contain_text("2行を取り込みました(新規登録 2件)")
    report = page.get_by_role("table", name="行ごとの結果")
    expect(report.get_by_role("link", name="校区夏祭り2")).to_be_visible()
    assert_no_axe_violations(page)
    assert Entry.objects.count() == 3
    assert not csp_reports(console)
