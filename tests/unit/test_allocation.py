"""Booth allocation on small hand-made fairs: the rules every proposal keeps, and optimality where it can be proved."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import OptimizeResult

from matching import allocation
from matching.allocation import allocate_booths
from matching.allocation_model import (
    Allocation,
    AllocationPolicy,
    Applicant,
    BoothSpot,
    BoothType,
    FixedBooth,
    RequestedType,
)
from matching.booth_runs import contiguous

GROUPS = ("food", "beverage", "handicraft")
PROVINCES = ("HNI", "HUE", "CTO", "DNA")
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def hall(
    name: str,
    rows: int,
    columns: int,
    *,
    premium_rows: Sequence[int] = (),
    corners: bool = False,
    double_rows: Sequence[int] = (),
    zones: Mapping[int, Sequence[str]] | None = None,
) -> list[BoothSpot]:
    """A hall of ``rows`` × ``columns`` booths ``{name}{row}.{column}``; corners at the ends of non-premium rows."""

    def kind(row: int, column: int) -> BoothType:
        if row in premium_rows:
            return "premium"
        if row in double_rows:
            return "double"
        if corners and column in (1, columns):
            return "corner"
        return "standard"

    return [
        BoothSpot(f"{name}{r}.{c}", name, r, c, kind(r, c), frozenset((zones or {}).get(r, ())))
        for r in range(1, rows + 1)
        for c in range(1, columns + 1)
    ]


def applicant(
    index: int,
    *,
    province: str = "HNI",
    group: str | None = None,
    stars: int = 3,
    booths: int = 1,
    booth_type: RequestedType = "standard",
    near_delegation: bool = False,
    preferred_halls: frozenset[str] = frozenset(),
    previous: frozenset[str] = frozenset(),
) -> Applicant:
    return Applicant(
        application_id=f"a{index}",
        exhibitor_id=f"e{index}",
        province=province,
        group=group,
        stars=stars,
        booths=booths,
        booth_type=booth_type,
        preferred_halls=preferred_halls,
        near_delegation=near_delegation,
        previous=previous,
        order=index,
    )


def allows(wanted: RequestedType, types: Sequence[BoothType]) -> bool:
    """The booth types a request may get, written from the rules rather than from the solver."""
    if wanted == "premium":
        return set(types) == {"premium"}
    if wanted == "corner":
        return "corner" in (types[0], types[-1]) and set(types) <= {"corner", "standard"}
    if wanted == "double":
        return set(types) in ({"standard"}, {"double"})
    return set(types) == {"standard"}


def side_by_side(spots: Sequence[BoothSpot]) -> bool:
    """One hall, one row, consecutive columns, in order."""
    return len({(s.hall, s.row) for s in spots}) == 1 and [s.column for s in spots] == list(
        range(spots[0].column, spots[0].column + len(spots))
    )


def runs(booths: Sequence[BoothSpot], size: int) -> Iterator[list[BoothSpot]]:
    """Every stretch of ``size`` booths side by side, by brute force over the booths."""
    spots = {(b.hall, b.row, b.column): b for b in booths}
    for b in booths:
        stretch = [spots.get((b.hall, b.row, b.column + i)) for i in range(size)]
        if all(s is not None for s in stretch):
            yield [s for s in stretch if s is not None]


def random_fair(
    seed: int, contiguous_delegations: bool = False
) -> tuple[list[BoothSpot], list[Applicant], list[FixedBooth], AllocationPolicy]:
    """Two halls with premium, corner, double and zoned rows, a crowd of applications, a few fixed booths."""
    rng = random.Random(seed)
    booths = hall(
        "A",
        rng.randint(2, 4),
        rng.randint(3, 6),
        premium_rows=(1,),
        corners=True,
        zones={2: ["food"], 3: ["beverage"]},
    ) + hall("B", 2, rng.randint(3, 5), corners=rng.random() < 0.5, double_rows=(2,), zones={1: ["handicraft"]})
    applicants = []
    for i in range(rng.randint(len(booths) // 2, len(booths) + 4)):
        booth_type: RequestedType = rng.choice(["standard"] * 6 + ["premium", "premium", "corner", "double"])
        applicants.append(
            applicant(
                i,
                province=rng.choice(PROVINCES),
                group=rng.choice((None, *GROUPS)),
                stars=rng.randint(0, 5),
                booths=2 if booth_type == "double" else rng.choice((1, 1, 1, 1, 2, 3)),
                booth_type=booth_type,
                near_delegation=rng.random() < 0.3,
                preferred_halls=frozenset(rng.sample(("A", "B"), rng.randint(0, 1))),
                previous=frozenset(b.booth_id for b in rng.sample(booths, rng.randint(0, 1))),
            )
        )
    fixed = []
    for booth in rng.sample(booths, rng.randint(0, 3)):
        if rng.random() < 0.5:
            holder = applicants[rng.randrange(len(applicants))]
            fixed.append(FixedBooth(booth.booth_id, holder.exhibitor_id, holder.province, holder.application_id))
        else:
            fixed.append(FixedBooth(booth.booth_id, "organiser", rng.choice(PROVINCES)))
    policy = AllocationPolicy(
        quotas={"HNI": rng.randint(1, 8)},
        default_quota=rng.choice((None, 3, 6)),
        star_weight=rng.choice((0.0, 0.5, 1.0)),
        contiguous_delegations=contiguous_delegations,
    )
    return booths, applicants, fixed, policy


def quota(policy: AllocationPolicy, province: str) -> int | None:
    return policy.quotas.get(province, policy.default_quota)


def delegation_members(applicants: Sequence[Applicant], fixed: Sequence[FixedBooth]) -> dict[str, list[Applicant]]:
    """Per province, the open applications asking to sit with their delegation, where there are two or more."""
    holding = {f.application_id for f in fixed}
    by_province: dict[str, list[Applicant]] = {}
    for a in applicants:
        if a.near_delegation and a.booth_type != "premium" and a.application_id not in holding:
            by_province.setdefault(a.province, []).append(a)
    return {p: members for p, members in by_province.items() if len(members) >= 2}


def assert_valid(
    booths: Sequence[BoothSpot],
    applicants: Sequence[Applicant],
    fixed: Sequence[FixedBooth],
    policy: AllocationPolicy,
    result: Allocation,
) -> None:
    spots = {b.booth_id: b for b in booths}
    by_id = {a.application_id: a for a in applicants}
    given_out = [b for run in result.placed.values() for b in run]
    assert len(given_out) == len(set(given_out)), "a booth was given twice"
    assert set(given_out) <= set(spots)

    holders = {f.booth_id: f.application_id for f in fixed}
    for booth_id, holder in holders.items():
        owners = [a for a, run in result.placed.items() if booth_id in run]
        assert owners == ([holder] if holder else []), f"fixed booth {booth_id} went to {owners}"

    assert set(result.placed).isdisjoint(result.waitlisted)
    assert set(result.placed) | set(result.waitlisted) >= set(by_id)
    for application, run in result.placed.items():
        if application not in by_id or application in holders.values():
            continue
        asked = by_id[application]
        placed_spots = [spots[b] for b in run]
        assert len(run) == asked.booths, application
        assert side_by_side(placed_spots), (application, run)
        assert allows(asked.booth_type, [s.booth_type for s in placed_spots]), (application, asked.booth_type, run)

    used = Counter(f.province for f in fixed)
    for application, run in result.placed.items():
        if application in by_id and application not in holders.values():
            used[by_id[application].province] += len(run)
    for province in {a.province for a in applicants}:
        limit = quota(policy, province)
        if limit is not None:
            assert used[province] <= max(limit, Counter(f.province for f in fixed)[province]), province

    if policy.contiguous_delegations:
        for members in delegation_members(applicants, fixed).values():
            seated = [b for m in members for b in result.placed.get(m.application_id, ())]
            assert contiguous(seated, spots), seated


@PROPERTY
@given(seed=st.integers(0, 2**20), contiguous_delegations=st.booleans())
def test_random_fairs_keep_every_rule(seed: int, contiguous_delegations: bool) -> None:
    booths, applicants, fixed, policy = random_fair(seed, contiguous_delegations)
    result = allocate_booths(booths, applicants, fixed, policy)
    assert result.optimal
    assert_valid(booths, applicants, fixed, policy, result)


@pytest.mark.parametrize("holder_province", ["HNI", "HUE"])
def test_fixed_booths_count_toward_the_quota(holder_province: str) -> None:
    booths = hall("A", 1, 5)
    fixed = [FixedBooth("A1.1", "e9", holder_province, "a9"), FixedBooth("A1.2", "organiser", holder_province)]
    applicants = [applicant(9, province=holder_province)] + [applicant(i, province="HNI") for i in range(3)]
    policy = AllocationPolicy(quotas={"HNI": 3})
    result = allocate_booths(booths, applicants, fixed, policy)
    assert result.placed["a9"] == ("A1.1",)
    placed_from_hni = sum(1 for a in ("a0", "a1", "a2") if a in result.placed)
    assert placed_from_hni == (1 if holder_province == "HNI" else 3)
    assert Counter(result.waitlisted.values()) == Counter({"quota": 3 - placed_from_hni})
    assert_valid(booths, applicants, fixed, policy, result)


@pytest.mark.parametrize("booth_type", ["standard", "corner", "premium"])
def test_fixed_booths_are_never_reassigned(booth_type: RequestedType) -> None:
    booths = hall("A", 2, 4, premium_rows=(1,), corners=True)
    fixed = [
        FixedBooth("A1.2", "e0", "HNI", "a0"),
        FixedBooth("A2.1", "e1", "HUE", "a1"),
        FixedBooth("A2.4", "organiser", "HNI"),
    ]
    applicants = [applicant(i, booth_type=booth_type, stars=5, previous=frozenset({"A1.2", "A2.1"})) for i in range(8)]
    result = allocate_booths(booths, applicants, fixed)
    assert result.placed["a0"] == ("A1.2",)
    assert result.placed["a1"] == ("A2.1",)
    assert all("A2.4" not in run for run in result.placed.values())
    assert_valid(booths, applicants, fixed, AllocationPolicy(), result)


def zone_run_is_free(asked: Applicant, booths: Sequence[BoothSpot], taken: set[str]) -> bool:
    return any(
        all(s.booth_id not in taken and asked.group in s.zones for s in stretch)
        and allows(asked.booth_type, [s.booth_type for s in stretch])
        for stretch in runs(booths, asked.booths)
    )


@PROPERTY
@given(seed=st.integers(0, 2**20))
def test_a_booth_zoned_for_another_group_is_given_only_when_no_zone_run_is_free(seed: int) -> None:
    booths, applicants, fixed, policy = random_fair(seed)
    result = allocate_booths(booths, applicants, fixed, policy)
    spots = {b.booth_id: b for b in booths}
    taken = {b for run in result.placed.values() for b in run} | {f.booth_id for f in fixed}
    holders = {f.application_id for f in fixed}
    for asked in applicants:
        run = result.placed.get(asked.application_id, ())
        if asked.group is None or asked.application_id in holders or not run:
            continue
        if all(spots[b].zones and asked.group not in spots[b].zones for b in run):
            assert not zone_run_is_free(asked, booths, taken), (asked, run)


def test_zone_outweighs_keeping_the_booth_and_the_preferred_hall() -> None:
    booths = hall("A", 1, 3, premium_rows=(1,), zones={1: ["food"]}) + hall(
        "B", 1, 3, premium_rows=(1,), zones={1: ["beverage"]}
    )
    asked = applicant(
        0, group="food", stars=5, booth_type="premium", preferred_halls=frozenset({"B"}), previous=frozenset({"B1.2"})
    )
    result = allocate_booths(booths, [asked])
    assert result.placed["a0"][0].startswith("A1.")


@pytest.mark.parametrize("stars", [(3, 5, 4, 2), (5, 4, 3, 2), (2, 3, 4, 5), (1, 5, 1, 4)])
def test_higher_stars_win_the_premium_booths(stars: tuple[int, ...]) -> None:
    booths = hall("A", 2, 2, premium_rows=(1,))
    applicants = [applicant(i, stars=s, booth_type="premium") for i, s in enumerate(stars)]
    result = allocate_booths(booths, applicants, policy=AllocationPolicy(star_weight=1.0))
    best = sorted(range(len(stars)), key=lambda i: -stars[i])[:2]
    assert set(result.placed) == {f"a{i}" for i in best}
    assert set(result.waitlisted.values()) == {"full"}


def test_without_star_weight_the_earliest_application_wins() -> None:
    booths = hall("A", 1, 2, premium_rows=(1,))
    applicants = [applicant(i, stars=s, booth_type="premium") for i, s in enumerate((1, 2, 5, 5))]
    result = allocate_booths(booths, applicants, policy=AllocationPolicy(star_weight=0.0))
    assert set(result.placed) == {"a0", "a1"}


def with_previous(applicants: Sequence[Applicant], placed: Mapping[str, Sequence[str]]) -> list[Applicant]:
    return [replace(a, previous=frozenset(placed.get(a.application_id, ()))) for a in applicants]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("contiguous_delegations", [False, True])
def test_a_rerun_with_the_previous_booths_changes_nothing(seed: int, contiguous_delegations: bool) -> None:
    booths, applicants, fixed, policy = random_fair(seed, contiguous_delegations)
    first = allocate_booths(booths, applicants, fixed, policy)
    again = allocate_booths(booths, with_previous(applicants, first.placed), fixed, policy)
    assert again.placed == first.placed
    assert again.waitlisted == first.waitlisted


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("size", [1, 2])
def test_a_late_application_with_room_left_moves_nobody(seed: int, size: int) -> None:
    rng = random.Random(seed)
    booths = hall("A", 3, 6, corners=True) + hall("B", 2, 5) + hall("C", 1, 4)
    applicants = [
        applicant(i, stars=rng.randint(0, 5), booths=rng.choice((1, 1, 2)), preferred_halls=frozenset("AB"[i % 2]))
        for i in range(10)
    ]
    first = allocate_booths(booths, applicants)
    assert not first.waitlisted
    taken = {b for run in first.placed.values() for b in run}
    assert any(
        all(s.booth_type == "standard" and s.booth_id not in taken for s in stretch) for stretch in runs(booths, size)
    )
    late = applicant(99, booths=size, stars=5)
    second = allocate_booths(booths, [*with_previous(applicants, first.placed), late])
    assert "a99" in second.placed
    assert {a: run for a, run in second.placed.items() if a != "a99"} == first.placed


def test_a_late_application_moves_only_the_one_exhibitor_in_its_way() -> None:
    booths = hall("A", 2, 4)
    held = {"a0": "A1.1", "a1": "A1.3", "a2": "A2.1", "a3": "A2.2", "a4": "A2.3", "a5": "A2.4"}
    applicants = [applicant(i, previous=frozenset({held[f"a{i}"]})) for i in range(6)]
    first = allocate_booths(booths, applicants)
    assert first.placed == {a: (b,) for a, b in held.items()}
    second = allocate_booths(booths, [*applicants, applicant(99, booths=2)])
    assert second.placed["a99"] in {("A1.1", "A1.2"), ("A1.2", "A1.3"), ("A1.3", "A1.4")}
    moved = {a for a, run in first.placed.items() if second.placed[a] != run}
    assert len(moved) == 1
    assert moved <= {"a0", "a1"}
    assert not second.waitlisted


@pytest.mark.parametrize(
    ("rows", "columns", "sizes"),
    [(2, 4, (2, 2, 1, 3)), (3, 3, (1, 1, 1, 2, 2)), (1, 8, (3, 3, 2)), (3, 5, (2, 2, 2, 1))],
)
def test_a_delegation_sits_together_each_member_in_one_row(rows: int, columns: int, sizes: tuple[int, ...]) -> None:
    booths = hall("A", rows, columns) + hall("B", 1, 3)
    members = [applicant(i, province="HUE", booths=s, near_delegation=True) for i, s in enumerate(sizes)]
    others = [applicant(10 + i, province="CTO") for i in range(rows * columns + 3 - sum(sizes))]
    policy = AllocationPolicy(contiguous_delegations=True)
    result = allocate_booths(booths, [*others, *members], policy=policy)
    spots = {b.booth_id: b for b in booths}
    assert all(m.application_id in result.placed for m in members)
    assert contiguous([b for m in members for b in result.placed[m.application_id]], spots)
    for m in members:
        assert side_by_side([spots[b] for b in result.placed[m.application_id]])
    assert_valid(booths, [*others, *members], [], policy, result)


def test_delegation_members_get_the_booth_types_they_asked_for() -> None:
    booths = hall("A", 1, 5, corners=True)
    kinds: list[tuple[int, RequestedType]] = [(2, "standard"), (1, "corner"), (1, "standard"), (1, "corner")]
    members = [
        applicant(i, province="HUE", booths=n, booth_type=kind, near_delegation=True)
        for i, (n, kind) in enumerate(kinds)
    ]
    policy = AllocationPolicy(contiguous_delegations=True)
    result = allocate_booths(booths, members, policy=policy)
    assert set(result.placed) == {"a0", "a1", "a2", "a3"}
    assert {result.placed["a1"], result.placed["a3"]} == {("A1.1",), ("A1.5",)}
    assert_valid(booths, members, [], policy, result)


def test_a_delegation_too_large_for_any_free_stretch_is_waitlisted() -> None:
    booths = hall("A", 1, 7) + hall("B", 1, 3)
    fixed = [FixedBooth("A1.4", "organiser", "HNI")]
    members = [applicant(i, province="HUE", near_delegation=True) for i in range(4)]
    loner = applicant(9, province="HUE")
    result = allocate_booths(booths, [*members, loner], fixed, AllocationPolicy(contiguous_delegations=True))
    assert result.waitlisted == {m.application_id: "delegation" for m in members}
    assert "a9" in result.placed


def test_without_contiguity_delegation_members_stand_alone() -> None:
    booths = hall("A", 1, 7) + hall("B", 1, 3)
    fixed = [FixedBooth("A1.4", "organiser", "HNI")]
    members = [applicant(i, province="HUE", near_delegation=True) for i in range(4)]
    result = allocate_booths(booths, members, fixed, AllocationPolicy(contiguous_delegations=False))
    assert not result.waitlisted


@pytest.mark.parametrize("default_quota", [None, 2])
def test_over_quota_applications_are_waitlisted_for_quota(default_quota: int | None) -> None:
    booths = hall("A", 2, 5)
    applicants = [applicant(i, province="HNI") for i in range(4)] + [
        applicant(10 + i, province="HUE") for i in range(3)
    ]
    result = allocate_booths(
        booths, applicants, policy=AllocationPolicy(quotas={"HNI": 1}, default_quota=default_quota)
    )
    assert [a for a in result.placed if a.startswith("a") and int(a[1:]) < 10] == ["a0"]
    hue_waiting = 0 if default_quota is None else 1
    assert Counter(result.waitlisted.values()) == Counter({"quota": 3 + hue_waiting})


@pytest.mark.parametrize(("booths", "booth_type"), [(5, "premium"), (1, "corner"), (3, "standard"), (3, "double")])
def test_an_application_no_free_run_fits_is_waitlisted_for_no_booths(booths: int, booth_type: RequestedType) -> None:
    fair = hall("A", 2, 4, premium_rows=(1,)) + hall("B", 1, 3, premium_rows=(1,))
    fixed = [FixedBooth("A2.1", "organiser", "HNI"), FixedBooth("A2.4", "organiser", "HNI")]
    result = allocate_booths(fair, [applicant(0, booths=booths, booth_type=booth_type), applicant(1, booths=2)], fixed)
    assert result.waitlisted == {"a0": "no_booths"}
    assert result.placed["a1"] == ("A2.2", "A2.3")


def test_a_crowded_fair_waitlists_the_rest_as_full() -> None:
    booths = hall("A", 2, 3)
    applicants = [applicant(i, province=PROVINCES[i % 4]) for i in range(10)]
    result = allocate_booths(booths, applicants)
    assert len(result.placed) == 6
    assert result.waitlisted == {f"a{i}": "full" for i in range(6, 10)}


def value(asked: Applicant, booth: BoothSpot, policy: AllocationPolicy, rank: float) -> float:
    """A booth's value to an application, written from the objective in :mod:`matching.allocation`'s docstring."""
    fit = allocation.OPEN_ZONE if not booth.zones else float(asked.group in booth.zones)
    stars = asked.stars / 5 * policy.star_weight if booth.booth_type in ("premium", "corner") else 0.0
    return (
        allocation.PLACE
        + allocation.ZONE * fit
        + allocation.KEEP * (booth.booth_id in asked.previous)
        + allocation.STARS * stars
        + allocation.HALL * (booth.hall in asked.preferred_halls)
        - allocation.ORDER * rank
    )


def brute_force(
    booths: Sequence[BoothSpot], applicants: Sequence[Applicant], fixed: Sequence[FixedBooth], policy: AllocationPolicy
) -> float:
    """The best total value over every assignment of applications to runs, quotas kept."""
    fixed_ids = {f.booth_id for f in fixed}
    free = [b for b in booths if b.booth_id not in fixed_ids]
    ranks = {a.application_id: i / len(applicants) for i, a in enumerate(sorted(applicants, key=lambda a: a.order))}
    options: list[list[tuple[Applicant, list[BoothSpot]] | None]] = [
        [None]
        + [(a, stretch) for stretch in runs(free, a.booths) if allows(a.booth_type, [s.booth_type for s in stretch])]
        for a in applicants
    ]
    held = Counter(f.province for f in fixed)
    best = 0.0
    for choice in itertools.product(*options):
        chosen = [c for c in choice if c is not None]
        used = [s.booth_id for _, stretch in chosen for s in stretch]
        if len(used) != len(set(used)):
            continue
        per_province = Counter()
        for a, stretch in chosen:
            per_province[a.province] += len(stretch)
        if any((q := quota(policy, p)) is not None and n + held[p] > q for p, n in per_province.items()):
            continue
        total = sum(value(a, s, policy, ranks[a.application_id]) for a, stretch in chosen for s in stretch)
        best = max(best, total)
    return best


@pytest.mark.parametrize("seed", range(20))
def test_the_solver_finds_the_brute_force_optimum(seed: int) -> None:
    rng = random.Random(seed)
    booths = hall(
        "A",
        2,
        3,
        premium_rows=rng.sample((1, 2), rng.randint(0, 1)),
        corners=rng.random() < 0.7,
        zones={1: [rng.choice(GROUPS)], 2: rng.sample(GROUPS, rng.randint(0, 2))},
    )
    applicants = [
        applicant(
            i,
            province=rng.choice(PROVINCES[:2]),
            group=rng.choice(GROUPS),
            stars=rng.randint(0, 5),
            booths=rng.choice((1, 1, 2, 3)),
            booth_type=rng.choice(("standard", "standard", "premium", "corner")),
            previous=frozenset(b.booth_id for b in rng.sample(booths, rng.randint(0, 2))),
            preferred_halls=frozenset({"A"}) if rng.random() < 0.3 else frozenset(),
        )
        for i in rng.sample(range(4), 4)
    ]
    fixed = [FixedBooth(b.booth_id, "organiser", "HNI") for b in rng.sample(booths, rng.randint(0, 1))]
    policy = AllocationPolicy(quotas={"HNI": rng.randint(1, 4)}, star_weight=rng.choice((0.0, 0.5, 1.0)))
    result = allocate_booths(booths, applicants, fixed, policy)
    assert result.optimal
    assert result.objective == pytest.approx(brute_force(booths, applicants, fixed, policy), abs=1e-6)
    assert_valid(booths, applicants, fixed, policy, result)


@pytest.mark.parametrize(
    ("zones", "expected"),
    [(("beverage", "", "food"), "A1.3"), (("beverage", "", "handicraft"), "A1.2"), (("", "food", ""), "A1.2")],
)
def test_zone_booth_before_open_booth_before_another_groups_booth(zones: tuple[str, ...], expected: str) -> None:
    booths = hall("A", 1, 3)
    booths = [replace(b, zones=frozenset({zone} - {""})) for b, zone in zip(booths, zones, strict=True)]
    result = allocate_booths(booths, [applicant(0, group="food")])
    assert result.placed["a0"] == (expected,)


def test_pruning_leaves_every_booth_some_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(allocation, "MAX_PLACEMENTS", 16)
    monkeypatch.setattr(allocation, "MIN_PLACEMENTS_EACH", 1)
    booths = hall("A", 1, 4, zones={1: ["food"]}) + hall("B", 1, 4)
    applicants = [applicant(i, group="food") for i in range(8)]
    result = allocate_booths(booths, applicants)
    assert result.candidates < 8 * 8
    assert len(result.placed) == 8


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("contiguous_delegations", [False, True])
def test_pruned_programmes_keep_every_rule(
    monkeypatch: pytest.MonkeyPatch, seed: int, contiguous_delegations: bool
) -> None:
    monkeypatch.setattr(allocation, "MAX_PLACEMENTS", 30)
    monkeypatch.setattr(allocation, "MIN_PLACEMENTS_EACH", 2)
    booths, applicants, fixed, policy = random_fair(seed, contiguous_delegations)
    result = allocate_booths(booths, applicants, fixed, policy)
    assert_valid(booths, applicants, fixed, policy, result)


@pytest.mark.parametrize("seed", range(8))
def test_a_solver_stopped_without_a_solution_still_fills_the_fair(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    monkeypatch.setattr(allocation, "milp", lambda **_: OptimizeResult(x=None, status=1))
    booths, applicants, fixed, policy = random_fair(seed, contiguous_delegations=seed % 2 == 0)
    result = allocate_booths(booths, applicants, fixed, policy)
    assert not result.optimal
    assert_valid(booths, applicants, fixed, policy, result)
    taken = {b for run in result.placed.values() for b in run} | {f.booth_id for f in fixed}
    for asked in applicants:
        if result.waitlisted.get(asked.application_id) == "full":
            free_runs = [
                stretch
                for stretch in runs(booths, asked.booths)
                if all(s.booth_id not in taken for s in stretch)
                and allows(asked.booth_type, [s.booth_type for s in stretch])
            ]
            assert not free_runs, (asked, free_runs)


@pytest.mark.parametrize(
    ("booths", "applicants", "fixed"),
    [
        ([], [], []),
        (hall("A", 1, 2), [], []),
        ([], [applicant(0)], []),
        (hall("A", 1, 2), [applicant(0)], [FixedBooth("A1.1", "e0", "HNI", "a0")]),
    ],
)
def test_nothing_to_place(booths: list[BoothSpot], applicants: list[Applicant], fixed: list[FixedBooth]) -> None:
    result = allocate_booths(booths, applicants, fixed)
    assert result.placed == {f.application_id: (f.booth_id,) for f in fixed if f.application_id}
    assert result.waitlisted == ({"a0": "no_booths"} if applicants and not fixed else {})
