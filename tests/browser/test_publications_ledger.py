"""The council's ledger in a browser: an officer books a grant, mistypes an amount and is
told so, then reads the year's summary and the chart across years. axe-core checks each."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kyodo.publications.models import LedgerLine
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in

pytestmark = pytest.mark.browser


def test_an_officer_keeps_the_councils_ledger(page: Page, live_demo, console) -> None:
    council = live_demo.council
    sign_in(page, "officer@kyodo.example")
    page.goto("/publications/ledger/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=council.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{council.name} 自主財源の推移")
    expect(page.get_by_role("img", name="年度ごとの収入の合計")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"/publications/ledger/{council.pk}/2026/")
    page.get_by_label("日付").fill("2026-06-15")
    page.get_by_label("科目").select_option(label="交付金・補助金")
    page.get_by_label("摘要").fill("地域まちづくり補助金")
    page.get_by_label("金額(円)").fill("十万円")
    page.get_by_role("button", name="記入する").click()
    expect(page.get_by_role("alert")).to_contain_text("金額は数字で入力してください")
    assert not LedgerLine.objects.filter(description="地域まちづくり補助金").exists()
    assert_no_axe_violations(page)

    page.get_by_label("金額(円)").fill("100,000")
    page.get_by_role("button", name="記入する").click()
    expect(page.get_by_role("status")).to_contain_text(
        "「地域まちづくり補助金」100,000円を記入しました"
    )
    row = page.get_by_role("row").filter(has_text="地域まちづくり補助金")
    expect(row).to_contain_text("100,000")
    assert_no_axe_violations(page)
    assert csp_reports(console) == []
