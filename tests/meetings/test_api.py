"""The JSON API: a secretariat enters meetings in bulk; export and re-import lose nothing."""

import copy
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kyodo.core.models import ApiToken
from kyodo.core.services import api_token_create
from kyodo.meetings.models import Meeting
from tests.meetings.test_results import THREE_ROLE_RECORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary_token(demo) -> str:
    _token, key = api_token_create(user=demo.secretary, name="過去の会議の入力", actor=demo.admin)
    return key


def post(client: Client, url: str, record: dict, token: str | None = None, method: str = "post"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return getattr(client, method)(
        url, json.dumps(record), content_type="application/json", headers=headers
    )


def test_openapi_description_is_served(client: Client) -> None:
    spec = client.get("/api/openapi.json").json()
    assert spec["info"]["title"] == "kyodo API"
    assert {"/api/networks/{slug}/meetings", "/api/meetings/{meeting_id}"} <= set(spec["paths"])
    assert "post" in spec["paths"]["/api/networks/{slug}/meetings"]
    assert "put" in spec["paths"]["/api/meetings/{meeting_id}"]


def test_posted_meeting_is_shown_in_order_and_round_trips(
    client: Client, demo, secretary_token
) -> None:
    response = post(client, "/api/networks/kagoshima/meetings", THREE_ROLE_RECORD, secretary_token)
    assert response.status_code == 201, response.content
    created = response.json()
    meeting = Meeting.objects.get(pk=created["id"])
    assert (
        created["display_title"] == "令和3年度共生・協働推進かごしま自治体ネットワーク第1回研修会"
    )
    assert [p["role"] for p in created["people"]] == ["コーディネーター", "講師", "事例発表者"]

    # Published, the record becomes the results page, with everything in order.
    client.force_login(demo.secretary)
    client.post(f"/meetings/{meeting.pk}/publish/")
    client.logout()
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    labels = re.findall(r'<span class="outline__label">([^<]+)</span>', html)
    assert labels == ["1.", "2.", "(1)", "ア", "イ", "(2)", "3."]
    assert "鹿児島県庁、各地域振興局・支庁(Web開催)" in html
    assert "※1 コミュニティ・プラットフォーム" in html

    # Export, re-import as another meeting, export again: identical but for identity.
    exported = client.get(
        f"/api/meetings/{meeting.pk}", headers={"Authorization": f"Bearer {secretary_token}"}
    ).json()
    again = copy.deepcopy(exported)
    again["ordinal"] = 2
    again["status"] = "held"  # publishing is an act of its own, not part of a record
    for key in ("id", "network", "display_title"):
        again.pop(key)
    twin = post(client, "/api/networks/kagoshima/meetings", again, secretary_token).json()
    for record in (exported, twin):
        for key in ("id", "ordinal", "display_title", "status"):
            record.pop(key)
    assert twin == exported


def test_replacing_a_meeting_updates_it_as_a_whole(client: Client, demo, secretary_token) -> None:
    created = post(client, "/api/networks/kagoshima/meetings", THREE_ROLE_RECORD, secretary_token)
    record = {**THREE_ROLE_RECORD, "theme": "新しいテーマ", "footnotes": []}
    response = post(
        client, f"/api/meetings/{created.json()['id']}", record, secretary_token, method="put"
    )
    assert response.status_code == 200
    assert response.json()["theme"] == "新しいテーマ"
    assert response.json()["footnotes"] == []


def test_invalid_record_is_refused_with_every_problem_and_nothing_saved(
    client: Client, demo, secretary_token
) -> None:
    record = copy.deepcopy(THREE_ROLE_RECORD)
    record["venues"][1]["join_url"] = "not a url"
    record["ends_at"] = "2021-07-08T10:00:00+09:00"
    response = post(client, "/api/networks/kagoshima/meetings", record, secretary_token)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "venues[1].join_url" in errors
    # Reported once, at the field, though the database holds the same rule as a constraint.
    assert errors["ends_at"] == ["終了日時は開始日時より後にしてください。"]
    assert "終了日時は開始日時より後にしてください。" not in errors.get("", [])
    assert not Meeting.objects.exists()


def test_only_the_secretariat_writes(client: Client, demo) -> None:
    _token, staff_key = api_token_create(user=demo.staff, name="x", actor=demo.admin)
    response = post(client, "/api/networks/kagoshima/meetings", THREE_ROLE_RECORD, staff_key)
    assert response.status_code == 403
    assert post(client, "/api/networks/kagoshima/meetings", THREE_ROLE_RECORD).status_code == 401
    assert (
        post(
            client, "/api/networks/kagoshima/meetings", THREE_ROLE_RECORD, "kyodo_wrong"
        ).status_code
        == 401
    )
    assert not Meeting.objects.exists()


def test_readers_see_only_what_they_may_and_never_the_join_url(
    client: Client, demo, open_meeting
) -> None:
    public = client.get("/api/networks/kagoshima/meetings").json()
    assert [m["ordinal"] for m in public] == [3]  # only the published one
    assert all(v["join_url"] == "" for m in public for v in m["venues"])
    assert client.get(f"/api/meetings/{open_meeting.pk}").status_code == 403
    client.force_login(demo.staff)  # a member's staff sees the open meeting, not its URL
    record = client.get(f"/api/meetings/{open_meeting.pk}").json()
    assert [v["join_url"] for v in record["venues"]] == ["", ""]
    client.force_login(demo.secretary)
    record = client.get(f"/api/meetings/{open_meeting.pk}").json()
    assert "https://meet.kyodo.example/j/2026-1" in [v["join_url"] for v in record["venues"]]


def test_token_command_prints_a_key_that_works_once_stored_only_as_a_hash(
    client: Client, demo
) -> None:
    out = io.StringIO()
    call_command("create_api_token", "secretariat@kyodo.example", "一括入力", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("kyodo_")
    assert not ApiToken.objects.filter(key_hash=key).exists()
    response = post(client, "/api/networks/kagoshima/meetings", THREE_ROLE_RECORD, key)
    assert response.status_code == 201
    assert ApiToken.objects.get().last_used_at is not None
    with pytest.raises(CommandError, match="登録されていません"):
        call_command("create_api_token", "nobody@kyodo.example", "x")
