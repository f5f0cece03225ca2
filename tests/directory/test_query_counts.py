"""Pages read the same number of rows in the same number of queries, however large the
network grows: each page is measured with 1 and with 50 items."""

import pytest
from django.test import Client

from kyodo.core.codes import with_check_digit
from kyodo.directory import services
from kyodo.directory.models import Network, Organisation, OrganisationKind

pytestmark = pytest.mark.django_db
SIZES = [1, 50]


def build_network(size: int) -> Network:
    prefecture = services.organisation_create(
        actor=None, kind=OrganisationKind.PREFECTURE, name="テスト県", lgcode="460001"
    )
    offices = [
        services.organisation_create(
            actor=None,
            kind=OrganisationKind.REGIONAL_OFFICE,
            name=f"第{n}振興局",
            parent=prefecture,
        )
        for n in range(3)
    ]
    municipalities = [
        services.organisation_create(
            actor=None,
            kind=OrganisationKind.MUNICIPALITY,
            name=f"テスト{n}町",
            municipality_type="町",
            lgcode=with_check_digit(f"46{n + 500:03d}"),
            parent=prefecture,
            regional_office=offices[n % 3],
        )
        for n in range(size)
    ]
    network = services.network_create(
        actor=None, name=f"ネットワーク{size}", slug=f"net{size}", secretariat=prefecture
    )
    services.network_add_members(
        network=network, organisations=[prefecture, *offices, *municipalities], actor=None
    )
    return network


@pytest.mark.parametrize("size", SIZES)
def test_member_list_queries_do_not_grow(client: Client, django_assert_num_queries, size: int):
    network = build_network(size)
    with django_assert_num_queries(2):
        response = client.get(f"/networks/{network.slug}/members/")
    assert response.content.decode().count("テスト") >= size


@pytest.mark.parametrize("size", SIZES)
def test_network_page_queries_do_not_grow(client: Client, django_assert_num_queries, size: int):
    network = build_network(size)
    with django_assert_num_queries(2):
        response = client.get(f"/networks/{network.slug}/")
    assert f"(うち市町村 {size})" in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_home_queries_do_not_grow(client: Client, django_assert_num_queries, size: int):
    prefecture = services.organisation_create(
        actor=None, kind=OrganisationKind.PREFECTURE, name="テスト県", lgcode="460001"
    )
    for n in range(size):
        services.network_create(
            actor=None, name=f"地域ネットワーク{n}", slug=f"net{n}", secretariat=prefecture
        )
    with django_assert_num_queries(1):
        response = client.get("/")
    assert response.content.decode().count("地域ネットワーク") >= size


@pytest.mark.parametrize("size", SIZES)
def test_organisation_page_queries_do_not_grow(
    client: Client, django_assert_num_queries, size: int
):
    network = build_network(size)
    office = Organisation.objects.filter(kind=OrganisationKind.REGIONAL_OFFICE).first()
    assert office is not None
    for n in range(size):
        services.organisation_create(
            actor=None, kind=OrganisationKind.DEPARTMENT, name=f"第{n}課", parent=office
        )
    del network
    with django_assert_num_queries(5):
        response = client.get(f"/organisations/{office.pk}/")
    assert response.content.decode().count("課</a>") >= size


@pytest.mark.parametrize("size", SIZES)
def test_signed_in_organisation_page_queries_do_not_grow(
    client: Client, django_assert_num_queries, size: int, demo
):
    for n in range(size):
        services.organisation_create(
            actor=None,
            kind=OrganisationKind.NEIGHBOURHOOD_ASSOCIATION,
            name=f"第{n}町内会",
            parent=demo.council,
        )
    client.force_login(demo.officer)
    with django_assert_num_queries(8):
        response = client.get(f"/organisations/{demo.council.pk}/")
    assert response.content.decode().count("町内会</a>") >= size
