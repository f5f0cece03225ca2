"""Input of the recruitment requests: the request with a number per age band and the
associations asked, and a head's answer per band."""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any

from django import forms

from kyodo.calendar.models import Entry
from kyodo.core.dates import format_date
from kyodo.directory.models import Organisation
from kyodo.liaison.models import AgeBand
from kyodo.liaison.queries import recruitment as queries
from kyodo.liaison.queries.workshops import organiser_choices
from kyodo.liaison.services.recruitment import (
    ANSWER_AFTER_EVENT,
    FIRST_DAY,
    LAST_DAY,
    MAX_COUNT,
    NEGATIVE,
    NO_ASSOCIATIONS,
    OUT_OF_RANGE,
    TOO_MANY,
)

NOT_A_NUMBER = "人数は数字で入力してください(例: 5)。"
# Minus signs people type; NFKC turns the full-width hyphen-minus into "-" but not these.
_MINUS = str.maketrans({"−": "-", "‐": "-", "ー": "-", "―": "-"})


class CountField(forms.CharField):
    """A number of people as people type it: 「5」「５」「5人」. Blank is ``blank_value``
    (0 for a band, None for an optional count); below zero is refused with a message."""

    def __init__(self, *, blank_value: int | None = 0, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.blank_value = blank_value
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "size": "6"})

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return self.blank_value
        digits = unicodedata.normalize("NFKC", text).translate(_MINUS).strip().removesuffix("人")
        digits = digits.replace(",", "").strip()
        negative = digits.startswith("-")
        if not digits.lstrip("-").isascii() or not digits.lstrip("-").isdigit():
            raise forms.ValidationError(NOT_A_NUMBER, code="not_a_number")
        if negative:
            raise forms.ValidationError(NEGATIVE, code="min_value")
        number = int(digits)
        if number > MAX_COUNT:
            raise forms.ValidationError(TOO_MANY, code="max_value")
        return number


def band_fields(prefix: str) -> dict[str, CountField]:
    return {f"{prefix}_{band.value}": CountField(label=str(band.label)) for band in AgeBand}


class AssociationField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        council = obj.parent.name if obj.parent else ""
        return f"{obj.name}({council})" if council else obj.name


class EntryField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Entry) -> str:
        return f"{format_date(obj.start_date)} {obj.title}({obj.organisation.name})"


def _in_range(value: datetime.date | None) -> datetime.date | None:
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        raise forms.ValidationError(OUT_OF_RANGE, code="out_of_range")
    return value


class RecruitmentForm(forms.Form):
    organiser = forms.ModelChoiceField(
        label="依頼元", queryset=Organisation.objects.none(), empty_label=None
    )
    entry = EntryField(
        label="行事(カレンダーから選ぶ)",
        queryset=Entry.objects.none(),
        required=False,
        empty_label="選ばない(下に行事名と日を入力)",
        help_text="公開中の予定を選ぶと、行事名と行事の日が空欄のときはその予定から入ります。",
    )
    title = forms.CharField(label="行事名", max_length=200, required=False)
    event_date = forms.DateField(
        label="行事の日", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    answer_by = forms.DateField(
        label="回答期限",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="行事の日までの日にしてください。",
    )
    message = forms.CharField(
        label="依頼文", max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    associations = AssociationField(
        label="依頼する自治会・町内会",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": NO_ASSOCIATIONS},
    )

    def __init__(self, *args: Any, user: Any, today: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(band_fields("wanted"))
        self._field("organiser").queryset = organiser_choices(user)
        self._field("entry").queryset = queries.entry_choices(user, today).select_related(
            "organisation"
        )
        self._field("associations").queryset = queries.association_choices(user)

    def _field(self, name: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        return field

    @property
    def band_inputs(self) -> list[forms.BoundField]:
        return [self[f"wanted_{band.value}"] for band in AgeBand]

    @property
    def main_inputs(self) -> list[forms.BoundField]:
        names = ("organiser", "entry", "title", "event_date", "answer_by", "message")
        return [self[name] for name in names]

    def clean_event_date(self) -> datetime.date | None:
        return _in_range(self.cleaned_data.get("event_date"))

    def clean_answer_by(self) -> datetime.date | None:
        return _in_range(self.cleaned_data.get("answer_by"))

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        entry = cleaned.get("entry")
        if entry is None:
            if not cleaned.get("title") and "title" not in self.errors:
                self.add_error("title", "行事名を入力するか、カレンダーから行事を選んでください。")
            if not cleaned.get("event_date") and "event_date" not in self.errors:
                self.add_error(
                    "event_date", "行事の日を入力するか、カレンダーから行事を選んでください。"
                )
        event_date = cleaned.get("event_date") or (entry.start_date if entry else None)
        answer_by = cleaned.get("answer_by")
        if event_date and answer_by and answer_by > event_date:
            self.add_error("answer_by", ANSWER_AFTER_EVENT)
        return cleaned

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "organiser": data["organiser"],
            "entry": data.get("entry"),
            "title": data.get("title") or "",
            "event_date": data.get("event_date"),
            "answer_by": data["answer_by"],
            "message": data["message"],
            "wanted": {band.value: data[f"wanted_{band.value}"] for band in AgeBand},
            "associations": list(data["associations"]),
        }


class AnswerForm(forms.Form):
    note = forms.CharField(
        label="連絡事項",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="集合場所への送迎、参加者の名簿の届け方など、依頼元に伝えたいこと。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(band_fields("count"))

    @property
    def band_inputs(self) -> list[forms.BoundField]:
        return [self[f"count_{band.value}"] for band in AgeBand]

    def counts(self) -> dict[str, int]:
        return {band.value: self.cleaned_data[f"count_{band.value}"] for band in AgeBand}


def answer_initial(answers: dict[str, int], note: str) -> dict[str, Any]:
    return {**{f"count_{band}": str(count) for band, count in answers.items()}, "note": note}
