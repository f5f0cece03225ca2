"""The calendar as open data: each municipality's published and cancelled entries as the
recommended dataset 「イベント一覧」 (自治体標準オープンデータセット, デジタル庁), and the same
format read back, so that officers can bring in a list kept in a spreadsheet.

The dataset's definition fixes the 32 column names and their order, dates as YYYY-MM-DD and
times as hh:mm, and the file name ``{6-digit local government code}_event.csv``. Files
published elsewhere differ in bracket width (料金(基本) / 料金（基本）) and encoding (UTF-8,
UTF-8 with BOM, Shift_JIS), so reading normalises header names with NFKC and tries UTF-8,
then cp932; writing uses UTF-8 with a BOM, which spreadsheet software opens correctly.
"""

from __future__ import annotations

import csv
import datetime
import heapq
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count
from django.shortcuts import get_object_or_404

from kyodo.calendar import recurrence
from kyodo.calendar.models import Entry, EntryException, EntryKind
from kyodo.calendar.queries import normalise
from kyodo.core.exports import uninert
from kyodo.directory.models import Organisation, OrganisationKind
from kyodo.directory.queries import descendant_ids

COLUMNS = (
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "イベント名",
    "イベント名_カナ",
    "イベント名_英語",
    "開始日",
    "終了日",
    "開始時間",
    "終了時間",
    "開始日時特記事項",
    "説明",
    "料金(基本)",
    "料金(詳細)",
    "連絡先名称",
    "連絡先電話番号",
    "連絡先内線番号",
    "主催者",
    "場所名称",
    "住所",
    "方書",
    "緯度",
    "経度",
    "アクセス方法",
    "駐車場情報",
    "定員",
    "参加申込終了日",
    "参加申込終了時間",
    "参加申込方法",
    "URL",
    "備考",
)
# The columns an entry's fields are read from on import. The first four columns (code, NO,
# prefecture, municipality) say where the file came from; the organisation chosen on the
# import page decides where the entries go.
FIELD_OF = {
    "イベント名": "title",
    "イベント名_カナ": "title_kana",
    "イベント名_英語": "title_en",
    "開始日": "start_date",
    "終了日": "end_date",
    "開始時間": "start_time",
    "終了時間": "end_time",
    "開始日時特記事項": "date_note",
    "説明": "description",
    "料金(基本)": "fee_amount",
    "料金(詳細)": "fee_detail",
    "連絡先名称": "contact_name",
    "連絡先電話番号": "contact_phone",
    "連絡先内線番号": "contact_extension",
    "主催者": "organiser_name",
    "場所名称": "venue_name",
    "住所": "address",
    "方書": "building",
    "緯度": "latitude",
    "経度": "longitude",
    "アクセス方法": "access",
    "駐車場情報": "parking",
    "定員": "capacity",
    "参加申込終了日": "apply_by_date",
    "参加申込終了時間": "apply_by_time",
    "参加申込方法": "apply_method",
    "URL": "url",
    "備考": "notes",
}
COLUMN_OF = {name: column for column, name in FIELD_OF.items()}
# Required by the definition. 開始時間 and 終了時間 are too, but an all-day entry has none
# (see ALL_DAY), so on import blank times mean an all-day entry.
REQUIRED_COLUMNS = ("イベント名", "イベント名_カナ", "開始日", "終了日", "説明", "場所名称", "住所")
DATE_COLUMNS = frozenset({"開始日", "終了日", "参加申込終了日"})
TIME_COLUMNS = frozenset({"開始時間", "終了時間", "参加申込終了時間"})
WHOLE_NUMBER_COLUMNS = frozenset({"料金(基本)", "定員"})
DEGREE_COLUMNS = frozenset({"緯度", "経度"})

# An all-day entry leaves 開始時間 and 終了時間 blank and says 「終日」 in 開始日時特記事項.
# The definition asks for hh:mm times because most events have them; for one that has none,
# 00:00 and 23:59 would state opening hours nobody set (a map or calendar application would
# show a festival "from midnight"), and a re-import could not tell such an entry from one
# that really runs all night. 開始日時特記事項 exists for what the times cannot say.
ALL_DAY = "終日"
AGENDA_HEADING = "\n議題:\n"
# The path of an entry's page on kyodo, as the URL column of an exported file gives it.
ENTRY_PAGE = re.compile(r"/calendar/entries/(\d{1,18})/?$")
CANCELLED = "【中止】"
NOTE_SEPARATOR = "。"

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


def filename(municipality: Organisation) -> str:
    return f"{municipality.lgcode}_event.csv"


def municipality_by_lgcode(lgcode: str) -> Organisation:
    return get_object_or_404(
        Organisation.objects.select_related("parent"),
        kind=OrganisationKind.MUNICIPALITY,
        lgcode=lgcode,
    )


# --- Cells ---------------------------------------------------------------------------------


def katakana(text: str) -> str:
    """イベント名_カナ is written in full-width katakana: hiragana and half-width katakana
    become full-width katakana."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        chr(ord(char) + 0x60) if "ぁ" <= char <= "ゖ" or char in "ゝゞ" else char for char in text
    )


def _date(value: datetime.date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _time(value: datetime.time | None) -> str:
    return f"{value:%H:%M}" if value else ""


def _number(value: Any) -> Any:
    return "" if value is None else value


def _date_note(entry: Entry) -> str:
    parts = [ALL_DAY] if entry.is_all_day else []
    if entry.repeat:
        parts.append(recurrence.describe(entry))
    if entry.date_note:
        parts.append(entry.date_note)
    return NOTE_SEPARATOR.join(parts)


def _description(entry: Entry) -> str:
    if entry.kind == EntryKind.MEETING and entry.agenda:
        return f"{entry.description}{AGENDA_HEADING}{entry.agenda}"
    return entry.description


def observer_line(entry: Entry) -> str:
    """「傍聴: 傍聴要事前申込(申込方法: …)」 for a meeting, nothing for an event."""
    if entry.kind != EntryKind.MEETING:
        return ""
    how = f"(申込方法: {entry.observer_how})" if entry.observer_how else ""
    return f"傍聴: {entry.get_observer_policy_display()}{how}"


def _remarks(entry: Entry) -> str:
    lines = [f"{CANCELLED}{entry.cancel_reason}"] if entry.is_cancelled else []
    lines += [entry.notes, observer_line(entry)]
    return "\n".join(line for line in lines if line)


def entry_cells(entry: Entry, day: datetime.date, url: str) -> dict[str, Any]:
    """The columns that describe the entry itself, for the occurrence starting on ``day``.
    Text is written as stored; csv_response makes cells that look like formulas inert."""
    return {
        "イベント名": entry.title,
        "イベント名_カナ": katakana(entry.title_kana),
        "イベント名_英語": entry.title_en,
        "開始日": _date(day),
        "終了日": _date(day + (entry.end_date - entry.start_date)),
        "開始時間": _time(entry.start_time),
        "終了時間": _time(entry.end_time),
        "開始日時特記事項": _date_note(entry),
        "説明": _description(entry),
        "料金(基本)": _number(entry.fee_amount),
        "料金(詳細)": entry.fee_detail,
        "連絡先名称": entry.contact_name,
        "連絡先電話番号": entry.contact_phone,
        "連絡先内線番号": entry.contact_extension,
        "主催者": entry.organiser,
        "場所名称": entry.venue_name,
        "住所": entry.address,
        "方書": entry.building,
        "緯度": _number(entry.latitude),
        "経度": _number(entry.longitude),
        "アクセス方法": entry.access,
        "駐車場情報": entry.parking,
        "定員": _number(entry.capacity),
        "参加申込終了日": _date(entry.apply_by_date),
        "参加申込終了時間": _time(entry.apply_by_time),
        "参加申込方法": entry.apply_method,
        "URL": entry.url or url,
        "備考": _remarks(entry),
    }


# --- Export ---------------------------------------------------------------------------------


def _in_order(
    entries: Iterable[Entry], skipped: Mapping[int, set[datetime.date]]
) -> Iterator[tuple[datetime.date, Entry]]:
    """Every occurrence in date order, from entries that arrive in order of their first date.
    An occurrence is held back only until an entry starting later arrives, so a stream of
    rows needs memory for the recurring entries in progress, not for the whole file."""
    waiting: list[tuple[datetime.date, datetime.time, int, Entry]] = []
    for entry in entries:
        while waiting and waiting[0][0] < entry.start_date:
            day, _time, _pk, ready = heapq.heappop(waiting)
            yield day, ready
        days = recurrence.rule_dates(entry)
        for day in days:
            if day not in skipped.get(entry.pk, ()):
                heapq.heappush(
                    waiting, (day, entry.start_time or datetime.time.min, entry.pk, entry)
                )
    while waiting:
        day, _time, _pk, ready = heapq.heappop(waiting)
        yield day, ready


def event_rows(
    municipality: Organisation, *, url_of: Callable[[Entry], str]
) -> Iterator[list[Any]]:
    """The municipality's file, one row per occurrence in date order: the published and
    cancelled entries of every organisation under it. Three queries (the organisation tree,
    the exception dates, then the entries through a cursor) whatever the number of rows."""
    entries = (
        Entry.objects.visible()
        .filter(organisation_id__in=descendant_ids(municipality))
        .select_related("organisation")
        .order_by("start_date", "pk")
    )
    skipped: dict[int, set[datetime.date]] = defaultdict(set)
    for entry_id, day in EntryException.objects.filter(
        entry__in=entries.exclude(repeat="").values("pk")
    ).values_list("entry_id", "date"):
        skipped[entry_id].add(day)
    prefecture = municipality.parent.name if municipality.parent else ""
    occurrences = _in_order(entries.iterator(chunk_size=500), skipped)
    for number, (day, entry) in enumerate(occurrences, start=1):
        cells = entry_cells(entry, day, url_of(entry))
        where = {
            "都道府県コード又は市区町村コード": municipality.lgcode,
            "NO": number,
            "都道府県名": prefecture,
            "市区町村名": municipality.name,
        }
        yield [where[column] if column in where else cells[column] for column in COLUMNS]


@dataclass(frozen=True)
class MunicipalityFile:
    municipality: Organisation
    entries: int

    @property
    def filename(self) -> str:
        return filename(self.municipality)


def municipality_files() -> list[MunicipalityFile]:
    """Each municipality with published or cancelled entries under it, with their number,
    in code order. Three queries: the municipalities, the tree, the counts per organisation."""
    municipalities = list(
        Organisation.objects.municipalities().exclude(lgcode="").order_by("lgcode")
    )
    children: dict[int, list[int]] = defaultdict(list)
    for pk, parent in Organisation.objects.exclude(parent=None).values_list("pk", "parent_id"):
        children[parent].append(pk)
    counts = dict(
        Entry.objects.visible()
        .order_by()
        .values("organisation_id")
        .annotate(count=Count("pk"))
        .values_list("organisation_id", "count")
    )
    found = []
    for municipality in municipalities:
        total, stack, seen = 0, [municipality.pk], {municipality.pk}
        while stack:
            pk = stack.pop()
            total += counts.get(pk, 0)
            for child in children[pk]:
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        if total:
            found.append(MunicipalityFile(municipality, total))
    return found


# --- Import ---------------------------------------------------------------------------------


class FileRefusedError(ValueError):
    """The file as a whole cannot be read; the message says why, in Japanese."""


@dataclass(frozen=True)
class ImportRow:
    """One row of an uploaded file: its number as a spreadsheet shows it (the header is row
    1), its cells by column, the fields read from them, and what could not be read."""

    number: int
    cells: dict[str, str]
    values: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)
    cancelled: bool = False

    def key(self) -> tuple[Any, ...]:
        """What makes two rows, or a row and an entry, the same event."""
        values = self.values
        return (
            values.get("title"),
            values.get("start_date"),
            values.get("start_time"),
            values.get("venue_name"),
        )

    def entry_page(self) -> int | None:
        """The kyodo entry whose page the URL cell names, if it names one."""
        found = ENTRY_PAGE.search(self.cells.get("URL", ""))
        return int(found.group(1)) if found else None

    def values_for(self, entry: Entry | None, organisation: Organisation) -> dict[str, Any]:
        """The fields to set on ``entry`` (None: a new entry of ``organisation``). A cell
        that reads the same as kyodo's own file writes it for the entry leaves its field
        alone, so a file exported, edited and imported again changes only what was edited:
        the katakana reading, 「終日」, the organisation as 主催者, the entry's own page as
        URL and the observer policy in 備考 are not copied into the entry's fields."""
        values = dict(self.values)
        if entry is None:
            values.update(kind=EntryKind.EVENT, observer_policy="")
            if values.get("organiser_name") == organisation.name:
                values["organiser_name"] = ""
            return values
        if entry.kind == EntryKind.MEETING and AGENDA_HEADING in values.get("description", ""):
            # 説明 carries a meeting's agenda after the description (see _description).
            values["description"], values["agenda"] = values["description"].split(AGENDA_HEADING, 1)
        exported = entry_cells(entry, entry.start_date, "")
        for column, cell in self.cells.items():
            name = FIELD_OF.get(column)
            if name in values and cell == str(exported[column]):
                del values[name]
        if values.get("url", "").endswith(entry.get_absolute_url()):
            del values["url"]
        if "notes" in values and (line := observer_line(entry)):
            values["notes"] = "\n".join(
                kept for kept in values["notes"].split("\n") if kept != line
            ).strip()
        return values


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefusedError(
        "文字コードを読み取れません。UTF-8 または Shift_JIS のCSVファイルとして保存してください。"
    )


_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::00)?")
_WHOLE_NUMBER = re.compile(r"\d+")
# 「終日」 as kyodo writes it before the rest of 開始日時特記事項; the blank times say it.
_ALL_DAY_NOTE = re.compile(rf"^{ALL_DAY}(?:[{NOTE_SEPARATOR}、/／ ]+|$)")


def _read_date(text: str) -> datetime.date:
    found = _DATE.fullmatch(normalise(text))
    try:
        if found is None:
            raise ValueError
        return datetime.date(*(int(part) for part in found.groups()))
    except ValueError:
        raise ValueError("日付の形式が正しくありません(例: 2026-12-06)") from None


def _read_time(text: str) -> datetime.time:
    found = _TIME.fullmatch(normalise(text))
    try:
        if found is None:
            raise ValueError
        return datetime.time(int(found[1]), int(found[2]))
    except ValueError:
        raise ValueError("時刻の形式が正しくありません(例: 09:30)") from None


def _read_whole_number(text: str) -> int:
    plain = normalise(text).replace(",", "").removesuffix("円").removesuffix("人")
    plain = plain.removesuffix("名").strip()
    if plain == "無料":
        return 0
    if not _WHOLE_NUMBER.fullmatch(plain):
        raise ValueError("0以上の整数で入力してください(例: 500)")
    return int(plain)


def _read_degrees(text: str) -> Decimal:
    try:
        value = Decimal(normalise(text))
        if not value.is_finite():
            raise InvalidOperation
        # The model keeps six decimal places (about 10 cm); GPS tools give more.
        return value.quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise ValueError("数値で入力してください(例: 31.596554)") from None


def _read_cell(column: str, text: str) -> Any:
    if column in DATE_COLUMNS:
        return _read_date(text) if text else None
    if column in TIME_COLUMNS:
        return _read_time(text) if text else None
    if column in WHOLE_NUMBER_COLUMNS:
        return _read_whole_number(text) if text else None
    if column in DEGREE_COLUMNS:
        return _read_degrees(text) if text else None
    return text


def _read_row(number: int, cells: dict[str, str]) -> ImportRow:
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    cancelled = False
    for column, text in cells.items():
        name = FIELD_OF[column]
        if column in REQUIRED_COLUMNS and not text:
            errors[name] = ["入力してください。"]
            continue
        try:
            values[name] = _read_cell(column, text)
        except ValueError as error:
            errors[name] = [str(error)]
    if not cells.get("開始時間") and "date_note" in values:
        values["date_note"] = _ALL_DAY_NOTE.sub("", values["date_note"], count=1)
    remarks = values.get("notes", "")
    if remarks.startswith(CANCELLED):
        cancelled = True
        values["notes"] = remarks.partition("\n")[2].strip()
    return ImportRow(number, cells, values, errors, cancelled)


def read_rows(data: bytes) -> list[ImportRow]:
    """The rows of an uploaded event list, each with the fields it gives and the cells that
    could not be read. Raises FileRefusedError when the file as a whole is unusable."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise FileRefusedError(too_large())
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    try:
        header = [normalise(name) for name in next(reader, [])]
        records = list(reader)
    except csv.Error as error:
        raise FileRefusedError(f"CSVファイルとして読み取れません({error})。") from None
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if not any(header):
        raise FileRefusedError("ファイルが空です。1行目に項目名のあるCSVファイルを選んでください。")
    if missing:
        raise FileRefusedError(
            f"必須の列がありません: {'、'.join(missing)}。1行目に項目名を書いてください"
            "(イベント一覧の形式)。"
        )
    doubled = sorted({name for name in header if name in FIELD_OF and header.count(name) > 1})
    if doubled:
        raise FileRefusedError(f"同じ名前の列が2つ以上あります: {'、'.join(doubled)}。")
    # Unknown columns (and the four that say where a file came from) are ignored.
    positions = {name: index for index, name in enumerate(header) if name in FIELD_OF}
    rows = []
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {
            column: uninert(record[index].strip()) if index < len(record) else ""
            for column, index in positions.items()
        }
        rows.append(_read_row(number, cells))
        if len(rows) > MAX_ROWS:
            raise FileRefusedError(too_large())
    if not rows:
        raise FileRefusedError("取り込む行がありません。2行目から1行に1件ずつ書いてください。")
    return rows


def too_large() -> str:
    return (
        f"ファイルが大きすぎます。{MAX_UPLOAD_BYTES // (1024 * 1024)}MB・{MAX_ROWS:,}行まで"
        "取り込めます。ファイルを分けて取り込んでください。"
    )


def error_lines(errors: Mapping[int, Mapping[str, list[str]]]) -> list[str]:
    """「3行目 開始日: 日付の形式が正しくありません(例: 2026-12-06)」, by row and column."""
    lines = []
    for number in sorted(errors):
        for name, messages in errors[number].items():
            column = COLUMN_OF.get(name, "")
            where = f"{number}行目 {column}" if column else f"{number}行目"
            lines += [f"{where}: {message}" for message in messages]
    return lines
