"""Breakout groups in a browser: the secretariat forms the groups, moves one attendee, records
a group's notes and publishes them with the results; every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kyodo.meetings import demo as meetings_demo
from kyodo.meetings.models import BreakoutMember, BreakoutSession, Meeting
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def seed(live_demo) -> Meeting:
    meetings_demo.load(live_demo.network)
    return Meeting.objects.get(network=live_demo.network, fiscal_year=2020)


def test_secretariat_forms_moves_records_and_publishes_group_notes(
    page: Page, seed, console
) -> None:
    sign_in(page, "secretariat@kyodo.example")
    page.goto(seed.get_absolute_url())
    page.get_by_role("link", name="グループ分け").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("グループ分け")
    assert_no_axe_violations(page)

    page.get_by_label("名称").fill("分科会")
    page.get_by_label("グループ数").fill("6")
    page.get_by_role("button", name="グループに分ける").click()
    expect(page.get_by_role("status")).to_contain_text("「分科会」のグループを6つ作りました。")
    expect(page.get_by_role("heading", level=1)).to_have_text("分科会のグループ分け")
    expect(page.locator("#same-organisation-pairs")).to_have_text("0組")
    expect(page.get_by_text("6グループ、51名(1グループ8〜9名)")).to_be_visible()
    assert_no_axe_violations(page)

    session = BreakoutSession.objects.get(meeting=seed, title="分科会")
    member = (
        BreakoutMember.objects.select_related("attendee__registration__organisation")
        .filter(session=session, group__position=1)
        .order_by("attendee_id")
        .first()
    )
    assert member is not None
    name = member.attendee.name
    moves = page.get_by_role("region", name="参加者の移動・入れ替え")
    moves.get_by_label("移動する参加者").select_option(label=f"{name}({_org(member)})")
    moves.get_by_label("移動先のグループ").select_option(label="グループ2")
    moves.get_by_role("button", name="移動する").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"{name}さんを「グループ2」へ移動し、固定しました。"
    )
    group = page.get_by_role("region", name=re.compile(r"^グループ2\("))
    expect(group.get_by_role("row", name=name)).to_contain_text("固定")
    member.refresh_from_db()
    assert (member.group.position, member.locked) == (2, True)

    group.get_by_label("ファシリテーター").select_option(label=name)
    group.get_by_label("記録(感想共有)").fill(
        "地域の担い手づくりについて、各市町村の工夫を共有した。"
    )
    group.get_by_label("結果ページに掲載").check()
    group.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("「グループ2」を保存しました。")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="グループ名簿(印刷用)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("分科会 グループ名簿")
    roster = page.get_by_role("region", name=re.compile(r"^グループ2\("))
    expect(roster.get_by_role("row", name=name)).to_contain_text("ファシリテーター")
    assert_no_axe_violations(page)

    page.goto(seed.get_absolute_url())
    page.get_by_role("button", name="開催結果を更新して公開").click()
    expect(page.get_by_role("status")).to_contain_text("開催結果を公開しました(第2版)")
    notes = page.locator("dl.group-notes")
    expect(page.get_by_role("heading", name="グループ別の分科会")).to_be_visible()
    expect(notes).to_contain_text("グループ2")
    expect(notes).to_contain_text("地域の担い手づくりについて、各市町村の工夫を共有した。")
    expect(notes).not_to_contain_text(name)
    assert_no_axe_violations(page)
    assert csp_reports(console) == []


def _org(member: BreakoutMember) -> str:
    return member.attendee.registration.organisation.name


def test_a_refused_group_save_lists_the_error_and_passes_axe(page: Page, seed) -> None:
    session = BreakoutSession.objects.get(meeting=seed, title="感想共有")
    sign_in(page, "secretariat@kyodo.example")
    page.goto(session.get_absolute_url())
    group = page.get_by_role("region", name=re.compile(r"^グループ3\("))
    group.get_by_label("記録(感想共有)").fill("")
    group.get_by_label("結果ページに掲載").check()
    group.get_by_role("button", name="保存").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("「グループ3」を保存できませんでした。")
    expect(alert).to_contain_text("記録を入力してから掲載してください。")
    expect(page).to_have_title(
        "エラー: 感想共有のグループ分け | " + seed.display_title + " | kyodo 協働"
    )
    assert_no_axe_violations(page)
