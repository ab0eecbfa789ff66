"""Schedule buyer–exhibitor meetings into time slots: who meets whom when, at which booth's tables.

Objective, in lexicographic order: place every must request (else as many as possible, each one left out with a
reason); then suggestions, highest total score first; then the fewest breaks; then the lowest maximum breaks of one
participant. A greedy pass (:mod:`matching.meeting_greedy`) gives a first schedule in milliseconds; the exact model
(:mod:`matching.meeting_cpsat`) improves it within the time limit. When every meeting is a must at shared tables
(a brokerage event), a core-guided search (:mod:`matching.meeting_cores`) and a SAT descent
(:mod:`matching.meeting_sat`) race with most of the time: they reach the proven fewest breaks where the staged model
stalls, and the staged model takes over only if neither finds a schedule.
Problems too large for the exact model (the fair's open "speed dating" with thousands of suggestions) are
decomposed instead: a maximum-weight b-matching chooses
who meets (:mod:`matching.meeting_selection`), the greedy edge colouring gives them slots, and the exact model
then only reorders slots per participant where it pays.
"""

from __future__ import annotations

import os
import threading
import time

from matching.meeting_cores import CoreOutcome, solve_cores, spread_breaks, suits_cores
from matching.meeting_cpsat import UNPLACED, break_counts, solve_exact
from matching.meeting_domains import Compiled, compile_problem, meetings_of, precedence_cycle, without_unplaceable
from matching.meeting_greedy import greedy_board, placement_order
from matching.meeting_model import (
    MeetingProblem,
    MeetingRequest,
    MeetingSchedule,
    MeetingSlot,
    ScheduleStatus,
    buyer_key,
    exhibitor_key,
    participant_breaks,
)
from matching.meeting_sat import solve_descent
from matching.meeting_selection import select_meetings

__all__ = [
    "MeetingProblem",
    "MeetingRequest",
    "MeetingSchedule",
    "MeetingSlot",
    "buyer_key",
    "exhibitor_key",
    "schedule_meetings",
]

EXACT_MAX_CELLS = 60_000
BROKERAGE_SHARE = 0.9
FAIRNESS_RESERVE_S = 2.0
NICER = 10


def schedule_meetings(problem: MeetingProblem, time_limit_s: float = 30.0, random_state: int = 0) -> MeetingSchedule:
    """The best schedule found within ``time_limit_s``; never raises for an infeasible problem, only for malformed
    input (``ValueError``)."""
    started = time.perf_counter()
    compiled = compile_problem(problem)
    cells = sum(len(d) for d in compiled.domain)
    compact = (
        _brokerage(compiled, BROKERAGE_SHARE * time_limit_s, random_state)
        if cells <= EXACT_MAX_CELLS and suits_cores(compiled)
        else None
    )
    placeable = sum(1 for m in range(len(compiled.pair)) if compiled.domain[m])
    must_optimum: int | None
    if compact is not None:
        slot_of, proven, must_optimum = compact.slot_of, compact.proven, placeable
    elif cells <= EXACT_MAX_CELLS:
        hint = greedy_board(compiled).slot_of
        left = time_limit_s - (time.perf_counter() - started)
        outcome = solve_exact(compiled, hint, max(left, 0.1 * time_limit_s), random_state)
        slot_of, proven, must_optimum = outcome.slot_of, outcome.proven, outcome.must_optimum
    else:
        chosen = select_meetings(compiled)
        order = [m for m in placement_order(compiled) if chosen[m]]
        order += [m for m in placement_order(compiled) if not chosen[m]]
        slot_of, proven, must_optimum = greedy_board(compiled, order).slot_of, False, None
    return _schedule(compiled, slot_of, proven, must_optimum, time.perf_counter() - started)


def _brokerage(compiled: Compiled, time_limit_s: float, random_state: int) -> CoreOutcome | None:
    """Two searches side by side, one per core, the first proof ending both: CP-SAT's core-guided search climbs from
    below and proves most brokerage events in seconds; the SAT descent comes from above, at a lower priority, and is
    the one that reaches the tight-table ones. The better schedule (a proven one first) then gets its breaks spread
    more fairly."""
    deadline = time.perf_counter() + time_limit_s
    whole = compiled
    compiled, original = without_unplaceable(compiled)
    give_up = threading.Event()
    seconds = time_limit_s - FAIRNESS_RESERVE_S
    outcomes: dict[str, CoreOutcome | None] = {}

    def climb() -> None:
        outcomes["below"] = solve_cores(compiled, seconds, random_state, give_up)

    def descend() -> None:
        _lower_priority()
        outcomes["above"] = solve_descent(compiled, seconds, give_up)

    searches = [
        threading.Thread(target=climb, name="meeting-cores"),
        threading.Thread(target=descend, name="meeting-sat"),
    ]
    for search in searches:
        search.start()
    for search in searches:
        search.join()
    from_below, from_above = outcomes.get("below"), outcomes.get("above")
    found = [o for o in (from_below, from_above) if o is not None]
    if not found:
        return None
    best = min(found, key=lambda o: (not o.proven, sum(break_counts(compiled, o.slot_of))))
    proven = any(o.proven for o in found)
    left = deadline - time.perf_counter()
    spread = spread_breaks(compiled, best.slot_of, left, random_state)
    slot_of = [UNPLACED] * len(whole.pair)
    for i, m in enumerate(original):
        slot_of[m] = spread[i]
    return CoreOutcome(slot_of, proven)


def _lower_priority() -> None:
    """Give the calling thread a lower CPU priority (Linux schedules threads one by one), so that on a busy machine
    the core-guided search, which proves most brokerage events, keeps its core; elsewhere this does nothing."""
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + NICER))
    except (AttributeError, OSError):
        return


def _schedule(
    compiled: Compiled, slot_of: list[int], proven: bool, must_optimum: int | None, seconds: float
) -> MeetingSchedule:
    """Name the slots, explain what is left out, count breaks and score."""
    requests = compiled.requests
    placed = {requests[m].request_id: t for m, t in enumerate(slot_of) if t != UNPLACED}
    missing = [m for m, t in enumerate(slot_of) if t == UNPLACED and compiled.must[m]]
    placeable = sum(1 for m in range(len(slot_of)) if compiled.must[m] and compiled.domain[m])
    impossible = must_optimum is not None or all(m in compiled.empty_reason for m in missing)
    unplaced = _reasons(compiled, missing, proven_max=impossible)
    status: ScheduleStatus
    if not missing:
        status = "optimal" if proven else "feasible"
    elif impossible or (must_optimum is not None and must_optimum < placeable):
        status = "infeasible"
    else:
        status = "timeout"
    per_participant = participant_breaks(
        placed, {r.request_id: r for r in requests}, compiled.block, compiled.shared_ids
    )
    return MeetingSchedule(
        slots=placed,
        unplaced=unplaced,
        status=status,
        breaks=sum(per_participant.values()),
        max_breaks=max(per_participant.values(), default=0),
        total_score=sum(requests[m].score for m, t in enumerate(slot_of) if t != UNPLACED),
        solve_ms=seconds * 1000,
    )


def _reasons(compiled: Compiled, missing: list[int], proven_max: bool) -> dict[str, str]:
    """Why each must request left out could not be placed, as specifically as the data tells."""
    cycle = precedence_cycle(compiled)
    of = meetings_of(compiled)
    reasons: dict[str, str] = {}
    for m in missing:
        request = compiled.requests[m]
        if m in cycle:
            reason = "its precedences form a cycle"
        elif m in compiled.empty_reason:
            reason = compiled.empty_reason[m]
        elif overloaded := _overloaded(compiled, of, m):
            reason = overloaded
        elif proven_max:
            reason = "no slot is left: the other must meetings of its participants and the tables fill all it may take"
        else:
            reason = "no slot was found within the time limit"
        reasons[request.request_id] = reason
    return reasons


def _overloaded(compiled: Compiled, of: list[list[int]], m: int) -> str:
    """A participant of m with more must meetings than slots they can take, described; else empty."""
    for p in compiled.pair[m]:
        musts = [x for x in of[p] if compiled.must[x]]
        free = {t for x in musts for t in compiled.domain[x]}
        cap = compiled.day_cap.get(p)
        room = (
            len(free)
            if cap is None
            else sum(min(cap, sum(1 for t in free if compiled.day[t] == d)) for d in set(compiled.day))
        )
        if len(musts) > room:
            return f"{compiled.participants[p]} has {len(musts)} must meetings but room for {room}"
    return ""
