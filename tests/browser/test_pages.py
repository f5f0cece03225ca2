"""The public pages read well to assistive technology and show the network's members."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kyodo.directory.demo import REGIONAL_OFFICES
from tests.browser.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_home_page_lists_the_network_and_passes_axe(page: Page, live_demo) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("共生・協働による地域社会づくり")
    expect(page.get_by_role("link", name=live_demo.network.name)).to_be_visible()
    expect(page.get_by_role("heading", name="このページに関するお問い合わせ")).to_be_visible()
    assert_no_axe_violations(page)


def test_member_list_groups_kagoshima_city_under_its_regional_office_and_passes_axe(
    page: Page, live_demo
) -> None:
    page.goto("/networks/kagoshima/members/")
    member_sections = page.locator("main section").filter(has=page.get_by_role("table"))
    group_headings = member_sections.get_by_role("heading", level=2)
    expect(group_headings).to_have_text(["県の機関", *(name for name, _kana in REGIONAL_OFFICES)])
    section = member_sections.filter(
        has=page.get_by_role("heading", level=2, name="鹿児島地域振興局", exact=True)
    )
    row = section.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="鹿児島市", exact=True)
    )
    expect(row.get_by_role("cell")).to_have_text(["かごしまし", "市", "462012"])
    assert_no_axe_violations(page)


def test_kagoshima_city_page_shows_its_code_and_passes_axe(page: Page, live_demo) -> None:
    page.goto(f"/organisations/{live_demo.kagoshima_city.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("鹿児島市")
    code = page.locator("dl.facts > div").filter(has_text="地方公共団体コード")
    expect(code.locator("dd")).to_have_text("462012")
    assert_no_axe_violations(page)
