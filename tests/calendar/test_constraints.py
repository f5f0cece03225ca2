"""The check constraints of an entry evaluated in Python, as imports of thousands of rows do,
refuse exactly what Django's query refuses."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyodo.calendar.models import Entry
from kyodo.core.services import collect_errors

from .conftest import values

D = datetime.date


_day = st.dates(D(2026, 1, 1), D(2026, 1, 10))
_time = st.none() | st.times(datetime.time(9), datetime.time(11)).map(
    lambda t: t.replace(second=0, microsecond=0)
)
_degrees = st.none() | st.decimals(-200, 200, places=6)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=_day,
    end=st.none() | _day,
    times=st.tuples(_time, _time),
    kind_policy=st.tuples(st.sampled_from(["event", "meeting"]), st.sampled_from(["", "open"])),
    repeat=st.tuples(st.sampled_from(["", "weekly"]), st.none() | _day, st.integers(0, 13)),
    place=st.tuples(_degrees, _degrees),
    status=st.tuples(st.sampled_from(["draft", "cancelled"]), st.sampled_from(["", "雨天"])),
)
def test_constraints_in_python_refuse_what_the_database_refuses(
    db, start, end, times, kind_policy, repeat, place, status
):
    entry = Entry(
        **values(
            start_date=start,
            end_date=end,
            start_time=times[0],
            end_time=times[1],
            kind=kind_policy[0],
            observer_policy=kind_policy[1],
            repeat=repeat[0],
            repeat_until=repeat[1],
            repeat_interval=repeat[2],
            latitude=place[0],
            longitude=place[1],
            status=status[0],
            cancel_reason=status[1],
        )
    )
    skipped = ["organisation", "last_date"]
    by_query: dict[str, list[str]] = {}
    collect_errors(entry, "", by_query, exclude=skipped)
    in_python: dict[str, list[str]] = {}
    collect_errors(entry, "", in_python, exclude=skipped, constraints_in_python=True)
    assert {k: sorted(v) for k, v in in_python.items()} == {
        k: sorted(v) for k, v in by_query.items()
    }
