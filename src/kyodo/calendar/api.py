"""The calendar part of the JSON API: the public calendar with the calendar page's filters (as
entries, or as their occurrences in a period), one entry, and the officers' writes through
the services. An entry goes out in the shape it comes in, so what is read can be put back."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import BeforeValidator

from kyodo.calendar import queries, recurrence, services
from kyodo.calendar.forms import MAX_EXCEPTIONS, ORGANISATION_REFUSED, FilterForm
from kyodo.calendar.models import Entry
from kyodo.core.api import READ_AUTH, WRITE_AUTH, ErrorOut
from kyodo.directory.models import Organisation

router = Router(tags=["calendar"])

# A period is expanded into occurrences in memory, so it is bounded: a year at most.
MAX_PERIOD_DAYS = 366
MAX_LIMIT = 500


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


# The calendar page's form sends its empty choices ("すべての地域") as empty parameters.
BlankIsNone = BeforeValidator(_blank_is_none)


class EntryFilters(Schema):
    area: Annotated[int | None, BlankIsNone] = Field(
        None,
        description="地域(市町村または校区コミュニティ協議会)のID。その地域とその下の組織の"
        "行事・会議",
    )
    org: Annotated[int | None, BlankIsNone] = Field(
        None, description="主催する組織のID。その組織の行事・会議だけ"
    )
    kind: Literal["", "event", "meeting"] = Field(
        "", description="種類: event=行事・イベント、meeting=会議。空ならすべて"
    )
    observable: bool = Field(
        False,
        description="true なら傍聴できる会議(傍聴可・傍聴要事前申込。中止したものを除く)だけ",
    )
    q: str = Field(
        "",
        description="キーワード。空白で区切った5語まで、すべてを含むもの。名称・よみがな・説明・"
        "議題・場所・住所・主催者から探します",
    )
    from_: Annotated[datetime.date | None, BlankIsNone] = Field(
        None,
        alias="from",
        description="期間の初日(YYYY-MM-DD)。to と一緒に指定すると、期間にかかる回を1件ずつ"
        "日付順に返します(繰り返す行事は回ごと、休止日を除く)。指定しなければ行事・会議を"
        "1件ずつ開始日順に",
    )
    to: Annotated[datetime.date | None, BlankIsNone] = Field(
        None, description=f"期間の末日(YYYY-MM-DD)。from から{MAX_PERIOD_DAYS}日以内"
    )
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"1ページの件数({MAX_LIMIT}まで)")
    offset: int = Field(0, ge=0, le=1_000_000_000, description="先頭から飛ばす件数")


class EntryIn(Schema):
    kind: Literal["event", "meeting"] = Field(
        description="種類: event=行事・イベント、meeting=会議"
    )
    title: str = Field(description="名称(200字まで)")
    title_kana: str = Field(description="名称のよみがな(カタカナまたはひらがな)")
    title_en: str = Field("", description="名称(英語)")
    start_date: datetime.date = Field(description="開始日(YYYY-MM-DD、日本の日付)")
    end_date: datetime.date = Field(
        description="終了日(YYYY-MM-DD)。1日で終わるものは開始日と同じ日"
    )
    start_time: datetime.time | None = Field(
        None, description="開始時間(HH:MM、日本時間)。終日のものは null"
    )
    end_time: datetime.time | None = Field(
        None,
        description="終了時間(HH:MM)。開始時間と両方入れるか、終日なら両方 null。"
        "1日のものは開始時間より後",
    )
    date_note: str = Field("", description="日時の特記事項(例: 雨天の場合は翌週に延期)")
    repeat: Literal["", "weekly", "monthly_weekday", "monthly_day"] = Field(
        "",
        description="繰り返し: 空=繰り返さない、weekly=毎週(同じ曜日)、"
        "monthly_weekday=毎月(第N何曜日。第5は最終何曜日)、monthly_day=毎月(同じ日付)。"
        "繰り返すのは1日で終わるものだけ",
    )
    repeat_interval: int = Field(1, description="繰り返しの間隔(1〜12)。2なら隔週・隔月")
    repeat_until: datetime.date | None = Field(
        None,
        description="繰り返しの終了日(YYYY-MM-DD)。繰り返すときは必須で、開始日から3年以内",
    )
    exceptions: list[datetime.date] = Field(
        default_factory=list,
        max_length=MAX_EXCEPTIONS,
        description="休止日: 繰り返しの日のうち開催しない日(YYYY-MM-DD の配列)。繰り返すものだけ",
    )
    description: str = Field(description="説明")
    fee_amount: int | None = Field(
        None, description="料金(基本、円)。無料なら0、料金の案内がなければ null"
    )
    fee_detail: str = Field("", description="料金(詳細)(例: 資料代として)")
    contact_name: str = Field("", description="連絡先名称")
    contact_phone: str = Field("", description="連絡先電話番号")
    contact_extension: str = Field("", description="連絡先内線番号")
    organiser_name: str = Field("", description="主催者。空なら組織名")
    venue_name: str = Field(description="場所名称")
    address: str = Field(description="住所")
    building: str = Field("", description="方書(建物名・部屋)")
    latitude: Decimal | None = Field(None, description="緯度(世界測地系、十進、小数6桁まで)")
    longitude: Decimal | None = Field(None, description="経度(世界測地系、十進、小数6桁まで)")
    access: str = Field("", description="アクセス方法")
    parking: str = Field("", description="駐車場情報")
    capacity: int | None = Field(None, description="定員。定めがなければ null")
    apply_by_date: datetime.date | None = Field(
        None, description="参加申込終了日(YYYY-MM-DD)。終了日まで"
    )
    apply_by_time: datetime.time | None = Field(
        None, description="参加申込終了時間(HH:MM)。参加申込終了日と一緒に"
    )
    apply_method: str = Field("", description="参加申込方法")
    external_url: str = Field(
        "", description="行事・会議を案内するほかのページの URL(主催者のサイトなど)"
    )
    notes: str = Field("", description="備考")
    observer_policy: Literal["", "open", "closed", "advance"] = Field(
        "",
        description="傍聴の可否。会議は必須、行事は空: open=傍聴可、closed=傍聴不可、"
        "advance=傍聴要事前申込",
    )
    observer_how: str = Field("", description="傍聴の申込方法(申込先・締切など)")
    agenda: str = Field("", description="議題(会議)")


class EntryCreateIn(EntryIn):
    organisation: int = Field(
        description="主催する組織のID。その組織の役員・職員・連絡担当者(会員なら事務局も)が"
        "登録できます"
    )
    publish: bool = Field(False, description="true なら登録と同時に公開、false なら下書き")


class OccurrenceOut(Schema):
    start_date: datetime.date = Field(description="この回の開始日")
    end_date: datetime.date = Field(description="この回の終了日")


class EntryOut(EntryIn):
    id: int = Field(description="行事・会議のID")
    organisation: int = Field(description="主催する組織のID")
    organisation_name: str = Field(description="主催する組織の名称")
    status: Literal["draft", "published", "cancelled"] = Field(
        description="状態: draft=下書き、published=公開中、cancelled=中止(中止の旨を添えて"
        "掲載を続けます)"
    )
    status_label: str = Field(description="状態の表示(下書き・公開中・中止)")
    kind_label: str = Field(description="種類の表示(行事・イベント・会議)")
    observer_policy_label: str = Field(
        description="傍聴の表示(傍聴可・傍聴不可・傍聴要事前申込)。行事は空"
    )
    recurrence: str = Field(
        description="繰り返しの説明(例: 毎月第1日曜日(令和9年3月31日まで))。繰り返さないものは空"
    )
    cancel_reason: str = Field(description="中止の理由(中止のときだけ)")
    updated_at: datetime.datetime = Field(description="最後に変更した日時")
    url: str = Field(description="kyodo の行事・会議のページの URL")
    ics: str = Field(description="この行事・会議の iCalendar ファイル(entry.ics)の URL")
    occurrence: OccurrenceOut | None = Field(
        None, description="from と to を指定したとき、期間にかかるこの回の日付"
    )


class EntryPage(Schema):
    count: int = Field(description="条件に合う件数(from と to を指定したときは回の数)")
    limit: int = Field(description="1ページの件数")
    offset: int = Field(description="先頭から飛ばした件数")
    next: str | None = Field(description="次のページの URL。最後のページなら null")
    items: list[EntryOut] = Field(description="行事・会議(from と to を指定したときは回)")


class StatusIn(Schema):
    status: Literal["draft", "published", "cancelled"] = Field(
        description="published=公開(中止からの再開も)、cancelled=中止(公開中のものだけ)、"
        "draft=下書きに戻す(公開中のものだけ)"
    )
    reason: str = Field("", description="中止の理由(cancelled のとき必須。例: 雨天のため)")


def _record(
    request: HttpRequest, entry: Entry, occurrence: queries.Occurrence | None = None
) -> dict[str, Any]:
    """The entry as :class:`EntryOut`. Needs the organisation and exceptions loaded."""
    record = {name: getattr(entry, name) for name in services.ENTRY_FIELDS}
    record["external_url"] = record.pop("url")
    ics = reverse("calendar:entry_ics", kwargs={"pk": entry.pk})
    return record | {
        "id": entry.pk,
        "exceptions": [exception.date for exception in entry.exceptions.all()],
        "organisation": entry.organisation_id,
        "organisation_name": entry.organisation.name,
        "status": entry.status,
        "status_label": entry.get_status_display(),
        "kind_label": entry.get_kind_display(),
        "observer_policy_label": entry.get_observer_policy_display(),
        "recurrence": recurrence.describe(entry),
        "cancel_reason": entry.cancel_reason,
        "updated_at": entry.updated_at,
        "url": request.build_absolute_uri(entry.get_absolute_url()),
        "ics": request.build_absolute_uri(ics),
        "occurrence": (
            {"start_date": occurrence.start, "end_date": occurrence.end} if occurrence else None
        ),
    }


def _values(payload: EntryIn) -> tuple[dict[str, Any], list[datetime.date]]:
    """The service's values and exception dates from the posted entry."""
    data = payload.dict()
    data["url"] = data.pop("external_url")
    return {name: data[name] for name in services.ENTRY_FIELDS}, data["exceptions"]


def _refusal(detail: str, errors: dict[str, list[str]]) -> Status[Any]:
    return Status(400, {"detail": detail, "errors": errors})


class _FilterError(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors


def _filters(
    params: EntryFilters,
) -> tuple[queries.Filters, tuple[datetime.date, datetime.date] | None]:
    """The page's filters and the period, if any. Raises :class:`_FilterError` with the
    reasons, by parameter, when they name no such area or organisation or an impossible
    period."""
    form = FilterForm(
        {
            "area": params.area or "",
            "org": params.org or "",
            "kind": params.kind,
            "observable": params.observable,
            "q": params.q,
        }
    )
    filters = form.filters()
    errors: dict[str, list[str]] = {
        name: [str(message) for message in messages] for name, messages in form.errors.items()
    }
    period = None
    if params.from_ is not None and params.to is not None:
        period = (params.from_, params.to)
        if params.to < params.from_:
            errors["to"] = ["to には from 以降の日を指定してください。"]
        elif (params.to - params.from_).days >= MAX_PERIOD_DAYS:
            errors["to"] = [f"期間は{MAX_PERIOD_DAYS}日以内にしてください。"]
    elif params.from_ is not None or params.to is not None:
        errors["from" if params.from_ is None else "to"] = [
            "期間は from と to を両方指定してください。"
        ]
    if errors:
        raise _FilterError(errors)
    return filters, period


def _next_page(request: HttpRequest, params: EntryFilters, count: int) -> str | None:
    following = params.offset + params.limit
    if following >= count:
        return None
    query = request.GET.copy()
    query["offset"] = str(following)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _entry(request: HttpRequest, entry_id: int, perm: str = "calendar.view_entry") -> Entry:
    """The entry if the caller may see it (404 otherwise, so drafts stay unknown) and may do
    what ``perm`` names (403 otherwise)."""
    entry = queries.entry_by_pk(entry_id)
    if not request.user.has_perm("calendar.view_entry", entry):
        raise Http404
    if not request.user.has_perm(perm, entry):
        raise HttpError(403, "この行事・会議を変更する権限がありません。")
    return entry


def _save(request: HttpRequest, *, created: bool = False, **kwargs: Any) -> Status[Any]:
    try:
        entry = services.entry_save(actor=request.user, **kwargs)
    except ValidationError as error:
        return _refusal("行事・会議を保存できませんでした。", error.message_dict)
    return Status(201 if created else 200, _record(request, queries.entry_by_pk(entry.pk)))


@router.get("/entries", response={200: EntryPage, 400: ErrorOut, 422: ErrorOut}, auth=READ_AUTH)
def list_entries(request: HttpRequest, params: Query[EntryFilters]) -> Status[Any]:
    """公開中と中止の行事・会議を、カレンダーのページと同じ条件で絞り込んで返します。
    下書きは含みません。並びは開始日・開始時間・ID の順(from と to を指定したときは
    回の開始日・開始時間・名称・ID の順)で、ページをまたいでも変わりません。"""
    try:
        filters, period = _filters(params)
    except _FilterError as error:
        return _refusal("絞り込みの条件が正しくありません。", error.errors)
    end = params.offset + params.limit
    if period is not None:
        found = queries.window(filters, *period)
        count = len(found)
        items = [_record(request, o.entry, o) for o in found[params.offset : end]]
    else:
        entries = queries.listed(filters)
        count = entries.count()
        items = [_record(request, entry) for entry in entries[params.offset : end]]
    return Status(
        200,
        {
            "count": count,
            "limit": params.limit,
            "offset": params.offset,
            "next": _next_page(request, params, count),
            "items": items,
        },
    )


@router.post(
    "/entries",
    response={201: EntryOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
)
def create_entry(request: HttpRequest, payload: EntryCreateIn) -> Status[Any]:
    """組織の行事・会議を登録します(その組織の役員・職員など)。公開は publish か
    状態の変更で。"""
    organisation = Organisation.objects.filter(pk=payload.organisation).first()
    if organisation is None:
        return _refusal(
            "行事・会議を保存できませんでした。", {"organisation": [ORGANISATION_REFUSED]}
        )
    if not request.user.has_perm("calendar.post_entry", organisation):
        raise HttpError(403, "この組織の行事・会議を登録する権限がありません。")
    values, exceptions = _values(payload)
    return _save(
        request,
        created=True,
        organisation=organisation,
        values=values,
        exceptions=exceptions,
        publish=payload.publish,
    )


@router.get("/entries/{entry_id}", response={200: EntryOut, 404: ErrorOut}, auth=READ_AUTH)
def read_entry(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    """1件の行事・会議。下書きは、変更できる人にだけ返します(ほかの人には 404)。"""
    return _record(request, _entry(request, entry_id))


@router.put(
    "/entries/{entry_id}",
    response={200: EntryOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
)
def replace_entry(request: HttpRequest, entry_id: int, payload: EntryIn) -> Status[Any]:
    """行事・会議を丸ごと置き換えます(休止日も)。送らなかった任意の項目は空になります。
    公開後の変更は SEQUENCE を上げ、カレンダーアプリが新しい版を取り込みます。"""
    entry = _entry(request, entry_id, "calendar.change_entry")
    values, exceptions = _values(payload)
    return _save(
        request, organisation=entry.organisation, entry=entry, values=values, exceptions=exceptions
    )


@router.post(
    "/entries/{entry_id}/status",
    response={200: EntryOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
)
def change_status(request: HttpRequest, entry_id: int, payload: StatusIn) -> Status[Any]:
    """公開・中止(理由が必要)・再開・下書きに戻す。中止したものは中止の旨を添えて
    掲載を続けます。"""
    entry = _entry(request, entry_id, "calendar.change_entry")
    try:
        services.entry_set_status(
            entry=entry, status=payload.status, reason=payload.reason, actor=request.user
        )
    except ValidationError as error:
        return _refusal("状態を変更できませんでした。", error.message_dict)
    return Status(200, _record(request, queries.entry_by_pk(entry.pk)))
