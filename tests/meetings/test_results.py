import copy
import re

import pytest
from django.test import Client

from kyodo.core.models import AuditEntry
from kyodo.meetings import queries, services
from kyodo.meetings.models import Meeting, MeetingStatus, Revision

pytestmark = pytest.mark.django_db


def main_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_seed_results_page_shows_every_published_fact(client: Client, seed_meeting) -> None:
    response = client.get(f"/meetings/{seed_meeting.pk}/")
    html = response.content.decode()
    text = main_text(response)
    assert "<h1>令和2年度共生・協働推進かごしま自治体ネットワーク第3回会議の開催結果</h1>" in html
    assert "下記のとおり,11月19日に第3回会議を開催しましたので,その概要をお知らせします。" in text
    facts = re.findall(r"<dt>(\d\.[^<]+)</dt><dd>(.*?)</dd>", html)
    assert facts == [
        ("1.日時", "令和2年11月19日木曜日9時30分から12時00分"),
        ("2.場所", "鹿児島県庁(Web開催)"),
        (
            "3.講師等",
            "コーディネーター:山浦陽一氏(大分大学経済学部准教授,(一社)コミュニティサポートおおいた理事)"
            "<br>講師(事例紹介者):宮城県大崎市職員",
        ),
        ("4.内容", "事例紹介,トークセッション"),
        ("5.テーマ", "地域と行政の協働の考え方と手法"),
        ("6.出席者", "51名(市町村,県地域振興局・支庁等の担当職員)"),
    ]
    programme = re.findall(r'<span class="outline__label">([^<]+)</span>([^<]+)', html)
    assert programme == [
        ("1.", "開会・課長あいさつ"),
        ("2.", "前回の振り返り,趣旨説明"),
        ("3.", "講演"),
        ("4.", "ブレイクアウトセッション(感想共有)"),
        ("5.", "質疑応答"),
        ("6.", "総括"),
        ("7.", "閉会・課長あいさつ"),
    ]
    assert "平成17年7月に設置されました。" in text
    assert "更新日: 2022年12月7日" in text
    assert "このページに関するお問い合わせ" in text
    assert "meet.kyodo.example" not in html  # the join URL is for registered attendees only


THREE_ROLE_RECORD = {
    "fiscal_year": 2021,
    "ordinal": 1,
    "kind": "研修会",
    "starts_at": "2021-07-08T13:30:00+09:00",
    "ends_at": "2021-07-08T16:30:00+09:00",
    "theme": "コミュニティ・プラットフォームの段階的な発展※1",
    "content": "講演,事例発表,分科会",
    "attendee_description": "市町村,県地域振興局・支庁等の担当職員",
    "attendee_count_manual": 46,
    "venues": [
        {"kind": "physical", "name": "鹿児島県庁", "address": "鹿児島市鴨池新町10番1号"},
        {
            "kind": "online",
            "name": "各地域振興局・支庁",
            "online_tool": "Zoom",
            "join_url": "https://meet.kyodo.example/j/2021-1",
        },
    ],
    "people": [
        {"role": "コーディネーター", "name": "山浦陽一", "affiliation": "大分大学経済学部准教授"},
        {"role": "講師", "name": "協働太郎", "affiliation": "NPO法人かごしま協働ネット代表"},
        {"role": "事例発表者", "affiliation": "鹿屋市職員"},
    ],
    "programme": [
        {"title": "開会"},
        {
            "title": "分科会",
            "children": [
                {
                    "title": "フェーズ1・2の地域",
                    "is_breakout": True,
                    "children": [{"title": "事例発表"}, {"title": "意見交換"}],
                },
                {"title": "フェーズ3・4の地域", "is_breakout": True, "note": "会場:第2会議室"},
            ],
        },
        {"title": "閉会"},
    ],
    "sections": [{"placement": "summary", "heading": "概要", "body": "分科会形式で実施しました。"}],
    "footnotes": [
        {
            "number": 1,
            "term": "コミュニティ・プラットフォーム",
            "text": "小・中学校区程度の範囲で,多様な主体が地域課題を解決する基盤組織。",
        }
    ],
}


def test_record_with_roles_venues_breakouts_and_footnote_is_published_in_order(
    client: Client, demo
) -> None:
    meeting = services.meeting_save_record(
        network=demo.network, record=THREE_ROLE_RECORD, actor=demo.secretary
    )
    services.meeting_publish(meeting=meeting, actor=demo.secretary)
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "<h1>令和3年度共生・協働推進かごしま自治体ネットワーク第1回研修会の開催結果</h1>" in html
    assert "鹿児島県庁、各地域振興局・支庁(Web開催)" in html
    for needle in (
        "コーディネーター:山浦陽一氏(大分大学経済学部准教授)",
        "講師:協働太郎氏(NPO法人かごしま協働ネット代表)",
        "事例発表者:鹿屋市職員",
    ):
        assert needle in html
    assert "6.出席者" in html
    assert "46名" in html
    programme = [
        (label, title.strip())
        for label, title in re.findall(r'<span class="outline__label">([^<]+)</span>([^<]+)', html)
    ]
    assert programme == [
        ("1.", "開会"),
        ("2.", "分科会"),
        ("(1)", "フェーズ1・2の地域"),
        ("ア", "事例発表"),
        ("イ", "意見交換"),
        ("(2)", "フェーズ3・4の地域"),
        ("3.", "閉会"),
    ]
    assert html.count('<span class="tag">分科会</span>') == 2
    assert "会場:第2会議室" in html
    assert "※1 コミュニティ・プラットフォーム" in html
    order = [html.index(h) for h in ("1.日時", "<h2>概要</h2>", "<h2>次第</h2>", "<h2>注釈</h2>")]
    assert order == sorted(order)


def test_export_and_import_yield_an_identical_record(demo) -> None:
    meeting = services.meeting_save_record(
        network=demo.network, record=THREE_ROLE_RECORD, actor=demo.secretary
    )
    exported = queries.meeting_record(meeting)
    again = copy.deepcopy(exported)
    again["ordinal"] = 2
    twin = services.meeting_save_record(network=demo.network, record=again, actor=demo.secretary)
    round_trip = queries.meeting_record(twin)
    for key in ("id", "ordinal", "display_title"):
        exported.pop(key), round_trip.pop(key)
    assert round_trip == exported
    # Saving the export over the meeting itself changes nothing either.
    services.meeting_save_record(
        network=demo.network, meeting=twin, record=queries.meeting_record(twin), actor=None
    )
    assert {k: v for k, v in queries.meeting_record(twin).items() if k != "id"} == {
        **round_trip,
        "ordinal": 2,
        "display_title": twin.display_title,
    }


def test_invalid_record_lists_every_problem_and_saves_nothing(demo) -> None:
    record = copy.deepcopy(THREE_ROLE_RECORD)
    record["ends_at"] = "2021-07-08T10:00:00+09:00"
    record["starts_at"] = "来週の木曜日"
    record["venues"][1]["join_url"] = "zoom で案内"
    record["people"][2]["affiliation"] = ""
    record["programme"][1]["children"][0]["title"] = ""
    meetings_before, audits_before = Meeting.objects.count(), AuditEntry.objects.count()
    with pytest.raises(services.RecordError) as error:
        services.meeting_save_record(network=demo.network, record=record, actor=demo.secretary)
    problems = error.value.message_dict
    assert "starts_at" in problems
    assert "読み取れません" in problems["starts_at"][0]
    assert "venues[1].join_url" in problems
    assert "people[2]" in problems
    assert "programme[1].children[0].title" in problems
    assert (Meeting.objects.count(), AuditEntry.objects.count()) == (meetings_before, audits_before)


def test_second_meeting_with_the_same_ordinal_is_refused(demo, seed_meeting) -> None:
    record = {**THREE_ROLE_RECORD, "fiscal_year": 2020, "ordinal": 3, "kind": "会議"}
    with pytest.raises(services.RecordError) as error:
        services.meeting_save_record(network=demo.network, record=record, actor=demo.secretary)
    assert "第3回会議はすでに登録されています" in error.value.message_dict["ordinal"][0]


def test_republishing_keeps_earlier_revisions_for_staff(client: Client, demo, seed_meeting) -> None:
    services.meeting_save_record(
        network=demo.network,
        meeting=seed_meeting,
        actor=demo.secretary,
        record={**queries.meeting_record(seed_meeting), "attendee_count_manual": 52},
    )
    client.force_login(demo.secretary)
    response = client.post(f"/meetings/{seed_meeting.pk}/publish/")
    assert response.status_code == 302
    assert list(seed_meeting.revisions.values_list("number", flat=True)) == [2, 1]
    client.logout()
    public = client.get(f"/meetings/{seed_meeting.pk}/").content.decode()
    assert "52名" in public
    assert "51名" not in public
    assert client.get(f"/meetings/{seed_meeting.pk}/revisions/1/").status_code == 302
    client.force_login(demo.secretary)
    old = client.get(f"/meetings/{seed_meeting.pk}/revisions/1/").content.decode()
    assert "51名" in old
    assert "第1版" in old
    client.force_login(demo.staff)
    assert client.get(f"/meetings/{seed_meeting.pk}/revisions/1/").status_code == 403


def test_attendee_count_comes_from_attendance_unless_counted_elsewhere(demo, open_meeting) -> None:
    registration = open_meeting.registrations.create(organisation=demo.kagoshima_city)
    for n, attended in enumerate([True, True, False, None]):
        registration.attendees.create(name=f"職員{n}", mode="online", attended=attended)
    revision = services.meeting_publish(meeting=open_meeting, actor=demo.secretary)
    assert revision.attendee_count == 2
    assert "2名(市町村,県地域振興局・支庁等の担当職員)" in revision.body_html


def test_unpublished_meeting_is_hidden_from_the_public_and_other_networks(
    client: Client, open_meeting, other_secretary
) -> None:
    url = f"/meetings/{open_meeting.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(other_secretary)
    assert client.get(url).status_code == 403
    assert client.post(f"{url}publish/").status_code == 403
    assert client.post(f"{url}status/", {"status": "draft"}).status_code == 403
    open_meeting.refresh_from_db()
    assert open_meeting.status == MeetingStatus.OPEN
    assert not Revision.objects.filter(meeting=open_meeting).exists()


def test_member_staff_see_the_open_meeting_but_not_its_join_url(
    client: Client, demo, open_meeting
) -> None:
    client.force_login(demo.staff)
    html = client.get(f"/meetings/{open_meeting.pk}/").content.decode()
    assert "開催します。" in html
    assert "meet.kyodo.example" not in html
    client.force_login(demo.secretary)
    assert (
        "https://meet.kyodo.example/j/2026-1"
        in client.get(f"/meetings/{open_meeting.pk}/").content.decode()
    )


def test_registered_attendee_sees_the_join_url(client: Client, demo, open_meeting) -> None:
    registration = open_meeting.registrations.create(organisation=demo.kagoshima_city)
    registration.attendees.create(name="鹿児 太郎", mode="online", user=demo.staff)
    client.force_login(demo.staff)
    html = client.get(f"/meetings/{open_meeting.pk}/").content.decode()
    assert "https://meet.kyodo.example/j/2026-1" in html


def test_draft_is_seen_only_by_the_secretariat(client: Client, demo, open_meeting) -> None:
    services.meeting_set_status(meeting=open_meeting, status="draft", actor=demo.secretary)
    client.force_login(demo.staff)
    assert client.get(f"/meetings/{open_meeting.pk}/").status_code == 403
    client.force_login(demo.secretary)
    assert client.get(f"/meetings/{open_meeting.pk}/").status_code == 200


def test_copy_makes_the_next_draft_of_the_year(client: Client, demo, seed_meeting) -> None:
    client.force_login(demo.secretary)
    response = client.post(f"/meetings/{seed_meeting.pk}/copy/", {"fiscal_year": "2026"})
    copy_ = Meeting.objects.get(network=demo.network, fiscal_year=2026, ordinal=2)
    assert response["Location"] == f"/meetings/{copy_.pk}/"
    assert copy_.status == MeetingStatus.DRAFT
    assert copy_.display_title == "令和8年度共生・協働推進かごしま自治体ネットワーク第2回会議"
    assert [p.label for p in copy_.people.all()] == [p.label for p in seed_meeting.people.all()]
    assert copy_.programme_items.count() == 7
    assert copy_.sections.count() == 0
    assert copy_.revisions.count() == 0


def test_year_plan_shows_published_meetings_to_the_public_and_all_to_the_secretariat(
    client: Client, demo, open_meeting
) -> None:
    public = client.get("/networks/kagoshima/meetings/2026/").content.decode()
    assert "第1回会議" not in public
    assert "令和8年度の会議はまだ掲載されていません。" in public
    assert "第3回会議" in client.get("/networks/kagoshima/meetings/2020/").content.decode()
    client.force_login(demo.secretary)
    html = client.get("/networks/kagoshima/meetings/2026/").content.decode()
    assert "第1回会議" in html
    assert "参加受付中" in html
    assert "令和9年1月21日木曜日13時30分から16時00分" in html
