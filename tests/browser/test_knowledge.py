"""The shared knowledge in a browser, on the demo: a visitor reads the posts (filtered to
those from outside the prefecture), the 大崎市 case linked to the meeting that presented it,
and the Q&A by theme back to the meeting's results; the secretariat reads the members-only
post, writes a post, forgets its title and is told so. axe-core checks every page, and the
Content-Security-Policy refuses nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kyodo.knowledge import demo as knowledge_demo
from kyodo.knowledge.models import Post
from kyodo.meetings import demo as meetings_demo
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in

pytestmark = pytest.mark.browser


def test_a_visitor_reads_posts_cases_and_qa(
    page: Page, live_demo, console, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    meetings_demo.load(live_demo.network)
    knowledge_demo.load()

    page.goto("/")
    page.get_by_role("link", name="情報発信(県内外のNPO施策・協働の取組)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("情報発信")
    expect(page.get_by_text("会員向け")).to_have_count(0)
    assert_no_axe_violations(page)
    page.get_by_label("県内・県外").select_option("outside")
    page.get_by_role("button", name="絞り込む").click()
    expect(page.get_by_role("status")).to_have_text("1件")
    page.get_by_role(
        "link", name="年間行事カレンダーの広告料で協議会の自主財源をつくる(大崎市)"
    ).click()
    expect(page.get_by_role("definition").filter(has_text="宮城県大崎市")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto("/knowledge/cases/")
    expect(page.get_by_role("status")).to_have_text("2件")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="大崎市の地域自治組織と行政の協働", exact=False).click()
    expect(page.get_by_role("heading", name="うまくいったこと")).to_be_visible()
    expect(page.get_by_text("協働ができていますか", exact=False).first).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role(
        "link", name="令和2年度共生・協働推進かごしま自治体ネットワーク第3回会議の開催結果"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("第3回会議")

    page.goto("/knowledge/qa/")
    assert_no_axe_violations(page)
    page.get_by_label("テーマ").select_option(label="担い手・役員")
    page.get_by_role("button", name="絞り込む").click()
    expect(page.get_by_role("status")).to_have_text("2件")
    page.get_by_role("link", name="役員のなり手がいない・・・").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("質問:役員のなり手がいない・・・")
    expect(page.get_by_role("link", name="担い手・役員")).to_be_visible()
    assert_no_axe_violations(page)
    assert csp_reports(console) == []


def test_the_secretariat_reads_members_only_and_writes_a_post(
    page: Page, live_demo, console, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    meetings_demo.load(live_demo.network)
    knowledge_demo.load()
    members_only = Post.objects.get(audience="members")
    page.goto(members_only.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).not_to_have_text(members_only.title)

    sign_in(page, "secretariat@kyodo.example")
    page.goto("/knowledge/posts/")
    page.get_by_role("link", name=members_only.title).click()
    expect(page.get_by_text("会員のみ")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto("/knowledge/posts/new/")
    assert_no_axe_violations(page)
    page.get_by_label("組織").select_option(label="鹿児島市")
    page.get_by_label("種類").select_option(label="NPO施策")
    page.get_by_label("県内・県外").select_option(label="県内")
    page.get_by_label("本文").fill("NPOとの協働事業の募集を始めました。")
    page.get_by_label("公開する").check()
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("alert")).to_contain_text("題名")
    assert not Post.objects.filter(body__startswith="NPOとの協働事業").exists()
    assert_no_axe_violations(page)
    page.get_by_label("題名").fill("協働事業の募集")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("status")).to_contain_text("「協働事業の募集」を公開しました。")
    expect(page.get_by_role("heading", level=1)).to_have_text("協働事業の募集")
    assert_no_axe_violations(page)
    assert csp_reports(console) == []
