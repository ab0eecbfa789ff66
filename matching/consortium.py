"""When no single supplier covers a large demand: the smallest set of suppliers that does, best scores first."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MAX_MEMBERS = 10


@dataclass(frozen=True, slots=True)
class Candidate:
    """A supplier able to deliver ``capacity`` (in the demand's base unit per month) at match ``score``."""

    index: int
    score: float
    capacity: float


@dataclass(frozen=True, slots=True)
class Member:
    index: int
    supplies: float


@dataclass(frozen=True, slots=True)
class Consortium:
    covered_share: float
    members: tuple[Member, ...]


def _largest_sum(capacities: Sequence[float], count: int) -> float:
    return sum(sorted(capacities, reverse=True)[:count]) if count > 0 else 0.0


def build_consortium(candidates: Sequence[Candidate], wanted: float, max_members: int = MAX_MEMBERS) -> Consortium:
    """The fewest candidates whose joint capacity covers ``wanted``, chosen best score first.

    The size is the least number of the largest capacities that reach ``wanted``; members are then taken in score
    order, skipping any whose choice would leave the rest unable to cover what remains. When even the
    ``max_members`` largest fall short, the answer is those, with the share they reach.
    """
    usable = [c for c in candidates if c.capacity > 0 and math.isfinite(c.capacity)]
    if wanted <= 0 or not usable:
        return Consortium(covered_share=0.0, members=())
    by_score = sorted(usable, key=lambda c: (-c.score, c.index))
    capacities = sorted((c.capacity for c in usable), reverse=True)
    running, size = 0.0, 0
    for capacity in capacities[:max_members]:
        running += capacity
        size += 1
        if running >= wanted:
            break
    if running < wanted:
        chosen = sorted(
            sorted(usable, key=lambda c: (-c.capacity, c.index))[:max_members], key=lambda c: (-c.score, c.index)
        )
    else:
        chosen, remaining_pool = [], list(by_score)
        need = wanted
        for candidate in by_score:
            if len(chosen) == size:
                break
            remaining_pool.remove(candidate)
            slots_after = size - len(chosen) - 1
            if candidate.capacity + _largest_sum([c.capacity for c in remaining_pool], slots_after) >= need:
                chosen.append(candidate)
                need -= candidate.capacity
    members, left = [], wanted
    for candidate in chosen:
        share = min(candidate.capacity, left)
        members.append(Member(index=candidate.index, supplies=share))
        left -= share
    covered = sum(m.supplies for m in members)
    return Consortium(covered_share=min(1.0, covered / wanted), members=tuple(members))
