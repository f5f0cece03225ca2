"""The Q&A knowledge base: every published question and answer of every published meeting,
by theme and fiscal year, each linking back to its meeting's results; nothing of a meeting
whose results are not published, not even for members; themes set by the secretariat."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kyodo.core.models import AuditEntry
from kyodo.knowledge import services
from kyodo.knowledge.models import QuestionTheme
from kyodo.meetings import services as meeting_services
from tests.knowledge.conftest import client_for, qa


@pytest.mark.parametrize("role", ["secretary", "officer_a", None])
def test_the_list_shows_published_qa_with_a_link_to_the_results_and_nothing_else(kn, role):
    merged = qa(kn.meeting, "重複した質問", "重複した回答。", published=False)
    meeting_services.question_merge(question=merged, into=kn.question, actor=None)
    page = client_for(getattr(kn, role) if role else None).get(reverse("knowledge:qa_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<a href="/knowledge/qa/{kn.question.pk}/">役員のなり手がいない・・・</a>' in html
    assert f'<a href="{kn.meeting.get_absolute_url()}">開催結果</a>' in html
    assert "合言葉" not in html
    assert "未公開の回答" not in html
    assert "重複した" not in html
    assert '<p role="status">1件</p>' in html


@pytest.mark.parametrize("role", ["secretary", "officer_a", None])
def test_an_unpublished_meetings_question_is_404_for_everyone(kn, role):
    client = client_for(getattr(kn, role) if role else None)
    assert client.get(reverse("knowledge:qa", args=[kn.hidden_question.pk])).status_code == 404
    assert client.get(reverse("knowledge:qa", args=[kn.question.pk])).status_code == 200


def test_the_detail_links_back_to_the_meeting_and_names_the_fiscal_year(kn):
    html = client_for(None).get(reverse("knowledge:qa", args=[kn.question.pk])).content.decode()
    assert '<h1><span class="visually-hidden">質問:</span>役員のなり手がいない・・・</h1>' in html
    assert f'<a href="{kn.meeting.get_absolute_url()}">' in html
    assert "令和2年度" in html
    assert "テーマの設定" not in html


def test_the_secretariat_tags_a_question_and_the_list_filters_by_theme_and_year(kn):
    url = reverse("knowledge:qa", args=[kn.question.pk])
    theme = kn.themes["担い手・役員"]
    response = client_for(kn.secretary).post(url, {"themes": [theme.pk]})
    assert response.status_code == 302
    assert list(QuestionTheme.objects.values_list("question_id", "theme_id")) == [
        (kn.question.pk, theme.pk)
    ]
    assert AuditEntry.objects.filter(action="question.themes").count() == 1
    listed = client_for(None).get(reverse("knowledge:qa_list"), {"theme": theme.pk})
    assert "役員のなり手がいない" in listed.content.decode()
    other = kn.themes["財源・広告"].pk
    listed = client_for(None).get(reverse("knowledge:qa_list"), {"theme": other})
    assert "役員のなり手がいない" not in listed.content.decode()
    listed = client_for(None).get(reverse("knowledge:qa_list"), {"year": 2020})
    html = listed.content.decode()
    assert "役員のなり手がいない" in html
    # Only years and meetings with published Q&A are offered.
    assert '<option value="2020" selected>令和2年度</option>' in html
    assert "令和3年度" not in html


@pytest.mark.parametrize(("role", "expected"), [("officer_a", 403), ("resident", 403), (None, 403)])
def test_only_the_secretariat_may_tag(kn, role, expected):
    url = reverse("knowledge:qa", args=[kn.question.pk])
    client = client_for(getattr(kn, role) if role else None)
    assert client.post(url, {"themes": [kn.themes["担い手・役員"].pk]}).status_code == expected
    assert not QuestionTheme.objects.exists()


def test_the_service_refuses_tags_on_an_unpublished_meetings_question(kn):
    with pytest.raises(Exception, match="公開された会議の"):
        services.question_themes_set(
            question=kn.hidden_question, themes=[kn.themes["担い手・役員"]], actor=kn.secretary
        )
    with pytest.raises(Exception, match="事務局だけ"):
        services.question_themes_set(
            question=kn.question, themes=[kn.themes["担い手・役員"]], actor=kn.officer_a
        )
    assert not QuestionTheme.objects.exists()
