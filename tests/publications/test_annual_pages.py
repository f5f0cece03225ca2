"""The annual calendar's pages: who may see and do what, the Japanese messages of refused
input with nothing saved, and a fixed number of queries whatever the number of lines,
comments and slots."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kyodo.calendar.models import Entry, EntryKind, EntryStatus
from kyodo.core.models import Job
from kyodo.publications.models import AdSlot, AnnualCalendar, CalendarComment, Delivery, SheetFormat
from kyodo.publications.services import annual as services
from kyodo.publications.tasks import ANNUAL_PDF
from tests.publications.conftest import client_for, png


def test_the_list_shows_the_councils_calendars_and_creates_one(demo, editor, calendar) -> None:
    page = editor.get("/publications/calendars/")
    assert page.status_code == 200
    assert "令和9年 (デモ)みなみ校区コミュニティ協議会 年間行事カレンダー" in page.text
    created = editor.post(
        "/publications/calendars/",
        {"council": demo.council.pk, "year": 2028, "year_kind": "fiscal", "title": ""},
    )
    made = AnnualCalendar.objects.get(year=2028)
    assert created.status_code == 302
    assert created["Location"] == f"/publications/calendars/{made.pk}/"
    assert made.title == "令和10年度 (デモ)みなみ校区コミュニティ協議会 年間行事カレンダー"


def test_a_duplicate_year_is_refused_with_the_constraint_message(demo, editor, calendar) -> None:
    refused = editor.post(
        "/publications/calendars/",
        {"council": demo.council.pk, "year": 2027, "year_kind": "calendar", "title": ""},
    )
    assert refused.status_code == 400
    assert "この協議会のこの年のカレンダーはすでにあります。" in refused.text
    assert "何も保存されていません" in refused.text
    assert AnnualCalendar.objects.count() == 1


def test_a_member_officer_sees_the_calendar_but_cannot_make_one_for_the_council(
    demo, calendar, association, member_officer
) -> None:
    page = client_for(member_officer).get("/publications/calendars/")
    assert calendar.title in page.text
    # An association may publish its own calendar, never the council's.
    assert f'<option value="{association.pk}"' in page.text
    assert f'<option value="{demo.council.pk}"' not in page.text


def test_anonymous_visitors_are_sent_to_sign_in(calendar) -> None:
    for path in (
        "/publications/calendars/",
        f"/publications/calendars/{calendar.pk}/",
        f"/publications/calendars/{calendar.pk}/ads/",
    ):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_another_councils_officer_is_refused(demo, calendar, other_officer) -> None:
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    client = client_for(other_officer)
    for path in ("", "drafts/1/", "ads/", "deliveries/", "settings/"):
        assert client.get(f"/publications/calendars/{calendar.pk}/{path}").status_code == 403
    assert client.post(f"/publications/calendars/{calendar.pk}/drafts/new/").status_code == 403


def test_a_member_officer_reads_and_comments_but_does_not_edit(
    demo, calendar, association, member_officer, make_entry
) -> None:
    make_entry("町内清掃", organisation=association)
    services.calendar_take_draft(
        calendar=calendar, message="確認をお願いします", actor=demo.officer
    )
    services.calendar_open_review(calendar=calendar, comments_until=None, actor=demo.officer)
    client = client_for(member_officer)

    page = client.get(f"/publications/calendars/{calendar.pk}/")
    assert page.status_code == 200
    assert "町内清掃" in page.text
    assert "掲載しない" not in page.text
    draft = client.get(f"/publications/calendars/{calendar.pk}/drafts/1/")
    assert "この原稿に意見を送る" in draft.text
    sent = client.post(
        f"/publications/calendars/{calendar.pk}/drafts/1/comments/",
        {"organisation": association.pk, "body": "清掃は3月14日です"},
    )
    assert sent.status_code == 302
    assert CalendarComment.objects.get().body == "清掃は3月14日です"

    for path in ("ads/", "deliveries/", "settings/"):
        assert client.get(f"/publications/calendars/{calendar.pk}/{path}").status_code == 403
    for path in ("drafts/new/", "finalise/", "reopen/", "exclude/"):
        assert client.post(f"/publications/calendars/{calendar.pk}/{path}").status_code == 403
    comment = CalendarComment.objects.get()
    reply = client.post(
        f"/publications/calendars/{calendar.pk}/comments/{comment.pk}/reply/", {"reply": "x"}
    )
    assert reply.status_code == 403


def test_comments_on_an_older_draft_are_refused(
    demo, calendar, association, member_officer
) -> None:
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    services.calendar_open_review(calendar=calendar, comments_until=None, actor=demo.officer)
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    client = client_for(member_officer)
    old = client.get(f"/publications/calendars/{calendar.pk}/drafts/1/")
    assert "この原稿に意見を送る" not in old.text
    assert "意見は最新の原稿に送ってください。" in old.text
    refused = client.post(
        f"/publications/calendars/{calendar.pk}/drafts/1/comments/",
        {"organisation": association.pk, "body": "古い原稿へ"},
    )
    assert refused.status_code == 403
    assert CalendarComment.objects.count() == 0


def test_the_editor_excludes_an_entry_and_takes_a_draft_from_the_page(
    demo, editor, calendar, make_entry
) -> None:
    kept = make_entry("どんど焼き")
    left_out = make_entry("内輪の会", day=datetime.date(2027, 2, 2))
    page = editor.get(f"/publications/calendars/{calendar.pk}/")
    assert "令和9年1月" in page.text
    assert "1月10日(日)" in page.text
    editor.post(
        f"/publications/calendars/{calendar.pk}/exclude/",
        {"entry": left_out.pk, "excluded": "on"},
    )
    taken = editor.post(f"/publications/calendars/{calendar.pk}/drafts/new/", {"message": "第1稿"})
    assert taken["Location"] == f"/publications/calendars/{calendar.pk}/drafts/1/"
    draft = editor.get(taken["Location"])
    assert "会議</span> どんど焼き</td>" in draft.text
    assert "会議</span> 内輪の会</td>" not in draft.text
    assert "最初の原稿です。" in draft.text
    assert [line["uid"] for line in calendar.drafts.get().lines] == [str(kept.uid)]


def test_the_draft_page_labels_the_changes_in_words(demo, editor, calendar, make_entry) -> None:
    make_entry("どんど焼き")
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    make_entry("餅つき", day=datetime.date(2027, 12, 26))
    preview = editor.get(f"/publications/calendars/{calendar.pk}/")
    assert "第1稿からの変更(1件)" in preview.text
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    page = editor.get(f"/publications/calendars/{calendar.pk}/drafts/2/")
    assert "第1稿からの変更(1件)" in page.text
    assert '<span class="tag">追加</span>' in page.text
    assert "新しく載ります" in page.text


def test_an_overlapping_ad_is_refused_on_the_page_and_nothing_saved(demo, editor, calendar) -> None:
    form = {"sponsor": "みなみ商店", "width": 3, "height": 2, "fee": 30000, "text": "営業中"}
    first = editor.post(f"/publications/calendars/{calendar.pk}/ads/new/", form)
    assert first.status_code == 302
    refused = editor.post(
        f"/publications/calendars/{calendar.pk}/ads/new/",
        {**form, "sponsor": "きた工務店", "column": 2, "row": 2},
    )
    assert refused.status_code == 400
    assert "この位置には「みなみ商店」の広告があり、重なります。" in refused.text
    too_big = editor.post(
        f"/publications/calendars/{calendar.pk}/ads/new/",
        {**form, "sponsor": "大きな店", "width": 6, "height": 3},
    )
    assert "この大きさ(6×3枠)の広告が入る空きがありません。" in too_big.text
    assert list(AdSlot.objects.values_list("sponsor", flat=True)) == ["みなみ商店"]


def test_a_file_that_is_not_an_image_is_refused(demo, editor, calendar) -> None:
    fake = SimpleUploadedFile("ad.png", b"%PDF-1.4 not an image", content_type="image/png")
    refused = editor.post(
        f"/publications/calendars/{calendar.pk}/ads/new/",
        {"sponsor": "みなみ商店", "width": 1, "height": 1, "fee": 5000, "artwork": fake},
    )
    assert refused.status_code == 400
    assert "画像ファイルではありません。" in refused.text
    assert AdSlot.objects.count() == 0


def test_an_image_is_kept_and_served_to_the_editors(demo, editor, calendar, other_officer) -> None:
    editor.post(
        f"/publications/calendars/{calendar.pk}/ads/new/",
        {"sponsor": "画像の店", "width": 2, "height": 1, "fee": 5000, "artwork": png()},
    )
    slot = AdSlot.objects.get()
    path = f"/publications/calendars/{calendar.pk}/ads/{slot.pk}/artwork/"
    served = editor.get(path)
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    assert client_for(other_officer).get(path).status_code == 403


def test_the_ads_page_draws_the_band_and_the_money(demo, editor, calendar) -> None:
    for sponsor, width, paid in (("みなみ商店", 3, True), ("きた工務店", 2, False)):
        services.ad_slot_save(
            calendar=calendar,
            values={
                "sponsor": sponsor,
                "width": width,
                "height": 1,
                "fee": 10000 * width,
                "text": "広告",
                "invoiced_on": datetime.date(2026, 12, 1),
                "paid_on": datetime.date(2026, 12, 5) if paid else None,
            },
            actor=demo.officer,
        )
    page = editor.get(f"/publications/calendars/{calendar.pk}/ads/")
    text = page.text
    assert '<td colspan="3" rowspan="1" class="ad-band__slot"><strong>みなみ商店</strong>' in text
    assert text.count('<td class="ad-band__free">空き</td>') == 24 - 5
    assert "<dt>広告料の合計</dt><dd>50,000円</dd>" in text
    assert "<dt>入金済み(このカレンダーの広告料収入)</dt><dd>30,000円</dd>" in text
    assert "<dt>未入金</dt><dd>20,000円</dd>" in text
    deleted = editor.post(
        f"/publications/calendars/{calendar.pk}/ads/{AdSlot.objects.get(sponsor='みなみ商店').pk}/delete/"
    )
    assert deleted.status_code == 302
    assert list(AdSlot.objects.values_list("sponsor", flat=True)) == ["きた工務店"]


def test_deliveries_default_to_households_and_warn_over_the_print_run(
    demo, editor, calendar, association
) -> None:
    services.calendar_update(calendar=calendar, values={"print_run": 100}, actor=demo.officer)
    prefix = f"a{association.pk}"
    saved = editor.post(
        f"/publications/calendars/{calendar.pk}/deliveries/",
        {f"{prefix}-households": 120, f"{prefix}-copies": "", f"{prefix}-delivered_on": ""},
    )
    assert saved.status_code == 302
    delivery = Delivery.objects.get()
    assert (delivery.households, delivery.copies) == (120, 120)
    page = editor.get(f"/publications/calendars/{calendar.pk}/deliveries/")
    assert "配布部数の合計が印刷部数を20部上回っています" in page.text
    refused = editor.post(
        f"/publications/calendars/{calendar.pk}/deliveries/",
        {f"{prefix}-households": -3, f"{prefix}-copies": "", f"{prefix}-delivered_on": ""},
    )
    assert refused.status_code == 400
    assert "(デモ)みなみ一丁目町内会 世帯数" in refused.text
    assert Delivery.objects.get().households == 120


# --- Query counts ---------------------------------------------------------------------------


def build_entries(organisation, count: int) -> None:
    Entry.objects.bulk_create(
        Entry(
            organisation=organisation,
            kind=EntryKind.EVENT,
            status=EntryStatus.PUBLISHED,
            title=f"行事{n}",
            title_kana="ぎょうじ",
            start_date=datetime.date(2027, 1 + n % 12, 1 + n % 28),
            end_date=datetime.date(2027, 1 + n % 12, 1 + n % 28),
            last_date=datetime.date(2027, 1 + n % 12, 1 + n % 28),
            description="説明",
            venue_name="公民館",
            address="鹿児島市",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("size", [1, 50])
def test_the_calendar_page_reads_a_fixed_number_of_queries(
    demo, editor, calendar, django_assert_num_queries, size
) -> None:
    build_entries(demo.council, size + 1)
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    services.calendar_set_excluded(
        calendar=calendar, entry=Entry.objects.first(), excluded=True, actor=demo.officer
    )
    for sheet in SheetFormat:  # earlier print files of each sheet
        for _ in range(size):
            Job.objects.create(
                kind=ANNUAL_PDF,
                title="印刷用PDF",
                params={"calendar": calendar.pk, "sheet": sheet.value},
                started_by=demo.officer,
            )
    editor.get("/")  # the session, once
    with django_assert_num_queries(11):
        page = editor.get(f"/publications/calendars/{calendar.pk}/")
    assert page.status_code == 200
    assert page.text.count("掲載しない<span") == size


@pytest.mark.parametrize("size", [1, 50])
def test_the_draft_page_reads_a_fixed_number_of_queries(
    demo, editor, calendar, association, member_officer, django_assert_num_queries, size
) -> None:
    build_entries(demo.council, size)
    services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    build_entries(association, size)
    draft = services.calendar_take_draft(calendar=calendar, message="", actor=demo.officer)
    services.calendar_open_review(calendar=calendar, comments_until=None, actor=demo.officer)
    for n in range(size):
        services.calendar_comment_add(
            draft=draft, organisation=association, body=f"意見{n}", actor=member_officer
        )
    editor.get("/")
    with django_assert_num_queries(9):
        page = editor.get(f"/publications/calendars/{calendar.pk}/drafts/2/")
    assert page.text.count("回答を保存") == size
    assert page.text.count('<span class="tag">追加</span>') == size


@pytest.mark.parametrize("size", [1, 24])
def test_the_ads_page_reads_a_fixed_number_of_queries(
    demo, editor, calendar, django_assert_num_queries, size
) -> None:
    AdSlot.objects.bulk_create(
        AdSlot(
            calendar=calendar,
            sponsor=f"店{n}",
            column=n % 8,
            row=n // 8,
            fee=1000,
            text="広告",
            paid_on=datetime.date(2027, 1, 1) if n % 2 else None,
        )
        for n in range(size)
    )
    editor.get("/")
    with django_assert_num_queries(6):
        page = editor.get(f"/publications/calendars/{calendar.pk}/ads/")
    assert page.text.count('class="ad-band__slot"') == size
