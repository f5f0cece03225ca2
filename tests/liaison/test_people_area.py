"""An area's key people and open matters: who sees them, the audit entry each view and
change leaves, bad input, and a constant number of queries as the list grows."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kyodo.core.models import AuditEntry
from kyodo.directory.models import User
from kyodo.liaison.models import Assignment, Handover, KeyPerson, MatterStatus, OpenMatter
from kyodo.liaison.services.area import key_person_save, matter_save
from tests.liaison.conftest import client_for, member_of, person_of

pytestmark = pytest.mark.django_db

VALUES = {
    "name": "地域 長老",
    "kana": "ちいき ちょうろう",
    "role_in_area": "みなみ一丁目町内会長",
    "contact": "099-000-1111",
    "approach": "清掃のあとに声をかける",
    "notes": "防災倉庫の鍵を預かっている",
    "is_active": True,
}


def area_staff(scheme) -> User:
    """A staff member assigned to the demo council who is not also a manager (the fixture's
    ``liaison`` works in the managing department, so the rules make them a manager too)."""
    user = member_of(scheme.other_department, "minami-tanto@kyodo.example", "南担当 四郎")
    Assignment.objects.create(
        area=scheme.area, person=person_of(user), fiscal_year=scheme.fiscal_year
    )
    return user


def add_person(scheme, **values) -> KeyPerson:
    return key_person_save(area=scheme.area, values={**VALUES, **values}, actor=scheme.liaison)


def views_of(key_person: KeyPerson) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action="liaison.key_person.view", object_id=str(key_person.pk)
        ).order_by("pk")
    )


def urls(scheme, key: KeyPerson, matter: OpenMatter) -> list[str]:
    area = scheme.area.pk
    return [
        reverse("liaison:area", args=[area]),
        reverse("liaison:key_person_new", args=[area]),
        reverse("liaison:key_person", args=[key.pk]),
        reverse("liaison:key_person_edit", args=[key.pk]),
        reverse("liaison:matter_new", args=[area]),
        reverse("liaison:matter_edit", args=[area, matter.pk]),
        reverse("liaison:handover_new", args=[area]),
    ]


@pytest.fixture
def recorded(scheme):
    key = add_person(scheme)
    matter = matter_save(
        area=scheme.area, values={"title": "防災倉庫の鍵", "detail": "相談中"}, actor=scheme.liaison
    )
    return key, matter


def test_the_assigned_staff_and_the_manager_use_every_page(scheme, recorded) -> None:
    key, matter = recorded
    for user in (area_staff(scheme), scheme.manager):
        client = client_for(user)
        for url in urls(scheme, key, matter):
            assert client.get(url).status_code == 200, (user, url)


def test_everyone_else_gets_403_even_the_site_administrator(scheme, recorded, demo) -> None:
    key, matter = recorded
    status = reverse("liaison:matter_status", args=[scheme.area.pk, matter.pk])
    for user in (scheme.other_liaison, scheme.unassigned, scheme.clerk, demo.resident, demo.admin):
        client = client_for(user)
        for url in urls(scheme, key, matter):
            assert client.get(url).status_code == 403, (user, url)
        assert client.post(status, {"status": "closed"}).status_code == 403
        assert (
            client.post(reverse("liaison:key_person_edit", args=[key.pk]), VALUES).status_code
            == 403
        )
    assert OpenMatter.objects.get().status == MatterStatus.OPEN
    assert views_of(key) == []  # nobody turned away left a view behind
    for url in urls(scheme, key, matter):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_key_person_of_another_area_is_not_shown_to_this_areas_staff(scheme) -> None:
    elsewhere = key_person_save(area=scheme.other_area, values=VALUES, actor=scheme.other_liaison)
    client = client_for(area_staff(scheme))
    assert client.get(reverse("liaison:key_person", args=[elsewhere.pk])).status_code == 403
    assert (
        client_for(scheme.other_liaison)
        .get(reverse("liaison:key_person", args=[elsewhere.pk]))
        .status_code
        == 200
    )
    area_page = client.get(reverse("liaison:area", args=[scheme.area.pk])).content.decode()
    assert "地域 長老" not in area_page


def test_the_incoming_person_reads_from_the_start_day_but_does_not_write(scheme, recorded) -> None:
    key, _matter = recorded
    today = timezone.localdate()
    handover = Handover.objects.create(
        area=scheme.area,
        outgoing=person_of(scheme.liaison),
        incoming=person_of(scheme.unassigned),
        starts_on=today + datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=7),
        created_by=scheme.manager,
    )
    page = reverse("liaison:key_person", args=[key.pk])
    assert client_for(scheme.unassigned).get(page).status_code == 403
    Handover.objects.filter(pk=handover.pk).update(starts_on=today)
    client = client_for(scheme.unassigned)
    assert client.get(page).status_code == 200
    assert client.get(reverse("liaison:area", args=[scheme.area.pk])).status_code == 200
    assert client.get(reverse("liaison:key_person_edit", args=[key.pk])).status_code == 403
    assert client.get(reverse("liaison:matter_new", args=[scheme.area.pk])).status_code == 403


def test_each_view_of_a_key_person_names_the_viewer(scheme, recorded) -> None:
    key, _matter = recorded
    page = reverse("liaison:key_person", args=[key.pk])
    response = client_for(scheme.manager).get(page)
    assert "防災倉庫の鍵を預かっている" in response.content.decode()  # notes on the detail page
    staff = area_staff(scheme)
    client_for(staff).get(page)
    entries = views_of(key)
    assert [entry.actor for entry in entries] == [scheme.manager, staff]
    assert entries[0].object_repr == f"地域のキーマン #{key.pk}"
    assert entries[0].changes == {}


def test_the_area_page_writes_one_view_per_key_person_shown(scheme) -> None:
    shown = [add_person(scheme, name=f"地域 {index}号") for index in range(3)]
    elsewhere = key_person_save(area=scheme.other_area, values=VALUES, actor=scheme.manager)
    page = client_for(scheme.manager).get(reverse("liaison:area", args=[scheme.area.pk]))
    text = page.content.decode()
    for person in shown:
        assert person.name in text
        assert [entry.actor for entry in views_of(person)] == [scheme.manager]
    assert views_of(elsewhere) == []
    assert "防災倉庫の鍵を預かっている" not in text  # notes only on the detail page


def test_changes_are_audited_by_field_name_never_by_value(scheme) -> None:
    client = client_for(scheme.liaison)
    response = client.post(reverse("liaison:key_person_new", args=[scheme.area.pk]), VALUES)
    key = KeyPerson.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison:key_person", args=[key.pk])
    assert (key.name, key.area, key.contact) == ("地域 長老", scheme.area, "099-000-1111")
    created = AuditEntry.objects.get(action="liaison.key_person.create")
    assert created.actor == scheme.liaison
    assert created.changes == {
        "fields": ["name", "kana", "role_in_area", "contact", "approach", "notes"]
    }
    response = client.post(
        reverse("liaison:key_person_edit", args=[key.pk]),
        {**VALUES, "contact": "090-9999-9999", "is_active": ""},
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert (key.contact, key.is_active) == ("090-9999-9999", False)
    changed = AuditEntry.objects.get(action="liaison.key_person.change")
    assert changed.changes == {"fields": ["contact"], "is_active": ["True", "False"]}
    everything = str(list(AuditEntry.objects.values_list("object_repr", "changes")))
    for value in ("地域 長老", "099-000-1111", "090-9999-9999", "町内会長", "防災倉庫"):
        assert value not in everything


@pytest.mark.parametrize("name", ["", "   "])
def test_a_key_person_without_a_name_is_refused_and_nothing_saved(scheme, name) -> None:
    response = client_for(scheme.liaison).post(
        reverse("liaison:key_person_new", args=[scheme.area.pk]), {**VALUES, "name": name}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "何も保存されていません" in page
    assert "氏名" in page
    assert 'role="alert"' in page
    assert not KeyPerson.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="liaison.key_person").exists()


def test_open_matters_are_added_changed_and_closed(scheme) -> None:
    client = client_for(scheme.liaison)
    area = scheme.area.pk
    response = client.post(
        reverse("liaison:matter_new", args=[area]), {"title": "駐車場不足", "detail": "調整中"}
    )
    assert response.status_code == 302
    matter = OpenMatter.objects.get()
    client.post(
        reverse("liaison:matter_edit", args=[area, matter.pk]),
        {"title": "もちつき大会の駐車場不足", "detail": "教育委員会と調整中"},
    )
    matter.refresh_from_db()
    assert (matter.title, matter.detail) == ("もちつき大会の駐車場不足", "教育委員会と調整中")
    client.post(reverse("liaison:matter_status", args=[area, matter.pk]), {"status": "closed"})
    matter.refresh_from_db()
    assert matter.status == MatterStatus.CLOSED
    actions = list(
        AuditEntry.objects.filter(action__startswith="liaison.matter")
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert actions == [
        ("liaison.matter.create", scheme.liaison.pk),
        ("liaison.matter.change", scheme.liaison.pk),
        ("liaison.matter.status", scheme.liaison.pk),
    ]
    empty = client.post(reverse("liaison:matter_new", args=[area]), {"title": " ", "detail": "x"})
    assert empty.status_code == 400
    assert OpenMatter.objects.count() == 1
    # A matter is reached only through its own area.
    other = reverse("liaison:matter_edit", args=[scheme.other_area.pk, matter.pk])
    assert client_for(scheme.manager).get(other).status_code == 404


@pytest.mark.parametrize("size", [1, 50])
def test_the_area_page_runs_the_same_queries_for_any_number_of_key_people(
    scheme, size, django_assert_num_queries
) -> None:
    for index in range(size):
        add_person(scheme, name=f"地域 {index}号", kana=f"ちいき {index:02}")
        matter_save(area=scheme.area, values={"title": f"懸案 {index}"}, actor=scheme.liaison)
    client = client_for(scheme.liaison)
    url = reverse("liaison:area", args=[scheme.area.pk])
    client.get(url)  # warm the session
    before = AuditEntry.objects.filter(action="liaison.key_person.view").count()
    with django_assert_num_queries(17):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("地域 ") >= size
    after = AuditEntry.objects.filter(action="liaison.key_person.view").count()
    assert after - before == size


@pytest.mark.parametrize("size", [1, 50])
def test_the_key_person_page_runs_the_same_queries_for_any_number_of_people(
    scheme, size, django_assert_num_queries
) -> None:
    people = [add_person(scheme, name=f"地域 {index}号") for index in range(size)]
    client = client_for(scheme.liaison)
    url = reverse("liaison:key_person", args=[people[-1].pk])
    client.get(url)
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
