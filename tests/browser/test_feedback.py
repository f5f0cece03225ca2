"""The feedback form at the foot of each page, with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Frame, Page, expect

from kyodo.core.models import PageFeedback
from tests.browser.axe import assert_no_axe_violations, assert_no_axe_violations_in_snapshot
from tests.browser.support import csp_reports

pytestmark = pytest.mark.browser

NETWORK_PATH = "/networks/kagoshima/"
THANKS = "ご意見をお寄せいただき、ありがとうございました。"


def answer_feedback(page: Page, comment: str) -> None:
    usefulness = page.get_by_role("group", name="このページの情報は役に立ちましたか？")
    usefulness.get_by_role("radio", name="役に立った", exact=True).check()
    findability = page.get_by_role("group", name="このページは見つけやすかったですか？")
    findability.get_by_role("radio", name="見つけやすかった", exact=True).check()
    page.get_by_role("textbox", name="ご意見・ご感想").fill(comment)
    page.get_by_role("button", name="送信").click()


def assert_feedback_stored(demo, comment: str) -> None:
    row = PageFeedback.objects.get()
    assert (row.path, row.page_title, row.owner, row.usefulness, row.findability) == (
        NETWORK_PATH,
        demo.network.name,
        demo.secretariat,
        "useful",
        "easy",
    )
    assert row.comment == comment


def test_feedback_with_javascript_thanks_in_place_without_navigation_or_csp_reports(
    page: Page, live_demo, console: list[ConsoleMessage]
) -> None:
    page.goto(NETWORK_PATH)
    expect(page.get_by_role("heading", name="このページに関するお問い合わせ")).to_be_visible()
    url = page.url
    page.evaluate("window.__kyodo_marker = 1")
    navigations: list[str] = []

    def record(frame: Frame) -> None:
        if frame == page.main_frame:
            navigations.append(frame.url)

    page.on("framenavigated", record)

    with page.expect_response("**/feedback/") as submitted:
        answer_feedback(page, "会員の連絡先が分かりやすい")

    assert submitted.value.request.headers.get("hx-request") == "true"
    assert submitted.value.status == 200
    feedback = page.locator("#page-feedback")
    expect(feedback.get_by_role("status")).to_have_text(THANKS)
    expect(feedback.get_by_role("button", name="送信")).to_have_count(0)
    assert page.url == url
    assert navigations == []
    assert page.evaluate("window.__kyodo_marker") == 1
    assert_feedback_stored(live_demo, "会員の連絡先が分かりやすい")
    assert csp_reports(console) == []
    assert_no_axe_violations(page)


def test_feedback_without_javascript_posts_and_returns_to_the_page_with_thanks(
    page: Page, new_context, live_demo
) -> None:
    no_js = new_context(java_script_enabled=False).new_page()
    no_js.goto(NETWORK_PATH)

    answer_feedback(no_js, "スクリプトなしでも送れました")

    expect(no_js).to_have_url(re.compile(rf"{re.escape(NETWORK_PATH)}#page-feedback$"))
    expect(no_js.get_by_role("status")).to_have_text(THANKS)
    expect(no_js.get_by_role("heading", level=1)).to_have_text(live_demo.network.name)
    assert_feedback_stored(live_demo, "スクリプトなしでも送れました")
    assert_no_axe_violations_in_snapshot(no_js, scanner=page)
