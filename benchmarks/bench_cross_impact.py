"""Benchmark of the exact consistent-scenario search (cross-impact balance).

Measures :func:`anticipe.method.cross_impact.consistent_scenarios` on

- random dense spaces (10 descriptors x 3 variants, 14 x 4 = 268 million scenarios),
  integer impacts -3..3, zero self blocks, fixed seeds;
- the four ScenarioWizard reference matrices in ``../shared/reference/cib-cases`` (up
  to 408 million scenarios), checking that the solution set is reproduced EXACTLY
  (same scenarios, total impact scores and consistency values). Skipped when the
  folder is absent.

Usage::

    uv run python benchmarks/bench_cross_impact.py           # full run
    uv run python benchmarks/bench_cross_impact.py --smoke   # quick run for CI

Exit code 1 if a reference solution set is not reproduced.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from anticipe.method.cross_impact import consistent_scenarios

CASES = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "cib-cases"
REFERENCE = ["sei-global", "sei-nested-simplified-std", "sei-natl-regional", "sei-nested"]


def random_space(descriptors: int, variants: int, seed: int) -> tuple[Any, list[int]]:
    rng = np.random.default_rng(seed)
    size = descriptors * variants
    matrix = rng.integers(-3, 4, size=(size, size))
    for d in range(descriptors):
        block = slice(d * variants, (d + 1) * variants)
        matrix[block, block] = 0
    return matrix, [variants] * descriptors


def timed(matrix: Any, counts: list[int]) -> tuple[dict[str, Any], float]:
    start = time.perf_counter()
    result = consistent_scenarios(matrix, counts)
    return result, time.perf_counter() - start


def reference_case(name: str) -> tuple[bool, str]:
    folder = CASES / name
    described = json.loads((folder / "descriptors.json").read_text(encoding="utf-8"))
    counts = [len(d["variants"]) for d in described["descriptors"]]
    with (folder / "matrix.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    matrix = [[int(cell) for cell in row[1:]] for row in rows[1:]]
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    want = {
        tuple(i - 1 for i in s["variant_index_1based"]): (
            s["sl_field5_total_impact_score"],
            s["sl_field3_consistency_value"],
        )
        for s in expected["scenariowizard_solution_list_in_file_order"]
    }
    result, seconds = timed(matrix, counts)
    got = {
        tuple(s["scenario"]): (s["total_impact_score"], s["consistency_value"])
        for s in result["scenarios"]
    }
    ok = got == want
    line = (
        f"{name:28s} {result['scenario_count']:>13,d} scenarios  {result['count']:3d} consistent"
        f"  {result['nodes_visited']:>10,d} nodes  {seconds:8.3f} s  "
        f"{'EXACT' if ok else 'MISMATCH'}"
    )
    return ok, line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--smoke", action="store_true", help="quick run for CI")
    arguments = parser.parse_args(argv)

    random_cases = [(10, 3, 3), (8, 4, 1)] if arguments.smoke else [(10, 3, 5), (14, 4, 3)]
    print("random dense spaces (impacts -3..3)")
    for descriptors, variants, seeds in random_cases:
        for seed in range(seeds):
            matrix, counts = random_space(descriptors, variants, seed)
            result, seconds = timed(matrix, counts)
            print(
                f"  {descriptors:2d} x {variants} seed {seed}  {result['scenario_count']:>13,d}"
                f" scenarios  {result['count']:3d} consistent"
                f"  {result['nodes_visited']:>10,d} nodes  {seconds:8.3f} s"
            )

    if not CASES.is_dir():
        print(f"reference cases skipped ({CASES} absent)")
        return 0
    print("ScenarioWizard reference matrices")
    failures = 0
    for name in REFERENCE[:2] if arguments.smoke else REFERENCE:
        ok, line = reference_case(name)
        print("  " + line)
        failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
