"""The public calendar, the feeds and the officers' editor, through HTTP."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import vobject
from django.test import Client
from django.utils import timezone

from kyodo.calendar import services
from kyodo.calendar.models import Entry, EntryKind, EntryStatus, ObserverPolicy, Repeat
from kyodo.core.models import AuditEntry
from kyodo.core.services import site_url
from kyodo.directory import services as directory_services
from kyodo.directory.models import Organisation, OrganisationKind

from .conftest import values

D = datetime.date


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def editor_post(**changes) -> dict[str, str]:
    data = {key: ("" if value is None else str(value)) for key, value in values(**changes).items()}
    for key in ("start_time", "end_time"):
        data[key] = data[key][:5]
    data.setdefault("repeat_interval", "1")
    return data


def parse(ics: bytes):
    return vobject.readOne(ics.decode())


@pytest.fixture
def other_city(demo) -> Organisation:
    return Organisation.objects.get(lgcode="462039")  # 鹿屋市


def test_an_officer_posts_a_meeting_that_needs_an_application_to_observe(demo):
    """The issue's first acceptance check: the same facts in the month grid, the list of
    observable meetings and the organisation's feed."""
    officer = signed_in(demo.officer)
    response = officer.post(
        f"/calendar/manage/new/?org={demo.council.pk}",
        {**editor_post(), "organisation": demo.council.pk, "publish": "1"},
    )
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/calendar/entries/{entry.pk}/"
    assert (entry.status, entry.organisation, entry.observer_policy) == (
        EntryStatus.PUBLISHED,
        demo.council,
        ObserverPolicy.ADVANCE,
    )

    public = Client()
    grid = public.get("/calendar/", {"month": "2026-12"}).content.decode()
    assert "19:00</span> みなみ校区コミュニティ協議会 定例役員会" in grid
    assert "傍聴要事前申込" in grid
    observable = public.get(
        "/calendar/list/", {"observable": "on", "from": "2026-12-01", "to": "2026-12-31"}
    ).content.decode()
    assert "みなみ校区コミュニティ協議会 定例役員会" in observable
    assert "令和8年12月6日日曜日19時00分から20時30分" in observable

    feed = public.get("/calendar/feed.ics", {"org": demo.council.pk})
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    raw = b"".join(feed.streaming_content)
    assert b"DTSTART;TZID=Asia/Tokyo:20261206T190000\r\n" in raw
    event = parse(raw).vevent
    assert event.summary.value == "みなみ校区コミュニティ協議会 定例役員会"
    start = event.dtstart.value
    assert start.isoformat() == "2026-12-06T19:00:00+09:00"
    assert event.dtend.value.isoformat() == "2026-12-06T20:30:00+09:00"
    assert event.url.value == site_url(f"/calendar/entries/{entry.pk}/")
    assert event.categories.value == ["会議", "傍聴要事前申込"]
    assert "傍聴: 傍聴要事前申込" in event.description.value
    assert "12月3日までに事務局" in event.description.value
    assert event.uid.value == f"{entry.uid}@kyodo"

    data = public.get("/opendata/462012_event.csv")
    assert data["Content-Disposition"].endswith("462012_event.csv")
    text = b"".join(data.streaming_content).decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text))
    assert (row["イベント名"], row["開始日"], row["終了日"]) == (
        "みなみ校区コミュニティ協議会 定例役員会",
        "2026-12-06",
        "2026-12-06",
    )
    assert (row["開始時間"], row["終了時間"]) == ("19:00", "20:30")
    assert (row["場所名称"], row["方書"]) == ("みなみ地区公民館", "2階 研修室")
    assert "傍聴: 傍聴要事前申込" in row["備考"]
    assert "12月3日までに事務局" in row["備考"]


def test_the_feed_parses_and_a_recurring_entry_expands_to_its_dates_without_exceptions(
    demo, make_entry
):
    make_entry(
        kind=EntryKind.EVENT,
        observer_policy="",
        observer_how="",
        title="校区一斉清掃",
        start_time=datetime.time(8, 0),
        end_time=datetime.time(9, 0),
        repeat=Repeat.MONTHLY_WEEKDAY,
        repeat_until=D(2027, 3, 31),
        exceptions=[D(2027, 1, 3)],
    )
    calendar = parse(b"".join(Client().get("/calendar/feed.ics").streaming_content))
    starts = [moment.isoformat() for moment in calendar.vevent.getrruleset()]
    assert starts == [
        "2026-12-06T08:00:00+09:00",
        "2027-02-07T08:00:00+09:00",
        "2027-03-07T08:00:00+09:00",
    ]
    assert calendar.vtimezone.tzid.value == "Asia/Tokyo"


def test_a_multi_day_all_day_entry_is_a_date_span_and_a_cancelled_one_says_so(demo, make_entry):
    show = make_entry(
        kind=EntryKind.EVENT,
        observer_policy="",
        title="写真展",
        start_date=D(2026, 12, 26),
        end_date=D(2026, 12, 28),
        start_time=None,
        end_time=None,
    )
    services.entry_set_status(
        entry=show, status=EntryStatus.CANCELLED, reason="会場の改修工事のため", actor=None
    )
    event = parse(b"".join(Client().get("/calendar/feed.ics").streaming_content)).vevent
    assert (event.dtstart.value, event.dtend.value) == (D(2026, 12, 26), D(2026, 12, 29))
    assert event.status.value == "CANCELLED"
    assert event.summary.value == "【中止】写真展"
    assert event.sequence.value == "1"
    grid = Client().get("/calendar/", {"month": "2026-12"}).content.decode()
    # Shown on each of its three days, marked as cancelled.
    assert grid.count('<li class="day__entry day__entry--cancelled">') == 3
    page = Client().get(show.get_absolute_url()).content.decode()
    assert "この行事・イベントは中止になりました。" in page
    assert "会場の改修工事のため" in page


def test_the_month_grid_is_a_table_with_headers_and_shows_holidays(demo):
    page = Client().get("/calendar/", {"month": "2027-01"}).content.decode()
    assert "<caption>2027年1月(令和9年1月)</caption>" in page
    assert '<th scope="col" abbr="日曜日" class="sunday">日</th>' in page
    assert '<span class="day__holiday">元日</span>' in page
    assert '<span class="day__holiday">成人の日</span>' in page
    assert '<time datetime="2026-12-27">' in page  # the grid starts on Sunday


def test_drafts_are_not_public(demo, make_entry):
    draft = make_entry(publish=False, title="準備中の会議")
    assert "準備中の会議" not in Client().get("/calendar/", {"month": "2026-12"}).content.decode()
    assert b"BEGIN:VEVENT" not in b"".join(Client().get("/calendar/feed.ics").streaming_content)
    assert Client().get(draft.get_absolute_url()).status_code == 302  # to sign in
    assert signed_in(demo.resident).get(draft.get_absolute_url()).status_code == 403
    assert signed_in(demo.officer).get(draft.get_absolute_url()).status_code == 200


def test_filters_select_by_area_organisation_kind_observers_and_words(demo, make_entry, other_city):
    association = Organisation.objects.get(name="(デモ)みなみ一丁目町内会")
    make_entry(title="町内会の総会", organisation=association, observer_policy=ObserverPolicy.OPEN)
    make_entry(title="役員会(非公開)", observer_policy=ObserverPolicy.CLOSED)
    make_entry(
        kind=EntryKind.EVENT,
        observer_policy="",
        title="カノヤ夏祭り",
        organisation=directory_services.organisation_create(
            actor=None,
            kind=OrganisationKind.COMMUNITY_COUNCIL,
            name="かのや中央地区コミュニティ協議会",
            parent=other_city,
        ),
    )

    def titles(**params) -> list[str]:
        response = Client().get(
            "/calendar/list/", {"from": "2026-12-01", "to": "2026-12-31", **params}
        )
        assert response.status_code == 200
        return sorted(occurrence.entry.title for occurrence in response.context["occurrences"])

    assert titles(area=demo.kagoshima_city.pk) == ["役員会(非公開)", "町内会の総会"]
    assert titles(area=demo.council.pk) == ["役員会(非公開)", "町内会の総会"]
    assert titles(area=other_city.pk) == ["カノヤ夏祭り"]
    assert titles(org=association.pk) == ["町内会の総会"]
    assert titles(kind="event") == ["カノヤ夏祭り"]
    assert titles(observable="on") == ["町内会の総会"]
    assert titles(q="ｶﾉﾔ") == ["カノヤ夏祭り"]  # NFKC: half-width katakana match
    assert titles(q="総会 町内会") == ["町内会の総会"]
    feed = b"".join(Client().get("/calendar/feed.ics", {"observable": "on"}).streaming_content)
    assert [e.summary.value for e in parse(feed).vevent_list] == ["町内会の総会"]


def test_a_bad_filter_is_reported_and_ignored(demo, make_entry):
    make_entry()
    response = Client().get("/calendar/list/", {"org": "abc", "from": "2026-12-01"})
    assert response.status_code == 400
    assert "指定した組織はありません。" in response.content.decode()
    assert len(response.context["occurrences"]) == 1


def test_an_organisation_without_entries_can_be_chosen_from_its_page(demo):
    npo = Organisation.objects.get(name="(デモ)NPO法人みなみ地域づくりサポート")
    page = Client().get(npo.get_absolute_url()).content.decode()
    assert f'href="/calendar/?org={npo.pk}"' in page
    response = Client().get("/calendar/", {"org": npo.pk})
    assert response.status_code == 200
    assert f'<option value="{npo.pk}" selected>' in response.content.decode()


def test_the_page_offers_the_feed_of_exactly_what_it_shows(demo):
    page = Client().get("/calendar/", {"month": "2026-12", "kind": "meeting"}).content.decode()
    assert 'href="webcal://testserver/calendar/feed.ics?kind=meeting"' in page
    assert 'value="http://testserver/calendar/feed.ics?kind=meeting"' in page


def test_bad_input_in_the_editor_is_refused_and_nothing_is_saved(demo):
    response = signed_in(demo.officer).post(
        "/calendar/manage/new/",
        {
            **editor_post(end_time="18:00", repeat=Repeat.WEEKLY, repeat_until="2027-01-31"),
            "organisation": demo.council.pk,
            "exceptions": "2027-01-05\n1月3日",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "何も保存されていません" in page
    assert "2行目「1月3日」は日付として読めません" in page
    assert not Entry.objects.exists()
    response = signed_in(demo.officer).post(
        "/calendar/manage/new/",
        {**editor_post(end_time="18:00"), "organisation": demo.council.pk},
    )
    assert "終了時間は開始時間より後にしてください。" in response.content.decode()
    assert not Entry.objects.exists()


def test_an_event_drops_meeting_only_fields(demo):
    signed_in(demo.officer).post(
        "/calendar/manage/new/",
        {**editor_post(kind=EntryKind.EVENT), "organisation": demo.council.pk},
    )
    entry = Entry.objects.get()
    assert (entry.kind, entry.observer_policy, entry.agenda, entry.status) == (
        "event",
        "",
        "",
        EntryStatus.DRAFT,
    )


def test_officers_manage_only_their_own_organisations_entries(demo, make_entry):
    npo = Organisation.objects.get(name="(デモ)NPO法人みなみ地域づくりサポート")
    theirs = make_entry(organisation=npo, title="NPOの会議")
    officer = signed_in(demo.officer)
    assert officer.get(f"/calendar/entries/{theirs.pk}/edit/").status_code == 403
    assert (
        officer.post(
            f"/calendar/entries/{theirs.pk}/status/", {"status": "cancelled", "reason": "x"}
        ).status_code
        == 403
    )
    response = officer.post("/calendar/manage/new/", {**editor_post(), "organisation": npo.pk})
    assert response.status_code == 400  # not among the organisations offered
    assert Entry.objects.count() == 1
    assert signed_in(demo.resident).get("/calendar/manage/").status_code == 403
    assert Client().get("/calendar/manage/").status_code == 302


def test_status_changes_through_the_entry_page(demo, make_entry):
    entry = make_entry()
    officer = signed_in(demo.officer)
    response = officer.post(f"/calendar/entries/{entry.pk}/status/", {"status": "cancelled"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED
    officer.post(
        f"/calendar/entries/{entry.pk}/status/", {"status": "cancelled", "reason": "雨天のため"}
    )
    entry.refresh_from_db()
    assert (entry.status, entry.cancel_reason) == (EntryStatus.CANCELLED, "雨天のため")
    assert (
        AuditEntry.objects.filter(action="calendar.entry_status", object_id=str(entry.pk)).count()
        == 1
    )
    assert officer.post(f"/calendar/entries/{entry.pk}/delete/").status_code == 302
    assert Entry.objects.filter(pk=entry.pk).exists()  # published once: never deleted


def test_editing_keeps_the_exceptions_and_shows_the_next_dates(demo, make_entry):
    entry = make_entry(
        repeat=Repeat.MONTHLY_WEEKDAY, repeat_until=D(2027, 3, 31), exceptions=[D(2027, 1, 3)]
    )
    officer = signed_in(demo.officer)
    form = officer.get(f"/calendar/entries/{entry.pk}/edit/").content.decode()
    assert "2027-01-03</textarea>" in form
    page = Client().get(entry.get_absolute_url()).content.decode()
    assert "毎月第1日曜日(令和9年3月31日まで) 19:00から20:30まで" in page


def test_an_unchanged_feed_answers_not_modified_and_a_change_gives_a_new_version(demo, make_entry):
    entry = make_entry()
    first = Client().get("/calendar/feed.ics")
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = Client().get("/calendar/feed.ics", headers={"if-none-match": etag})
    assert again.status_code == 304
    services.entry_set_status(entry=entry, status=EntryStatus.DRAFT, actor=None)
    changed = Client().get("/calendar/feed.ics", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_stored_vevent_is_rendered_again_when_its_organisation_or_the_site_changes(
    demo, make_entry, settings
):
    entry = make_entry()
    assert entry.ical.startswith("BEGIN:VEVENT")

    def description() -> str:
        feed = b"".join(Client().get("/calendar/feed.ics").streaming_content)
        return parse(feed).vevent.description.value

    assert "主催: (デモ)みなみ校区コミュニティ協議会" in description()
    directory_services.organisation_update(
        organisation=demo.council, actor=None, values={"name": "みなみ校区まちづくり協議会"}
    )
    assert "主催: みなみ校区まちづくり協議会" in description()
    settings.SITE_URL = "https://kyodo.example.jp"
    assert f"https://kyodo.example.jp/calendar/entries/{entry.pk}/" in description()


def test_withdrawing_an_entry_moves_the_feeds_last_modified(demo, make_entry):
    first = make_entry()
    make_entry(title="もう一つの会議")
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Entry.objects.update(updated_at=an_hour_ago)
    Organisation.objects.update(updated_at=an_hour_ago)
    before = Client().get("/calendar/feed.ics")
    services.entry_set_status(entry=first, status=EntryStatus.DRAFT, actor=None)
    since = Client().get(
        "/calendar/feed.ics", headers={"if-modified-since": before["Last-Modified"]}
    )
    assert since.status_code == 200
    feed = parse(b"".join(since.streaming_content))
    assert [event.summary.value for event in feed.vevent_list] == ["もう一つの会議"]


def test_a_feed_whose_filter_no_longer_applies_is_refused_not_widened(demo, make_entry):
    make_entry()
    response = Client().get("/calendar/feed.ics", {"org": 999999})
    assert response.status_code == 400
    assert "指定した組織はありません。" in response.content.decode()


def test_the_secretariat_posts_for_the_networks_members_on_the_web_as_in_the_api(demo):
    page = signed_in(demo.secretary).get("/calendar/manage/new/").content.decode()
    assert f'<option value="{demo.kagoshima_city.pk}">' in page
    assert f'<option value="{demo.council.pk}">' not in page  # not a network member
