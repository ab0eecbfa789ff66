"""Fewest breaks when every meeting is a must at shared tables: CP-SAT's core-guided search on a clause model.

This is the shape of the B2B brokerage benchmark (Bofill et al., JAIR 2022), where the plain minimisation of
:mod:`matching.meeting_cpsat` proves the optimum's bound but its search rarely reaches it. As in the paper's MaxSAT
approach, the search here climbs from below: CP-SAT's core-based optimisation assumes no gap at all, and each
unsatisfiable core it finds lets one more gap in, so its first schedule is usually optimal. Three things make it
fast (measured on the 20 originals, 2-core machine): the implied cardinalities (each participant busy in exactly as
many slots as it has meetings, at most two participants per shared table in a slot; without them ticf-14crafa found
no zero-break schedule in 15 s, with them in 2 s), pure clause learning without the LP relaxation, and one worker
(with a second, plain-search worker beside it, forum-13crafb ended at 31 breaks instead of its optimum 6). The
weakness is that it has nothing to show until the bound meets a schedule, so the caller keeps a fallback.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from matching.meeting_cpsat import UNPLACED, break_counts
from matching.meeting_domains import SHARED, Compiled, meetings_of

FAIRNESS_MAX_S = 3.0


@dataclass(frozen=True, slots=True)
class CoreOutcome:
    """Slots of the best schedule found, and whether its total breaks are proven minimal."""

    slot_of: list[int]
    proven: bool


@dataclass(slots=True)
class _Model:
    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    gaps: list[list[cp_model.IntVar]] = field(default_factory=list)


def suits_cores(compiled: Compiled) -> bool:
    """Whether the problem has the brokerage shape: only must requests, all at shared tables, some with a slot (the
    searches take the meetings with slots: :func:`matching.meeting_domains.without_unplaceable`)."""
    return (
        bool(compiled.pair)
        and all(compiled.must)
        and all(loc == SHARED for loc in compiled.location)
        and any(compiled.domain)
        and compiled.shared_tables > 0
    )


def solve_cores(
    compiled: Compiled, time_limit_s: float, random_state: int, give_up: threading.Event | None = None
) -> CoreOutcome | None:
    """The schedule with the fewest breaks found in ``time_limit_s``; None if the meetings cannot all be placed (or
    no schedule came out in time, or ``give_up`` was set meanwhile), so that the caller can try otherwise."""
    deadline = time.perf_counter() + time_limit_s
    parts = _build(compiled, meetings_of(compiled))
    parts.model.minimize(sum(g for gaps in parts.gaps for g in gaps))
    solver = _solver(deadline - time.perf_counter(), random_state)
    solver.parameters.optimize_with_core = True
    if give_up is not None:
        threading.Thread(target=_stop_when, args=(give_up, solver, time_limit_s), daemon=True).start()
    status = solver.solve(parts.model)
    if give_up is not None:
        give_up.set()
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return CoreOutcome(_slots(solver, parts, len(compiled.pair)), status == cp_model.OPTIMAL)


def spread_breaks(compiled: Compiled, slot_of: list[int], time_limit_s: float, random_state: int) -> list[int]:
    """The same total breaks as ``slot_of`` with a lower maximum per participant, in a short search from it."""
    deadline = time.perf_counter() + min(FAIRNESS_MAX_S, time_limit_s)
    return _fairer(compiled, _build(compiled, meetings_of(compiled)), slot_of, deadline, random_state)


def _stop_when(event: threading.Event, solver: cp_model.CpSolver, timeout: float) -> None:
    if event.wait(timeout):
        solver.stop_search()


def _solver(seconds: float, random_state: int) -> cp_model.CpSolver:
    """One worker of pure clause learning: fast on these tight timetables, and it reports cores."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 0
    solver.parameters.random_seed = random_state
    return solver


def _slots(solver: cp_model.CpSolver, parts: _Model, n: int) -> list[int]:
    slot_of = [UNPLACED] * n
    for (m, t), var in parts.x.items():
        if solver.boolean_value(var):
            slot_of[m] = t
    return slot_of


def _fairer(compiled: Compiled, parts: _Model, slot_of: list[int], deadline: float, random_state: int) -> list[int]:
    """The same total breaks with a lower maximum per participant, in a short last search from ``slot_of``."""
    seconds = min(FAIRNESS_MAX_S, deadline - time.perf_counter())
    counts = break_counts(compiled, slot_of)
    if seconds <= 0.1 or max(counts, default=0) <= 1:
        return slot_of
    model = parts.model.clone()
    model.add(sum(g for gaps in parts.gaps for g in gaps) <= sum(counts))
    most = model.new_int_var(0, max(counts), "most")
    for gaps in parts.gaps:
        if gaps:
            model.add(most >= sum(gaps))
    model.minimize(most)
    for (m, t), var in parts.x.items():
        model.add_hint(var, slot_of[m] == t)
    solver = _solver(seconds, random_state)
    if solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _slots(solver, parts, len(slot_of))
    return slot_of


def _build(compiled: Compiled, of: list[list[int]]) -> _Model:
    """Every meeting in one allowed slot, tables, precedences, and each participant's gaps with their implied links."""
    parts = _Model(cp_model.CpModel())
    model = parts.model
    by_slot: list[list[cp_model.IntVar]] = [[] for _ in range(compiled.n_slots)]
    for m, domain in enumerate(compiled.domain):
        for t in domain:
            parts.x[m, t] = model.new_bool_var(f"x{m}_{t}")
            by_slot[t].append(parts.x[m, t])
        model.add_exactly_one(parts.x[m, t] for t in domain)
    for here in by_slot:
        if len(here) > compiled.shared_tables:
            model.add(sum(here) <= compiled.shared_tables)
    for earlier, later in compiled.before:
        a = sum(t * parts.x[earlier, t] for t in compiled.domain[earlier])
        b = sum(t * parts.x[later, t] for t in compiled.domain[later])
        model.add(a + 1 <= b)
    present: list[list[cp_model.IntVar]] = [[] for _ in range(compiled.n_slots)]
    for p, meetings in enumerate(of):
        busy, gaps = _participant(model, compiled, p, meetings, parts.x)
        parts.gaps.append(gaps)
        for t, var in busy.items():
            present[t].append(var)
    for here in present:
        if len(here) > 2 * compiled.shared_tables:
            model.add(sum(here) <= 2 * compiled.shared_tables)
    return parts


def _participant(
    model: cp_model.CpModel,
    compiled: Compiled,
    p: int,
    meetings: list[int],
    x: dict[tuple[int, int], cp_model.IntVar],
) -> tuple[dict[int, cp_model.IntVar], list[cp_model.IntVar]]:
    """p's busy slots (exactly as many as its meetings, within its daily cap) and a Boolean per gap that ends in a
    slot: busy now, idle just before, busy earlier in the block. With all its slots in one block, no gap means one
    window of consecutive slots, and a Boolean per window start lets the search choose it outright."""
    busy: dict[int, cp_model.IntVar] = {}
    for t in sorted({t for m in meetings for t in compiled.domain[m]}):
        here = [x[m, t] for m in meetings if (m, t) in x]
        busy[t] = model.new_bool_var(f"y{p}_{t}")
        model.add(sum(here) == busy[t])
    model.add(sum(busy.values()) == len(meetings))
    cap = compiled.day_cap.get(p)
    if cap is not None:
        for day in set(compiled.day):
            on_day = [var for t, var in busy.items() if compiled.day[t] == day]
            if len(on_day) > cap:
                model.add(sum(on_day) <= cap)
    gaps: list[cp_model.IntVar] = []
    seen: cp_model.IntVar | None = None
    for t in range(compiled.n_slots):
        now = busy.get(t)
        if t == 0 or compiled.block[t] != compiled.block[t - 1]:
            seen = now
            continue
        if now is not None and seen is not None:
            gap = model.new_bool_var(f"g{p}_{t}")
            before = busy.get(t - 1)
            model.add(gap >= now + seen - (before if before is not None else 0) - 1)
            gaps.append(gap)
        if now is not None and seen is not None:
            either = model.new_bool_var(f"a{p}_{t}")
            model.add_bool_or([seen, now]).only_enforce_if(either)
            model.add_implication(seen, either)
            model.add_implication(now, either)
            seen = either
        elif now is not None:
            seen = now
    if gaps and len({compiled.block[t] for t in busy}) == 1:
        _windows(model, busy, gaps, len(meetings), f"{p}")
    return busy, gaps


def _windows(
    model: cp_model.CpModel, busy: dict[int, cp_model.IntVar], gaps: list[cp_model.IntVar], count: int, name: str
) -> None:
    """No gap ⇔ exactly one window of ``count`` consecutive busy slots."""
    whole = model.new_bool_var(f"whole{name}")
    for gap in gaps:
        model.add_implication(whole, gap.negated())
    model.add_bool_or([*gaps, whole])
    starts = []
    for s in sorted(busy):
        if all(t in busy for t in range(s, s + count)):
            window = model.new_bool_var(f"w{name}_{s}")
            for t in range(s, s + count):
                model.add_implication(window, busy[t])
            starts.append(window)
    model.add(sum(starts) == whole)
