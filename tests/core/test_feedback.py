import re

import pytest
from django.test import Client

from kyodo.core.forms import page_token
from kyodo.core.models import PageFeedback

pytestmark = pytest.mark.django_db


def token_on(client: Client, path: str) -> str:
    html = client.get(path).content.decode()
    match = re.search(r'name="page" value="([^"]+)"', html)
    assert match, "the page carries a feedback form"
    return match.group(1)


def test_feedback_is_stored_against_the_page_and_its_owner(client: Client, demo) -> None:
    path = f"/organisations/{demo.kagoshima_city.pk}/"
    response = client.post(
        "/feedback/",
        {
            "page": token_on(client, path),
            "usefulness": "useful",
            "findability": "hard",
            "comment": "担当課の電話番号も知りたい",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{path}#page-feedback"
    row = PageFeedback.objects.get()
    assert (row.path, row.page_title, row.owner, row.usefulness, row.findability, row.comment) == (
        path,
        "鹿児島市",
        demo.kagoshima_city,
        "useful",
        "hard",
        "担当課の電話番号も知りたい",
    )
    follow = client.get(path)
    assert "ご意見をお寄せいただき、ありがとうございました。" in follow.content.decode()


def test_feedback_over_htmx_returns_the_thanks_fragment(client: Client, demo) -> None:
    response = client.post(
        "/feedback/",
        {"page": token_on(client, "/"), "usefulness": "neutral"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "ありがとうございました" in html
    assert "<html" not in html
    assert PageFeedback.objects.get().owner == demo.secretariat


def test_tampered_page_token_is_refused_and_nothing_is_saved(client: Client, demo) -> None:
    forged = page_token(path="/", title="x", owner_id=demo.council.pk)[:-2] + "xx"
    response = client.post("/feedback/", {"page": forged, "usefulness": "useful"})
    assert response.status_code == 400
    assert "ページの情報を確認できませんでした" in response.content.decode()
    assert PageFeedback.objects.count() == 0


def test_empty_feedback_is_refused_with_a_message(client: Client, demo) -> None:
    response = client.post("/feedback/", {"page": token_on(client, "/")})
    assert response.status_code == 400
    assert "いずれかの質問にお答えいただくか" in response.content.decode()
    assert PageFeedback.objects.count() == 0


def test_filled_honeypot_is_thanked_but_not_kept(client: Client, demo) -> None:
    response = client.post(
        "/feedback/",
        {"page": token_on(client, "/"), "comment": "buy now", "website": "http://spam.example"},
    )
    assert response.status_code == 200
    assert PageFeedback.objects.count() == 0


def test_feedback_is_rate_limited_per_address(client: Client, demo) -> None:
    token = token_on(client, "/")
    statuses = [
        client.post("/feedback/", {"page": token, "usefulness": "useful"}).status_code
        for _ in range(11)
    ]
    assert statuses == [302] * 10 + [429]
    assert PageFeedback.objects.count() == 10
    assert "しばらくしてから" in client.post("/feedback/", {"page": token}).content.decode()


def test_feedback_form_asks_for_no_personal_data(client: Client, demo) -> None:
    html = client.get("/").content.decode()
    form = html[html.index('id="page-feedback"') :]
    form = form[: form.index("</section>")]
    inputs = set(re.findall(r'name="([a-z_]+)"', form))
    assert inputs == {
        "csrfmiddlewaretoken",
        "page",
        "usefulness",
        "findability",
        "comment",
        "website",
    }
    assert "回答できません" in form


def test_owner_sees_feedback_summary_and_others_do_not(client: Client, demo) -> None:
    path = f"/organisations/{demo.council.pk}/"
    token = token_on(client, path)
    for usefulness in ("useful", "not_useful", "not_useful"):
        client.post("/feedback/", {"page": token, "usefulness": usefulness, "comment": "見出し"})

    client.force_login(demo.officer)
    html = client.get(f"/organisations/{demo.council.pk}/feedback/").content.decode()
    row = re.search(r"<tr><th scope=\"row\">.*?</tr>", html, re.S)
    assert row
    cells = re.findall(r"<td>(\d+)</td>", row.group(0))
    assert cells == ["3", "1", "2", "0", "0"]

    client.force_login(demo.staff)
    assert client.get(f"/organisations/{demo.council.pk}/feedback/").status_code == 403
