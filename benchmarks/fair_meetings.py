"""The fair-sized case: 200 booths, 1,000 buyers, 2 days × 16 slots, 8,000 scored suggestions and 300 must requests.

Built from a fixed seed. The score is compared with an upper bound computed here, independently of the scheduler:
the maximum-weight b-matching ignoring slots (each booth at most 32 meetings, each buyer at most 32, must requests
in), solved exactly by HiGHS. Conflicts are recounted from the slots.
"""

from __future__ import annotations

import random
import time
from collections import Counter

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.meeting_model import MeetingProblem, MeetingRequest, MeetingSlot
from matching.meetings import schedule_meetings

BOOTHS, BUYERS, DAYS, PER_SESSION, SUGGESTIONS, MUSTS, SEED = 200, 1000, 2, 8, 8000, 300, 2026


def fair_problem(seed: int = SEED) -> MeetingProblem:
    """Buyers favour popular booths (a Zipf-like pull), so some booths are asked for far beyond their 32 slots."""
    rng = random.Random(seed)
    slots = tuple(
        MeetingSlot(d * 2 * PER_SESSION + s * PER_SESSION + k, d, s)
        for d in range(DAYS)
        for s in range(2)
        for k in range(PER_SESSION)
    )
    weights = [1.0 / (i + 1) ** 0.6 for i in range(BOOTHS)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < SUGGESTIONS + MUSTS:
        pairs.add((rng.randrange(BUYERS), rng.choices(range(BOOTHS), weights)[0]))
    ordered = sorted(pairs)
    rng.shuffle(ordered)
    requests = [
        MeetingRequest(
            f"r{i}", f"buyer{b}", f"booth{e}", f"booth{e}", must=i < MUSTS, score=round(rng.uniform(0.1, 1.0), 3)
        )
        for i, (b, e) in enumerate(ordered)
    ]
    return MeetingProblem(
        slots=slots,
        requests=tuple(r for r in requests if r.must),
        suggestions=tuple(r for r in requests if not r.must),
    )


def matching_bound(problem: MeetingProblem) -> float:
    """The best total score of a b-matching ignoring slots (musts in), solved exactly."""
    everything = [*problem.requests, *problem.suggestions]
    cap = len(problem.slots)
    names: dict[str, int] = {}
    rows, cols = [], []
    for j, r in enumerate(everything):
        for key in (f"b:{r.buyer}", f"e:{r.exhibitor}"):
            rows.append(names.setdefault(key, len(names)))
            cols.append(j)
    matrix = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(len(names), len(everything)))
    lower = np.array([1.0 if r.must else 0.0 for r in everything])
    result = milp(
        -np.array([r.score for r in everything]),
        constraints=LinearConstraint(matrix, -np.inf, np.full(len(names), cap)),
        bounds=Bounds(lower, np.ones(len(everything))),
        integrality=np.ones(len(everything)),
    )
    return float(-result.fun)


def conflicts(problem: MeetingProblem, slots: dict[str, int]) -> int:
    """Double-booked participants and booths over their one table, counted from the slots alone; musts left out too."""
    by_id = {r.request_id: r for r in (*problem.requests, *problem.suggestions)}
    busy: Counter[tuple[str, int]] = Counter()
    for request_id, t in slots.items():
        r = by_id[request_id]
        busy[("b:" + r.buyer, t)] += 1
        busy[("e:" + r.exhibitor, t)] += 1
    clashes = sum(n - 1 for n in busy.values() if n > 1)
    return clashes + sum(1 for r in problem.requests if r.request_id not in slots)


def run_fair_case(time_limit_s: float = 10.0) -> dict[str, object]:
    """Schedule the fair case and print its figures."""
    problem = fair_problem()
    started = time.perf_counter()
    result = schedule_meetings(problem, time_limit_s=time_limit_s)
    seconds = time.perf_counter() - started
    bound = matching_bound(problem)
    row: dict[str, object] = {
        "status": result.status,
        "seconds": round(seconds, 2),
        "meetings": len(result.slots),
        "score": round(result.total_score, 3),
        "bound": round(bound, 3),
        "ratio": round(result.total_score / bound, 5),
        "conflicts": conflicts(problem, result.slots),
        "breaks": result.breaks,
        "max_breaks": result.max_breaks,
    }
    print(
        f"fair case: {row['meetings']} meetings, score {row['score']} / bound {row['bound']} = {row['ratio']:.4%}, "
        f"{row['conflicts']} conflicts, breaks {row['breaks']} (max {row['max_breaks']}), {row['seconds']} s, "
        f"{row['status']}",
        flush=True,
    )
    return row
