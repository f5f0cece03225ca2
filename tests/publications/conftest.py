from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from kyodo.calendar import services as calendar_services
from kyodo.calendar.models import Entry
from kyodo.directory import services as directory_services
from kyodo.directory.models import MembershipRole, Organisation, OrganisationKind, User
from kyodo.publications.models import AnnualCalendar, YearKind
from kyodo.publications.services import annual as services
from tests.calendar.conftest import values


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def calendar(demo) -> AnnualCalendar:
    """The demo council's calendar of 2027 (令和9年), made by its chair."""
    return services.calendar_create(
        council=demo.council, year=2027, year_kind=YearKind.CALENDAR, actor=demo.officer
    )


@pytest.fixture
def association(demo) -> Organisation:
    return Organisation.objects.get(name="(デモ)みなみ一丁目町内会")


def officer_of(organisation: Organisation, email: str, name: str) -> User:
    user = directory_services.user_create(actor=None, email=email, name=name, password="x")
    family, _, given = name.partition(" ")
    person = directory_services.person_create(
        actor=None, family_name=family, given_name=given, user=user
    )
    directory_services.membership_create(
        actor=None, person=person, organisation=organisation, role=MembershipRole.OFFICER
    )
    return user


@pytest.fixture
def member_officer(association) -> User:
    """The chair of a member association (町内会長) of the demo council."""
    return officer_of(association, "chonai@kyodo.example", "町内 一子")


@pytest.fixture
def other_council(demo) -> Organisation:
    return directory_services.organisation_create(
        actor=None,
        kind=OrganisationKind.COMMUNITY_COUNCIL,
        name="きた校区コミュニティ協議会",
        kana="きたこうく",
        parent=demo.kagoshima_city,
    )


@pytest.fixture
def other_officer(other_council) -> User:
    """The chair of another council, who has nothing to do with the demo council."""
    return officer_of(other_council, "kita@kyodo.example", "北 二郎")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(demo) -> Client:
    return client_for(demo.officer)


@pytest.fixture
def make_entry(demo):
    """A published (or, with publish=False, draft) entry of the council or another
    organisation, on 2027-01-10 unless told."""

    def make(
        title: str = "どんど焼き",
        *,
        day: datetime.date = datetime.date(2027, 1, 10),
        organisation: Organisation | None = None,
        publish: bool = True,
        **changes: Any,
    ) -> Entry:
        return calendar_services.entry_save(
            organisation=organisation or demo.council,
            values=values(
                title=title,
                start_date=day,
                end_date=changes.pop("end_date", day),
                **changes,
            ),
            actor=demo.officer,
            publish=publish,
        )

    return make


def png(size: tuple[int, int] = (40, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("ad.png", buffer.getvalue(), content_type="image/png")
