"""The questionnaire's pages: answering by private link, the secretariat's summary, the
builder and the exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from kyodo.core.models import AuditEntry
from kyodo.surveys import services
from kyodo.surveys.models import Answer, Option, Response, SurveyQuestion
from tests.htmlforms import form_fields
from tests.surveys.conftest import QUESTIONS

pytestmark = pytest.mark.django_db


def question(survey, position):
    return SurveyQuestion.objects.get(survey=survey, position=position)


def option(survey, position, label):
    return str(
        Option.objects.get(question__survey=survey, question__position=position, label=label).pk
    )


def post_answers(client, respondent, **extra):
    survey = respondent.survey
    data = {
        f"q{question(survey, 1).pk}": "4",
        f"q{question(survey, 2).pk}": [option(survey, 2, "講演"), option(survey, 2, "質疑応答")],
        f"q{question(survey, 3).pk}": option(survey, 3, "取り組んでいる"),
        f"q{question(survey, 4).pk}": "12",
        f"q{question(survey, 6).pk}": '=HYPERLINK("http://example.com")',
        "version": "",
    }
    data.update(extra)
    return client.post(respondent.get_absolute_url(), data)


def test_a_respondent_answers_through_their_link_and_can_change_the_answers(
    client: Client, survey, respondents
) -> None:
    page = client.get(respondents[0].get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "参加者1 様の回答ページです。" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "問3で「取り組んでいる」を選んだ方のみお答えください。" in html

    response = post_answers(client, respondents[0])
    assert response.status_code == 302
    saved = Response.objects.get(respondent=respondents[0])
    assert sorted(saved.answers.exclude(option=None).values_list("option__label", flat=True)) == [
        "取り組んでいる",
        "講演",
        "質疑応答",
    ]

    again = client.get(respondents[0].get_absolute_url())
    fields = form_fields(again.content.decode(), "survey-form")
    assert fields["version"] == "1"
    assert fields[f"q{question(survey, 1).pk}"] == "4"
    fields[f"q{question(survey, 1).pk}"] = "2"
    assert client.post(respondents[0].get_absolute_url(), fields).status_code == 302
    saved.refresh_from_db()
    assert saved.version == 2
    assert saved.answers.get(question=question(survey, 1)).number == 2


def test_a_second_first_submission_is_refused_with_a_message(client, survey, respondents) -> None:
    post_answers(client, respondents[0])
    again = post_answers(client, respondents[0], **{f"q{question(survey, 1).pk}": "1"})
    assert again.status_code == 400
    assert "この依頼先からの回答はすでに送信されています。" in again.content.decode()
    assert Answer.objects.get(question=question(survey, 1)).number == 4


def test_a_choice_not_offered_is_refused_and_nothing_stored(client, survey, respondents) -> None:
    other = option(survey, 2, "講演")
    response = post_answers(client, respondents[0], **{f"q{question(survey, 3).pk}": other})
    assert response.status_code == 400
    assert f"正しく選択してください。 {other} は候補にありません。" in response.content.decode()
    assert not Response.objects.exists()


def test_an_empty_required_answer_is_refused_and_nothing_stored(
    client, survey, respondents
) -> None:
    response = post_answers(client, respondents[0], **{f"q{question(survey, 1).pk}": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "回答を受け付けられませんでした。何も保存されていません。" in html
    assert "問1: この質問は回答必須です。" in html
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_a_link_of_another_questionnaire_is_refused(client, demo, survey, respondents) -> None:
    other = services.survey_create(
        owner=demo.secretariat, title="別のアンケート", questions=QUESTIONS[:1], actor=None
    )
    response = client.get(f"/surveys/{other.pk}/answer/{respondents[0].token}/")
    assert response.status_code == 404
    assert "この回答用リンクは別のアンケートのものです。" in response.content.decode()
    posted = post_answers(client, respondents[0])  # still fine at its own address
    assert posted.status_code == 302
    unknown = client.get(f"/surveys/{survey.pk}/answer/not-a-token/")
    assert unknown.status_code == 404
    assert "この回答用リンクは見つかりません。" in unknown.content.decode()


def test_a_signed_in_respondent_is_sent_to_their_own_page(client, demo, survey) -> None:
    mine = services.respondents_add(
        survey=survey, people=[{"name": "職員", "user": demo.staff}], actor=None
    )[0]
    client.force_login(demo.staff)
    assert client.get(f"/surveys/{survey.pk}/answer/").url == mine.get_absolute_url()
    client.force_login(demo.officer)
    assert client.get(f"/surveys/{survey.pk}/answer/").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/surveys/{pk}/",
        "/surveys/{pk}/edit/",
        "/surveys/{pk}/answers.csv",
        "/surveys/{pk}/preview/",
    ],
)
def test_only_the_owner_reads_the_summary_and_answers(client, demo, survey, path) -> None:
    url = path.format(pk=survey.pk)
    assert client.get(url).status_code == 302  # to sign in
    for user in (demo.staff, demo.officer, demo.resident):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(demo.secretary)
    assert client.get(url).status_code == 200


def test_the_summary_shows_charts_with_their_data(client, demo, survey, respondents) -> None:
    post_answers(client, respondents[0])
    post_answers(
        client, respondents[1], **{f"q{question(survey, 2).pk}": option(survey, 2, "講演")}
    )
    client.force_login(demo.secretary)
    html = client.get(f"/surveys/{survey.pk}/").content.decode()
    assert "回答 <strong>2件</strong>(依頼 3名のうち 2名)" in html
    chart = question(survey, 2).pk
    assert (
        f'<desc id="chart-{chart}-desc">'
        "講演: 2件(100.0%)、事例紹介: 0件(0.0%)、質疑応答: 1件(50.0%)</desc>"
    ) in html
    assert (
        '<th scope="row">講演</th><td class="number">2</td><td class="number">100.0%</td>' in html
    )
    assert "平均 <strong>4.00</strong>" in html
    assert "まだ回答していない方(1名)" in html


# One of them asks whether another app runs the questionnaire (surveys.manage_survey).
SUMMARY_QUERIES = 16


def test_the_summary_page_keeps_its_query_count(
    client, demo, survey, respondents, django_assert_num_queries
) -> None:
    client.force_login(demo.secretary)
    post_answers(client, respondents[0])
    client.get(f"/surveys/{survey.pk}/")
    with django_assert_num_queries(SUMMARY_QUERIES):
        client.get(f"/surveys/{survey.pk}/")
    more = services.respondents_add(
        survey=survey,
        people=[{"name": f"追加{n}", "source": f"m{n}"} for n in range(50)],
        actor=None,
    )
    for respondent in more:
        post_answers(client, respondent)
    client.force_login(demo.secretary)
    with django_assert_num_queries(SUMMARY_QUERIES):
        client.get(f"/surveys/{survey.pk}/")


def test_csv_export_has_one_row_per_response_and_keeps_formulas_inert(
    client, demo, survey, respondents
) -> None:
    post_answers(client, respondents[0])
    client.force_login(demo.secretary)
    response = client.get(f"/surveys/{survey.pk}/answers.csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:5] == ["回答番号", "氏名", "団体", "最初の回答日時", "最終更新日時"]
    assert rows[0][5:] == [f"問{n} {q['text']}" for n, q in enumerate(QUESTIONS, start=1)]
    assert rows[1][1] == "参加者1"
    assert rows[1][5:] == [
        "4",
        "講演、質疑応答",
        "取り組んでいる",
        "12",
        "",
        '\'=HYPERLINK("http://example.com")',
    ]
    assert AuditEntry.objects.filter(action="survey.export_csv", actor=demo.secretary).count() == 1


def test_xlsx_export_stores_answers_as_text_not_formulas(client, demo, survey, respondents) -> None:
    post_answers(client, respondents[0])
    client.force_login(demo.secretary)
    response = client.get(f"/surveys/{survey.pk}/answers.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][5:] == [
        4 if False else "4",
        "講演、質疑応答",
        "取り組んでいる",
        "12",
        None,
        '=HYPERLINK("http://example.com")',
    ]
    assert sheet.cell(row=2, column=11).data_type == "s"


def test_the_builder_saves_its_own_form_unchanged(client, demo, survey) -> None:
    client.force_login(demo.secretary)
    before = list(
        SurveyQuestion.objects.filter(survey=survey).values_list("pk", "text", "kind", "position")
    )
    fields = form_fields(client.get(f"/surveys/{survey.pk}/edit/").content.decode(), "record-form")
    assert client.post(f"/surveys/{survey.pk}/edit/", fields).status_code == 302
    assert (
        list(
            SurveyQuestion.objects.filter(survey=survey).values_list(
                "pk", "text", "kind", "position"
            )
        )
        == before
    )
    assert question(survey, 4).show_if == question(survey, 3)
    assert [o.label for o in question(survey, 4).show_if_options.all()] == ["取り組んでいる"]


def test_the_builder_adds_a_question_and_reports_errors_on_the_row(client, demo, survey) -> None:
    client.force_login(demo.secretary)
    fields = form_fields(client.get(f"/surveys/{survey.pk}/edit/").content.decode(), "record-form")
    fields |= {
        "questions-6-kind": "single",
        "questions-6-text": "次回も参加したいですか",
        "questions-6-options": "はい\nいいえ",
        "questions-6-required": "on",
        "questions-7-kind": "multiple",
        "questions-7-text": "選択肢が1つ",
        "questions-7-options": "ひとつ",
    }
    bad = client.post(f"/surveys/{survey.pk}/edit/", fields)
    assert bad.status_code == 400
    assert "質問 8 選択肢: 選択肢を2つ以上入力してください。" in bad.content.decode()
    assert survey.questions.count() == 6
    fields |= {"questions-7-kind": "single", "questions-7-text": "", "questions-7-options": ""}
    assert client.post(f"/surveys/{survey.pk}/edit/", fields).status_code == 302
    added = question(survey, 7)
    assert (added.text, added.required, [o.label for o in added.options.all()]) == (
        "次回も参加したいですか",
        True,
        ["はい", "いいえ"],
    )


def test_a_condition_on_a_deleted_question_is_refused_in_the_builder(client, demo, survey) -> None:
    client.force_login(demo.secretary)
    fields = form_fields(client.get(f"/surveys/{survey.pk}/edit/").content.decode(), "record-form")
    fields["questions-2-DELETE"] = "on"
    response = client.post(f"/surveys/{survey.pk}/edit/", fields)
    assert response.status_code == 400
    assert "質問 3 はないか、削除されるため、表示条件にできません。" in response.content.decode()


def test_the_list_shows_each_person_only_their_organisations_questionnaires(
    client, demo, survey
) -> None:
    client.force_login(demo.secretary)
    assert survey.title in client.get("/surveys/").content.decode()
    client.force_login(demo.staff)
    assert survey.title not in client.get("/surveys/").content.decode()
    client.force_login(demo.resident)
    assert client.get("/surveys/").status_code == 403
