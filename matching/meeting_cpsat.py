"""The exact scheduler: OR-Tools CP-SAT over meeting × slot Booleans, solved lexicographically in stages.

Stages: (1) place as many must requests as possible (skipped when the warm start places them all: then they are
hard); (2) the highest total score of suggestions; (3) the fewest breaks; (4) the lowest maximum breaks of one
participant, in a short last share of the time. Each stage keeps what the earlier ones reached and starts from
their solution as a complete hint (CP-SAT drops partial hints it cannot repair quickly).

Breaks of a participant p in a block b (see :mod:`matching.meeting_model`) are counted exactly as
``meetings − adjacent busy pairs − [p meets in b]``. What makes the model prove and find optima is the implied
link to p's span in b: with ``first`` and ``last`` the slots of p's first and last meeting there, the idle slots
``last − first + 1 − meetings`` are at least the breaks, and no break means no idle slot, so a participant held to
zero breaks must sit in one window of consecutive slots, which propagates from either end. When a participant's
number of meetings is known, a Boolean per window start names that window outright (measured on forum-13: 20 s
of search ended at 1 break with them, at 4 without; a home-made LNS over participants' meetings did worse, 20).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from matching.meeting_domains import SHARED, Compiled, meetings_of

UNPLACED = -1
FAIRNESS_SHARE = 0.1
FAIRNESS_MAX_S = 3.0


@dataclass(slots=True)
class Outcome:
    """The best slots found (UNPLACED if none), whether every stage was proven, and the proven must optimum."""

    slot_of: list[int]
    proven: bool
    found: bool
    must_optimum: int | None = None


@dataclass(slots=True)
class _Model:
    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    placed: list[cp_model.IntVar] = field(default_factory=list)
    breaks: list[cp_model.IntVar] = field(default_factory=list)
    max_breaks: cp_model.IntVar | None = None
    break_bound: int = 0
    windows: list[cp_model.IntVar] = field(default_factory=list)


def solve_exact(compiled: Compiled, hint: list[int], time_limit_s: float, random_state: int) -> Outcome:
    """Run the stages within ``time_limit_s``; ``hint`` is a warm start (slot per meeting, UNPLACED if none)."""
    deadline = time.perf_counter() + time_limit_s
    n = len(compiled.pair)
    placeable_must = [m for m in range(n) if compiled.must[m] and compiled.domain[m]]
    best = list(hint)
    proven = True
    must_optimum: int | None = None
    if all(best[m] != UNPLACED for m in placeable_must):
        parts = _build(compiled, forced=True)
        must_optimum = len(placeable_must)
    else:
        parts = _build(compiled, forced=False)
        objective = sum(compiled.weight[m] * parts.placed[m] for m in placeable_must)
        parts.model.maximize(objective)
        status, best = _run(parts, best, deadline, 0.5, random_state)
        proven = status == cp_model.OPTIMAL
        reached = sum(1 for m in placeable_must if best[m] != UNPLACED)
        weighed = sum(compiled.weight[m] for m in placeable_must if best[m] != UNPLACED)
        if proven or reached == len(placeable_must):
            must_optimum = reached
        if reached == len(placeable_must):
            parts = _build(compiled, forced=True)
        else:
            parts.model.add(objective >= weighed)
    model = parts.model
    suggestions = [m for m in range(n) if not compiled.must[m] and compiled.domain[m]]
    if suggestions:
        score = sum(compiled.score[m] * parts.placed[m] for m in suggestions)
        model.maximize(score)
        status, best = _run(parts, best, deadline, 0.5, random_state)
        proven = proven and status == cp_model.OPTIMAL
        model.add(score >= sum(compiled.score[m] for m in suggestions if best[m] != UNPLACED))
    if parts.breaks and parts.max_breaks is not None:
        total = sum(parts.breaks)
        model.minimize(total)
        reserve = min(FAIRNESS_SHARE * time_limit_s, FAIRNESS_MAX_S)
        status, best = _run(parts, best, deadline - reserve, 1.0, random_state)
        proven = proven and status == cp_model.OPTIMAL
        model.add(total <= sum(break_counts(compiled, best)))
        model.minimize(parts.max_breaks)
        status, best = _run(parts, best, deadline, 1.0, random_state)
        proven = proven and status == cp_model.OPTIMAL
    return Outcome(best, proven, any(t != UNPLACED for t in best), must_optimum)


def break_counts(compiled: Compiled, slot_of: list[int]) -> list[int]:
    """Breaks of each participant in a schedule."""
    counts = []
    block = compiled.block
    for meetings in meetings_of(compiled):
        times = sorted(slot_of[m] for m in meetings if slot_of[m] != UNPLACED)
        counts.append(sum(1 for a, b in itertools.pairwise(times) if block[a] == block[b] and b != a + 1))
    return counts


def _run(
    parts: _Model, hint: list[int], deadline: float, share: float, random_state: int
) -> tuple[cp_model.CpSolverStatus, list[int]]:
    """Solve the current stage with a share of the time left; keep the hint if nothing better comes out."""
    model = parts.model
    model.proto.clear_solution_hint()
    full = complete_hint(model, parts.x, hint)
    if full is None:
        for (m, t), var in parts.x.items():
            model.add_hint(var, 1 if hint[m] == t else 0)
    else:
        proto = model.proto
        proto.solution_hint.vars.extend(range(len(full)))
        proto.solution_hint.values.extend(full)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, (deadline - time.perf_counter()) * share)
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = random_state
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, hint
    slot_of = [UNPLACED] * len(hint)
    for (m, t), var in parts.x.items():
        if solver.boolean_value(var):
            slot_of[m] = t
    return status, slot_of


def pinned(
    model: cp_model.CpModel, x: dict[tuple[int, int], cp_model.IntVar], slot_of: list[int], free: set[int]
) -> cp_model.CpModel:
    """A copy of the model with every meeting outside ``free`` held to its slot in ``slot_of``."""
    sub = model.clone()
    variables = sub.proto.variables
    for (m, t), var in x.items():
        if m not in free:
            value = 1 if slot_of[m] == t else 0
            domain = variables[var.index].domain
            domain[0] = value
            domain[1] = value
    return sub


def complete_hint(
    model: cp_model.CpModel, x: dict[tuple[int, int], cp_model.IntVar], hint: list[int]
) -> list[int] | None:
    """Values of every variable for the schedule ``hint`` (counts, spans, breaks), found by propagation alone.

    CP-SAT only trusts a complete hint; one that names the slots but not the break counts is often dropped.
    """
    fixed = pinned(model, x, hint, set())
    fixed.proto.clear_objective()
    fixed.proto.clear_solution_hint()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 5.0
    solver.parameters.num_workers = 1
    if solver.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [int(v) for v in solver.response_proto.solution]


def _build(compiled: Compiled, forced: bool) -> _Model:
    """Variables and hard constraints, and the break counts the last stages minimise; ``forced``: every must
    request that has a slot is placed (known feasible), which fixes meeting counts and allows window Booleans."""
    model = cp_model.CpModel()
    parts = _Model(model)
    n = len(compiled.pair)
    by_slot: list[list[int]] = [[] for _ in range(compiled.n_slots)]
    for m in range(n):
        for t in compiled.domain[m]:
            parts.x[m, t] = model.new_bool_var(f"x{m}_{t}")
            by_slot[t].append(m)
        placed = model.new_bool_var(f"placed{m}")
        model.add(sum(parts.x[m, t] for t in compiled.domain[m]) == placed)
        parts.placed.append(placed)
    for m, t in compiled.kept.items():
        model.add(parts.x[m, t] == 1)
    if forced:
        for m in range(n):
            if compiled.must[m] and compiled.domain[m]:
                model.add(parts.placed[m] == 1)
    _tables(compiled, parts, by_slot)
    for earlier, later in compiled.before:
        a = sum(t * parts.x[earlier, t] for t in compiled.domain[earlier])
        b = sum(t * parts.x[later, t] for t in compiled.domain[later])
        model.add(a + 1 <= b).only_enforce_if([parts.placed[earlier], parts.placed[later]])
    for p, meetings in enumerate(meetings_of(compiled)):
        _participant(compiled, parts, p, meetings, forced)
    return parts


def _tables(compiled: Compiled, parts: _Model, by_slot: list[list[int]]) -> None:
    """Each booth within its tables, the overflow and the meetings without a booth within the shared tables."""
    model = parts.model
    for t, meetings in enumerate(by_slot):
        at: dict[int, list[int]] = {}
        for m in meetings:
            at.setdefault(compiled.location[m], []).append(m)
        spill: list[cp_model.LinearExprT] = [parts.x[m, t] for m in at.pop(SHARED, [])]
        for loc, here in at.items():
            cap = compiled.capacity[loc]
            if len(here) <= cap:
                continue
            count = sum(parts.x[m, t] for m in here)
            if compiled.shared_tables <= 0:
                model.add(count <= cap)
                continue
            over = model.new_int_var(0, len(here) - cap, f"over{loc}_{t}")
            model.add(over >= count - cap)
            spill.append(over)
        if spill and len(spill) > compiled.shared_tables:
            model.add(sum(spill) <= compiled.shared_tables)


def _participant(compiled: Compiled, parts: _Model, p: int, meetings: list[int], forced: bool) -> None:
    """One meeting per slot, the daily cap, and the exact breaks with their span link."""
    model = parts.model
    busy: dict[int, cp_model.IntVar] = {}
    slots = sorted({t for m in meetings for t in compiled.domain[m]})
    for t in slots:
        here = [parts.x[m, t] for m in meetings if (m, t) in parts.x]
        if len(here) == 1:
            busy[t] = here[0]
        else:
            busy[t] = model.new_bool_var(f"y{p}_{t}")
            model.add(sum(here) == busy[t])
    cap = compiled.day_cap.get(p)
    if cap is not None:
        for day in set(compiled.day):
            on_day = [busy[t] for t in slots if compiled.day[t] == day]
            if len(on_day) > cap:
                model.add(sum(on_day) <= cap)
    if len(meetings) < 2:
        return
    per_block: dict[int, list[int]] = {}
    for t in slots:
        per_block.setdefault(compiled.block[t], []).append(t)
    total: list[cp_model.IntVar] = []
    for ts in per_block.values():
        if len(ts) < 2:
            continue
        known = forced and len(per_block) == 1 and all(compiled.must[m] and compiled.domain[m] for m in meetings)
        fixed = len(meetings) if known else None
        total.append(_block_breaks(model, busy, ts, f"{p}_{ts[0]}", fixed, parts.windows))
    if not total:
        return
    bound = len(meetings) - 1
    parts.break_bound = max(parts.break_bound, bound)
    mine = model.new_int_var(0, bound, f"breaks{p}")
    model.add(mine == sum(total))
    parts.breaks.append(mine)
    if parts.max_breaks is None:
        parts.max_breaks = model.new_int_var(0, compiled.n_slots, "max_breaks")
    model.add(parts.max_breaks >= mine)


def _block_breaks(
    model: cp_model.CpModel,
    busy: dict[int, cp_model.IntVar],
    ts: list[int],
    name: str,
    fixed: int | None,
    windows: list[cp_model.IntVar],
) -> cp_model.IntVar:
    """Breaks of one participant in one block of slots ``ts``, linked to its span there.

    When the participant's number of meetings is known (``fixed``, all must and all in this block), no break means
    one window of that many slots: a Boolean per possible window start makes that choice explicit to the search.
    """
    joined = []
    for a, b in itertools.pairwise(ts):
        if b == a + 1:
            z = model.new_bool_var(f"z{name}_{a}")
            model.add_implication(z, busy[a])
            model.add_implication(z, busy[b])
            joined.append(z)
    used = model.new_bool_var(f"u{name}")
    for t in ts:
        model.add_implication(busy[t], used)
    model.add_bool_or([busy[t] for t in ts]).only_enforce_if(used)
    count = sum(busy[t] for t in ts)
    breaks = model.new_int_var(0, len(ts), f"b{name}")
    model.add(breaks == count - sum(joined) - used)
    first = model.new_int_var(ts[0], ts[-1], f"first{name}")
    last = model.new_int_var(ts[0] - 1, ts[-1], f"last{name}")
    for t in ts:
        model.add(first <= t).only_enforce_if(busy[t])
        model.add(last >= t).only_enforce_if(busy[t])
    model.add(last - first + 1 - count >= breaks)
    tight = model.new_bool_var(f"tight{name}")
    model.add(last - first + 1 == count).only_enforce_if(tight)
    model.add(breaks >= 1).only_enforce_if(tight.negated())
    if fixed is not None:
        present = set(ts)
        starts = [s for s in ts if all(t in present for t in range(s, s + fixed))]
        mine = []
        for s in starts:
            w = model.new_bool_var(f"w{name}_{s}")
            for t in range(s, s + fixed):
                model.add_implication(w, busy[t])
            model.add(first == s).only_enforce_if(w)
            mine.append(w)
        model.add(sum(mine) == tight)
        windows.extend(mine)
    return breaks
