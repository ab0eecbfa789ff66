"""Which table a meeting sits at: one of its booth's tables when one is free, else one of the fair's shared tables.

The scheduler decides slots only; this seats each meeting of a slot, the same way for a run and for a manual move,
so a meeting takes a shared table only when its booth is full (the solver's model of spill-over).
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

Seat = tuple[UUID | None, int]


class Seating:
    """Taken tables by start time; ``booth_id`` None is the fair's shared pool."""

    def __init__(self, tables_per_booth: int, shared_tables: int) -> None:
        self.tables_per_booth = tables_per_booth
        self.shared_tables = shared_tables
        self._taken: set[tuple[UUID | None, int, dt.datetime]] = set()

    def take(self, booth_id: UUID | None, table_no: int, starts_at: dt.datetime) -> None:
        self._taken.add((booth_id, table_no, starts_at))

    def seat(self, booth_id: UUID | None, starts_at: dt.datetime) -> Seat | None:
        """The first free table at the booth, else the first free shared table, taken; None when all are full."""
        candidates: list[Seat] = []
        if booth_id is not None:
            candidates += [(booth_id, n) for n in range(1, self.tables_per_booth + 1)]
        candidates += [(None, n) for n in range(1, self.shared_tables + 1)]
        for where, table_no in candidates:
            if (where, table_no, starts_at) not in self._taken:
                self.take(where, table_no, starts_at)
                return where, table_no
        return None
