"""The calendar's JSON API: the public calendar with the page's filters, and the officers'
writes through the services, refused in Japanese by field."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from kyodo.calendar import services
from kyodo.calendar.models import Entry, EntryKind, EntryStatus, ObserverPolicy, Repeat
from kyodo.core.models import AuditEntry
from kyodo.core.services import api_token_create
from kyodo.directory import services as directory
from kyodo.directory.models import MembershipRole, Organisation

from .conftest import values

pytestmark = pytest.mark.django_db

D = datetime.date
ENTRIES = "/api/calendar/entries"
MISSING = "(missing)"


def body(**changes: Any) -> dict[str, Any]:
    """The conftest's meeting as the API takes it."""
    record = json.loads(json.dumps(values(**changes), default=str))
    record.setdefault("exceptions", [])
    return record


def send(
    client: Client, url: str, data: Any, token: str | None = None, method: str = "post"
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return getattr(client, method)(
        url, json.dumps(data, default=str), content_type="application/json", headers=headers
    )


def token_for(user: Any, admin: Any) -> str:
    _token, key = api_token_create(user=user, name="行事の一括登録", actor=admin)
    return key


@pytest.fixture
def officer_token(demo) -> str:
    return token_for(demo.officer, demo.admin)


@pytest.fixture
def npo_officer_token(demo) -> str:
    """An officer of another organisation of the same city."""
    npo = Organisation.objects.get(name="(デモ)NPO法人みなみ地域づくりサポート")
    user = directory.user_create(
        actor=demo.admin, email="npo@kyodo.example", name="南 花子", password="x"
    )
    person = directory.person_create(
        actor=demo.admin, family_name="南", given_name="花子", user=user
    )
    directory.membership_create(
        actor=demo.admin,
        person=person,
        organisation=npo,
        role=MembershipRole.OFFICER,
        title="理事長",
        starts_on=D(2020, 4, 1),
    )
    assert user.has_perm("calendar.post_entry", npo)
    return token_for(user, demo.admin)


def titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


# --- The description --------------------------------------------------------------------------


def test_openapi_lists_the_calendar_and_documents_every_field_in_japanese(client: Client) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "カレンダー" in spec["info"]["description"]
    paths = spec["paths"]
    assert set(paths[ENTRIES]) == {"get", "post"}
    assert set(paths[f"{ENTRIES}/{{entry_id}}"]) == {"get", "put"}
    assert set(paths[f"{ENTRIES}/{{entry_id}}/status"]) == {"post"}
    schemas = spec["components"]["schemas"]
    for name in ("EntryCreateIn", "EntryIn", "EntryOut", "StatusIn", "OccurrenceOut", "EntryPage"):
        undocumented = [
            field
            for field, schema in schemas[name]["properties"].items()
            if not schema.get("description")
        ]
        assert undocumented == [], name
    for parameter in paths[ENTRIES]["get"]["parameters"]:
        assert parameter["description"], parameter["name"]
    fields = schemas["EntryIn"]["properties"]
    assert fields["observer_policy"]["enum"] == ["", *ObserverPolicy.values]
    assert all(
        str(label) in fields["observer_policy"]["description"] for label in ObserverPolicy.labels
    )
    assert fields["repeat"]["enum"] == Repeat.values
    assert fields["kind"]["enum"] == EntryKind.values
    assert schemas["EntryOut"]["properties"]["status"]["enum"] == EntryStatus.values
    assert fields["exceptions"] == {
        "description": fields["exceptions"]["description"],
        "items": {"format": "date", "type": "string"},
        "maxItems": 100,
        "title": "Exceptions",
        "type": "array",
    }
    assert {"title", "start_date", "venue_name"} <= set(schemas["EntryIn"]["required"])
    assert "organisation" in schemas["EntryCreateIn"]["required"]


# --- Reading ----------------------------------------------------------------------------------


def test_anonymous_readers_get_published_and_cancelled_entries_only(
    client: Client, demo, make_entry
) -> None:
    make_entry(title="下書きの会議", publish=False)
    published = make_entry(title="定例役員会", start_date=D(2026, 12, 6), end_date=D(2026, 12, 6))
    cancelled = make_entry(
        kind=EntryKind.EVENT,
        observer_policy="",
        title="もちつき大会",
        start_date=D(2026, 12, 27),
        end_date=D(2026, 12, 27),
        start_time=None,
        end_time=None,
    )
    services.entry_set_status(
        entry=cancelled, status=EntryStatus.CANCELLED, reason="雨天のため", actor=demo.officer
    )
    assert titles(client.get(ENTRIES)) == ["定例役員会", "もちつき大会"]

    record = client.get(f"{ENTRIES}/{published.pk}").json()
    assert record["url"] == f"http://testserver/calendar/entries/{published.pk}/"
    assert record["ics"] == f"http://testserver/calendar/entries/{published.pk}/entry.ics"
    assert (record["status"], record["status_label"]) == ("published", "公開中")
    assert (record["observer_policy"], record["observer_policy_label"]) == (
        "advance",
        "傍聴要事前申込",
    )
    assert (record["organisation"], record["organisation_name"]) == (
        demo.council.pk,
        "(デモ)みなみ校区コミュニティ協議会",
    )
    assert (record["start_time"], record["recurrence"]) == ("19:00:00", "")
    gone = client.get(f"{ENTRIES}/{cancelled.pk}").json()
    assert (gone["status_label"], gone["cancel_reason"]) == ("中止", "雨天のため")
    assert gone["observer_policy_label"] == ""


def test_drafts_are_read_only_by_those_who_may_change_them(
    client: Client, demo, make_entry, officer_token, npo_officer_token
) -> None:
    draft = make_entry(publish=False)
    url = f"{ENTRIES}/{draft.pk}"
    assert client.get(url).status_code == 404
    assert client.get(
        url, headers={"Authorization": f"Bearer {npo_officer_token}"}
    ).status_code == (404)
    client.force_login(demo.resident)
    assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url, headers={"Authorization": f"Bearer {officer_token}"})
    assert response.json()["status"] == "draft"
    assert titles(client.get(ENTRIES, headers={"Authorization": f"Bearer {officer_token}"})) == []
    assert client.get(f"{ENTRIES}/999999").status_code == 404


def test_filters_are_the_calendar_pages(client: Client, demo, make_entry) -> None:
    other_city = Organisation.objects.get(lgcode="462039")  # 鹿屋市
    make_entry(title="定例役員会")  # a meeting of the council, by application
    make_entry(title="市議会 本会議", organisation=other_city, observer_policy=ObserverPolicy.OPEN)
    make_entry(title="非公開の理事会", observer_policy=ObserverPolicy.CLOSED)
    make_entry(
        title="校区運動会",
        kind=EntryKind.EVENT,
        observer_policy="",
        description="ミニ運動会と豚汁の炊き出し",
        start_date=D(2026, 10, 11),
        end_date=D(2026, 10, 11),
    )
    city = demo.kagoshima_city.pk
    assert titles(client.get(ENTRIES, {"area": city})) == [
        "校区運動会",
        "定例役員会",
        "非公開の理事会",
    ]
    assert titles(client.get(ENTRIES, {"area": demo.council.pk, "kind": "event"})) == ["校区運動会"]
    assert titles(client.get(ENTRIES, {"org": other_city.pk})) == ["市議会 本会議"]
    assert titles(client.get(ENTRIES, {"observable": "true", "area": city})) == ["定例役員会"]
    assert titles(client.get(ENTRIES, {"q": "豚汁 運動会"})) == ["校区運動会"]
    # The page's form sends its empty choices too.
    empty = {"area": "", "org": "", "kind": "", "q": "", "from": "", "to": ""}
    assert len(titles(client.get(ENTRIES, empty))) == 4

    refused = client.get(ENTRIES, {"area": 999999, "from": "2026-12-01"})
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "area": [
            "地域には市町村またはコミュニティ協議会を指定してください(指定の地域はありません)。"
        ],
        "to": ["期間は from と to を両方指定してください。"],
    }
    too_long = client.get(ENTRIES, {"from": "2026-01-01", "to": "2027-01-02"})
    assert too_long.json()["errors"] == {"to": ["期間は366日以内にしてください。"]}
    unreadable = client.get(ENTRIES, {"from": "2026-12-32", "to": "2027-01-01", "limit": 501})
    assert unreadable.status_code == 422
    assert unreadable.json()["errors"] == {
        "from": ["日付は YYYY-MM-DD の形で入力してください(例: 2026-12-06)。"],
        "limit": ["500以下にしてください。"],
    }


def test_a_period_gives_each_occurrence_without_the_exceptions(
    client: Client, demo, make_entry
) -> None:
    make_entry(
        title="子ども食堂",
        kind=EntryKind.EVENT,
        observer_policy="",
        start_date=D(2026, 12, 2),
        end_date=D(2026, 12, 2),
        repeat=Repeat.WEEKLY,
        repeat_until=D(2027, 3, 31),
        exceptions=[D(2026, 12, 30)],
    )
    make_entry(title="定例役員会")
    make_entry(
        title="作品展",
        kind=EntryKind.EVENT,
        observer_policy="",
        start_date=D(2026, 11, 28),
        end_date=D(2026, 12, 3),
        start_time=None,
        end_time=None,
    )
    response = client.get(ENTRIES, {"from": "2026-12-01", "to": "2026-12-31"})
    items = response.json()["items"]
    assert [(item["title"], item["occurrence"]["start_date"]) for item in items] == [
        ("作品展", "2026-11-28"),
        ("子ども食堂", "2026-12-02"),
        ("定例役員会", "2026-12-06"),
        ("子ども食堂", "2026-12-09"),
        ("子ども食堂", "2026-12-16"),
        ("子ども食堂", "2026-12-23"),
    ]
    assert items[0]["occurrence"]["end_date"] == "2026-12-03"
    meal = items[1]
    assert meal["recurrence"] == "毎週水曜日(令和9年3月31日まで)"
    assert meal["exceptions"] == ["2026-12-30"]
    assert response.json()["count"] == 6


def test_pages_follow_one_another_in_a_stable_order(client: Client, demo, make_entry) -> None:
    for day in (6, 6, 6, 3, 9):
        make_entry(title=f"会議{day}", start_date=D(2026, 12, day), end_date=D(2026, 12, day))
    every = client.get(ENTRIES).json()["items"]
    seen: list[int] = []
    url: str | None = f"{ENTRIES}?limit=2&kind="
    while url:
        page = client.get(url).json()
        assert page["count"] == 5
        seen += [item["id"] for item in page["items"]]
        url = page["next"]
    assert seen == [item["id"] for item in every]
    assert [item["start_date"] for item in every] == sorted(item["start_date"] for item in every)


# --- Writing ----------------------------------------------------------------------------------


def test_an_officer_creates_updates_publishes_and_cancels_the_councils_entry(
    client: Client, demo, officer_token
) -> None:
    weekly = body(
        kind=EntryKind.EVENT,
        observer_policy="",
        title="ラジオ体操",
        start_date=D(2026, 12, 5),
        end_date=D(2026, 12, 5),
        start_time="06:30",
        end_time="07:00",
        repeat=Repeat.WEEKLY,
        repeat_until=D(2027, 2, 27),
    )
    weekly |= {"organisation": demo.council.pk, "exceptions": ["2027-01-02"]}
    created = send(client, ENTRIES, weekly, officer_token)
    assert created.status_code == 201, created.content
    record = created.json()
    assert (record["status"], record["exceptions"]) == ("draft", ["2027-01-02"])
    assert record["recurrence"] == "毎週土曜日(令和9年2月27日まで)"
    entry_url = f"{ENTRIES}/{record['id']}"
    assert client.get(entry_url).status_code == 404  # a draft, for the public

    replaced = send(
        client,
        entry_url,
        {
            **record,
            "venue_name": "みなみ公園",
            "exceptions": [],
            "external_url": "https://x.example/",
        },
        officer_token,
        method="put",
    )
    assert replaced.status_code == 200, replaced.content
    entry = Entry.objects.get()
    assert (entry.venue_name, entry.url, entry.exceptions.count()) == (
        "みなみ公園",
        "https://x.example/",
        0,
    )

    status_url = f"{entry_url}/status"
    assert send(client, status_url, {"status": "published"}, officer_token).status_code == 200
    refused = send(client, status_url, {"status": "cancelled"}, officer_token)
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "reason": ["中止の理由を入力してください(例: 雨天のため)。"]
    }
    cancelled = send(
        client, status_url, {"status": "cancelled", "reason": "猛暑のため"}, officer_token
    )
    assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == (
        "cancelled",
        "猛暑のため",
    )
    assert client.get(entry_url).json()["status_label"] == "中止"
    assert list(
        AuditEntry.objects.filter(action__startswith="calendar.", object_id=str(entry.pk))
        .order_by("pk")
        .values_list("action", "actor")
    ) == [
        ("calendar.entry_create", demo.officer.pk),
        ("calendar.entry_update", demo.officer.pk),
        ("calendar.entry_status", demo.officer.pk),
        ("calendar.entry_status", demo.officer.pk),
    ]


def test_a_record_read_can_be_put_back_unchanged(client: Client, make_entry, officer_token) -> None:
    entry = make_entry(
        repeat=Repeat.MONTHLY_WEEKDAY,
        repeat_until=D(2027, 3, 31),
        exceptions=[D(2027, 1, 3)],
        latitude="31.596600",
        longitude="130.557100",
        fee_amount=0,
    )
    url = f"{ENTRIES}/{entry.pk}"
    before = client.get(url).json()
    after = send(client, url, before, officer_token, method="put").json()
    assert {**after, "updated_at": None} == {**before, "updated_at": None}
    entry.refresh_from_db()
    assert entry.sequence == 0  # nothing changed, so calendar applications keep their copy


def test_other_organisations_residents_and_anonymous_callers_are_refused(
    client: Client, demo, make_entry, npo_officer_token
) -> None:
    entry = make_entry()
    draft = make_entry(publish=False, title="下書き")
    new = body() | {"organisation": demo.council.pk}
    refused = send(client, ENTRIES, new, npo_officer_token)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "この組織の行事・会議を登録する権限がありません。"
    put = send(client, f"{ENTRIES}/{entry.pk}", body(title="乗っ取り"), npo_officer_token, "put")
    assert put.status_code == 403
    assert (
        send(client, f"{ENTRIES}/{draft.pk}", body(), npo_officer_token, "put").status_code == 404
    )
    status = {"status": "cancelled", "reason": "x"}
    assert send(client, f"{ENTRIES}/{entry.pk}/status", status, npo_officer_token).status_code == (
        403
    )
    client.force_login(demo.resident)
    assert send(client, ENTRIES, new).status_code == 403
    assert send(client, f"{ENTRIES}/{entry.pk}/status", status).status_code == 403
    client.logout()
    assert send(client, ENTRIES, new).status_code == 401
    assert send(client, f"{ENTRIES}/{entry.pk}", body(), "kyodo_wrong", "put").status_code == 401
    entry.refresh_from_db()
    assert (entry.title, entry.status, Entry.objects.count()) == (
        "みなみ校区コミュニティ協議会 定例役員会",
        "published",
        2,
    )


@pytest.mark.parametrize(
    ("changes", "status", "field", "message"),
    [
        (
            {"start_date": "2026-02-30"},
            422,
            "start_date",
            "日付は YYYY-MM-DD の形で入力してください(例: 2026-12-06)。",
        ),
        ({"title": MISSING}, 422, "title", "このフィールドは必須です。"),
        ({"title": ""}, 400, "title", "このフィールドは空ではいけません。"),
        (
            {"observer_policy": ""},
            400,
            "__all__",
            "会議には傍聴の可否を選んでください(行事には不要です)。",
        ),
        (
            {"observer_policy": "maybe"},
            422,
            "observer_policy",
            "次のいずれかを指定してください: '', 'open', 'closed', 'advance'",
        ),
        (
            {"exceptions": ["2026-12-13"]},
            400,
            "exceptions",
            "休止日は繰り返す行事にだけ設定できます。",
        ),
        (
            {"exceptions": ["2026-12-06", "12月13日"]},
            422,
            "exceptions[1]",
            "日付は YYYY-MM-DD の形で入力してください(例: 2026-12-06)。",
        ),
        ({"organisation": 999999}, 400, "organisation", "指定した組織はありません。"),
    ],
)
def test_bad_input_is_refused_in_japanese_by_field_and_nothing_is_stored(
    client: Client, demo, officer_token, changes, status, field, message
) -> None:
    record = body() | {"organisation": demo.council.pk} | changes
    record = {name: value for name, value in record.items() if value != MISSING}
    response = send(client, ENTRIES, record, officer_token)
    assert response.status_code == status
    assert message in response.json()["errors"][field]
    assert not Entry.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="calendar.").exists()


# --- Cost -------------------------------------------------------------------------------------


@pytest.fixture
def calendar_of(demo, make_entry):
    """``count`` published entries of the council in December 2026, every third one weekly
    with an exception date, and one draft."""

    def make(count: int) -> None:
        make_entry(publish=False, title="下書き")
        for number in range(count):
            day = D(2026, 12, 1 + number % 28)
            weekly = number % 3 == 0
            make_entry(
                title=f"行事{number}",
                start_date=day,
                end_date=day,
                repeat=Repeat.WEEKLY if weekly else "",
                repeat_until=D(2027, 1, 31) if weekly else None,
                exceptions=[day + datetime.timedelta(days=7)] if weekly else [],
            )

    return make


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ("", 3),  # count, rows, exception dates
        ("?from=2026-12-01&to=2026-12-31", 2),  # rows, exception dates
        # and the area and the organisation named, and the organisation tree under the area
        ("?area={city}&org={council}&kind=meeting&q=行事", 6),
        ("?area={city}&from=2026-12-01&to=2027-01-31&observable=1", 4),
    ],
)
def test_listing_costs_the_same_queries_for_1_and_50_entries(
    client: Client, demo, calendar_of, django_assert_num_queries, count, query, queries
) -> None:
    calendar_of(count)
    url = ENTRIES + query.format(city=demo.kagoshima_city.pk, council=demo.council.pk)
    with django_assert_num_queries(queries):
        response = client.get(url + ("&" if "?" in url else "?") + "limit=500")
    assert response.status_code == 200
    assert response.json()["count"] >= count
    assert len({item["organisation_name"] for item in response.json()["items"]}) == 1


@pytest.mark.parametrize("count", [1, 50])
def test_reading_an_entry_costs_two_queries(
    client: Client, demo, calendar_of, django_assert_num_queries, count
) -> None:
    calendar_of(count)
    entry = Entry.objects.filter(status=EntryStatus.PUBLISHED).order_by("pk").first()
    assert entry is not None
    with django_assert_num_queries(2):  # the entry with its organisation, its exceptions
        assert client.get(f"{ENTRIES}/{entry.pk}").status_code == 200


def test_an_offset_beyond_any_list_is_refused_in_japanese(client, demo):
    response = client.get(ENTRIES, {"offset": 10**20})
    assert response.status_code == 422
    assert response.json()["errors"] == {"offset": ["1000000000以下にしてください。"]}
