"""Calendar entries in the site search: found while the public calendar shows them, never a
draft or the contact's telephone number, the same after a rebuild, and indexed in a fixed
number of queries."""

from __future__ import annotations

import datetime

import pytest

from kyodo.calendar import services
from kyodo.calendar.models import Entry, EntryKind, EntryStatus, ObserverPolicy
from kyodo.calendar.opendata import ImportRow
from kyodo.core.search import index
from kyodo.directory import services as directory_services
from kyodo.directory.models import Organisation
from tests.searching import assert_rebuild_keeps_rows, found, rows

pytestmark = pytest.mark.django_db
SIZES = [1, 50]


def test_a_published_entry_is_found_and_a_draft_is_not(demo, make_entry) -> None:
    draft = make_entry(publish=False)
    assert found("研修室") == []
    services.entry_set_status(entry=draft, status=EntryStatus.PUBLISHED, actor=demo.officer)
    assert found("研修室") == [("entry", f"/calendar/entries/{draft.pk}/")]
    [row] = rows("entry")
    assert row["municipality_id"] == demo.kagoshima_city.pk
    assert (row["fiscal_year"], row["date"]) == (2026, datetime.date(2026, 12, 6))
    assert "傍聴: 傍聴要事前申込" in row["body"]
    assert "主催: (デモ)みなみ校区コミュニティ協議会" in row["body"]
    assert "広告募集" in row["body"]  # the agenda


def test_an_entry_withdrawn_to_draft_or_deleted_is_no_longer_found(demo, make_entry) -> None:
    entry = make_entry()
    assert found("研修室")
    services.entry_set_status(entry=entry, status=EntryStatus.DRAFT, actor=demo.officer)
    assert found("研修室") == []
    services.entry_delete(entry=entry, actor=demo.officer)
    assert rows("entry") == []


def test_a_cancelled_entry_stays_found_marked_as_cancelled(demo, make_entry) -> None:
    entry = make_entry()
    services.entry_set_status(
        entry=entry, status=EntryStatus.CANCELLED, actor=demo.officer, reason="台風接近のため"
    )
    assert found("台風") == [("entry", entry.get_absolute_url())]
    assert rows("entry")[0]["title"].startswith("【中止】")


def test_an_edit_is_found_at_once(demo, make_entry) -> None:
    entry = make_entry()
    services.entry_save(
        organisation=demo.council,
        entry=entry,
        values={"description": "門松づくりの材料を持ち寄ります。"},
        actor=demo.officer,
    )
    assert found("門松") == [("entry", entry.get_absolute_url())]
    assert found("事業報告と来年度") == []


def test_renaming_or_moving_the_organiser_refreshes_its_entries(demo, make_entry) -> None:
    entry = make_entry()
    directory_services.organisation_update(
        organisation=demo.council, actor=demo.admin, values={"name": "みなみ校区まちづくり協議会"}
    )
    assert found("まちづくり", kind="entry") == [("entry", entry.get_absolute_url())]
    other_city = Organisation.objects.get(lgcode="462039")
    directory_services.organisation_update(
        organisation=demo.council, actor=demo.admin, values={"parent": other_city}
    )
    assert rows("entry")[0]["municipality_id"] == other_city.pk


def test_the_contact_telephone_is_not_indexed(make_entry) -> None:
    make_entry(contact_name="湯之元 進", contact_phone="099-111-2222", observer_how="")
    assert found("湯之元") == []
    assert found("099-111-2222") == []
    assert "2222" not in rows("entry")[0]["body"]


def test_an_import_indexes_its_entries_at_once(demo) -> None:
    def row(number: int, title: str) -> ImportRow:
        return ImportRow(
            number=number,
            cells={},
            values={
                "title": title,
                "title_kana": "ぎょうじ",
                "start_date": datetime.date(2026, 12, number),
                "end_date": datetime.date(2026, 12, number),
                "description": f"{title}を開きます。",
                "venue_name": "公民館",
                "address": "鹿児島市",
            },
        )

    services.entries_import(
        organisation=demo.council,
        rows=[row(1, "しめ縄講習会"), row(2, "どんど焼き")],
        publish=True,
        actor=demo.officer,
    )
    assert [kind for kind, _url in found("講習")] == ["entry"]
    assert [kind for kind, _url in found("どんど")] == ["entry"]


def test_a_rebuild_writes_the_rows_the_services_wrote(demo, make_entry) -> None:
    make_entry()
    association = Organisation.objects.get(name="(デモ)みなみ一丁目町内会")
    make_entry(organisation=association, kind=EntryKind.EVENT, observer_policy="", title="夏祭り")
    cancelled = make_entry(title="清掃活動")
    services.entry_set_status(
        entry=cancelled, status=EntryStatus.CANCELLED, actor=demo.officer, reason="雨天"
    )
    make_entry(publish=False, title="下書きの行事")
    assert len(rows("entry")) == 3
    assert {row["municipality_id"] for row in rows("entry")} == {demo.kagoshima_city.pk}
    assert_rebuild_keeps_rows("entry")


def published_entries(organisation: Organisation, size: int) -> list[int]:
    day = datetime.date(2026, 5, 10)
    entries = Entry.objects.bulk_create(
        Entry(
            organisation=organisation,
            kind=EntryKind.MEETING,
            observer_policy=ObserverPolicy.OPEN,
            status=EntryStatus.PUBLISHED,
            title=f"定例会{n}",
            title_kana="ていれいかい",
            start_date=day,
            end_date=day,
            last_date=day,
            description="説明",
            venue_name="公民館",
            address="鹿児島市",
        )
        for n in range(size)
    )
    return [entry.pk for entry in entries]


@pytest.mark.parametrize("size", SIZES)
def test_indexing_reads_a_fixed_number_of_queries(
    demo, django_assert_num_queries, size: int
) -> None:
    association = Organisation.objects.get(name="(デモ)みなみ一丁目町内会")
    ids = published_entries(association, size)
    with django_assert_num_queries(5):
        assert index.refresh("entry", ids) == size
    with django_assert_num_queries(5):
        assert index.rebuild(["entry"]) == {"entry": size}
    assert {row["municipality_id"] for row in rows("entry")} == {demo.kagoshima_city.pk}
