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

Large fairs keep each application's best placements only (``MAX_PLACEMENTS`` in all); below that the
programme is exact. ``ZONE`` outweighs ``KEEP``, ``STARS`` and ``HALL`` together, so a booth outside its zone is only ever given while
no zone booth it could take is free. Delegation contiguity is the documented decomposition: a delegation (members
of one province asking to be near it) sits on one segment when the policy requires it, else members stand alone.
"""

from __future__ import annotations

import time
import zlib
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
MAX_PLACEMENTS = 40_000
MIN_PLACEMENTS_EACH = 12


@dataclass(frozen=True, slots=True)
class Placement:
    """One column of the programme: applications and their runs, taken together or not at all."""

    runs: dict[str, Run]
    value: float
    province: str
    booths: int


def booth_value(applicant: Applicant, booth: BoothSpot, policy: AllocationPolicy, rank: float) -> float:
    """The value of giving ``booth`` to ``applicant`` (see the module's docstring)."""
    fit = OPEN_ZONE if not booth.zones else 1.0 if applicant.group in booth.zones else 0.0
    value = PLACE + ZONE * fit - ORDER * rank
    if booth.booth_id in applicant.previous:
        value += KEEP
    if booth.booth_type in ("premium", "corner"):
        value += STARS * policy.star_weight * applicant.stars / 5
    if booth.hall in applicant.preferred_halls:
        value += HALL
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


def _placements(
    booths: Sequence[BoothSpot],
    applicants: Sequence[Applicant],
    free: set[str],
    policy: AllocationPolicy,
    room: dict[str, int],
) -> list[Placement]:
    spots = {b.booth_id: b for b in booths}
    in_order = sorted(applicants, key=lambda a: a.order)
    ranks = {a.application_id: i / max(len(applicants), 1) for i, a in enumerate(in_order)}
    by_id = {a.application_id: a for a in applicants}

    def value_of(runs: dict[str, Run]) -> float:
        return sum(booth_value(by_id[a], spots[b], policy, ranks[a]) for a, run in runs.items() for b in run)

    seated = delegations(applicants) if policy.contiguous_delegations else {}
    members = {m.application_id for group in seated.values() for m in group}
    seated = {province: _within_quota(group, room.get(province)) for province, group in seated.items()}
    rows = rows_of(booths)
    placements = [
        Placement({a.application_id: run}, value_of({a.application_id: run}), a.province, a.booths)
        for a in applicants
        if a.application_id not in members
        for run in runs_for(a, rows, free)
    ]
    halls = serpentine(booths)
    for province, group in seated.items():
        size = sum(m.booths for m in group)
        if len(group) < 2:
            continue
        for layout in delegation_layouts(group, halls, free):
            placements.append(Placement(layout, value_of(layout) + DELEGATION * size, province, size))
    return _pruned(placements)


def _pruned(placements: list[Placement]) -> list[Placement]:
    """At most ``MAX_PLACEMENTS`` columns: each application (or delegation) keeps its best placements, equal ones
    picked by a hash of the booths so that applications of one kind spread over the booths rather than all keep
    the same few. Below the bound nothing is dropped and the programme is exact."""
    if len(placements) <= MAX_PLACEMENTS:
        return placements
    by_owner: dict[str, list[Placement]] = defaultdict(list)
    for placement in placements:
        by_owner[min(placement.runs)].append(placement)
    keep = max(MIN_PLACEMENTS_EACH, MAX_PLACEMENTS // len(by_owner))
    kept: list[Placement] = []
    for owner, own in by_owner.items():
        own.sort(key=lambda p: (-round(p.value, 6), zlib.crc32(f"{owner}{sorted(p.runs.values())}".encode())))
        kept.extend(own[:keep])
    return kept


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
    placements = _placements(booths, open_applicants, free, policy, room)
    chosen, optimal, objective = _solve(placements, open_applicants, sorted(free), room, time_limit_s)

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
    if result.x is None:
        return [], False, 0.0
    chosen = [placements[int(i)] for i in np.flatnonzero(result.x > 0.5)]
    return chosen, bool(result.status == 0), float(sum(p.value for p in chosen))
