"""Booth allocation as a set-packing integer programme, solved by HiGHS through scipy's ``milp``.

Columns are *placements*: an application on one run of adjacent booths of its type, or a whole delegation on one
serpentine segment (:mod:`matching.booth_runs`). Rows: each booth taken at most once, each application placed at
most once, each province within its quota. The value of a placement, per booth it fills:

- ``PLACE`` for filling a booth at all, so the programme first places as many booths as it can;
- ``ZONE`` × fit: 1 in a booth zoned for the exhibitor's product group, ``OPEN_ZONE`` in an unzoned one, else 0;
- ``KEEP`` for a booth the application already held, so a re-run does not shuffle exhibitors for nothing;
- ``STARS`` × star weight × stars / 5 in a premium or corner booth, so the best products get the best spots;
- ``HALL`` in a hall the application prefers;
- ``DELEGATION`` for a member seated with its delegation;
- minus ``ORDER`` × the application's rank in submission order: first come wins only among equals.

Large fairs keep about ``MAX_PLACEMENTS`` placements: each application's best, each booth's best and those of a
greedy packing over all of them; below that the programme is exact. Should HiGHS stop at its time limit, the better
of its best solution and the greedy packing is taken. ``ZONE`` outweighs ``KEEP``, ``STARS`` and ``HALL`` together,
so a booth outside its zone is only ever given while no zone booth it could take is free. Delegation contiguity is
the documented decomposition: a delegation (members of one province asking to be near it) sits on one segment when
the policy requires it, else members stand alone.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.allocation_model import (
    Allocation,
    AllocationPolicy,
    Applicant,
    BoothSpot,
    FixedBooth,
    WaitlistReason,
)
from matching.booth_runs import Run, delegation_layouts, rows_of, runs_for, serpentine

PLACE = 100.0
ZONE = 20.0
OPEN_ZONE = 0.5
KEEP = 8.0
STARS = 6.0
HALL = 4.0
DELEGATION = 2.0
ORDER = 1e-3
DEFAULT_TIME_LIMIT_S = 10.0
MAX_PLACEMENTS = 10_000
MIN_PLACEMENTS_EACH = 12


@dataclass(frozen=True, slots=True)
class Placement:
    """One column of the programme: applications and their runs, taken together or not at all."""

    runs: dict[str, Run]
    value: float
    province: str
    booths: int


@dataclass(frozen=True, slots=True)
class _BoothTable:
    """The booths as arrays, so that an application's value for every booth is a few vector operations."""

    index: dict[str, int]
    hall: np.ndarray
    starred: np.ndarray
    open: np.ndarray
    zoned: dict[str, np.ndarray]

    @classmethod
    def of(cls, spots: Sequence[BoothSpot]) -> _BoothTable:
        """Indexed hall by hall, row by row, west to east."""
        booths = sorted(spots, key=lambda b: (b.hall, b.row, b.column))
        groups = {group for b in booths for group in b.zones}
        return cls(
            index={b.booth_id: i for i, b in enumerate(booths)},
            hall=np.array([b.hall for b in booths]),
            starred=np.array([b.booth_type in ("premium", "corner") for b in booths]),
            open=np.array([not b.zones for b in booths]),
            zoned={group: np.array([group in b.zones for b in booths]) for group in groups},
        )


def _booth_values(applicant: Applicant, table: _BoothTable, policy: AllocationPolicy, rank: float) -> np.ndarray:
    """The value of giving each booth to ``applicant`` (see the module's docstring)."""
    in_zone = table.zoned.get(applicant.group) if applicant.group is not None else None
    fit = np.where(table.open, OPEN_ZONE, 0.0 if in_zone is None else in_zone.astype(float))
    value = PLACE + ZONE * fit - ORDER * rank
    value[[table.index[b] for b in applicant.previous if b in table.index]] += KEEP
    value += STARS * policy.star_weight * applicant.stars / 5 * table.starred
    value += HALL * np.isin(table.hall, list(applicant.preferred_halls))
    return value


def delegations(applicants: Sequence[Applicant]) -> dict[str, list[Applicant]]:
    """Per province, the applicants that asked to be near their delegation (two or more), premium askers aside."""
    by_province: dict[str, list[Applicant]] = defaultdict(list)
    for applicant in applicants:
        if applicant.near_delegation and applicant.booth_type != "premium":
            by_province[applicant.province].append(applicant)
    return {province: members for province, members in by_province.items() if len(members) >= 2}


def _within_quota(members: Sequence[Applicant], room: int | None) -> list[Applicant]:
    """The delegation's members that fit the province's quota, best rated and earliest first."""
    kept, size = [], 0
    for member in sorted(members, key=lambda m: (-m.stars, m.order)):
        if room is None or size + member.booths <= room:
            kept.append(member)
            size += member.booths
    return kept


@dataclass(frozen=True, slots=True)
class _Options:
    """The ways to place one application, or one delegation together: booths taken (a row per way) and values."""

    applicants: tuple[Applicant, ...]
    layouts: Sequence[Run] | Sequence[dict[str, Run]]
    cover: np.ndarray
    values: np.ndarray

    def placement(self, way: int) -> Placement:
        layout = self.layouts[way]
        runs = layout if isinstance(layout, dict) else {self.applicants[0].application_id: layout}
        return Placement(runs, float(self.values[way]), self.applicants[0].province, self.cover.shape[1])


def _options(
    booths: Sequence[BoothSpot],
    applicants: Sequence[Applicant],
    free: set[str],
    policy: AllocationPolicy,
    room: dict[str, int],
) -> list[_Options]:
    """Every way to place each application, or each delegation that must sit together, on the free booths."""
    table = _BoothTable.of(booths)
    in_order = sorted(applicants, key=lambda a: a.order)
    ranks = {a.application_id: i / max(len(applicants), 1) for i, a in enumerate(in_order)}

    def worth(applicant: Applicant) -> np.ndarray:
        return _booth_values(applicant, table, policy, ranks[applicant.application_id])

    seated = delegations(applicants) if policy.contiguous_delegations else {}
    members = {m.application_id for group in seated.values() for m in group}
    seated = {province: _within_quota(group, room.get(province)) for province, group in seated.items()}
    rows = rows_of(booths)
    runs_by_kind: dict[tuple[int, str], tuple[list[Run], np.ndarray]] = {}
    options: list[_Options] = []
    for a in applicants:
        if a.application_id in members:
            continue
        if (a.booths, a.booth_type) not in runs_by_kind:
            runs = list(runs_for(a, rows, free))
            cover = np.array([[table.index[b] for b in run] for run in runs], dtype=np.intp).reshape(-1, a.booths)
            runs_by_kind[(a.booths, a.booth_type)] = runs, cover
        runs, cover = runs_by_kind[(a.booths, a.booth_type)]
        options.append(_Options((a,), runs, cover, worth(a)[cover].sum(axis=1)))
    halls = serpentine(booths)
    for group in seated.values():
        if len(group) < 2:
            continue
        size = sum(m.booths for m in group)
        worths = {m.application_id: worth(m) for m in group}
        layouts = list(delegation_layouts(group, halls, free))
        cover = np.array(
            [[table.index[b] for run in layout.values() for b in run] for layout in layouts], dtype=np.intp
        ).reshape(-1, size)
        values = np.array([_layout_value(layout, worths, table) for layout in layouts]) + DELEGATION * size
        options.append(_Options(tuple(group), layouts, cover, values))
    return options


def _layout_value(layout: dict[str, Run], worths: dict[str, np.ndarray], table: _BoothTable) -> float:
    return sum(float(worths[a][[table.index[b] for b in run]].sum()) for a, run in layout.items())


def _scatter(owners: np.ndarray, booths: np.ndarray) -> np.ndarray:
    """A fixed pseudo-random order of (owner, booth) pairs (splitmix64), to break ties without favouring anyone."""
    x = (owners.astype(np.uint64) << np.uint64(32)) ^ booths.astype(np.uint64)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _greedy(options: Sequence[_Options], room: dict[str, int]) -> dict[int, int]:
    """A packing over every placement: best value per booth first, equal ones west to east so that they pack tightly,
    each taken while its booths and the quota allow (the way taken per option). Its placements stay among the
    candidates, so the programme never does worse, and it is the answer when HiGHS stops at its time limit with
    nothing better."""
    if not options:
        return {}
    owner = np.concatenate([np.full(len(o.values), i) for i, o in enumerate(options)])
    way = np.concatenate([np.arange(len(o.values)) for o in options])
    per_booth = np.concatenate([o.values / o.cover.shape[1] for o in options])
    first = np.concatenate([o.cover[:, 0] for o in options])
    order = np.lexsort((first, -per_booth))
    taken: set[int] = set()
    used = Counter(dict.fromkeys(room, 0))
    chosen: dict[int, int] = {}
    for i, w in zip(owner[order].tolist(), way[order].tolist(), strict=True):
        option = options[i]
        province, size = option.applicants[0].province, option.cover.shape[1]
        if i in chosen or (province in room and used[province] + size > room[province]):
            continue
        booths = option.cover[w].tolist()
        if taken.isdisjoint(booths):
            chosen[i] = w
            taken.update(booths)
            used[province] += size
    return chosen


def _pruned(options: Sequence[_Options], greedy: dict[int, int]) -> list[Placement]:
    """At most about ``MAX_PLACEMENTS`` columns besides the greedy packing's: half for each application's (or
    delegation's) best placements, half for each booth's best by value per booth, so that no booth is left without
    candidates when everyone prefers the same ones. Equal placements come in a fixed pseudo-random order, so that
    applications of one kind spread over the booths; a booth compares values to the cent, so that the submission
    order does not give every booth the same early applications. Below the bound nothing is dropped and the
    programme is exact."""
    if sum(len(o.values) for o in options) <= MAX_PLACEMENTS:
        return [o.placement(way) for o in options for way in range(len(o.values))]
    best = [
        np.lexsort((_scatter(np.full(len(o.values), i), o.cover[:, 0]), -np.round(o.values, 6)))
        for i, o in enumerate(options)
    ]
    owner_keep = max(MIN_PLACEMENTS_EACH, MAX_PLACEMENTS // (2 * len(options)))
    kept = [{*ways[:owner_keep].tolist(), *([greedy[i]] if i in greedy else [])} for i, ways in enumerate(best)]

    width = [o.cover.shape[1] for o in options]
    owner = np.concatenate([np.full(o.cover.size, i) for i, o in enumerate(options)])
    way = np.concatenate([np.arange(len(o.values)).repeat(n) for o, n in zip(options, width, strict=True)])
    booth = np.concatenate([o.cover.ravel() for o in options])
    per_booth = np.concatenate([(o.values / n).repeat(n) for o, n in zip(options, width, strict=True)])
    by_booth = np.lexsort((_scatter(owner, booth), -np.round(per_booth, 2), booth))
    booth_sorted = booth[by_booth]
    place_in_booth = np.arange(len(by_booth)) - np.searchsorted(booth_sorted, booth_sorted)
    booth_keep = max(MIN_PLACEMENTS_EACH, MAX_PLACEMENTS // (2 * max(len(np.unique(booth)), 1)))
    chosen = by_booth[place_in_booth < booth_keep]
    for i, w in zip(owner[chosen].tolist(), way[chosen].tolist(), strict=True):
        kept[i].add(w)
    return [o.placement(w) for o, ways in zip(options, kept, strict=True) for w in sorted(ways)]


def _quota_room(
    applicants: Sequence[Applicant], fixed: Sequence[FixedBooth], policy: AllocationPolicy
) -> dict[str, int]:
    used = Counter(f.province for f in fixed)
    room = {}
    for province in {a.province for a in applicants}:
        limit = policy.quotas.get(province, policy.default_quota)
        if limit is not None:
            room[province] = max(limit - used[province], 0)
    return room


def allocate_booths(
    booths: Sequence[BoothSpot],
    applicants: Sequence[Applicant],
    fixed: Sequence[FixedBooth] = (),
    policy: AllocationPolicy | None = None,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> Allocation:
    """Place the applications on the free booths, best placement value first, within quotas and around fixed booths.

    Applications that already hold fixed booths are taken as placed there and are not placed again.
    """
    started = time.perf_counter()
    policy = policy or AllocationPolicy()
    holding = {f.application_id for f in fixed if f.application_id}
    open_applicants = [a for a in applicants if a.application_id not in holding]
    free = {b.booth_id for b in booths} - {f.booth_id for f in fixed}
    room = _quota_room(open_applicants, fixed, policy)
    options = _options(booths, open_applicants, free, policy, room)
    greedy = _greedy(options, room)
    placements = _pruned(options, greedy)
    fallback = [options[i].placement(w) for i, w in greedy.items()]
    chosen, optimal, objective = _solve(placements, fallback, open_applicants, sorted(free), room, time_limit_s)

    placed: dict[str, tuple[str, ...]] = {}
    for placement in chosen:
        placed.update(placement.runs)
    placed.update(_held(fixed))
    province_of = {a.application_id: a.province for a in open_applicants}
    used = Counter(dict.fromkeys(room, 0))
    for application, run in placed.items():
        if application in province_of:
            used[province_of[application]] += len(run)
    members = {m.application_id for group in delegations(open_applicants).values() for m in group}
    candidates = Counter(a for placement in placements for a in placement.runs)
    waitlisted: dict[str, WaitlistReason] = {}
    for applicant in open_applicants:
        if applicant.application_id in placed:
            continue
        if applicant.province in room and used[applicant.province] + applicant.booths > room[applicant.province]:
            waitlisted[applicant.application_id] = "quota"
        elif policy.contiguous_delegations and applicant.application_id in members:
            waitlisted[applicant.application_id] = "delegation"
        elif not candidates[applicant.application_id]:
            waitlisted[applicant.application_id] = "no_booths"
        else:
            waitlisted[applicant.application_id] = "full"
    return Allocation(
        placed=placed,
        waitlisted=waitlisted,
        objective=objective,
        optimal=optimal,
        solve_ms=(time.perf_counter() - started) * 1000,
        candidates=len(placements),
    )


def _held(fixed: Sequence[FixedBooth]) -> dict[str, tuple[str, ...]]:
    held: dict[str, list[str]] = defaultdict(list)
    for booth in fixed:
        if booth.application_id:
            held[booth.application_id].append(booth.booth_id)
    return {application: tuple(sorted(ids)) for application, ids in held.items()}


def _solve(
    placements: Sequence[Placement],
    fallback: list[Placement],
    applicants: Sequence[Applicant],
    free: Sequence[str],
    room: dict[str, int],
    time_limit_s: float,
) -> tuple[list[Placement], bool, float]:
    if not placements:
        return [], True, 0.0
    booth_row = {b: i for i, b in enumerate(free)}
    applicant_row = {a.application_id: len(booth_row) + i for i, a in enumerate(applicants)}
    quota_row = {p: len(booth_row) + len(applicant_row) + i for i, p in enumerate(sorted(room))}
    rows, columns, values = [], [], []
    for column, placement in enumerate(placements):
        for application, run in placement.runs.items():
            rows.append(applicant_row[application])
            columns.append(column)
            values.append(1.0)
            for booth in run:
                rows.append(booth_row[booth])
                columns.append(column)
                values.append(1.0)
        if placement.province in quota_row:
            rows.append(quota_row[placement.province])
            columns.append(column)
            values.append(float(placement.booths))
    upper = np.ones(len(booth_row) + len(applicant_row) + len(quota_row))
    for province, row in quota_row.items():
        upper[row] = room[province]
    matrix = sparse.csr_array((values, (rows, columns)), shape=(len(upper), len(placements)))
    result = milp(
        c=-np.array([p.value for p in placements]),
        constraints=LinearConstraint(matrix, -np.inf, upper),
        integrality=np.ones(len(placements)),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit_s, "mip_rel_gap": 1e-6},
    )
    found = [] if result.x is None else [placements[int(i)] for i in np.flatnonzero(result.x > 0.5)]
    optimal = bool(result.status == 0)
    chosen = found if optimal else max(found, fallback, key=lambda c: sum(p.value for p in c))
    return chosen, optimal, float(sum(p.value for p in chosen))
