"""A meeting problem compiled for the solvers: integer ids, the slots each meeting may take, and why some may take none.

Malformed input (unknown ids, slots out of range, a request id used twice) raises ``ValueError`` here, once, at the
edge; a problem that is well formed but cannot be met is the solvers' business and ends up in ``unplaced``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from matching.meeting_model import MeetingProblem, MeetingRequest, participant_keys, slot_blocks

SHARED = -1


@dataclass(frozen=True, slots=True)
class Compiled:
    """Meetings 0..n-1 (must requests first, then suggestions), participants 0..p-1, locations 0..l-1.

    ``location`` is SHARED for a meeting that only a shared table can hold; ``domain`` lists the allowed slots;
    ``empty_reason`` says why a meeting has none; ``before`` holds (earlier, later) meeting pairs.
    """

    requests: tuple[MeetingRequest, ...]
    must: tuple[bool, ...]
    weight: tuple[int, ...]
    score: tuple[int, ...]
    pair: tuple[tuple[int, int], ...]
    location: tuple[int, ...]
    domain: tuple[tuple[int, ...], ...]
    empty_reason: dict[int, str]
    kept: dict[int, int]
    before: tuple[tuple[int, int], ...]
    participants: tuple[str, ...]
    capacity: tuple[int, ...]
    shared_tables: int
    shared_ids: bool
    day: tuple[int, ...]
    block: tuple[int, ...]
    day_cap: dict[int, int]
    n_slots: int


SCORE_SCALE = 1000


def compile_problem(problem: MeetingProblem) -> Compiled:
    """Check the problem and compile it; raises ValueError on malformed input."""
    n_slots = len(problem.slots)
    if [s.index for s in problem.slots] != list(range(n_slots)):
        raise ValueError("slots must be numbered 0..n-1 in order")
    requests = (*problem.requests, *problem.suggestions)
    index = _index(problem, requests)
    participants: dict[str, int] = {}
    pair: list[tuple[int, int]] = []
    for request in requests:
        buyer, exhibitor = participant_keys(request, problem.shared_ids)
        if buyer == exhibitor:
            raise ValueError(f"request {request.request_id!r} has the same participant on both sides")
        pair.append(
            (participants.setdefault(buyer, len(participants)), participants.setdefault(exhibitor, len(participants)))
        )
    locations: dict[str, int] = {}
    location = tuple(
        SHARED if r.location is None else locations.setdefault(r.location, len(locations)) for r in requests
    )
    capacity = tuple(problem.location_capacity.get(name, 1) for name in locations)
    before: list[tuple[int, int]] = []
    for i, request in enumerate(requests):
        for earlier in request.after:
            if earlier not in index:
                raise ValueError(f"request {request.request_id!r} comes after unknown request {earlier!r}")
            before.append((index[earlier], i))
    kept = {index[request_id]: slot for request_id, slot in problem.existing.items()}
    domain: list[tuple[int, ...]] = []
    empty_reason: dict[int, str] = {}
    for i, request in enumerate(requests):
        allowed, reason = _allowed_slots(problem, request, kept.get(i), location[i], capacity)
        domain.append(allowed)
        if not allowed:
            empty_reason[i] = reason
    must = tuple(r.must and i < len(problem.requests) for i, r in enumerate(requests))
    _squeeze_by_order(domain, [(a, b) for a, b in before if must[a] and must[b]], requests, empty_reason)
    day_cap: dict[int, int] = {}
    for key, cap in problem.max_per_day.items():
        if key in participants:
            day_cap[participants[key]] = cap
    essential_weight = 1 + sum(1 for i, r in enumerate(requests) if must[i] and not r.essential)
    return Compiled(
        requests=requests,
        must=must,
        weight=tuple(essential_weight if r.essential else 1 for r in requests),
        score=tuple(round(r.score * SCORE_SCALE) for r in requests),
        pair=tuple(pair),
        location=location,
        domain=tuple(domain),
        empty_reason=empty_reason,
        kept=kept,
        before=tuple(before),
        participants=tuple(participants),
        capacity=capacity,
        shared_tables=problem.shared_tables,
        shared_ids=problem.shared_ids,
        day=tuple(s.day for s in problem.slots),
        block=tuple(slot_blocks(problem.slots, problem.break_scope)),
        day_cap=day_cap,
        n_slots=n_slots,
    )


def _index(problem: MeetingProblem, requests: tuple[MeetingRequest, ...]) -> dict[str, int]:
    """Position of each request id; checks ids are unique and kept meetings name known requests and slots."""
    ids = [r.request_id for r in requests]
    if len(set(ids)) != len(ids):
        raise ValueError("request ids must be unique across requests and suggestions")
    index = {request_id: i for i, request_id in enumerate(ids)}
    for request_id, slot in problem.existing.items():
        if request_id not in index:
            raise ValueError(f"existing meeting {request_id!r} is not a request")
        if not 0 <= slot < len(problem.slots):
            raise ValueError(f"existing meeting {request_id!r} holds slot {slot} outside 0..{len(problem.slots) - 1}")
    return index


def _allowed_slots(
    problem: MeetingProblem, request: MeetingRequest, kept: int | None, location: int, capacity: tuple[int, ...]
) -> tuple[tuple[int, ...], str]:
    """The slots a meeting may take on its own, and if none, why."""
    if location == SHARED and problem.shared_tables <= 0:
        return (), "it has no booth and the fair has no shared tables"
    if location != SHARED and capacity[location] <= 0 and problem.shared_tables <= 0:
        return (), f"booth {request.location} has no tables"
    candidates = set(range(len(problem.slots)))
    if request.sessions is not None:
        candidates = {s.index for s in problem.slots if s.session in request.sessions}
        if not candidates:
            return (), "no slot lies in its sessions"
    keys = participant_keys(request, problem.shared_ids)
    for participant in keys:
        candidates -= problem.unavailable.get(participant, frozenset())
    if not candidates:
        return (), "no slot of its sessions suits both participants"
    for wanted, what in ((request.fixed_slot, "fixed"), (kept, "kept")):
        if wanted is not None:
            if wanted not in candidates:
                return (), f"its {what} slot {wanted} is outside its sessions or a participant is unavailable then"
            candidates = {wanted}
    for participant in keys:
        if problem.max_per_day.get(participant, 1) <= 0:
            return (), f"{participant} may have no meetings"
    return tuple(sorted(candidates)), ""


def _squeeze_by_order(
    domain: list[tuple[int, ...]],
    before: list[tuple[int, int]],
    requests: tuple[MeetingRequest, ...],
    empty_reason: dict[int, str],
) -> None:
    """Narrow each must meeting to the slots its precedences leave it (after its earliest predecessors, before its
    latest successors), to a fixpoint; a meeting left with none gets the reason (a morning-only meeting that must
    follow an afternoon-only one, for example). Narrowing loses no schedule, and the solvers start tighter."""
    changed = True
    while changed:
        changed = False
        for earlier, later in before:
            if not domain[earlier] or not domain[later]:
                continue
            after_first = tuple(t for t in domain[later] if t > domain[earlier][0])
            before_last = tuple(t for t in domain[earlier] if t < domain[later][-1])
            if after_first != domain[later] or before_last != domain[earlier]:
                domain[later], domain[earlier] = after_first, before_last
                changed = True
                for m, other in ((later, earlier), (earlier, later)):
                    if not domain[m] and m not in empty_reason:
                        empty_reason[m] = (
                            f"no slot keeps its order with {requests[other].request_id!r} "
                            "(their sessions, fixed slots or other precedences leave none)"
                        )


def without_unplaceable(compiled: Compiled) -> tuple[Compiled, list[int]]:
    """The problem restricted to the meetings that have a slot, and the original index of each meeting kept."""
    keep = [m for m, slots in enumerate(compiled.domain) if slots]
    new = {m: i for i, m in enumerate(keep)}
    return (
        replace(
            compiled,
            requests=tuple(compiled.requests[m] for m in keep),
            must=tuple(compiled.must[m] for m in keep),
            weight=tuple(compiled.weight[m] for m in keep),
            score=tuple(compiled.score[m] for m in keep),
            pair=tuple(compiled.pair[m] for m in keep),
            location=tuple(compiled.location[m] for m in keep),
            domain=tuple(compiled.domain[m] for m in keep),
            empty_reason={},
            kept={new[m]: t for m, t in compiled.kept.items() if m in new},
            before=tuple((new[a], new[b]) for a, b in compiled.before if a in new and b in new),
        ),
        keep,
    )


def meetings_of(compiled: Compiled) -> list[list[int]]:
    """The meetings of each participant."""
    of: list[list[int]] = [[] for _ in compiled.participants]
    for m, (a, b) in enumerate(compiled.pair):
        of[a].append(m)
        of[b].append(m)
    return of


def precedence_cycle(compiled: Compiled) -> set[int]:
    """The meetings that lie on a cycle of precedences (they can never all be placed)."""
    successors: dict[int, list[int]] = defaultdict(list)
    for earlier, later in compiled.before:
        successors[earlier].append(later)
    on_cycle: set[int] = set()
    for start in list(successors):
        stack, seen = list(successors[start]), set()
        while stack:
            node = stack.pop()
            if node == start:
                on_cycle.add(start)
                break
            if node not in seen:
                seen.add(node)
                stack.extend(successors.get(node, ()))
    return on_cycle
