"""A quick first schedule: the warm start of the exact model, and the schedule itself when the model is too big.

Meetings are taken most constrained first, the meetings of the busiest participants together, suggestions by
score; each goes to the allowed slot that extends the most runs of its two participants. A meeting that finds no
slot free for both sides gets one by a Kempe swap: the two slots are exchanged along the chain of meetings that
alternates between them, as in bipartite edge colouring, when every meeting on the chain may move.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matching.meeting_domains import SHARED, Compiled, meetings_of

UNPLACED = -1


@dataclass(slots=True)
class Board:
    """Who is busy when, which tables are taken, and where each meeting sits (UNPLACED if nowhere)."""

    compiled: Compiled
    slot_of: list[int]
    holder: list[dict[int, int]]
    at_booth: list[dict[int, int]]
    overflow: list[int]
    per_day: list[dict[int, int]]
    earlier: list[list[int]] = field(default_factory=list)
    later: list[list[int]] = field(default_factory=list)
    allowed: list[frozenset[int]] = field(default_factory=list)

    @classmethod
    def empty(cls, compiled: Compiled) -> Board:
        """A board with nothing placed."""
        n, participants = len(compiled.pair), len(compiled.participants)
        board = cls(
            compiled,
            [UNPLACED] * n,
            [{} for _ in range(participants)],
            [{} for _ in range(compiled.n_slots)],
            [0] * compiled.n_slots,
            [{} for _ in range(participants)],
        )
        board.earlier = [[] for _ in range(n)]
        board.later = [[] for _ in range(n)]
        for a, b in compiled.before:
            board.earlier[b].append(a)
            board.later[a].append(b)
        board.allowed = [frozenset(d) for d in compiled.domain]
        return board

    def table_free(self, m: int, t: int) -> bool:
        """Whether a table is left for meeting m in slot t."""
        c = self.compiled
        loc = c.location[m]
        if loc != SHARED and self.at_booth[t].get(loc, 0) < c.capacity[loc]:
            return True
        return self.overflow[t] < c.shared_tables

    def tables_hold(self, t: int) -> bool:
        """Whether slot t uses no more shared tables than the fair has."""
        return self.overflow[t] <= self.compiled.shared_tables

    def in_order(self, m: int) -> bool:
        """Whether placed meeting m keeps its precedences with the placed ones."""
        t = self.slot_of[m]
        if not all(self.slot_of[a] == UNPLACED or self.slot_of[a] < t for a in self.earlier[m]):
            return False
        return all(self.slot_of[b] == UNPLACED or self.slot_of[b] > t for b in self.later[m])

    def fits(self, m: int, t: int) -> bool:
        """Whether meeting m may go to slot t now, tables aside."""
        c = self.compiled
        if t not in self.allowed[m]:
            return False
        for p in c.pair[m]:
            if t in self.holder[p]:
                return False
            cap = c.day_cap.get(p)
            if cap is not None and self.per_day[p].get(c.day[t], 0) >= cap:
                return False
        if not all(self.slot_of[a] == UNPLACED or self.slot_of[a] < t for a in self.earlier[m]):
            return False
        return all(self.slot_of[b] == UNPLACED or self.slot_of[b] > t for b in self.later[m])

    def place(self, m: int, t: int) -> None:
        """Put meeting m in slot t (the caller checked it fits)."""
        c = self.compiled
        self.slot_of[m] = t
        for p in c.pair[m]:
            self.holder[p][t] = m
            self.per_day[p][c.day[t]] = self.per_day[p].get(c.day[t], 0) + 1
        loc = c.location[m]
        if loc == SHARED:
            self.overflow[t] += 1
        else:
            count = self.at_booth[t].get(loc, 0)
            self.at_booth[t][loc] = count + 1
            if count >= c.capacity[loc]:
                self.overflow[t] += 1

    def remove(self, m: int) -> None:
        """Take meeting m out of its slot."""
        c = self.compiled
        t = self.slot_of[m]
        self.slot_of[m] = UNPLACED
        for p in c.pair[m]:
            del self.holder[p][t]
            self.per_day[p][c.day[t]] -= 1
        loc = c.location[m]
        if loc == SHARED:
            self.overflow[t] -= 1
        else:
            count = self.at_booth[t][loc]
            self.at_booth[t][loc] = count - 1
            if count > c.capacity[loc]:
                self.overflow[t] -= 1

    def cost(self, m: int, t: int) -> int:
        """How much slot t hurts the runs of meeting m's participants: joining a run is good, a new gap bad."""
        c = self.compiled
        total = 0
        for p in c.pair[m]:
            busy = self.holder[p]
            neighbours = sum(1 for s in (t - 1, t + 1) if s in busy and c.block[s] == c.block[t])
            if neighbours:
                total -= 2 * neighbours
            elif any(c.block[s] == c.block[t] for s in busy):
                total += 2
        return total


def greedy_board(compiled: Compiled, order: list[int] | None = None) -> Board:
    """Place meetings one by one, best slot first, with a Kempe swap when no slot is free for both sides."""
    board = Board.empty(compiled)
    for m in order if order is not None else placement_order(compiled):
        if not compiled.domain[m]:
            continue
        options = [t for t in compiled.domain[m] if board.fits(m, t) and board.table_free(m, t)]
        if options:
            board.place(m, min(options, key=lambda t: (board.cost(m, t), t)))
        else:
            kempe_place(board, m)
    return board


def placement_order(compiled: Compiled) -> list[int]:
    """Kept and fixed meetings, then essential and then other must requests, each grouped by their busiest
    participant, then suggestions by score."""
    degree = [len(ms) for ms in meetings_of(compiled)]

    def key(m: int) -> tuple[int, int, int, int, int]:
        a, b = compiled.pair[m]
        lead = a if (degree[a], -a) >= (degree[b], -b) else b
        if len(compiled.domain[m]) == 1:
            return (0, 0, 0, 0, m)
        if compiled.must[m]:
            return (1 if compiled.weight[m] > 1 else 2, -degree[lead], lead, len(compiled.domain[m]), m)
        return (3, -compiled.score[m], 0, 0, m)

    return sorted(range(len(compiled.pair)), key=key)


def kempe_place(board: Board, m: int) -> bool:
    """Try to free a slot for meeting m by swapping two slots along an alternating chain; True if m got placed."""
    c = board.compiled
    a, b = c.pair[m]
    free_a = [t for t in c.domain[m] if t not in board.holder[a]]
    free_b = [t for t in c.domain[m] if t not in board.holder[b]]
    for alpha in free_a:
        for beta in free_b:
            if alpha == beta or beta not in board.holder[a]:
                continue
            chain = _chain(board, a, beta, alpha)
            if chain is None:
                continue
            for x in chain:
                board.remove(x)
            targets = {x: (alpha if i % 2 == 0 else beta) for i, x in enumerate(chain)}
            if all(board.fits(x, t) for x, t in targets.items()):
                for x, t in targets.items():
                    board.place(x, t)
                settled = all(board.in_order(x) for x in chain) and board.tables_hold(alpha) and board.tables_hold(beta)
                if settled and board.fits(m, beta) and board.table_free(m, beta):
                    board.place(m, beta)
                    return True
                for x in chain:
                    board.remove(x)
            for i, x in enumerate(chain):
                board.place(x, beta if i % 2 == 0 else alpha)
    return False


def _chain(board: Board, start: int, first: int, second: int) -> list[int] | None:
    """The meetings of the path from participant ``start`` alternating slots first, second, first…; None if too long."""
    c = board.compiled
    chain: list[int] = []
    person, slot, other = start, first, second
    while (x := board.holder[person].get(slot)) is not None:
        if len(chain) > 64 or x in chain:
            return None
        chain.append(x)
        a, b = c.pair[x]
        person = b if person == a else a
        slot, other = other, slot
    return chain
