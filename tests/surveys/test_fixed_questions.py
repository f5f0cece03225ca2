"""Questions another part of kyodo relies on — a collaboration evaluation's level and comment
questions — are kept by the builder: removing them, changing their kind or their options is
refused with a message, never an error page; rewording them is allowed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kyodo.liaison.services.evaluation import round_start
from kyodo.surveys import services
from kyodo.surveys.models import QuestionKind, SurveyQuestion
from tests.htmlforms import form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluation(demo):
    return round_start(municipality=demo.kagoshima_city, fiscal_year=2026, actor=demo.admin)


def rows(survey):
    return [
        {
            "id": q.pk,
            "kind": q.kind,
            "text": q.text,
            "required": q.required,
            "options": [o.label for o in q.options.all()],
        }
        for q in survey.questions.prefetch_related("options").order_by("position")
    ]


def save(evaluation, questions):
    return services.survey_save(
        survey=evaluation.survey, fields={}, questions=questions, actor=None
    )


def test_removing_a_question_an_evaluation_uses_is_refused(evaluation) -> None:
    _level, comment = rows(evaluation.survey)
    with pytest.raises(ValidationError) as refused:
        save(evaluation, [comment])
    assert refused.value.message_dict["questions"] == [
        "「協働ができていますか」は協働評価で使われているため削除できません。"
    ]
    assert SurveyQuestion.objects.filter(pk=evaluation.level_question_id).exists()


def test_changing_the_kind_or_the_options_of_a_fixed_question_is_refused(evaluation) -> None:
    level, comment = rows(evaluation.survey)
    with pytest.raises(ValidationError) as refused:
        save(evaluation, [{**level, "options": ["はい", "いいえ"]}, comment])
    assert refused.value.message_dict["questions[0].options"] == [
        "この質問は協働評価で使われているため、選択肢は変更・並べ替えできません。"
    ]
    with pytest.raises(ValidationError) as refused:
        save(evaluation, [level, {**comment, "kind": QuestionKind.SHORT_TEXT}])
    assert refused.value.message_dict["questions[1].kind"] == [
        "この質問は協働評価で使われているため、回答の形式は変更できません。"
    ]
    assert [o.label for o in evaluation.level_question.options.all()] == [
        "できている",
        "一部できている",
        "できていない",
    ]


def test_rewording_a_fixed_question_and_adding_others_is_allowed(evaluation) -> None:
    level, comment = rows(evaluation.survey)
    extra = {"kind": QuestionKind.SHORT_TEXT, "text": "記入者"}
    save(evaluation, [{**level, "text": "協働はできていますか"}, comment, extra])
    assert evaluation.survey.questions.count() == 3
    reworded = SurveyQuestion.objects.get(pk=evaluation.level_question_id)
    assert reworded.text == "協働はできていますか"


def test_the_builder_page_says_why_a_fixed_question_stays(client, demo, evaluation) -> None:
    client.force_login(demo.admin)
    url = f"/surveys/{evaluation.survey.pk}/edit/"
    fields = form_fields(client.get(url).content.decode(), "record-form")
    fields["questions-0-DELETE"] = "on"
    response = client.post(url, fields)
    assert response.status_code == 400
    assert "「協働ができていますか」は協働評価で使われているため削除できません。" in (
        response.content.decode()
    )
    assert evaluation.survey.questions.count() == 2
