"""The API's refusals of input it cannot read: one shape with the services' refusals, in
Japanese, by field path."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client

from kyodo.core.api import error_path, read_error_message
from kyodo.core.services import api_token_create
from kyodo.meetings.models import Meeting
from tests.meetings.test_results import THREE_ROLE_RECORD


@pytest.mark.parametrize(
    ("location", "path"),
    [
        (("body", "payload", "start_date"), "start_date"),
        (("body", "payload", "venues", 1, "join_url"), "venues[1].join_url"),
        (("body", "payload", "exceptions", 0), "exceptions[0]"),
        (("query", "from"), "from"),
        (("body", "payload"), "__all__"),
    ],
)
def test_error_paths_are_the_services_paths(location, path) -> None:
    assert error_path(location) == path


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ({"type": "missing"}, "このフィールドは必須です。"),
        ({"type": "date_from_datetime_parsing"}, "日付は YYYY-MM-DD の形で入力してください"),
        ({"type": "int_parsing"}, "整数を入力してください。"),
        ({"type": "less_than_equal", "ctx": {"le": 500}}, "500以下にしてください。"),
        (
            {"type": "literal_error", "ctx": {"expected": "'event' or 'meeting'"}},
            "次のいずれかを指定してください: 'event', 'meeting'",
        ),
        ({"type": "something_new"}, "値が正しくありません。"),
    ],
)
def test_read_errors_are_worded_in_japanese(error, message) -> None:
    assert read_error_message(error).startswith(message)


@pytest.mark.django_db
def test_an_unreadable_record_is_refused_with_422_by_field(client: Client, demo) -> None:
    _token, key = api_token_create(user=demo.secretary, name="x", actor=demo.admin)
    record = copy.deepcopy(THREE_ROLE_RECORD)
    record["starts_at"] = "7月8日 10時"
    del record["ordinal"]
    response = client.post(
        "/api/networks/kagoshima/meetings",
        json.dumps(record),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "入力を読み取れませんでした。",
        "errors": {
            "ordinal": ["このフィールドは必須です。"],
            "starts_at": ["日時は YYYY-MM-DDTHH:MM+09:00 の形で入力してください。"],
        },
    }
    assert not Meeting.objects.exists()
