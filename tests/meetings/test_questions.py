"""Questions and answers: registered attendees ask and vote, the moderator answers, merges
and publishes; the results page shows the published Q&A in the moderator's order."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kyodo.core.models import AuditEntry
from kyodo.directory import services as directory_services
from kyodo.meetings import queries, services
from kyodo.meetings.demo import SEED_QUESTIONS
from kyodo.meetings.models import Meeting, Question, QuestionVote

pytestmark = pytest.mark.django_db


@pytest.fixture
def attending(open_meeting, demo):
    """The demo's municipal staff member and a colleague, both registered for the open
    meeting under their sign-in addresses."""
    colleague = directory_services.user_create(
        email="colleague@kyodo.example", name="鹿児 次郎", password="kyodo-demo", actor=demo.admin
    )
    services.registration_submit(
        meeting=open_meeting,
        organisation=demo.kagoshima_city,
        attendees=[
            {"name": "鹿児 太郎", "email": demo.staff.email, "mode": "online"},
            {"name": "鹿児 次郎", "email": colleague.email, "mode": "online"},
        ],
        actor=demo.staff,
    )
    return demo.staff, colleague


def ask(client: Client, meeting: Meeting, text: str, hidden: bool = False):
    data = {"text": text}
    if hidden:
        data["hidden"] = "on"
    return client.post(f"/meetings/{meeting.pk}/questions/", data)


def test_registered_attendee_asks_and_the_secretariat_sees_who_asked(
    client: Client, open_meeting, demo, attending
) -> None:
    staff, _colleague = attending
    client.force_login(staff)
    response = ask(client, open_meeting, "役員のなり手を増やす工夫は?")
    assert response.status_code == 302
    question = Question.objects.get(meeting=open_meeting)
    assert (question.asked_by, question.organisation) == (staff, demo.kagoshima_city)
    assert AuditEntry.objects.filter(action="question.submit", object_id=str(question.pk)).exists()

    client.force_login(demo.secretary)
    html = client.get(f"/meetings/{open_meeting.pk}/questions/moderate/").content.decode()
    assert "役員のなり手を増やす工夫は?" in html
    assert str(staff) in html
    assert demo.kagoshima_city.name in html


def test_hidden_question_is_shown_to_its_asker_and_the_moderator_only(
    client: Client, open_meeting, demo, attending
) -> None:
    staff, colleague = attending
    client.force_login(staff)
    ask(client, open_meeting, "内部の事情に関する質問", hidden=True)
    assert (
        "内部の事情に関する質問"
        in client.get(f"/meetings/{open_meeting.pk}/questions/").content.decode()
    )
    client.force_login(colleague)
    page = client.get(f"/meetings/{open_meeting.pk}/questions/").content.decode()
    assert "内部の事情に関する質問" not in page
    question = Question.objects.get(meeting=open_meeting)
    # Nor can a vote be cast on it by guessing its number.
    assert (
        client.post(f"/meetings/{open_meeting.pk}/questions/{question.pk}/vote/").status_code == 404
    )
    client.force_login(demo.secretary)
    moderation = client.get(f"/meetings/{open_meeting.pk}/questions/moderate/").content.decode()
    assert "内部の事情に関する質問" in moderation
    assert "参加者に非表示" in moderation


def test_an_attendee_votes_once_and_not_for_their_own_question(
    client: Client, open_meeting, attending
) -> None:
    staff, colleague = attending
    question = services.question_submit(meeting=open_meeting, actor=staff, text="評価指標は?")
    url = f"/meetings/{open_meeting.pk}/questions/{question.pk}/vote/"
    client.force_login(colleague)
    client.post(url)
    client.post(url)
    assert QuestionVote.objects.filter(question=question).count() == 1
    listed = queries.questions_for_attendee(open_meeting, colleague)
    assert [(q.text, q.vote_count, q.voted) for q in listed] == [("評価指標は?", 1, True)]
    client.force_login(staff)
    response = client.post(url, follow=True)
    assert "自分の質問には賛同できません。" in response.content.decode()
    assert QuestionVote.objects.filter(question=question).count() == 1


def test_vote_by_htmx_returns_the_refreshed_list(client: Client, open_meeting, attending) -> None:
    staff, colleague = attending
    question = services.question_submit(meeting=open_meeting, actor=staff, text="財源は?")
    client.force_login(colleague)
    response = client.post(
        f"/meetings/{open_meeting.pk}/questions/{question.pk}/vote/", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="question-list"')
    assert "賛同 1" in html
    assert "<html" not in html


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "このフィールドは必須です。"), ("あ" * 2001, "2000 文字以下")],
)
def test_empty_or_too_long_question_is_refused(
    client: Client, open_meeting, attending, text: str, message: str
) -> None:
    client.force_login(attending[0])
    response = ask(client, open_meeting, text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.filter(meeting=open_meeting).exists()


def test_who_may_see_ask_and_moderate(client: Client, open_meeting, demo, attending) -> None:
    question = services.question_submit(meeting=open_meeting, actor=attending[0], text="質問")
    url = f"/meetings/{open_meeting.pk}/questions/"
    assert client.get(url).status_code == 302  # visitors are sent to sign in
    for outsider in (demo.resident, demo.officer):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        assert ask(client, open_meeting, "部外者の質問").status_code == 403
    client.force_login(demo.staff)  # an attendee does not moderate
    assert client.get(f"{url}moderate/").status_code == 403
    assert client.post(f"{url}{question.pk}/edit/", {"answer": "x"}).status_code == 403
    assert Question.objects.filter(meeting=open_meeting).count() == 1
    # Once the results are published, questions are closed.
    services.meeting_publish(meeting=open_meeting, actor=demo.secretary)
    assert ask(client, open_meeting, "遅れた質問").status_code == 403


def test_moderator_answers_and_orders_and_the_results_page_follows(
    client: Client, open_meeting, demo, attending
) -> None:
    staff, colleague = attending
    first = services.question_submit(meeting=open_meeting, actor=staff, text="一つ目の質問")
    second = services.question_submit(meeting=open_meeting, actor=colleague, text="二つ目の質問")
    unanswered = services.question_submit(meeting=open_meeting, actor=staff, text="未回答の質問")
    client.force_login(demo.secretary)
    for question, position, public in ((first, 2, "一つ目(編集済み)"), (second, 1, "")):
        response = client.post(
            f"/meetings/{open_meeting.pk}/questions/{question.pk}/edit/",
            {
                "published_text": public,
                "answer": f"{question.text}への回答",
                "answered_by": "山浦陽一氏",
                "published": "on",
                "position": str(position),
            },
        )
        assert response.status_code == 302
    # Publishing a question without an answer is refused and changes nothing.
    response = client.post(
        f"/meetings/{open_meeting.pk}/questions/{unanswered.pk}/edit/",
        {"published_text": "変更", "answer": "", "published": "on", "position": "3"},
    )
    assert response.status_code == 400
    assert "回答を入力してから公開してください。" in response.content.decode()
    unanswered.refresh_from_db()
    assert (unanswered.published, unanswered.published_text) == (False, "")

    services.meeting_publish(meeting=open_meeting, actor=demo.secretary)
    client.logout()
    html = client.get(open_meeting.get_absolute_url()).content.decode()
    shown = re.findall(r'<span class="visually-hidden">質問:</span>([^<]+)</dt>', html)
    assert shown == ["二つ目の質問", "一つ目(編集済み)"]
    assert "未回答の質問" not in html
    assert "(回答:山浦陽一氏)" in html
    # The asker is never on the public page.
    assert str(staff) not in html


def test_merging_a_duplicate_moves_its_votes_without_double_counting(
    client: Client, open_meeting, demo, attending
) -> None:
    staff, colleague = attending
    kept = services.question_submit(meeting=open_meeting, actor=staff, text="担い手の確保は?")
    duplicate = services.question_submit(
        meeting=open_meeting, actor=colleague, text="役員のなり手がいない"
    )
    third = directory_services.user_create(
        email="third@kyodo.example", name="第三", password="x-x-x-x-x", actor=demo.admin
    )
    QuestionVote.objects.create(question=duplicate, user=third)
    QuestionVote.objects.create(question=kept, user=third)
    client.force_login(demo.secretary)
    response = client.post(
        f"/meetings/{open_meeting.pk}/questions/{duplicate.pk}/merge/", {"into": kept.pk}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept
    # The third person's vote counts once; the duplicate's asker now counts for the kept one.
    assert set(kept.votes.values_list("user_id", flat=True)) == {third.pk, colleague.pk}
    moderation = queries.questions_for_moderator(open_meeting)
    assert [(q.text, q.vote_count, [d.text for d in q.merged.all()]) for q in moderation] == [
        ("担い手の確保は?", 2, ["役員のなり手がいない"])
    ]
    # A question cannot be merged into itself or into one already merged.
    response = client.post(
        f"/meetings/{open_meeting.pk}/questions/{kept.pk}/merge/", {"into": kept.pk}, follow=True
    )
    assert "まとめる先の質問を選んでください。" in response.content.decode()
    assert Question.objects.get(pk=kept.pk).merged_into is None


def test_demo_results_page_holds_the_seed_questions_and_answers_in_order(
    client: Client, seed_meeting
) -> None:
    html = client.get(seed_meeting.get_absolute_url()).content.decode()
    shown = re.findall(r'<span class="visually-hidden">質問:</span>([^<]+)</dt>', html)
    assert shown == [question for question, _answer in SEED_QUESTIONS]
    assert len(shown) == 15
    for _question, answer in SEED_QUESTIONS:
        assert answer in html
    # Between the lecture and the summing-up, as published.
    assert (
        html.index("<h2>講演</h2>") < html.index("<h2>質疑応答</h2>") < html.index("<h2>総括</h2>")
    )


def test_moderation_list_runs_a_fixed_number_of_queries(
    client: Client, open_meeting, demo, attending
) -> None:
    staff, colleague = attending
    client.force_login(demo.secretary)
    url = f"/meetings/{open_meeting.pk}/questions/moderate/"
    counts = []
    for size in (1, 50):
        for index in range(size - open_meeting.questions.count()):
            question = services.question_submit(
                meeting=open_meeting, actor=staff, text=f"質問{index}"
            )
            QuestionVote.objects.create(question=question, user=colleague)
        client.get(url)  # warm the session and permission caches
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert open_meeting.questions.count() == 50
    # The same seven queries with 1 question and with 50 (questions, then their duplicates).
    assert counts == [7, 7]
