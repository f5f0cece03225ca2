"""A questionnaire another part of kyodo runs — a collaboration evaluation's round — stays
with that part: the engine's pages refuse it (403) and list it under the evaluation's name,
its builder service takes no new question, and the questions the evaluation relies on (level
and comment) cannot be removed or have their kind or options changed; rewording is allowed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kyodo.liaison.services.evaluation import round_set_open, round_start
from kyodo.surveys import services
from kyodo.surveys.models import QuestionKind, SurveyQuestion, SurveyStatus
from kyodo.surveys.rules import managed_elsewhere
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


def test_rewording_a_fixed_question_is_allowed(evaluation) -> None:
    level, comment = rows(evaluation.survey)
    save(evaluation, [{**level, "text": "協働はできていますか"}, comment])
    reworded = SurveyQuestion.objects.get(pk=evaluation.level_question_id)
    assert reworded.text == "協働はできていますか"


def test_adding_a_question_to_a_rounds_questionnaire_is_refused(evaluation) -> None:
    level, comment = rows(evaluation.survey)
    extra = {"kind": QuestionKind.SHORT_TEXT, "text": "記入者", "required": True}
    with pytest.raises(ValidationError) as refused:
        save(evaluation, [level, comment, extra])
    assert refused.value.message_dict == {
        "questions[2]": ["このアンケートは協働評価の画面で管理しているため、質問を追加できません。"]
    }
    assert evaluation.survey.questions.count() == 2


def test_the_owners_editors_cannot_reopen_or_build_a_rounds_questionnaire(
    client, demo, evaluation
) -> None:
    """The round's questionnaire belongs to the city, but is run on the evaluation's pages:
    the city's editors get 403 on the engine's pages."""
    survey = evaluation.survey
    round_set_open(evaluation=evaluation, is_open=False, actor=demo.admin)
    client.force_login(demo.staff)
    for path in ("", "edit/", "preview/", "answers.csv", "answers.xlsx"):
        assert client.get(f"/surveys/{survey.pk}/{path}").status_code == 403, path
    extra = {"questions-TOTAL_FORMS": "3", "questions-2-text": "記入者"}
    assert client.post(f"/surveys/{survey.pk}/edit/", extra).status_code == 403
    assert client.post(f"/surveys/{survey.pk}/status/", {"status": "open"}).status_code == 403
    survey.refresh_from_db()
    assert (survey.status, survey.questions.count()) == (SurveyStatus.CLOSED, 2)
    # The evaluation's own page still reopens it, for whoever manages the evaluation.
    client.force_login(demo.admin)
    response = client.post(
        reverse("liaison:evaluation_round_status", args=[evaluation.pk]), {"action": "open"}
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN


def test_a_site_administrator_cannot_add_a_question_in_the_builder_either(
    client, demo, evaluation
) -> None:
    """Superusers pass every permission; the builder's service still refuses."""
    client.force_login(demo.admin)
    url = f"/surveys/{evaluation.survey.pk}/edit/"
    fields = form_fields(client.get(url).content.decode(), "record-form")
    fields |= {"questions-2-kind": "short_text", "questions-2-text": "記入者"}
    response = client.post(url, fields)
    assert response.status_code == 400
    assert "このアンケートは協働評価の画面で管理しているため、質問を追加できません。" in (
        response.content.decode()
    )
    assert evaluation.survey.questions.count() == 2


def test_the_survey_list_names_the_evaluation_instead_of_linking_its_questionnaire(
    client, demo, evaluation
) -> None:
    client.force_login(demo.staff)
    page = client.get("/surveys/").content.decode()
    assert (
        f"<td>{evaluation.survey.title}<br><small>協働評価の画面で管理しています</small></td>"
        in page
    )
    assert f'href="/surveys/{evaluation.survey.pk}/"' not in page


def test_a_meeting_questionnaire_is_still_managed_by_its_owner(demo, survey) -> None:
    assert demo.secretary.has_perm("surveys.manage_survey", survey)
    assert managed_elsewhere([survey]) == {}
