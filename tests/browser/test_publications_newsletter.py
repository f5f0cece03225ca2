"""The newsletter in a browser: a council officer starts an issue, writes an article and an
obituary whose part of the form appears only when the kind is 訃報, records the family's
consent and publishes; a resident reads the issue, with only the consented fields. axe-core
checks the editor and the issue page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kyodo.publications.models import IssueStatus, NewsletterIssue, Notice
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in

pytestmark = pytest.mark.browser


def test_an_officer_publishes_an_issue_with_an_obituary(
    page: Page, live_demo, console, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(page, "officer@kyodo.example")
    page.goto("/publications/newsletters/manage/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="新しい号を作る").first.click()
    expect(page.get_by_label("号", exact=True)).to_have_value("1")
    page.get_by_label("発行日").fill("2026-12-01")
    page.get_by_role("button", name="作って編集する").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "(デモ)みなみ校区コミュニティ協議会だより 第1号を編集"
    )
    article = page.get_by_role("group", name="記事 1")
    article.get_by_label("見出し").fill("餅つき大会を開きました")
    article.get_by_label("本文").fill("12月の第1日曜日に公民館で餅つき大会を開きました。")
    notice = page.get_by_role("group", name="お知らせ 1", exact=True)
    obituary_part = notice.get_by_role("group", name="訃報の項目(種類が訃報のときだけ)")
    expect(obituary_part).to_be_hidden()
    notice.get_by_label("種類").select_option(label="訃報")
    expect(obituary_part).to_be_visible()
    obituary_part.get_by_role("textbox", name="故人のお名前").fill("鳴子 太郎")
    obituary_part.get_by_role("spinbutton", name="享年").fill("88")
    obituary_part.get_by_label("同意されたご遺族のお名前").fill("鳴子 花子")
    obituary_part.get_by_label("故人との続柄").fill("長女")
    obituary_part.get_by_label("同意を得た日").fill("2026-11-20")
    obituary_part.get_by_role("checkbox", name="故人のお名前").check()
    obituary_part.get_by_role("checkbox", name="享年").check()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="保存", exact=True).click()

    expect(page.get_by_role("status")).to_contain_text("を保存しました。")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="この号を発行する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "(デモ)みなみ校区コミュニティ協議会だより 第1号"
    )
    issue = NewsletterIssue.objects.get()
    assert issue.status == IssueStatus.PUBLISHED
    assert Notice.objects.get().consent_fields == ["deceased_name", "age"]
    page.get_by_role("button", name="ログアウト").click()

    page.goto(f"/publications/newsletters/{issue.pk}/")
    expect(page.get_by_role("heading", name="餅つき大会を開きました")).to_be_visible()
    expect(page.get_by_text("鳴子 太郎")).to_be_visible()
    expect(page.get_by_text("88歳")).to_be_visible()
    expect(page.get_by_text("鳴子 花子")).to_have_count(0)
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex"
    assert_no_axe_violations(page)
    page.goto("/publications/newsletters/")
    expect(
        page.get_by_role("link", name="(デモ)みなみ校区コミュニティ協議会だより 第1号")
    ).to_be_visible()
    assert_no_axe_violations(page)
    assert csp_reports(console) == []
