"""The secretariat enters and edits a meeting's whole record in the browser, with one page."""

from __future__ import annotations

import copy
import re

import pytest
from django.test import Client

from kyodo.core.models import AuditEntry
from kyodo.meetings import queries, services
from kyodo.meetings.models import Meeting
from tests.htmlforms import form_fields
from tests.meetings.test_results import THREE_ROLE_RECORD

pytestmark = pytest.mark.django_db


def editor_fields(client: Client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    return form_fields(response.content.decode(), "record-form")


def comparable(meeting: Meeting) -> dict:
    record = queries.meeting_record(meeting)
    for key in ("id", "display_title"):
        record.pop(key)
    return record


def test_saving_the_edit_page_unchanged_keeps_the_record_identical(client: Client, demo) -> None:
    meeting = services.meeting_save_record(
        network=demo.network, record=THREE_ROLE_RECORD, actor=demo.secretary
    )
    before = comparable(meeting)
    client.force_login(demo.secretary)
    fields = editor_fields(client, f"/meetings/{meeting.pk}/edit/")
    # Every row of the record is on the page, the programme flattened with its depth.
    assert fields["programme-TOTAL_FORMS"] == str(7 + 3)
    assert [fields[f"programme-{i}-level"] for i in range(7)] == list("1123321")
    response = client.post(f"/meetings/{meeting.pk}/edit/", fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert comparable(meeting) == before


def test_new_meeting_is_entered_with_rows_and_nested_programme(client: Client, demo) -> None:
    client.force_login(demo.secretary)
    fields = editor_fields(client, "/networks/kagoshima/meetings/new/?fiscal_year=2027")
    assert fields["meeting-fiscal_year"] == "2027"
    assert fields["meeting-ordinal"] == "1"
    assert fields["meeting-kind"] == "会議"
    fields.update(
        {
            "meeting-starts_at": "2027-06-10T13:30",
            "meeting-ends_at": "2027-06-10T16:00",
            "meeting-theme": "地域運営組織の担い手づくり",
            "venues-0-kind": "online",
            "venues-0-online_tool": "Zoom",
            "venues-0-join_url": "https://meet.kyodo.example/j/2027-1",
            "people-0-role": "講師",
            "people-0-name": "協働花子",
            "people-0-affiliation": "NPO法人まちづくり支援センター",
            "people-1-role": "事例発表者",
            "people-1-affiliation": "霧島市職員",
            "people-1-organisation": str(demo.network.members.get(lgcode="462187").pk),
            "programme-0-level": "1",
            "programme-0-title": "講演",
            "programme-1-level": "1",
            "programme-1-title": "分科会",
            "programme-2-level": "2",
            "programme-2-title": "フェーズ1・2",
            "programme-2-is_breakout": "on",
            "footnotes-0-number": "1",
            "footnotes-0-term": "担い手",
            "footnotes-0-text": "地域の活動を支える人。",
        }
    )
    response = client.post("/networks/kagoshima/meetings/new/", fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(network=demo.network, fiscal_year=2027)
    record = queries.meeting_record(meeting)
    assert record["display_title"] == "令和9年度共生・協働推進かごしま自治体ネットワーク第1回会議"
    assert record["status"] == "draft"
    assert record["venues"] == [
        {
            "kind": "online",
            "name": "",
            "address": "",
            "online_tool": "Zoom",
            "join_url": "https://meet.kyodo.example/j/2027-1",
        }
    ]
    assert [(p["role"], p["name"], p["affiliation"]) for p in record["people"]] == [
        ("講師", "協働花子", "NPO法人まちづくり支援センター"),
        ("事例発表者", "", "霧島市職員"),
    ]
    assert record["people"][1]["organisation"] == int(fields["people-1-organisation"])
    assert record["programme"] == [
        {"title": "講演", "is_breakout": False, "note": "", "children": []},
        {
            "title": "分科会",
            "is_breakout": False,
            "note": "",
            "children": [
                {"title": "フェーズ1・2", "is_breakout": True, "note": "", "children": []}
            ],
        },
    ]
    assert record["footnotes"] == [
        {"number": 1, "term": "担い手", "text": "地域の活動を支える人。"}
    ]
    assert AuditEntry.objects.filter(action="meeting.create", object_id=str(meeting.pk)).exists()
    # The preview shows the programme with its official numbering.
    html = client.get(meeting.get_absolute_url()).content.decode()
    labels = re.findall(r'<span class="outline__label">([^<]+)</span>', html)
    assert labels == ["1.", "2.", "(1)"]


def test_rows_are_reordered_and_deleted(client: Client, demo) -> None:
    meeting = services.meeting_save_record(
        network=demo.network, record=THREE_ROLE_RECORD, actor=demo.secretary
    )
    client.force_login(demo.secretary)
    fields = editor_fields(client, f"/meetings/{meeting.pk}/edit/")
    fields["people-0-ORDER"] = "9"  # the coordinator goes last
    fields["people-1-DELETE"] = "on"  # the lecturer is removed
    fields["venues-1-DELETE"] = "on"
    response = client.post(f"/meetings/{meeting.pk}/edit/", fields)
    assert response.status_code == 302
    record = queries.meeting_record(meeting)
    assert [p["role"] for p in record["people"]] == ["事例発表者", "コーディネーター"]
    assert [v["kind"] for v in record["venues"]] == ["physical"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"programme-0-level": "2"},
            "最初の項目は1段目にしてください。",
        ),
        (
            {"programme-2-level": "4"},
            "前の項目より2段以上深くしないでください",
        ),
        (
            {"meeting-fiscal_year": "2022"},
            "開始日時は令和3年度です。",
        ),
        (
            {"venues-0-online_tool": "Zoom"},
            "会議ツールと参加用URLはオンラインの会場にだけ設定できます。",
        ),
        (
            {"people-2-affiliation": ""},
            "氏名か所属・肩書のどちらかを入力してください。",
        ),
        (
            {"meeting-ends_at": "2021-07-08T09:00"},
            "終了日時は開始日時より後にしてください。",
        ),
        (
            {"footnotes-1-number": "1", "footnotes-1-term": "重複", "footnotes-1-text": "説明"},
            "注釈の番号が重複しています。",
        ),
        (
            {"meeting-starts_at": "明日の午後"},
            "日時を正しく入力してください。",
        ),
    ],
)
def test_bad_record_is_refused_with_a_message_and_nothing_changes(
    client: Client, demo, change: dict[str, str], message: str
) -> None:
    meeting = services.meeting_save_record(
        network=demo.network, record=THREE_ROLE_RECORD, actor=demo.secretary
    )
    before = comparable(meeting)
    audit_entries = AuditEntry.objects.count()
    client.force_login(demo.secretary)
    fields = editor_fields(client, f"/meetings/{meeting.pk}/edit/")
    fields["meeting-theme"] = "保存されてはいけない変更"
    fields.update(change)
    response = client.post(f"/meetings/{meeting.pk}/edit/", fields)
    html = response.content.decode()
    assert response.status_code == 400
    assert "何も保存されていません" in html
    assert message in html
    # The field stays as typed, so nothing entered is lost.
    assert "保存されてはいけない変更" in html
    meeting.refresh_from_db()
    assert comparable(meeting) == before
    assert AuditEntry.objects.count() == audit_entries


def test_duplicate_ordinal_is_reported_at_the_field(client: Client, demo) -> None:
    services.meeting_save_record(network=demo.network, record=THREE_ROLE_RECORD, actor=demo.admin)
    client.force_login(demo.secretary)
    fields = editor_fields(client, "/networks/kagoshima/meetings/new/?fiscal_year=2021")
    # The next free number of a 会議 is proposed; the year's only meeting is a 研修会.
    assert fields["meeting-ordinal"] == "1"
    record = copy.deepcopy(THREE_ROLE_RECORD)
    fields.update(
        {
            "meeting-kind": record["kind"],
            "meeting-ordinal": "1",
            "meeting-starts_at": "2021-11-01T10:00",
            "meeting-ends_at": "2021-11-01T12:00",
        }
    )
    response = client.post("/networks/kagoshima/meetings/new/", fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_meeting-ordinal"' in html
    assert "この年度の第1回研修会はすでに登録されています。" in html
    assert Meeting.objects.filter(fiscal_year=2021).count() == 1


@pytest.mark.parametrize("who", ["officer", "staff", "resident"])
def test_only_the_secretariat_opens_the_editor(client: Client, demo, who: str) -> None:
    meeting = services.meeting_save_record(
        network=demo.network, record=THREE_ROLE_RECORD, actor=demo.secretary
    )
    client.force_login(getattr(demo, who))
    assert client.get(f"/meetings/{meeting.pk}/edit/").status_code in (403, 404)
    assert client.post(f"/meetings/{meeting.pk}/edit/", {}).status_code in (403, 404)
    assert client.get("/networks/kagoshima/meetings/new/").status_code == 403
    assert client.post("/networks/kagoshima/meetings/new/", {}).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client: Client, demo) -> None:
    response = client.get("/networks/kagoshima/meetings/new/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
