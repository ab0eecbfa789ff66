"""The SAT descent for brokerage events: valid schedules, the same proven optimum as the core-guided search."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

import pytest

from matching.meeting_cores import solve_cores
from matching.meeting_cpsat import break_counts
from matching.meeting_domains import Compiled, compile_problem
from matching.meeting_model import MeetingProblem, MeetingRequest, MeetingSlot
from matching.meeting_sat import solve_descent

LIMIT = 10.0


def brokerage(seed: int, businesses: int = 9, meetings: int = 16, slots: int = 8, tables: int = 3) -> MeetingProblem:
    """A random brokerage event: musts at shared tables, two sessions, some forbidden slots and one precedence."""
    rng = random.Random(seed)
    pairs = rng.sample([(a, b) for a in range(businesses) for b in range(a + 1, businesses)], meetings)
    half = slots // 2
    requests = tuple(
        MeetingRequest(
            f"m{i}",
            str(a),
            str(b),
            None,
            sessions=rng.choice([None, None, frozenset({0}), frozenset({1})]),
            after=(f"m{i - 1}",) if i == meetings - 1 else (),
        )
        for i, (a, b) in enumerate(pairs)
    )
    unavailable = {str(p): frozenset({rng.randrange(slots)}) for p in rng.sample(range(businesses), 2)}
    return MeetingProblem(
        tuple(MeetingSlot(t, 0, 0 if t < half else 1) for t in range(slots)),
        requests,
        shared_tables=tables,
        unavailable=unavailable,
        break_scope="day",
        shared_ids=True,
    )


def violations(compiled: Compiled, slot_of: list[int]) -> list[str]:
    errors = [
        f"meeting {m} in {t}, outside {compiled.domain[m]}"
        for m, t in enumerate(slot_of)
        if t not in compiled.domain[m]
    ]
    busy = Counter((p, t) for m, t in enumerate(slot_of) for p in compiled.pair[m])
    errors += [f"participant {p} twice in slot {t}" for (p, t), n in busy.items() if n > 1]
    tables = Counter(slot_of)
    errors += [f"slot {t} over the tables" for t, n in tables.items() if n > compiled.shared_tables]
    errors += [f"{a} not before {b}" for a, b in compiled.before if slot_of[a] >= slot_of[b]]
    return errors


@pytest.mark.parametrize("seed", range(6))
def test_the_descent_agrees_with_the_core_guided_optimum(seed: int) -> None:
    compiled = compile_problem(brokerage(seed))
    above = solve_descent(compiled, LIMIT)
    below = solve_cores(compiled, LIMIT, random_state=0)
    if below is None:
        assert above is None
        return
    assert above is not None
    assert violations(compiled, above.slot_of) == []
    assert above.proven and below.proven
    assert sum(break_counts(compiled, above.slot_of)) == sum(break_counts(compiled, below.slot_of))


def test_a_forbidden_slot_forces_one_break_and_the_descent_proves_it() -> None:
    problem = MeetingProblem(
        tuple(MeetingSlot(t, 0, 0) for t in range(5)),
        tuple(MeetingRequest(f"r{i}", "a", p, None) for i, p in enumerate("bcd")),
        shared_tables=2,
        unavailable={"a": frozenset({1, 3})},
        break_scope="day",
        shared_ids=True,
    )
    compiled = compile_problem(problem)
    outcome = solve_descent(compiled, LIMIT)
    assert outcome is not None
    assert outcome.proven
    assert sum(break_counts(compiled, outcome.slot_of)) == 2


def test_too_few_tables_gives_no_schedule() -> None:
    problem = MeetingProblem(
        (MeetingSlot(0, 0, 0),),
        tuple(MeetingRequest(f"r{i}", p, q, None) for i, (p, q) in enumerate(["ab", "cd", "ef"])),
        shared_tables=2,
        break_scope="day",
        shared_ids=True,
    )
    assert solve_descent(compile_problem(problem), LIMIT) is None


def test_a_search_told_to_give_up_stops_at_once_and_says_so() -> None:
    compiled = compile_problem(brokerage(1, businesses=14, meetings=40, slots=10, tables=4))
    give_up = threading.Event()
    give_up.set()
    started = time.perf_counter()
    outcome = solve_descent(compiled, 30.0, give_up)
    assert time.perf_counter() - started < 5.0
    assert outcome is None or not outcome.proven
