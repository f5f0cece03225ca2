"""Organisations in the site search: found by what their public page says about them, never
by the people on it, found again at once after an edit or an import, the same after a
rebuild, and indexed in a fixed number of queries."""

from __future__ import annotations

import pytest

from kyodo.core.codes import check_digit
from kyodo.core.search import index
from kyodo.directory import services
from kyodo.directory.models import MembershipRole, Organisation, OrganisationKind
from tests.searching import assert_rebuild_keeps_rows, found, rows

pytestmark = pytest.mark.django_db
SIZES = [1, 50]


def test_a_new_organisation_is_found_with_its_municipality(demo) -> None:
    club = services.organisation_create(
        actor=demo.secretary,
        kind=OrganisationKind.NPO,
        name="NPO法人 みなみ里山の会",
        kana="みなみさとやまのかい",
        parent=demo.council,
        address="鹿児島市山下町11番1号",
        description="竹林の手入れと炭焼きを続けています。",
    )
    assert found("炭焼") == [("organisation", f"/organisations/{club.pk}/")]
    assert found("さとやま") == [("organisation", f"/organisations/{club.pk}/")]
    row = next(row for row in rows("organisation") if row["object_id"] == club.pk)
    assert row["municipality_id"] == demo.kagoshima_city.pk
    assert row["body"].startswith("みなみさとやまのかい NPO 鹿児島市山下町11番1号")


def test_an_edit_is_found_at_once(demo) -> None:
    services.organisation_update(
        organisation=demo.council,
        actor=demo.officer,
        values={"description": "毎年秋に校区運動会を開いています。"},
    )
    assert found("運動会") == [("organisation", f"/organisations/{demo.council.pk}/")]
    services.organisation_update(
        organisation=demo.council, actor=demo.officer, values={"description": ""}
    )
    assert found("運動会") == []


def test_moving_a_council_moves_the_organisations_under_it(demo) -> None:
    association = Organisation.objects.get(name="(デモ)みなみ一丁目町内会")
    other_city = Organisation.objects.get(lgcode="462039")
    services.organisation_update(
        organisation=demo.council, actor=demo.admin, values={"parent": other_city}
    )
    municipalities = {row["object_id"]: row["municipality_id"] for row in rows("organisation")}
    assert municipalities[demo.council.pk] == other_city.pk
    assert municipalities[association.pk] == other_city.pk


def test_people_and_contacts_are_never_indexed(demo) -> None:
    person = services.person_create(
        actor=None,
        family_name="蔵之介",
        given_name="一",
        email="kuranosuke@mail.example",
        phone="090-1234-5678",
    )
    services.membership_create(
        actor=None,
        person=person,
        organisation=demo.council,
        role=MembershipRole.OFFICER,
        title="会長",
        is_public_contact=True,
    )
    services.organisation_update(
        organisation=demo.council,
        actor=demo.officer,
        values={"email": "minami@mail.example", "phone": "099-222-3333"},
    )
    for words in ("蔵之介", "kuranosuke", "5678", "minami@mail", "3333"):
        assert found(words) == [], words
    assert_rebuild_keeps_rows("organisation")
    for words in ("蔵之介", "kuranosuke"):
        assert found(words) == [], words


def test_an_import_indexes_new_and_changed_municipalities(demo) -> None:
    header = "lgcode,code5,name,kana,type,gun,bureau\n"
    code5 = "46999"
    lgcode = f"{code5}{check_digit(code5)}"
    services.municipalities_import(
        text=header
        + f"{lgcode},{code5},みらい村,みらいむら,村,テスト郡,鹿児島地域振興局\n"
        + "462012,46201,鹿児島市,カゴシマシ,市,,鹿児島地域振興局\n",
        prefecture=demo.prefecture,
        actor=demo.admin,
    )
    village = Organisation.objects.get(lgcode=lgcode)
    assert found("みらい") == [("organisation", f"/organisations/{village.pk}/")]
    city = next(row for row in rows("organisation") if row["object_id"] == demo.kagoshima_city.pk)
    assert city["body"].startswith("カゴシマシ")
    assert city["municipality_id"] == demo.kagoshima_city.pk


def test_a_rebuild_writes_the_rows_the_services_wrote(demo) -> None:
    assert len(rows("organisation")) == Organisation.objects.count()
    assert_rebuild_keeps_rows("organisation")


@pytest.mark.parametrize("size", SIZES)
def test_indexing_reads_a_fixed_number_of_queries(
    demo, django_assert_num_queries, size: int
) -> None:
    associations = Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.NEIGHBOURHOOD_ASSOCIATION,
            name=f"町内会{n}",
            parent=demo.council,
        )
        for n in range(size)
    )
    ids = [association.pk for association in associations]
    with django_assert_num_queries(5):
        assert index.refresh("organisation", ids) == size
    with django_assert_num_queries(5):
        index.rebuild(["organisation"])
    assert {row["municipality_id"] for row in rows("organisation") if row["object_id"] in ids} == {
        demo.kagoshima_city.pk
    }


def test_a_change_made_outside_the_services_is_indexed_when_told(demo) -> None:
    Organisation.objects.filter(pk=demo.council.pk).update(name="管理画面で直した協議会")
    assert found("管理画面") == []
    services.organisation_reindex(organisation_ids={demo.council.pk})
    assert found("管理画面", "organisation") == [
        ("organisation", f"/organisations/{demo.council.pk}/")
    ]
