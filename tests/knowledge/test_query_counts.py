"""Every list and detail page reads a fixed number of queries at 1 and at 50 items."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from kyodo.knowledge.models import (
    Audience,
    Case,
    CaseAttachment,
    Post,
    PostAttachment,
    QuestionTheme,
    Scope,
    Status,
    Theme,
)
from kyodo.meetings.models import Meeting, MeetingStatus, Question
from tests.knowledge.conftest import client_for

# Page: (queries for a visitor, for the secretariat signed in). The session, the user and
# the roles take four or five of the latter.
EXPECTED = {
    "post_list": (2, 7),
    "post_detail": (2, 6),
    "case_list": (4, 9),
    "case_detail": (4, 8),
    "qa_list": (5, 7),
    "qa_detail": (2, 7),
    "manage": (None, 7),
}


def posts(kn, size):
    now = timezone.now()
    return Post.objects.bulk_create(
        Post(
            network=kn.network,
            organisation=kn.city_a if n % 2 else kn.secretariat,
            kind="notice",
            scope=Scope.OUTSIDE if n % 3 else Scope.INSIDE,
            source="宮城県大崎市",
            title=f"お知らせ{n}",
            body="本文",
            audience=Audience.MEMBERS if n % 4 == 1 else Audience.PUBLIC,
            status=Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=n),
        )
        for n in range(size)
    )


def cases(kn, size):
    now = timezone.now()
    made = Case.objects.bulk_create(
        Case(
            network=kn.network,
            organisation=kn.city_a,
            scope=Scope.INSIDE,
            title=f"事例{n}",
            summary="概要",
            phase=(n % 4) + 1,
            status=Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=n),
        )
        for n in range(size)
    )
    for case in made:
        case.themes.set(kn.themes.values())
    return made


def meetings(kn, size):
    start = timezone.now() - datetime.timedelta(days=400)
    return Meeting.objects.bulk_create(
        Meeting(
            network=kn.network,
            fiscal_year=2000 + n,
            ordinal=1,
            starts_at=start,
            ends_at=start,
            status=MeetingStatus.PUBLISHED,
        )
        for n in range(size)
    )


def count_queries(client, url, django_assert_num_queries, expected):
    client.get("/")  # the session, once
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("size", [1, 50])
@pytest.mark.parametrize("signed_in", [False, True])
def test_post_pages(kn, size, signed_in, django_assert_num_queries):
    made = posts(kn, size)
    first = made[0]
    PostAttachment.objects.bulk_create(
        PostAttachment(post=first, title=f"資料{n}", file=f"knowledge/x{n}.pdf", size=100)
        for n in range(size)
    )
    client = client_for(kn.secretary if signed_in else None)
    html = count_queries(
        client,
        reverse("knowledge:post_list"),
        django_assert_num_queries,
        EXPECTED["post_list"][signed_in],
    )
    assert "お知らせ0" in html
    html = count_queries(
        client,
        first.get_absolute_url(),
        django_assert_num_queries,
        EXPECTED["post_detail"][signed_in],
    )
    assert html.count(f'href="/knowledge/posts/{first.pk}/files/') == size


@pytest.mark.parametrize("size", [1, 50])
@pytest.mark.parametrize("signed_in", [False, True])
def test_case_pages(kn, size, signed_in, django_assert_num_queries):
    first = cases(kn, size)[0]
    first.meetings.set(meetings(kn, size))
    CaseAttachment.objects.bulk_create(
        CaseAttachment(case=first, title=f"資料{n}", file=f"knowledge/x{n}.pdf", size=100)
        for n in range(size)
    )
    client = client_for(kn.secretary if signed_in else None)
    html = count_queries(
        client,
        reverse("knowledge:case_list"),
        django_assert_num_queries,
        EXPECTED["case_list"][signed_in],
    )
    assert "事例0" in html
    html = count_queries(
        client,
        first.get_absolute_url(),
        django_assert_num_queries,
        EXPECTED["case_detail"][signed_in],
    )
    assert html.count("の開催結果</a></li>") == size


@pytest.mark.parametrize("size", [1, 50])
@pytest.mark.parametrize("signed_in", [False, True])
def test_qa_pages(kn, size, signed_in, django_assert_num_queries):
    Question.objects.bulk_create(
        Question(meeting=kn.meeting, text=f"質問{n}", answer="回答", published=True, position=n)
        for n in range(size)
    )
    themes = Theme.objects.bulk_create(
        Theme(network=kn.network, name=f"テーマ{n}", order=10 + n) for n in range(size)
    )
    QuestionTheme.objects.bulk_create(
        QuestionTheme(question=kn.question, theme=theme) for theme in themes
    )
    client = client_for(kn.secretary if signed_in else None)
    html = count_queries(
        client,
        reverse("knowledge:qa_list"),
        django_assert_num_queries,
        EXPECTED["qa_list"][signed_in],
    )
    assert "質問0" in html
    count_queries(
        client,
        reverse("knowledge:qa", args=[kn.question.pk]),
        django_assert_num_queries,
        EXPECTED["qa_detail"][signed_in],
    )


@pytest.mark.parametrize("size", [1, 50])
def test_manage_page(kn, size, django_assert_num_queries):
    posts(kn, size)
    cases(kn, size)
    html = count_queries(
        client_for(kn.secretary),
        reverse("knowledge:manage"),
        django_assert_num_queries,
        EXPECTED["manage"][1],
    )
    assert html.count('<tr><th scope="row">') == min(size, 50) * 2
