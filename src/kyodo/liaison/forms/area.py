"""Input of an area's key people, open matters and handover plans."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from kyodo.core.forms import model_fields
from kyodo.directory.models import Person
from kyodo.liaison.models import Handover, HandoverItem, KeyPerson, OpenMatter
from kyodo.liaison.services.area import ENDS_BEFORE_START, SAME_PERSON, START_IN_PAST

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@model_fields(
    KeyPerson,
    ("name", "kana", "role_in_area", "contact", "approach", "notes", "is_active"),
    widgets={
        "approach": forms.Textarea(attrs={"rows": 3}),
        "notes": forms.Textarea(attrs={"rows": 4}),
        "name": forms.TextInput(attrs={"autocomplete": "off"}),
        "contact": forms.TextInput(attrs={"autocomplete": "off"}),
    },
)
class KeyPersonForm(forms.Form):
    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def key_person_initial(key_person: KeyPerson) -> dict[str, Any]:
    return {name: getattr(key_person, name) for name in KeyPersonForm.base_fields}


@model_fields(
    OpenMatter, ("title", "detail"), widgets={"detail": forms.Textarea(attrs={"rows": 5})}
)
class MatterForm(forms.Form):
    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


@model_fields(
    Handover,
    ("starts_on", "ends_on", "note"),
    widgets={"starts_on": DATE, "ends_on": DATE, "note": forms.Textarea(attrs={"rows": 3})},
)
class HandoverForm(forms.Form):
    outgoing = PersonChoiceField(label="前任(いまの担当)", queryset=Person.objects.none())
    incoming = PersonChoiceField(label="後任", queryset=Person.objects.none())

    field_order = ("outgoing", "incoming", "starts_on", "ends_on", "note")

    def __init__(
        self,
        *args: Any,
        outgoing: QuerySet[Person],
        incoming: QuerySet[Person],
        days: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        outgoing_field = self.fields["outgoing"]
        incoming_field = self.fields["incoming"]
        assert isinstance(outgoing_field, PersonChoiceField)
        assert isinstance(incoming_field, PersonChoiceField)
        outgoing_field.queryset = outgoing
        incoming_field.queryset = incoming
        outgoing_field.empty_label = "選んでください"
        incoming_field.empty_label = "選んでください"
        ends = self.fields["ends_on"]
        ends.required = False
        ends.help_text = f"空欄なら開始日から{days}日間です。"
        self.fields[
            "starts_on"
        ].help_text = "今日以降の日。この日から後任は地域のキーマンを見られます。"

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        outgoing, incoming = cleaned.get("outgoing"), cleaned.get("incoming")
        if outgoing is not None and incoming is not None and outgoing.pk == incoming.pk:
            self.add_error("incoming", SAME_PERSON)
        starts: datetime.date | None = cleaned.get("starts_on")
        ends: datetime.date | None = cleaned.get("ends_on")
        if starts is not None and ends is not None and ends < starts:
            self.add_error("ends_on", ENDS_BEFORE_START)
        return cleaned

    def clean_starts_on(self) -> datetime.date:
        starts: datetime.date = self.cleaned_data["starts_on"]
        if starts < timezone.localdate():
            raise forms.ValidationError(START_IN_PAST, code="past")
        return starts


@model_fields(HandoverItem, ("label", "note"))
class ItemForm(forms.Form):
    pass


class CompleteForm(forms.Form):
    force = forms.BooleanField(label="未了の項目があるまま完了する", required=False)
    note = forms.CharField(
        label="完了時のメモ",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="未了の項目があるまま完了するときは、理由を書いてください。",
    )
