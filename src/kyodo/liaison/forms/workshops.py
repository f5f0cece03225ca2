"""Input of the workshops: a series, a session, a facilitation request and its answer."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from kyodo.core.dates import format_date
from kyodo.core.forms import model_fields
from kyodo.directory.models import Organisation, Person
from kyodo.liaison.forms.recruitment import CountField
from kyodo.liaison.models import (
    FacilitationRequest,
    SessionKind,
    WorkshopSeries,
    WorkshopSession,
)
from kyodo.liaison.queries import workshops as queries
from kyodo.liaison.services.workshops import (
    NO_FACILITATOR,
    NO_REPLY,
    NO_SESSIONS,
    SESSION_FIELDS,
)

FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
OUT_OF_RANGE = "日付は2000年から2100年の間で入力してください。"
ENDS_BEFORE_START = "終了時間は開始時間より後にしてください。"


def _model_choice(form: forms.Form, name: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


@model_fields(WorkshopSeries, ("title", "purpose"))
class SeriesForm(forms.Form):
    organiser = forms.ModelChoiceField(
        label="主催", queryset=Organisation.objects.none(), empty_label=None
    )
    area = forms.ModelChoiceField(
        label="地域(コミュニティ協議会)",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="指定しない",
        help_text="選んだ協議会の役員もこのワークショップを見られます。",
    )

    field_order = ("organiser", "title", "area", "purpose")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "organiser").queryset = queries.organiser_choices(user)
        _model_choice(self, "area").queryset = queries.areas_for(user)
        self.order_fields(self.field_order)


@model_fields(
    WorkshopSession,
    ("kind", "date", "start_time", "end_time", "title", "venue", "note"),
    widgets={
        "date": forms.DateInput(attrs={"type": "date"}),
        "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        "kind": forms.RadioSelect,
        "note": forms.Textarea(attrs={"rows": 3}),
    },
)
class SessionForm(forms.Form):
    participants = CountField(
        label="参加人数", blank_value=None, help_text="空欄でもかまいません。"
    )

    field_order = SESSION_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = SessionKind.choices
        self.order_fields(self.field_order)

    def clean_date(self) -> datetime.date:
        date: datetime.date = self.cleaned_data["date"]
        if not FIRST_DAY <= date <= LAST_DAY:
            raise forms.ValidationError(OUT_OF_RANGE, code="out_of_range")
        return date

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", ENDS_BEFORE_START)
        return cleaned

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def session_initial(session: WorkshopSession) -> dict[str, Any]:
    initial = {name: getattr(session, name) for name in SESSION_FIELDS}
    initial["participants"] = "" if session.participants is None else str(session.participants)
    return initial


class SessionChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: WorkshopSession) -> str:
        return f"{format_date(obj.date)} {obj.get_kind_display()} {obj.title}"


class FacilitationRequestForm(forms.Form):
    department = forms.ModelChoiceField(
        label="依頼先の課",
        queryset=Organisation.objects.none(),
        empty_label="選んでください",
        error_messages={"invalid_choice": "依頼先は同じ市町村のほかの課から選んでください。"},
    )
    sessions = SessionChoiceField(
        label="依頼する回",
        queryset=WorkshopSession.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": NO_SESSIONS},
    )
    message = forms.CharField(
        label="依頼の内容",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="ねらい、参加者の見込み、準備してほしいことなど。",
    )

    def __init__(self, *args: Any, series: WorkshopSeries, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "department").queryset = queries.departments_to_ask(series)
        _model_choice(self, "sessions").queryset = series.sessions.all()


ACCEPT, DECLINE = "accept", "decline"


class FacilitationAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label="回答",
        choices=[(ACCEPT, "引き受ける"), (DECLINE, "お断りする")],
        widget=forms.RadioSelect,
    )
    facilitator = forms.ModelChoiceField(
        label="担当するファシリテーター",
        queryset=Person.objects.none(),
        required=False,
        empty_label="選んでください",
        help_text="引き受ける場合に、課の職員から選びます。",
    )
    reply = forms.CharField(
        label="回答のことば",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="お断りする場合は理由を必ず書いてください。",
    )

    def __init__(self, *args: Any, request: FacilitationRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _model_choice(self, "facilitator").queryset = queries.department_staff(request.department)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        decision = cleaned.get("decision")
        missing = cleaned.get("facilitator") is None and "facilitator" not in self.errors
        if decision == ACCEPT and missing:
            self.add_error("facilitator", NO_FACILITATOR)
        if decision == DECLINE and not (cleaned.get("reply") or "").strip():
            self.add_error("reply", NO_REPLY)
        return cleaned
