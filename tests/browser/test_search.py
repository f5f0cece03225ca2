"""The site search in a browser, on the demo: a visitor types half-width katakana in the
header's search box, narrows the results to Q&A, opens the seed's question; a query of
symbols and one of 2,000 characters answer with a message. axe-core checks every page, and
the Content-Security-Policy refuses nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kyodo.core.search import index
from kyodo.knowledge import demo as knowledge_demo
from kyodo.meetings import demo as meetings_demo
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports

pytestmark = pytest.mark.browser


def test_a_visitor_finds_the_seed_question_from_the_header(
    page: Page, live_demo, console, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    meetings_demo.load(live_demo.network)
    knowledge_demo.load()
    index.rebuild()

    page.goto("/")
    box = page.get_by_role("search", name="サイト内検索").get_by_role("searchbox")
    box.fill("ｶﾚﾝﾀﾞｰ")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("サイト内検索")
    expect(page.locator("#results-heading")).to_contain_text("「カレンダー」の検索結果")
    expect(page.locator("mark").first).to_have_text("カレンダー")
    assert_no_axe_violations(page)

    page.get_by_role("navigation", name="種類で絞り込む").get_by_role(
        "link", name="Q&A"
    ).first.click()
    results = page.get_by_role("list").filter(has=page.locator(".search-result"))
    expect(results.get_by_role("listitem").first).to_contain_text("Q&A")
    assert_no_axe_violations(page)

    page.get_by_label("検索語").fill("役員")
    page.get_by_role("button", name="検索", exact=True).click()
    page.get_by_role("link", name="役員のなり手がいない・・・").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("役員のなり手がいない")
    assert_no_axe_violations(page)

    page.goto("/search/?q=" + "%22+OR+*")
    expect(page.locator("#results-heading")).to_contain_text("の検索結果 0件")
    page.goto("/search/?q=" + "あ" * 2000)
    expect(page.get_by_role("alert")).to_have_text("検索語は200文字以内で入力してください。")
    assert_no_axe_violations(page)
    assert csp_reports(console) == []
