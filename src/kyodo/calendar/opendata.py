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

import datetime
import heapq
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.shortcuts import get_object_or_404

from kyodo.calendar import recurrence
from kyodo.calendar.models import Entry, EntryException, EntryKind
from kyodo.calendar.queries import descendant_ids
from kyodo.directory.models import Organisation, OrganisationKind

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
# Required by the definition. 開始時間 and 終了時間 are too, but an all-day entry has none
# (see ALL_DAY), so on import blank times mean an all-day entry.
REQUIRED_COLUMNS = ("イベント名", "イベント名_カナ", "開始日", "終了日", "説明", "場所名称", "住所")
# An all-day entry leaves 開始時間 and 終了時間 blank and says 「終日」 in 開始日時特記事項.
# The definition asks for hh:mm times because most events have them; for one that has none,
# 00:00 and 23:59 would state opening hours nobody set (a map or calendar application would
# show a festival "from midnight"), and a re-import could not tell such an entry from one
# that really runs all night. 開始日時特記事項 exists for what the times cannot say.
ALL_DAY = "終日"
CANCELLED = "【中止】"
NOTE_SEPARATOR = "。"


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
        return f"{entry.description}\n議題:\n{entry.agenda}"
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
