import pytest

from kyodo.directory import services as directory_services
from kyodo.directory.models import MembershipRole, OrganisationKind
from kyodo.meetings import demo as meetings_demo
from kyodo.meetings.models import Meeting


@pytest.fixture
def seed_meeting(demo) -> Meeting:
    """The network's 令和2年度第3回会議, published as in the demo."""
    meetings_demo.load(demo.network)
    return Meeting.objects.get(network=demo.network, fiscal_year=2020, ordinal=3)


@pytest.fixture
def open_meeting(seed_meeting) -> Meeting:
    return Meeting.objects.get(network=seed_meeting.network, fiscal_year=2026)


@pytest.fixture
def other_secretary(demo):
    """The secretariat of another network, whose organisation is not in the demo network."""
    office = directory_services.organisation_create(
        actor=None, kind=OrganisationKind.CENTRE, name="くまもと協働センター"
    )
    network = directory_services.network_create(
        actor=None, name="くまもと協働ネットワーク", slug="kumamoto", secretariat=office
    )
    user = directory_services.user_create(
        actor=None, email="osumi@kyodo.example", name="大隅 次郎", password="x"
    )
    person = directory_services.person_create(actor=None, family_name="大隅", user=user)
    directory_services.membership_create(
        actor=None, person=person, organisation=office, role=MembershipRole.STAFF
    )
    assert network.secretariat == office
    return user
