"""The meeting scheduler: every hard rule, the lexicographic objective, kept meetings, infeasibility, breaks."""

from __future__ import annotations

from collections import Counter

import pytest

from matching.meeting_cores import suits_cores
from matching.meeting_domains import compile_problem
from matching.meeting_model import MeetingProblem, MeetingRequest, MeetingSchedule, MeetingSlot
from matching.meetings import buyer_key, exhibitor_key, schedule_meetings

LIMIT = 5.0


def day_slots(days: int = 1, sessions: int = 1, per_session: int = 4) -> tuple[MeetingSlot, ...]:
    """Slots numbered in time order over days and sessions."""
    count = per_session * sessions
    return tuple(
        MeetingSlot(d * count + s * per_session + k, d, s)
        for d in range(days)
        for s in range(sessions)
        for k in range(per_session)
    )


def keys(problem: MeetingProblem, r: MeetingRequest) -> tuple[str, str]:
    if problem.shared_ids:
        return r.buyer, r.exhibitor
    return buyer_key(r.buyer), exhibitor_key(r.exhibitor)


def violations(problem: MeetingProblem, schedule: MeetingSchedule) -> list[str]:
    """Every hard rule re-checked from the slots alone."""
    by_id = {r.request_id: r for r in (*problem.requests, *problem.suggestions)}
    errors: list[str] = []
    busy: Counter[tuple[str, int]] = Counter()
    per_day: Counter[tuple[str, int]] = Counter()
    at: Counter[tuple[str | None, int]] = Counter()
    for request_id, t in schedule.slots.items():
        r = by_id[request_id]
        slot = problem.slots[t]
        for p in keys(problem, r):
            busy[p, t] += 1
            per_day[p, slot.day] += 1
            if t in problem.unavailable.get(p, frozenset()):
                errors.append(f"{request_id}: {p} unavailable in {t}")
        at[r.location, t] += 1
        if r.sessions is not None and slot.session not in r.sessions:
            errors.append(f"{request_id}: slot {t} outside sessions")
        if r.fixed_slot is not None and t != r.fixed_slot:
            errors.append(f"{request_id}: not in its fixed slot")
        if request_id in problem.existing and problem.existing[request_id] != t:
            errors.append(f"{request_id}: moved from its kept slot")
        for earlier in r.after:
            if earlier in schedule.slots and schedule.slots[earlier] >= t:
                errors.append(f"{request_id}: not after {earlier}")
    errors += [f"{p} twice in slot {t}" for (p, t), n in busy.items() if n > 1]
    errors += [f"{p} over daily cap" for (p, d), n in per_day.items() if n > problem.max_per_day.get(p, n)]
    for t in range(len(problem.slots)):
        spill = sum(
            max(0, n - problem.location_capacity.get(loc, 1)) if loc is not None else n
            for (loc, s), n in at.items()
            if s == t
        )
        if spill > problem.shared_tables:
            errors.append(f"slot {t}: tables over capacity")
    for request_id in problem.existing:
        if request_id not in schedule.slots:
            errors.append(f"{request_id}: kept meeting dropped")
    return errors


def request(rid: str, buyer: str, exhibitor: str, **kw: object) -> MeetingRequest:
    return MeetingRequest(rid, buyer, exhibitor, kw.pop("location", f"booth-{exhibitor}"), **kw)  # type: ignore[arg-type]


def solve(problem: MeetingProblem) -> MeetingSchedule:
    schedule = schedule_meetings(problem, time_limit_s=LIMIT)
    assert violations(problem, schedule) == []
    return schedule


def test_nobody_is_in_two_meetings_at_once() -> None:
    requests = (*tuple(request(f"r{i}", "b1", f"e{i}") for i in range(3)), request("r3", "b2", "e0"))
    schedule = solve(MeetingProblem(day_slots(per_session=3), requests))
    assert schedule.status == "optimal"
    assert len(schedule.slots) == 4


@pytest.mark.parametrize(("shared", "placed"), [(0, 1), (1, 2)])
def test_booth_tables_and_shared_tables(shared: int, placed: int) -> None:
    requests = (request("r1", "b1", "e1", location="hall-a"), request("r2", "b2", "e2", location="hall-a"))
    problem = MeetingProblem(day_slots(per_session=1), requests, location_capacity={"hall-a": 1}, shared_tables=shared)
    schedule = solve(problem)
    assert len(schedule.slots) == placed
    assert schedule.status == ("optimal" if placed == 2 else "infeasible")


def test_meetings_without_booth_need_shared_tables() -> None:
    requests = tuple(request(f"r{i}", f"b{i}", f"e{i}", location=None) for i in range(3))
    schedule = solve(MeetingProblem(day_slots(per_session=2), requests, shared_tables=2))
    assert len(schedule.slots) == 3
    assert max(Counter(schedule.slots.values()).values()) <= 2


def test_unavailable_sessions_and_fixed_slots() -> None:
    slots = day_slots(sessions=2, per_session=2)
    requests = (
        request("r1", "b1", "e1"),
        request("r2", "b2", "e2", sessions=frozenset({1})),
        request("r3", "b3", "e3", fixed_slot=1),
    )
    problem = MeetingProblem(slots, requests, unavailable={buyer_key("b1"): frozenset({0, 1, 2})})
    schedule = solve(problem)
    assert schedule.slots == {"r1": 3, "r2": schedule.slots["r2"], "r3": 1}
    assert schedule.slots["r2"] in {2, 3}


def test_precedences_hold() -> None:
    requests = (request("first", "b1", "e1", after=("second",)), request("second", "b1", "e2"))
    schedule = solve(MeetingProblem(day_slots(per_session=2), requests))
    assert schedule.slots["second"] < schedule.slots["first"]


def test_max_per_day_spreads_meetings_over_days() -> None:
    requests = (request("r1", "b1", "e1"), request("r2", "b1", "e2"))
    problem = MeetingProblem(day_slots(days=2, per_session=2), requests, max_per_day={buyer_key("b1"): 1})
    schedule = solve(problem)
    assert {schedule.slots["r1"] // 2, schedule.slots["r2"] // 2} == {0, 1}


def test_existing_meetings_are_kept_even_at_the_cost_of_a_break() -> None:
    requests = (request("r1", "b1", "e1"), request("r2", "b1", "e2"))
    schedule = solve(MeetingProblem(day_slots(per_session=4), requests, existing={"r1": 0, "r2": 3}))
    assert schedule.slots == {"r1": 0, "r2": 3}
    assert schedule.breaks == 1


def test_buyer_and_exhibitor_ids_are_namespaced() -> None:
    requests = (request("r1", "x", "y"), request("r2", "z", "x"))
    assert solve(MeetingProblem(day_slots(per_session=1), requests)).status == "optimal"
    shared = MeetingProblem(day_slots(per_session=1), requests, shared_ids=True)
    assert solve(shared).status == "infeasible"


def test_overloaded_participant_is_reported_not_raised() -> None:
    requests = tuple(request(f"r{i}", "b1", f"e{i}") for i in range(3))
    schedule = solve(MeetingProblem(day_slots(per_session=2), requests))
    assert schedule.status == "infeasible"
    assert len(schedule.slots) == 2
    [(rid, reason)] = schedule.unplaced.items()
    assert "room for 2" in reason
    assert rid in {"r0", "r1", "r2"}


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        ({"fixed_slot": 0, "sessions": frozenset({1})}, "fixed slot"),
        ({"sessions": frozenset({5})}, "sessions"),
    ],
)
def test_impossible_request_has_its_reason(kw: dict[str, object], words: str) -> None:
    requests = (request("r1", "b1", "e1", **kw), request("r2", "b2", "e2"))
    schedule = solve(MeetingProblem(day_slots(sessions=2, per_session=2), requests))
    assert schedule.status == "infeasible"
    assert list(schedule.slots) == ["r2"]
    assert words in schedule.unplaced["r1"]


def test_precedence_cycle_is_infeasible() -> None:
    requests = (request("a", "b1", "e1", after=("b",)), request("b", "b1", "e2", after=("a",)))
    schedule = solve(MeetingProblem(day_slots(per_session=3), requests))
    assert schedule.status == "infeasible"
    assert any("cycle" in reason for reason in schedule.unplaced.values())


def test_malformed_input_raises() -> None:
    with pytest.raises(ValueError, match="unknown request"):
        schedule_meetings(MeetingProblem(day_slots(), (request("a", "b1", "e1", after=("ghost",)),)))


def test_must_requests_come_before_any_suggestion() -> None:
    must = (request("m", "b1", "e1"),)
    rich = (request("s", "b1", "e2", must=False, score=1000.0),)
    schedule = solve(MeetingProblem(day_slots(per_session=1), must, suggestions=rich))
    assert schedule.slots == {"m": 0}
    assert schedule.status == "optimal"


@pytest.mark.parametrize("first", [True, False])
def test_an_essential_request_outweighs_the_others_when_not_all_fit(first: bool) -> None:
    essential = request("need", "b1", "e1", essential=True)
    others = (request("nice1", "b1", "e2"), request("nice2", "b1", "e3"))
    requests = (essential, *others) if first else (*others, essential)
    schedule = solve(MeetingProblem(day_slots(per_session=1), requests))
    assert schedule.slots == {"need": 0}
    assert set(schedule.unplaced) == {"nice1", "nice2"}


def test_suggestions_fill_by_total_score() -> None:
    suggestions = (
        request("s1", "b1", "e1", must=False, score=0.9),
        request("s2", "b1", "e2", must=False, score=0.5),
        request("s3", "b2", "e1", must=False, score=0.5),
    )
    schedule = solve(MeetingProblem(day_slots(per_session=1), (), suggestions=suggestions))
    assert set(schedule.slots) == {"s2", "s3"}
    assert schedule.total_score == pytest.approx(1.0)


def test_suggestions_come_before_breaks() -> None:
    must = (request("m1", "b1", "e1", fixed_slot=0), request("m2", "b2", "e2", fixed_slot=1))
    suggestion = (request("s", "b1", "e3", must=False, score=0.1, fixed_slot=2),)
    schedule = solve(MeetingProblem(day_slots(per_session=3), must, suggestions=suggestion))
    assert set(schedule.slots) == {"m1", "m2", "s"}
    assert schedule.breaks == 1


def test_breaks_are_minimised_and_then_spread() -> None:
    requests = tuple(request(f"r{i}", "b1", f"e{i}") for i in range(3)) + tuple(
        request(f"q{i}", "b2", f"e{i}") for i in range(3)
    )
    schedule = solve(MeetingProblem(day_slots(per_session=6), requests))
    assert schedule.status == "optimal"
    assert schedule.breaks == 0


@pytest.mark.parametrize(
    ("scope", "held", "breaks"),
    [
        ("session", (0, 2), 1),
        ("session", (2, 3), 0),
        ("session", (0, 4), 0),
        ("day", (0, 4), 1),
        ("day", (2, 3), 0),
        ("session", (4, 5), 0),
        ("day", (4, 5), 0),
    ],
)
def test_break_counting_follows_sessions_and_days(scope: str, held: tuple[int, int], breaks: int) -> None:
    slots = (
        *(MeetingSlot(t, 0, 0) for t in range(3)),
        MeetingSlot(3, 0, 1),
        MeetingSlot(4, 0, 1),
        MeetingSlot(5, 1, 0),
    )
    requests = (request("r1", "b1", "e1"), request("r2", "b1", "e2"))
    problem = MeetingProblem(slots, requests, existing={"r1": held[0], "r2": held[1]}, break_scope=scope)  # type: ignore[arg-type]
    assert solve(problem).breaks == breaks


def brokerage(requests: tuple[MeetingRequest, ...], per_session: int, tables: int, **kw: object) -> MeetingProblem:
    """A brokerage event: every business buys and sells, every meeting a must at a shared table, one day."""
    return MeetingProblem(
        day_slots(per_session=per_session),
        requests,
        shared_tables=tables,
        break_scope="day",
        shared_ids=True,
        **kw,  # type: ignore[arg-type]
    )


def test_brokerage_shape_takes_the_core_guided_path() -> None:
    requests = (request("r1", "a", "b", location=None), request("r2", "a", "c", location=None))
    assert suits_cores(compile_problem(brokerage(requests, 3, 1)))
    suggestion = request("s", "b", "c", must=False, location=None)
    assert not suits_cores(compile_problem(brokerage(requests, 3, 1, suggestions=(suggestion,))))
    assert not suits_cores(compile_problem(brokerage((request("r1", "a", "b"),), 3, 1)))


def test_brokerage_break_forced_by_a_forbidden_slot_is_optimal() -> None:
    requests = tuple(request(f"r{i}", "a", p, location=None) for i, p in enumerate("bcd"))
    problem = brokerage(requests, 5, 2, unavailable={"a": frozenset({2})})
    schedule = solve(problem)
    assert (schedule.status, schedule.breaks) == ("optimal", 1)


def test_brokerage_round_robin_without_breaks() -> None:
    people = "abcdef"
    requests = tuple(request(f"{p}{q}", p, q, location=None) for i, p in enumerate(people) for q in people[i + 1 :])
    schedule = solve(brokerage(requests, 7, 3))
    assert len(schedule.slots) == len(requests)
    assert schedule.status == "optimal"
    assert schedule.breaks == 0


def test_brokerage_keeps_sessions_fixed_slots_and_precedences() -> None:
    requests = (
        request("r1", "a", "b", location=None, fixed_slot=3),
        request("r2", "a", "c", location=None, after=("r1",)),
        request("r3", "b", "c", location=None, sessions=frozenset({0})),
        request("r4", "c", "d", location=None),
    )
    schedule = solve(brokerage(requests, 6, 1))
    assert schedule.status == "optimal"
    assert schedule.slots["r1"] == 3
    assert schedule.slots["r2"] > 3


def test_brokerage_without_enough_tables_is_infeasible_with_reasons() -> None:
    requests = tuple(request(f"r{i}", p, q, location=None) for i, (p, q) in enumerate(["ab", "cd", "ef", "gh"]))
    schedule = schedule_meetings(brokerage(requests, 1, 3), time_limit_s=LIMIT)
    assert schedule.status == "infeasible"
    assert len(schedule.unplaced) == 1
    assert all(schedule.unplaced.values())


def test_an_order_the_sessions_cannot_keep_is_reported_and_the_rest_scheduled() -> None:
    requests = (
        request("late", "a", "b", location=None, sessions=frozenset({1})),
        request("early", "a", "c", location=None, sessions=frozenset({0}), after=("late",)),
        request("free", "b", "c", location=None),
    )
    problem = MeetingProblem(
        day_slots(sessions=2, per_session=2), requests, shared_tables=2, break_scope="day", shared_ids=True
    )
    schedule = solve(problem)
    assert schedule.status == "infeasible"
    assert set(schedule.unplaced) == {"late", "early"}
    assert all("order" in reason for reason in schedule.unplaced.values())
    assert "free" in schedule.slots
