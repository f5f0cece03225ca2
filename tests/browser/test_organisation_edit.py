"""Editing an organisation's record in the browser: saving, refusing, and validating."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kyodo.directory.models import Organisation
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import sign_in

pytestmark = pytest.mark.browser


def fact(page: Page, term: str):
    """The value shown beside `term` in the organisation's facts list."""
    return (
        page.locator("dl.facts > div")
        .filter(has=page.get_by_text(term, exact=True))
        .get_by_role("definition")
    )


def test_officer_edits_own_council_phone_and_cannot_edit_the_city(page: Page, live_demo) -> None:
    council, city = live_demo.council, live_demo.kagoshima_city
    sign_in(page, "officer@kyodo.example")
    page.goto(f"/organisations/{council.pk}/")
    page.get_by_role("link", name="組織の情報を編集").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{council.name}の情報を編集")
    assert_no_axe_violations(page)

    phone = page.get_by_label("電話番号", exact=True)
    phone.fill("099-123-4567")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(rf"/organisations/{council.pk}/$"))
    expect(page.get_by_role("status")).to_have_text(f"「{council.name}」の情報を保存しました。")
    expect(fact(page, "電話番号")).to_have_text("099-123-4567")
    assert Organisation.objects.get(pk=council.pk).phone == "099-123-4567"

    response = page.goto(f"/organisations/{city.pk}/edit/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "このページを表示する権限がありません"
    )
    expect(page.get_by_label("電話番号")).to_have_count(0)
    assert_no_axe_violations(page)


def test_wrong_check_digit_is_refused_with_an_error_summary_and_nothing_is_saved(
    page: Page, live_demo
) -> None:
    city = live_demo.kagoshima_city
    sign_in(page, "secretariat@kyodo.example")
    page.goto(f"/organisations/{city.pk}/edit/")

    page.get_by_label("地方公共団体コード").fill("462013")
    page.get_by_role("button", name="保存").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("入力内容に誤りがあります。保存されていません。")
    expect(summary.get_by_role("link")).to_contain_text(["地方公共団体コード"])
    expect(summary).to_contain_text("検査数字")
    expect(page.get_by_label("地方公共団体コード")).to_have_value("462013")
    assert_no_axe_violations(page)

    page.goto(f"/organisations/{city.pk}/")
    expect(fact(page, "地方公共団体コード")).to_have_text("462012")
    assert Organisation.objects.get(pk=city.pk).lgcode == "462012"
    assert_no_axe_violations(page)
