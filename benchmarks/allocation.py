"""Booth allocation at fair scale, and the pruned programme against the exact optimum.

Run by hand:  PYTHONPATH=src:. .venv/bin/python -m benchmarks.allocation [--quick]
(a) 200 booths × 300 applications and (b) 1,000 × 1,500 with the default settings: wall time of ``allocate_booths``,
    booths filled, placed and waitlisted by reason, and whether HiGHS proved the (possibly pruned) programme optimal;
(c) on fairs small enough to prove the optimum, the solver with ``MAX_PLACEMENTS`` lowered so that it keeps about a
    third of the candidates, against the exact unpruned programme: the gap in %; and (a) against its exact optimum;
(d) (b)'s default run against the unpruned programme with a ten-minute limit (left out with ``--quick``).
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from matching import allocation
from matching.allocation import allocate_booths
from matching.allocation_model import Allocation, AllocationPolicy, Applicant, BoothSpot, BoothType, RequestedType
from seeds.reference import category_groups, provinces

HOST = "ha_noi"
EXACT_TIME_LIMIT_S = 600.0
GROUP_WEIGHTS = {"food": 40, "beverage": 20, "herbal": 15, "handicraft": 15, "ornamental": 5, "tourism": 5}
SIZES = ((1, 70), (2, 18), (3, 8), (4, 4))
TYPES: tuple[tuple[RequestedType, int], ...] = (("standard", 77), ("premium", 10), ("corner", 8), ("double", 5))


def booths_of(count: int, seed: int = 3) -> list[BoothSpot]:
    """Halls of three to six rows, row 1 premium in every other hall, corners at the ends of the other rows, a row of
    double stands in every third hall; each hall zoned for one or two product groups, its last row open to all."""
    rng = random.Random(seed)
    columns = 10 if count <= 120 else 20
    rows = count // columns
    halls = max(2, rows // 5)
    groups = [g.code for g in category_groups()]
    spots: list[BoothSpot] = []
    for h in range(halls):
        name = f"H{h + 1}"
        zone = frozenset({groups[h % len(groups)], *rng.sample(groups, rng.choice((0, 1)))})
        hall_rows = rows // halls + (h < rows % halls)
        for row in range(1, hall_rows + 1):
            for column in range(1, columns + 1):
                kind: BoothType = "standard"
                if row == 1 and h % 2 == 0:
                    kind = "premium"
                elif row == 2 and h % 3 == 0:
                    kind = "double"
                elif column in (1, columns):
                    kind = "corner"
                zones = frozenset() if row == hall_rows else zone
                spots.append(BoothSpot(f"{name}-{row}-{column}", name, row, column, kind, zones))
    return spots


def applications_of(count: int, halls: Sequence[str], seed: int = 5) -> list[Applicant]:
    """15 % from the host province, the rest from the other 33; ~70 % ask one booth; ~30 % want their
    delegation; a quarter name preferred halls."""
    rng = random.Random(seed)
    others = [p.code for p in provinces() if p.code != HOST]
    result = []
    for i in range(count):
        booth_type = rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]
        size = 2 if booth_type == "double" else rng.choices([s for s, _ in SIZES], [w for _, w in SIZES])[0]
        result.append(
            Applicant(
                application_id=f"a{i}",
                exhibitor_id=f"e{i}",
                province=HOST if rng.random() < 0.15 else rng.choice(others),
                group=rng.choices(list(GROUP_WEIGHTS), list(GROUP_WEIGHTS.values()))[0],
                stars=rng.choices((3, 4, 5), (50, 35, 15))[0],
                booths=size,
                booth_type=booth_type,
                preferred_halls=frozenset(rng.sample(list(halls), rng.randint(1, 2)))
                if rng.random() < 0.25
                else frozenset(),
                near_delegation=rng.random() < 0.3,
                order=i,
            )
        )
    return result


def policy_of(booths: int) -> AllocationPolicy:
    """The host at most 30 % of the booths, every other province at most 8 %; delegations sit together."""
    quotas = {p.code: int((0.30 if p.code == HOST else 0.08) * booths) for p in provinces()}
    return AllocationPolicy(quotas=quotas, star_weight=1.0, contiguous_delegations=True)


def fair(booths: int, applications: int) -> tuple[list[BoothSpot], list[Applicant], AllocationPolicy]:
    spots = booths_of(booths)
    return spots, applications_of(applications, sorted({b.hall for b in spots})), policy_of(booths)


@contextmanager
def placements_capped(cap: int) -> Iterator[None]:
    """The solver with at most ``cap`` candidate placements, for comparing pruned and exact programmes."""
    saved = allocation.MAX_PLACEMENTS
    allocation.MAX_PLACEMENTS = cap
    try:
        yield
    finally:
        allocation.MAX_PLACEMENTS = saved


def solve(
    spots: Sequence[BoothSpot], applicants: Sequence[Applicant], policy: AllocationPolicy, time_limit_s: float
) -> tuple[Allocation, float]:
    started = time.perf_counter()
    result = allocate_booths(spots, applicants, policy=policy, time_limit_s=time_limit_s)
    return result, time.perf_counter() - started


def summary(result: Allocation, wall_s: float) -> str:
    filled = sum(len(run) for run in result.placed.values())
    reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(Counter(result.waitlisted.values()).items()))
    return (
        f"{wall_s:.2f} s, {result.candidates} candidates, {filled} booths filled, {len(result.placed)} placed, "
        f"waitlisted {len(result.waitlisted)} ({reasons}), proven optimal: {result.optimal}, "
        f"objective {result.objective:.2f}"
    )


def gap_percent(exact: Allocation, other: Allocation) -> float:
    return (exact.objective - other.objective) / exact.objective * 100


def scale(label: str, booths: int, applications: int) -> Allocation:
    spots, applicants, policy = fair(booths, applications)
    result, wall_s = solve(spots, applicants, policy, allocation.DEFAULT_TIME_LIMIT_S)
    print(f"({label}) {booths} booths x {applications} applications: {summary(result, wall_s)}")
    return result


def quality(booths: int, applications: int) -> None:
    spots, applicants, policy = fair(booths, applications)
    with placements_capped(10**9):
        exact, exact_s = solve(spots, applicants, policy, EXACT_TIME_LIMIT_S)
    with placements_capped(exact.candidates // 3):
        pruned, pruned_s = solve(spots, applicants, policy, allocation.DEFAULT_TIME_LIMIT_S)
    filled = [sum(len(run) for run in r.placed.values()) for r in (exact, pruned)]
    print(
        f"(c) {booths} x {applications}: exact {exact.candidates} candidates in {exact_s:.1f} s "
        f"(proven optimal: {exact.optimal}), pruned to {pruned.candidates} in {pruned_s:.2f} s "
        f"(proven: {pruned.optimal}); booths filled {filled[0]} vs {filled[1]}, gap {gap_percent(exact, pruned):.3f} %"
    )


def long_run(default: Allocation, booths: int, applications: int) -> None:
    spots, applicants, policy = fair(booths, applications)
    with placements_capped(10**9):
        exact, exact_s = solve(spots, applicants, policy, EXACT_TIME_LIMIT_S)
    print(
        f"(d) {booths} x {applications} unpruned, {EXACT_TIME_LIMIT_S:.0f} s limit: {summary(exact, exact_s)}; "
        f"default run's gap {gap_percent(exact, default):.3f} %"
        + ("" if exact.optimal else " (against the best solution found, not a proven optimum)")
    )


def exact_versus_default(booths: int, applications: int, default: Allocation) -> None:
    spots, applicants, policy = fair(booths, applications)
    with placements_capped(10**9):
        exact, exact_s = solve(spots, applicants, policy, EXACT_TIME_LIMIT_S)
    print(
        f"(c) {booths} x {applications} default against exact: exact {exact.candidates} candidates in {exact_s:.1f} s "
        f"(proven optimal: {exact.optimal}), default {default.candidates}; gap {gap_percent(exact, default):.3f} %"
    )


def main(quick: bool) -> None:
    print("load average at start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    small = scale("a", 200, 300)
    large = scale("b", 1_000, 1_500)
    for booths, applications in ((60, 90), (90, 135), (120, 180)):
        quality(booths, applications)
    exact_versus_default(200, 300, small)
    if not quick:
        long_run(large, 1_000, 1_500)


if __name__ == "__main__":
    main(quick=sys.argv[1:] == ["--quick"])
