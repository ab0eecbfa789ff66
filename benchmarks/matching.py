"""Matching at national scale, and the vectorised engine against the per-pair oracle.

Run by hand:  PYTHONPATH=src:. .venv/bin/python -m benchmarks.matching [products] [demands] [sample]
(a) fits the catalogue and ranks every demand's top 20: wall time and peak memory;
(b) on a sample × sample subset, times the fast path and the oracle of tests/unit/matching_oracle.py in one run and
    checks both give the same top 20.
"""

from __future__ import annotations

import datetime as dt
import resource
import sys
import time

from benchmarks.synthetic import needs, supplies
from matching.catalogue import fit_catalogue
from matching.engine import rank
from seeds.reference import matching_reference
from tests.unit.matching_oracle import oracle_rank

TODAY = dt.date(2026, 11, 28)


def main(products: int, demands: int, sample: int) -> None:
    catalogue_items, demand_items = supplies(products), needs(demands)
    started = time.perf_counter()
    catalogue = fit_catalogue(catalogue_items, matching_reference(), TODAY)
    fitted = time.perf_counter()
    rankings = rank(catalogue, demand_items, k=20)
    ranked = time.perf_counter()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"(a) {products} products x {demands} demands: fit {fitted - started:.2f} s, rank {ranked - fitted:.2f} s, "
        f"total {ranked - started:.2f} s, peak RSS {peak_mib:.0f} MiB, {sum(len(r.matches) for r in rankings)} matches"
    )

    small = fit_catalogue(catalogue_items[:sample], matching_reference(), TODAY)
    sample_needs = demand_items[:sample]
    started = time.perf_counter()
    fast = rank(small, sample_needs, k=20)
    fast_s = time.perf_counter() - started
    started = time.perf_counter()
    slow = oracle_rank(small, sample_needs, None, 20)
    slow_s = time.perf_counter() - started
    same = all(
        [m.product_id for m in a.matches] == [m.product_id for m in b.matches] for a, b in zip(fast, slow, strict=True)
    )
    print(
        f"(b) {sample} x {sample}: fast {fast_s:.3f} s, oracle {slow_s:.1f} s, speed-up {slow_s / fast_s:.0f}x, "
        f"identical top-20: {same}"
    )


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(*(arguments + [16_000, 10_000, 1_000][len(arguments) :]))
