"""The personnel indicator 「地域行事にどれだけ参加しているか」: a fiscal year counts exactly
the logs dated 1 April to 31 March, the CSV equals the page, and only managers, personnel
and the staff member themself read it."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from kyodo.liaison.models import Assignment, Participation
from kyodo.liaison.services.staff import participation_save
from tests.liaison.conftest import client_for, member_of, person_of

pytestmark = pytest.mark.django_db

FY2025 = 2025


def log(user, date, hours="1.5", title="地域行事", **values):
    return participation_save(
        person=person_of(user),
        values={"title": title, "date": date, "hours": Decimal(hours), **values},
        actor=user,
    )


def reports_url(scheme, year=FY2025):
    return reverse("liaison:participation_reports", args=[scheme.city.pk, year])


def report_url(scheme, user=None, year=FY2025, name="liaison:participation_report"):
    person = person_of(user or scheme.liaison)
    return reverse(name, args=[scheme.city.pk, year, person.pk])


class _Table(HTMLParser):
    """The body rows of the table with the given id, as text; a <time> cell gives its
    machine-readable date."""

    def __init__(self, table_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.table_id, self.inside, self.in_body = table_id, False, False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag in ("td", "th"):
            self.cell = []
        elif self.cell is not None and tag == "time":
            self.cell.append(f"\x00{a['datetime']}")

    def handle_endtag(self, tag):
        if tag == "table" and self.inside:
            self.inside = self.in_body = False
        elif self.cell is not None and tag in ("td", "th"):
            text = "".join(self.cell)
            if "\x00" in text:
                text = text.split("\x00")[1][:10]
            self.rows[-1].append(text.strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not (self.cell and self.cell[-1].startswith("\x00")):
            self.cell.append(data)


def table(html: str, table_id: str) -> list[list[str]]:
    reader = _Table(table_id)
    reader.feed(html)
    return reader.rows


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def fy2025(scheme):
    """Logs on both edges of 令和7年度 (FY2025), and one of another staff member."""
    for day, title in (
        (datetime.date(2025, 3, 31), "年度の前日"),
        (datetime.date(2025, 4, 1), "年度の初日"),
        (datetime.date(2025, 8, 15), "夏祭り"),
        (datetime.date(2026, 3, 31), "年度の末日"),
        (datetime.date(2026, 4, 1), "翌年度の初日"),
    ):
        log(scheme.liaison, day, title=title, hours="2.5")
    log(scheme.other_liaison, datetime.date(2025, 6, 1), hours="3", title="きた校区総会")
    return scheme


def test_a_fy2025_report_counts_exactly_the_logs_of_1_april_to_31_march(fy2025):
    scheme = fy2025
    page = client_for(scheme.manager).get(report_url(scheme)).content.decode()
    assert "令和7年度" in page
    assert "合計 <strong>3件・7.5時間</strong>" in page
    rows = table(page, "participation-list")
    assert [row[0] for row in rows] == ["2025-04-01", "2025-08-15", "2026-03-31"]
    assert [row[1] for row in rows] == ["年度の初日", "夏祭り", "年度の末日"]
    # The months run April to March; the area is unnamed for events typed in.
    assert '4月</th><td class="number">1</td>' in page
    assert '3月</th><td class="number">1</td>' in page
    assert '8月</th><td class="number">1</td>' in page
    assert '地域の指定なし</th><td class="number">3</td>' in page


def test_the_persons_csv_equals_the_page(fy2025):
    scheme = fy2025
    client = client_for(scheme.clerk)
    page = client.get(report_url(scheme)).content.decode()
    for response in (
        client.get(report_url(scheme, name="liaison:participation_report_csv")),
        client.get(report_url(scheme) + "?format=csv"),
    ):
        assert response["Content-Type"].startswith("text/csv")
        rows = csv_rows(response)
        assert rows[0] == ["参加日", "行事名", "地域", "時間", "メモ"]
        assert rows[1:] == table(page, "participation-list")
        assert len(rows) == 4


def test_the_municipality_report_lists_staff_by_kana_with_events_and_hours(fy2025):
    scheme = fy2025
    # Assigned in FY2025 but never logged: listed with zero.
    idle = member_of(scheme.managing, "idle@kyodo.example", "阿部 静香")
    Assignment.objects.create(area=scheme.area, person=person_of(idle), fiscal_year=FY2025)
    client = client_for(scheme.clerk)
    page = client.get(reports_url(scheme)).content.decode()
    rows = table(page, "staff-report")
    by_name = {row[0]: row for row in rows}
    assert by_name["担当 太郎"][3:] == ["3", "7.5"]
    assert by_name["北担当 次郎"][3:] == ["1", "3.0"]
    assert by_name["阿部 静香"][2:] == [scheme.area.name, "0", "0.0"]
    assert "未担当 三郎" not in by_name
    response = client.get(
        reverse("liaison:participation_reports_csv", args=[scheme.city.pk, FY2025])
    )
    csv_table = csv_rows(response)
    assert csv_table[0] == ["氏名", "よみがな", "担当地域", "参加件数", "参加時間(時間)"]
    assert csv_table[1:] == rows
    assert csv_rows(client.get(reports_url(scheme) + "?format=csv")) == csv_table


def test_staff_are_sorted_by_kana(scheme):
    for email, name, kana in (
        ("w@kyodo.example", "渡辺 一", ("わたなべ", "はじめ")),
        ("a@kyodo.example", "安藤 二", ("あんどう", "じ")),
    ):
        user = member_of(scheme.managing, email, name)
        person = person_of(user)
        person.family_kana, person.given_kana = kana
        person.save()
        log(user, datetime.date(2025, 5, 1))
    rows = table(
        client_for(scheme.manager).get(reports_url(scheme)).content.decode(), "staff-report"
    )
    assert [row[0] for row in rows] == ["安藤 二", "渡辺 一"]


def test_the_staff_member_reads_their_own_report_but_not_others(fy2025):
    scheme = fy2025
    # 北担当 works in another department: not a manager of the scheme.
    client = client_for(scheme.other_liaison)
    own = client.get(report_url(scheme, scheme.other_liaison))
    assert own.status_code == 200
    assert table(own.content.decode(), "participation-list") == [
        ["2025-06-01", "きた校区総会", "地域の指定なし", "3.0", ""]
    ]
    assert client.get(report_url(scheme)).status_code == 403
    assert client.get(reports_url(scheme)).status_code == 403


def test_unassigned_staff_and_residents_get_403_on_reports(fy2025, demo):
    scheme = fy2025
    urls = [
        reports_url(scheme),
        reverse("liaison:participation_reports_csv", args=[scheme.city.pk, FY2025]),
        reports_url(scheme) + "?format=csv",
        report_url(scheme),
        report_url(scheme, name="liaison:participation_report_csv"),
    ]
    for user in (scheme.unassigned, scheme.other_liaison, demo.resident, demo.officer):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_personnel_reads_reports_but_not_the_assignments(fy2025):
    scheme = fy2025
    client = client_for(scheme.clerk)
    assert client.get(reports_url(scheme)).status_code == 200
    assert client.get(report_url(scheme)).status_code == 200
    assignments = reverse("liaison:assignments", args=[scheme.city.pk, scheme.fiscal_year])
    assert client.get(assignments).status_code == 403
    assert client_for(scheme.manager).get(assignments).status_code == 200


def test_a_report_of_someone_who_is_not_staff_of_the_city_is_not_found(scheme):
    villager = member_of(scheme.area, "jumin@kyodo.example", "住民 花子", role="member")
    url = reverse(
        "liaison:participation_report", args=[scheme.city.pk, FY2025, person_of(villager).pk]
    )
    assert client_for(scheme.manager).get(url).status_code == 404
    # Someone who may not read reports learns nothing: the same 403 for staff and others.
    staff_url = reverse(
        "liaison:participation_report",
        args=[scheme.city.pk, FY2025, person_of(scheme.other_liaison).pk],
    )
    for url_asked in (url, staff_url):
        assert client_for(scheme.unassigned).get(url_asked).status_code == 403
    other_year = reverse("liaison:participation_reports", args=[scheme.city.pk, 1999])
    assert client_for(scheme.manager).get(other_year).status_code == 404


@pytest.mark.parametrize("size", [1, 50])
def test_the_municipality_report_runs_the_same_queries_for_any_number_of_staff(
    scheme, size, django_assert_num_queries
):
    for index in range(size):
        user = member_of(scheme.managing, f"s{index}@kyodo.example", f"職員 {index}")
        Assignment.objects.create(area=scheme.area, person=person_of(user), fiscal_year=FY2025)
        log(user, datetime.date(2025, 6, 1))
    client = client_for(scheme.manager)
    client.get(reports_url(scheme))
    with django_assert_num_queries(13):
        assert client.get(reports_url(scheme)).status_code == 200


@pytest.mark.parametrize("size", [1, 50])
def test_the_person_report_runs_the_same_queries_for_any_number_of_logs(
    scheme, size, django_assert_num_queries
):
    for index in range(size):
        log(scheme.liaison, datetime.date(2025, 4, 1) + datetime.timedelta(days=index * 7))
    client = client_for(scheme.manager)
    client.get(report_url(scheme))
    with django_assert_num_queries(14):
        response = client.get(report_url(scheme))
    assert response.status_code == 200
    assert len(table(response.content.decode(), "participation-list")) == size


def test_the_site_administrator_gets_nothing_of_the_staffs_logs_and_reports(scheme, demo):
    """Participation and the personnel indicator are personal data: the rules decide, and
    they give the site administrator nothing (Django would give a superuser everything)."""
    entry = log(scheme.liaison, datetime.date(2025, 6, 1))
    admin = client_for(demo.admin)
    for url in (
        reverse("liaison:participation_edit", args=[entry.pk]),
        reports_url(scheme),
        report_url(scheme),
        reverse("liaison:assignments", args=[scheme.city.pk, scheme.fiscal_year]),
    ):
        assert admin.get(url).status_code == 403, url
    assert admin.post(reverse("liaison:participation_delete", args=[entry.pk])).status_code == 403
    assert Participation.objects.filter(pk=entry.pk).exists()


def test_a_former_member_of_staff_keeps_their_report(scheme):
    """Someone who has left the city still has the year's logs: the list shows them and
    their own report opens."""
    from kyodo.directory.models import Membership

    log(scheme.other_liaison, datetime.date(2025, 6, 1))
    Membership.objects.filter(person=person_of(scheme.other_liaison)).update(
        ends_on=datetime.date(2025, 12, 31)
    )
    url = reverse(
        "liaison:participation_report",
        args=[scheme.city.pk, FY2025, person_of(scheme.other_liaison).pk],
    )
    assert client_for(scheme.clerk).get(url).status_code == 200


def test_an_impossibly_large_number_in_the_address_is_not_found(scheme):
    huge = 10**24
    client = client_for(scheme.manager)
    for url in (
        f"/liaison/municipalities/{huge}/reports/2026/",
        f"/liaison/municipalities/{huge}/assignments/2026/",
        f"/liaison/areas/{huge}/matters/1/edit/",
    ):
        assert client.get(url).status_code == 404, url
