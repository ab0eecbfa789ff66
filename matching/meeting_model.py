"""What meeting scheduling works on: slots, requested and suggested meetings, the rules of the fair, and the result.

Participants are buyers and exhibitors. Their ids live in two namespaces, so a buyer and an exhibitor that share an
id stay two people: wherever a participant is a key (``unavailable``, ``max_per_day``), it is written
``buyer_key(id)`` or ``exhibitor_key(id)``. At a brokerage event where every business both buys and sells, set
``shared_ids``: an id is then one business in either role and its key is the bare id.

Tables: a meeting with a ``location`` (a booth) takes one of that booth's tables (``location_capacity``, default 1);
when they are all taken it may spill over to the fair's pool of ``shared_tables``. A meeting without a location
always sits at a shared table.

Breaks: a participant's meetings in time order; each pair of consecutive meetings in one *block* whose slots are
not adjacent is a break. With ``break_scope="session"`` a block is a (day, session), so the lunch gap is no break;
with ``"day"`` a block is a whole day and adjacency is by slot index (the B2B literature's count).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

ScheduleStatus = Literal["optimal", "feasible", "infeasible", "timeout"]
BreakScope = Literal["session", "day"]


def buyer_key(buyer: str) -> str:
    """The participant key of a buyer."""
    return f"buyer:{buyer}"


def exhibitor_key(exhibitor: str) -> str:
    """The participant key of an exhibitor."""
    return f"exhibitor:{exhibitor}"


@dataclass(frozen=True, slots=True)
class MeetingSlot:
    """One meeting slot; slots are numbered 0..n-1 in time order."""

    index: int
    day: int
    session: int


@dataclass(frozen=True, slots=True)
class MeetingRequest:
    """A meeting between a buyer and an exhibitor at a booth (``location``; None: any shared table).

    ``sessions`` restricts the slot to those sessions; ``after`` lists request ids that must take place earlier.
    ``must`` requests are placed before any optional one; ``score`` ranks optional ones (suggestions).
    ``essential`` marks a must request the buyer cannot do without: when not every must request fits, essential
    ones are placed first (one essential request outweighs any number of the others).
    """

    request_id: str
    buyer: str
    exhibitor: str
    location: str | None = None
    must: bool = True
    score: float = 0.0
    fixed_slot: int | None = None
    sessions: frozenset[int] | None = None
    after: tuple[str, ...] = ()
    essential: bool = False


@dataclass(frozen=True, slots=True)
class MeetingProblem:
    """Everything the scheduler needs; ``existing`` maps request ids to the slot they already hold and must keep."""

    slots: tuple[MeetingSlot, ...]
    requests: tuple[MeetingRequest, ...]
    suggestions: tuple[MeetingRequest, ...] = ()
    location_capacity: Mapping[str, int] = field(default_factory=dict)
    shared_tables: int = 0
    unavailable: Mapping[str, frozenset[int]] = field(default_factory=dict)
    max_per_day: Mapping[str, int] = field(default_factory=dict)
    existing: Mapping[str, int] = field(default_factory=dict)
    break_scope: BreakScope = "session"
    shared_ids: bool = False


def participant_keys(request: MeetingRequest, shared_ids: bool = False) -> tuple[str, str]:
    """The keys of a meeting's buyer and exhibitor (bare ids when the two roles share ids)."""
    if shared_ids:
        return request.buyer, request.exhibitor
    return buyer_key(request.buyer), exhibitor_key(request.exhibitor)


@dataclass(frozen=True, slots=True)
class MeetingSchedule:
    """The slot of each placed meeting, a reason for each must request left out, and how good and how fast."""

    slots: dict[str, int]
    unplaced: dict[str, str]
    status: ScheduleStatus
    breaks: int
    max_breaks: int
    total_score: float
    solve_ms: float


def slot_blocks(slots: Sequence[MeetingSlot], scope: BreakScope) -> list[int]:
    """The block of each slot (by index): a run of slots in which consecutive ones are adjacent."""
    blocks: list[int] = []
    block = -1
    previous: MeetingSlot | None = None
    for slot in sorted(slots, key=lambda s: s.index):
        same_day = previous is not None and previous.day == slot.day and previous.index + 1 == slot.index
        if not same_day or (scope == "session" and previous is not None and previous.session != slot.session):
            block += 1
        blocks.append(block)
        previous = slot
    return blocks


def participant_breaks(
    placed: Mapping[str, int], requests: Mapping[str, MeetingRequest], blocks: Sequence[int], shared_ids: bool = False
) -> dict[str, int]:
    """Breaks of every participant with a meeting, counted from the slots alone."""
    busy: dict[str, list[int]] = defaultdict(list)
    for request_id, slot in placed.items():
        for participant in participant_keys(requests[request_id], shared_ids):
            busy[participant].append(slot)
    breaks: dict[str, int] = {}
    for participant, times in busy.items():
        ordered = sorted(times)
        breaks[participant] = sum(1 for a, b in itertools.pairwise(ordered) if blocks[a] == blocks[b] and b != a + 1)
    return breaks
