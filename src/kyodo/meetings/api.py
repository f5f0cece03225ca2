"""The meetings part of the JSON API: list, read, create and replace meeting records in the
same shape as the export (``queries.meeting_record``)."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from kyodo.core.api import READ_AUTH, WRITE_AUTH, ErrorOut
from kyodo.directory.queries import network_by_slug
from kyodo.meetings import queries, services
from kyodo.meetings.models import Meeting

router = Router(tags=["meetings"])


class VenueSchema(Schema):
    kind: Literal["physical", "online"]
    name: str = ""
    address: str = ""
    online_tool: str = ""
    join_url: str = Field("", description="登録した参加者と事務局にだけ返します。")


class PersonSchema(Schema):
    role: str = Field(description="例: コーディネーター, 講師, 事例発表者, 講師(事例紹介者)")
    name: str = ""
    affiliation: str = ""
    organisation: int | None = Field(None, description="会員組織のID")
    person: int | None = Field(None, description="名簿の人のID")


class ProgrammeItemSchema(Schema):
    title: str
    is_breakout: bool = Field(False, description="分科会")
    note: str = ""
    children: list[ProgrammeItemSchema] = Field(default_factory=list)


class SectionSchema(Schema):
    placement: Literal["introduction", "summary", "programme", "closing"]
    heading: str = ""
    body: str


class FootnoteSchema(Schema):
    number: int
    term: str
    text: str


class MeetingIn(Schema):
    fiscal_year: int = Field(description="年度の始まる西暦年(令和2年度なら2020)")
    ordinal: int = Field(description="第N回のN")
    kind: str = "会議"
    title: str = ""
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    theme: str = ""
    content: str = ""
    attendee_description: str = ""
    attendee_count_manual: int | None = None
    capacity: int | None = None
    registration_deadline: datetime.datetime | None = None
    grouping_label: str = Field(
        "", description="参加申込で参加者ごとに選んでもらう質問(例: コミプラのフェーズ)"
    )
    grouping_choices: list[str] = Field(
        default_factory=list, description='その選択肢(例: ["1・2", "3・4"])。2つ以上。'
    )
    status: Literal["draft", "open", "held", "published"] = Field(
        "draft", description="published にはできません。公開は画面の「開催結果を公開」で。"
    )
    venues: list[VenueSchema] = Field(default_factory=list)
    people: list[PersonSchema] = Field(default_factory=list)
    programme: list[ProgrammeItemSchema] = Field(default_factory=list)
    sections: list[SectionSchema] = Field(default_factory=list)
    footnotes: list[FootnoteSchema] = Field(default_factory=list)


class MeetingOut(MeetingIn):
    id: int
    network: str
    display_title: str


def _visible_record(
    request: HttpRequest, meeting: Meeting, *, registered: bool | None = None
) -> dict[str, Any]:
    """The record as the caller may see it: join URLs only for organisers and attendees."""
    record = queries.record_of(meeting)
    if registered is None:
        registered = bool(queries.registered_meeting_ids(request.user, [meeting.pk]))
    if not (registered or request.user.has_perm("meetings.change_meeting", meeting)):
        for venue in record["venues"]:
            venue["join_url"] = ""
    return record


def _meeting(request: HttpRequest, meeting_id: int, perm: str) -> Meeting:
    meeting = queries.meeting_by_pk(meeting_id)
    if not request.user.has_perm(perm, meeting):
        raise PermissionDenied
    return meeting


def _save(request: HttpRequest, *, created: bool = False, **kwargs: Any) -> Status[Any]:
    try:
        meeting = services.meeting_save_record(actor=request.user, **kwargs)
    except services.RecordError as error:
        return Status(400, {"detail": "記録を保存できませんでした。", "errors": error.message_dict})
    return Status(201 if created else 200, queries.meeting_record(meeting))


@router.get(
    "/networks/{slug}/meetings",
    response=list[MeetingOut],
    auth=READ_AUTH,
)
def list_meetings(
    request: HttpRequest, slug: str, fiscal_year: int | None = None
) -> list[dict[str, Any]]:
    """The network's meetings the caller may see, by start time."""
    network = network_by_slug(slug)
    meetings = queries.meetings_for_records().filter(network=network).order_by("starts_at", "pk")
    if fiscal_year is not None:
        meetings = meetings.filter(fiscal_year=fiscal_year)
    visible = [m for m in meetings if request.user.has_perm("meetings.view_meeting", m)]
    registered = queries.registered_meeting_ids(request.user, [m.pk for m in visible])
    return [_visible_record(request, m, registered=m.pk in registered) for m in visible]


@router.post(
    "/networks/{slug}/meetings",
    response={201: MeetingOut, 400: ErrorOut, 403: ErrorOut},
    auth=WRITE_AUTH,
)
def create_meeting(request: HttpRequest, slug: str, payload: MeetingIn) -> Status[Any]:
    """Create a meeting from a record (the secretariat of the network only)."""
    network = network_by_slug(slug)
    if not request.user.has_perm("meetings.manage_network_meetings", network):
        raise HttpError(403, "このネットワークの会議を登録する権限がありません。")
    return _save(request, created=True, network=network, record=payload.dict())


@router.get("/meetings/{meeting_id}", response=MeetingOut, auth=READ_AUTH)
def read_meeting(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    """One meeting's record: the export, which can be posted again without loss."""
    meeting = _meeting(request, meeting_id, "meetings.view_meeting")
    return _visible_record(request, queries.meetings_for_records().get(pk=meeting.pk))


@router.put(
    "/meetings/{meeting_id}",
    response={200: MeetingOut, 400: ErrorOut, 403: ErrorOut},
    auth=WRITE_AUTH,
)
def replace_meeting(request: HttpRequest, meeting_id: int, payload: MeetingIn) -> Status[Any]:
    """Replace a meeting's record as a whole (the secretariat of the network only)."""
    meeting = _meeting(request, meeting_id, "meetings.change_meeting")
    return _save(request, network=meeting.network, meeting=meeting, record=payload.dict())
