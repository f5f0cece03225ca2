"""Input of the calendar: the filters of the public pages and feeds, the entry editor and the
status form."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone

from kyodo.calendar import opendata, queries
from kyodo.calendar.models import (
    VISIBLE_STATUSES,
    Entry,
    EntryKind,
    EntryStatus,
    ObserverPolicy,
)
from kyodo.calendar.services import ENTRY_FIELDS
from kyodo.core.forms import add_service_errors, model_fields
from kyodo.directory.models import Organisation, OrganisationKind

MAX_EXCEPTIONS = 100


class OrganisationField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class AreaField(OrganisationField):
    """A municipality, or a council named with its municipality (「鹿児島市 みなみ校区…」)."""

    def label_from_instance(self, obj: Organisation) -> str:
        if obj.kind == OrganisationKind.COMMUNITY_COUNCIL and obj.parent is not None:
            return f"{obj.parent.name} {obj.name}"
        return obj.name


AREA_REFUSED = "地域には市町村またはコミュニティ協議会を指定してください(指定の地域はありません)。"
ORGANISATION_REFUSED = "指定した組織はありません。"


class FilterForm(forms.Form):
    """The filters shared by the month, week and list pages, the feed and the API. Unknown
    or malformed values are reported and ignored; a page still shows."""

    area = AreaField(
        queryset=Organisation.objects.filter(kind__in=queries.AREA_KINDS).select_related("parent"),
        required=False,
        label="地域",
        empty_label="すべて",
        error_messages={"invalid_choice": AREA_REFUSED},
    )
    # Any organisation may be named (an organisation page links here before it has posted
    # anything); the list offers those with entries, and the one chosen.
    org = OrganisationField(
        queryset=Organisation.objects.all(),
        required=False,
        label="組織",
        empty_label="すべて",
        error_messages={"invalid_choice": ORGANISATION_REFUSED},
    )
    kind = forms.ChoiceField(
        choices=[("", "すべて"), *EntryKind.choices], required=False, label="種類"
    )
    observable = forms.BooleanField(required=False, label="傍聴できる会議だけを表示")
    q = forms.CharField(required=False, max_length=50, label="キーワード")

    def offer_choices(self) -> None:
        """Fill the lists shown on a page (the API and the feeds need none): areas in code
        order, and the organisations with entries."""
        areas: Any = self.fields["area"]
        areas.queryset = areas.queryset.order_by("lgcode", "kana", "name")
        chosen = self.filters().organisation
        posting = Organisation.objects.filter(
            Q(calendar_entries__status__in=VISIBLE_STATUSES) | Q(pk=chosen.pk if chosen else None)
        )
        organisations: Any = self.fields["org"]
        organisations.widget.choices = [
            ("", "すべて"),
            *posting.distinct().order_by("kana", "name").values_list("pk", "name"),
        ]

    def filters(self) -> queries.Filters:
        self.is_valid()  # fields with errors are left out of cleaned_data, so ignored
        data = self.cleaned_data
        return queries.Filters(
            area=data.get("area"),
            organisation=data.get("org"),
            kind=data.get("kind") or "",
            observable=bool(data.get("observable")),
            words=queries.split_words(data.get("q") or ""),
        )


def _parse_month(value: str) -> datetime.date | None:
    try:
        year, month = (int(part) for part in value.split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return None


def month_of(value: str | None) -> datetime.date:
    """The month a page shows (``2026-12``), this month when absent or malformed."""
    month = _parse_month(value or "")
    if month is None or not 2000 <= month.year <= 2100:
        return timezone.localdate().replace(day=1)
    return month


def date_of(value: str | None, default: datetime.date) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return default
    return day if 2000 <= day.year <= 2100 else default


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self) -> None:
        super().__init__(format="%H:%M")


@model_fields(
    Entry,
    ENTRY_FIELDS,
    initial={"kind": EntryKind.EVENT, "repeat": ""},
    widgets={
        "start_date": DateInput(),
        "end_date": DateInput(),
        "repeat_until": DateInput(),
        "apply_by_date": DateInput(),
        "start_time": TimeInput(),
        "end_time": TimeInput(),
        "apply_by_time": TimeInput(),
        "description": forms.Textarea(attrs={"rows": 5}),
        "agenda": forms.Textarea(attrs={"rows": 3}),
        "observer_how": forms.Textarea(attrs={"rows": 2}),
        "notes": forms.Textarea(attrs={"rows": 2}),
    },
)
class EntryForm(forms.Form):
    """The whole entry on one page. The service checks it once more as the database would,
    and its messages are shown at the fields."""

    exceptions = forms.CharField(
        label="休止日",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="繰り返しのうち行わない日を1行に1日ずつ(例: 2027-01-03)",
    )
    organisation = OrganisationField(
        queryset=Organisation.objects.none(), label="組織", empty_label=None
    )

    def __init__(
        self,
        data: Any = None,
        *,
        organisations: list[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        if organisations is None:
            del self.fields["organisation"]
        else:
            field: Any = self.fields["organisation"]
            field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        policy: Any = self.fields["observer_policy"]
        policy.choices = [("", "選んでください(会議のみ)"), *ObserverPolicy.choices]
        self.fields["end_date"].required = False
        self.fields["end_date"].help_text = "1日だけの行事は空欄で構いません"

    def clean_exceptions(self) -> list[datetime.date]:
        dates = []
        lines = [line.strip() for line in self.cleaned_data["exceptions"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_EXCEPTIONS:
            raise ValidationError(f"休止日は{MAX_EXCEPTIONS}日までにしてください。")
        for number, line in enumerate(lines, start=1):
            try:
                dates.append(datetime.date.fromisoformat(line.replace("/", "-")))
            except ValueError:
                raise ValidationError(
                    f"{number}行目「{line}」は日付として読めません(例: 2027-01-03)。"
                ) from None
        return dates

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_date") and not data.get("end_date"):
            data["end_date"] = data["start_date"]
        if data.get("kind") == EntryKind.EVENT:
            # The meeting-only fields are hidden for events; clear what was left in them.
            data.update(observer_policy="", observer_how="", agenda="")
        if not data.get("repeat"):
            data.update(repeat_until=None, repeat_interval=1)
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ENTRY_FIELDS}

    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error)


def entry_initial(entry: Entry) -> dict[str, Any]:
    initial = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    initial["exceptions"] = "\n".join(f"{e.date:%Y-%m-%d}" for e in entry.exceptions.all())
    return initial


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=EntryStatus.choices, label="状態")
    reason = forms.CharField(
        required=False, max_length=300, label="中止の理由", help_text="中止にするときは必須"
    )


class ImportForm(forms.Form):
    organisation = OrganisationField(label="取り込む組織", queryset=Organisation.objects.none())
    file = forms.FileField(
        label="CSVファイル",
        help_text=(
            f"イベント一覧の形式。UTF-8 または Shift_JIS、"
            f"{opendata.MAX_UPLOAD_BYTES // (1024 * 1024)}MB・{opendata.MAX_ROWS:,}行まで。"
        ),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )
    publish = forms.BooleanField(
        label="取り込んだ行事をすぐに公開する",
        required=False,
        help_text="チェックしないときは下書きとして取り込みます。",
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, OrganisationField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        # Listed from what the view already has, without another query; no organisation is
        # chosen for the person unless there is only one.
        choices = [(o.pk, o.name) for o in organisations]
        field.choices = choices if len(choices) == 1 else [("", "選択してください"), *choices]

    def clean_file(self) -> list[opendata.ImportRow]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if (upload.size or 0) > opendata.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(opendata.too_large())
        try:
            return opendata.read_rows(upload.read(opendata.MAX_UPLOAD_BYTES + 1))
        except opendata.FileRefusedError as error:
            raise forms.ValidationError(str(error)) from None
