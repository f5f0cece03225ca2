"""Timing and quality of forming breakout groups: 300 synthetic attendees from 120
organisations of the network's kinds, regions and sizes, into 30 groups, in memory (no
database, no server). Reported after the page table by `make bench`."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from kyodo.meetings.grouping import Person, Plan, by_attribute, mix

ATTENDEES = 300
ORGANISATIONS = 120
GROUPS = 30
RUNS = 7
PHASES = ["1・2", "3・4"]


def synthetic_attendees(seed: int = 2020) -> list[Person]:
    """Delegations of one to six people (most send one or two, a few send many), from
    municipalities (市・町・村), regional offices and the prefecture, in seven regions; each
    answers the コミプラ phase question."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    sizes = [1] * ORGANISATIONS
    for _ in range(ATTENDEES - ORGANISATIONS):
        sizes[min(int(rng.expovariate(1 / 25)), ORGANISATIONS - 1)] += 1
    people = []
    for organisation, size in enumerate(sizes):
        kind = rng.choice(["市", "町", "町", "村", "regional_office", "prefecture"])
        region = rng.randrange(7)
        for _ in range(size):
            people.append(
                Person(
                    key=len(people),
                    organisation=organisation,
                    region=region,
                    kind=kind,
                    value=rng.choice(PHASES),
                )
            )
    return people


def _time(form: Callable[[], Plan]) -> tuple[float, float, Plan]:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        plan = form()
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings), statistics.median(timings), plan


def rows() -> list[tuple[str, int, int, float, float, int, int, int]]:
    """(mode, attendees, groups, best ms, median ms, size spread, same-organisation pairs,
    fewest possible) for each way of forming groups."""
    people = synthetic_attendees()
    found = []
    for mode, form in (
        ("mix", lambda: mix(people, GROUPS)),
        ("attribute", lambda: by_attribute(people, GROUPS, values=PHASES)),
    ):
        best, median, plan = _time(form)
        spread = max(plan.sizes) - min(plan.sizes)
        found.append(
            (mode, len(people), GROUPS, best, median, spread,
             plan.same_organisation_pairs, plan.fewest_pairs)
        )  # fmt: skip
    return found


def print_table() -> None:
    print(f"\nbreakout groups — {ATTENDEES} attendees from {ORGANISATIONS} organisations, "
          f"{RUNS} runs each\n")  # fmt: skip
    print("| mode | attendees | groups | best ms | median ms | size spread | "
          "same-organisation pairs | fewest possible |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for mode, attendees, groups, best, median, spread, pairs, fewest in rows():
        print(f"| {mode} | {attendees} | {groups} | {best:.1f} | {median:.1f} | {spread} | "
              f"{pairs} | {fewest} |")  # fmt: skip


if __name__ == "__main__":
    print_table()
