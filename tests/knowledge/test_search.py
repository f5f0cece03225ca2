"""What the site search finds of the shared knowledge: published records for whoever may
read them, never a draft, a withdrawn post, a members-only post for a visitor, or the Q&A
of a meeting whose results are not published."""

from __future__ import annotations

from kyodo.core.models import SearchDocument
from kyodo.core.search import index, text
from kyodo.core.search.queries import Filters, search
from kyodo.knowledge import services
from kyodo.knowledge.models import Audience, Scope, Status


def found(words: str, network_ids: list[int], *, kind: str = "") -> list[str]:
    results = search(text.parse(words), network_ids=network_ids, filters=Filters(kind=kind))
    return [item.url for item in results.items]


def test_a_members_only_post_is_found_by_members_only(kn):
    post = kn.post(audience=Audience.MEMBERS, title="会員向けの研修会", body="合言葉は鰹節")
    assert found("鰹節", []) == []
    assert found("鰹節", [kn.network.pk]) == [post.get_absolute_url()]
    row = SearchDocument.objects.get(kind="post", object_id=post.pk)
    assert (row.audience, row.network_id, row.municipality_id) == (
        "members",
        kn.network.pk,
        kn.city_a.pk,
    )


def test_a_draft_is_not_found_until_published_and_not_after_withdrawal(kn):
    post = kn.post(status=Status.DRAFT, body="合言葉は桜島大根")
    assert found("桜島大根", [kn.network.pk]) == []
    services.post_update(
        post=post,
        actor=kn.officer_a,
        kind=post.kind,
        scope=post.scope,
        source="",
        title=post.title,
        body=post.body,
        audience=post.audience,
        status=Status.PUBLISHED,
    )
    assert found("桜島大根", []) == [post.get_absolute_url()]
    services.item_withdraw(item=post, actor=kn.secretary)
    assert found("桜島大根", [kn.network.pk]) == []


def test_a_case_is_found_by_its_theme_and_outside_source_without_a_municipality(kn):
    case = services.case_create(
        network=kn.network,
        organisation=kn.secretariat,
        actor=kn.secretary,
        themes=[kn.themes["財源・広告"]],
        meetings=[kn.meeting],
        scope=Scope.OUTSIDE,
        source="宮城県大崎市",
        title="年間行事カレンダー",
        phase=3,
        summary="広告料で自主財源",
        what_worked="",
        what_did_not="",
        contact_department="",
        contact_details="",
        audience=Audience.PUBLIC,
        status=Status.PUBLISHED,
    )
    assert found("財源 大崎市", []) == [case.get_absolute_url()]
    row = SearchDocument.objects.get(kind="case", object_id=case.pk)
    assert (row.municipality_id, row.audience) == (None, "public")


def test_only_the_published_meetings_qa_is_found_and_its_theme_after_tagging(kn):
    # The meetings' services refresh their questions elsewhere; here both are indexed anew.
    assert index.refresh("qa", [kn.question.pk, kn.hidden_question.pk]) == 1
    assert found("役員", [], kind="qa") == [f"/knowledge/qa/{kn.question.pk}/"]
    assert found("合言葉", [kn.network.pk], kind="qa") == []
    services.question_themes_set(
        question=kn.question, themes=[kn.themes["担い手・役員"]], actor=kn.secretary
    )
    assert found("担い手", [], kind="qa") == [f"/knowledge/qa/{kn.question.pk}/"]
    row = SearchDocument.objects.get(kind="qa", object_id=kn.question.pk)
    assert (row.title, row.fiscal_year, row.audience) == (
        "役員のなり手がいない・・・",
        2020,
        "public",
    )
    assert not SearchDocument.objects.filter(kind="qa", object_id=kn.hidden_question.pk).exists()


def test_renaming_the_organisation_refreshes_its_posts(kn):
    from kyodo.directory import services as directory_services

    post = kn.post(title="協働の取組の報告")
    directory_services.organisation_update(
        organisation=kn.city_a, actor=kn.secretary, values={"name": "新しい名前市"}
    )
    assert found("新しい名前市", [], kind="post") == [post.get_absolute_url()]
