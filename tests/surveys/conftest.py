import pytest

from kyodo.surveys import services
from kyodo.surveys.models import QuestionKind, Respondent, Survey, SurveyStatus

QUESTIONS = [
    {
        "kind": QuestionKind.SCALE,
        "text": "本日の会議の満足度",
        "required": True,
        "scale_low": "不満",
        "scale_high": "満足",
        "on_results": True,
    },
    {
        "kind": QuestionKind.MULTIPLE,
        "text": "参考になった内容",
        "options": ["講演", "事例紹介", "質疑応答"],
        "on_results": True,
    },
    {
        "kind": QuestionKind.SINGLE,
        "text": "コミュニティ・プラットフォームに取り組んでいますか",
        "required": True,
        "options": ["取り組んでいる", "検討中", "取り組んでいない"],
    },
    {
        "kind": QuestionKind.NUMBER,
        "text": "取り組んでいる地区の数",
        "required": True,
        "number_min": 0,
        "number_max": 500,
        "show_if": 3,
        "show_if_options": ["取り組んでいる"],
    },
    {"kind": QuestionKind.SHORT_TEXT, "text": "担当課名"},
    {"kind": QuestionKind.LONG_TEXT, "text": "感想・ご意見", "on_results": True},
]


@pytest.fixture
def survey(demo) -> Survey:
    """An open questionnaire of the secretariat with one question of each kind, and three
    people asked."""
    created = services.survey_create(
        owner=demo.secretariat,
        title="会議終了時アンケート",
        questions=QUESTIONS,
        actor=demo.secretary,
    )
    services.survey_set_status(survey=created, status=SurveyStatus.OPEN, actor=demo.secretary)
    services.respondents_add(
        survey=created,
        people=[
            {"name": f"参加者{n}", "email": f"p{n}@example.jp", "source": f"test:{n}"}
            for n in range(1, 4)
        ],
        actor=demo.secretary,
    )
    created.refresh_from_db()
    return created


@pytest.fixture
def respondents(survey) -> list[Respondent]:
    return list(survey.respondents.order_by("pk"))
