"""The open-data event list (推奨データセット「イベント一覧」): each municipality's file, the
page that lists the files, and the import of a file in the same format."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kyodo.calendar import recurrence, services
from kyodo.calendar.models import Entry, EntryKind, EntryStatus, Repeat
from kyodo.core.models import AuditEntry
from kyodo.directory.models import Organisation

from .conftest import values

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
    assert '<th scope="row" class="nowrap">鹿児島市</th>' in html
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


# --- Import ---------------------------------------------------------------------------------

IMPORT_URL = "/calendar/import/"


def upload(client, data: bytes, organisation, *, publish=True, name="events.csv"):
    form = {"organisation": organisation.pk, "file": SimpleUploadedFile(name, data, "text/csv")}
    if publish:
        form["publish"] = "on"
    return client.post(IMPORT_URL, form)


def csv_bytes(header: list[str], *rows: list[str], encoding="utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


HEADER = ["イベント名", "イベント名_カナ", "開始日", "終了日", "開始時間", "終了時間", "説明"]
HEADER += ["場所名称", "住所"]


def row(title="校区夏祭り", start="2027-08-01", end="2027-08-01", times=("17:00", "21:00")):
    return [
        title,
        "コウクナツマツリ",
        start,
        end,
        *times,
        "盆踊りと夜店があります。",
        "みなみ小学校 運動場",
        "鹿児島県鹿児島市山下町1番1号",
    ]


def test_a_shift_jis_file_with_full_width_brackets_in_its_header_imports(client, demo):
    client.force_login(demo.officer)
    header = [*HEADER, "料金（基本）", "定員", "備考", "独自の列"]
    data = csv_bytes(
        header,
        [*row(), "500", "100人", "雨天中止", "無視される"],
        [*row("校区運動会", "2027/10/3", "2027/10/3", ("", "")), "無料", "", "", ""],
        encoding="cp932",
    )
    response = upload(client, data, demo.council)
    assert response.status_code == 200, response.content.decode()
    festival, sports = Entry.objects.order_by("start_date")
    assert (festival.title, festival.start_date, festival.start_time, festival.end_time) == (
        "校区夏祭り",
        D(2027, 8, 1),
        datetime.time(17, 0),
        datetime.time(21, 0),
    )
    assert (festival.fee_amount, festival.capacity, festival.notes) == (500, 100, "雨天中止")
    assert festival.kind == EntryKind.EVENT
    assert festival.status == EntryStatus.PUBLISHED
    assert festival.organisation == demo.council
    assert (sports.start_date, sports.is_all_day, sports.fee_amount) == (D(2027, 10, 3), True, 0)
    html = response.content.decode()
    assert "2行を取り込みました(新規登録 2件)" in html
    assert f'<a href="/calendar/entries/{festival.pk}/">校区夏祭り</a>' in html
    assert AuditEntry.objects.filter(action="calendar.entry_create").count() == 2


def test_a_file_with_one_bad_date_imports_nothing_and_names_the_row_and_column(client, demo):
    client.force_login(demo.officer)
    data = csv_bytes(HEADER, row(), row("二つ目"), row("三つ目", start="2026-13-01"))
    response = upload(client, data, demo.council)
    assert response.status_code == 400
    html = response.content.decode()
    assert "4行目 開始日: 日付の形式が正しくありません(例: 2026-12-06)" in html
    assert "何も取り込んでいません" in html
    assert not Entry.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="calendar.").exists()


def test_every_bad_row_is_reported_with_the_editors_rules(client, demo):
    client.force_login(demo.officer)
    data = csv_bytes(
        [*HEADER, "URL"],
        [*row(end="2027-07-31"), ""],
        [*row("二つ目", times=("9:30", "")), ""],
        [*row("", times=("25:00", "26:00")), "javascript:alert(1)"],
    )
    response = upload(client, data, demo.council)
    html = response.content.decode()
    assert "2行目: 終了日は開始日以降の日にしてください。" in html
    assert "3行目: 開始時間と終了時間は両方入力するか" in html
    assert "4行目 イベント名: 入力してください。" in html
    assert "4行目 開始時間: 時刻の形式が正しくありません(例: 09:30)" in html
    assert "4行目 URL: URLを正しく入力してください。" in html
    assert not Entry.objects.exists()


def test_a_file_without_the_required_columns_is_refused(client, demo):
    client.force_login(demo.officer)
    data = csv_bytes(["イベント名", "開始日"], ["校区夏祭り", "2027-08-01"])
    html = upload(client, data, demo.council).content.decode()
    assert "必須の列がありません: イベント名_カナ、終了日、説明、場所名称、住所。" in html


def test_an_oversized_file_is_refused_with_the_limits(client, demo):
    client.force_login(demo.officer)
    big = csv_bytes(HEADER, row()) + b"x" * (2 * 1024 * 1024)
    response = upload(client, big, demo.council)
    assert response.status_code == 400
    assert "ファイルが大きすぎます。2MB・5,000行まで取り込めます。" in response.content.decode()
    many = csv_bytes(HEADER, *(row(f"行事{n}") for n in range(5001)))
    assert len(many) < 2 * 1024 * 1024
    response = upload(client, many, demo.council)
    assert "ファイルが大きすぎます。" in response.content.decode()
    assert not Entry.objects.exists()


def test_a_row_naming_an_existing_entry_updates_it_instead_of_adding_another(
    client, demo, make_entry
):
    client.force_login(demo.officer)
    existing = make_entry(
        **event(
            title="校区夏祭り",
            start_date=D(2027, 8, 1),
            end_date=D(2027, 8, 1),
            start_time=datetime.time(17, 0),
            end_time=datetime.time(20, 0),
            venue_name="みなみ小学校 運動場",
        )
    )
    data = csv_bytes(HEADER, row())
    response = upload(client, data, demo.council)
    assert "更新 1件" in response.content.decode()
    existing.refresh_from_db()
    assert Entry.objects.count() == 1
    assert existing.end_time == datetime.time(21, 0)
    assert existing.description == "盆踊りと夜店があります。"
    assert existing.sequence == 1
    again = upload(client, data, demo.council)
    assert "変更なし 1件" in again.content.decode()
    assert Entry.objects.count() == 1


def test_the_same_event_twice_in_one_file_is_refused(client, demo):
    client.force_login(demo.officer)
    html = upload(client, csv_bytes(HEADER, row(), row()), demo.council).content.decode()
    assert "3行目: 2行目と同じ行事です" in html
    assert not Entry.objects.exists()


def test_only_the_organisations_a_person_posts_for_are_offered(client, demo):
    client.get("/")
    assert client.get(IMPORT_URL).status_code == 302  # to the login page
    client.force_login(demo.resident)
    assert client.get(IMPORT_URL).status_code == 403
    client.force_login(demo.officer)
    html = client.get(IMPORT_URL).content.decode()
    assert f'<option value="{demo.council.pk}"' in html
    assert f'<option value="{demo.kagoshima_city.pk}"' not in html
    response = upload(client, csv_bytes(HEADER, row()), demo.kagoshima_city)
    assert response.status_code == 400
    assert not Entry.objects.exists()


def test_an_exported_file_imported_into_another_organisation_gives_the_same_facts(
    client, demo, make_entry, settings
):
    # The entries' own pages are the URL of the file; "testserver" is no valid URL host.
    settings.ALLOWED_HOSTS = ["kyodo.example.jp"]
    host = "kyodo.example.jp"
    make_entry()  # a meeting with advance observation
    make_entry(
        **event(
            title="親子料理教室",
            title_en="Cooking class for families",
            start_time=None,
            end_time=None,
            date_note="雨天決行",
            fee_amount=0,
            capacity=20,
            latitude=Decimal("31.596554"),
            longitude=Decimal("130.557116"),
            apply_by_date=D(2026, 12, 1),
            apply_by_time=datetime.time(17, 0),
            contact_name="みなみ子ども会",
            contact_phone="099-000-0000",
            contact_extension="12",
            notes="エプロンをお持ちください。",
        )
    )
    make_entry(
        **event(
            title="校区一斉清掃",
            start_time=datetime.time(7, 0),
            end_time=datetime.time(8, 0),
            repeat=Repeat.MONTHLY_WEEKDAY,
            repeat_until=D(2027, 3, 31),
        ),
        exceptions=[D(2027, 1, 3)],
    )
    day = D(2026, 12, 20)
    cancelled = make_entry(**event(title="中止になった行事", start_date=day, end_date=day))
    services.entry_set_status(
        entry=cancelled, status=EntryStatus.CANCELLED, reason="雨天のため", actor=demo.officer
    )
    exported = download(client, host=host)
    original = records(client, host=host)

    kirishima = Organisation.objects.get(lgcode="462187")
    client.force_login(demo.admin)

    def post(data: bytes):
        return client.post(
            IMPORT_URL,
            {
                "organisation": kirishima.pk,
                "file": SimpleUploadedFile("a.csv", data),
                "publish": "on",
            },
            HTTP_HOST=host,
        )

    # Rows that are another organisation's entries (their URL is that entry's page) are
    # refused: copying them would post the council's events as Kirishima's.
    refused = post(exported)
    assert refused.status_code == 400
    assert "ほかの組織((デモ)みなみ校区コミュニティ協議会)の行事です" in refused.content.decode()
    assert not Entry.objects.filter(organisation=kirishima).exists()
    # Without those links (a list kept in a spreadsheet), the same facts come in.
    lines = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"), newline="")))
    url = lines[0].index("URL")
    for line in lines[1:]:
        line[url] = ""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(lines)
    response = post(buffer.getvalue().encode())
    assert response.status_code == 200, response.content.decode()
    assert not Entry.objects.filter(organisation=kirishima, kind=EntryKind.MEETING).exists()
    assert Entry.objects.get(organisation=kirishima, title="中止になった行事").status == "draft"

    where = ("都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名")
    again = records(client, "462187", host)

    def facts(rows):  # URL: each entry's own page
        return [{k: v for k, v in r.items() if k not in (*where, "URL")} for r in rows]

    assert facts(again) == facts([r for r in original if r["イベント名"] != "中止になった行事"])
    assert len(again) == 5


def test_importing_a_file_exported_from_the_same_organisation_changes_nothing(
    client, demo, make_entry
):
    make_entry(**event(title="親子料理教室", start_time=None, end_time=None, notes="持ち物なし"))
    make_entry(**event(title="校区一斉清掃", repeat=Repeat.WEEKLY, repeat_until=D(2026, 12, 27)))
    meeting = make_entry(start_date=D(2026, 12, 13), end_date=D(2026, 12, 13))
    exported = download(client)
    client.force_login(demo.officer)
    html = upload(client, exported, demo.council).content.decode()
    assert "変更なし 2件" in html
    assert "繰り返す行事の1回分(変更せず) 4件" in html
    assert Entry.objects.count() == 3
    meeting.refresh_from_db()
    assert (meeting.notes, meeting.url, meeting.organiser_name, meeting.sequence) == ("", "", "", 0)
    assert meeting.title_kana == values()["title_kana"]


def test_a_round_trip_keeps_formula_like_text_and_a_meetings_agenda(client, demo, make_entry):
    make_entry(
        title="-子ども会 新年会-",
        notes="=参加費は当日集めます",
        start_date=D(2026, 12, 13),
        end_date=D(2026, 12, 13),
    )
    exported = download(client)
    assert "'-子ども会 新年会-" in exported.decode("utf-8-sig")
    edited = exported.decode("utf-8-sig").replace("議題:\n1. 事業報告", "議題:\n1. 事業報告(修正)")
    client.force_login(demo.officer)
    html = upload(client, edited.encode(), demo.council).content.decode()
    assert "更新 1件" in html
    entry = Entry.objects.get()
    assert (entry.title, entry.notes) == ("-子ども会 新年会-", "=参加費は当日集めます")
    assert entry.description == values()["description"]
    assert entry.agenda == "1. 事業報告(修正)\n2. 年間行事カレンダーの広告募集"
