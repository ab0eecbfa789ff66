"""The meeting scheduler on real brokerage events (Bofill et al., JAIR 2022) and on a fair-sized synthetic case.

Run by hand:
    PYTHONPATH=src:. .venv/bin/python benchmarks/b2b_meetings.py [--instances DIR] [--only NAME ...] [--json OUT]
        [--time-limit S] [--fair] [--results benchmarks/RESULTS.md]
NAME matches file names by substring ("forum-13.original"); without --only the 20 originals run. Every schedule is
re-checked by ``check`` from the slots alone: all meetings placed, one meeting per business per slot, at most nTables
meetings per slot, sessions, forbidden and fixed slots, precedences; breaks are recounted the paper's way (per
business, consecutive meetings whose slots are not t and t+1; the morning/afternoon split only restricts sessions).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]


from benchmarks.fair_meetings import run_fair_case
from matching.meeting_model import MeetingProblem, MeetingRequest, MeetingSlot
from matching.meetings import schedule_meetings

DEFAULT_DIR = Path("/work/shared/benchmarks/b2b-meetings")
PAPER_OPTIMUM = {
    "forum-13": 0,
    "forum-13crafb": 6,
    "forum-13crafc": 1,
    "forum-14": 2,
    "forumt-14": 5,
    "forumt-14crafc": 5,
    "forumt-14crafd": 4,
    "forumt-14crafe": 5,
    "ticf-13crafa": 0,
    "ticf-13crafc": 1,
    "tic-12": 0,
    "tic-12crafc": 0,
    "tic-13": 0,
    "tic-13crafb": 0,
    "tic-13crafc": 4,
    "tic-14crafa": 0,
    "tic-14crafc": 0,
    "tic-14crafd": 0,
    "ticf-13crafb": 3,
    "ticf-14crafa": 0,
}


@dataclass(frozen=True, slots=True)
class B2BInstance:
    """One .dzn file; businesses, meetings and slots are 1-based as in the file."""

    n_business: int
    n_tables: int
    n_slots: int
    n_morning: int
    requested: tuple[tuple[int, int, int], ...]
    forbidden: tuple[frozenset[int], ...]
    fixed: tuple[int, ...]
    precedences: tuple[frozenset[int], ...]


def parse_dzn(text: str) -> dict[str, object]:
    """The subset of MiniZinc data the benchmark uses: ints, 1-D int arrays, 2-D ``[| |]`` arrays, arrays of sets."""
    text = re.sub(r"%[^\n]*", "", text)
    values: dict[str, object] = {}
    for name, raw in re.findall(r"(\w+)\s*=\s*(.*?);", text, flags=re.DOTALL):
        body = raw.strip()
        if body.startswith("[|"):
            rows = [r for r in body[2:].rstrip("]").rstrip("|").split("|") if r.strip()]
            values[name] = [[int(v) for v in row.replace(",", " ").split()] for row in rows]
        elif body.startswith("[") and "{" in body:
            values[name] = [
                frozenset(int(v) for v in inner.replace(",", " ").split()) for inner in re.findall(r"\{(.*?)\}", body)
            ]
        elif body.startswith("["):
            values[name] = [int(v) for v in body[1:-1].replace(",", " ").split()]
        else:
            values[name] = int(body)
    return values


def load_instance(path: Path) -> B2BInstance:
    """Read one instance; forbidden ``{0}`` means none."""
    raw = parse_dzn(path.read_text())
    n_meetings = int(raw["nMeetings"])  # type: ignore[call-overload]
    requested = tuple((r[0], r[1], r[2]) for r in raw["requested"])  # type: ignore[attr-defined]
    n_business = int(raw["nBusiness"])  # type: ignore[call-overload]
    forbidden = tuple(frozenset(s - {0}) for s in raw.get("forbidden", [frozenset()] * n_business))  # type: ignore[attr-defined]
    fixed = tuple(raw.get("fixed", [0] * n_meetings))  # type: ignore[call-overload]
    precedences = tuple(raw.get("precedences", [frozenset()] * n_meetings))  # type: ignore[call-overload]
    if not len(requested) == len(fixed) == len(precedences) == n_meetings:
        raise ValueError(f"{path.name}: requested, fixed and precedences must have nMeetings entries")
    return B2BInstance(
        n_business=n_business,
        n_tables=int(raw["nTables"]),  # type: ignore[call-overload]
        n_slots=int(raw["nTotalSlots"]),  # type: ignore[call-overload]
        n_morning=int(raw["nMorningSlots"]),  # type: ignore[call-overload]
        requested=requested,
        forbidden=forbidden,
        fixed=fixed,
        precedences=precedences,
    )


def to_problem(instance: B2BInstance) -> MeetingProblem:
    """Every requested meeting is a must at one of nTables shared tables; one day, morning = session 0."""
    slots = tuple(MeetingSlot(t, 0, 0 if t < instance.n_morning else 1) for t in range(instance.n_slots))
    sessions = {1: frozenset({0}), 2: frozenset({1}), 3: None}
    requests = tuple(
        MeetingRequest(
            request_id=str(m + 1),
            buyer=str(p1),
            exhibitor=str(p2),
            location=None,
            fixed_slot=instance.fixed[m] - 1 if instance.fixed[m] else None,
            sessions=sessions[kind],
            after=tuple(str(a) for a in sorted(instance.precedences[m])),
        )
        for m, (p1, p2, kind) in enumerate(instance.requested)
    )
    unavailable = {
        str(b + 1): frozenset(t - 1 for t in slots_) for b, slots_ in enumerate(instance.forbidden) if slots_
    }
    return MeetingProblem(
        slots=slots,
        requests=requests,
        shared_tables=instance.n_tables,
        unavailable=unavailable,
        break_scope="day",
        shared_ids=True,
    )


def check(instance: B2BInstance, slots: list[int | None]) -> tuple[list[str], int, int, int]:
    """Violations of the hard constraints (1-based slots, None = not placed), total, max and min breaks."""
    errors: list[str] = []
    busy: dict[int, list[int]] = {b: [] for b in range(1, instance.n_business + 1)}
    per_slot = [0] * (instance.n_slots + 1)
    for m, t in enumerate(slots, start=1):
        if t is None or not 1 <= t <= instance.n_slots:
            errors.append(f"meeting {m} not placed in a slot 1..{instance.n_slots}: {t}")
            continue
        errors += _meeting_violations(instance, slots, m, t)
        for p in instance.requested[m - 1][:2]:
            busy[p].append(t)
        per_slot[t] += 1
    errors += [
        f"slot {t}: {n} meetings > {instance.n_tables} tables" for t, n in enumerate(per_slot) if n > instance.n_tables
    ]
    breaks = []
    for p, times in busy.items():
        if len(set(times)) != len(times):
            errors.append(f"business {p} in two meetings in one slot")
        ordered = sorted(times)
        if ordered:
            breaks.append(sum(1 for a, b in itertools.pairwise(ordered) if b != a + 1))
    return errors, sum(breaks), max(breaks, default=0), min(breaks, default=0)


def _meeting_violations(instance: B2BInstance, slots: list[int | None], m: int, t: int) -> list[str]:
    """What meeting m (1-based) in slot t breaks on its own: session, fixed slot, forbidden slots, precedences."""
    p1, p2, kind = instance.requested[m - 1]
    errors = []
    if (kind == 1 and t > instance.n_morning) or (kind == 2 and t <= instance.n_morning):
        errors.append(f"meeting {m} in slot {t} outside its session {kind}")
    if instance.fixed[m - 1] and instance.fixed[m - 1] != t:
        errors.append(f"meeting {m} fixed to {instance.fixed[m - 1]} but in {t}")
    errors += [f"meeting {m} in slot {t} forbidden for {p}" for p in (p1, p2) if t in instance.forbidden[p - 1]]
    for earlier in instance.precedences[m - 1]:
        before = slots[earlier - 1]
        if before is not None and before >= t:
            errors.append(f"meeting {earlier} must precede {m} but is in {before} >= {t}")
    return errors


def run_instance(path: Path, time_limit_s: float) -> dict[str, object]:
    """Schedule one instance, check it, and return its row."""
    instance = load_instance(path)
    started = time.perf_counter()
    result = schedule_meetings(to_problem(instance), time_limit_s=time_limit_s)
    seconds = time.perf_counter() - started
    slots = [result.slots.get(str(m + 1)) for m in range(len(instance.requested))]
    one_based = [None if t is None else t + 1 for t in slots]
    errors, breaks, most, least = check(instance, one_based)
    if result.status in ("optimal", "feasible") and errors:
        raise AssertionError(f"{path.name}: invalid schedule: {errors[:5]}")
    if result.status in ("optimal", "feasible") and breaks != result.breaks:
        raise AssertionError(f"{path.name}: scheduler counts {result.breaks} breaks, checker {breaks}")
    return {
        "status": result.status,
        "breaks": breaks if not errors else None,
        "max_minus_min": most - least,
        "seconds": round(seconds, 2),
        "meetings": len(instance.requested),
        "unplaced": len(result.unplaced),
        "slots": one_based,
    }


def markdown_table(results: dict[str, dict[str, object]]) -> str:
    """The rows as the Markdown table of benchmarks/RESULTS.md: instance, meetings, breaks, the paper's optimum,
    fairness (max − min breaks of a business), seconds and status."""
    lines = [
        "| instance | meetings | breaks | paper optimum | fairness | s | status |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in results.items():
        if name == "fair":
            continue
        optimum = PAPER_OPTIMUM.get(name.split(".")[0]) if name.endswith(".original") else None
        breaks = "—" if row["breaks"] is None else row["breaks"]
        status = f"{row['status']} ({row['unplaced']} unplaced)" if row["unplaced"] else row["status"]
        lines.append(
            f"| {name.removesuffix('.original')} | {row['meetings']} | {breaks} | "
            f"{'—' if optimum is None else optimum} | {row['max_minus_min']} | {row['seconds']} | {status} |"
        )
    return "\n".join(lines) + "\n"


def append_results(path: Path, results: dict[str, dict[str, object]], time_limit_s: float) -> None:
    """Append a dated section with the command line and the table to ``path``."""
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    heading = (
        f"\n{time.strftime('%Y-%m-%d %H:%M')} UTC, `{' '.join(sys.argv)}`, time limit {time_limit_s:g} s, "
        f"{os.cpu_count()} cores, load average {load} at the end:\n\n"
    )
    with path.open("a", encoding="utf-8") as out:
        out.write(heading + markdown_table(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--instances", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--time-limit", type=float, default=55.0)
    parser.add_argument("--fair", action="store_true", help="also run the synthetic fair case")
    parser.add_argument("--results", type=Path, default=None, help="append the table to this file (RESULTS.md)")
    args = parser.parse_args()
    files = sorted(args.instances.glob("*.dzn"))
    if args.only:
        files = [f for f in files if any(name in f.name for name in args.only)]
    else:
        files = [f for f in files if f.name.endswith(".original.dzn")]
    results: dict[str, dict[str, object]] = {}
    for path in files:
        row = run_instance(path, args.time_limit)
        name = path.name.removesuffix(".dzn")
        results[name] = row
        optimum = PAPER_OPTIMUM.get(name.split(".")[0]) if name.endswith(".original") else None
        print(
            f"{name:36s} meetings {row['meetings']:4d}  breaks {row['breaks']!s:>4s}  paper {optimum!s:>4s}  "
            f"fairness {row['max_minus_min']}  {row['seconds']:6.2f} s  {row['status']}"
            + (f"  unplaced {row['unplaced']}" if row["unplaced"] else ""),
            flush=True,
        )
    if args.fair:
        results["fair"] = run_fair_case()
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    if args.results:
        append_results(args.results, results, args.time_limit)


if __name__ == "__main__":
    main()
