"""The network's knowledge as the tests use it: the demo network with its themes, an
officer of city A (鹿児島市) and one of city B (鹿屋市), both member municipalities, a
published meeting with published Q&A and a meeting whose results are not published yet.

Every person is a real account with a real membership; nothing is faked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from kyodo.directory.models import MembershipRole, Network, Organisation, User
from kyodo.knowledge import services
from kyodo.knowledge.models import Audience, Post, PostKind, Scope, Status, Theme
from kyodo.meetings import services as meeting_services
from kyodo.meetings.models import Meeting, MeetingStatus, Question
from tests.liaison.conftest import member_of

MEETING: dict[str, Any] = {
    "fiscal_year": 2020,
    "ordinal": 3,
    "kind": "会議",
    "starts_at": "2020-11-19T09:30:00+09:00",
    "ends_at": "2020-11-19T12:00:00+09:00",
    "theme": "地域と行政の協働の考え方と手法",
}


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def qa(meeting: Meeting, text: str, answer: str, *, published: bool = True) -> Question:
    question = meeting_services.question_submit(meeting=meeting, actor=None, text=text)
    return meeting_services.question_moderate(
        question=question,
        actor=None,
        answer=answer,
        answered_by="宮城県大崎市職員",
        published=published,
    )


@dataclass
class Knowledge:
    network: Network
    secretariat: Organisation
    city_a: Organisation
    city_b: Organisation
    secretary: User
    officer_a: User
    officer_b: User
    resident: User
    themes: dict[str, Theme]
    meeting: Meeting
    unpublished: Meeting
    question: Question
    hidden_question: Question

    def post(self, actor: User | None = None, **values: Any) -> Post:
        """A published public post of city A, with ``values`` changed."""
        fields: dict[str, Any] = {
            "network": self.network,
            "organisation": self.city_a,
            "kind": PostKind.PRACTICE,
            "scope": Scope.INSIDE,
            "source": "",
            "title": "校区の役員研修会",
            "body": "会計と引継ぎの研修会を開きました。",
            "audience": Audience.PUBLIC,
            "status": Status.PUBLISHED,
        }
        fields.update(values)
        return services.post_create(actor=actor or self.officer_a, **fields)


@pytest.fixture
def kn(demo) -> Knowledge:
    network = demo.network
    themes = {
        name: Theme.objects.create(network=network, name=name, order=order)
        for order, name in enumerate(("担い手・役員", "広報・情報発信", "財源・広告"), 1)
    }
    city_b = Organisation.objects.get(lgcode="462039")
    meeting = meeting_services.meeting_save_record(network=network, record=MEETING, actor=None)
    question = qa(meeting, "役員のなり手がいない・・・", "役員の質が変化してきている。")
    meeting_services.meeting_publish(meeting=meeting, actor=None)
    unpublished = meeting_services.meeting_save_record(
        network=network,
        record={
            **MEETING,
            "fiscal_year": 2021,
            "starts_at": "2021-11-18T09:30:00+09:00",
            "ends_at": "2021-11-18T12:00:00+09:00",
            "status": MeetingStatus.HELD,
        },
        actor=None,
    )
    hidden_question = qa(unpublished, "まだ公開していない質問の合言葉", "未公開の回答です。")
    return Knowledge(
        network=network,
        secretariat=demo.secretariat,
        city_a=demo.kagoshima_city,
        city_b=city_b,
        secretary=demo.secretary,
        officer_a=member_of(
            demo.kagoshima_city, "a@kyodo.example", "甲 一郎", MembershipRole.OFFICER
        ),
        officer_b=member_of(city_b, "b@kyodo.example", "乙 二郎", MembershipRole.OFFICER),
        resident=demo.resident,
        themes=themes,
        meeting=Meeting.objects.get(pk=meeting.pk),
        unpublished=unpublished,
        question=question,
        hidden_question=hidden_question,
    )
