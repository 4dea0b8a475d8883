"""Fuzzing benchmark: hostile input files through the readers and the ``anticipe`` commands.

Runs the harness of ``tests/fuzz`` (the same generators and checks as the tests, which
run a few hundred inputs) on many more inputs: study files (the example study and a small
one, changed gently or made hostile, JSON broken), experts' matrices and vote sheets
(CSV and XLSX, bad cells, codes, encodings, far cells, zip bombs), ScenarioWizard projects.
Each input goes through its public reader and one command run in-process (``validate``,
``analyse ...``, ``report`` as HTML/XLSX/DOCX, ``template``).

Reports the inputs tried (by kind, accepted or refused), the tracebacks (an exception other
than the documented refusal, an exit code other than 0 or 2, a case running longer than
the harness' alarm), the files written on a refusal, and the time per input.

Usage::

    uv run python benchmarks/bench_fuzz.py                  # 10,000 inputs
    uv run python benchmarks/bench_fuzz.py --inputs 500 --seed 7
    uv run python benchmarks/bench_fuzz.py --smoke          # 40 inputs, for CI

Input ``i`` is made by ``random.Random(seed * 1_000_003 + i)``: a failure printed with its
number replays with the same seed. Exit code 1 if any input failed.
"""

from __future__ import annotations

import argparse
import collections
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' harness

from tests.fuzz.harness import Outcome, describe, random_case, run_case


def run(count: int, seed: int, progress: bool) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for number in range(count):
        case = random_case(random.Random(seed * 1_000_003 + number))
        with tempfile.TemporaryDirectory() as folder:
            outcome = run_case(case, Path(folder))
        outcomes.append(outcome)
        if outcome.failures:
            print(f"input {number} (seed {seed}) failed:\n{describe(outcome)}\n", flush=True)
        if progress and (number + 1) % 500 == 0:
            print(f"  {number + 1} inputs…", file=sys.stderr, flush=True)
    return outcomes


def report(outcomes: list[Outcome], seconds: float) -> int:
    kinds = collections.Counter(
        (outcome.case.input.kind, "refused" if outcome.refused else "accepted")
        for outcome in outcomes
    )
    failures = [failure for outcome in outcomes for failure in outcome.failures]
    written = [f for f in failures if f.startswith("files written on refusal")]
    slow = [f for f in failures if "still running after" in f]
    durations = sorted(outcome.seconds for outcome in outcomes)
    print(f"inputs tried: {len(outcomes)}")
    for kind in ("study", "matrix", "ballots", "scw"):
        accepted, refused = kinds[(kind, "accepted")], kinds[(kind, "refused")]
        print(f"  {kind:8} {accepted + refused:6} ({accepted} accepted, {refused} refused)")
    print(f"inputs failed: {sum(1 for outcome in outcomes if outcome.failures)}")
    print(f"  tracebacks or other exit codes: {len(failures) - len(written) - len(slow)}")
    print(f"  files written on refusal: {len(written)}")
    print(f"  longer than the alarm: {len(slow)}")
    print(f"time: {seconds:.1f} s in all")
    if durations:
        p99 = durations[min(len(durations) - 1, int(0.99 * len(durations)))]
        print(
            f"  per input: median {statistics.median(durations) * 1000:.0f} ms, "
            f"99th percentile {p99 * 1000:.0f} ms, longest {durations[-1]:.2f} s"
        )
    return 1 if failures else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs to try (10,000)")
    parser.add_argument("--seed", type=int, default=2018, help="seed of the inputs (2018)")
    parser.add_argument("--smoke", action="store_true", help="40 inputs, for CI")
    arguments = parser.parse_args()
    count = 40 if arguments.smoke else arguments.inputs
    started = time.perf_counter()
    outcomes = run(count, arguments.seed, progress=not arguments.smoke)
    return report(outcomes, time.perf_counter() - started)


if __name__ == "__main__":
    sys.exit(main())
