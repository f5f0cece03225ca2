"""Japanese calendar conventions: eras, fiscal years, holidays and meeting-time wording."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodo.core import dates
from kyodo.core.dates import (
    ERAS,
    TOKYO,
    Era,
    WarekiDate,
    fiscal_year,
    fiscal_year_bounds,
    format_date,
    format_date_range,
    format_datetime_range,
    format_era_year,
    format_fiscal_year,
    format_gregorian_date,
    format_time,
    holiday_name,
    is_office_closed,
    to_wareki,
    weekday_ja,
)

SUPPORTED_DATES = st.dates(min_value=date(1873, 1, 1), max_value=date(2100, 12, 31))
ERA_NAME_THEN_0_OR_1 = re.compile(r"(明治|大正|昭和|平成|令和)[01]年")


# --- eras -----------------------------------------------------------------------------------


def test_eras_are_listed_oldest_first_with_their_start_days() -> None:
    expected = (
        Era("明治", date(1868, 10, 23)),
        Era("大正", date(1912, 7, 30)),
        Era("昭和", date(1926, 12, 25)),
        Era("平成", date(1989, 1, 8)),
        Era("令和", date(2019, 5, 1)),
    )
    assert expected == ERAS


def test_era_is_immutable() -> None:
    with pytest.raises(AttributeError):
        ERAS[0].name = "慶応"  # type: ignore[misc]


def test_first_day_of_reiwa_is_gannen() -> None:
    assert to_wareki(date(2019, 5, 1)) == ("令和", 1)
    assert format_date(date(2019, 5, 1)) == "令和元年5月1日"


def test_last_day_of_heisei_is_heisei_31() -> None:
    assert to_wareki(date(2019, 4, 30)) == ("平成", 31)
    assert format_date(date(2019, 4, 30)) == "平成31年4月30日"


def test_last_day_of_showa_is_showa_64() -> None:
    assert format_date(date(1989, 1, 7)) == "昭和64年1月7日"


def test_first_day_of_heisei_is_gannen() -> None:
    assert format_date(date(1989, 1, 8)) == "平成元年1月8日"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(1873, 1, 1), "明治6年1月1日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
    ],
)
def test_era_boundary_days_on_both_sides(day: date, expected: str) -> None:
    assert format_date(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(1913, 1, 1), ("大正", 2)),
        (date(1927, 1, 1), ("昭和", 2)),
        (date(1990, 1, 1), ("平成", 2)),
        (date(2020, 1, 1), ("令和", 2)),
    ],
)
def test_era_year_two_starts_on_the_next_first_of_january(
    day: date, expected: tuple[str, int]
) -> None:
    assert to_wareki(day) == expected


def test_to_wareki_returns_named_era_and_year() -> None:
    result = to_wareki(date(2020, 11, 19))
    assert isinstance(result, WarekiDate)
    assert (result.era, result.year) == ("令和", 2)


def test_day_before_gregorian_calendar_raises() -> None:
    with pytest.raises(ValueError, match="Gregorian"):
        to_wareki(date(1872, 12, 31))
    with pytest.raises(ValueError, match="Gregorian"):
        format_date(date(1872, 12, 31))


def test_aware_datetime_is_filed_under_the_tokyo_day() -> None:
    # 2019-04-30 15:00 UTC is already 2019-05-01 in Tokyo.
    assert to_wareki(datetime(2019, 4, 30, 15, 0, tzinfo=UTC)) == ("令和", 1)


@pytest.mark.parametrize(
    ("era", "year", "expected"),
    [
        ("令和", 1, "令和元年"),
        ("令和", 2, "令和2年"),
        ("平成", 31, "平成31年"),
        ("明治", 10, "明治10年"),
    ],
)
def test_format_era_year_writes_gannen_for_year_one(era: str, year: int, expected: str) -> None:
    assert format_era_year(era, year) == expected


def test_format_era_year_rejects_year_zero() -> None:
    with pytest.raises(ValueError, match="1 or more"):
        format_era_year("令和", 0)


def test_format_era_year_rejects_unknown_era() -> None:
    with pytest.raises(ValueError, match="unknown era"):
        format_era_year("慶応", 3)


# --- dates, weekdays and times --------------------------------------------------------------


def test_format_date_with_weekday() -> None:
    assert format_date(date(2020, 11, 19)) == "令和2年11月19日"
    assert format_date(date(2020, 11, 19), weekday=True) == "令和2年11月19日木曜日"


def test_format_gregorian_date_for_last_updated() -> None:
    assert format_gregorian_date(date(2022, 12, 7)) == "2022年12月7日"


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        (date(2020, 11, 16), "月曜日", "月"),
        (date(2020, 11, 17), "火曜日", "火"),
        (date(2020, 11, 18), "水曜日", "水"),
        (date(2020, 11, 19), "木曜日", "木"),
        (date(2020, 11, 20), "金曜日", "金"),
        (date(2020, 11, 21), "土曜日", "土"),
        (date(2020, 11, 22), "日曜日", "日"),
    ],
)
def test_weekday_ja_long_and_short(day: date, long: str, short: str) -> None:
    assert weekday_ja(day) == long
    assert weekday_ja(day, short=True) == short


@pytest.mark.parametrize(
    ("value", "expected"),
    [(time(9, 30), "9時30分"), (time(12, 0), "12時00分"), (time(0, 5), "0時05分")],
)
def test_format_time_has_bare_hour_and_two_digit_minutes(value: time, expected: str) -> None:
    assert format_time(value) == expected


def test_format_time_drops_seconds() -> None:
    assert format_time(time(9, 30, 59)) == "9時30分"


def test_format_time_converts_aware_datetime_to_tokyo() -> None:
    assert format_time(datetime(2020, 11, 19, 0, 30, tzinfo=UTC)) == "9時30分"


def test_format_time_refuses_aware_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        format_time(time(9, 30, tzinfo=UTC))


# --- meeting times --------------------------------------------------------------------------


def test_meeting_on_one_day_writes_end_time_only() -> None:
    start = datetime(2020, 11, 19, 9, 30, tzinfo=TOKYO)
    end = datetime(2020, 11, 19, 12, 0, tzinfo=TOKYO)
    assert format_datetime_range(start, end) == "令和2年11月19日木曜日9時30分から12時00分"


def test_meeting_ending_next_day_repeats_full_date() -> None:
    start = datetime(2020, 11, 19, 9, 30, tzinfo=TOKYO)
    end = datetime(2020, 11, 20, 12, 0, tzinfo=TOKYO)
    assert (
        format_datetime_range(start, end)
        == "令和2年11月19日木曜日9時30分から令和2年11月20日金曜日12時00分"
    )


def test_meeting_without_end_writes_start_only() -> None:
    start = datetime(2020, 11, 19, 9, 30, tzinfo=TOKYO)
    assert format_datetime_range(start, None) == "令和2年11月19日木曜日9時30分"
    assert format_datetime_range(start) == "令和2年11月19日木曜日9時30分"


def test_meeting_ending_before_it_starts_raises() -> None:
    start = datetime(2020, 11, 19, 9, 30, tzinfo=TOKYO)
    with pytest.raises(ValueError, match="before start"):
        format_datetime_range(start, start - timedelta(minutes=1))


def test_meeting_ending_when_it_starts_is_allowed() -> None:
    start = datetime(2020, 11, 19, 9, 30, tzinfo=TOKYO)
    assert format_datetime_range(start, start) == "令和2年11月19日木曜日9時30分から9時30分"


def test_aware_meeting_times_are_converted_to_tokyo() -> None:
    # 00:30 and 03:00 UTC are 9:30 and 12:00 in Tokyo; 15:00 UTC the day before is midnight.
    start = datetime(2020, 11, 19, 0, 30, tzinfo=UTC)
    end = datetime(2020, 11, 19, 3, 0, tzinfo=UTC)
    assert format_datetime_range(start, end) == "令和2年11月19日木曜日9時30分から12時00分"
    midnight = datetime(2020, 11, 18, 15, 0, tzinfo=UTC)
    assert format_datetime_range(midnight) == "令和2年11月19日木曜日0時00分"


def test_naive_meeting_times_are_taken_as_tokyo() -> None:
    start = datetime(2020, 11, 19, 9, 30)  # noqa: DTZ001 - naive on purpose
    end = datetime(2020, 11, 19, 3, 0, tzinfo=UTC)
    assert format_datetime_range(start, end) == "令和2年11月19日木曜日9時30分から12時00分"


def test_meeting_across_era_change_names_both_eras() -> None:
    start = datetime(2019, 4, 30, 22, 0, tzinfo=TOKYO)
    end = datetime(2019, 5, 1, 1, 0, tzinfo=TOKYO)
    assert (
        format_datetime_range(start, end)
        == "平成31年4月30日火曜日22時00分から令和元年5月1日水曜日1時00分"
    )


# --- date ranges ----------------------------------------------------------------------------


def test_date_range_in_one_year_omits_era_year_at_end() -> None:
    assert (
        format_date_range(date(2020, 11, 19), date(2020, 11, 21))
        == "令和2年11月19日木曜日から11月21日土曜日"
    )


def test_date_range_across_years_writes_both_in_full() -> None:
    assert (
        format_date_range(date(2020, 12, 28), date(2021, 1, 4))
        == "令和2年12月28日月曜日から令和3年1月4日月曜日"
    )


def test_date_range_across_era_change_writes_both_in_full() -> None:
    assert (
        format_date_range(date(2019, 4, 30), date(2019, 5, 1))
        == "平成31年4月30日火曜日から令和元年5月1日水曜日"
    )


def test_single_day_range_is_one_date() -> None:
    assert format_date_range(date(2020, 11, 19)) == "令和2年11月19日木曜日"
    assert format_date_range(date(2020, 11, 19), date(2020, 11, 19)) == "令和2年11月19日木曜日"


def test_date_range_ending_before_it_starts_raises() -> None:
    with pytest.raises(ValueError, match="before start"):
        format_date_range(date(2020, 11, 19), date(2020, 11, 18))


# --- fiscal years ---------------------------------------------------------------------------


def test_last_day_of_march_belongs_to_previous_fiscal_year() -> None:
    assert fiscal_year(date(2021, 3, 31)) == 2020
    assert format_fiscal_year(fiscal_year(date(2021, 3, 31))) == "令和2年度"


def test_first_day_of_april_starts_new_fiscal_year() -> None:
    assert fiscal_year(date(2021, 4, 1)) == 2021
    assert format_fiscal_year(fiscal_year(date(2021, 4, 1))) == "令和3年度"


def test_fiscal_year_bounds_run_april_to_march() -> None:
    assert fiscal_year_bounds(2020) == (date(2020, 4, 1), date(2021, 3, 31))


@pytest.mark.parametrize(
    ("fy", "expected"),
    [
        (2020, "令和2年度"),
        (2019, "令和元年度"),
        (2018, "平成30年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
        (1927, "昭和2年度"),
        (1926, "昭和元年度"),
        (1925, "大正14年度"),
        (1912, "大正元年度"),
        (1911, "明治44年度"),
        (1873, "明治6年度"),
    ],
)
def test_fiscal_year_takes_new_era_begun_in_its_first_calendar_year(fy: int, expected: str) -> None:
    assert format_fiscal_year(fy) == expected


def test_fiscal_year_before_gregorian_calendar_raises() -> None:
    with pytest.raises(ValueError, match="Gregorian"):
        format_fiscal_year(1872)


# --- holidays and office closures -----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2020, 11, 23), "勤労感謝の日"),
        (date(2020, 5, 6), "振替休日"),
        (date(2019, 5, 1), "天皇の即位の日"),
        (date(2019, 4, 30), "国民の休日"),
        (date(2019, 5, 2), "国民の休日"),
    ],
)
def test_public_holiday_has_japanese_name_and_closes_offices(day: date, name: str) -> None:
    assert holiday_name(day) == name
    assert is_office_closed(day)


def test_ordinary_weekday_is_not_a_holiday_and_offices_are_open() -> None:
    assert holiday_name(date(2020, 11, 19)) is None
    assert not is_office_closed(date(2020, 11, 19))


def test_year_end_break_closes_offices_but_is_not_a_holiday() -> None:
    assert holiday_name(date(2020, 12, 29)) is None
    assert is_office_closed(date(2020, 12, 29))


@pytest.mark.parametrize(
    ("day", "closed"),
    [
        (date(2020, 12, 28), False),
        (date(2020, 12, 29), True),
        (date(2020, 12, 31), True),
        (date(2021, 1, 1), True),
        (date(2021, 1, 3), True),
        (date(2021, 1, 4), False),
    ],
)
def test_year_end_break_runs_29_december_to_3_january(day: date, closed: bool) -> None:
    assert is_office_closed(day) is closed


def test_weekends_close_offices() -> None:
    assert is_office_closed(date(2020, 11, 21))
    assert is_office_closed(date(2020, 11, 22))


def test_holiday_lookups_are_cached_per_year() -> None:
    holiday_name(date(2020, 1, 1))
    before = dates._holidays_for_year.cache_info()
    holiday_name(date(2020, 11, 23))
    after = dates._holidays_for_year.cache_info()
    assert after.hits == before.hits + 1
    assert after.misses == before.misses


def test_cached_holidays_cannot_be_changed_by_callers() -> None:
    with pytest.raises(TypeError):
        dates._holidays_for_year(2020)[date(2020, 11, 19)] = "x"  # type: ignore[index]


# --- properties -----------------------------------------------------------------------------


@given(SUPPORTED_DATES)
def test_era_year_counts_from_era_start_year(day: date) -> None:
    era_name, year = to_wareki(day)
    era = next(era for era in ERAS if era.name == era_name)
    assert year >= 1
    assert era.start.year + year - 1 == day.year
    assert era.start <= day


@given(SUPPORTED_DATES, SUPPORTED_DATES)
def test_to_wareki_never_goes_back_in_time(a: date, b: date) -> None:
    earlier, later = sorted((a, b))
    names = [era.name for era in ERAS]
    era_a, year_a = to_wareki(earlier)
    era_b, year_b = to_wareki(later)
    assert (names.index(era_a), year_a) <= (names.index(era_b), year_b)


@given(SUPPORTED_DATES)
def test_fiscal_year_bounds_contain_the_day(day: date) -> None:
    first, last = fiscal_year_bounds(fiscal_year(day))
    assert first <= day <= last


@given(SUPPORTED_DATES)
def test_era_year_one_is_always_written_gannen(day: date) -> None:
    text = format_date(day, weekday=True)
    assert ERA_NAME_THEN_0_OR_1.search(text) is None
    if to_wareki(day).year == 1:
        assert "元年" in text


@given(st.integers(min_value=1873, max_value=2100))
def test_fiscal_year_one_is_always_written_gannendo(fy: int) -> None:
    text = format_fiscal_year(fy)
    assert ERA_NAME_THEN_0_OR_1.search(text) is None
    assert text.endswith("年度")


@given(SUPPORTED_DATES, st.times(), st.times())
def test_same_day_meeting_has_one_kara_and_ends_in_fun(day: date, a: time, b: time) -> None:
    first, second = sorted((a, b))
    start = datetime.combine(day, first, tzinfo=TOKYO)
    end = datetime.combine(day, second, tzinfo=TOKYO)
    text = format_datetime_range(start, end)
    assert text.count("から") == 1
    assert text.endswith("分")
