"""Who meets whom, ignoring when: a maximum-weight b-matching solved by HiGHS through scipy's ``milp``.

Each participant gets at most as many meetings as slots they can take (within their daily caps), each booth at most
its tables times the slots plus what the shared tables can take. Must requests outweigh every suggestion together;
kept meetings are in. On a bipartite graph with degree bounds only this programme is integral, and when slots are
uniform König's theorem lets the edge colouring of :mod:`matching.meeting_greedy` give every chosen meeting a slot.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.meeting_domains import SHARED, Compiled, meetings_of


def select_meetings(compiled: Compiled) -> list[bool]:
    """Whether each meeting is chosen."""
    n = len(compiled.pair)
    candidates = [m for m in range(n) if compiled.domain[m]]
    if not candidates:
        return [False] * n
    column = {m: i for i, m in enumerate(candidates)}
    locations = sorted({compiled.location[m] for m in candidates} - {SHARED})
    width = len(candidates) + len(locations)
    heavy = float(sum(abs(compiled.score[m]) for m in candidates) + 1)
    cost = np.zeros(width)
    for m, i in column.items():
        cost[i] = -(heavy if compiled.must[m] else float(compiled.score[m]))
    rows: list[list[tuple[int, float]]] = []
    upper: list[float] = []
    for p, meetings in enumerate(meetings_of(compiled)):
        mine = [m for m in meetings if m in column]
        room = _room(compiled, p, mine)
        if len(mine) > room:
            rows.append([(column[m], 1.0) for m in mine])
            upper.append(room)
    spill: list[tuple[int, float]] = [(column[m], 1.0) for m in candidates if compiled.location[m] == SHARED]
    for j, loc in enumerate(locations):
        at = [column[m] for m in candidates if compiled.location[m] == loc]
        own = compiled.capacity[loc] * compiled.n_slots
        rows.append([(i, 1.0) for i in at] + [(len(candidates) + j, -1.0)])
        upper.append(own)
        spill.append((len(candidates) + j, 1.0))
    rows.append(spill)
    upper.append(compiled.shared_tables * compiled.n_slots)
    data = [(r, i, v) for r, row in enumerate(rows) for i, v in row]
    matrix = sparse.csr_array(
        ([v for _, _, v in data], ([r for r, _, _ in data], [i for _, i, _ in data])), shape=(len(rows), width)
    )
    lower = np.zeros(width)
    for m in compiled.kept:
        if m in column:
            lower[column[m]] = 1.0
    high = np.concatenate([np.ones(len(candidates)), np.full(len(locations), np.inf)])
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, -np.inf, np.array(upper)),
        bounds=Bounds(lower, high),
        integrality=np.concatenate([np.ones(len(candidates)), np.zeros(len(locations))]),
        options={"time_limit": 10.0},
    )
    chosen = [False] * n
    if result.x is None:
        return [bool(compiled.must[m]) for m in range(n)]
    for m, i in column.items():
        chosen[m] = bool(result.x[i] > 0.5)
    return chosen


def _room(compiled: Compiled, p: int, meetings: list[int]) -> int:
    """How many meetings participant p can hold at most: free slots, within the daily cap."""
    free = {t for m in meetings for t in compiled.domain[m]}
    cap = compiled.day_cap.get(p)
    if cap is None:
        return len(free)
    return sum(min(cap, sum(1 for t in free if compiled.day[t] == day)) for day in set(compiled.day))
