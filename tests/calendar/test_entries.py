"""Entries: saving, the rules the database and the services hold, status changes."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from kyodo.calendar import recurrence, services
from kyodo.calendar.models import Entry, EntryKind, EntryStatus, ObserverPolicy, Repeat
from kyodo.core.models import AuditEntry

from .conftest import values

D = datetime.date


def test_saving_an_entry_stores_every_field_and_an_audit_entry(demo, make_entry):
    entry = make_entry()
    stored = Entry.objects.get(pk=entry.pk)
    assert stored.status == EntryStatus.PUBLISHED
    assert stored.observer_policy == ObserverPolicy.ADVANCE
    assert stored.last_date == D(2026, 12, 6)
    assert stored.published_at is not None
    audit = AuditEntry.objects.get(action="calendar.entry_create", object_id=str(entry.pk))
    assert audit.actor == demo.officer
    assert audit.changes["title"] == ["", "みなみ校区コミュニティ協議会 定例役員会"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": D(2026, 12, 5)}, "__all__", "終了日は開始日以降"),
        ({"end_time": None}, "__all__", "開始時間と終了時間は両方"),
        ({"end_time": datetime.time(18, 0)}, "__all__", "終了時間は開始時間より後"),
        ({"observer_policy": ""}, "__all__", "傍聴の可否"),
        ({"kind": EntryKind.EVENT}, "__all__", "傍聴の可否"),
        ({"repeat": Repeat.WEEKLY}, "__all__", "繰り返しの終了日が必要"),
        (
            {"repeat": Repeat.WEEKLY, "repeat_until": D(2030, 12, 6)},
            "repeat_until",
            "3年以内",
        ),
        ({"latitude": 95}, "__all__", "緯度は-90から90"),
        ({"title": ""}, "title", "空ではいけません"),
        ({"venue_name": ""}, "venue_name", "空ではいけません"),
        ({"url": "javascript:alert(1)"}, "url", "URL"),
        ({"apply_by_date": D(2026, 12, 24)}, "apply_by_date", "行事の終了日まで"),
        ({"apply_by_time": datetime.time(17, 0)}, "apply_by_date", "参加申込終了日も"),
    ],
)
def test_bad_input_is_refused_with_a_japanese_message_and_nothing_is_saved(
    demo, changes, field, message
):
    with pytest.raises(ValidationError) as raised:
        services.entry_save(organisation=demo.council, values=values(**changes), actor=demo.officer)
    assert any(message in text for text in raised.value.message_dict[field])
    assert not Entry.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="calendar.").exists()


def test_exceptions_must_be_dates_of_the_rule(demo):
    first_sunday = values(
        kind=EntryKind.EVENT,
        observer_policy="",
        title="校区一斉清掃",
        repeat=Repeat.MONTHLY_WEEKDAY,
        repeat_until=D(2027, 3, 31),
    )
    with pytest.raises(ValidationError) as raised:
        services.entry_save(
            organisation=demo.council,
            values=first_sunday,
            exceptions=[D(2027, 1, 10)],
            actor=demo.officer,
        )
    assert "2027-01-10 は繰り返しの日ではありません" in raised.value.message_dict["exceptions"][0]
    entry = services.entry_save(
        organisation=demo.council,
        values=first_sunday,
        exceptions=[D(2027, 1, 3)],
        actor=demo.officer,
    )
    assert list(entry.exceptions.values_list("date", flat=True)) == [D(2027, 1, 3)]


@pytest.mark.parametrize(
    ("repeat", "interval", "start", "expected", "words"),
    [
        (
            Repeat.MONTHLY_WEEKDAY,
            1,
            D(2026, 12, 6),
            [D(2026, 12, 6), D(2027, 2, 7), D(2027, 3, 7)],
            "毎月第1日曜日(令和9年3月31日まで)",
        ),
        (
            Repeat.WEEKLY,
            2,
            D(2026, 12, 5),
            [D(2026, 12, 5), D(2026, 12, 19), D(2027, 1, 16), D(2027, 1, 30)],
            "2週間ごとの土曜日(令和9年1月31日まで)",
        ),
        (
            Repeat.MONTHLY_DAY,
            1,
            D(2026, 12, 31),
            [D(2026, 12, 31), D(2027, 1, 31), D(2027, 3, 31)],
            "毎月31日(令和9年3月31日まで)",
        ),
        (
            Repeat.MONTHLY_WEEKDAY,
            1,
            D(2026, 12, 29),
            [D(2026, 12, 29), D(2027, 1, 26), D(2027, 2, 23), D(2027, 3, 30)],
            "毎月最終火曜日(令和9年3月31日まで)",
        ),
    ],
)
def test_recurrence_expands_to_the_right_dates_without_the_exceptions(
    demo, repeat, interval, start, expected, words
):
    skipped = {
        D(2026, 12, 6): [D(2027, 1, 3)],
        D(2026, 12, 5): [D(2027, 1, 2)],
        D(2026, 12, 31): [],
        D(2026, 12, 29): [],
    }[start]
    until = D(2027, 1, 31) if repeat == Repeat.WEEKLY else D(2027, 3, 31)
    entry = services.entry_save(
        organisation=demo.council,
        values=values(
            start_date=start,
            end_date=start,
            repeat=repeat,
            repeat_interval=interval,
            repeat_until=until,
        ),
        exceptions=skipped,
        actor=demo.officer,
    )
    assert recurrence.occurrence_dates(entry, D(2026, 1, 1), D(2028, 1, 1), skipped) == expected
    assert recurrence.describe(entry) == words


def test_changing_a_published_entry_raises_its_sequence_and_records_the_change(demo, make_entry):
    entry = make_entry()
    services.entry_save(
        organisation=demo.council,
        entry=entry,
        values={"venue_name": "みなみ小学校 体育館"},
        actor=demo.officer,
    )
    entry.refresh_from_db()
    assert entry.sequence == 1
    audit = AuditEntry.objects.filter(action="calendar.entry_update").get()
    assert audit.changes == {"venue_name": ["みなみ地区公民館", "みなみ小学校 体育館"]}


def test_cancelling_keeps_the_entry_visible_with_its_reason(demo, make_entry):
    entry = make_entry()
    with pytest.raises(ValidationError) as raised:
        services.entry_set_status(entry=entry, status=EntryStatus.CANCELLED, actor=demo.officer)
    assert "中止の理由" in raised.value.message_dict["reason"][0]
    services.entry_set_status(
        entry=entry, status=EntryStatus.CANCELLED, reason="台風接近のため", actor=demo.officer
    )
    entry.refresh_from_db()
    assert (entry.status, entry.cancel_reason, entry.sequence) == ("cancelled", "台風接近のため", 1)
    assert Entry.objects.visible().filter(pk=entry.pk).exists()
    with pytest.raises(ValidationError):
        services.entry_set_status(entry=entry, status=EntryStatus.DRAFT, actor=demo.officer)
    services.entry_set_status(entry=entry, status=EntryStatus.PUBLISHED, actor=demo.officer)
    entry.refresh_from_db()
    assert (entry.status, entry.cancel_reason) == ("published", "")


def test_only_drafts_can_be_deleted(demo, make_entry):
    published = make_entry()
    with pytest.raises(ValidationError):
        services.entry_delete(entry=published, actor=demo.officer)
    draft = make_entry(publish=False, title="下書きの行事")
    services.entry_delete(entry=draft, actor=demo.officer)
    assert list(Entry.objects.values_list("pk", flat=True)) == [published.pk]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start_date": D(206, 12, 6), "end_date": D(2026, 12, 6)}, "start_date"),
        ({"end_date": D(9999, 12, 31), "start_time": None, "end_time": None}, "end_date"),
        ({"repeat": Repeat.WEEKLY, "repeat_until": D(2101, 1, 1)}, "repeat_until"),
    ],
)
def test_dates_outside_the_calendar_are_refused(demo, changes, field):
    with pytest.raises(ValidationError) as raised:
        services.entry_save(organisation=demo.council, values=values(**changes), actor=None)
    assert "2000年1月1日から2100年12月31日まで" in " ".join(raised.value.message_dict[field])
    assert not Entry.objects.exists()


def test_changing_only_the_exceptions_of_a_published_entry_raises_its_sequence(demo, make_entry):
    entry = make_entry(repeat=Repeat.MONTHLY_WEEKDAY, repeat_until=D(2027, 3, 31))
    services.entry_save(
        organisation=demo.council, entry=entry, values={}, exceptions=[D(2027, 1, 3)], actor=None
    )
    entry.refresh_from_db()
    assert entry.sequence == 1
    assert "EXDATE;TZID=Asia/Tokyo:20270103T190000" in entry.ical
    assert "SEQUENCE:1" in entry.ical


def test_restoring_a_cancelled_entry_records_the_reason_it_clears(demo, make_entry):
    entry = make_entry()
    services.entry_set_status(entry=entry, status=EntryStatus.CANCELLED, reason="雨天", actor=None)
    services.entry_set_status(entry=entry, status=EntryStatus.PUBLISHED, actor=None)
    last = AuditEntry.objects.filter(action="calendar.entry_status").order_by("-pk").first()
    assert last.changes == {"status": ["cancelled", "published"], "cancel_reason": ["雨天", ""]}
