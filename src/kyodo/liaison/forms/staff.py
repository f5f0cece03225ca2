"""Input of the liaison-staff area: assignments, an area's request and its answer, and the
participation log. The choices come from ``queries.staff``; the services check them again."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils import timezone

from kyodo.core.dates import format_fiscal_year
from kyodo.directory.models import Organisation
from kyodo.liaison.models import AssignmentRole, Participation
from kyodo.liaison.queries.staff import LogChoices, StaffChoice, entry_label
from kyodo.liaison.services.staff import FUTURE_DATE

FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)
HOURS_NOT_A_NUMBER = "時間は数字で入力してください(例: 2.5)。"
HOURS_RANGE = "時間は0.1時間から24時間の間で入力してください。"
HOURS_STEP = "時間は0.1時間単位(小数第1位まで)で入力してください。"
_HOURS_SUFFIX = re.compile(r"(時間|h|hours?)$", re.IGNORECASE)


class HoursField(forms.CharField):
    """Hours as people type them: 「2.5」「２．５」「2.5時間」. Refused, never guessed: text,
    0, more than 24, or more than one decimal place."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if not text:
            return None
        text = _HOURS_SUFFIX.sub("", unicodedata.normalize("NFKC", text).strip()).strip()
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            raise forms.ValidationError(HOURS_NOT_A_NUMBER, code="not_a_number")
        try:
            hours = Decimal(text)
        except InvalidOperation as error:
            raise forms.ValidationError(HOURS_NOT_A_NUMBER, code="not_a_number") from error
        if not Decimal("0.1") <= hours <= Decimal(24):
            raise forms.ValidationError(HOURS_RANGE, code="out_of_range")
        if hours != hours.quantize(Decimal("0.1")):
            raise forms.ValidationError(HOURS_STEP, code="step")
        return hours.quantize(Decimal("0.1"))


def _staff_field(choices: Sequence[StaffChoice], label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "選んでください"), *((str(c.person.pk), c.label) for c in choices)],
    )


def _organisation_field(
    organisations: Sequence[Organisation], label: str, *, required: bool, blank: str
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=required,
        choices=[("", blank), *((str(o.pk), o.name) for o in organisations)],
    )


class AssignmentForm(forms.Form):
    """A manager assigns a staff member to an area for the page's fiscal year."""

    def __init__(
        self,
        *args: Any,
        areas: Sequence[Organisation],
        staff: Sequence[StaffChoice],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._areas = {str(area.pk): area for area in areas}
        self._people = {str(choice.person.pk): choice.person for choice in staff}
        self.fields["area"] = _organisation_field(
            areas, "担当地域", required=True, blank="選んでください"
        )
        self.fields["person"] = _staff_field(staff, "職員")
        self.fields["role"] = forms.ChoiceField(
            label="担当の別", choices=AssignmentRole.choices, initial=AssignmentRole.LEAD
        )

    def values(self) -> dict[str, Any]:
        return {
            "area": self._areas[self.cleaned_data["area"]],
            "person": self._people[self.cleaned_data["person"]],
            "role": self.cleaned_data["role"],
        }


class StaffRequestForm(forms.Form):
    """An area asks for a particular staff member for this fiscal year or the next."""

    def __init__(
        self, *args: Any, staff: Sequence[StaffChoice], years: Sequence[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._people = {str(choice.person.pk): choice.person for choice in staff}
        self.fields["person"] = _staff_field(staff, "希望する職員")
        self.fields["fiscal_year"] = forms.TypedChoiceField(
            label="年度",
            coerce=int,
            choices=[
                (str(year), f"{format_fiscal_year(year)}({'今年度' if i == 0 else '来年度'})")
                for i, year in enumerate(years)
            ],
            initial=str(years[-1]),
        )
        self.fields["reason"] = forms.CharField(
            label="希望の理由",
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="市の担当課に伝わります。地域とのこれまでの関わりなどを書いてください。",
        )

    def values(self) -> dict[str, Any]:
        return {
            "person": self._people[self.cleaned_data["person"]],
            "fiscal_year": self.cleaned_data["fiscal_year"],
            "reason": self.cleaned_data["reason"],
        }


class DecisionForm(forms.Form):
    """The answer to an area's request: approve (with the role) or decline (with a reason,
    which the service requires)."""

    decision = forms.ChoiceField(
        label="回答", choices=(("approve", "承認する"), ("decline", "見送る"))
    )
    role = forms.ChoiceField(
        label="担当の別",
        choices=AssignmentRole.choices,
        required=False,
        initial=AssignmentRole.LEAD,
    )
    decision_note = forms.CharField(
        label="見送る理由", max_length=2000, required=False, widget=forms.Textarea
    )

    @property
    def approve(self) -> bool:
        return bool(self.cleaned_data["decision"] == "approve")


class ParticipationForm(forms.Form):
    """A participation in a local event: a calendar entry of one of the person's areas, or a
    title typed in; the day; the hours; a note."""

    def __init__(
        self,
        *args: Any,
        choices: LogChoices,
        current: Participation | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        entries = list(choices.entries)
        if current is not None and current.entry is not None and current.entry not in entries:
            entries.append(current.entry)
        areas, municipalities = list(choices.areas), list(choices.municipalities)
        # A log of an earlier year keeps its area and municipality when corrected.
        if current is not None:
            if current.area is not None and current.area not in areas:
                areas.append(current.area)
            if current.municipality not in municipalities:
                municipalities.append(current.municipality)
        self._entries = {str(entry.pk): entry for entry in entries}
        self._areas = {str(area.pk): area for area in areas}
        self._municipalities = {str(m.pk): m for m in municipalities}
        today = timezone.localdate()
        self.fields["entry"] = forms.ChoiceField(
            label="カレンダーの行事",
            required=False,
            choices=[
                ("", "カレンダーにない行事(下に行事名を入力)"),
                *((key, entry_label(entry)) for key, entry in self._entries.items()),
            ],
            help_text="担当している地域(今年度・昨年度)のカレンダーに公開された行事です。",
        )
        self.fields["title"] = forms.CharField(
            label="行事名(カレンダーにない行事)",
            max_length=200,
            required=False,
            help_text="カレンダーから選んだ場合は入力不要です。",
        )
        self.fields["date"] = forms.DateField(
            label="参加日",
            widget=forms.DateInput(attrs={"type": "date", "max": today.isoformat()}),
            help_text="参加した日。未来の日付は記録できません。",
        )
        self.fields["hours"] = HoursField(
            label="時間", help_text="0.1時間から24時間まで、小数第1位まで(例: 2.5)。"
        )
        if areas:
            self.fields["area"] = _organisation_field(
                areas,
                "地域(カレンダーにない行事)",
                required=False,
                blank="指定しない",
            )
        if len(municipalities) > 1:
            self.fields["municipality"] = _organisation_field(
                municipalities,
                "市町村(カレンダーにない行事)",
                required=False,
                blank="選んでください",
            )
        self.fields["note"] = forms.CharField(
            label="メモ",
            max_length=2000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="役割や地域の様子など(任意)。",
        )

    def clean_date(self) -> datetime.date:
        date: datetime.date = self.cleaned_data["date"]
        if not FIRST_DAY <= date <= LAST_DAY:
            raise forms.ValidationError("参加日は2000年から2100年の間で入力してください。")
        if date > timezone.localdate():
            raise forms.ValidationError(FUTURE_DATE, code="future")
        return date

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "entry": self._entries.get(data.get("entry") or ""),
            "title": data.get("title", ""),
            "date": data["date"],
            "hours": data["hours"],
            "area": self._areas.get(data.get("area") or ""),
            "municipality": self._municipalities.get(data.get("municipality") or ""),
            "note": data.get("note", ""),
        }


def participation_initial(participation: Participation) -> dict[str, Any]:
    return {
        "entry": str(participation.entry_id or ""),
        "title": "" if participation.entry_id else participation.title,
        "date": participation.date,
        "hours": f"{participation.hours}",
        "area": str(participation.area_id or ""),
        "municipality": str(participation.municipality_id),
        "note": participation.note,
    }
