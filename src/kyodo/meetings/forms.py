from __future__ import annotations

from typing import Any, cast

from django import forms

from kyodo.directory.models import Organisation
from kyodo.meetings.models import AttendanceMode, MeetingStatus


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
