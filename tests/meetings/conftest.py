import pytest

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
