"""Input of the annual event calendar: a new calendar, its settings, leaving an entry out,
drafts and review, comments and replies, advertisement slots and delivery counts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from kyodo.calendar.forms import DateInput, OrganisationField
from kyodo.core.forms import model_fields
from kyodo.directory.models import Organisation
from kyodo.publications.models import AD_GRID, AdSlot, AnnualCalendar, Delivery, YearKind
from kyodo.publications.services.annual import AD_SLOT_FIELDS, CALENDAR_FIELDS, DELIVERY_FIELDS

MAX_ARTWORK_BYTES = 5 * 1024 * 1024
ARTWORK_FORMATS = {"image/png", "image/jpeg"}
NOT_AN_IMAGE = (
    "画像ファイルではありません。広告の画像にはJPEGまたはPNGの画像ファイルを選んでください。"
)


class CalendarCreateForm(forms.Form):
    council = OrganisationField(
        queryset=Organisation.objects.none(), label="協議会", empty_label=None
    )
    year = forms.IntegerField(
        label="年(西暦)",
        min_value=2000,
        max_value=2100,
        help_text="年度のカレンダーは始まる年(2027年度なら2027)",
    )
    year_kind = forms.ChoiceField(label="期間", choices=YearKind.choices, initial=YearKind.CALENDAR)
    title = forms.CharField(
        label="表題",
        max_length=200,
        required=False,
        help_text="空欄なら「令和9年 (協議会名) 年間行事カレンダー」のように付けます。",
    )

    def __init__(self, *args: Any, councils: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["council"]
        field.queryset = Organisation.objects.filter(pk__in=[c.pk for c in councils])
        field.choices = [(c.pk, c.name) for c in councils]


@model_fields(AnnualCalendar, CALENDAR_FIELDS, widgets={"notes": forms.Textarea(attrs={"rows": 3})})
class CalendarSettingsForm(forms.Form):
    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CALENDAR_FIELDS}


class ExcludeForm(forms.Form):
    entry = forms.IntegerField(label="行事")
    excluded = forms.BooleanField(label="掲載しない", required=False)


class DraftForm(forms.Form):
    message = forms.CharField(
        label="委員へのお知らせ",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="例: 第2稿です。各町内会の行事の日付を確認してください。",
    )


class ReviewForm(forms.Form):
    comments_until = forms.DateField(label="意見の締切日", required=False, widget=DateInput())


class CommentForm(forms.Form):
    organisation = OrganisationField(
        queryset=Organisation.objects.none(), label="団体", empty_label=None
    )
    body = forms.CharField(
        label="意見",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例: 1月10日の「どんど焼き」は1月11日の誤りです。",
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        field.choices = [(o.pk, o.name) for o in organisations]


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="回答", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    resolved = forms.BooleanField(label="対応済みにする", required=False)


@model_fields(
    AdSlot,
    AD_SLOT_FIELDS,
    widgets={
        "invoiced_on": DateInput(),
        "paid_on": DateInput(),
        "text": forms.Textarea(attrs={"rows": 3}),
    },
)
class AdSlotForm(forms.Form):
    """An advertisement slot. The position is counted from 1 here, as people count boxes;
    left empty, the service places the slot at the first free position."""

    column = forms.IntegerField(
        label="位置(左から何枠目)",
        min_value=1,
        max_value=AD_GRID.columns,
        required=False,
        help_text="空欄なら空いている所に自動で入れます(上の段の左から順に)。",
    )
    row = forms.IntegerField(
        label="位置(上から何段目)", min_value=1, max_value=AD_GRID.rows, required=False
    )
    artwork = forms.ImageField(
        label="広告の画像",
        required=False,
        help_text="JPEGまたはPNG、5MBまで。画像か広告文のどちらかは必須です。",
        error_messages={"invalid_image": NOT_AN_IMAGE},
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_artwork = forms.BooleanField(label="登録済みの画像を削除する", required=False)

    def __init__(self, *args: Any, has_artwork: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["width"].widget.attrs.update(min=1, max=AD_GRID.columns)
        self.fields["height"].widget.attrs.update(min=1, max=AD_GRID.rows)
        self.fields["width"].max_value = AD_GRID.columns  # type: ignore[attr-defined]
        self.fields["height"].max_value = AD_GRID.rows  # type: ignore[attr-defined]
        self.fields["artwork"].widget = forms.FileInput(attrs={"accept": "image/png,image/jpeg"})
        if not has_artwork:
            del self.fields["remove_artwork"]

    def clean_artwork(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("artwork")
        if not upload:
            return None
        if (upload.size or 0) > MAX_ARTWORK_BYTES:
            raise ValidationError("広告の画像は5MBまでにしてください。")
        if upload.content_type not in ARTWORK_FORMATS:
            raise ValidationError(
                "広告の画像はJPEGまたはPNGにしてください(この形式の画像は使えません)。"
            )
        return upload

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in AD_SLOT_FIELDS}

    def position(self) -> tuple[int | None, int | None]:
        """The position as the service takes it (from 0), or None where left empty."""
        column, row = self.cleaned_data.get("column"), self.cleaned_data.get("row")
        return (
            column - 1 if column is not None else None,
            row - 1 if row is not None else None,
        )

    def add_service_errors(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)


def ad_slot_initial(slot: AdSlot) -> dict[str, Any]:
    initial = {name: getattr(slot, name) for name in AD_SLOT_FIELDS}
    initial.update(column=slot.column + 1, row=slot.row + 1)
    return initial


@model_fields(Delivery, DELIVERY_FIELDS, widgets={"delivered_on": DateInput()})
class DeliveryForm(forms.Form):
    """One association's row. Copies left empty are the number of households."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["copies"].required = False
        self.fields["households"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("households") is None:
            data["households"] = 0
        if data.get("copies") is None:
            data["copies"] = data["households"]
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DELIVERY_FIELDS}
