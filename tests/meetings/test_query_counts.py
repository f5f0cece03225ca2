"""The results page, its preview and the year plan read a fixed number of queries with 1 and
with 50 programme items, attendees, published questions and published group notes."""

import pytest
from django.test import Client

from kyodo.meetings import demo as meetings_demo
from kyodo.meetings import services
from kyodo.meetings.models import Meeting
from kyodo.surveys import services as survey_services

pytestmark = pytest.mark.django_db
SIZES = [1, 50]


def meeting_of_size(demo, size: int) -> Meeting:
    record = {
        **meetings_demo.SEED_MEETING,
        "attendee_count_manual": None,
        "programme": [
            {"title": f"項目{n}", "children": [{"title": f"細目{n}"}]} for n in range(size)
        ],
    }
    meeting = services.meeting_save_record(network=demo.network, record=record, actor=None)
    registration = meeting.registrations.create(organisation=demo.kagoshima_city)
    for n in range(size):
        registration.attendees.create(name=f"参加者{n}", mode="online", attended=True)
        question = services.question_submit(meeting=meeting, actor=None, text=f"質問{n}")
        services.question_moderate(question=question, actor=None, answer="回答", published=True)
    session = services.breakout_create(
        meeting=meeting, actor=None, title="感想共有", mode="mix", group_count=size
    )
    for group in session.groups.all():
        services.breakout_group_update(
            group=group, actor=None, notes=f"{group.name}の感想", notes_published=True
        )
    return meeting


def with_questionnaire(meeting: Meeting, size: int) -> None:
    """The meeting's questionnaire answered by ``size`` people, its four questions picked."""
    survey = services.meeting_questionnaire_create(meeting=meeting, actor=None)
    survey.questions.update(on_results=True)
    survey_services.survey_set_status(survey=survey, status="open", actor=None)
    questions = list(survey.questions.prefetch_related("options").order_by("position"))
    people = [{"name": f"回答者{n}", "source": f"q{n}"} for n in range(size)]
    for n, respondent in enumerate(
        survey_services.respondents_add(survey=survey, people=people, actor=None)
    ):
        survey_services.response_submit(
            respondent=respondent,
            answers={
                questions[0].pk: 1 + n % 5,
                questions[1].pk: [questions[1].options.all()[0].pk],
                questions[3].pk: f"感想{n}",
            },
            version=None,
            actor=None,
        )


@pytest.mark.parametrize("size", SIZES)
def test_published_results_page(client: Client, demo, django_assert_num_queries, size: int):
    meeting = meeting_of_size(demo, size)
    services.meeting_publish(meeting=meeting, actor=None)
    with django_assert_num_queries(2):
        html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"{size}名" in html
    assert html.count("細目") == size
    assert html.count('<div class="qa__item">') == size
    assert html.count('<div class="group-notes__item">') == size


@pytest.mark.parametrize("size", SIZES)
def test_preview_for_the_secretariat(client: Client, demo, django_assert_num_queries, size: int):
    meeting = meeting_of_size(demo, size)
    client.force_login(demo.secretary)
    with django_assert_num_queries(17):
        html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert html.count("細目") == size
    assert html.count('<div class="qa__item">') == size
    assert html.count('<div class="group-notes__item">') == size


@pytest.mark.parametrize("size", SIZES)
def test_preview_with_the_questionnaire_summary(
    client: Client, demo, django_assert_num_queries, size: int
):
    meeting = meeting_of_size(demo, size)
    with_questionnaire(meeting, size)
    client.force_login(demo.secretary)
    with django_assert_num_queries(25):
        html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f"(回答{size}件)" in html
    assert html.count("<li>感想") == size


@pytest.mark.parametrize("size", SIZES)
def test_year_plan(client: Client, demo, django_assert_num_queries, size: int):
    for n in range(size):
        meeting = (
            meeting_of_size(demo, 1)
            if n == 0
            else services.meeting_copy(
                meeting=Meeting.objects.get(network=demo.network, fiscal_year=2020, ordinal=3),
                actor=None,
            )
        )
        services.meeting_publish(meeting=meeting, actor=None)
    client.force_login(demo.secretary)
    with django_assert_num_queries(8):
        html = client.get("/networks/kagoshima/meetings/2020/").content.decode()
    assert html.count("回会議</a>") == size


@pytest.mark.parametrize("size", [1, 12])
def test_api_meeting_list(client: Client, demo, django_assert_num_queries, size: int):
    seed = meeting_of_size(demo, 3)
    for _ in range(size - 1):
        services.meeting_copy(meeting=seed, actor=None)
    client.force_login(demo.staff)
    Meeting.objects.update(status="held")
    with django_assert_num_queries(13):
        records = client.get("/api/networks/kagoshima/meetings").json()
    assert len(records) == size
