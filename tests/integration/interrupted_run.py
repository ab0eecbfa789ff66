"""A run that a test kills halfway: ``python -m tests.integration.interrupted_run KIND DATABASE_URL FAIR_ID STAGE``.

It runs a booth allocation (KIND ``allocation``) or a full rescheduling of the fair's meetings (``schedule``, not
keeping the existing ones) in one transaction, as the API does, and stops for good at STAGE: ``insert``, when the run
has deleted the previous result and is about to write its own, or ``commit``, when every row of the new result is
written but not yet committed. It then says ``interrupted`` on stdout and waits to be killed.
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import Any
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.ext.asyncio import async_sessionmaker

from ocopfair.allocation.runs import run_allocation
from ocopfair.fairs.models import Fair
from ocopfair.matches.services import today
from ocopfair.meetings.scheduling import run_schedule
from ocopfair.meetings.schemas import ScheduleIn
from ocopfair.persistence import create_engine
from ocopfair.settings import Settings

WRITES = {"allocation": "INSERT INTO booth_assignment (", "schedule": "INSERT INTO meeting ("}
TIME_LIMIT_S = 5.0
FOREVER_S = 3600


def _stop_here() -> None:
    sys.stdout.write("interrupted\n")
    sys.stdout.flush()
    time.sleep(FOREVER_S)


async def main(kind: str, database_url: str, fair_id: UUID, stage: str) -> None:
    engine = create_engine(Settings(database_url=database_url, secret_key="interrupted-run"))
    if stage == "insert":

        def before_write(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            if statement.startswith(WRITES[kind]):
                _stop_here()

        event.listen(engine.sync_engine, "before_cursor_execute", before_write)
    else:
        event.listen(engine.sync_engine, "commit", lambda _conn: _stop_here())
    async with async_sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
        fair = await session.get_one(Fair, fair_id)
        if kind == "allocation":
            await run_allocation(session, fair, today(), TIME_LIMIT_S)
        else:
            options = ScheduleIn(time_limit_s=TIME_LIMIT_S, keep_existing=False, suggestions_per_buyer=0)
            await run_schedule(session, fair, options)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], UUID(sys.argv[3]), sys.argv[4]))
