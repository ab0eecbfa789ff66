"""The ``ocopfair`` command against a fresh SQLite file: migrate, seed twice, create an organiser."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ocopfair.cli import main


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("OCOPFAIR_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("OCOPFAIR_VAR_DIR", str(tmp_path / "var"))
    return CliRunner()


def test_upgrade_seed_and_create_organiser(runner: CliRunner) -> None:
    upgraded = runner.invoke(main, ["database", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    seeded = runner.invoke(main, ["seed", "demo"])
    assert seeded.exit_code == 0, seeded.output
    assert "200 booths" in seeded.output
    again = runner.invoke(main, ["seed", "demo"])
    assert again.exit_code == 0 and "already loaded" in again.output

    created = runner.invoke(main, ["users", "create-organiser", "--email", "BTC@Example.vn", "--password", "dai-du-8"])
    assert created.exit_code == 0, created.output
    assert "btc@example.vn" in created.output
    duplicate = runner.invoke(
        main, ["users", "create-organiser", "--email", "btc@example.vn", "--password", "dai-du-8"]
    )
    assert duplicate.exit_code != 0
    assert "already exists" in duplicate.output
    short = runner.invoke(main, ["users", "create-organiser", "--email", "a@b.vn", "--password", "short"])
    assert short.exit_code != 0
