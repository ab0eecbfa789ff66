"""Fewest breaks for the brokerage shape by a SAT descent: solve, count the breaks, ask for one fewer, until refused.

The core-guided search of :mod:`matching.meeting_cores` climbs from below and has nothing to show until its bound
meets a schedule. On the crafted brokerage instances whose tables are tight (tic-13crafc, forum-13crafc and
ticf-13crafc of Bofill et al.) it neither proves nor finds in a minute. This search comes from above instead, as
the paper's MaxSAT runs do: the same clause model (meetings in slots, tables, precedences, busy slots with their
implied counts, a literal per gap, one window per gapless participant) goes to an incremental SAT solver with a
totalizer over the gap literals; each call asks for fewer breaks than the last schedule had and starts from that
schedule's phases with every gap off, so the solver repairs rather than restarts. An unsatisfiable call proves the
last schedule optimal. Measured on the 2-core machine: tic-13crafc reaches its optimum 4 and proves it in 8 s,
forum-13crafc and ticf-13crafc reach 2 breaks (optimum 1) in 35–45 s.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.formula import IDPool
from pysat.solvers import Solver

from matching.meeting_cores import CoreOutcome
from matching.meeting_cpsat import UNPLACED, break_counts
from matching.meeting_domains import Compiled, meetings_of

SOLVER = "cadical195"
FIRST_CONFLICTS = 10_000
MAX_CHUNK_S = 4.0


class _Clauses:
    """A growing CNF with named variables."""

    def __init__(self) -> None:
        self.pool: Any = IDPool()
        self.clauses: list[list[int]] = []

    def var(self, *key: object) -> int:
        return int(self.pool.id(key))

    def at_most(self, lits: list[int], bound: int) -> None:
        if len(lits) > bound:
            self.clauses += CardEnc.atmost(lits=lits, bound=bound, vpool=self.pool, encoding=EncType.seqcounter).clauses

    def exactly(self, lits: list[int], bound: int) -> None:
        if bound > len(lits):
            never = self.var("never")
            self.clauses += [[never], [-never]]
            return
        self.clauses += CardEnc.equals(lits=lits, bound=bound, vpool=self.pool, encoding=EncType.totalizer).clauses


def solve_descent(
    compiled: Compiled, time_limit_s: float, give_up: threading.Event | None = None
) -> CoreOutcome | None:
    """The schedule with the fewest breaks reached in ``time_limit_s`` (or until ``give_up`` is set), proven when a
    call for fewer is refused; None if no schedule came out or the meetings cannot all be placed. Sets ``give_up``
    when it ends."""
    stop = give_up if give_up is not None else threading.Event()
    deadline = time.perf_counter() + time_limit_s
    cnf = _Clauses()
    gaps, wholes = _encode(compiled, cnf)
    try:
        return _descend(compiled, cnf, gaps, wholes, deadline, stop)
    finally:
        stop.set()


def _descend(
    compiled: Compiled, cnf: _Clauses, gaps: list[int], wholes: list[int], deadline: float, stop: threading.Event
) -> CoreOutcome | None:
    totalizer: Any = ITotalizer(lits=gaps, ubound=len(gaps), top_id=cnf.pool.top) if gaps else None
    best: list[int] | None = None
    with Solver(name=SOLVER, bootstrap_with=cnf.clauses + (totalizer.cnf.clauses if totalizer else [])) as solver:
        solver.set_phases([-g for g in gaps] + wholes)
        assumptions: list[int] = []
        while time.perf_counter() < deadline:
            answer = _solve(solver, assumptions, deadline, stop)
            if answer is None:
                break
            if answer is False:
                return None if best is None else CoreOutcome(best, proven=True)
            model: list[int] = solver.get_model()
            best = _slots(compiled, cnf, model)
            used = sum(break_counts(compiled, best))
            if used == 0:
                return CoreOutcome(best, proven=True)
            solver.set_phases([-g for g in gaps] + model)
            assumptions = [-totalizer.rhs[used - 1]]
    return None if best is None else CoreOutcome(best, proven=False)


def _solve(solver: Any, assumptions: list[int], deadline: float, stop: threading.Event) -> bool | None:
    """True, False (unsatisfiable) or None (out of time, or told to stop). CaDiCaL cannot be interrupted from another
    thread through PySAT, so the call runs in budgets of conflicts that double (each restart of a budget costs some
    progress) up to about ``MAX_CHUNK_S`` seconds, so that a stop is heard within that time."""
    budget = FIRST_CONFLICTS
    while not stop.is_set() and (left := deadline - time.perf_counter()) > 0:
        started = time.perf_counter()
        solver.conf_budget(budget)
        answer: bool | None = solver.solve_limited(assumptions=assumptions)
        if answer is not None:
            return answer
        per_second = budget / max(time.perf_counter() - started, 1e-3)
        budget = max(FIRST_CONFLICTS, int(min(2 * budget, per_second * min(MAX_CHUNK_S, left))))
    return None


def _slots(compiled: Compiled, cnf: _Clauses, model: list[int]) -> list[int]:
    slot_of = [UNPLACED] * len(compiled.pair)
    for m, domain in enumerate(compiled.domain):
        for t in domain:
            if model[cnf.var("x", m, t) - 1] > 0:
                slot_of[m] = t
    return slot_of


def _encode(compiled: Compiled, cnf: _Clauses) -> tuple[list[int], list[int]]:
    """Clauses of the schedule; the gap literals (one per possible gap) and each participant's "no gap" literal."""
    by_slot: list[list[int]] = [[] for _ in range(compiled.n_slots)]
    for m, domain in enumerate(compiled.domain):
        here = [cnf.var("x", m, t) for t in domain]
        cnf.clauses.append(here)
        cnf.at_most(here, 1)
        for t, lit in zip(domain, here, strict=True):
            by_slot[t].append(lit)
    for lits in by_slot:
        cnf.at_most(lits, compiled.shared_tables)
    for earlier, later in compiled.before:
        for t_later in compiled.domain[later]:
            for t_earlier in compiled.domain[earlier]:
                if t_earlier >= t_later:
                    cnf.clauses.append([-cnf.var("x", earlier, t_earlier), -cnf.var("x", later, t_later)])
    present: list[list[int]] = [[] for _ in range(compiled.n_slots)]
    gaps: list[int] = []
    wholes: list[int] = []
    for p, meetings in enumerate(meetings_of(compiled)):
        busy = _busy(compiled, cnf, p, meetings)
        for t, lit in busy.items():
            present[t].append(lit)
        own = _gaps(compiled, cnf, p, busy)
        gaps += own
        if own and len({compiled.block[t] for t in busy}) == 1:
            wholes.append(_windows(cnf, p, busy, own, len(meetings)))
    for lits in present:
        cnf.at_most(lits, 2 * compiled.shared_tables)
    return gaps, wholes


def _busy(compiled: Compiled, cnf: _Clauses, p: int, meetings: list[int]) -> dict[int, int]:
    """p's busy literal per slot (busy ⇔ one of its meetings is there, never two), exactly as many as meetings, and
    within its daily cap."""
    busy: dict[int, int] = {}
    for t in sorted({t for m in meetings for t in compiled.domain[m]}):
        here = [cnf.var("x", m, t) for m in meetings if t in compiled.domain[m]]
        busy[t] = cnf.var("busy", p, t)
        cnf.at_most(here, 1)
        cnf.clauses.append([-busy[t], *here])
        cnf.clauses += [[-lit, busy[t]] for lit in here]
    cnf.exactly(list(busy.values()), len(meetings))
    cap = compiled.day_cap.get(p)
    if cap is not None:
        for day in set(compiled.day):
            cnf.at_most([lit for t, lit in busy.items() if compiled.day[t] == day], cap)
    return busy


def _gaps(compiled: Compiled, cnf: _Clauses, p: int, busy: dict[int, int]) -> list[int]:
    """A literal per slot where a gap may end: forced on when p is busy there, idle just before, and was busy
    earlier in the block (a running "seen" literal per slot carries the last part)."""
    gaps: list[int] = []
    seen: int | None = None
    for t in range(compiled.n_slots):
        now = busy.get(t)
        if t == 0 or compiled.block[t] != compiled.block[t - 1]:
            seen = now
            continue
        if now is None:
            continue
        if seen is not None:
            gap = cnf.var("gap", p, t)
            before = busy.get(t - 1)
            cnf.clauses.append([gap, -now, -seen, *([before] if before is not None else [])])
            gaps.append(gap)
            either = cnf.var("seen", p, t)
            cnf.clauses += [[-either, seen, now], [-seen, either], [-now, either]]
            seen = either
        else:
            seen = now
    return gaps


def _windows(cnf: _Clauses, p: int, busy: dict[int, int], gaps: list[int], count: int) -> int:
    """No gap ⇔ one window of ``count`` consecutive busy slots; returns the "no gap" literal."""
    whole = cnf.var("whole", p)
    cnf.clauses += [[-whole, -gap] for gap in gaps]
    cnf.clauses.append([*gaps, whole])
    starts = []
    for s in sorted(busy):
        if all(t in busy for t in range(s, s + count)):
            start = cnf.var("window", p, s)
            cnf.clauses += [[-start, busy[t]] for t in range(s, s + count)]
            starts.append(start)
    cnf.clauses.append([-whole, *starts])
    cnf.at_most(starts, 1)
    return whole
