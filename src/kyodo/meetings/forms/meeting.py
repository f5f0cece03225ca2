"""Input of meetings: the record editor, materials, status, copy and registration."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kyodo.core.files import check_pdf
from kyodo.core.forms import (
    LocalDateTimeInput,
    RowForm,
    RowFormSet,
    form_errors,
    model_fields,
    row_formset,
)
from kyodo.directory.models import Network, Organisation
from kyodo.meetings.models import (
    AttendanceMode,
    Footnote,
    Meeting,
    MeetingPerson,
    MeetingStatus,
    Section,
    Venue,
    VenueKind,
)
from kyodo.meetings.services.meeting import (
    FOOTNOTE_FIELDS,
    MEETING_FIELDS,
    PERSON_FIELDS,
    SECTION_FIELDS,
    VENUE_FIELDS,
)


class AttachmentForm(forms.Form):
    title = forms.CharField(label="資料名", max_length=200, help_text="例: 講演資料(山浦陽一氏)")
    file = forms.FileField(
        label="ファイル(PDF、20MBまで)",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        check_pdf(upload, size=upload.size or 0)
        return upload


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label="状態",
        choices=[
            (MeetingStatus.DRAFT, MeetingStatus.DRAFT.label),
            (MeetingStatus.OPEN, MeetingStatus.OPEN.label),
            (MeetingStatus.HELD, MeetingStatus.HELD.label),
        ],
    )


class CopyForm(forms.Form):
    fiscal_year = forms.IntegerField(label="年度(西暦の開始年)", min_value=2000, max_value=2100)


class AttendeeForm(forms.Form):
    name = forms.CharField(label="氏名", max_length=100)
    department = forms.CharField(label="所属課", max_length=100, required=False)
    email = forms.EmailField(
        label="メールアドレス",
        required=False,
        help_text="受付のお知らせと会議の予定(.ics)を送ります。",
    )
    # An empty first choice, so rows left blank submit nothing and are skipped.
    mode = forms.ChoiceField(
        label="参加方法", choices=[("", "選択してください"), *AttendanceMode.choices]
    )

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if meeting is not None and meeting.grouping_label:
            # The meeting's grouping question (コミプラのフェーズ), asked of every attendee.
            self.fields["grouping_answer"] = forms.ChoiceField(
                label=meeting.grouping_label,
                choices=[("", "選択してください"), *((c, c) for c in meeting.grouping_choices)],
                required=False,
                help_text="当日のグループ分けに使います。当てはまらないときは選ばずに申し込めます。",
            )


class BaseAttendeeFormSet(forms.BaseFormSet[AttendeeForm]):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.attendees():
            raise forms.ValidationError("参加者を1名以上入力してください。")

    def attendees(self) -> list[dict[str, str]]:
        """Every row with a name: rows shown from the earlier registration count even when
        unchanged; rows ticked 削除 and blank extra rows do not."""
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
        ]


AttendeeFormSet = cast(
    type[BaseAttendeeFormSet],
    forms.formset_factory(
        AttendeeForm,
        formset=BaseAttendeeFormSet,
        extra=3,
        max_num=30,
        absolute_max=30,
        can_delete=True,
    ),
)


class OrganisationChoiceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="申込む団体", queryset=Organisation.objects.none(), empty_label="選択してください"
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        if len(organisations) == 1:
            field.initial = organisations[0].pk


# --- The meeting record editor -----------------------------------------------------------
#
# The forms only read the browser's input into the record shape of
# :func:`kyodo.meetings.queries.meeting_record`; every rule about meetings is checked once, by
# :func:`kyodo.meetings.services.meeting_save_record`, whose errors are put back on the
# fields they concern.

KIND_SUGGESTIONS = ("会議", "研修会", "意見交換会", "情報交換会", "勉強会")
ROLE_SUGGESTIONS = (
    "コーディネーター",
    "講師",
    "事例発表者",
    "講師(事例紹介者)",
    "パネリスト",
    "ファシリテーター",
    "司会",
)


def suggested(name: str) -> forms.TextInput:
    return forms.TextInput(attrs={"list": f"{name}-suggestions", "autocomplete": "off"})


class ChoiceLinesField(forms.CharField):
    """A list of short texts, one a line; blank lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [line.strip() for line in (text or "").splitlines() if line.strip()]


@model_fields(
    Meeting,
    # The record's fields, but the status: it changes through its own buttons; the grouping
    # choices are typed one a line.
    tuple(name for name in MEETING_FIELDS if name not in ("status", "grouping_choices")),
    labels={"fiscal_year": "年度(西暦の開始年)"},
    help_texts={"fiscal_year": "令和8年度なら2026。"},
    widgets={
        "kind": suggested("kind"),
        "starts_at": LocalDateTimeInput(),
        "ends_at": LocalDateTimeInput(),
        "registration_deadline": LocalDateTimeInput(),
    },
)
class MeetingForm(forms.Form):
    """The meeting's own fields."""

    grouping_choices = ChoiceLinesField(
        label="グループ分けの選択肢",
        required=False,
        help_text="1行に1つ。例: 1・2 と 3・4 を2行で。質問を空欄にすると参加申込で聞きません。",
    )


@model_fields(
    Venue,
    VENUE_FIELDS,
    initial={"kind": VenueKind.PHYSICAL},
    help_texts={"name": "例: 鹿児島県庁6階 会議室", "online_tool": "オンラインのとき。例: Zoom"},
)
class VenueForm(RowForm):
    pass


@model_fields(
    MeetingPerson,
    PERSON_FIELDS,
    widgets={"role": suggested("role")},
    help_texts={"affiliation": "例: 大分大学経済学部准教授"},
)
class PersonForm(RowForm):
    organisation = forms.ModelChoiceField(
        label="会員組織",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="(会員外)",
        help_text="会員組織の人なら選びます。",
    )
    # The link to the directory's entry for the person, kept as it was.
    person = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations

    def row(self) -> dict[str, Any]:
        row = super().row()
        row["organisation"] = row["organisation"].pk if row["organisation"] else None
        return row


PROGRAMME_LEVELS = [
    (1, "1段目 (1. 2. 3.)"),
    (2, "2段目 ((1) (2))"),
    (3, "3段目 (ア イ)"),
    (4, "4段目 ((ア) (イ))"),
    (5, "5段目 (a b)"),
    (6, "6段目 ((a) (b))"),
]


class ProgrammeForm(RowForm):
    level = forms.TypedChoiceField(
        label="段", choices=PROGRAMME_LEVELS, coerce=int, initial=1, help_text="入れ子の深さ"
    )
    title = forms.CharField(label="項目", max_length=300)
    is_breakout = forms.BooleanField(label="分科会", required=False)
    note = forms.CharField(label="補足", required=False, widget=forms.Textarea(attrs={"rows": 2}))


@model_fields(
    Section,
    SECTION_FIELDS,
    initial={"placement": Section.Placement.SUMMARY},
    widgets={"body": forms.Textarea(attrs={"rows": 4})},
)
class SectionForm(RowForm):
    pass


@model_fields(
    Footnote,
    FOOTNOTE_FIELDS,
    help_texts={"number": "※Nの N"},
    widgets={"text": forms.Textarea(attrs={"rows": 2})},
)
class FootnoteForm(RowForm):
    pass


SECTIONS: dict[str, type[RowFormSet]] = {
    "venues": row_formset(VenueForm, "会場", extra=1, order=True),
    "people": row_formset(PersonForm, "講師等", extra=2, order=True),
    "programme": row_formset(ProgrammeForm, "次第", extra=3, order=True),
    "sections": row_formset(SectionForm, "本文の段落", extra=1, order=True),
    "footnotes": row_formset(FootnoteForm, "注釈", extra=1, order=False),
}


class MeetingEditor:
    """The whole record on one page: the meeting's own fields and a formset per list.

    :meth:`record` turns valid input into the record :func:`services.meeting_save_record`
    takes; :meth:`add_record_errors` puts that service's errors (keyed by paths such as
    ``programme[0].children[1].title``) back on the rows they concern."""

    def __init__(
        self,
        data: Any = None,
        *,
        network: Network,
        record: dict[str, Any] | None = None,
    ) -> None:
        record = record or {}
        members = Organisation.objects.filter(
            network_memberships__network=network, network_memberships__left_on__isnull=True
        ).order_by("lgcode", "name")
        self.meeting = MeetingForm(data, initial=_meeting_initial(record), prefix="meeting")
        initial = {
            "venues": record.get("venues", []),
            "people": record.get("people", []),
            "programme": _flatten(record.get("programme", [])),
            "sections": record.get("sections", []),
            "footnotes": record.get("footnotes", []),
        }
        self.formsets = {
            name: formset(
                data,
                initial=_numbered(initial[name]) if formset.can_order else initial[name],
                prefix=name,
                form_kwargs={"organisations": members} if name == "people" else None,
            )
            for name, formset in SECTIONS.items()
        }
        self.general_errors: list[str] = []
        self.section_errors: dict[str, list[str]] = {name: [] for name in SECTIONS}
        self._paths: dict[str, RowForm] = {}

    def __iter__(self) -> Any:
        return iter(self.formsets.items())

    def is_valid(self) -> bool:
        valid = self.meeting.is_valid()
        for formset in self.formsets.values():
            valid = formset.is_valid() and valid
        return valid and self._check_levels()

    def _check_levels(self) -> bool:
        previous = 0
        valid = True
        for form in self.formsets["programme"].rows():
            level = form.cleaned_data["level"]
            if level > previous + 1:
                form.add_error(
                    "level",
                    "1段目から始め、前の項目より2段以上深くしないでください。"
                    f"(この項目は{level}段目、前の項目は{previous}段目です)"
                    if previous
                    else "最初の項目は1段目にしてください。",
                )
                valid = False
            previous = level
        return valid

    def record(self) -> dict[str, Any]:
        record: dict[str, Any] = dict(self.meeting.cleaned_data)
        for name in ("venues", "people", "sections", "footnotes"):
            record[name] = []
            for index, form in enumerate(self.formsets[name].rows()):
                self._paths[f"{name}[{index}]"] = form
                record[name].append(form.row())
        record["programme"] = self._programme()
        return record

    def _programme(self) -> list[dict[str, Any]]:
        top: list[dict[str, Any]] = []
        # (level, children list, path of that list)
        stack: list[tuple[int, list[dict[str, Any]], str]] = [(0, top, "programme")]
        for form in self.formsets["programme"].rows():
            row = form.row()
            level = row.pop("level")
            while stack[-1][0] >= level:
                stack.pop()
            siblings, path = stack[-1][1], stack[-1][2]
            row["children"] = []
            here = f"{path}[{len(siblings)}]"
            self._paths[here] = form
            siblings.append(row)
            stack.append((level, row["children"], f"{here}.children"))
        return top

    def add_record_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            for message in messages:
                self._add_error(key, message)

    def _add_error(self, key: str, message: str) -> None:
        for path in sorted(self._paths, key=len, reverse=True):
            if key == path or key.startswith(f"{path}."):
                form = self._paths[path]
                field = key[len(path) + 1 :]
                form.add_error(field if field in form.fields else None, message)
                return
        if key in self.meeting.fields:
            self.meeting.add_error(key, message)
        elif key.split("[")[0].split(".")[0] in self.section_errors:
            self.section_errors[key.split("[")[0].split(".")[0]].append(message)
        else:
            self.general_errors.append(message)

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(where, message, id of the control) for every error, in page order."""
        summary: list[tuple[str, str, str]] = [("", message, "") for message in self.general_errors]
        summary += form_errors(self.meeting, "")
        for name, formset in self.formsets.items():
            summary += [
                (formset.title, str(m), f"section-{name}") for m in formset.non_form_errors()
            ]
            summary += [(formset.title, m, f"section-{name}") for m in self.section_errors[name]]
            for index, form in enumerate(formset.forms, start=1):
                summary += form_errors(form, f"{formset.title} {index}")
        return summary


def _meeting_initial(record: dict[str, Any]) -> dict[str, Any]:
    initial = {name: record.get(name) for name in MeetingForm.base_fields}
    for name in ("starts_at", "ends_at", "registration_deadline"):
        value = initial[name]
        if isinstance(value, str):
            initial[name] = parse_datetime(value)
        if initial[name] is not None:
            initial[name] = timezone.localtime(initial[name])
    return initial


def _numbered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "ORDER": index} for index, row in enumerate(rows, start=1)]


def _flatten(items: list[dict[str, Any]], level: int = 1) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for item in items:
        rows.append({**{k: v for k, v in item.items() if k != "children"}, "level": level})
        rows += _flatten(item.get("children", []), level + 1)
    return rows
