"""Keyboard users can reach the main content first."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_first_tab_shows_the_skip_link_and_enter_moves_focus_to_main(page: Page, live_demo) -> None:
    page.goto("/")
    skip_link = page.get_by_role("link", name="本文へ")

    page.keyboard.press("Tab")

    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport(ratio=1)
    box = skip_link.bounding_box()
    viewport = page.viewport_size
    assert box is not None, "the focused skip link is rendered"
    assert viewport is not None
    left, top = box["x"], box["y"]
    right, bottom = left + box["width"], top + box["height"]
    assert box["width"] > 0, box
    assert box["height"] > 0, box
    assert left >= 0, box
    assert top >= 0, box
    assert right <= viewport["width"], box
    assert bottom <= viewport["height"], box

    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()
    assert page.url.endswith("/#main")
    assert_no_axe_violations(page)
