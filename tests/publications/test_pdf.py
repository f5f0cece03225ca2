"""The print files, checked with poppler's own tools: page size and count (pdfinfo), the
fonts embedded (pdffonts) and the words printed (pdftotext)."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kyodo.core.dates import holiday_name
from kyodo.publications import pdf
from kyodo.publications.models import (
    AD_GRID,
    AdSlot,
    AnnualCalendar,
    Article,
    CalendarDraft,
    IssueStatus,
    NewsletterIssue,
    Notice,
    NoticeKind,
    SheetFormat,
    YearKind,
)
from tests.publications.pdf_fixtures import Council, artwork, make_calendar, make_council, png

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdffonts"), reason="needs poppler-utils"),
]

A3_LANDSCAPE = (1190.55, 841.89)
# A2 is drawn as A3 at √2: 0.03 mm off the ISO size in each direction (A3 × √2 is
# 593.97 × 420.02 mm); pdfinfo still names it A2.
A2_LANDSCAPE = (1683.69, 1190.61)
A4_PORTRAIT = (595.276, 841.89)


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def council(db: None) -> Council:
    return make_council()


@pytest.fixture
def calendar(council: Council, media: Path) -> AnnualCalendar:
    """2026, 600 lines in the newest draft, the band full: 21 text slots, one with artwork
    two boxes wide and one with artwork one box wide, the last box left for sale."""
    calendar = make_calendar(council)
    AdSlot.objects.create(
        calendar=calendar,
        sponsor="みなみ商店",
        column=0,
        row=0,
        width=2,
        fee=20000,
        artwork=artwork("minami.png", "MINAMI"),
    )
    AdSlot.objects.create(
        calendar=calendar, sponsor="ひがし歯科", column=2, row=0, fee=10000,
        artwork=artwork("higashi.png", "HIGASHI"),
    )  # fmt: skip
    taken = {(0, 0), (1, 0), (2, 0), (AD_GRID.columns - 1, AD_GRID.rows - 1)}
    for row in range(AD_GRID.rows):
        for column in range(AD_GRID.columns):
            if (column, row) not in taken:
                AdSlot.objects.create(
                    calendar=calendar,
                    sponsor=f"協賛{row}{column}商会",
                    column=column,
                    row=row,
                    fee=10000,
                    text="地域の暮らしを\n応援します\n電話 099-000-0000",
                )
    return calendar


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run(*command: str | Path) -> str:
    return subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=True
    ).stdout


def info(path: Path) -> dict[str, str]:
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in run("pdfinfo", path).splitlines())
    }


def page_size(path: Path) -> tuple[float, float]:
    found = re.match(r"([\d.]+) x ([\d.]+) pts", info(path)["Page size"])
    assert found, info(path)
    return float(found[1]), float(found[2])


def text(path: Path, *options: str) -> str:
    return run("pdftotext", *options, path, "-")


def assert_japanese_fonts_embedded(path: Path) -> None:
    listing = run("pdffonts", path).splitlines()[2:]
    assert any("NotoSansCJKjp" in line or "Noto-Sans-CJK-JP" in line for line in listing)
    # name, type (two words), encoding, emb, sub, uni, object, id
    assert all(line.split()[-5] == "yes" for line in listing), listing


def month_order(path: Path) -> list[int]:
    """The months across the top of the wall sheet, left to right."""
    for line in text(path, "-layout").splitlines():
        months = [int(n) for n in re.findall(r"(?<!\d)(\d{1,2})月(?![\d日])", line)]
        if len(months) == 12:
            return months
    raise AssertionError("no line with twelve months")


# --- The wall sheet -----------------------------------------------------------------------


def test_a3_sheet_with_600_lines_and_24_ads_is_one_landscape_page(
    calendar: AnnualCalendar, tmp_path: Path
) -> None:
    notes: list[tuple[int, str]] = []
    path = write(
        tmp_path,
        "a3.pdf",
        pdf.render_annual_calendar(calendar, SheetFormat.A3, progress=lambda *a: notes.append(a)),
    )

    assert info(path)["Pages"] == "1"
    assert page_size(path) == A3_LANDSCAPE
    assert_japanese_fonts_embedded(path)
    printed = text(path)
    compact = "".join(printed.split())
    holidays = [
        name
        for day in (datetime.date(2026, 1, 1) + datetime.timedelta(n) for n in range(365))
        if (name := holiday_name(day))
    ]
    assert len(holidays) == 18
    assert {"振替休日", "国民の休日", "スポーツの日", "勤労感謝の日"} <= set(holidays)
    for name in holidays:
        assert f"●{name}" in compact  # in the day's cell
    assert "5月6日振替休日" in compact
    assert "9月22日国民の休日" in compact
    assert month_order(path) == list(range(1, 13))
    assert "みなみ校区コミュニティ協議会" in compact
    assert "令和8年(2026年)" in compact
    assert {"みなみ商店", "ひがし歯科", "協賛21商会", "広告募集中"} <= set(
        re.findall(r"みなみ商店|ひがし歯科|協賛21商会|広告募集中", compact)
    )
    assert "【中止】" in compact
    assert re.search(r"ほか\d+件", compact)  # the first Sunday of each month has six lines
    assert [percent for percent, _ in notes] == sorted(percent for percent, _ in notes)
    assert notes[-1][0] == 100


def test_a2_sheet_is_the_a3_layout_scaled_to_a2(calendar: AnnualCalendar, tmp_path: Path) -> None:
    path = write(tmp_path, "a2.pdf", pdf.render_annual_calendar(calendar, SheetFormat.A2))

    assert info(path)["Pages"] == "1"
    assert page_size(path) == A2_LANDSCAPE
    assert info(path)["Page size"].endswith("(A2)")
    assert_japanese_fonts_embedded(path)


def test_a_full_day_shows_how_many_more_lines_there_are(
    calendar: AnnualCalendar, tmp_path: Path
) -> None:
    draft = calendar.drafts.get(number=2)
    on_day = [line for line in draft.lines if line["date"] == "2026-06-07"]
    assert len(on_day) >= 6  # the first Sunday of June

    printed = "".join(
        text(write(tmp_path, "a3.pdf", pdf.render_annual_calendar(calendar, "a3"))).split()
    )

    assert f"ほか{len(on_day) - pdf.WALL_CELL_LINES + 1}件" in printed


def test_an_older_draft_can_be_printed(calendar: AnnualCalendar, tmp_path: Path) -> None:
    first = calendar.drafts.get(number=1)
    path = write(tmp_path, "a3.pdf", pdf.render_annual_calendar(calendar, "a3", draft=first))

    printed = "".join(text(path).split())
    # Long lines end in an ellipsis on the sheet; their first characters are always there.
    assert all(line["title"][:5] in printed for line in first.lines)
    assert not re.search(r"ほか\d+件", printed)


def test_a_fiscal_year_sheet_runs_from_april_to_march_across_two_years(
    council: Council, media: Path, tmp_path: Path
) -> None:
    calendar = make_calendar(council, year=2026, year_kind=YearKind.FISCAL, lines=50)
    path = write(tmp_path, "fy.pdf", pdf.render_annual_calendar(calendar, SheetFormat.A3))

    assert info(path)["Pages"] == "1"
    assert month_order(path) == [4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3]
    compact = "".join(text(path).split())
    assert "令和8年度(2026年度)" in compact
    header = next(line for line in text(path, "-layout").splitlines() if "12月" in line)
    assert re.search(r"2026年\s*4月.*12月\s*2027年\s*1月", header), header
    assert "●成人の日" in compact  # 2027-01-11, in the second calendar year
    assert "2月29日" not in compact


def test_a_calendar_without_drafts_is_refused(council: Council) -> None:
    calendar = AnnualCalendar.objects.create(council=council.council, year=2026, title="暦")

    with pytest.raises(ValueError, match="no draft"):
        pdf.render_annual_calendar(calendar, SheetFormat.A3)


def test_an_unknown_sheet_or_another_calendars_draft_is_refused(
    calendar: AnnualCalendar, council: Council
) -> None:
    other = AnnualCalendar.objects.create(council=council.council, year=2027, title="暦")
    stranger = CalendarDraft.objects.create(calendar=other, number=1, lines=[])

    with pytest.raises(ValueError, match="unknown sheet"):
        pdf.render_annual_calendar(calendar, "b4")
    with pytest.raises(ValueError, match="not a draft of"):
        pdf.render_annual_calendar(calendar, SheetFormat.A3, draft=stranger)


# --- The booklet --------------------------------------------------------------------------


def test_a4_booklet_has_a_page_per_month_and_a_multiple_of_four_pages(
    calendar: AnnualCalendar, tmp_path: Path
) -> None:
    path = write(tmp_path, "booklet.pdf", pdf.render_annual_calendar(calendar, "a4_booklet"))

    pages = int(info(path)["Pages"])
    assert pages % 4 == 0
    assert pages == 16  # cover, 12 months, advertisements, one blank, back cover
    assert page_size(path) == A4_PORTRAIT
    assert_japanese_fonts_embedded(path)
    for month in range(1, 13):
        page = text(path, "-layout", "-f", str(month + 1), "-l", str(month + 1))
        assert "".join(page.split()).startswith(f"{month}月令和8年(2026年)"), page[:40]
        assert page.split()[-1] == str(month + 1)  # the page number, at the foot
    draft = calendar.drafts.get(number=2)
    june = "".join(text(path, "-f", "7", "-l", "7").split())
    assert all(line["title"] in june for line in draft.lines if line["date"][:7] == "2026-06")
    ads = "".join(text(path, "-f", "14", "-l", "14").split())
    assert "みなみ商店" in ads
    assert "勤労感謝の日" in ads
    assert text(path, "-f", "15", "-l", "15").strip() == ""
    assert "発行みなみ校区コミュニティ協議会" in "".join(text(path, "-f", "16", "-l", "16").split())


def test_a_booklet_month_running_over_a_page_still_ends_on_a_multiple_of_four(
    council: Council, media: Path, tmp_path: Path
) -> None:
    calendar = make_calendar(council, lines=1500)
    path = write(tmp_path, "booklet.pdf", pdf.render_annual_calendar(calendar, "a4_booklet"))

    pages = int(info(path)["Pages"])
    assert pages > 16
    assert pages % 4 == 0


# --- The newsletter -----------------------------------------------------------------------


@pytest.fixture
def issue(council: Council, media: Path) -> NewsletterIssue:
    issue = NewsletterIssue.objects.create(
        council=council.council,
        name="みなみだより",
        number=42,
        issue_date=datetime.date(2026, 6, 1),
        status=IssueStatus.PUBLISHED,
        published_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        editor_note="梅雨入りです。足もとに気をつけてお出かけください。",
    )
    Article.objects.create(
        issue=issue,
        position=1,
        heading="夏祭りを開きます",
        body="今年も校区の夏祭りを開きます。\n\n" + "やぐらを囲んで盆踊りをします。" * 30,
        image=artwork("matsuri.png", "MATSURI"),
        image_alt="昨年の夏祭りのやぐら",
        caption="昨年の夏祭りの様子",
    )
    Article.objects.create(
        issue=issue,
        position=2,
        heading="防災訓練のお知らせ",
        body="避難経路を確かめましょう。" * 120,
    )
    Notice.objects.create(
        issue=issue, kind=NoticeKind.MUNICIPAL, title="ごみ収集日の変更", body="祝日も収集します。"
    )
    Notice.objects.create(
        issue=issue,
        kind=NoticeKind.CELEBRATION,
        title="金婚の集い",
        body="結婚50年を迎えたご夫婦をお祝いします。",
        organisation=council.associations[0],
    )
    Notice.objects.create(
        issue=issue,
        kind=NoticeKind.OBITUARY,
        title="訃報 山田太郎様",
        deceased_name="山田太郎",
        age=88,
        area="東町内会",
        died_on=datetime.date(2026, 5, 20),
        funeral="5月22日 南斎場にて",
        chief_mourner="山田花子",
        consent_by="山田花子",
        consent_relation="妻",
        consent_on=datetime.date(2026, 5, 21),
        consent_fields=["deceased_name", "age", "area", "died_on"],
        web_until=datetime.date(2026, 5, 25),  # long past on the issue date: print anyway
    )
    Notice.objects.create(
        issue=issue,
        kind=NoticeKind.OBITUARY,
        title="訃報 鈴木次郎様",
        deceased_name="鈴木次郎",
        age=92,
        area="西町内会",
        chief_mourner="鈴木一郎",
        consent_fields=["deceased_name", "age", "area"],  # but nobody's consent recorded
    )
    return issue


def test_newsletter_prints_articles_notices_and_only_the_consented_obituary_fields(
    issue: NewsletterIssue, tmp_path: Path
) -> None:
    notes: list[tuple[int, str]] = []
    path = write(
        tmp_path, "news.pdf", pdf.render_newsletter(issue, progress=lambda *a: notes.append(a))
    )

    assert page_size(path) == A4_PORTRAIT
    assert_japanese_fonts_embedded(path)
    compact = "".join(text(path).split())
    assert compact.startswith("みなみだより第42号令和8年6月1日発行発行みなみ校区コミュニティ協議会")
    assert "校正刷り" not in compact
    assert "夏祭りを開きます" in compact
    assert "昨年の夏祭りの様子" in compact
    in_order = "".join(text(path, "-raw").split())  # as written, column by column
    positions = [in_order.index(word) for word in ("金婚の集い", "ごみ収集日の変更", "訃報")]
    assert positions == sorted(positions)
    assert "東町内会" in compact
    for shown in ("山田太郎", "88歳", "令和8年5月20日"):
        assert shown in compact
    for hidden in ("山田花子", "南斎場", "鈴木次郎", "西町内会", "鈴木一郎"):
        assert hidden not in compact
    assert notes[-1][0] == 100


def test_newsletter_is_set_in_two_columns_with_page_numbers(
    issue: NewsletterIssue, tmp_path: Path
) -> None:
    path = write(tmp_path, "news.pdf", pdf.render_newsletter(issue))

    pages = int(info(path)["Pages"])
    assert pages >= 2
    bbox = text(path, "-bbox", "-f", "1", "-l", "1")
    lefts = [float(x) for x in re.findall(r'<word xMin="([\d.]+)"', bbox)]
    middle = A4_PORTRAIT[0] / 2
    assert any(x < middle - 30 for x in lefts)
    assert any(x > middle + 10 for x in lefts)
    for page in range(1, pages + 1):
        assert text(path, "-f", str(page), "-l", str(page)).split()[-1] == f"―{page}―"


def test_a_draft_issue_is_marked_as_a_proof(issue: NewsletterIssue, tmp_path: Path) -> None:
    issue.status, issue.published_at = IssueStatus.DRAFT, None
    issue.save()

    path = write(
        tmp_path, "proof.pdf", pdf.render_newsletter(issue, today=datetime.date(2026, 5, 28))
    )

    assert "校正刷り(令和8年5月28日作成)" in "".join(text(path).split())


# --- Nothing from the network ---------------------------------------------------------------


def test_the_url_fetcher_reads_only_data_and_files_in_the_media_folder(
    media: Path, tmp_path: Path
) -> None:
    media.mkdir(parents=True)
    inside = media / "ok.png"
    inside.write_bytes(png("OK"))
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    fetcher = pdf.local_url_fetcher()

    assert fetcher.fetch(inside.as_uri()).read() == inside.read_bytes()
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"
    for refused in (
        "https://example.com/ad.png",
        "http://127.0.0.1:8000/admin/",
        "ftp://example.com/x",
        outside.as_uri(),
        (media / ".." / "secret.txt").as_uri(),
    ):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(refused)
