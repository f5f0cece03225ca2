"""The annual calendar's services: what a draft holds, what changed between drafts, the
review, the advertisement band with its ledger lines, and the delivery counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from kyodo.calendar import services as calendar_services
from kyodo.calendar.models import EntryStatus, Repeat
from kyodo.core.models import AuditEntry
from kyodo.directory import services as directory_services
from kyodo.directory.models import OrganisationKind
from kyodo.publications.models import (
    AdSlot,
    AnnualCalendar,
    CalendarComment,
    CalendarStatus,
    Delivery,
    LedgerCategory,
    LedgerLine,
    YearKind,
)
from kyodo.publications.queries import annual as queries
from kyodo.publications.services import annual as services
from tests.publications.conftest import png


def test_a_new_calendar_is_titled_after_its_year_and_council(demo) -> None:
    calendar = services.calendar_create(
        council=demo.council, year=2027, year_kind=YearKind.CALENDAR, actor=demo.officer
    )
    fiscal = services.calendar_create(
        council=demo.council, year=2027, year_kind=YearKind.FISCAL, actor=demo.officer
    )
    assert calendar.title == "令和9年 (デモ)みなみ校区コミュニティ協議会 年間行事カレンダー"
    assert fiscal.title == "令和9年度 (デモ)みなみ校区コミュニティ協議会 年間行事カレンダー"
    assert AuditEntry.objects.filter(action="publications.calendar_create").count() == 2


def test_a_second_calendar_for_the_same_year_is_refused(demo, calendar) -> None:
    with pytest.raises(ValidationError) as refused:
        services.calendar_create(
            council=demo.council, year=2027, year_kind=YearKind.CALENDAR, actor=demo.officer
        )
    assert "この協議会のこの年のカレンダーはすでにあります。" in refused.value.messages
    assert AnnualCalendar.objects.count() == 1


def test_a_draft_freezes_the_published_and_cancelled_lines_of_the_council_and_members(
    demo, calendar, association, make_entry
) -> None:
    make_entry("どんど焼き", day=datetime.date(2027, 1, 10))
    make_entry("町内清掃", day=datetime.date(2027, 3, 7), organisation=association)
    cancelled = make_entry("夏祭り", day=datetime.date(2027, 7, 24))
    calendar_services.entry_set_status(
        entry=cancelled, status=EntryStatus.CANCELLED, reason="雨天", actor=demo.officer
    )
    make_entry("下書きの行事", day=datetime.date(2027, 5, 1), publish=False)
    make_entry("去年の行事", day=datetime.date(2026, 12, 20))
    make_entry("市の行事", day=datetime.date(2027, 5, 5), organisation=demo.kagoshima_city)

    draft = services.calendar_take_draft(
        calendar=calendar, message="第1稿です。", actor=demo.officer
    )

    assert draft.number == 1
    assert draft.message == "第1稿です。"
    assert [(line["date"], line["title"], line["cancelled"]) for line in draft.lines] == [
        ("2027-01-10", "どんど焼き", False),
        ("2027-03-07", "町内清掃", False),
        ("2027-07-24", "夏祭り", True),
    ]
    first = draft.lines[0]
    assert first == {
        "uid": first["uid"],
        "date": "2027-01-10",
        "end_date": "2027-01-10",
        "start_time": "19:00",
        "title": "どんど焼き",
        "organisation": "(デモ)みなみ校区コミュニティ協議会",
        "kind": "meeting",
        "cancelled": False,
    }


def test_a_draft_holds_every_date_of_a_recurring_entry_in_the_year_and_not_excluded_ones(
    demo, calendar, make_entry
) -> None:
    make_entry(
        "役員会",
        day=datetime.date(2026, 12, 6),
        repeat=Repeat.MONTHLY_WEEKDAY,
        repeat_until=datetime.date(2027, 3, 31),
    )
    left_out = make_entry("内輪の会", day=datetime.date(2027, 2, 2))
    services.calendar_set_excluded(
        calendar=calendar, entry=left_out, excluded=True, actor=demo.officer
    )

    draft = services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)

    assert [(line["date"], line["title"]) for line in draft.lines] == [
        ("2027-01-03", "役員会"),
        ("2027-02-07", "役員会"),
        ("2027-03-07", "役員会"),
    ]


def test_without_members_only_the_councils_own_entries_are_gathered(
    demo, calendar, association, make_entry
) -> None:
    make_entry("どんど焼き")
    make_entry("町内清掃", organisation=association)
    calendar = services.calendar_update(
        calendar=calendar, values={"include_members": False}, actor=demo.officer
    )
    assert [line.title for line in queries.current_lines(calendar)] == ["どんど焼き"]


def test_the_change_list_names_added_removed_and_changed_lines(demo, calendar, make_entry) -> None:
    kept = make_entry("どんど焼き", day=datetime.date(2027, 1, 10))
    moved = make_entry("運動会", day=datetime.date(2027, 10, 10))
    dropped = make_entry("敬老会", day=datetime.date(2027, 9, 15))
    first = services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)

    calendar_services.entry_save(
        organisation=demo.council,
        entry=kept,
        values={"title": "どんど焼き(鬼火焚き)"},
        actor=demo.officer,
    )
    calendar_services.entry_save(
        organisation=demo.council,
        entry=moved,
        values={"start_date": datetime.date(2027, 10, 17), "end_date": datetime.date(2027, 10, 17)},
        actor=demo.officer,
    )
    services.calendar_set_excluded(
        calendar=calendar, entry=dropped, excluded=True, actor=demo.officer
    )
    make_entry("餅つき", day=datetime.date(2027, 12, 26))
    second = services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)

    found = [
        (change.label, change.line.date.isoformat(), change.line.title, change.fields)
        for change in queries.changes(queries.draft_lines(first), queries.draft_lines(second))
    ]
    assert second.number == 2
    assert found == [
        (
            "変更",
            "2027-01-10",
            "どんど焼き(鬼火焚き)",
            (("行事名", "どんど焼き", "どんど焼き(鬼火焚き)"),),
        ),
        ("削除", "2027-09-15", "敬老会", ()),
        ("削除", "2027-10-10", "運動会", ()),
        ("追加", "2027-10-17", "運動会", ()),
        ("追加", "2027-12-26", "餅つき", ()),
    ]


def test_a_cancellation_and_a_new_start_time_are_changes(demo, calendar, make_entry) -> None:
    entry = make_entry("夏祭り", day=datetime.date(2027, 7, 24))
    first = services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    calendar_services.entry_save(
        organisation=demo.council,
        entry=entry,
        values={"start_time": datetime.time(17), "end_time": datetime.time(21)},
        actor=demo.officer,
    )
    calendar_services.entry_set_status(
        entry=entry, status=EntryStatus.CANCELLED, reason="台風", actor=demo.officer
    )
    second = services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    [change] = queries.changes(queries.draft_lines(first), queries.draft_lines(second))
    assert change.label == "変更"
    assert change.fields == (("開始時間", "19:00", "17:00"), ("中止", "実施", "中止"))


def test_comments_go_only_on_the_newest_draft_while_in_review(
    demo, calendar, association, member_officer, make_entry
) -> None:
    make_entry()
    first = services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    with pytest.raises(ValidationError):  # not yet in review
        services.calendar_comment_add(
            draft=first, organisation=association, body="日付を確認", actor=member_officer
        )
    services.calendar_open_review(
        calendar=calendar, comments_until=datetime.date(2026, 12, 20), actor=demo.officer
    )
    comment = services.calendar_comment_add(
        draft=first, organisation=association, body="日付を確認してください", actor=member_officer
    )
    assert (comment.author_name, comment.organisation) == ("町内 一子", association)

    second = services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    with pytest.raises(ValidationError) as refused:
        services.calendar_comment_add(
            draft=first, organisation=association, body="もう一つ", actor=member_officer
        )
    assert "意見は意見募集中の最新の原稿にだけ送れます" in refused.value.messages[0]
    services.calendar_comment_add(
        draft=second, organisation=association, body="第2稿で確認しました", actor=member_officer
    )
    services.calendar_finalise(calendar=calendar, actor=demo.officer)
    with pytest.raises(ValidationError):
        services.calendar_comment_add(
            draft=second, organisation=association, body="確定後", actor=member_officer
        )
    assert list(CalendarComment.objects.values_list("draft__number", "body")) == [
        (1, "日付を確認してください"),
        (2, "第2稿で確認しました"),
    ]


def test_an_organisation_outside_the_council_cannot_comment(
    demo, calendar, other_council, make_entry
) -> None:
    make_entry()
    draft = services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    services.calendar_open_review(calendar=calendar, comments_until=None, actor=demo.officer)
    with pytest.raises(ValidationError):
        services.calendar_comment_add(
            draft=draft, organisation=other_council, body="よその意見", actor=demo.officer
        )
    assert CalendarComment.objects.count() == 0


def test_a_reply_resolves_a_comment(demo, calendar, association, member_officer) -> None:
    draft = services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    services.calendar_open_review(calendar=calendar, comments_until=None, actor=demo.officer)
    comment = services.calendar_comment_add(
        draft=draft, organisation=association, body="清掃の日が違います", actor=member_officer
    )
    services.calendar_comment_reply(
        comment=comment, reply="第2稿で直します。", resolved=True, actor=demo.officer
    )
    comment.refresh_from_db()
    assert comment.reply == "第2稿で直します。"
    assert comment.resolved_at is not None


def test_finalising_needs_a_draft_and_reopening_clears_the_date(demo, calendar) -> None:
    with pytest.raises(ValidationError):
        services.calendar_finalise(calendar=calendar, actor=demo.officer)
    with pytest.raises(ValidationError):
        services.calendar_open_review(calendar=calendar, comments_until=None, actor=demo.officer)
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    final = services.calendar_finalise(calendar=calendar, actor=demo.officer)
    assert (final.status, final.finalised_at is not None) == (CalendarStatus.FINAL, True)
    with pytest.raises(ValidationError):  # a final calendar takes no new draft
        services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    reopened = services.calendar_reopen(calendar=calendar, actor=demo.officer)
    assert (reopened.status, reopened.finalised_at) == (CalendarStatus.EDITING, None)
    assert AuditEntry.objects.filter(action="publications.calendar_status").count() == 2


# --- Advertisement slots --------------------------------------------------------------------


def add_slot(
    calendar, actor, *, sponsor="みなみ商店", width=1, height=1, column=None, row=None, **values
):
    return services.ad_slot_save(
        calendar=calendar,
        values={
            "sponsor": sponsor,
            "width": width,
            "height": height,
            "fee": 10000,
            "text": "営業中",
            **values,
        },
        column=column,
        row=row,
        actor=actor,
    )


def test_slots_without_a_position_fill_the_rows_from_the_top_left(demo, calendar) -> None:
    big = add_slot(calendar, demo.officer, sponsor="A", width=3, height=2)
    small = add_slot(calendar, demo.officer, sponsor="B", width=5, height=1)
    tall = add_slot(calendar, demo.officer, sponsor="C", width=2, height=2)
    assert [(s.column, s.row) for s in (big, small, tall)] == [(0, 0), (3, 0), (3, 1)]


def test_an_overlapping_slot_is_refused_and_nothing_is_saved(demo, calendar) -> None:
    add_slot(calendar, demo.officer, sponsor="みなみ商店", width=2, height=2, column=0, row=0)
    with pytest.raises(ValidationError) as refused:
        add_slot(calendar, demo.officer, sponsor="きた工務店", width=2, height=1, column=1, row=1)
    [message] = refused.value.message_dict["column"]
    assert message.startswith("この位置には「みなみ商店」の広告があり、重なります。")
    assert "上から1段目・左から3枠目" in message
    assert list(AdSlot.objects.values_list("sponsor", flat=True)) == ["みなみ商店"]


def test_a_slot_larger_than_any_free_space_is_refused_with_the_free_boxes(demo, calendar) -> None:
    add_slot(calendar, demo.officer, sponsor="A", width=8, height=2)
    add_slot(calendar, demo.officer, sponsor="B", width=2, height=1, column=3, row=2)
    with pytest.raises(ValidationError) as refused:
        add_slot(calendar, demo.officer, sponsor="C", width=3, height=2)
    assert refused.value.message_dict["width"] == [
        "この大きさ(3×2枠)の広告が入る空きがありません。"
        "空いている枠: 上から3段目の左から1〜3・6〜8枠目。"
    ]
    with pytest.raises(ValidationError):
        add_slot(calendar, demo.officer, sponsor="D", width=4, height=1)
    assert AdSlot.objects.count() == 2


def test_a_slot_leaving_the_band_is_refused(demo, calendar) -> None:
    with pytest.raises(ValidationError) as refused:
        add_slot(calendar, demo.officer, width=3, height=1, column=6, row=0)
    assert "はみ出しています" in refused.value.message_dict["column"][0]
    assert AdSlot.objects.count() == 0


def test_a_slot_needs_text_or_artwork(demo, calendar) -> None:
    with pytest.raises(ValidationError) as refused:
        add_slot(calendar, demo.officer, text="")
    assert "広告の画像か広告文のどちらかを入れてください。" in refused.value.messages
    slot = services.ad_slot_save(
        calendar=calendar,
        values={"sponsor": "画像の店", "width": 1, "height": 1, "fee": 5000, "text": ""},
        artwork=png(),
        actor=demo.officer,
    )
    assert slot.artwork.name.startswith("publications/ads/")
    assert slot.artwork.name.endswith(".png")
    assert slot.artwork.storage.exists(slot.artwork.name)


def test_a_paid_slot_is_advertising_income_and_unpaying_removes_it(demo, calendar) -> None:
    paid = add_slot(
        calendar,
        demo.officer,
        sponsor="みなみ商店",
        invoiced_on=datetime.date(2026, 12, 1),
        paid_on=datetime.date(2026, 12, 10),
    )
    add_slot(calendar, demo.officer, sponsor="きた工務店", fee=20000)
    line = LedgerLine.objects.get()
    assert (line.category, line.amount, line.date, line.ad_slot) == (
        LedgerCategory.ADVERTISING,
        10000,
        datetime.date(2026, 12, 10),
        paid,
    )
    assert queries.ad_totals(queries.ad_slots(calendar)).paid == 10000

    services.ad_slot_save(
        calendar=calendar, slot=paid, values={"paid_on": None}, actor=demo.officer
    )
    assert LedgerLine.objects.count() == 0
    assert AuditEntry.objects.filter(action="ledger.remove_ad_income").count() == 1


def test_advertising_income_equals_the_paid_fees(demo, calendar) -> None:
    slots = [
        add_slot(
            calendar,
            demo.officer,
            sponsor=f"店{n}",
            fee=1000 * (n + 1),
            paid_on=datetime.date(2027, 1, n + 1),
        )
        for n in range(4)
    ]
    services.ad_slot_save(
        calendar=calendar, slot=slots[1], values={"fee": 7000}, actor=demo.officer
    )
    services.ad_slot_delete(slot=AdSlot.objects.get(pk=slots[2].pk), actor=demo.officer)
    income = LedgerLine.objects.filter(category=LedgerCategory.ADVERTISING).aggregate(
        s=Sum("amount")
    )
    paid = AdSlot.objects.filter(paid_on__isnull=False).aggregate(s=Sum("fee"))
    assert income["s"] == paid["s"] == 1000 + 7000 + 4000
    assert AuditEntry.objects.filter(action="ledger.remove_ad_income").count() == 1
    assert AuditEntry.objects.filter(action="publications.ad_slot_delete").count() == 1


def test_a_payment_before_the_invoice_is_refused_and_nothing_is_saved(demo, calendar) -> None:
    with pytest.raises(ValidationError):
        add_slot(
            calendar,
            demo.officer,
            invoiced_on=datetime.date(2027, 1, 10),
            paid_on=datetime.date(2027, 1, 5),
        )
    assert (AdSlot.objects.count(), LedgerLine.objects.count()) == (0, 0)


# --- Delivery -------------------------------------------------------------------------------


def test_delivery_rows_list_each_neighbourhood_association_and_add_up(
    demo, calendar, association
) -> None:
    second = directory_services.organisation_create(
        actor=None,
        kind=OrganisationKind.NEIGHBOURHOOD_ASSOCIATION,
        name="(デモ)みなみ二丁目町内会",
        kana="みなみにちょうめちょうないかい",
        parent=demo.council,
    )
    rows = queries.delivery_rows(calendar)
    assert [(row.association.name, row.delivery) for row in rows] == [
        ("(デモ)みなみ一丁目町内会", None),
        ("(デモ)みなみ二丁目町内会", None),
    ]
    services.calendar_update(calendar=calendar, values={"print_run": 500}, actor=demo.officer)
    services.deliveries_save(
        calendar=calendar,
        rows={
            association.pk: {"households": 320, "copies": 330, "delivered_on": None, "note": ""},
            second.pk: {"households": 210, "copies": 210, "delivered_on": None, "note": "班長経由"},
        },
        actor=demo.officer,
    )
    calendar.refresh_from_db()
    totals = queries.delivery_totals(calendar, queries.delivery_rows(calendar))
    assert (totals.households, totals.copies, totals.over_print_run, totals.excess) == (
        530,
        540,
        True,
        40,
    )
    assert Delivery.objects.count() == 2


def test_delivery_to_an_organisation_outside_the_council_is_refused(
    demo, calendar, association, other_council
) -> None:
    with pytest.raises(ValidationError):
        services.deliveries_save(
            calendar=calendar,
            rows={
                association.pk: {"households": 10, "copies": 10},
                other_council.pk: {"households": 10, "copies": 10},
            },
            actor=demo.officer,
        )
    assert Delivery.objects.count() == 0
