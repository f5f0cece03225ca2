"""Workshops and recruitment requests in a browser: a manager asks an association head for
helpers by age band, mistypes a negative number and is told so, the head answers, and the
manager reads the totals against the target; the workshop page shows its ratio of
preparation and reflection meetings per main session. axe-core checks each page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kyodo.directory import services as directory_services
from kyodo.directory.models import MembershipRole, Organisation, OrganisationKind
from kyodo.liaison.models import RecruitmentRequest, SessionKind
from kyodo.liaison.services import workshops
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in
from tests.liaison.conftest import member_of

pytestmark = pytest.mark.browser


account = member_of


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="ログアウト").click()
    expect(page.get_by_role("link", name="ログイン")).to_be_visible()


def test_a_recruitment_request_is_answered_and_totalled(page: Page, live_demo, console) -> None:
    council = live_demo.council
    managing = directory_services.organisation_create(
        actor=None, kind=OrganisationKind.DEPARTMENT, name="地域振興課", parent=council.parent
    )
    association = Organisation.objects.get(name="(デモ)みなみ一丁目町内会")
    account(managing, "manager@kyodo.example", "振興 課長", MembershipRole.STAFF)
    account(association, "chonai@kyodo.example", "町内 一子", MembershipRole.OFFICER)
    event = timezone.localdate() + datetime.timedelta(days=60)

    sign_in(page, "manager@kyodo.example")
    page.goto("/liaison/recruitment/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="動員依頼を作成").click()
    page.get_by_label("行事名").fill("みなみ校区 夏祭り")
    page.get_by_label("行事の日").fill(event.isoformat())
    page.get_by_label("回答期限").fill((event - datetime.timedelta(days=20)).isoformat())
    page.get_by_label("依頼文").fill("夏祭りの係に参加できる方をお知らせください。")
    page.get_by_label("20代").fill("-2")
    page.get_by_label("30代").fill("４")
    page.get_by_label("(デモ)みなみ一丁目町内会").check()
    page.get_by_role("button", name="依頼を送る").click()
    expect(page.get_by_role("alert")).to_contain_text("人数は0以上で入力してください。")
    assert not RecruitmentRequest.objects.exists()
    assert_no_axe_violations(page)

    page.get_by_label("20代").fill("3")
    page.get_by_role("button", name="依頼を送る").click()
    expect(page.get_by_role("status")).to_contain_text("1つの自治会・町内会に送りました")
    expect(page.get_by_role("heading", level=1)).to_have_text("動員依頼「みなみ校区 夏祭り」の集計")
    assert_no_axe_violations(page)
    sign_out(page)

    sign_in(page, "chonai@kyodo.example")
    page.goto("/liaison/recruitment/")
    expect(page.get_by_role("row").filter(has_text="みなみ校区 夏祭り")).to_contain_text("未回答")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="みなみ校区 夏祭り").click()
    page.get_by_label("20代").fill("2")
    page.get_by_label("30代").fill("5")
    page.get_by_label("連絡事項").fill("当日は公民館前に集合します。")
    page.get_by_role("button", name="回答する").click()
    expect(page.get_by_role("status")).to_contain_text("合計7人で回答しました")
    assert_no_axe_violations(page)
    sign_out(page)

    sign_in(page, "manager@kyodo.example")
    request = RecruitmentRequest.objects.get()
    page.goto(f"/liaison/recruitment/{request.pk}/")
    bands = page.get_by_role("table", name="年代ごとの希望人数と回答の合計")
    expect(bands.get_by_role("row").filter(has_text="20代")).to_contain_text("1人不足")
    expect(bands.get_by_role("row").filter(has_text="30代")).to_contain_text("1人超過")
    expect(page.get_by_text("希望 7人に対して回答の合計")).to_contain_text("7人")
    expect(page.get_by_role("row").filter(has_text="(デモ)みなみ一丁目町内会")).to_contain_text(
        "当日は公民館前に集合します。"
    )
    assert_no_axe_violations(page)
    assert csp_reports(console) == []


def test_a_workshop_page_shows_its_ratio(page: Page, live_demo, console) -> None:
    council = live_demo.council
    managing = directory_services.organisation_create(
        actor=None, kind=OrganisationKind.DEPARTMENT, name="地域振興課", parent=council.parent
    )
    welfare = directory_services.organisation_create(
        actor=None, kind=OrganisationKind.DEPARTMENT, name="長寿あんしん課", parent=council.parent
    )
    account(welfare, "anshin@kyodo.example", "安心 はるか", MembershipRole.STAFF)
    manager = account(managing, "manager@kyodo.example", "振興 課長", MembershipRole.STAFF)
    series = workshops.series_create(
        organiser=managing, area=council, title="みなみ地区 防災ワークショップ", actor=manager
    )
    start = datetime.date(2026, 4, 10)
    for index, kind in enumerate([SessionKind.MAIN] * 3 + [SessionKind.PREPARATION] * 15):
        workshops.session_save(
            series=series,
            values={
                "kind": kind,
                "date": start + datetime.timedelta(days=7 * index),
                "title": f"{kind.label} {index + 1}",
            },
            actor=manager,
        )

    sign_in(page, "manager@kyodo.example")
    page.goto("/liaison/workshops/")
    expect(
        page.get_by_role("row").filter(has_text="みなみ地区 防災ワークショップ")
    ).to_contain_text("5.0回")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="みなみ地区 防災ワークショップ").click()
    expect(page.get_by_text("本番1回あたり 準備・振り返り")).to_contain_text("5.0回")
    expect(
        page.get_by_role("img", name="本番3回、事前の打ち合わせ15回、振り返り0回")
    ).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name="回を追加").click()
    page.get_by_label("振り返り").check()
    page.get_by_label("日付").fill("2026-09-01")
    page.get_by_label("開始時間").fill("19:00")
    page.get_by_label("終了時間").fill("18:00")
    page.get_by_label("内容").fill("第3回の振り返り")
    page.get_by_role("button", name="追加する").click()
    expect(page.get_by_role("alert")).to_contain_text("終了時間は開始時間より後にしてください。")
    assert_no_axe_violations(page)
    page.get_by_label("終了時間").fill("21:00")
    page.get_by_role("button", name="追加する").click()
    expect(page.get_by_role("status")).to_contain_text("振り返り「第3回の振り返り」を追加しました")
    expect(page.get_by_text("本番1回あたり 準備・振り返り")).to_contain_text("5.3回")

    page.get_by_role("link", name="ほかの課に依頼する").click()
    page.get_by_label("依頼先の課").select_option(label="長寿あんしん課")
    page.get_by_label("本番 1", exact=False).first.check()
    page.get_by_label("依頼の内容").fill("進行をお願いできませんか。")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="依頼する").click()
    expect(page.get_by_role("status")).to_contain_text(
        "長寿あんしん課にファシリテーションを依頼しました"
    )
    assert_no_axe_violations(page)
    sign_out(page)

    # The department answers: declining needs a reason, then it accepts with a facilitator.
    sign_in(page, "anshin@kyodo.example")
    page.goto("/liaison/facilitation/")
    row = page.get_by_role("row").filter(has_text="みなみ地区 防災ワークショップ")
    expect(row).to_contain_text("回答待ち")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="みなみ地区 防災ワークショップ").click()
    page.get_by_label("お断りする").check()
    page.get_by_role("button", name="回答を送る").click()
    expect(page.get_by_role("alert")).to_contain_text("回答欄に理由を書いてください。")
    assert_no_axe_violations(page)
    page.get_by_label("引き受ける").check()
    page.get_by_label("担当するファシリテーター").select_option(label="安心 はるか")
    page.get_by_role("button", name="回答を送る").click()
    expect(page.get_by_role("status")).to_contain_text("引き受けの回答をしました")
    expect(row).to_contain_text("引き受け(安心 はるか)")
    assert_no_axe_violations(page)
    assert csp_reports(console) == []
