"""A staff member's participation log: calendar entries of their areas on a day they took
place, or events typed in; dates in the future, impossible hours and others' logs refused."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kyodo.calendar import services as calendar_services
from kyodo.calendar.models import EntryKind, Repeat
from kyodo.core.models import AuditEntry
from kyodo.liaison.forms.staff import HoursField
from kyodo.liaison.models import Participation
from kyodo.liaison.services.staff import FUTURE_DATE, participation_save
from tests.liaison.conftest import client_for, person_of

pytestmark = pytest.mark.django_db

URL = "/liaison/participation/"


def log(user, **values):
    line = {"title": "夏祭り", "date": datetime.date(2026, 7, 20), "hours": Decimal("2.5")}
    line.update(values)
    return participation_save(person=person_of(user), values=line, actor=user)


def entry(organisation, **values):
    today = timezone.localdate()
    fields = {
        "kind": EntryKind.EVENT,
        "title": "校区一斉清掃",
        "start_date": today - datetime.timedelta(days=28),
        "end_date": today - datetime.timedelta(days=28),
        "title_kana": "ぎょうじ",
        "description": "清掃します。",
        "venue_name": "公民館",
        "address": "鹿児島市",
    }
    fields.update(values)
    return calendar_services.entry_save(
        organisation=organisation, values=fields, exceptions=[], publish=True, actor=None
    )


def test_reverse_names_match_the_paths():
    assert reverse("liaison:participation") == URL
    assert reverse("liaison:participation_edit", args=[3]) == "/liaison/participation/3/edit/"


def test_a_free_entry_is_logged_in_the_fiscal_year_of_its_date(scheme):
    march = log(scheme.liaison, date=datetime.date(2026, 3, 31))
    april = log(scheme.liaison, date=datetime.date(2026, 4, 1))
    assert (march.fiscal_year, april.fiscal_year) == (2025, 2026)
    assert march.municipality == scheme.city
    assert march.area is None
    audit = AuditEntry.objects.get(action="liaison.log_participation", object_id=str(march.pk))
    assert audit.actor == scheme.liaison
    assert audit.changes["hours"] == ["", "2.5"]


def test_a_calendar_entry_of_the_area_is_logged_on_a_day_it_took_place(scheme):
    today = timezone.localdate()
    weekly = entry(
        scheme.area,
        title="定例役員会",
        start_date=today - datetime.timedelta(days=21),
        end_date=today - datetime.timedelta(days=21),
        repeat=Repeat.WEEKLY,
        repeat_until=today + datetime.timedelta(days=60),
    )
    page = client_for(scheme.liaison).get(URL).content.decode()
    assert "定例役員会(毎週" in page
    response = client_for(scheme.liaison).post(
        URL,
        {
            "entry": str(weekly.pk),
            "date": (today - datetime.timedelta(days=7)).isoformat(),
            "hours": "1.5",
        },
    )
    assert response.status_code == 302
    logged = Participation.objects.get()
    assert (logged.entry, logged.title, logged.area, logged.municipality) == (
        weekly,
        "定例役員会",
        scheme.area,
        scheme.city,
    )
    # A day the meeting did not take place is refused.
    response = client_for(scheme.liaison).post(
        URL,
        {
            "entry": str(weekly.pk),
            "date": (today - datetime.timedelta(days=8)).isoformat(),
            "hours": "1.5",
        },
    )
    assert response.status_code == 400
    assert "この日は「定例役員会」の開催日ではありません" in response.content.decode()
    assert Participation.objects.count() == 1


def test_an_entry_of_another_area_cannot_be_logged(scheme):
    elsewhere = entry(scheme.other_area, title="きた校区まつり")
    assert "きた校区まつり" not in client_for(scheme.liaison).get(URL).content.decode()
    with pytest.raises(ValidationError) as refused:
        log(scheme.liaison, entry=elsewhere, date=elsewhere.start_date)
    assert "担当している地域" in refused.value.message_dict["entry"][0]
    assert not Participation.objects.exists()


def test_a_date_in_the_future_is_refused_and_nothing_is_saved(scheme):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(scheme.liaison).post(
        URL, {"title": "もちつき大会", "date": tomorrow.isoformat(), "hours": "3"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert FUTURE_DATE in page
    assert "何も保存されていません" in page
    with pytest.raises(ValidationError) as refused:
        log(scheme.liaison, date=tomorrow)
    assert refused.value.message_dict["date"] == [FUTURE_DATE]
    assert not Participation.objects.exists()
    assert not AuditEntry.objects.filter(action="liaison.log_participation").exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("0", "0.1時間から24時間の間"),
        ("25", "0.1時間から24時間の間"),
        ("24.1", "0.1時間から24時間の間"),
        ("二時間", "時間は数字で入力してください"),
        ("abc", "時間は数字で入力してください"),
        ("-1", "時間は数字で入力してください"),
        ("1.25", "小数第1位まで"),
        ("", "このフィールドは必須です"),
    ],
)
def test_impossible_hours_are_refused_and_nothing_is_saved(scheme, hours, message):
    response = client_for(scheme.liaison).post(
        URL, {"title": "夏祭り", "date": "2026-07-20", "hours": hours}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Participation.objects.exists()


def test_hours_typed_with_full_width_digits_are_accepted(scheme):
    assert HoursField().clean("２．５") == Decimal("2.5")
    assert HoursField().clean("3時間") == Decimal("3.0")
    response = client_for(scheme.liaison).post(
        URL, {"title": "夏祭り", "date": "2026-07-20", "hours": "２．５"}
    )
    assert response.status_code == 302
    assert Participation.objects.get().hours == Decimal("2.5")


def test_the_service_refuses_hours_outside_the_range_too(scheme):
    for hours in (Decimal(0), Decimal(25)):
        with pytest.raises(ValidationError):
            log(scheme.liaison, hours=hours)
    assert not Participation.objects.exists()


def test_a_free_entry_needs_a_title(scheme):
    with pytest.raises(ValidationError) as refused:
        log(scheme.liaison, title="  ")
    assert "行事名を入力してください" in refused.value.message_dict["title"][0]


def test_the_page_lists_own_entries_newest_first_and_links_the_own_report(scheme):
    log(scheme.liaison, title="古い行事", date=datetime.date(2025, 5, 1))
    log(scheme.liaison, title="新しい行事", date=datetime.date(2026, 6, 1))
    log(scheme.other_liaison, title="他人の行事")
    page = client_for(scheme.liaison).get(URL).content.decode()
    assert page.index("新しい行事") < page.index("古い行事")
    assert "他人の行事" not in page
    own = reverse(
        "liaison:participation_report",
        args=[scheme.city.pk, scheme.fiscal_year, person_of(scheme.liaison).pk],
    )
    assert f'href="{own}"' in page


def test_own_entries_are_changed_and_deleted_with_an_audit_entry(scheme):
    logged = log(scheme.liaison)
    client = client_for(scheme.liaison)
    edit = reverse("liaison:participation_edit", args=[logged.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"title": "夏祭り", "date": "2026-07-21", "hours": "4"})
    assert response.status_code == 302
    logged.refresh_from_db()
    assert (logged.date, logged.hours) == (datetime.date(2026, 7, 21), Decimal("4.0"))
    changed = AuditEntry.objects.get(action="liaison.change_participation")
    assert changed.changes["hours"] == ["2.5", "4.0"]
    client.post(reverse("liaison:participation_delete", args=[logged.pk]))
    assert not Participation.objects.exists()
    assert AuditEntry.objects.filter(action="liaison.delete_participation").count() == 1


def test_other_staff_cannot_change_or_delete_your_log(scheme):
    logged = log(scheme.liaison)
    for user in (scheme.other_liaison, scheme.manager, scheme.clerk):
        client = client_for(user)
        edit = reverse("liaison:participation_edit", args=[logged.pk])
        assert client.get(edit).status_code == 403
        assert (
            client.post(edit, {"title": "改ざん", "date": "2026-07-20", "hours": "9"}).status_code
            == 403
        )
        assert (
            client.post(reverse("liaison:participation_delete", args=[logged.pk])).status_code
            == 403
        )
    logged.refresh_from_db()
    assert (logged.title, logged.hours) == ("夏祭り", Decimal("2.5"))


def test_a_resident_sees_that_they_cannot_log(demo):
    response = client_for(demo.resident).post(
        URL, {"title": "夏祭り", "date": "2026-07-20", "hours": "1"}
    )
    assert response.status_code == 302
    page = client_for(demo.resident).get(URL).content.decode()
    assert "参加を記録できません" in page
    assert not Participation.objects.exists()


@pytest.mark.parametrize("size", [1, 50])
def test_the_log_page_runs_the_same_queries_for_any_number_of_entries(
    scheme, size, django_assert_num_queries
):
    entry(scheme.area)
    for index in range(size):
        log(scheme.liaison, title=f"行事 {index}", date=datetime.date(2026, 5, 1 + index % 28))
    client = client_for(scheme.liaison)
    client.get(URL)
    with django_assert_num_queries(9):
        assert client.get(URL).status_code == 200


def test_the_log_is_shown_fifty_to_a_page(scheme):
    person = person_of(scheme.liaison)
    first = datetime.date(2025, 4, 1)
    Participation.objects.bulk_create(
        Participation(
            person=person,
            municipality=scheme.city,
            title=f"行事{index:02d}",
            date=first + datetime.timedelta(days=index),
            fiscal_year=2025,
            hours=Decimal("1.0"),
        )
        for index in range(51)
    )
    client = client_for(scheme.liaison)
    page_one = client.get(URL).content.decode()
    assert "行事50" in page_one
    assert "行事00" not in page_one
    assert "51件中 1〜50件目" in page_one
    page_two = client.get(URL + "?page=2").content.decode()
    assert "行事00" in page_two
    assert "行事01" not in page_two


def test_a_day_before_the_first_fiscal_year_is_refused_not_an_error(scheme):
    response = client_for(scheme.liaison).post(
        reverse("liaison:participation"), {"title": "t", "date": "2000-01-01", "hours": "1"}
    )
    assert response.status_code == 400
    assert "参加日は2000年4月1日から" in response.content.decode()
    assert not Participation.objects.exists()
