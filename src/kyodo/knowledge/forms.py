"""Input of the shared knowledge: the post and case editors (with one optional PDF per
save), the list filters, and the secretariat's themes of a Q&A."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from kyodo.core.dates import format_fiscal_year
from kyodo.core.files import check_pdf
from kyodo.core.forms import model_fields
from kyodo.directory.models import Network, Organisation
from kyodo.knowledge import queries
from kyodo.knowledge.models import MAX_BODY, Case, Phase, Post, PostKind, Scope, Status, Theme
from kyodo.meetings.models import Meeting

STATUS_CHOICES = [(Status.DRAFT, "下書き(公開しない)"), (Status.PUBLISHED, "公開する")]
TOO_LONG = "%(limit_value)s文字以内で入力してください(現在%(show_value)s文字)。"


class MeetingField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.display_title}({obj.get_status_display()})"


class AttachmentMixin(forms.Form):
    attachment_title = forms.CharField(
        label="追加する資料の名前", max_length=200, required=False, help_text="例: 事業の概要"
    )
    attachment = forms.FileField(
        label="追加する資料(PDF、20MBまで)",
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_attachment(self) -> UploadedFile[bytes] | None:
        upload: UploadedFile[bytes] | None = self.cleaned_data.get("attachment")
        if upload:
            check_pdf(upload, size=upload.size or 0)
        return upload or None


class _Editor(AttachmentMixin):
    """The fields every editor shares; ``network`` and ``organisation`` only when creating."""

    network = forms.ModelChoiceField(label="ネットワーク", queryset=Network.objects.none())
    organisation = forms.ModelChoiceField(label="組織", queryset=Organisation.objects.none())
    status = forms.ChoiceField(
        label="状態", choices=STATUS_CHOICES, widget=forms.RadioSelect, initial=Status.DRAFT
    )

    def __init__(self, *args: Any, user: Any, network: Network | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title", "body", "summary", "what_worked", "what_did_not"):
            if name in self.fields:
                self.fields[name].error_messages["max_length"] = TOO_LONG
        for field in self.fields.values():
            # A list starts with words, not Django's dashes: a prompt, or "not set".
            empty = "選んでください" if field.required else "未設定"
            if isinstance(field, forms.ModelMultipleChoiceField):
                continue
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = empty
            elif isinstance(field, forms.ChoiceField):
                choices = list(field.choices)  # type: ignore[arg-type]
                if choices and choices[0][0] == "":
                    field.choices = [("", empty), *choices[1:]]
        if network is not None:  # editing: where it belongs does not change
            del self.fields["network"]
            del self.fields["organisation"]
            self.network_id = network.pk
            return
        ids = queries.writable_network_ids(user)
        network_field: forms.ModelChoiceField = self.fields["network"]  # type: ignore[type-arg,assignment]
        network_field.queryset = Network.objects.filter(pk__in=ids)
        network_field.empty_label = None
        chosen = str(self.data.get("network") or "")
        self.network_id = int(chosen) if chosen in map(str, ids) else (ids[0] if ids else 0)
        organisation_field: forms.ModelChoiceField = self.fields["organisation"]  # type: ignore[type-arg,assignment]
        organisation_field.queryset = queries.organisation_choices(user, self.network_id)
        if len(ids) < 2:
            self.fields["network"].widget = forms.HiddenInput()
            self.initial.setdefault("network", self.network_id)

    def values(self) -> dict[str, Any]:
        skip = {"attachment", "attachment_title"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


@model_fields(Post, ("kind", "scope", "source", "title", "body", "audience"))
class PostForm(_Editor):
    field_order = ("network", "organisation", "kind", "scope", "source", "title", "body")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs.update({"rows": 12})
        self.fields["body"].max_length = MAX_BODY  # type: ignore[attr-defined]


@model_fields(
    Case,
    (
        "scope",
        "source",
        "title",
        "phase",
        "summary",
        "what_worked",
        "what_did_not",
        "contact_department",
        "contact_details",
        "audience",
    ),
)
class CaseForm(_Editor):
    themes = forms.ModelMultipleChoiceField(
        label="テーマ",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meetings = MeetingField(
        label="紹介した会議",
        queryset=Meeting.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="開催結果を公開した会議だけが、事例のページからリンクされます。",
    )
    field_order = (
        "network",
        "organisation",
        "scope",
        "source",
        "title",
        "themes",
        "phase",
        "summary",
        "what_worked",
        "what_did_not",
        "meetings",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes: forms.ModelMultipleChoiceField = self.fields["themes"]  # type: ignore[type-arg,assignment]
        themes.queryset = queries.theme_choices(self.network_id)
        meetings: MeetingField = self.fields["meetings"]  # type: ignore[assignment]
        meetings.queryset = queries.meeting_choices(self.network_id)
        for name in ("summary", "what_worked", "what_did_not"):
            self.fields[name].widget.attrs.update({"rows": 6})
        if "organisation" in self.fields:
            self.fields["organisation"].help_text = (
                "県内の事例は、その市町村・団体を選びます。県外の事例は掲載する組織を選び、"
                "「県外の自治体・団体」に名称を入力します。"
            )

    def values(self) -> dict[str, Any]:
        values = super().values()
        values["themes"] = list(values.get("themes") or [])
        values["meetings"] = list(values.get("meetings") or [])
        return values


def _choices(pairs: list[tuple[Any, Any]], empty: str) -> list[tuple[Any, Any]]:
    return [("", empty), *pairs]


class PostFilter(forms.Form):
    kind = forms.ChoiceField(
        label="種類", choices=_choices(PostKind.choices, "すべて"), required=False
    )
    scope = forms.ChoiceField(
        label="県内・県外", choices=_choices(Scope.choices, "すべて"), required=False
    )


class CaseFilter(forms.Form):
    theme = forms.TypedChoiceField(label="テーマ", coerce=int, required=False, empty_value=None)
    phase = forms.TypedChoiceField(
        label="コミプラのフェーズ",
        coerce=int,
        required=False,
        empty_value=None,
        choices=_choices(Phase.choices, "すべて"),
    )
    scope = forms.ChoiceField(
        label="県内・県外", choices=_choices(Scope.choices, "すべて"), required=False
    )

    def __init__(self, *args: Any, themes: list[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = _choices(  # type: ignore[attr-defined]
            [(theme.pk, theme.name) for theme in themes], "すべて"
        )


class QaFilter(forms.Form):
    theme = forms.TypedChoiceField(label="テーマ", coerce=int, required=False, empty_value=None)
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None)
    meeting = forms.TypedChoiceField(label="会議", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, filters: queries.QaFilters, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = _choices(  # type: ignore[attr-defined]
            [(theme.pk, theme.name) for theme in filters.themes], "すべて"
        )
        self.fields["year"].choices = _choices(  # type: ignore[attr-defined]
            [(year, format_fiscal_year(year)) for year in filters.fiscal_years], "すべて"
        )
        self.fields["meeting"].choices = _choices(  # type: ignore[attr-defined]
            [(meeting.pk, meeting.display_title) for meeting in filters.meetings], "すべて"
        )


class QuestionThemesForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label="テーマ",
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, network_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.ModelMultipleChoiceField = self.fields["themes"]  # type: ignore[type-arg,assignment]
        field.queryset = queries.theme_choices(network_id)
