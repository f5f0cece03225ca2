"""The council's ledger (自主財源): lines by fiscal year, sums, advertising income from the
paid advertisement slots, the chart across years, and bad input."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyodo.core.models import AuditEntry
from kyodo.publications.models import AdSlot, AnnualCalendar, LedgerCategory, LedgerLine
from kyodo.publications.models.ledger import EXPENSE_CATEGORIES, INCOME_CATEGORIES
from kyodo.publications.queries import ledger as queries
from kyodo.publications.services.ledger import (
    ledger_line_delete,
    ledger_line_save,
    ledger_sync_ad_slot,
)

pytestmark = pytest.mark.django_db

TYPED = [c for c in LedgerCategory if c != LedgerCategory.ADVERTISING]


def add(demo, **values):
    line = {
        "date": datetime.date(2026, 5, 10),
        "category": LedgerCategory.MEMBER_FEES,
        "description": "区費(みなみ一丁目町内会)",
        "amount": 48000,
        "note": "",
    }
    line.update(values)
    return ledger_line_save(council=demo.council, values=line, actor=demo.officer)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def year_url(demo, year=2026):
    return reverse("publications:ledger_year", args=[demo.council.pk, year])


def test_a_line_is_booked_in_the_fiscal_year_of_its_date(demo):
    march = add(demo, date=datetime.date(2027, 3, 31))
    april = add(demo, date=datetime.date(2027, 4, 1))
    assert (march.fiscal_year, april.fiscal_year) == (2026, 2027)
    entry = AuditEntry.objects.get(action="ledger.add_line", object_id=str(march.pk))
    assert entry.actor == demo.officer
    assert entry.changes["amount"] == ["", "48000"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(
        st.tuples(
            st.sampled_from(TYPED),
            st.integers(min_value=1, max_value=10**9),
            st.dates(datetime.date(2025, 4, 1), datetime.date(2027, 3, 31)),
        ),
        max_size=12,
    )
)
def test_the_yearly_summary_equals_the_sum_of_the_ledger_lines(demo, lines):
    LedgerLine.objects.filter(council=demo.council).delete()
    for category, amount, date in lines:
        add(demo, category=category, amount=amount, date=date)
    for year in (2025, 2026):
        summary = queries.year_summary(demo.council, year)
        in_year = [(c, a) for c, a, d in lines if (d.year if d.month >= 4 else d.year - 1) == year]
        assert summary.income_total == sum(a for c, a in in_year if c in INCOME_CATEGORIES)
        assert summary.expense_total == sum(a for c, a in in_year if c in EXPENSE_CATEGORIES)
        assert summary.balance == summary.income_total - summary.expense_total
        for category in TYPED:
            assert summary.amount(category) == sum(a for c, a in in_year if c == category)


def slot(calendar, *, column, fee, paid_on=None, sponsor="みなみ商店"):
    return AdSlot.objects.create(
        calendar=calendar, sponsor=sponsor, column=column, row=0, fee=fee, text="営業中",
        paid_on=paid_on,
    )  # fmt: skip


def test_advertising_income_equals_the_paid_slots(demo):
    calendar = AnnualCalendar.objects.create(
        council=demo.council, year=2027, title="令和9年 年間行事カレンダー"
    )
    slots = [
        slot(calendar, column=0, fee=10000, paid_on=datetime.date(2026, 12, 10)),
        slot(calendar, column=1, fee=20000, paid_on=datetime.date(2027, 1, 5)),
        slot(calendar, column=2, fee=30000),  # invoiced, not paid
    ]
    for one in slots:
        ledger_sync_ad_slot(slot=one, actor=demo.officer)
    advertising = LedgerLine.objects.filter(category=LedgerCategory.ADVERTISING)
    assert sorted(line.amount for line in advertising) == [10000, 20000]
    assert queries.year_summary(demo.council, 2026).amount(LedgerCategory.ADVERTISING) == 30000

    # The third sponsor pays; the first payment turns out to be a mistake.
    slots[2].paid_on = datetime.date(2027, 2, 1)
    slots[0].paid_on = None
    for one in slots:
        one.save()
        ledger_sync_ad_slot(slot=one, actor=demo.officer)
    paid = sum(s.fee for s in AdSlot.objects.filter(paid_on__isnull=False))
    assert paid == 50000
    assert queries.year_summary(demo.council, 2026).amount(LedgerCategory.ADVERTISING) == paid
    assert AuditEntry.objects.filter(action="ledger.remove_ad_income").count() == 1

    # A fee corrected after payment changes the booked line, not adds another.
    slots[1].fee = 25000
    slots[1].save()
    ledger_sync_ad_slot(slot=slots[1], actor=demo.officer)
    assert LedgerLine.objects.get(ad_slot=slots[1]).amount == 25000


def test_advertising_income_cannot_be_typed_or_changed_by_hand(demo):
    with pytest.raises(ValidationError) as refused:
        add(demo, category=LedgerCategory.ADVERTISING)
    assert "広告枠" in refused.value.message_dict["category"][0]
    calendar = AnnualCalendar.objects.create(council=demo.council, year=2027, title="カレンダー")
    paid = slot(calendar, column=0, fee=5000, paid_on=datetime.date(2026, 12, 1))
    line = ledger_sync_ad_slot(slot=paid, actor=demo.officer)
    assert line is not None
    with pytest.raises(ValidationError):
        ledger_line_save(council=demo.council, line=line, values={"amount": 1}, actor=demo.officer)
    with pytest.raises(ValidationError):
        ledger_line_delete(line=line, actor=demo.officer)
    assert LedgerLine.objects.get(pk=line.pk).amount == 5000
    # The page does not offer the category either.
    page = signed_in(demo.officer).get(year_url(demo)).content.decode()
    assert 'value="member_fees"' in page
    assert 'value="advertising"' not in page


def test_an_officer_books_a_line_typed_with_full_width_digits_and_commas(demo):
    response = signed_in(demo.officer).post(
        year_url(demo),
        {
            "date": "2026-06-01",
            "category": LedgerCategory.GRANTS,
            "description": "地域コミュニティ交付金",
            "amount": "１２０，０００円",
            "note": "",
        },
    )
    assert response.status_code == 302
    line = LedgerLine.objects.get(council=demo.council)
    assert (line.amount, line.fiscal_year, line.created_by) == (120000, 2026, demo.officer)
    page = signed_in(demo.officer).get(year_url(demo)).content.decode()
    assert "地域コミュニティ交付金" in page
    assert "120,000" in page


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("一万円", "金額は数字で入力してください"),
        ("12.5", "金額は数字で入力してください"),
        ("-300", "金額は数字で入力してください"),
        ("0", "金額は1円以上で入力してください"),
        ("", "このフィールドは必須です"),
    ],
)
def test_an_amount_that_is_not_a_number_is_refused_and_nothing_is_saved(demo, amount, message):
    response = signed_in(demo.officer).post(
        year_url(demo),
        {
            "date": "2026-06-01",
            "category": LedgerCategory.PRINTING,
            "description": "年間行事カレンダー印刷代",
            "amount": amount,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "何も保存されていません" in page
    assert message in page
    assert not LedgerLine.objects.exists()


def test_lines_are_changed_and_removed_with_an_audit_entry(demo):
    line = add(demo)
    client = signed_in(demo.officer)
    edit = reverse("publications:ledger_line_edit", args=[line.pk])
    response = client.post(
        edit,
        {
            "date": "2026-05-10",
            "category": LedgerCategory.MEMBER_FEES,
            "description": "区費(みなみ一丁目町内会)",
            "amount": "50000",
        },
    )
    assert response.status_code == 302
    assert LedgerLine.objects.get(pk=line.pk).amount == 50000
    changed = AuditEntry.objects.get(action="ledger.change_line")
    assert changed.changes == {"amount": ["48000", "50000"]}
    client.post(reverse("publications:ledger_line_delete", args=[line.pk]))
    assert not LedgerLine.objects.exists()
    assert AuditEntry.objects.filter(action="ledger.delete_line").count() == 1


def test_the_ledger_is_the_councils_own_business(demo):
    line = add(demo)
    urls = [
        reverse("publications:ledger", args=[demo.council.pk]),
        year_url(demo),
        reverse("publications:ledger_csv", args=[demo.council.pk, 2026]),
        reverse("publications:ledger_line_edit", args=[line.pk]),
    ]
    for user in (demo.resident, demo.staff):
        client = signed_in(user)
        for url in urls:
            assert client.get(url).status_code == 403, (user, url)
        assert (
            client.post(reverse("publications:ledger_line_delete", args=[line.pk])).status_code
            == 403
        )
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert LedgerLine.objects.filter(pk=line.pk).exists()


def test_the_csv_lists_the_years_lines(demo):
    add(demo, description='=HYPERLINK("x")', amount=3000)
    add(demo, category=LedgerCategory.PRINTING, description="印刷代", amount=90000)
    add(demo, date=datetime.date(2027, 4, 2), description="翌年度の区費")
    response = signed_in(demo.officer).get(
        reverse("publications:ledger_csv", args=[demo.council.pk, 2026])
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["日付", "収支", "科目", "摘要", "金額(円)", "備考"]
    assert rows[1:] == [
        ["2026-05-10", "収入", "区費・会費", '\'=HYPERLINK("x")', "3000", ""],
        ["2026-05-10", "支出", "印刷費", "印刷代", "90000", ""],
    ]


def test_the_overview_charts_income_by_source_across_years(demo):
    add(demo, date=datetime.date(2024, 6, 1), amount=40000)
    add(demo, date=datetime.date(2025, 6, 1), category=LedgerCategory.GRANTS, amount=70000)
    page = (
        signed_in(demo.officer)
        .get(reverse("publications:ledger", args=[demo.council.pk]))
        .content.decode()
    )
    assert "令和6年度 40,000円" in page  # the chart's text alternative
    assert "令和7年度 交付金・補助金 70,000円" in page  # a bar segment's title
    assert page.count("<rect") >= 2 + 5  # two segments and the legend's five keys


@pytest.mark.parametrize("size", [1, 50])
def test_the_year_page_runs_the_same_queries_for_any_number_of_lines(
    demo, size, django_assert_num_queries
):
    for index in range(size):
        add(demo, description=f"区費 {index}")
        # 24 boxes to a band: one calendar per 24 paid advertisements.
        calendar, _ = AnnualCalendar.objects.get_or_create(
            council=demo.council, year=2026 + index // 24, defaults={"title": "カレンダー"}
        )
        paid = slot(calendar, column=index % 8, fee=1000, paid_on=datetime.date(2026, 7, 1))
        paid.row = index // 8 % 3
        paid.save()
        ledger_sync_ad_slot(slot=paid, actor=demo.officer)
    client = signed_in(demo.officer)
    client.get(year_url(demo))  # warm the session and the permission caches
    with django_assert_num_queries(7):
        assert client.get(year_url(demo)).status_code == 200


@pytest.mark.parametrize("date", ["0001-01-05", "1999-12-31", "2206-04-01"])
def test_a_date_outside_the_years_a_ledger_can_hold_is_refused(demo, date):
    response = signed_in(demo.officer).post(
        year_url(demo),
        {"date": date, "category": LedgerCategory.GRANTS, "description": "交付金", "amount": "1"},
    )
    assert response.status_code == 400
    assert "2000年1月1日から2100年12月31日まで" in response.content.decode()
    with pytest.raises(ValidationError):
        add(demo, date=datetime.date.fromisoformat(date))
    assert not LedgerLine.objects.exists()
    assert (
        signed_in(demo.officer)
        .get(reverse("publications:ledger", args=[demo.council.pk]))
        .status_code
        == 200
    )
