"""The service under load: a real server with several workers on PostgreSQL, the demo fair, many clients at once.

Run by hand, not in the test suite (it takes a few minutes and both cores):

    createdb -h 127.0.0.1 -U postgres ocopfair_load
    export OCOPFAIR_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/ocopfair_load
    .venv/bin/ocopfair database upgrade && .venv/bin/ocopfair seed demo
    PYTHONPATH=src:. .venv/bin/python -m benchmarks.load --database-url "$OCOPFAIR_DATABASE_URL"

It starts ``ocopfair run --workers 2`` (scheduler off, as web workers run beside one scheduler process) on a free
port, signs in the demo organiser and buyer once, reads every demand's matches a few times (each worker keeps the
answers it computed until something they depend on changes: the figures are for a fair's morning, not its first
minute), then runs phases of ``--seconds`` each after ``--warmup`` seconds, with ``--clients`` concurrent
closed-loop clients (each sends its next request when the last is answered; the answers that arrive within the
phase are counted): ``/health`` alone (the ceiling), catalogue reads, match reads, demand writes, meeting requests,
each alone, then all four mixed. Last, ``--racers`` clients, each on its own connection, ask at the same instant for the
same meeting (the demo buyer with one exhibitor): exactly one may be created, every other answer must be 409.

The clients run in ``--client-processes`` processes of their own (httpx on uvloop, a connection per client), never
in the server's, so on a 2-core machine they compete with the server only as any other process does; the report
gives the CPU each side used.
Goals: match reads at least half the ``/health`` throughput, their p99 under three times its p99, no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import random
import secrets
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "ocopfair-demo"
ORGANISER, BUYER = "organiser@ocopfair.vn", "buyer@ocopfair.vn"
KINDS = ("health", "catalogue", "matches", "demand_writes", "meeting_requests")
EXPECTED = {"health": 200, "catalogue": 200, "matches": 200, "demand_writes": 201, "meeting_requests": 201}
MIX = {"catalogue": 40, "matches": 30, "demand_writes": 15, "meeting_requests": 15}
PHASES: tuple[tuple[str, dict[str, int]], ...] = (
    *((kind, {kind: 1}) for kind in KINDS),
    ("mixed", MIX),
)
CATALOGUE_QUERIES: tuple[dict[str, Any], ...] = (
    {},
    {"category": "food"},
    {"category": "food.condiment"},
    {"min_stars": 4},
    {"q": "nuoc mam"},
    {"q": "tra shan tuyet"},
    {"province": "thanh_hoa"},
    {"certification": "vietgap"},
)
DEMAND_TEXTS = ("nước mắm truyền thống", "gao ST25 dong tui 5kg", "chè búp khô", "mật ong rừng", "đồ thủ công mây tre")
START_DELAY_S = 3.0
SERVER_START_TIMEOUT_S = 180.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
TLS = ssl.create_default_context()  # built once: httpx builds one per client otherwise (~50 ms each), TLS or not


@dataclass(frozen=True)
class Target:
    """What the clients need to know, gathered once through the API."""

    base_url: str
    organiser: dict[str, str]
    buyer: dict[str, str]
    fair_id: str
    buyer_id: str
    demand_ids: list[str]
    categories: list[str]
    free_pairs: list[tuple[str, str]]
    race_exhibitor: str


@dataclass(frozen=True)
class Plan:
    """One client process's share of a phase."""

    target: Target
    weights: dict[str, int]
    clients: int
    start: float
    measure_from: float
    end: float
    pairs: list[tuple[str, str]]
    seed: int


@dataclass
class Tally:
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, Counter[str]] = field(default_factory=dict)
    cpu_s: float = 0.0

    def record(self, kind: str, latency_ms: float, outcome: str) -> None:
        self.latencies_ms.setdefault(kind, []).append(latency_ms)
        if outcome != str(EXPECTED[kind]):
            self.errors.setdefault(kind, Counter())[outcome] += 1

    def merge(self, other: Tally) -> None:
        for kind, values in other.latencies_ms.items():
            self.latencies_ms.setdefault(kind, []).extend(values)
        for kind, counts in other.errors.items():
            self.errors.setdefault(kind, Counter()).update(counts)
        self.cpu_s += other.cpu_s


# ------------------------------------------------------------------------------------------------ server and setup


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(database_url: str, port: int, workers: int, var_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    """``ocopfair run`` as a deployment runs it, logging to ``log``."""
    env = {
        **os.environ,
        "OCOPFAIR_DATABASE_URL": database_url,
        "OCOPFAIR_SCHEDULER": "off",
        "OCOPFAIR_SECRET_KEY": secrets.token_urlsafe(48),
        "OCOPFAIR_VAR_DIR": str(var_dir),
        "OCOPFAIR_LOG_LEVEL": "WARNING",
    }
    command = [str(Path(sys.executable).parent / "ocopfair"), "run", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as output:
        return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603  (our own CLI)


def wait_until_ready(base_url: str, server_log: Path | None, workers: int) -> None:
    """Until ``/ready`` answers and, for a server started here, every worker has logged its startup (a worker still
    importing would otherwise join in the middle of a phase)."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    with httpx.Client(base_url=base_url, timeout=5) as client:
        while time.monotonic() < deadline:
            started = server_log is None or server_log.read_text().count("Application startup complete") >= workers
            try:
                if started and client.get("/ready").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
    raise SystemExit(f"the server at {base_url} did not become ready within {SERVER_START_TIMEOUT_S:.0f} s")


def _signed_in(client: httpx.Client, email: str) -> dict[str, str]:
    response = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _all(client: httpx.Client, url: str, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        response = client.get(url, params={**params, "limit": 100, "offset": len(items)}, headers=headers)
        response.raise_for_status()
        page = response.json()
        items.extend(page["items"])
        if len(items) >= page["total"] or not page["items"]:
            return items


def prepare(base_url: str) -> Target:
    """The demo fair's ids through the API: its demands (but the demo buyer's, which the demand writes add to, so
    that every run reads the same ones), confirmed exhibitors, and buyer–exhibitor pairs with no request yet (the
    organiser asks on the buyers' behalf, as organisers may)."""
    with httpx.Client(base_url=base_url, timeout=60) as client:
        organiser, buyer = _signed_in(client, ORGANISER), _signed_in(client, BUYER)
        fair_id = str(_all(client, "/api/fairs", organiser)[0]["id"])
        buyers = _all(client, "/api/buyers", organiser)
        own = _all(client, "/api/buyers", buyer)[0]["id"]
        demand_ids = [
            demand["id"]
            for listed in buyers
            if listed["id"] != own
            for demand in _all(client, f"/api/buyers/{listed['id']}/demands", organiser)
            if demand["fair_id"] == fair_id
        ]
        booths = _all(client, f"/api/fairs/{fair_id}/booths", organiser, status="confirmed")
        exhibitors = sorted({booth["exhibitor_id"] for booth in booths})
        asked = {
            (request["buyer_id"], request["exhibitor_id"])
            for request in _all(client, f"/api/fairs/{fair_id}/meeting-requests", organiser)
        }
        categories = [
            sub["code"] for group in client.get("/api/reference/categories").json() for sub in group["subgroups"]
        ]
    others = sorted(listed["id"] for listed in buyers if listed["id"] != own)
    pairs = [(b, e) for b, e in itertools.product(others, exhibitors) if (b, e) not in asked]
    random.Random(7).shuffle(pairs)
    race_exhibitor = next(e for e in exhibitors if (own, e) not in asked)
    return Target(base_url, organiser, buyer, fair_id, own, demand_ids, categories, pairs, race_exhibitor)


async def _prime(target: Target, rounds: int, concurrency: int = 8) -> None:
    """Read every demand's matches ``rounds`` times, so that every worker has most answers at hand. Each batch comes
    on connections of its own: a worker keeps what it computed, and connections reused batch after batch would all
    stay with the worker that accepted them (the other one then ranked each demand afresh, under load, for the
    first ten seconds of the match phase)."""
    urls = [f"/api/demands/{demand_id}/matches?limit=20" for demand_id in target.demand_ids] * rounds
    for start in range(0, len(urls), concurrency):
        batch = urls[start : start + concurrency]
        answers = await asyncio.gather(*(_get_once(target, url) for url in batch))
        for answer in answers:
            answer.raise_for_status()


async def _get_once(target: Target, url: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=target.base_url, timeout=120, verify=TLS) as http:
        return await http.get(url, headers=target.organiser)


# ------------------------------------------------------------------------------------------------------ the clients


def _request(kind: str, target: Target, rng: random.Random, pairs: list[tuple[str, str]]) -> tuple[str, str, Any]:
    """Method, URL (with query) and JSON body of one request of ``kind``."""
    if kind == "health":
        return "GET", "/health", None
    if kind == "catalogue":
        query = {**rng.choice(CATALOGUE_QUERIES), "limit": 20, "offset": 20 * rng.randrange(3)}
        return "GET", f"/api/products?{httpx.QueryParams(query)}", None
    if kind == "matches":
        return "GET", f"/api/demands/{rng.choice(target.demand_ids)}/matches?limit=20", None
    if kind == "demand_writes":
        body = {
            "text": rng.choice(DEMAND_TEXTS),
            "categories": [rng.choice(target.categories)],
            "quantity": {"amount": rng.randint(1, 50) * 100, "unit": "kg", "per": "month"},
            "fair_id": target.fair_id,
        }
        return "POST", f"/api/buyers/{target.buyer_id}/demands", body
    buyer_id, exhibitor_id = pairs.pop()
    return "POST", f"/api/fairs/{target.fair_id}/meeting-requests", {"buyer_id": buyer_id, "exhibitor_id": exhibitor_id}


def _headers(kind: str, target: Target) -> dict[str, str]:
    return target.buyer if kind in {"catalogue", "demand_writes"} else target.organiser


async def _client(
    http: httpx.AsyncClient, plan: Plan, pairs: list[tuple[str, str]], rng: random.Random, tally: Tally
) -> None:
    """One client: a request of a kind drawn by the plan's weights, then the next once it is answered."""
    kinds, weights = list(plan.weights), list(plan.weights.values())
    while time.time() < plan.end:
        kind = rng.choices(kinds, weights)[0]
        if kind == "meeting_requests" and not pairs:
            tally.errors.setdefault(kind, Counter())["no free pair left"] += 1
            await asyncio.sleep(0.01)
            continue
        method, url, body = _request(kind, plan.target, rng, pairs)
        started = time.perf_counter()
        try:
            response = await http.request(method, url, json=body, headers=_headers(kind, plan.target))
            outcome = str(response.status_code)
        except httpx.HTTPError as exc:
            outcome = type(exc).__name__
        if plan.measure_from <= time.time() <= plan.end:
            tally.record(kind, (time.perf_counter() - started) * 1000, outcome)


async def _drive(plan: Plan) -> Tally:
    """The process's clients, each on a keep-alive connection of its own: closed-loop clients sharing one httpx pool
    cost the pool more the longer answers take (it walks its queue of waiting requests on every change), which
    charged the slower routes' client CPU double (3.0 against 1.4 ms per match read at 25 clients)."""
    tally = Tally()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=plan.target.base_url, limits=limits, timeout=60, verify=TLS)
            )
            for _ in range(plan.clients)
        ]
        await asyncio.sleep(max(0.0, plan.start - time.time()))
        cpu = time.process_time()
        await asyncio.gather(
            *(
                _client(http, plan, plan.pairs[n :: plan.clients], random.Random(plan.seed * 1000 + n), tally)
                for n, http in enumerate(clients)
            )
        )
        tally.cpu_s = time.process_time() - cpu
    return tally


def client_process(plan: Plan) -> Tally:
    """A client process: ``plan.clients`` clients sharing one connection pool, on uvloop when it is installed."""
    try:
        import uvloop  # noqa: PLC0415  (optional: a faster loop leaves more of the machine to the server)
    except ImportError:
        return asyncio.run(_drive(plan))
    return uvloop.run(_drive(plan))


async def _race_one(base_url: str, url: str, body: dict[str, str], headers: dict[str, str], at: float) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=120, verify=TLS) as http:
        await http.get("/health")
        await asyncio.sleep(max(0.0, at - time.time()))
        try:
            return str((await http.post(url, json=body, headers=headers)).status_code)
        except httpx.HTTPError as exc:
            return type(exc).__name__


async def _race(target: Target, racers: int, at: float) -> Counter[str]:
    url = f"/api/fairs/{target.fair_id}/meeting-requests"
    body = {"buyer_id": target.buyer_id, "exhibitor_id": target.race_exhibitor}
    outcomes = await asyncio.gather(*(_race_one(target.base_url, url, body, target.buyer, at) for _ in range(racers)))
    return Counter(outcomes)


def race_process(target: Target, racers: int, at: float) -> Counter[str]:
    return asyncio.run(_race(target, racers, at))


# ---------------------------------------------------------------------------------------------------- measurement


def _process_cpu_s(pid: int) -> float:
    """CPU seconds of ``pid`` and its children, from /proc."""
    total = 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(_process_cpu_s(int(child)) for child in children)


def _machine_busy() -> tuple[float, float]:
    values = [float(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@dataclass
class PhaseResult:
    name: str
    seconds: float
    tally: Tally
    server_cpu_s: float
    machine_busy: float
    load_average: tuple[float, float, float]


def run_phase(
    pool: ProcessPoolExecutor,
    target: Target,
    phase: int,
    options: argparse.Namespace,
    server_pid: int | None,
    pairs: list[tuple[str, str]],
) -> PhaseResult:
    """Phase number ``phase`` of ``PHASES``; its meeting requests take their pairs from ``pairs`` only."""
    name, weights = PHASES[phase]
    processes = options.client_processes
    start = time.time() + START_DELAY_S
    measure_from, end = start + options.warmup, start + options.warmup + options.seconds
    plans = [
        Plan(
            target,
            weights,
            options.clients // processes + (n < options.clients % processes),
            start,
            measure_from,
            end,
            pairs[n::processes],
            seed=phase * 100 + n,
        )
        for n in range(processes)
    ]
    futures = [pool.submit(client_process, plan) for plan in plans]
    time.sleep(max(0.0, measure_from - time.time()))
    server_cpu, (busy, total) = _process_cpu_s(server_pid) if server_pid else 0.0, _machine_busy()
    time.sleep(max(0.0, end - time.time()))
    server_cpu = (_process_cpu_s(server_pid) if server_pid else 0.0) - server_cpu
    busy_after, total_after = _machine_busy()
    load = os.getloadavg()
    tally = Tally()
    for future in futures:
        tally.merge(future.result())
    return PhaseResult(name, options.seconds, tally, server_cpu, (busy_after - busy) / (total_after - total), load)


def _percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def summarise(result: PhaseResult) -> list[dict[str, Any]]:
    rows = []
    for kind, values in sorted(result.tally.latencies_ms.items()):
        errors = result.tally.errors.get(kind, Counter())
        rows.append(
            {
                "phase": result.name,
                "kind": kind,
                "requests": len(values),
                "per_s": round(len(values) / result.seconds, 1),
                "p50_ms": round(_percentile(values, 0.5), 1),
                "p99_ms": round(_percentile(values, 0.99), 1),
                "errors": sum(errors.values()),
                "error_kinds": dict(errors),
            }
        )
    return rows


def _markdown(rows: list[dict[str, Any]], results: list[PhaseResult]) -> str:
    cpu = {r.name: r for r in results}
    lines = [
        "| phase | kind | requests | req/s | p50 ms | p99 ms | errors | server CPU | per request | client CPU | busy |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        phase = cpu[row["phase"]]
        answered = sum(len(values) for values in phase.tally.latencies_ms.values())
        server = f"{phase.server_cpu_s / phase.seconds:.2f} cores"
        per_request = f"{1000 * phase.server_cpu_s / answered:.1f} ms" if answered else "–"
        client = f"{phase.tally.cpu_s / phase.seconds:.2f} cores"
        errors = f"{row['errors']} {row['error_kinds']}" if row["errors"] else "0"
        lines.append(
            f"| {row['phase']} | {row['kind']} | {row['requests']} | {row['per_s']} | {row['p50_ms']} | "
            f"{row['p99_ms']} | {errors} | {server} | {per_request} | {client} | {phase.machine_busy:.0%} |"
        )
    return "\n".join(lines)


def _goals(rows: list[dict[str, Any]], race: Counter[str]) -> list[tuple[str, bool, str]]:
    goals = []
    alone = {row["kind"]: row for row in rows if row["phase"] == row["kind"]}
    if "health" in alone and "matches" in alone:
        health, matches = alone["health"], alone["matches"]
        share, tail = matches["per_s"] / health["per_s"], matches["p99_ms"] / health["p99_ms"]
        goals += [
            ("match reads ≥ 50 % of /health throughput", share >= 0.5, f"{share:.0%}"),
            ("match reads p99 < 3 × /health p99", tail < 3, f"{tail:.2f}×"),
        ]
    errors = sum(row["errors"] for row in rows)
    one = race.get("201", 0) == 1 and race.get("409", 0) == sum(race.values()) - 1
    return [
        *goals,
        ("no errors", errors == 0, str(errors)),
        ("racing meeting requests: one 201, 409 for the rest", one, str(dict(race))),
    ]


def measure(
    options: argparse.Namespace, target: Target, server_pid: int | None
) -> tuple[list[PhaseResult], Counter[str]]:
    """The chosen phases one after the other, then the race for one meeting."""
    wanted = set(options.phases.split(","))
    asking = [n for n, (name, weights) in enumerate(PHASES) if name in wanted and "meeting_requests" in weights]
    results: list[PhaseResult] = []
    race: Counter[str] = Counter()
    with ProcessPoolExecutor(options.client_processes, mp_context=get_context("spawn")) as pool:
        for phase, (name, _) in enumerate(PHASES):
            if name in wanted:
                pairs = target.free_pairs[asking.index(phase) :: len(asking)] if phase in asking else []
                results.append(run_phase(pool, target, phase, options, server_pid, pairs))
                print(f"phase {name} done, load average {os.getloadavg()[0]:.2f}", flush=True)
        at = time.time() + START_DELAY_S * 2
        shares = [len(range(n, options.racers, options.client_processes)) for n in range(options.client_processes)]
        for future in [pool.submit(race_process, target, share, at) for share in shares]:
            race.update(future.result())
    return results, race


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a migrated PostgreSQL database with the demo fair (starts a server)")
    parser.add_argument("--url", help="load an already running server instead (the same demo data)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--racers", type=int, default=200)
    parser.add_argument("--phases", default=",".join(name for name, _ in PHASES), help="comma-separated subset")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument(
        "--server-log", type=Path, default=Path(tempfile.gettempdir()) / "ocopfair-load-server.log", help="kept"
    )
    options = parser.parse_args()
    if not (options.database_url or options.url):
        parser.error("give --database-url (a server is started) or --url (a running server)")
    return options


def main() -> None:
    options = _options()
    with tempfile.TemporaryDirectory(prefix="ocopfair-load-") as var_dir:
        server, server_log = None, None
        base_url = options.url
        if base_url is None:
            port = _free_port()
            base_url = f"http://127.0.0.1:{port}"
            server_log = options.server_log
            server = start_server(options.database_url, port, options.workers, Path(var_dir), server_log)
        try:
            wait_until_ready(base_url, server_log, options.workers)
            target = prepare(base_url)
            asyncio.run(_prime(target, rounds=2 * options.workers))
            print(
                f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}; "
                f"{options.workers} workers, {options.clients} clients in {options.client_processes} processes, "
                f"{options.seconds:.0f} s a phase after {options.warmup:.0f} s warm-up; "
                f"{len(target.demand_ids)} demands, {len(target.free_pairs)} free buyer–exhibitor pairs; "
                f"load average before {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            results, race = measure(options, target, server.pid if server else None)
        finally:
            if server is not None:
                server.terminate()
                server.wait(60)
    rows = [row for result in results for row in summarise(result)]
    print(_markdown(rows, results))
    print(
        "load average (1 min) at the end of each phase: "
        + ", ".join(f"{r.name} {r.load_average[0]:.2f}" for r in results)
    )
    for goal, held, seen in _goals(rows, race):
        print(f"{'met ' if held else 'MISS'} {goal}: {seen}")
    if options.json:
        options.json.write_text(json.dumps({"rows": rows, "race": dict(race)}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
