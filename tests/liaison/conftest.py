"""The city's liaison scheme as the tests use it: a managing department (地域振興課) with a
manager, a personnel department (人事課) with a clerk, two staff members assigned to two
different areas this fiscal year (both of 生涯学習課, so neither is a manager), and one staff
member without an area.

Each person is a real account with a real membership; nothing is faked."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone

from kyodo.core.dates import fiscal_year
from kyodo.directory import services as directory_services
from kyodo.directory.demo import DEMO_PASSWORD
from kyodo.directory.models import MembershipRole, Organisation, OrganisationKind, Person, User
from kyodo.liaison.models import Assignment, LiaisonScheme


def member_of(
    organisation: Organisation, email: str, name: str, role: str = MembershipRole.STAFF
) -> User:
    """A new account with a current membership of ``organisation``, signing in with the demo
    password (the browser tests sign in through the form)."""
    user = directory_services.user_create(
        actor=None, email=email, name=name, password=DEMO_PASSWORD
    )
    family, _, given = name.partition(" ")
    person = directory_services.person_create(
        actor=None, family_name=family, given_name=given, email=email, user=user
    )
    directory_services.membership_create(
        actor=None, person=person, organisation=organisation, role=role
    )
    return user


def person_of(user: User) -> Person:
    return Person.objects.get(user=user)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass
class Scheme:
    city: Organisation
    managing: Organisation
    personnel: Organisation
    other_department: Organisation
    area: Organisation
    other_area: Organisation
    scheme: LiaisonScheme
    manager: User
    clerk: User
    liaison: User
    other_liaison: User
    unassigned: User
    fiscal_year: int


@pytest.fixture
def scheme(demo) -> Scheme:
    city = demo.kagoshima_city

    def department(name: str) -> Organisation:
        return directory_services.organisation_create(
            actor=None, kind=OrganisationKind.DEPARTMENT, name=name, parent=city
        )

    managing = department("地域振興課")
    personnel = department("人事課")
    other_department = department("生涯学習課")
    other_area = directory_services.organisation_create(
        actor=None,
        kind=OrganisationKind.COMMUNITY_COUNCIL,
        name="きた校区コミュニティ協議会",
        kana="きたこうく",
        parent=city,
    )
    scheme = LiaisonScheme.objects.create(
        municipality=city, managing_department=managing, personnel_department=personnel
    )
    manager = member_of(managing, "manager@kyodo.example", "管理 一郎")
    clerk = member_of(personnel, "jinji@kyodo.example", "人事 花子")
    liaison = member_of(other_department, "tanto@kyodo.example", "担当 太郎")
    other_liaison = member_of(other_department, "kita-tanto@kyodo.example", "北担当 次郎")
    unassigned = member_of(other_department, "mitanto@kyodo.example", "未担当 三郎")
    year = fiscal_year(timezone.localdate())
    Assignment.objects.create(area=demo.council, person=person_of(liaison), fiscal_year=year)
    Assignment.objects.create(area=other_area, person=person_of(other_liaison), fiscal_year=year)
    return Scheme(
        city=city,
        managing=managing,
        personnel=personnel,
        other_department=other_department,
        area=demo.council,
        other_area=other_area,
        scheme=scheme,
        manager=manager,
        clerk=clerk,
        liaison=liaison,
        other_liaison=other_liaison,
        unassigned=unassigned,
        fiscal_year=year,
    )
