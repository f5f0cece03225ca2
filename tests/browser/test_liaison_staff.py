"""Area liaison staff in a browser: a staff member logs a local event, first with a date in
the future (refused, said so), then the day it took place; the scheme's manager reads the
city's participation report and the staff member's own. axe-core checks each page."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from kyodo.core.dates import fiscal_year
from kyodo.directory import services as directory_services
from kyodo.directory.demo import DEMO_PASSWORD
from kyodo.directory.models import MembershipRole, OrganisationKind, Person
from kyodo.liaison.models import Assignment, LiaisonScheme, Participation
from kyodo.liaison.services.staff import FUTURE_DATE
from tests.browser.axe import assert_no_axe_violations
from tests.browser.support import csp_reports, sign_in

pytestmark = pytest.mark.browser


def _scheme(demo) -> int:
    """The city's scheme run by 地域振興課, a manager who signs in, and the demo staff member
    assigned to the demo council this fiscal year. Returns the fiscal year."""
    city = demo.kagoshima_city
    managing = directory_services.organisation_create(
        actor=None, kind=OrganisationKind.DEPARTMENT, name="地域振興課", parent=city
    )
    LiaisonScheme.objects.create(municipality=city, managing_department=managing)
    manager = directory_services.user_create(
        actor=None, email="manager@kyodo.example", name="振興 課長", password=DEMO_PASSWORD
    )
    person = directory_services.person_create(
        actor=None, family_name="振興", given_name="課長", user=manager
    )
    directory_services.membership_create(
        actor=None, person=person, organisation=managing, role=MembershipRole.STAFF
    )
    year = fiscal_year(timezone.localdate())
    Assignment.objects.create(
        area=demo.council, person=Person.objects.get(user=demo.staff), fiscal_year=year
    )
    return year


def test_a_staff_member_logs_an_event_and_the_manager_reads_the_report(
    page: Page, live_demo, console
) -> None:
    year = _scheme(live_demo)
    today = timezone.localdate()
    sign_in(page, "staff@kyodo.example")
    page.goto("/liaison/participation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("地域行事への参加の記録")
    assert_no_axe_violations(page)

    page.get_by_label("行事名(カレンダーにない行事)").fill("みなみ校区 夏祭り")
    page.get_by_label("参加日").fill((today + datetime.timedelta(days=3)).isoformat())
    page.get_by_label("時間").fill("２．５")
    page.get_by_role("button", name="記録する").click()
    expect(page.get_by_role("alert")).to_contain_text(FUTURE_DATE)
    assert not Participation.objects.exists()
    assert_no_axe_violations(page)

    page.get_by_label("参加日").fill((today - datetime.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="記録する").click()
    expect(page.get_by_role("status")).to_contain_text(
        "「みなみ校区 夏祭り」(2.5時間)を記録しました"
    )
    expect(page.get_by_role("row").filter(has_text="みなみ校区 夏祭り")).to_contain_text("2.5")
    assert_no_axe_violations(page)

    page.get_by_role("button", name="ログアウト").click()
    sign_in(page, "manager@kyodo.example")
    city = live_demo.kagoshima_city
    page.goto(f"/liaison/municipalities/{city.pk}/reports/{year}/")
    row = page.get_by_role("row").filter(has_text="鹿児 太郎")
    expect(row).to_contain_text("2.5")
    assert_no_axe_violations(page)
    row.get_by_role("link", name="鹿児 太郎").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("鹿児 太郎")
    expect(page.get_by_role("img", name="月別の参加件数")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="みなみ校区 夏祭り")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"/liaison/municipalities/{city.pk}/assignments/{year}/")
    expect(page.get_by_role("row").filter(has_text=live_demo.council.name)).to_contain_text(
        "鹿児 太郎(主担当)"
    )
    assert_no_axe_violations(page)
    assert csp_reports(console) == []
