"""The meeting's questionnaire: created from the meeting, sent to those who attended,
answered, and the picked questions summarised on the published results page."""

from __future__ import annotations

import pytest

from kyodo.meetings import services
from kyodo.meetings.models import Attendee, Meeting, MeetingStatus
from kyodo.surveys import services as survey_services
from kyodo.surveys.models import Option, Respondent, SurveyQuestion, SurveyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(open_meeting, demo) -> Meeting:
    """The open demo meeting with three attendees, one of them absent, marked held."""
    services.registration_submit(
        meeting=open_meeting,
        organisation=demo.kagoshima_city,
        attendees=[
            {"name": "鹿児 太郎", "email": demo.staff.email, "mode": "online"},
            {"name": "鹿児 次郎", "email": "jiro@example.jp", "mode": "in_person"},
            {"name": "鹿児 三郎", "email": "saburo@example.jp", "mode": "online"},
        ],
        actor=demo.staff,
    )
    present = set(
        Attendee.objects.filter(registration__meeting=open_meeting)
        .exclude(name="鹿児 三郎")
        .values_list("pk", flat=True)
    )
    services.attendance_record(meeting=open_meeting, attended_ids=present, actor=demo.secretary)
    services.meeting_set_status(meeting=open_meeting, status=MeetingStatus.HELD, actor=None)
    # Without the questionnaire the demo prepares, to create it here.
    Meeting.objects.filter(pk=open_meeting.pk).update(questionnaire=None)
    open_meeting.refresh_from_db()
    return open_meeting


def test_the_secretariat_creates_the_questionnaire_from_the_meeting(client, demo, held) -> None:
    client.force_login(demo.staff)
    assert client.post(f"/meetings/{held.pk}/questionnaire/").status_code == 403
    client.force_login(demo.secretary)
    response = client.post(f"/meetings/{held.pk}/questionnaire/")
    held.refresh_from_db()
    survey = held.questionnaire
    assert response.url == f"/surveys/{survey.pk}/edit/"
    assert survey.owner == demo.secretariat
    assert [q.text for q in survey.questions.all()] == [
        "本日の会議はいかがでしたか",
        "参考になった内容を選んでください",
        "今後取り上げてほしいテーマ",
        "感想・ご意見",
    ]
    parts = Option.objects.filter(question__survey=survey).values_list("label", flat=True)
    assert list(parts) == [
        "前回の振り返り,趣旨説明",
        "講演",
        "ブレイクアウトセッション(感想共有)",
        "質疑応答",
        "総括",
    ]
    again = client.post(f"/meetings/{held.pk}/questionnaire/", follow=True)
    assert "この会議にはすでにアンケートがあります。" in again.content.decode()


def test_requests_go_to_attendees_not_marked_absent_once(
    client, demo, held, mailoutbox, django_capture_on_commit_callbacks, settings
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    survey = services.meeting_questionnaire_create(meeting=held, actor=demo.secretary)
    survey_services.survey_set_status(survey=survey, status=SurveyStatus.OPEN, actor=None)
    client.force_login(demo.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/meetings/{held.pk}/questionnaire/send/", follow=True)
    assert "アンケートの依頼を2名に送信します。" in response.content.decode()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([demo.staff.email, "jiro@example.jp"])
    assert held.display_title in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/meetings/{held.pk}/questionnaire/send/")
    assert len(mailoutbox) == 2
    mine = Respondent.objects.get(survey=survey, email=demo.staff.email)
    assert mine.user == demo.staff
    assert mine.organisation == demo.kagoshima_city


def test_the_results_page_shows_only_the_picked_questions(client, demo, held) -> None:
    survey = services.meeting_questionnaire_create(meeting=held, actor=demo.secretary)
    survey_services.survey_set_status(survey=survey, status=SurveyStatus.OPEN, actor=None)
    services.meeting_questionnaire_send(meeting=held, actor=demo.secretary)
    questions = list(SurveyQuestion.objects.filter(survey=survey).order_by("position"))
    talk = Option.objects.get(question=questions[1], label="講演")
    for number, respondent in enumerate(survey.respondents.order_by("pk"), start=1):
        survey_services.response_submit(
            respondent=respondent,
            answers={
                questions[0].pk: 3 + number,
                questions[1].pk: [talk.pk],
                questions[2].pk: "担い手の育成(非公開の質問)",
                questions[3].pk: f"大崎市の事例が参考になった{number}",
            },
            version=None,
            actor=None,
        )
    services.meeting_publish(meeting=held, actor=demo.secretary)
    html = client.get(f"/meetings/{held.pk}/").content.decode()
    assert (
        "会議終了時に行ったアンケートでは,以下のような感想や意見が出されました(回答2件)。" in html
    )
    assert "平均 <strong>4.50</strong>" in html
    assert (
        '<th scope="row">講演</th><td class="number">2</td><td class="number">100.0%</td>' in html
    )
    assert "大崎市の事例が参考になった1" in html
    assert "担い手の育成(非公開の質問)" not in html
    assert "CSV" not in html


def test_an_attendee_finds_the_open_questionnaire_on_the_meeting_page(client, demo, held) -> None:
    survey = services.meeting_questionnaire_create(meeting=held, actor=demo.secretary)
    client.force_login(demo.staff)
    link = "アンケートに回答する(参加者用)"
    assert link not in client.get(f"/meetings/{held.pk}/").content.decode()
    survey_services.survey_set_status(survey=survey, status=SurveyStatus.OPEN, actor=None)
    services.meeting_questionnaire_send(meeting=held, actor=demo.secretary)
    assert link in client.get(f"/meetings/{held.pk}/").content.decode()
    mine = Respondent.objects.get(survey=survey, user=demo.staff)
    assert client.get(f"/surveys/{survey.pk}/answer/").url == mine.get_absolute_url()
    client.force_login(demo.officer)
    assert link not in client.get(f"/meetings/{held.pk}/").content.decode()


def test_a_questionnaire_without_answers_adds_nothing_to_the_results(client, demo, held) -> None:
    services.meeting_questionnaire_create(meeting=held, actor=demo.secretary)
    client.force_login(demo.secretary)
    html = client.get(f"/meetings/{held.pk}/").content.decode()
    assert "会議終了時に行ったアンケート" not in html
