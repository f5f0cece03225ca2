"""The collaboration evaluation in a browser: a department's staff member answers a sheet,
forgets the level first and is told so, then the manager reads the summary with its charts.
axe-core checks each page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kyodo.core.dates import fiscal_year, format_fiscal_year
from kyodo.directory import services as directory_services
from kyodo.directory.models import OrganisationKind
from kyodo.liaison.models import CollaborationLevel, LiaisonScheme
from kyodo.liaison.services import evaluation as services
from kyodo.surveys.models import Response
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in
from tests.liaison.conftest import member_of

pytestmark = pytest.mark.browser


account = member_of


def test_a_department_answers_and_the_manager_reads_the_summary(
    page: Page, live_demo, console
) -> None:
    city = live_demo.kagoshima_city

    def department(name: str):
        return directory_services.organisation_create(
            actor=None, kind=OrganisationKind.DEPARTMENT, name=name, parent=city
        )

    managing, welfare = department("地域振興課"), department("長寿あんしん課")
    LiaisonScheme.objects.create(municipality=city, managing_department=managing)
    manager = account(managing, "kacho@kyodo.example", "振興 課長")
    account(welfare, "chouju@kyodo.example", "長寿 はな")
    watch = services.programme_save(
        municipality=city,
        department=welfare,
        values={"code": "02-001", "name": "高齢者見守りネットワーク", "is_active": True},
        actor=manager,
    )
    support = services.programme_save(
        municipality=city,
        department=managing,
        values={"code": "01-001", "name": "協議会運営支援", "is_active": True},
        actor=manager,
    )
    year = fiscal_year(timezone.localdate())
    evaluation = services.round_start(municipality=city, fiscal_year=year, actor=manager)
    services.sheet_answer(
        sheet=evaluation.sheets.get(programme=support),
        level=CollaborationLevel.YES,
        comment="総会に毎回参加した。",
        partners=[live_demo.council],
        other_partners="",
        version=None,
        actor=manager,
    )

    sign_in(page, "chouju@kyodo.example")
    page.goto(f"/liaison/municipalities/{city.pk}/evaluation/{year}/mine/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="高齢者見守りネットワーク").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "高齢者見守りネットワーク 事務事業評価シート"
    )
    assert_no_axe_violations(page)
    page.get_by_label("コメント(協働の状況、課題、次年度に向けて)").fill(
        "見守りの対象を事業者と共有する仕組みができた。"
    )
    page.get_by_label(f"{live_demo.council.name}(コミュニティ協議会)").check()
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "「協働ができていますか」の答えを選んでください。"
    )
    assert not Response.objects.filter(respondent__liaison_sheet__programme=watch).exists()
    assert_no_axe_violations(page)

    page.get_by_role("radio", name="一部できている").check()
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("status")).to_contain_text(
        "「高齢者見守りネットワーク」の評価シートを保存しました。"
    )
    row = page.get_by_role("row").filter(has_text="高齢者見守りネットワーク")
    expect(row).to_contain_text("一部できている")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="ログアウト").click()
    sign_in(page, "kacho@kyodo.example")
    page.goto(f"/liaison/municipalities/{city.pk}/evaluation/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile(rf"集計\s*\({format_fiscal_year(year)}\)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{city.name} {format_fiscal_year(year)} 協働評価の集計"
    )
    expect(page.get_by_role("img", name="課別の協働評価", exact=False)).to_be_visible()
    counts = page.locator("#department-counts")
    welfare_row = counts.get_by_role("row", name="長寿あんしん課")
    expect(welfare_row.get_by_role("cell")).to_have_text(["0", "1", "0", "0", "1"])
    total_row = counts.get_by_role("row", name="合計")
    expect(total_row.get_by_role("cell")).to_have_text(["1", "1", "0", "0", "2"])
    expect(page.get_by_text("見守りの対象を事業者と共有する仕組みができた。")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("link", name=f"{city.name} 協働評価").click()
    page.get_by_role("link", name="事務事業の一覧").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{city.name} 事務事業の一覧")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile(r"修正\s*「高齢者見守りネットワーク」")).click()
    page.get_by_label("事務事業名").fill("")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("alert")).to_contain_text("何も保存されていません")
    assert_no_axe_violations(page)
    assert csp_reports(console) == []
