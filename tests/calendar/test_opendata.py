"""The open-data event list (推奨データセット「イベント一覧」): each municipality's file and
the page that lists the files."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest

from kyodo.calendar import recurrence, services
from kyodo.calendar.models import EntryKind, EntryStatus, Repeat
from kyodo.directory.models import Organisation

D = datetime.date
# The definition's names, written out here rather than imported, so that a change to the
# code's list cannot make this test agree with it.
OFFICIAL_HEADER = (
    "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,イベント名,イベント名_カナ,"
    "イベント名_英語,開始日,終了日,開始時間,終了時間,開始日時特記事項,説明,料金(基本),"
    "料金(詳細),連絡先名称,連絡先電話番号,連絡先内線番号,主催者,場所名称,住所,方書,緯度,経度,"
    "アクセス方法,駐車場情報,定員,参加申込終了日,参加申込終了時間,参加申込方法,URL,備考"
)


def event(**changes):
    """A one-day event of the demo council (no observer policy), with the given changes."""
    return {"kind": EntryKind.EVENT, "observer_policy": "", "observer_how": "", **changes}


def download(client, lgcode="462012", host="testserver") -> bytes:
    response = client.get(f"/opendata/{lgcode}_event.csv", HTTP_HOST=host)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def records(client, lgcode="462012", host="testserver") -> list[dict[str, str]]:
    text = download(client, lgcode, host).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


# --- The file -------------------------------------------------------------------------------


def test_the_header_is_the_32_official_names_byte_for_byte_after_a_bom(client, demo):
    response = client.get("/opendata/462012_event.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "462012_event.csv" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert body[3:].split(b"\r\n")[0] == OFFICIAL_HEADER.encode("utf-8")
    assert len(OFFICIAL_HEADER.split(",")) == 32


def test_a_meeting_with_advance_observation_appears_with_the_facts_of_the_entry(
    client, demo, make_entry
):
    entry = make_entry()
    [found] = records(client)
    assert found == {
        "都道府県コード又は市区町村コード": "462012",
        "NO": "1",
        "都道府県名": "鹿児島県",
        "市区町村名": "鹿児島市",
        "イベント名": "みなみ校区コミュニティ協議会 定例役員会",
        "イベント名_カナ": "ミナミコウクコミュニティキョウギカイ テイレイヤクインカイ",
        "イベント名_英語": "",
        "開始日": "2026-12-06",
        "終了日": "2026-12-06",
        "開始時間": "19:00",
        "終了時間": "20:30",
        "開始日時特記事項": "",
        "説明": (
            "今年度の事業報告と来年度の年間行事カレンダーについて協議します。\n議題:\n"
            "1. 事業報告\n2. 年間行事カレンダーの広告募集"
        ),
        "料金(基本)": "",
        "料金(詳細)": "",
        "連絡先名称": "",
        "連絡先電話番号": "",
        "連絡先内線番号": "",
        "主催者": "(デモ)みなみ校区コミュニティ協議会",
        "場所名称": "みなみ地区公民館",
        "住所": "鹿児島県鹿児島市山下町11番1号",
        "方書": "2階 研修室",
        "緯度": "",
        "経度": "",
        "アクセス方法": "",
        "駐車場情報": "",
        "定員": "",
        "参加申込終了日": "",
        "参加申込終了時間": "",
        "参加申込方法": "",
        "URL": f"http://testserver/calendar/entries/{entry.pk}/",
        "備考": (
            "傍聴: 傍聴要事前申込"
            "(申込方法: 12月3日までに事務局(099-000-0000)へ電話で申し込んでください。)"
        ),
    }


def test_numbers_dates_and_the_entrys_own_url_are_written_as_the_definition_asks(
    client, demo, make_entry
):
    make_entry(
        **event(
            title="親子料理教室",
            fee_amount=500,
            fee_detail="材料費を含みます",
            capacity=20,
            apply_by_date=D(2026, 12, 1),
            apply_by_time=datetime.time(17, 0),
            apply_method="電話で",
            latitude=Decimal("31.596554"),
            longitude=Decimal("130.557116"),
            url="https://minami.example.jp/cooking",
            notes="エプロンをお持ちください。",
            organiser_name="みなみ子ども会",
        )
    )
    [found] = records(client)
    assert (found["料金(基本)"], found["定員"]) == ("500", "20")
    assert (found["参加申込終了日"], found["参加申込終了時間"]) == ("2026-12-01", "17:00")
    assert (found["緯度"], found["経度"]) == ("31.596554", "130.557116")
    assert found["URL"] == "https://minami.example.jp/cooking"
    assert found["主催者"] == "みなみ子ども会"
    assert found["備考"] == "エプロンをお持ちください。"


def test_an_all_day_entry_leaves_the_times_blank_and_says_all_day(client, demo, make_entry):
    make_entry(**event(title="校区運動会", start_time=None, end_time=None, date_note="雨天順延"))
    [found] = records(client)
    assert (found["開始時間"], found["終了時間"]) == ("", "")
    assert found["開始日時特記事項"] == "終日。雨天順延"


def test_a_recurring_entry_gives_a_row_per_date_in_date_order_without_its_exceptions(
    client, demo, make_entry
):
    cleaning = make_entry(
        **event(
            title="校区一斉清掃",
            start_time=datetime.time(7, 0),
            end_time=datetime.time(8, 0),
            repeat=Repeat.MONTHLY_WEEKDAY,
            repeat_until=D(2027, 3, 31),
        ),
        exceptions=[D(2027, 1, 3)],
    )
    make_entry(**event(title="新年会", start_date=D(2027, 1, 15), end_date=D(2027, 1, 15)))
    found = records(client)
    assert [(r["NO"], r["イベント名"], r["開始日"], r["終了日"]) for r in found] == [
        ("1", "校区一斉清掃", "2026-12-06", "2026-12-06"),
        ("2", "新年会", "2027-01-15", "2027-01-15"),
        ("3", "校区一斉清掃", "2027-02-07", "2027-02-07"),
        ("4", "校区一斉清掃", "2027-03-07", "2027-03-07"),
    ]
    rule = recurrence.describe(cleaning)
    assert rule == "毎月第1日曜日(令和9年3月31日まで)"
    assert found[0]["開始日時特記事項"] == rule


def test_cells_that_a_spreadsheet_would_run_as_formulas_stay_text(client, demo, make_entry):
    make_entry(
        **event(
            title='=HYPERLINK("http://evil.example","詳細")',
            contact_phone="+81-99-000-0000",
            notes="@SUM(A1)",
            fee_detail="-100円の割引あり",
        )
    )
    [found] = records(client)
    assert found["イベント名"] == '\'=HYPERLINK("http://evil.example","詳細")'
    assert found["連絡先電話番号"] == "'+81-99-000-0000"
    assert found["備考"] == "'@SUM(A1)"
    assert found["料金(詳細)"] == "'-100円の割引あり"


def test_drafts_never_appear_and_cancelled_entries_say_why(client, demo, make_entry):
    make_entry(**event(title="下書きの行事"), publish=False)
    cancelled = make_entry(**event(title="中止になった行事"))
    services.entry_set_status(
        entry=cancelled, status=EntryStatus.CANCELLED, reason="雨天のため", actor=demo.officer
    )
    [found] = records(client)
    assert found["イベント名"] == "中止になった行事"
    assert found["備考"] == "【中止】雨天のため"


def test_each_file_holds_only_its_municipalitys_organisations(client, demo, make_entry):
    elsewhere = Organisation.objects.get(lgcode="462187")  # 霧島市
    make_entry(**event(title="みなみの行事"))
    make_entry(**event(title="霧島の行事"), organisation=elsewhere)
    assert [r["イベント名"] for r in records(client)] == ["みなみの行事"]
    kirishima = records(client, "462187")
    assert [(r["イベント名"], r["市区町村名"]) for r in kirishima] == [("霧島の行事", "霧島市")]
    assert kirishima[0]["都道府県コード又は市区町村コード"] == "462187"


@pytest.mark.parametrize("lgcode", ["999999", "460001"])
def test_a_code_that_is_no_municipality_is_not_found(client, demo, lgcode):
    assert client.get(f"/opendata/{lgcode}_event.csv").status_code == 404


def _entries(make_entry, count: int) -> None:
    for index in range(count):
        day = D(2026, 12, 1) + datetime.timedelta(days=index)
        recurring = {"repeat": Repeat.WEEKLY, "repeat_until": D(2027, 2, 28)} if index % 5 else {}
        make_entry(**event(title=f"行事{index}", start_date=day, end_date=day, **recurring))


@pytest.mark.parametrize("count", [1, 50])
def test_the_file_costs_the_same_queries_whatever_the_number_of_entries(
    client, demo, make_entry, django_assert_num_queries, count
):
    _entries(make_entry, count)
    # The municipality, the organisation tree, the exception dates, the entries.
    with django_assert_num_queries(4):
        body = download(client)
    assert body.count(b"\r\n") > count


# --- The page -------------------------------------------------------------------------------


def test_the_page_lists_each_municipality_with_entries_and_a_link_to_its_file(
    client, demo, make_entry
):
    make_entry()
    make_entry(**event(title="校区運動会"))
    make_entry(**event(title="下書き"), publish=False)
    response = client.get("/opendata/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    assert "推奨データセット「イベント一覧」" in html
    assert '<th scope="row">鹿児島市</th>' in html
    assert "<td>2件</td>" in html
    assert 'href="/opendata/462012_event.csv"' in html
    assert ">462012_event.csv<" in html
    assert "霧島市" not in html
    assert (
        '<a href="https://creativecommons.org/licenses/by/4.0/deed.ja">'
        "クリエイティブ・コモンズ 表示 4.0 国際(CC BY 4.0)</a>"
    ) in html
    assert "<caption>" in html


def test_the_licence_comes_from_the_setting(client, demo, settings):
    settings.KYODO_OPENDATA_LICENCE = {"name": "CC0 1.0", "url": "https://example.jp/cc0"}
    html = client.get("/opendata/").content.decode()
    assert '<a href="https://example.jp/cc0">CC0 1.0</a>' in html
    assert "公開中の行事・会議はまだありません。" in html


@pytest.mark.parametrize("count", [1, 50])
def test_the_open_data_page_costs_the_same_queries_whatever_the_number_of_entries(
    client, demo, make_entry, django_assert_num_queries, count
):
    _entries(make_entry, count)
    # The municipalities, the organisation tree, the counts.
    with django_assert_num_queries(3):
        client.get("/opendata/")
