"""Refusals and edge cases of meeting records, registrations and copies."""

import copy
import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from kyodo.core.dates import fiscal_year
from kyodo.core.services import api_token_create
from kyodo.meetings import services
from kyodo.meetings.models import Attendee, Meeting
from tests.meetings.test_registration import form_data
from tests.meetings.test_results import THREE_ROLE_RECORD

pytestmark = pytest.mark.django_db


def save(demo, **changes):
    record = copy.deepcopy(THREE_ROLE_RECORD) | changes
    return services.meeting_save_record(network=demo.network, record=record, actor=None)


@pytest.mark.parametrize("year", [1800, 9999])
def test_fiscal_year_out_of_range_is_refused(demo, year: int) -> None:
    with pytest.raises(services.RecordError) as error:
        save(demo, fiscal_year=year, title="x")
    assert "fiscal_year" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_fiscal_year_must_match_the_start(demo) -> None:
    with pytest.raises(services.RecordError) as error:
        save(demo, fiscal_year=2030)
    assert error.value.message_dict["fiscal_year"] == [
        "開始日時は令和3年度です。年度を令和3年度にするか、開始日時を確かめてください。"
    ]


def test_programme_that_cannot_be_numbered_is_refused(demo) -> None:
    grandchildren = [{"title": f"項目{n}"} for n in range(47)]  # ア…ン has 46
    programme = [{"title": "親", "children": [{"title": "子", "children": grandchildren}]}]
    with pytest.raises(services.RecordError) as error:
        save(demo, programme=programme)
    assert "programme[0].children[0].children" in error.value.message_dict


def test_programme_nested_too_deep_is_refused(demo) -> None:
    item: dict = {"title": "最下段"}
    for _ in range(7):
        item = {"title": "段", "children": [item]}
    with pytest.raises(services.RecordError):
        save(demo, programme=[item])


def test_a_record_can_clear_a_value(demo) -> None:
    meeting = save(demo, capacity=80)
    services.meeting_save_record(
        network=demo.network,
        meeting=meeting,
        record={**THREE_ROLE_RECORD, "capacity": None},
        actor=None,
    )
    meeting.refresh_from_db()
    assert meeting.capacity is None


def test_publishing_is_not_done_by_saving_a_record(client: Client, demo) -> None:
    with pytest.raises(services.RecordError) as error:
        save(demo, status="published")
    assert "開催結果を公開" in error.value.message_dict["status"][0]


def test_unknown_person_is_reported(demo) -> None:
    people = [{"role": "講師", "name": "誰か", "person": 999999}]
    with pytest.raises(services.RecordError) as error:
        save(demo, people=people)
    assert "people[0].person" in error.value.message_dict


def test_copy_keeps_the_weekday_and_the_fiscal_year(demo) -> None:
    meeting = save(
        demo,
        fiscal_year=2020,
        starts_at="2020-04-01T10:00:00+09:00",
        ends_at="2020-04-01T12:00:00+09:00",
    )
    for years in (1, 7):
        copy_ = services.meeting_copy(meeting=meeting, actor=None, fiscal_year=2020 + years)
        start = timezone.localtime(copy_.starts_at)
        assert fiscal_year(start.date()) == copy_.fiscal_year == 2020 + years
        assert start.weekday() == datetime.date(2020, 4, 1).weekday()
        assert start.time() == datetime.time(10, 0)


def test_registering_again_keeps_the_earlier_rows_and_adds_new_ones(
    client: Client, demo, open_meeting
) -> None:
    client.force_login(demo.staff)
    url = f"/meetings/{open_meeting.pk}/register/"
    client.post(url, form_data(demo.kagoshima_city, ("一", "", "online"), ("二", "", "online")))
    data = form_data(demo.kagoshima_city, ("一", "", "online"), ("二", "", "online"))
    data |= {
        "attendee-TOTAL_FORMS": "5",
        "attendee-INITIAL_FORMS": "2",
        "attendee-2-name": "三",
        "attendee-2-mode": "in_person",
        "attendee-1-DELETE": "on",
    }
    assert client.post(url, data).status_code == 302
    assert sorted(
        Attendee.objects.filter(registration__meeting=open_meeting).values_list("name", flat=True)
    ) == ["一", "三"]


def test_revision_numbers_cannot_be_probed(client: Client, demo, seed_meeting) -> None:
    client.force_login(demo.staff)
    assert client.get(f"/meetings/{seed_meeting.pk}/revisions/999/").status_code == 403


def test_api_refuses_a_bad_year_with_400_not_500(client: Client, demo) -> None:
    _token, key = api_token_create(user=demo.secretary, name="test", actor=None)
    response = client.post(
        "/api/networks/kagoshima/meetings",
        json.dumps({**THREE_ROLE_RECORD, "fiscal_year": 1800, "title": "x"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    assert "fiscal_year" in response.json()["errors"]
    assert client.get("/networks/kagoshima/meetings/2020/").status_code == 200
