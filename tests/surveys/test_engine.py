"""The questionnaire engine: building, answering, refusing bad answers, summarising."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kyodo.core.models import AuditEntry
from kyodo.surveys import queries, services
from kyodo.surveys.models import Answer, Option, Response, Survey, SurveyQuestion, SurveyStatus

pytestmark = pytest.mark.django_db


def q(survey: Survey, position: int) -> SurveyQuestion:
    return survey.questions.get(position=position)


def option(survey: Survey, position: int, label: str) -> int:
    return Option.objects.get(question__survey=survey, question__position=position, label=label).pk


def answer(survey, respondent, version=None, **values):
    """Answers by question number: answer(s, r, q1=5, q2=[...labels], q3="label")."""
    answers = {}
    for key, value in values.items():
        position = int(key[1:])
        question = q(survey, position)
        if question.kind == "multiple":
            value = [option(survey, position, label) for label in value]
        elif question.kind == "single":
            value = option(survey, position, value)
        answers[question.pk] = value
    return services.response_submit(
        respondent=respondent, answers=answers, version=version, actor=None
    )


def test_multiple_choice_counts_each_option_chosen_not_combinations(survey, respondents):
    answer(survey, respondents[0], q1=5, q2=["講演", "事例紹介"], q3="検討中")
    answer(survey, respondents[1], q1=4, q2=["講演"], q3="検討中")
    answer(survey, respondents[2], q1=3, q2=["質疑応答"], q3="検討中")

    result = queries.summary(survey)

    multiple = result.questions[1]
    assert [(bar.label, bar.count) for bar in multiple.bars] == [
        ("講演", 2),
        ("事例紹介", 1),
        ("質疑応答", 1),
    ]
    assert multiple.answered == 3
    scale = result.questions[0]
    assert scale.average == 4.0
    assert [bar.count for bar in scale.bars] == [0, 0, 1, 1, 1]
    assert scale.bars[0].label == "1(不満)"
    assert scale.bars[4].label == "5(満足)"
    assert result.responses == 3
    assert result.respondents == 3


def test_numbers_are_averaged_with_their_range_and_texts_listed(survey, respondents):
    answer(survey, respondents[0], q1=5, q3="取り組んでいる", q4=12, q6="とても参考になった")
    answer(survey, respondents[1], q1=4, q3="取り組んでいる", q4=3, q5="地域振興課")

    result = queries.summary(survey)

    number = result.questions[3]
    assert (number.average, number.minimum, number.maximum, number.answered) == (7.5, 3, 12, 2)
    assert result.questions[4].texts == ["地域振興課"]
    assert result.questions[5].texts == ["とても参考になった"]


def test_results_page_selection_has_only_the_picked_questions(survey, respondents):
    answer(survey, respondents[0], q1=5, q3="検討中")
    picked = queries.summary(survey, on_results_only=True)
    assert [entry.question.text for entry in picked.questions] == [
        "本日の会議の満足度",
        "参考になった内容",
        "感想・ご意見",
    ]


def test_summary_takes_the_same_queries_for_one_and_many_responses(
    survey, respondents, django_assert_num_queries
):
    answer(survey, respondents[0], q1=5, q2=["講演"], q3="検討中", q6="よかった")
    with django_assert_num_queries(8):
        queries.summary(survey)
    more = services.respondents_add(
        survey=survey,
        people=[{"name": f"追加{n}", "source": f"more:{n}"} for n in range(40)],
        actor=None,
    )
    for index, respondent in enumerate(more):
        answer(
            survey, respondent, q1=1 + index % 5, q2=["事例紹介"], q3="検討中", q6=f"感想{index}"
        )
    with django_assert_num_queries(8):
        result = queries.summary(survey)
    assert result.responses == 41


def test_conditional_question_is_required_only_when_shown(survey, respondents):
    with pytest.raises(services.AnswerRefusedError) as refused:
        answer(survey, respondents[0], q1=5, q3="取り組んでいる")
    assert refused.value.message_dict == {f"q{q(survey, 4).pk}": ["この質問は回答必須です。"]}
    # Not shown: not required, and an answer sent anyway is not stored.
    response = answer(survey, respondents[0], q1=5, q3="取り組んでいない", q4=7)
    assert not response.answers.filter(question=q(survey, 4)).exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"q1": None, "q3": "検討中"}, 1, "この質問は回答必須です。"),
        ({"q1": 6, "q3": "検討中"}, 1, "1から5までの整数で入力してください。"),
        ({"q1": 5, "q3": "取り組んでいる", "q4": 501}, 4, "0から500までの整数で入力してください。"),
        (
            {"q1": 5, "q3": "検討中", "q5": "あ" * 201},
            5,
            "200字以内で入力してください(いま201字)。",
        ),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(survey, respondents, values, field, message):
    with pytest.raises(services.AnswerRefusedError) as refused:
        answer(survey, respondents[0], **values)
    assert refused.value.message_dict == {f"q{q(survey, field).pk}": [message]}
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_a_choice_not_offered_is_refused(survey, respondents):
    other = option(survey, 2, "講演")  # an option of another question
    with pytest.raises(services.AnswerRefusedError) as refused:
        services.response_submit(
            respondent=respondents[0],
            answers={q(survey, 1).pk: 5, q(survey, 3).pk: other},
            version=None,
            actor=None,
        )
    assert refused.value.message_dict == {f"q{q(survey, 3).pk}": ["選択肢の中から選んでください。"]}
    assert not Answer.objects.exists()


def test_a_second_first_answer_is_refused_and_the_first_kept(survey, respondents):
    first = answer(survey, respondents[0], q1=5, q3="検討中")
    with pytest.raises(services.AnswerRefusedError) as refused:
        answer(survey, respondents[0], q1=1, q3="検討中")
    assert "すでに送信されています" in refused.value.messages[0]
    assert Answer.objects.get(response=first, question=q(survey, 1)).number == 5


def test_an_answer_is_edited_until_closing_and_a_stale_form_is_refused(survey, respondents):
    first = answer(survey, respondents[0], q1=5, q2=["講演"], q3="検討中")
    edited = answer(survey, respondents[0], version=1, q1=2, q2=["事例紹介"], q3="検討中")
    assert edited.pk == first.pk
    assert edited.version == 2
    assert sorted(edited.answers.values_list("number", flat=True).exclude(number=None)) == [2]
    with pytest.raises(services.AnswerRefusedError) as refused:
        answer(survey, respondents[0], version=1, q1=3, q3="検討中")
    assert "別の画面で回答が更新されました" in refused.value.messages[0]

    services.survey_set_status(survey=survey, status=SurveyStatus.CLOSED, actor=None)
    with pytest.raises(services.AnswerRefusedError) as closed:
        answer(survey, respondents[0], version=2, q1=3, q3="検討中")
    assert closed.value.messages == [
        "このアンケートの回答は締め切りました。回答の追加・修正はできません。"
    ]


def test_answers_after_the_closing_time_are_refused(survey, respondents):
    Survey.objects.filter(pk=survey.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(services.AnswerRefusedError):
        answer(survey, respondents[0], q1=3, q3="検討中")
    assert not Response.objects.exists()


def test_answering_writes_an_audit_entry_without_the_answers(survey, respondents):
    response = answer(survey, respondents[0], q1=5, q3="検討中", q6="個人的な感想")
    entry = AuditEntry.objects.get(action="survey.respond")
    assert entry.object_id == str(response.pk)
    assert entry.changes == {"version": 1, "answers": 3}


# --- Building -----------------------------------------------------------------------------


def rows_of(survey: Survey) -> list[dict]:
    rows = []
    for question in queries.questions(survey):
        rows.append(
            {
                "id": question.pk,
                "kind": question.kind,
                "text": question.text,
                "required": question.required,
                "options": [o.label for o in question.options.all()],
                "show_if": question.show_if.position if question.show_if else None,
                "show_if_options": [o.label for o in question.show_if_options.all()],
            }
        )
    return rows


def test_saving_the_questions_unchanged_keeps_every_id(survey):
    before = list(SurveyQuestion.objects.filter(survey=survey).values_list("pk", "position"))
    options = set(Option.objects.values_list("pk", flat=True))
    services.survey_save(survey=survey, fields={}, questions=rows_of(survey), actor=None)
    assert (
        list(SurveyQuestion.objects.filter(survey=survey).values_list("pk", "position")) == before
    )
    assert set(Option.objects.values_list("pk", flat=True)) == options
    assert q(survey, 4).show_if == q(survey, 3)


def test_reordering_moves_the_condition_with_its_question(survey):
    rows = rows_of(survey)
    rows[0], rows[1] = rows[1], rows[0]
    services.survey_save(survey=survey, fields={}, questions=rows, actor=None)
    assert q(survey, 1).text == "参考になった内容"
    assert q(survey, 4).show_if == q(survey, 3)


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            lambda rows: rows[1].update(options=["講演"]),
            "questions[1].options",
            "選択肢を2つ以上入力してください。",
        ),
        (
            lambda rows: rows[1].update(options=["講演", "講演"]),
            "questions[1].options",
            "選択肢「講演」が重複しています。",
        ),
        (
            lambda rows: rows[3].update(show_if=4),
            "questions[3].show_if",
            "表示条件にできるのは、この質問より前の質問(問1〜問3)です。",
        ),
        (
            lambda rows: rows[3].update(show_if=1),
            "questions[3].show_if",
            "問1は選択式ではないため、表示条件にできません。",
        ),
        (
            lambda rows: rows[3].update(show_if_options=["しらない"]),
            "questions[3].show_if_options",
            "問3に選択肢「しらない」はありません。",
        ),
        (
            lambda rows: rows[0].update(text=""),
            "questions[0].text",
            "このフィールドは空ではいけません。",
        ),
    ],
)
def test_bad_questionnaires_are_refused_whole(survey, change, path, message):
    rows = rows_of(survey)
    change(rows)
    rows.append({"kind": "short_text", "text": "新しい質問"})
    with pytest.raises(ValidationError) as refused:
        services.survey_save(survey=survey, fields={"title": "変更"}, questions=rows, actor=None)
    assert refused.value.message_dict[path] == [message]
    survey.refresh_from_db()
    assert survey.title == "会議終了時アンケート"
    assert survey.questions.count() == 6


def test_answered_questions_and_options_cannot_be_removed_or_change_kind(survey, respondents):
    answer(survey, respondents[0], q1=5, q2=["講演"], q3="検討中")
    rows = rows_of(survey)
    rows[1]["options"] = ["事例紹介", "質疑応答"]
    rows[2]["kind"] = "multiple"
    rows[3]["show_if"] = 2  # question 3 becomes question 2
    del rows[0]
    with pytest.raises(ValidationError) as refused:
        services.survey_save(survey=survey, fields={}, questions=rows, actor=None)
    assert refused.value.message_dict == {
        "questions[0].options": ["選択肢「講演」には回答があるため、削除・変更できません。"],
        "questions[1].kind": [
            "回答がある質問の形式は変更できません。新しい質問として追加してください。"
        ],
        "questions": ["「本日の会議の満足度」には回答があるため削除できません。"],
    }
    # Unanswered ones can go; answered ones can be reworded and reordered.
    rows = rows_of(survey)
    rows[1]["options"] = ["講演", "事例紹介", "パネルディスカッション"]
    rows[0]["text"] = "会議全体の満足度"
    del rows[4]
    services.survey_save(survey=survey, fields={}, questions=rows, actor=None)
    assert [o.label for o in q(survey, 2).options.all()] == [
        "講演",
        "事例紹介",
        "パネルディスカッション",
    ]
    assert q(survey, 1).text == "会議全体の満足度"
    assert survey.questions.count() == 5


def test_a_questionnaire_without_questions_cannot_open(demo):
    empty = services.survey_create(owner=demo.secretariat, title="空", actor=demo.secretary)
    with pytest.raises(ValidationError) as refused:
        services.survey_set_status(survey=empty, status=SurveyStatus.OPEN, actor=demo.secretary)
    assert refused.value.messages == ["質問が1つもないため、回答の受付を始められません。"]


def test_asking_the_same_people_again_adds_nobody_twice(survey):
    again = services.respondents_add(
        survey=survey,
        people=[{"name": "参加者1", "source": "test:1"}, {"name": "新規", "source": "test:9"}],
        actor=None,
    )
    assert [r.name for r in again] == ["新規"]
    assert survey.respondents.count() == 4


def test_requests_are_mailed_once_with_each_persons_own_link(
    survey, respondents, django_capture_on_commit_callbacks, mailoutbox, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_request(survey=survey, actor=None) == 3
    assert [m.to for m in mailoutbox] == [["p1@example.jp"], ["p2@example.jp"], ["p3@example.jp"]]
    assert f"/surveys/{survey.pk}/answer/{respondents[0].token}/" in mailoutbox[0].body
    assert respondents[1].token not in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_request(survey=survey, actor=None) == 0
    assert len(mailoutbox) == 3
