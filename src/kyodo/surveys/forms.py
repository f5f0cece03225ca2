"""Reading the builder's and the respondents' input. Every rule about questionnaires and
answers is checked once, by the services; their errors are put back on the fields here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from kyodo.core.forms import (
    LocalDateTimeInput,
    RowForm,
    RowFormSet,
    form_errors,
    model_fields,
    row_formset,
)
from kyodo.surveys import queries
from kyodo.surveys.models import SCALE_POINTS, QuestionKind, Survey, SurveyQuestion
from kyodo.surveys.services import QUESTION_FIELDS, SURVEY_FIELDS


@model_fields(Survey, SURVEY_FIELDS, widgets={"closes_at": LocalDateTimeInput()})
class SurveyForm(forms.Form):
    pass


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


@model_fields(
    SurveyQuestion,
    QUESTION_FIELDS,
    initial={"kind": QuestionKind.SINGLE},
    widgets={"text": forms.Textarea(attrs={"rows": 2})},
)
class QuestionRowForm(RowForm):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    options = forms.CharField(
        label="選択肢",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="1つ選択・複数選択のとき。1行に1つ書きます。",
    )
    show_if = forms.IntegerField(
        label="表示条件: 問の番号",
        required=False,
        min_value=1,
        help_text="前の選択式の質問で特定の選択肢を選んだ人にだけ表示するとき。",
    )
    show_if_options = forms.CharField(
        label="表示条件: そのときの選択肢",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="1行に1つ。いずれかを選んだ人に表示します。",
    )

    def row(self) -> dict[str, Any]:
        row = super().row()
        row["options"] = _lines(row.get("options") or "")
        row["show_if_options"] = _lines(row.get("show_if_options") or "")
        return row


QuestionRowSet = row_formset(QuestionRowForm, "質問", extra=2, order=True)


class SurveyEditor:
    """The questionnaire and its questions on one page, read into the shape
    :func:`kyodo.surveys.services.survey_save` takes."""

    def __init__(self, data: Any = None, *, survey: Survey) -> None:
        self.survey = SurveyForm(
            data,
            initial={name: getattr(survey, name) for name in SURVEY_FIELDS},
            prefix="survey",
        )
        initial = [
            {
                "id": q.pk,
                **{name: getattr(q, name) for name in QUESTION_FIELDS},
                "options": "\n".join(o.label for o in q.options.all()),
                "show_if": q.show_if.position if q.show_if else None,
                "show_if_options": "\n".join(o.label for o in q.show_if_options.all()),
                "ORDER": q.position,
            }
            for q in queries.questions(survey)
        ]
        self.questions: RowFormSet = QuestionRowSet(data, initial=initial, prefix="questions")
        self.general_errors: list[str] = []
        self._rows: list[RowForm] = []

    def is_valid(self) -> bool:
        return self.survey.is_valid() & self.questions.is_valid() and self._number_conditions()

    def _number_conditions(self) -> bool:
        """The page numbers the questions as shown (質問 1, 2, …); a condition names a
        question by that number. Turn it into the question's place in the order saved."""
        shown = self.questions.forms
        self._rows = self.questions.rows()
        saved_as = {id(form): place for place, form in enumerate(self._rows, start=1)}
        valid = True
        for form in self._rows:
            number = form.cleaned_data.get("show_if")
            if not number:
                continue
            target = shown[number - 1] if number <= len(shown) else None
            if target is None or id(target) not in saved_as:
                form.add_error(
                    "show_if", f"質問 {number} はないか、削除されるため、表示条件にできません。"
                )
                valid = False
            else:
                form.cleaned_data["show_if"] = saved_as[id(target)]
        return valid

    def fields(self) -> dict[str, Any]:
        return dict(self.survey.cleaned_data)

    def question_rows(self) -> list[dict[str, Any]]:
        return [form.row() for form in self._rows]

    def add_service_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            for message in messages:
                self._add_error(key, message)

    def _add_error(self, key: str, message: str) -> None:
        if key.startswith("questions["):
            index = int(key[len("questions[") : key.index("]")])
            field = key[key.index("]") + 2 :]
            form = self._rows[index]
            form.add_error(field if field in form.fields else None, message)
        elif key in self.survey.fields:
            self.survey.add_error(key, message)
        else:
            self.general_errors.append(message)

    def error_summary(self) -> list[tuple[str, str, str]]:
        summary = [("", message, "") for message in self.general_errors]
        summary += form_errors(self.survey, "")
        summary += [("質問", str(m), "section-questions") for m in self.questions.non_form_errors()]
        for index, form in enumerate(self.questions.forms, start=1):
            summary += form_errors(form, f"質問 {index}")
        return summary


# --- Answering ----------------------------------------------------------------------------


class ResponseForm(forms.Form):
    """One field per question (``q<id>``), all optional here: whether an answer is required
    depends on the display conditions, which the service checks."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, questions: list[SurveyQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = _answer_field(question)

    def answers(self) -> dict[int, Any]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.asked}

    def add_service_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)

    def items(self) -> list[tuple[SurveyQuestion, forms.BoundField]]:
        return [(q, self[f"q{q.pk}"]) for q in self.asked]


def _answer_field(question: SurveyQuestion) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.text,
        "help_text": question.help_text,
        "required": False,
    }
    choices = [(o.pk, o.label) for o in question.options.all()]
    match question.kind:
        case QuestionKind.SINGLE:
            return forms.TypedChoiceField(
                choices=choices, coerce=int, widget=forms.RadioSelect, **common
            )
        case QuestionKind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, **common
            )
        case QuestionKind.SCALE:
            words = {1: question.scale_low, SCALE_POINTS: question.scale_high}
            points = [
                (p, f"{p}({words[p]})" if words.get(p) else str(p))
                for p in range(1, SCALE_POINTS + 1)
            ]
            return forms.TypedChoiceField(
                choices=points, coerce=int, widget=forms.RadioSelect, **common
            )
        case QuestionKind.NUMBER:
            return forms.IntegerField(
                min_value=question.number_min, max_value=question.number_max, **common
            )
        case QuestionKind.SHORT_TEXT:
            return forms.CharField(max_length=200, **common)
        case _:
            return forms.CharField(
                max_length=4000, widget=forms.Textarea(attrs={"rows": 5}), **common
            )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("open", "回答受付を始める"), ("closed", "締め切る"), ("draft", "準備中に戻す")]
    )
