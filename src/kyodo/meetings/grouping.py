"""Forming breakout groups (分科会・グループ分け): pure functions, no database.

Two ways to form groups from the registered attendees:

- **mix**: sizes as equal as possible (they differ by at most one), people of the same
  organisation in different groups, and regional offices, kinds and sizes of municipality
  (市・町・村) spread across the groups;
- **by attribute**: each answer to the meeting's grouping question (コミプラのフェーズ 1・2 /
  3・4) gets its own groups, in proportion to how many gave it (at least one each), and the
  people of one answer are mixed among that answer's groups.

Members locked by hand stay where they are; everyone else is placed around them.

The method: organisations are taken by the size of their delegation, largest first, and each
member goes to the open group with the fewest people of the same organisation, then the
fewest people, then the fewest of the same region and of the same kind or size. A group is
open while it is below its share (the shares differ by at most one and add up to the total),
so sizes stay balanced. Without locked members this spreads every organisation as evenly as
the number of groups allows, which is the fewest same-organisation pairs possible
(:func:`fewest_pairs`). Each placement looks at every group once: O(people × groups).
Ties are broken by a permutation of the groups drawn from ``seed``, so the same input gives
the same groups.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


class GroupingError(ValueError):
    """Groups cannot be formed as asked; the message says why, in Japanese."""


@dataclass(frozen=True)
class Person:
    """Someone to place: ``key`` identifies them (the attendee's id); ``organisation`` is
    whom they came from; ``region`` (the covering regional office) and ``kind`` (市・町・村, or
    the kind of organisation) are spread across groups; ``value`` is their answer to the
    grouping question."""

    key: int
    organisation: int
    region: int | None = None
    kind: str = ""
    value: str = ""


@dataclass(frozen=True)
class Plan:
    """The groups formed: ``group_of`` maps each person's key to a group index; in attribute
    mode ``values`` gives the answer each group is for ("" in mix mode)."""

    group_of: dict[int, int]
    values: list[str]
    sizes: list[int]
    same_organisation_pairs: int
    fewest_pairs: int


@dataclass
class _Group:
    index: int
    share: int  # seats for this group; one more while spare seats last, if ``may_grow``
    may_grow: bool = True
    size: int = 0
    organisations: Counter[int] = field(default_factory=Counter)
    regions: Counter[int | None] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, person: Person) -> None:
        self.size += 1
        self.organisations[person.organisation] += 1
        self.regions[person.region] += 1
        self.kinds[person.kind] += 1


def pairs_of(counts: Iterable[int]) -> int:
    """Pairs among people who share something: n people make n(n-1)/2 pairs."""
    return sum(count * (count - 1) // 2 for count in counts)


def fewest_pairs(delegation: int, groups: int) -> int:
    """The fewest same-organisation pairs a delegation of this size can make in this many
    groups: spread as evenly as possible."""
    whole, extra = divmod(delegation, groups)
    return extra * pairs_of([whole + 1]) + (groups - extra) * pairs_of([whole])


def same_organisation_pairs(people: Sequence[Person], group_of: Mapping[int, int]) -> int:
    """How many pairs of people of the same organisation share a group."""
    together: Counter[tuple[int, int]] = Counter(
        (group_of[person.key], person.organisation) for person in people if person.key in group_of
    )
    return pairs_of(together.values())


def sizes_of(group_of: Mapping[int, int], group_count: int) -> list[int]:
    sizes = [0] * group_count
    for index in group_of.values():
        sizes[index] += 1
    return sizes


def _shares(locked_sizes: Sequence[int], total: int) -> tuple[int, list[int], int]:
    """Each group's share of ``total`` people, as level as the locked members allow: every
    group gets its locked members and at least ``level``; ``spare`` of the groups not above
    the level take one more."""
    low, high = 0, total
    while low < high:  # the highest level whose shares still fit into the total
        middle = (low + high + 1) // 2
        if sum(max(locked, middle) for locked in locked_sizes) <= total:
            low = middle
        else:
            high = middle - 1
    shares = [max(locked, low) for locked in locked_sizes]
    return low, shares, total - sum(shares)


def _fill(
    people: Sequence[Person],
    groups: list[_Group],
    spare: int,
    order: Mapping[int, int],
) -> dict[int, int]:
    """Place ``people`` into ``groups`` (locked members already added): by organisation,
    largest delegation first, each member into the best open group."""
    delegations: dict[int, list[Person]] = defaultdict(list)
    for person in people:
        delegations[person.organisation].append(person)
    # Largest first; organisations of one region and kind one after another, so the region
    # and kind counts spread them.
    ranked = sorted(
        delegations.values(),
        key=lambda members: (
            -len(members),
            members[0].kind,
            members[0].region if members[0].region is not None else -1,
            members[0].organisation,
        ),
    )
    placed: dict[int, int] = {}
    for members in ranked:
        for person in sorted(members, key=lambda p: p.key):
            best: _Group | None = None
            best_rank: tuple[int, int, int, int, int] | None = None
            for group in groups:
                if group.size >= group.share + (1 if spare and group.may_grow else 0):
                    continue
                rank = (
                    group.organisations[person.organisation],
                    group.size,
                    group.regions[person.region] if person.region is not None else 0,
                    group.kinds[person.kind],
                    order[group.index],
                )
                if best_rank is None or rank < best_rank:
                    best, best_rank = group, rank
            if best is None:  # only when the shares were computed for fewer people
                raise GroupingError("グループの定員を計算できませんでした。")
            if best.size >= best.share:
                spare -= 1
            best.add(person)
            placed[person.key] = best.index
    return placed


def _place(
    people: Sequence[Person],
    indexes: Sequence[int],
    locked: Mapping[int, int],
    locked_people: Sequence[Person],
    order: Mapping[int, int],
) -> dict[int, int]:
    """Place free ``people`` into the groups ``indexes`` around ``locked_people``."""
    at = {index: position for position, index in enumerate(indexes)}
    locked_sizes = [0] * len(indexes)
    for person in locked_people:
        locked_sizes[at[locked[person.key]]] += 1
    level, shares, spare = _shares(locked_sizes, len(people) + len(locked_people))
    groups = [
        _Group(index=index, share=shares[at[index]], may_grow=shares[at[index]] == level)
        for index in indexes
    ]
    for person in locked_people:
        groups[at[locked[person.key]]].add(person)
    return _fill(people, groups, spare, order)


def _tie_order(group_count: int, seed: int) -> dict[int, int]:
    indexes = list(range(group_count))
    # Not for security: a fixed, reproducible tie-break between equally good groups.
    random.Random(seed).shuffle(indexes)  # noqa: S311
    return {index: rank for rank, index in enumerate(indexes)}


def _check(people: Sequence[Person], group_count: int, locked: Mapping[int, int]) -> None:
    if not people:
        raise GroupingError("参加者がいないため、グループ分けできません。")
    if group_count < 1:
        raise GroupingError("グループ数は1以上にしてください。")
    if group_count > len(people):
        raise GroupingError(f"グループ数は参加者の数({len(people)}名)以下にしてください。")
    keys = {person.key for person in people}
    if len(keys) != len(people):
        raise GroupingError("同じ参加者が二度含まれています。")
    for key, index in locked.items():
        if key in keys and not 0 <= index < group_count:
            raise GroupingError(
                f"固定した参加者がグループ{index + 1}にいるため、"
                f"グループ数を{index + 1}より少なくできません。固定を解除してください。"
            )


def _plan(
    people: Sequence[Person],
    group_of: dict[int, int],
    values: list[str],
    fewest: int,
) -> Plan:
    return Plan(
        group_of=group_of,
        values=values,
        sizes=sizes_of(group_of, len(values)),
        same_organisation_pairs=same_organisation_pairs(people, group_of),
        fewest_pairs=fewest,
    )


def mix(
    people: Sequence[Person],
    group_count: int,
    *,
    locked: Mapping[int, int] | None = None,
    seed: int = 0,
) -> Plan:
    """Groups of balanced sizes with the organisations, regions and kinds spread out.
    ``locked`` maps the keys of members who stay put to their group index."""
    locked = dict(locked or {})
    _check(people, group_count, locked)
    locked_people = [person for person in people if person.key in locked]
    free = [person for person in people if person.key not in locked]
    order = _tie_order(group_count, seed)
    group_of = {person.key: locked[person.key] for person in locked_people}
    group_of |= _place(free, range(group_count), locked, locked_people, order)
    delegations = Counter(person.organisation for person in people)
    fewest = sum(fewest_pairs(size, group_count) for size in delegations.values())
    return _plan(people, group_of, [""] * group_count, fewest)


def allocate(counts: Sequence[int], group_count: int) -> list[int]:
    """Groups per answer, in proportion to how many gave it, at least one each (largest
    remainders; an answer nobody gave gets none)."""
    present = [index for index, count in enumerate(counts) if count]
    if group_count < len(present):
        raise GroupingError(
            f"回答が{len(present)}種類あるため、グループ数は{len(present)}以上にしてください。"
        )
    total = sum(counts)
    allocation = [0] * len(counts)
    for index in present:
        allocation[index] = max(1, group_count * counts[index] // total)
    while sum(allocation) > group_count:  # the minimum of one took seats from others
        index = max(
            (i for i in present if allocation[i] > 1),
            key=lambda i: (allocation[i] - group_count * counts[i] / total, -i),
        )
        allocation[index] -= 1
    while sum(allocation) < group_count:
        index = max(present, key=lambda i: (group_count * counts[i] / total - allocation[i], -i))
        allocation[index] += 1
    return allocation


def by_attribute(
    people: Sequence[Person],
    group_count: int,
    *,
    values: Sequence[str] = (),
    locked: Mapping[int, int] | None = None,
    seed: int = 0,
) -> Plan:
    """One group or more per answer, in the order of ``values`` (answers not among them
    follow, the unanswered last); within an answer's groups, mixed as :func:`mix` does.
    A locked member stays in their group even if it is now for another answer."""
    locked = dict(locked or {})
    _check(people, group_count, locked)
    seen = {person.value for person in people}
    ordered = [value for value in dict.fromkeys(values) if value in seen]
    ordered += sorted(seen - set(ordered) - {""}) + ([""] if "" in seen else [])
    counts = Counter(person.value for person in people)
    allocation = allocate([counts[value] for value in ordered], group_count)
    group_values: list[str] = []
    for value, groups in zip(ordered, allocation, strict=True):
        group_values += [value] * groups
    order = _tie_order(group_count, seed)
    group_of = {person.key: locked[person.key] for person in people if person.key in locked}
    fewest = 0
    for value in ordered:
        indexes = [index for index, v in enumerate(group_values) if v == value]
        mine = set(indexes)
        free = [p for p in people if p.value == value and p.key not in locked]
        locked_here = [p for p in people if p.key in locked and locked[p.key] in mine]
        group_of |= _place(free, indexes, locked, locked_here, order)
        delegations = Counter(p.organisation for p in people if p.value == value)
        fewest += sum(fewest_pairs(size, len(indexes)) for size in delegations.values())
    return _plan(people, group_of, group_values, fewest)
