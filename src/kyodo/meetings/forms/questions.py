"""Input of questions and answers: asking, moderating, merging duplicates."""

from __future__ import annotations

from typing import Any

from django import forms

from kyodo.core.forms import model_fields
from kyodo.meetings.forms.meeting import suggested
from kyodo.meetings.models import Question


@model_fields(
    Question,
    ("text", "hidden"),
    widgets={"text": forms.Textarea(attrs={"rows": 3})},
    help_texts={"text": "講師や事例発表者に聞きたいことを書いてください(2000字まで)。"},
)
class QuestionForm(forms.Form):
    pass


@model_fields(
    Question,
    ("published_text", "answer", "answered_by", "published", "position"),
    widgets={
        "published_text": forms.Textarea(attrs={"rows": 3}),
        "answer": forms.Textarea(attrs={"rows": 5}),
        "answered_by": suggested("answerer"),
    },
)
class ModerationForm(forms.Form):
    pass


class QuestionChoiceField(forms.ModelChoiceField[Question]):
    def label_from_instance(self, obj: Question) -> str:
        return f"{obj.position}. {obj.text[:60]}"


class MergeForm(forms.Form):
    into = QuestionChoiceField(
        label="まとめる先の質問",
        queryset=Question.objects.none(),
        empty_label="選択してください",
        help_text="同じ内容の質問を1つにまとめます。賛同の数は合算されます。",
    )

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Question.objects.filter(
            meeting_id=question.meeting_id, merged_into__isnull=True
        ).exclude(pk=question.pk)
