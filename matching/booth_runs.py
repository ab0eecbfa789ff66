"""Runs of adjacent booths: where a multi-booth application can stand, and where a delegation can sit together.

A *run* is a set of booths side by side in one row of one hall (consecutive columns). A *segment* is a stretch of a
hall in serpentine order (row 1 west to east, row 2 east to west, …), so that consecutive booths always touch,
along a row or across the aisle at a row's end; a delegation takes one segment, its members packed into the
segment's row pieces so that each member's own booths stay in one row.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence

from matching.allocation_model import Applicant, BoothSpot, RequestedType

Run = tuple[str, ...]


def rows_of(booths: Sequence[BoothSpot]) -> dict[tuple[str, int], list[BoothSpot]]:
    """Booths by (hall, row), west to east."""
    rows: dict[tuple[str, int], list[BoothSpot]] = defaultdict(list)
    for booth in booths:
        rows[(booth.hall, booth.row)].append(booth)
    return {key: sorted(row, key=lambda b: b.column) for key, row in sorted(rows.items())}


def _fits_type(run: Sequence[BoothSpot], wanted: RequestedType) -> bool:
    """Premium: every booth premium. Corner: a corner booth at one end, standard or corner booths otherwise.
    Double: booths built as double stands, or standard booths side by side. Standard: standard booths only."""
    types = [b.booth_type for b in run]
    if wanted == "premium":
        return all(t == "premium" for t in types)
    if wanted == "corner":
        return "corner" in (types[0], types[-1]) and "premium" not in types
    if wanted == "double":
        return all(t == "double" for t in types) or all(t == "standard" for t in types)
    return all(t == "standard" for t in types)


def runs_for(applicant: Applicant, rows: dict[tuple[str, int], list[BoothSpot]], free: set[str]) -> Iterator[Run]:
    """Every run of free booths of the applicant's size and type, row by row."""
    for row in rows.values():
        for start in range(len(row) - applicant.booths + 1):
            run = row[start : start + applicant.booths]
            if run[-1].column - run[0].column != applicant.booths - 1:
                continue
            if all(b.booth_id in free for b in run) and _fits_type(run, applicant.booth_type):
                yield tuple(b.booth_id for b in run)


def serpentine(booths: Sequence[BoothSpot]) -> dict[str, list[BoothSpot]]:
    """Each hall's booths in serpentine order."""
    order: dict[str, list[BoothSpot]] = defaultdict(list)
    for (hall, row), row_booths in rows_of(booths).items():
        order[hall].extend(row_booths if row % 2 else list(reversed(row_booths)))
    return dict(order)


def _touch(a: BoothSpot, b: BoothSpot) -> bool:
    if a.row == b.row:
        return abs(a.column - b.column) == 1
    return abs(a.row - b.row) == 1 and a.column == b.column


def _pieces(segment: Sequence[BoothSpot]) -> list[list[BoothSpot]]:
    pieces: list[list[BoothSpot]] = []
    for booth in segment:
        if pieces and pieces[-1][-1].row == booth.row:
            pieces[-1].append(booth)
        else:
            pieces.append([booth])
    return [sorted(piece, key=lambda b: b.column) for piece in pieces]


def _first_fit(member: Applicant, pieces: Sequence[Sequence[BoothSpot]], used: list[list[bool]]) -> Run | None:
    """The first free run of the member's size and type, marked used; the search in a piece starts at its first
    free booth, since every run starting before it overlaps a used one."""
    for piece, taken in zip(pieces, used, strict=True):
        first = taken.index(False) if False in taken else len(piece)
        for start in range(first, len(piece) - member.booths + 1):
            end = start + member.booths
            if not any(taken[start:end]) and _fits_type(piece[start:end], member.booth_type):
                taken[start:end] = [True] * member.booths
                return tuple(b.booth_id for b in piece[start:end])
    return None


def pack(members: Sequence[Applicant], segment: Sequence[BoothSpot]) -> dict[str, Run] | None:
    """Members into the segment's row pieces, largest first, each on the first free run of its size and type;
    None when they do not fit."""
    pieces = _pieces(segment)
    used = [[False] * len(piece) for piece in pieces]
    packed: dict[str, Run] = {}
    for member in sorted(members, key=lambda m: (-m.booths, m.order)):
        run = _first_fit(member, pieces, used)
        if run is None:
            return None
        packed[member.application_id] = run
    return packed


def delegation_layouts(
    members: Sequence[Applicant], halls: dict[str, list[BoothSpot]], free: set[str]
) -> Iterator[dict[str, Run]]:
    """Every way to seat the delegation in one segment of free, non-premium booths, members packed in rows."""
    size = sum(m.booths for m in members)
    for order in halls.values():
        for start in range(len(order) - size + 1):
            segment = order[start : start + size]
            if any(b.booth_id not in free or b.booth_type == "premium" for b in segment):
                continue
            if not all(_touch(a, b) for a, b in itertools.pairwise(segment)):
                continue
            packed = pack(members, segment)
            if packed is not None:
                yield packed


def contiguous(booth_ids: Sequence[str], booths: dict[str, BoothSpot]) -> bool:
    """Whether the booths form one connected group (touching along a row or across the aisle)."""
    if not booth_ids:
        return True
    spots = [booths[b] for b in booth_ids]
    reached, frontier = {0}, [0]
    while frontier:
        current = frontier.pop()
        for other, spot in enumerate(spots):
            if other not in reached and spot.hall == spots[current].hall and _touch(spots[current], spot):
                reached.add(other)
                frontier.append(other)
    return len(reached) == len(spots)
