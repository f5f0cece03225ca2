"""Input of the collaboration evaluation: a programme, the year of a new round, and a
department's answer to a programme's sheet. The services check the rest (the name already
used in the department, a second round for a year, a closed round, a stale version)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from kyodo.core.dates import format_fiscal_year
from kyodo.core.forms import model_fields
from kyodo.directory.models import Organisation
from kyodo.liaison.models import FISCAL_YEAR_RANGE, CollaborationLevel, EvaluationSheet, Programme
from kyodo.liaison.services.evaluation import COMMENT_QUESTION, PROGRAMME_FIELDS

NO_LEVEL = "「協働ができていますか」の答えを選んでください。"


@model_fields(
    Programme,
    ("department", *PROGRAMME_FIELDS),
    widgets={"description": forms.Textarea(attrs={"rows": 3})},
)
class ProgrammeForm(forms.Form):
    def __init__(self, *args: Any, departments: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments
        field.empty_label = "担当課を選んでください"
        field.label_from_instance = lambda department: department.name  # type: ignore[method-assign,assignment]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PROGRAMME_FIELDS}


def programme_initial(programme: Programme) -> dict[str, Any]:
    return {
        "department": programme.department_id,
        **{name: getattr(programme, name) for name in PROGRAMME_FIELDS},
    }


class RoundForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int)

    def __init__(self, *args: Any, this_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        low, high = FISCAL_YEAR_RANGE
        years = [y for y in range(this_year + 1, this_year - 6, -1) if low <= y <= high]
        field = self.fields["fiscal_year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(year, format_fiscal_year(year)) for year in years]
        field.initial = this_year


class RoundStatusForm(forms.Form):
    action = forms.ChoiceField(choices=[("close", "締め切る"), ("open", "受付を再開する")])


class SheetForm(forms.Form):
    """A department's answer to one programme's sheet."""

    level = forms.ChoiceField(
        label="協働ができていますか",
        choices=CollaborationLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": NO_LEVEL, "invalid_choice": NO_LEVEL},
    )
    comment = forms.CharField(
        label=COMMENT_QUESTION,
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="協働の相手とどのように取り組んだか、うまくいかなかった点などを書きます。",
    )
    partners = forms.ModelMultipleChoiceField(
        label="協働の相手(地域団体)",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="この市町村のコミュニティ協議会・町内会・NPOから選びます。",
        error_messages={"invalid_choice": "一覧にない団体は選べません。"},
    )
    other_partners = forms.CharField(
        label=str(EvaluationSheet._meta.get_field("other_partners").verbose_name),
        required=False,
        max_length=500,
        help_text="名簿にない団体・個人。読点(、)で区切ってください。",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, partners: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partners"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = partners
        field.label_from_instance = lambda organisation: (  # type: ignore[method-assign,assignment]
            f"{organisation.name}({organisation.get_kind_display()})"
        )
