from __future__ import annotations

import datetime
from typing import Any

import pytest

from kyodo.calendar import services
from kyodo.calendar.models import Entry, EntryKind, ObserverPolicy


def values(**changes: Any) -> dict[str, Any]:
    """A valid timed meeting of the demo council, with the given fields changed."""
    base: dict[str, Any] = {
        "kind": EntryKind.MEETING,
        "title": "みなみ校区コミュニティ協議会 定例役員会",
        "title_kana": "みなみこうくこみゅにてぃきょうぎかい ていれいやくいんかい",
        "start_date": datetime.date(2026, 12, 6),
        "end_date": datetime.date(2026, 12, 6),
        "start_time": datetime.time(19, 0),
        "end_time": datetime.time(20, 30),
        "description": "今年度の事業報告と来年度の年間行事カレンダーについて協議します。",
        "venue_name": "みなみ地区公民館",
        "address": "鹿児島県鹿児島市山下町11番1号",
        "building": "2階 研修室",
        "observer_policy": ObserverPolicy.ADVANCE,
        "observer_how": "12月3日までに事務局(099-000-0000)へ電話で申し込んでください。",
        "agenda": "1. 事業報告\n2. 年間行事カレンダーの広告募集",
    }
    base.update(changes)
    return base


@pytest.fixture
def make_entry(demo):
    def make(*, publish: bool = True, organisation=None, exceptions=(), **changes: Any) -> Entry:
        return services.entry_save(
            organisation=organisation or demo.council,
            values=values(**changes),
            exceptions=exceptions,
            actor=demo.officer,
            publish=publish,
        )

    return make
