"""Who may write, change and read posts and cases: the secretariat, an officer of city A,
an officer of city B, a resident and an anonymous visitor."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kyodo.core.models import AuditEntry
from kyodo.knowledge import services
from kyodo.knowledge.models import Audience, Case, Post, Scope, Status
from tests.knowledge.conftest import client_for

ROLES = ("secretary", "officer_a", "officer_b", "resident", None)


def user_of(kn, role):
    return getattr(kn, role) if role else None


@pytest.mark.parametrize(
    ("role", "expected"),
    [("secretary", 200), ("officer_a", 200), ("officer_b", 200), ("resident", 403), (None, 302)],
)
def test_only_the_secretariat_and_member_officers_may_open_the_editors(kn, role, expected):
    for name in ("knowledge:post_new", "knowledge:case_new", "knowledge:manage"):
        response = client_for(user_of(kn, role)).get(reverse(name))
        assert response.status_code == expected, name
        if expected == 302:
            assert response["Location"].startswith(reverse("login"))


def test_the_organisation_choices_are_the_officers_own_and_every_member_for_the_secretariat(kn):
    page = client_for(kn.officer_a).get(reverse("knowledge:post_new")).content.decode()
    assert f'<option value="{kn.city_a.pk}">鹿児島市</option>' in page
    assert "鹿屋市" not in page
    page = client_for(kn.secretary).get(reverse("knowledge:post_new")).content.decode()
    assert "鹿児島市" in page
    assert "鹿屋市" in page
    assert "共生・協働推進課" in page


def test_an_officer_of_b_cannot_post_in_the_name_of_a(kn):
    response = client_for(kn.officer_b).post(
        reverse("knowledge:post_new"),
        {
            "network": kn.network.pk,
            "organisation": kn.city_a.pk,
            "kind": "notice",
            "scope": "inside",
            "title": "なりすまし",
            "body": "本文",
            "audience": "public",
            "status": "published",
        },
    )
    assert response.status_code == 400
    assert "正しく選択してください" in response.content.decode()
    assert not Post.objects.exists()


def test_the_service_refuses_an_organisation_the_actor_does_not_act_for(kn):
    with pytest.raises(Exception, match="あなたが担当する組織"):
        kn.post(actor=kn.officer_b)
    assert not Post.objects.exists()


def test_an_officer_of_b_cannot_edit_or_withdraw_a_post_of_a(kn):
    post = kn.post()
    client = client_for(kn.officer_b)
    assert client.get(reverse("knowledge:post_edit", args=[post.pk])).status_code == 403
    response = client.post(
        reverse("knowledge:post_edit", args=[post.pk]),
        {
            "kind": "notice",
            "scope": "inside",
            "title": "書き換え",
            "body": "x",
            "audience": "public",
            "status": "published",
        },
    )
    assert response.status_code == 403
    assert client.post(reverse("knowledge:post_withdraw", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    assert (post.title, post.status) == ("校区の役員研修会", Status.PUBLISHED)


def test_the_officer_of_a_edits_and_the_secretariat_withdraws_a_post_of_a(kn):
    post = kn.post()
    response = client_for(kn.officer_a).post(
        reverse("knowledge:post_edit", args=[post.pk]),
        {
            "kind": "notice",
            "scope": "inside",
            "title": "研修会のお知らせ",
            "body": "本文を直しました。",
            "audience": "public",
            "status": "published",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.title, post.kind, post.body) == (
        "研修会のお知らせ",
        "notice",
        "本文を直しました。",
    )
    response = client_for(kn.secretary).post(reverse("knowledge:post_withdraw", args=[post.pk]))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == Status.WITHDRAWN
    assert list(
        AuditEntry.objects.filter(object_type="knowledge.post").values_list("action", flat=True)
    ) == ["post.withdraw", "post.update", "post.create"]
    assert client_for(None).get(post.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [("secretary", 200), ("officer_a", 200), ("officer_b", 200), ("resident", 404), (None, 404)],
)
def test_members_only_posts_and_cases_are_for_members_and_404_for_everyone_else(kn, role, expected):
    post = kn.post(audience=Audience.MEMBERS, title="会員向けのお知らせ")
    case = services.case_create(
        network=kn.network,
        organisation=kn.city_a,
        themes=[],
        meetings=[],
        actor=kn.officer_a,
        scope=Scope.INSIDE,
        source="",
        title="会員向けの事例",
        phase=None,
        summary="概要",
        what_worked="",
        what_did_not="",
        contact_department="",
        contact_details="",
        audience=Audience.MEMBERS,
        status=Status.PUBLISHED,
    )
    client = client_for(user_of(kn, role))
    assert client.get(post.get_absolute_url()).status_code == expected
    assert client.get(case.get_absolute_url()).status_code == expected
    listed = client.get(reverse("knowledge:post_list")).content.decode()
    assert ("会員向けのお知らせ" in listed) == (expected == 200)
    listed = client.get(reverse("knowledge:case_list")).content.decode()
    assert ("会員向けの事例" in listed) == (expected == 200)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("secretary", 200), ("officer_a", 200), ("officer_b", 404), ("resident", 404), (None, 404)],
)
def test_a_draft_is_seen_only_by_those_who_may_change_it(kn, role, expected):
    post = kn.post(status=Status.DRAFT, title="下書きの記事")
    client = client_for(user_of(kn, role))
    assert client.get(post.get_absolute_url()).status_code == expected
    assert "下書きの記事" not in client.get(reverse("knowledge:post_list")).content.decode()


def test_the_manage_page_lists_only_the_officers_own_records(kn):
    kn.post(title="甲市の記事", status=Status.DRAFT)
    kn.post(actor=kn.officer_b, organisation=kn.city_b, title="乙市の記事")
    page = client_for(kn.officer_a).get(reverse("knowledge:manage")).content.decode()
    assert "甲市の記事" in page
    assert "乙市の記事" not in page
    page = client_for(kn.secretary).get(reverse("knowledge:manage")).content.decode()
    assert "甲市の記事" in page
    assert "乙市の記事" in page
    assert not Case.objects.exists()


def case_form(kn, **changes):
    values = {
        "network": kn.network.pk,
        "organisation": kn.city_a.pk,
        "scope": "inside",
        "source": "",
        "title": "校区の協議会づくり",
        "themes": [kn.themes["担い手・役員"].pk],
        "meetings": [kn.meeting.pk, kn.unpublished.pk],
        "phase": "2",
        "summary": "話し合いを重ねて協議会を設立した。",
        "what_worked": "ワークショップ",
        "what_did_not": "役員の輪番制",
        "contact_department": "地域づくり担当",
        "contact_details": "099-000-0000",
        "audience": "public",
        "status": "published",
    }
    values.update(changes)
    return values


def test_an_officer_writes_and_edits_a_case_and_only_published_meetings_link(kn):
    client = client_for(kn.officer_a)
    response = client.post(reverse("knowledge:case_new"), case_form(kn))
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.organisation, case.phase, case.get_phase_display()) == (
        kn.city_a,
        2,
        "フェーズ2(組織の設立)",
    )
    assert set(case.meetings.all()) == {kn.meeting, kn.unpublished}
    html = client_for(None).get(case.get_absolute_url()).content.decode()
    assert f'<a href="{kn.meeting.get_absolute_url()}">' in html
    assert f'<a href="{kn.unpublished.get_absolute_url()}">' not in html
    assert "担い手・役員" in html

    edit = reverse("knowledge:case_edit", args=[case.pk])
    assert client.get(edit).status_code == 200
    assert client_for(kn.officer_b).get(edit).status_code == 403
    response = client.post(edit, case_form(kn, title="協議会づくりの5年", phase="", themes=[]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.phase, list(case.themes.all())) == ("協議会づくりの5年", None, [])
    assert client_for(kn.officer_b).post(edit, case_form(kn, title="x")).status_code == 403
    case.refresh_from_db()
    assert case.title == "協議会づくりの5年"


def test_the_services_hold_any_caller_to_the_same_rule(kn):
    post = kn.post()
    with pytest.raises(ValidationError, match="あなたの組織のものだけ"):
        services.post_update(
            post=post,
            actor=kn.officer_b,
            kind=post.kind,
            scope=post.scope,
            source="",
            title="書き換え",
            body=post.body,
            audience=post.audience,
            status=Status.PUBLISHED,
        )
    with pytest.raises(ValidationError, match="あなたの組織のものだけ"):
        services.item_withdraw(item=post, actor=kn.officer_b)
    assert post.title == "校区の役員研修会"
    post.refresh_from_db()
    assert (post.title, post.status) == ("校区の役員研修会", Status.PUBLISHED)
