"""The manual outage check: really stop the machine's PostgreSQL under a running server, then start it again.

Run by hand, never in the test suite (it stops the server every other database on the machine lives on):

    createdb -h 127.0.0.1 -U postgres ocopfair_outage
    .venv/bin/python scripts/postgres_outage.py postgresql+asyncpg://postgres@127.0.0.1:5432/ocopfair_outage
    dropdb -h 127.0.0.1 -U postgres ocopfair_outage

It migrates the database, serves it with ``ocopfair run`` (scheduler off) on a free port, registers an account,
then stops the cluster with ``pg_ctlcluster`` and checks that the API answers 503 problem+json, a page 503, ``/ready``
503 and ``/health`` 200, and that the account written during the outage is not there; it starts the cluster
(whatever happened) and checks that the same server process serves and writes again within ``--recover-within``
seconds, without a restart. Each check is printed; the exit status is 0 only when all hold.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
PASSWORD = "outage-check-password"


def _cluster(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    command = shutil.which("pg_ctlcluster") or "/usr/bin/pg_ctlcluster"
    subprocess.run([command, "--skip-systemctl-redirect", version, "main", action], check=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Checks:
    def __init__(self) -> None:
        self.failed = 0

    def expect(self, what: str, held: bool, seen: object) -> None:
        print(f"{'ok  ' if held else 'FAIL'} {what}: {seen}", flush=True)
        self.failed += not held


def _register(client: httpx.Client, email: str) -> httpx.Response:
    body = {"email": email, "password": PASSWORD, "role": "buyer", "display_name": email}
    return client.post("/api/auth/register", json=body)


def _wait_until(client: httpx.Client, path: str, status: int, seconds: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if client.get(path).status_code == status:
                return time.monotonic() - started
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    return None


def check(database_url: str, recover_within: float) -> int:
    env = {**os.environ, "OCOPFAIR_DATABASE_URL": database_url, "OCOPFAIR_SCHEDULER": "off"}
    subprocess.run([BIN / "ocopfair", "database", "upgrade"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = _free_port()
    server = subprocess.Popen(
        [BIN / "ocopfair", "run", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    checks = Checks()
    run_id = int(time.time())
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            checks.expect("server up", _wait_until(client, "/ready", 200, 60) is not None, f"port {port}")
            checks.expect("register before", _register(client, f"before-{run_id}@example.vn").status_code == 201, "")
            _cluster("stop")
            try:
                during = _register(client, f"during-{run_id}@example.vn")
                problem = during.headers.get("content-type", "").startswith("application/problem+json")
                checks.expect("write answers 503 problem", during.status_code == 503 and problem, during.text)
                credentials = {"email": f"before-{run_id}@example.vn", "password": PASSWORD}
                login = client.post("/api/auth/login", json=credentials)
                checks.expect("read answers 503", login.status_code == 503, login.status_code)
                page = client.get("/")
                checks.expect("page answers 503", page.status_code == 503, page.headers.get("content-type"))
                ready = client.get("/ready")
                checks.expect("/ready not ready", ready.status_code == 503, ready.text)
                checks.expect("/health alive", client.get("/health").status_code == 200, "")
            finally:
                _cluster("start")
            recovered = _wait_until(client, "/ready", 200, recover_within)
            checks.expect("/ready again, same process", recovered is not None and server.poll() is None, recovered)
            checks.expect("register after", _register(client, f"after-{run_id}@example.vn").status_code == 201, "")
            retry = _register(client, f"during-{run_id}@example.vn")
            checks.expect("nothing written during the outage", retry.status_code == 201, retry.status_code)
    finally:
        server.terminate()
        server.wait(30)
    return 1 if checks.failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url", help="an existing PostgreSQL database (postgresql+asyncpg://…), migrated here")
    parser.add_argument("--recover-within", type=float, default=30.0, help="seconds allowed to serve again")
    arguments = parser.parse_args()
    sys.exit(check(arguments.database_url, arguments.recover_within))


if __name__ == "__main__":
    main()
