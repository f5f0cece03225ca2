import re

import pytest
from django.test import Client

from kyodo.core.models import AuditEntry
from kyodo.directory.models import Organisation

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_home_names_the_network(client: Client, demo) -> None:
    html = text(client.get("/"))
    assert "共生・協働推進かごしま自治体ネットワーク" in html
    assert "会員 52 団体(うち市町村 43)" in html
    assert "設置: 平成17年7月" in html


def test_member_list_shows_every_municipality_under_its_regional_office(
    client: Client, demo
) -> None:
    html = text(client.get("/networks/kagoshima/members/"))
    sections = re.findall(r'<section aria-labelledby="group-\d+">(.*?)</section>', html, re.S)
    headings = [
        re.sub(r"<[^>]+>", "", re.search(r"<h2[^>]*>(.*?)</h2>", s).group(1)) for s in sections
    ]
    assert headings == [
        "県の機関",
        "鹿児島地域振興局",
        "南薩地域振興局",
        "北薩地域振興局",
        "姶良・伊佐地域振興局",
        "大隅地域振興局",
        "熊毛支庁",
        "大島支庁",
    ]
    codes = {
        heading: re.findall(r'<span class="code">(\d{6})</span>', section)
        for heading, section in zip(headings, sections, strict=True)
    }
    assert sum(len(found) for heading, found in codes.items() if heading != "県の機関") == 43
    assert "462012" in codes["鹿児島地域振興局"]  # 鹿児島市
    assert codes["熊毛支庁"] == ["462136", "465011", "465020", "465054"]
    assert len(codes["大島支庁"]) == 12
    assert codes["県の機関"] == ["460001"]


def test_organisation_page_has_the_page_furniture(client: Client, demo) -> None:
    html = text(client.get(f"/organisations/{demo.kagoshima_city.pk}/"))
    assert html.count("<h1") == 1
    assert '<a class="skip-link" href="#main">本文へ</a>' in html
    assert 'aria-label="パンくずリスト"' in html
    assert "更新日:" in html
    assert "このページに関するお問い合わせ" in html
    assert "このページの情報は役に立ちましたか？" in html
    assert "このページは見つけやすかったですか？" in html
    assert "<script" in html
    assert "htmx.min.js" in html
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, "no inline script"
    assert " style=" not in html, "no inline style"


def test_public_sees_only_published_contacts(client: Client, demo) -> None:
    html = text(client.get(f"/organisations/{demo.council.pk}/"))
    assert "南 一郎" in html
    assert "会長" in html
    assert "officer@kyodo.example" not in html
    assert "輪番制" not in html
    city = text(client.get(f"/organisations/{demo.kagoshima_city.pk}/"))
    assert "鹿児 太郎" not in city

    client.force_login(demo.officer)
    html = text(client.get(f"/organisations/{demo.council.pk}/"))
    assert "officer@kyodo.example" in html
    assert "輪番制(1年)" in html


def test_officer_edits_own_organisation(client: Client, demo) -> None:
    client.force_login(demo.officer)
    url = f"/organisations/{demo.council.pk}/edit/"
    form = text(client.get(url))
    assert "(デモ)みなみ校区コミュニティ協議会の情報を編集" in form
    data = {
        "kind": "community_council",
        "name": demo.council.name,
        "kana": demo.council.kana,
        "parent": demo.kagoshima_city.pk,
        "phone": "099-123-4567",
        "description": demo.council.description,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert Organisation.objects.get(pk=demo.council.pk).phone == "099-123-4567"
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.actor == demo.officer
    assert entry.changes == {"phone": ["", "099-123-4567"]}


def test_officer_gets_403_when_editing_another_organisation(client: Client, demo) -> None:
    client.force_login(demo.officer)
    url = f"/organisations/{demo.kagoshima_city.pk}/edit/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"kind": "municipality", "name": "乗っ取り市"})
    assert response.status_code == 403
    assert "このページを表示する権限がありません" in text(response)
    assert Organisation.objects.get(pk=demo.kagoshima_city.pk).name == "鹿児島市"


@pytest.mark.parametrize("who", ["staff", "resident"])
def test_other_roles_cannot_edit_the_council(client: Client, demo, who: str) -> None:
    client.force_login(getattr(demo, who))
    assert client.get(f"/organisations/{demo.council.pk}/edit/").status_code == 403


def test_anonymous_editor_is_sent_to_login(client: Client, demo) -> None:
    response = client.get(f"/organisations/{demo.council.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/organisations/{demo.council.pk}/edit/"


def test_secretariat_edits_a_member_municipality(client: Client, demo) -> None:
    client.force_login(demo.secretary)
    response = client.get(f"/organisations/{demo.kagoshima_city.pk}/edit/")
    assert response.status_code == 200
    # ... but not a community council, which is not a member of its network.
    assert client.get(f"/organisations/{demo.council.pk}/edit/").status_code == 403


def city_form(demo, **changes: str) -> dict[str, object]:
    city = demo.kagoshima_city
    data: dict[str, object] = {
        "kind": "municipality",
        "name": city.name,
        "kana": city.kana,
        "parent": demo.prefecture.pk,
        "lgcode": city.lgcode,
        "municipality_type": "市",
        "regional_office": city.regional_office_id,
    }
    data.update(changes)
    return data


def test_wrong_check_digit_in_the_form_is_refused_and_nothing_saved(client: Client, demo) -> None:
    client.force_login(demo.secretary)
    url = f"/organisations/{demo.kagoshima_city.pk}/edit/"
    response = client.post(url, city_form(demo, lgcode="462013", phone="099-999-9999"))
    assert response.status_code == 400
    html = text(response)
    assert "入力内容に誤りがあります。保存されていません。" in html
    assert "地方公共団体コード462013の検査数字(6桁目)が正しくありません" in html
    assert "先頭5桁46201の検査数字は2です" in html
    # The page still names the stored organisation, not the refused input.
    assert "<h1>鹿児島市の情報を編集</h1>" in html
    city = Organisation.objects.get(pk=demo.kagoshima_city.pk)
    assert (city.lgcode, city.phone) == ("462012", "")
    assert not AuditEntry.objects.filter(action="organisation.update").exists()


def test_full_width_digits_are_accepted_as_the_same_code(client: Client, demo) -> None:
    client.force_login(demo.secretary)
    url = f"/organisations/{demo.kagoshima_city.pk}/edit/"
    response = client.post(url, city_form(demo, lgcode="４６２０１２", phone="099-224-1111"))
    assert response.status_code == 302
    city = Organisation.objects.get(pk=demo.kagoshima_city.pk)
    assert (city.lgcode, city.phone) == ("462012", "099-224-1111")


def test_duplicate_code_is_refused(client: Client, demo) -> None:
    client.force_login(demo.admin)
    response = client.post(
        "/organisations/new/", city_form(demo, name="二つ目の鹿児島市", lgcode="462012")
    )
    assert response.status_code == 400
    assert "地方公共団体コード" in text(response)
    assert Organisation.objects.filter(lgcode="462012").count() == 1


def test_secretariat_registers_an_organisation(client: Client, demo) -> None:
    client.force_login(demo.secretary)
    response = client.post(
        "/organisations/new/",
        {"kind": "npo", "name": "NPO法人かごしま協働ネット", "parent": demo.kagoshima_city.pk},
    )
    created = Organisation.objects.get(name="NPO法人かごしま協働ネット")
    assert response["Location"] == f"/organisations/{created.pk}/"
    assert AuditEntry.objects.get(action="organisation.create", object_id=str(created.pk))


def test_officer_cannot_register_organisations(client: Client, demo) -> None:
    client.force_login(demo.officer)
    assert client.get("/organisations/new/").status_code == 403


def test_unknown_organisation_is_404_in_japanese(client: Client, demo) -> None:
    response = client.get("/organisations/999999/")
    assert response.status_code == 404
    assert "ページが見つかりません" in text(response)


def test_pages_switch_to_english_through_django_i18n(client: Client, demo) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = text(client.get("/networks/kagoshima/members/"))
    assert '<html lang="en">' in html
    assert "Skip to main content" in html
    assert "Contact about this page" in html
    # Names of organisations stay as they are.
    assert "鹿児島市" in html


def test_officer_cannot_move_their_organisation_in_the_tree(client: Client, demo) -> None:
    client.force_login(demo.officer)
    url = f"/organisations/{demo.council.pk}/edit/"
    form = text(client.get(url))
    assert 'name="kind"' not in form
    assert 'name="parent"' not in form
    client.post(
        url,
        {"name": demo.council.name, "kind": "department", "parent": demo.prefecture.pk},
    )
    council = Organisation.objects.get(pk=demo.council.pk)
    assert (council.kind, council.parent) == ("community_council", demo.kagoshima_city)


def test_secretariat_loses_rights_over_a_member_that_left(client: Client, demo) -> None:
    demo.network.memberships.filter(organisation=demo.kagoshima_city).update(left_on="2020-03-31")
    client.force_login(demo.secretary)
    assert client.get(f"/organisations/{demo.kagoshima_city.pk}/edit/").status_code == 403
