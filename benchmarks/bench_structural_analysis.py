"""Time the structural analysis (MICMAC) and the bootstrap over experts.

Data are SIMULATED: random influence scores 0-3 with 5 % "don't know" and
2 % potential (P) cells; they say nothing about any real panel.

Usage::

    uv run python benchmarks/bench_structural_analysis.py            # full sizes
    uv run python benchmarks/bench_structural_analysis.py --smoke    # tiny, for CI

Prints, for each size, the median over ``--repeats`` runs of: the full
analysis (aggregation, direct, indirect, potential, selection) and the
bootstrap with ``--resamples`` resamples, in elapsed time and in processor time
(the processor time of all the process's threads: on a machine shared with other
work, elapsed time grows with the load, printed first, while processor time
mostly does not).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

# anticipe first, as in every anticipe process: it keeps numpy's BLAS to one thread
# (OPENBLAS_NUM_THREADS, unless set) before numpy loads
import anticipe  # noqa: F401  # isort: skip
import numpy as np

from anticipe.method.disagreement import bootstrap_experts
from anticipe.method.structural_analysis import structural_analysis


def simulated_panel(factors: int, experts: int, seed: int) -> tuple[Any, Any, list[str]]:
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 4, (experts, factors, factors)).astype(float)
    scores[rng.random(scores.shape) < 0.05] = np.nan
    potential = rng.random(scores.shape) < 0.02
    scores[potential] = np.nan
    return scores, potential, [f"A{i + 1}" for i in range(factors)]


def median_time(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median elapsed and processor seconds of ``fn`` over ``repeats`` runs."""
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, for CI")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--aggregation", choices=["mean", "median"], default="mean")
    args = parser.parse_args(argv)
    sizes = [(20, 12), (200, 50), (400, 50)]
    resamples, repeats = args.resamples, args.repeats
    if args.smoke:
        sizes, resamples, repeats = [(8, 4)], 20, 1

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(
        f"Structural analysis, SIMULATED data, aggregation={args.aggregation}, "
        f"median of {repeats} run(s); {os.cpu_count()} cores, load average {load}, "
        f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}"
    )
    header = (
        f"{'factors':>7} {'experts':>7} {'analysis (s)':>13} {'bootstrap (s)':>14} "
        f"{'(cpu s)':>8} resamples"
    )
    print(header)
    print("-" * len(header))
    for n, e in sizes:
        scores, potential, codes = simulated_panel(n, e, seed=n * 1000 + e)

        def analysis(s: Any = scores, p: Any = potential, c: list[str] = codes) -> object:
            return structural_analysis(s, c, potential=p, aggregation=args.aggregation)

        def bootstrap(s: Any = scores, p: Any = potential, c: list[str] = codes) -> object:
            return bootstrap_experts(
                s, c, potential=p, seed=1, n_resamples=resamples, aggregation=args.aggregation
            )

        t_a, _ = median_time(analysis, repeats)
        t_b, cpu_b = median_time(bootstrap, repeats)
        print(f"{n:>7} {e:>7} {t_a:>13.3f} {t_b:>14.3f} {cpu_b:>8.3f} {resamples}")
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"load average after the runs: {load}")


if __name__ == "__main__":
    main()
