"""An area's key people and a handover in a browser: staff not assigned to the area are
turned away; the assigned staff member forgets a name, is told so, then adds a key person
and an open matter; the manager plans a handover and ticks its first line. axe-core checks
each page."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kyodo.core.dates import fiscal_year
from kyodo.directory import services as directory_services
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.liaison.models import Assignment, Handover, KeyPerson, LiaisonScheme
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in
from tests.liaison.conftest import member_of

pytestmark = pytest.mark.browser


account = member_of


def department(city: Organisation, name: str) -> Organisation:
    return directory_services.organisation_create(
        actor=None, kind=OrganisationKind.DEPARTMENT, name=name, parent=city
    )


def sign_out_and_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    sign_in(page, email)


def test_key_people_and_a_handover(page: Page, live_demo, console) -> None:
    city, area = live_demo.kagoshima_city, live_demo.council
    managing = department(city, "地域振興課")
    lifelong = department(city, "生涯学習課")
    LiaisonScheme.objects.create(municipality=city, managing_department=managing)
    manager = account(managing, "manager@kyodo.example", "振興 課長")
    staff = account(lifelong, "tanto@kyodo.example", "南担当 四郎")
    account(lifelong, "mitanto@kyodo.example", "未担当 三郎")
    Assignment.objects.create(
        area=area, person=staff.person, fiscal_year=fiscal_year(timezone.localdate())
    )
    area_url = f"/liaison/areas/{area.pk}/"

    # Staff not assigned to the area see nothing of it.
    sign_in(page, "mitanto@kyodo.example")
    response = page.goto(area_url)
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "このページを表示する権限がありません"
    )
    expect(page.get_by_text(area.name)).to_have_count(0)
    assert_no_axe_violations(page)

    # The assigned staff member adds a key person, forgetting the name at first.
    sign_out_and_in(page, "tanto@kyodo.example")
    page.goto(area_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{area.name} 地域のキーマンと引継ぎ")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="キーマンを追加").click()
    page.get_by_label("地域での役割").fill("みなみ一丁目町内会長")
    page.get_by_label("連絡先").fill("099-000-1111")
    page.get_by_label("接し方のこつ").fill("清掃のあとに声をかける")
    page.get_by_role("button", name="追加する").click()
    expect(page.get_by_role("alert")).to_contain_text("氏名")
    assert not KeyPerson.objects.exists()
    assert_no_axe_violations(page)
    page.get_by_label("氏名").fill("南 一郎")
    page.get_by_label("よみがな").fill("みなみ いちろう")
    page.get_by_role("button", name="追加する").click()
    expect(page.get_by_role("status")).to_contain_text("「南 一郎」さんを追加しました")
    expect(page.get_by_role("heading", level=1)).to_contain_text("南 一郎")
    assert_no_axe_violations(page)
    page.goto(area_url)
    page.get_by_role("link", name="懸案事項を追加").click()
    assert_no_axe_violations(page)
    page.get_by_label("件名").fill("防災倉庫の鍵の管理")
    page.get_by_label("経過と今後").fill("複数人で管理する方法を相談中")
    page.get_by_role("button", name="追加する").click()
    expect(page.get_by_role("status")).to_contain_text("「防災倉庫の鍵の管理」を追加しました")
    assert_no_axe_violations(page)

    # The manager plans the handover to the colleague and ticks the first line.
    sign_out_and_in(page, "manager@kyodo.example")
    page.goto(area_url)
    expect(page.get_by_role("row").filter(has_text="南 一郎")).to_contain_text("町内会長")
    page.get_by_role("link", name="引継ぎ計画を作る").click()
    assert_no_axe_violations(page)
    page.get_by_label("前任(いまの担当)").select_option(label="南担当 四郎")
    page.get_by_label("後任").select_option(label="未担当 三郎")
    page.get_by_role("button", name="計画を作る").click()
    expect(page.get_by_role("status")).to_contain_text("未担当 三郎さんへの引継ぎ計画を作りました")
    expect(page.get_by_text("2項目中0項目が済み")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="済みにする").first.click()
    expect(page.get_by_role("status")).to_contain_text(
        "「みなみ一丁目町内会長の紹介」を済みにしました"
    )
    expect(page.get_by_text("2項目中1項目が済み(50%)")).to_be_visible()
    ticked = Handover.objects.get().items.get(position=1)
    assert (ticked.label, ticked.done_by) == ("みなみ一丁目町内会長の紹介", manager)
    assert_no_axe_violations(page)
    assert csp_reports(console) == []
