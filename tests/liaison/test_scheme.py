"""Setting up a municipality's scheme, and the liaison start page by role."""

from __future__ import annotations

import pytest

from kyodo.core.models import AuditEntry
from kyodo.directory import services as directory_services
from kyodo.directory.models import OrganisationKind
from kyodo.liaison.models import LiaisonScheme
from tests.liaison.conftest import client_for, member_of


def test_the_citys_own_editor_sets_up_the_scheme(demo) -> None:
    city = demo.kagoshima_city
    managing = directory_services.organisation_create(
        actor=None, kind=OrganisationKind.DEPARTMENT, name="地域振興課", parent=city
    )
    client = client_for(demo.staff)  # staff of the city itself
    response = client.post(
        f"/liaison/municipalities/{city.pk}/scheme/",
        {"managing_department": managing.pk, "personnel_department": "", "handover_days": "7"},
    )
    assert response.status_code == 302
    scheme = LiaisonScheme.objects.get(municipality=city)
    assert (scheme.managing_department, scheme.personnel_department) == (managing, None)
    assert AuditEntry.objects.filter(action="liaison.scheme.create", actor=demo.staff).count() == 1


def test_a_department_of_another_municipality_is_refused(demo) -> None:
    city = demo.kagoshima_city
    elsewhere = directory_services.organisation_create(
        actor=None,
        kind=OrganisationKind.DEPARTMENT,
        name="よその課",
        parent=city.__class__.objects.municipalities().exclude(pk=city.pk).first(),
    )
    response = client_for(demo.staff).post(
        f"/liaison/municipalities/{city.pk}/scheme/",
        {"managing_department": elsewhere.pk, "handover_days": "7"},
    )
    assert response.status_code == 400
    assert "正しく選択してください" in response.content.decode()
    assert not LiaisonScheme.objects.exists()


@pytest.mark.parametrize("days", ["0", "91", "七"])
def test_handover_days_out_of_range_are_refused(scheme, days) -> None:
    response = client_for(scheme.manager).post(
        f"/liaison/municipalities/{scheme.city.pk}/scheme/",
        {"managing_department": scheme.managing.pk, "handover_days": days},
    )
    assert response.status_code == 400
    scheme.scheme.refresh_from_db()
    assert scheme.scheme.handover_days == 7


def test_staff_of_a_department_cannot_change_the_scheme(scheme) -> None:
    response = client_for(scheme.unassigned).get(
        f"/liaison/municipalities/{scheme.city.pk}/scheme/"
    )
    assert response.status_code == 403


def test_the_start_page_shows_each_role_its_work(scheme, demo) -> None:
    page = client_for(scheme.manager).get("/liaison/").content.decode()
    assert "地域担当の割当て" in page
    page = client_for(scheme.liaison).get("/liaison/").content.decode()
    assert "(デモ)みなみ校区コミュニティ協議会" in page
    assert "地域担当の割当て" not in page
    assert client_for(demo.resident).get("/liaison/").status_code == 403


def test_an_association_head_reaches_the_start_page(demo) -> None:
    from kyodo.directory.models import Organisation

    association = Organisation.objects.get(name="(デモ)みなみ一丁目町内会")
    head = member_of(association, "head@kyodo.example", "町内 会長", role="officer")
    assert client_for(head).get("/liaison/").status_code == 200


@pytest.mark.parametrize("size", [1, 50])
def test_the_start_page_reads_the_same_queries_for_any_number_of_areas(
    scheme, size, django_assert_num_queries
):
    from kyodo.liaison.models import Assignment
    from tests.liaison.conftest import person_of

    for index in range(size - 1):
        area = directory_services.organisation_create(
            actor=None,
            kind=OrganisationKind.COMMUNITY_COUNCIL,
            name=f"校区{index}",
            parent=scheme.city,
        )
        Assignment.objects.create(
            area=area, person=person_of(scheme.liaison), fiscal_year=scheme.fiscal_year
        )
    client = client_for(scheme.liaison)
    client.get("/liaison/")
    with django_assert_num_queries(START_PAGE_QUERIES):
        page = client.get("/liaison/").content.decode()
    assert page.count('href="/liaison/areas/') == size


START_PAGE_QUERIES = 13
