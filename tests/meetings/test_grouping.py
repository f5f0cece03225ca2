"""Forming breakout groups, without the database: balanced sizes, organisations apart,
groups by answer, locked members kept, and the fewest same-organisation pairs possible."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo.meetings.grouping import (
    GroupingError,
    Person,
    allocate,
    by_attribute,
    fewest_pairs,
    mix,
    same_organisation_pairs,
)


def delegations(*sizes: int, values: tuple[str, ...] = ("",)) -> list[Person]:
    """People from organisations of the given sizes, regions and kinds taking turns."""
    people = []
    for organisation, size in enumerate(sizes):
        for _ in range(size):
            key = len(people)
            people.append(
                Person(
                    key=key,
                    organisation=organisation,
                    region=organisation % 7,
                    kind="市町村"[organisation % 3],
                    value=values[key % len(values)],
                )
            )
    return people


def fifty_one_from_forty() -> list[Person]:
    """51 attendees from 40 organisations: eleven sent two people, 29 sent one."""
    return delegations(*([2] * 11 + [1] * 29))


@pytest.mark.parametrize("group_count", [2, 5, 8, 10, 17, 25])
def test_mix_of_51_from_40_organisations_is_balanced_with_nobody_beside_a_colleague(
    group_count: int,
) -> None:
    people = fifty_one_from_forty()
    assert len(people) == 51
    assert len({p.organisation for p in people}) == 40
    plan = mix(people, group_count)
    assert sorted(plan.group_of) == [p.key for p in people]
    assert sum(plan.sizes) == 51
    assert max(plan.sizes) - min(plan.sizes) <= 1
    assert plan.same_organisation_pairs == 0
    groups = Counter((plan.group_of[p.key], p.organisation) for p in people)
    assert max(groups.values()) == 1


def test_regions_and_kinds_are_spread_across_groups() -> None:
    # 28 people from 28 organisations of 7 regions: each group of 4 holds 4 regions.
    people = delegations(*([1] * 28))
    plan = mix(people, 7)
    regions = Counter((plan.group_of[p.key], p.region) for p in people)
    assert max(regions.values()) == 1
    kinds = Counter((plan.group_of[p.key], p.kind) for p in people)
    assert max(kinds.values()) <= 2


def test_an_organisation_larger_than_the_group_count_makes_only_the_unavoidable_pairs() -> None:
    # Ten from one organisation in four groups: 3+3+2+2 makes 3+3+1+1 = 8 pairs at least.
    people = delegations(10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
    plan = mix(people, 4)
    assert plan.sizes == [5, 5, 5, 5]
    assert fewest_pairs(10, 4) == 8
    assert (plan.same_organisation_pairs, plan.fewest_pairs) == (8, 8)


def test_by_attribute_puts_everyone_in_a_group_of_their_answer() -> None:
    people = delegations(*([2] * 11 + [1] * 29), values=("1・2", "3・4", "1・2"))
    plan = by_attribute(people, 6, values=["1・2", "3・4"])
    # 34 answered 1・2 and 17 answered 3・4: four groups and two.
    assert plan.values == ["1・2", "1・2", "1・2", "1・2", "3・4", "3・4"]
    assert all(plan.values[plan.group_of[p.key]] == p.value for p in people)
    assert plan.same_organisation_pairs == plan.fewest_pairs


def test_by_attribute_gives_every_answer_a_group_and_the_unanswered_come_last() -> None:
    people = delegations(*([1] * 20), values=("3・4",) * 18 + ("1・2", ""))
    plan = by_attribute(people, 4, values=["1・2", "3・4"])
    assert plan.values == ["1・2", "3・4", "3・4", ""]
    assert plan.sizes == [1, 9, 9, 1]


def test_by_attribute_refuses_fewer_groups_than_answers() -> None:
    people = delegations(1, 1, 1, values=("1・2", "3・4", ""))
    with pytest.raises(GroupingError, match="回答が3種類あるため、グループ数は3以上"):
        by_attribute(people, 2, values=["1・2", "3・4"])


def test_locked_members_stay_and_the_rest_fill_around_them() -> None:
    people = fifty_one_from_forty()
    locked = {0: 4, 1: 4, 2: 0}  # two colleagues locked together on purpose
    plan = mix(people, 5, locked=locked)
    assert {key: plan.group_of[key] for key in locked} == locked
    assert max(plan.sizes) - min(plan.sizes) <= 1
    assert plan.same_organisation_pairs == 1  # only the pair locked together


def test_locked_members_beyond_a_fair_share_do_not_stop_the_others() -> None:
    people = delegations(*([1] * 12))
    plan = mix(people, 3, locked=dict.fromkeys(range(6), 0))
    assert plan.sizes == [6, 3, 3]


@pytest.mark.parametrize(
    ("group_count", "message"),
    [
        (0, "グループ数は1以上にしてください。"),
        (52, "グループ数は参加者の数(51名)以下にしてください。"),
    ],
)
def test_impossible_group_counts_are_refused(group_count: int, message: str) -> None:
    with pytest.raises(GroupingError) as refused:
        mix(fifty_one_from_forty(), group_count)
    assert str(refused.value) == message


def test_fewer_groups_than_a_locked_members_group_is_refused() -> None:
    with pytest.raises(GroupingError, match="固定した参加者がグループ5にいる"):
        mix(fifty_one_from_forty(), 4, locked={0: 4})


def test_the_same_input_gives_the_same_groups() -> None:
    people = fifty_one_from_forty()
    assert mix(people, 8, seed=3) == mix(list(people), 8, seed=3)


def test_allocation_is_proportional_with_at_least_one_group_each() -> None:
    assert allocate([34, 17], 6) == [4, 2]
    assert allocate([98, 1, 1], 5) == [3, 1, 1]
    assert allocate([5, 0, 5], 3) == [2, 0, 1]


@st.composite
def meetings(draw: st.DrawFn) -> tuple[list[Person], int]:
    sizes = draw(st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=40))
    people = delegations(*sizes)
    regions = draw(st.lists(st.integers(0, 6), min_size=len(people), max_size=len(people)))
    people = [
        Person(key=p.key, organisation=p.organisation, region=r, kind=p.kind)
        for p, r in zip(people, regions, strict=True)
    ]
    return people, draw(st.integers(min_value=1, max_value=len(people)))


@settings(max_examples=200, deadline=None)
@given(meetings(), st.integers(min_value=0, max_value=1000))
def test_mix_is_balanced_and_makes_the_fewest_pairs_possible(
    meeting: tuple[list[Person], int], seed: int
) -> None:
    people, group_count = meeting
    plan = mix(people, group_count, seed=seed)
    assert sorted(plan.group_of) == sorted(p.key for p in people)
    assert max(plan.sizes) - min(plan.sizes) <= 1
    bound = sum(
        fewest_pairs(size, group_count) for size in Counter(p.organisation for p in people).values()
    )
    assert plan.fewest_pairs == bound
    assert plan.same_organisation_pairs == bound
    assert same_organisation_pairs(people, plan.group_of) == bound


@settings(max_examples=100, deadline=None)
@given(meetings(), st.lists(st.sampled_from(["1・2", "3・4", ""]), min_size=1))
def test_by_attribute_keeps_every_answer_together_and_balanced_within(
    meeting: tuple[list[Person], int], answers: list[str]
) -> None:
    people, group_count = meeting
    people = [
        Person(key=p.key, organisation=p.organisation, value=answers[p.key % len(answers)])
        for p in people
    ]
    if group_count < len({p.value for p in people}):
        with pytest.raises(GroupingError):
            by_attribute(people, group_count, values=["1・2", "3・4"])
        return
    plan = by_attribute(people, group_count, values=["1・2", "3・4"])
    assert all(plan.values[plan.group_of[p.key]] == p.value for p in people)
    for value in set(plan.values):
        sizes = [size for size, v in zip(plan.sizes, plan.values, strict=True) if v == value]
        assert min(sizes) >= 1
        assert max(sizes) - min(sizes) <= 1
    assert plan.same_organisation_pairs == plan.fewest_pairs
