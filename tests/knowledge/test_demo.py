"""The demo's knowledge: the seed meeting's case city comes first, linked to the meeting
that presented it; its published Q&A carry the themes the demo gives them."""

from __future__ import annotations

from kyodo.knowledge import demo as knowledge_demo
from kyodo.knowledge.models import Audience, Case, Post, QuestionTheme, Scope
from kyodo.meetings import demo as meetings_demo
from kyodo.meetings.models import Meeting


def test_the_demo_loads_the_case_city_first_with_its_meeting_and_tagged_qa(
    demo, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    meetings_demo.load(demo.network)
    knowledge_demo.load()
    knowledge_demo.load()  # once only

    first = Case.objects.order_by("pk").first()
    assert first is not None
    assert (first.scope, first.source) == (Scope.OUTSIDE, "宮城県大崎市")
    assert "協働ができていますか" in first.what_worked
    seed = Meeting.objects.get(fiscal_year=2020, ordinal=3)
    assert list(first.meetings.all()) == [seed]
    assert Case.objects.count() == 2
    assert Post.objects.filter(scope=Scope.OUTSIDE).count() == 1
    assert Post.objects.filter(audience=Audience.MEMBERS).count() == 1
    assert Post.objects.filter(attachments__isnull=False).count() == 1
    tags = {
        (link.question.text, link.theme.name)
        for link in QuestionTheme.objects.select_related("question", "theme")
    }
    assert ("役員のなり手がいない・・・", "担い手・役員") in tags
    assert ("カレンダーどう作る?", "財源・広告") in tags
    assert ("カレンダーどう作る?", "広報・情報発信") in tags
