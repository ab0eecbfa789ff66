"""The ``ocopfair`` command: serve, migrate, load the demo fair, create organisers, run the scheduler."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Awaitable, Callable
from typing import TypeVar

import click
import structlog
from advanced_alchemy.alembic.commands import AlembicCommands
from sqlalchemy.ext.asyncio import AsyncEngine

from ocopfair.logging_setup import configure_logging
from ocopfair.persistence import create_engine, database_config
from ocopfair.settings import Settings, SettingsError

T = TypeVar("T")
log = structlog.get_logger(__name__)
# uvicorn's supervisor kills a worker that does not answer its ping within 5 s, but a new worker first imports this
# module (it is the main module it was spawned from) and then the whole service, numpy, scipy and OR-Tools included,
# before it can answer: on a busy machine that takes longer, and the workers were killed and respawned forever.
WORKER_HEALTHCHECK_S = 60


def _run_with_engine(settings: Settings, work: Callable[..., Awaitable[T]]) -> T:
    async def main() -> T:
        engine = create_engine(settings)
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    return asyncio.run(main())


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """ocopfair: OCOP trade fairs that connect supply and demand."""
    try:
        settings = Settings.from_env()
    except SettingsError as refusal:
        raise click.ClickException(str(refusal)) from refusal
    configure_logging(settings.log_level)
    ctx.obj = settings


@main.command()
@click.option("--host", default=lambda: os.environ.get("HOST", "127.0.0.1"), show_default="127.0.0.1")
@click.option("--port", type=int, default=lambda: int(os.environ.get("PORT", "8000")), show_default="8000 or $PORT")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="web worker processes")
@click.option("--reload", is_flag=True, help="restart on code changes (development)")
def run(host: str, port: int, workers: int, reload: bool) -> None:
    """Serve the web application (with a scheduler candidate in each worker unless OCOPFAIR_SCHEDULER=off)."""
    import uvicorn  # noqa: PLC0415  (only the server needs it)

    uvicorn.run(
        "ocopfair.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
    )


@main.group()
def database() -> None:
    """Database schema migrations."""


@database.command()
@click.option("--revision", default="head", show_default=True)
@click.pass_obj
def upgrade(settings: Settings, revision: str) -> None:
    """Apply the migrations up to REVISION."""
    AlembicCommands(database_config(settings, create_engine(settings))).upgrade(revision)
    log.info("database_upgraded", revision=revision)


@database.command()
@click.argument("revision")
@click.pass_obj
def downgrade(settings: Settings, revision: str) -> None:
    """Revert the migrations down to REVISION (``base`` empties the database)."""
    AlembicCommands(database_config(settings, create_engine(settings))).downgrade(revision)
    log.info("database_downgraded", revision=revision)


@main.group()
def seed() -> None:
    """Load data."""


@seed.command()
@click.pass_obj
def demo(settings: Settings) -> None:
    """Load the demo fair (200 booths, exhibitors, products, buyers, demands); running it again changes nothing."""
    from seeds.loader import load_demo  # noqa: PLC0415  (the demo generator is only needed here)

    summary = _run_with_engine(settings, load_demo)
    click.echo(summary)


@main.group()
def users() -> None:
    """Accounts."""


@users.command("create-organiser")
@click.option("--email", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", "display_name", default="Organiser", show_default=True)
@click.pass_obj
def create_organiser(settings: Settings, email: str, password: str, display_name: str) -> None:
    """Create an organiser account (organisers cannot register through the API)."""
    from ocopfair.accounts.admin import create_organiser as create  # noqa: PLC0415

    try:
        user_id = _run_with_engine(settings, lambda engine: create(engine, email, password, display_name))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"organiser {email.strip().lower()} created ({user_id})")


@main.group()
def scheduler() -> None:
    """The elected scheduler: digests, meeting reminders, nightly re-matching, the outbox relay."""


@scheduler.command("run")
@click.pass_obj
def run_scheduler(settings: Settings) -> None:
    """Stand for election and, while elected, run the jobs; SIGTERM or Ctrl-C stops after the message in flight.

    Any number may run (and each web worker runs one unless OCOPFAIR_SCHEDULER=off): one leads, the others wait.
    """
    from events.runner import run_scheduler as run_candidate  # noqa: PLC0415  (only this command needs the jobs)

    async def candidate(engine: AsyncEngine) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, stop.set)
        await run_candidate(settings, engine, stop)

    _run_with_engine(settings, candidate)
