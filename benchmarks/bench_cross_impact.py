"""Benchmark of the exact consistent-scenario search (cross-impact balance).

Measures :func:`anticipe.method.cross_impact.consistent_scenarios` against the
targets of issue 16, in one run:

- the ScenarioWizard reference matrices in ``../shared/reference/cib-cases`` (up to
  408 million scenarios), each solution set checked to be reproduced EXACTLY (same
  scenarios, total impact scores and consistency values);
- random dense spaces (integer impacts -3..3, zero self blocks, seed 0): 12 x 4
  (16.8 million scenarios), 14 x 4 (268 million), 16 x 4 (4.3 billion), 20 x 4
  (1.1 x 10^12; left out by ``--quick``);
- ScenarioWizard models joined: with no coupling (independent islands of descriptors)
  and with weak coupling (1 % of the cells between models set to +-1, seed 0), the
  weakly coupled sets checked against the compiled kernel run serially in one call;
- beside each case up to 14 x 4, the simple exact reference kept here: the numpy
  batched search (the project's engine without numba), same scenario set checked;
- PyCIB's exact pruned search (its package ``cib``, from its repository, e.g. on
  PYTHONPATH; optional, not a dependency) beside sei-nested and the random spaces up to
  12 x 4 when it is importable (``--pycib-all``: every random case), same set checked;
- the whole process ``anticipe analyse cib <ScenarioWizard file>`` (bytecode cached,
  median of 5), and which heavy modules it imports.

The machine's load (os.getloadavg) is printed with every figure: on a loaded machine
the wall-clock times stretch, the CPU times much less. Times are medians of several
runs (one run for the cases above 1 s). The first call of the compiled search
(numba's import, then its compilation or the load of its cached machine code) is
measured apart.

Usage::

    uv run python benchmarks/bench_cross_impact.py           # full run (a few minutes)
    uv run python benchmarks/bench_cross_impact.py --quick   # without 20 x 4
    uv run python benchmarks/bench_cross_impact.py --smoke   # quick run for CI

Exit code 1 if a reference solution set is not reproduced, two engines differ, or
``anticipe analyse cib`` imports one of the heavy modules.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from anticipe.method.cross_impact import _space, consistent_scenarios
from anticipe.method.scenario_search import compiled_available, search

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT.parent / "shared" / "reference" / "cib-cases"
REFERENCE = ["sei-global", "sei-nested-simplified-std", "sei-natl-regional", "sei-nested"]
HEAVY = ["rich", "jsonschema", "matplotlib", "django", "typst", "numba", "openpyxl"]


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:4.1f}/{five:4.1f}"


def random_space(descriptors: int, variants: int, seed: int) -> tuple[Any, list[int]]:
    rng = np.random.default_rng(seed)
    size = descriptors * variants
    matrix = rng.integers(-3, 4, size=(size, size))
    for d in range(descriptors):
        block = slice(d * variants, (d + 1) * variants)
        matrix[block, block] = 0
    return matrix, [variants] * descriptors


def read_case(name: str) -> tuple[Any, list[int], list[str], list[list[str]]]:
    folder = CASES / name
    described = json.loads((folder / "descriptors.json").read_text(encoding="utf-8"))
    names = [d["name"] for d in described["descriptors"]]
    variants = [d["variants"] for d in described["descriptors"]]
    with (folder / "matrix.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    matrix = np.array([[int(cell) for cell in row[1:]] for row in rows[1:]])
    return matrix, [len(v) for v in variants], names, variants


def joined(names: list[str], density: float, seed: int) -> tuple[Any, list[int]]:
    """Models side by side; a share ``density`` of the cells between them set to +-1."""
    parts = [read_case(name)[:2] for name in names]
    size = sum(m.shape[0] for m, _ in parts)
    matrix = np.zeros((size, size), dtype=np.int64)
    model = np.zeros(size, dtype=np.int64)
    first = 0
    for number, (m, _) in enumerate(parts):
        matrix[first : first + m.shape[0], first : first + m.shape[0]] = m
        model[first : first + m.shape[0]] = number
        first += m.shape[0]
    rng = np.random.default_rng(seed)
    pick = (model[:, None] != model[None, :]) & (rng.random((size, size)) < density)
    matrix[pick] = rng.choice([-1, 1], size=int(pick.sum()))
    return matrix, [count for _, counts in parts for count in counts]


def measure(run: Callable[[], Any], repeats: int) -> tuple[Any, float, float]:
    """(result, median wall seconds, median CPU seconds of the process)."""
    walls: list[float] = []
    cpus: list[float] = []
    result = None
    for _ in range(repeats):
        cpu, wall = time.process_time(), time.perf_counter()
        result = run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        if walls[-1] > 1.0:
            break
    return result, statistics.median(walls), statistics.median(cpus)


def verdict(seconds: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"target {target:g} s {'ok' if seconds <= target else 'MISSED'}"


def pycib_beside(matrix: Any, counts: list[int], found: set[tuple[int, ...]]) -> str:
    """PyCIB's exact pruned search on the same space, when its package ``cib`` is
    importable (optional; from its repository, e.g. on PYTHONPATH): time and same set."""
    if importlib.util.find_spec("cib") is None:
        return ""
    try:
        from cib.analysis import ScenarioAnalyzer  # type: ignore[import-not-found]
        from cib.core import CIBMatrix  # type: ignore[import-not-found]
        from cib.solvers.config import ExactSolverConfig  # type: ignore[import-not-found]

        names = [f"D{d:02d}" for d in range(len(counts))]
        states = {name: [f"S{k}" for k in range(c)] for name, c in zip(names, counts, strict=True)}
        model = CIBMatrix(states)
        starts = np.cumsum([0, *counts[:-1]])
        values = np.asarray(matrix)
        for i, (si, ci) in enumerate(zip(starts, counts, strict=True)):
            for j, (sj, cj) in enumerate(zip(starts, counts, strict=True)):
                for k in range(ci):
                    for v in range(cj):
                        if values[si + k, sj + v]:
                            model.set_impact(
                                names[i], f"S{k}", names[j], f"S{v}", float(values[si + k, sj + v])
                            )
        start = time.perf_counter()
        result = ScenarioAnalyzer(model).find_all_consistent_exact(config=ExactSolverConfig())
        seconds = time.perf_counter() - start
        theirs = {tuple(s.to_indices()) for s in result.scenarios}
        same = "same set" if theirs == found else f"{len(theirs)} scenarios (a different set)"
        return f"  | PyCIB {seconds:8.3f} s {same}"
    except Exception as error:  # its API may change: say so and go on
        return f"  | PyCIB not run ({type(error).__name__}: {error})"


def case(
    label: str,
    matrix: Any,
    counts: list[int],
    target: float | None,
    *,
    reference: bool,
    repeats: int = 5,
    pycib: bool = False,
) -> tuple[bool, set[tuple[int, ...]]]:
    """One case: the default search, and the numpy reference beside it when asked."""
    result, wall, cpu = measure(lambda: consistent_scenarios(matrix, counts), repeats)
    allocated = "      -  "
    if wall < 2.0:  # once more, tracing the allocations (slower, so not timed)
        tracemalloc.start()
        consistent_scenarios(matrix, counts)
        allocated = f"{tracemalloc.get_traced_memory()[1] / 2**20:5.1f} MiB"
        tracemalloc.stop()
    found = {tuple(s["scenario"]) for s in result["scenarios"]}
    line = (
        f"  {label:34s} {result['scenario_count']:>9.2e} scen. {result['count']:5d} found"
        f" {result['nodes_visited']:>11,d} nodes  {wall:8.4f} s (CPU {cpu:7.4f} s)"
        f"  alloc {allocated}  {load()}  {verdict(wall, target)}"
    )
    ok = True
    if reference:
        space = _space(matrix, counts, True)
        (numpy_found, _, _), numpy_wall, _ = measure(
            lambda: search(space, 0, None, "numpy"), max(1, repeats // 2)
        )
        same = {tuple(s) for s in numpy_found} == found
        ok = same
        line += f"  | numpy {numpy_wall:7.3f} s {'same set' if same else 'DIFFERENT SET'}"
    if pycib:
        line += pycib_beside(matrix, counts, found)
    print(line, flush=True)
    return ok, found


def serial_kernel_agrees(matrix: Any, counts: list[int], found: set[tuple[int, ...]]) -> bool:
    """The compiled kernel in one serial call (no islands, groups or branches) finds the
    same set: the check of the cases too large for the numpy reference."""
    from anticipe.method import _compiled_search
    from anticipe.method.scenario_search import _search_order, _tables

    space = _space(matrix, counts, True)
    free = np.full(space.n_descriptors, -1, dtype=np.int64)
    tables = _tables(space, _search_order(space))
    start = time.perf_counter()
    _, rows, _, _ = _compiled_search.run(tables, space.tolerance, free, len(counts), 0, 1024)
    seconds = time.perf_counter() - start
    same = {tuple(int(i) for i in row) for row in rows} == found
    print(f"    serial kernel {seconds:7.3f} s {'same set' if same else 'DIFFERENT SET'}")
    return same


def reference_set(name: str) -> set[tuple[int, ...]]:
    expected = json.loads((CASES / name / "expected.json").read_text(encoding="utf-8"))
    return {
        tuple(i - 1 for i in s["variant_index_1based"])
        for s in expected["scenariowizard_solution_list_in_file_order"]
    }


def reference_scores(name: str, matrix: Any, counts: list[int]) -> bool:
    """Scenarios, total impact scores and consistency values as ScenarioWizard's."""
    expected = json.loads((CASES / name / "expected.json").read_text(encoding="utf-8"))
    want = {
        tuple(i - 1 for i in s["variant_index_1based"]): (
            s["sl_field5_total_impact_score"],
            s["sl_field3_consistency_value"],
        )
        for s in expected["scenariowizard_solution_list_in_file_order"]
    }
    result = consistent_scenarios(matrix, counts)
    got = {
        tuple(s["scenario"]): (s["total_impact_score"], s["consistency_value"])
        for s in result["scenarios"]
    }
    return got == want


def scw_text(names: list[str], variants: list[list[str]], matrix: Any) -> str:
    """A ScenarioWizard 4 project file (the layout the reader expects)."""
    lines = ["$ ScenarioWizard 4.0", "bench.scw"]
    for name, group in zip(names, variants, strict=True):
        lines.append(f"&{name}")
        lines.extend(f" -{variant}" for variant in group)
    lines.append("#")
    for group in variants:
        lines.append("&")
        lines.extend(" " for _ in group)
    lines += ["#", "#"]
    lines.extend("FFFFFF" for _ in range(sum(len(g) for g in variants)))
    lines += ["#", "#"]
    lines.extend(",".join(f"{int(value):>2} " for value in row) for row in matrix)
    lines += ["#", "# 0-0", '""', "#", "#", ""]
    return "\r\n".join(lines)


def whole_process(name: str, repeats: int) -> bool:
    """``anticipe analyse cib`` on a ScenarioWizard file, as a user runs it."""
    matrix, _, names, variants = read_case(name)
    command = Path(sys.executable).with_name("anticipe")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.scw"
        path.write_text(scw_text(names, variants, matrix), encoding="utf-8")
        run = [str(command), "analyse", "cib", str(path)]
        # bytecode cached, as after a user's first run (even where the environment sets
        # PYTHONDONTWRITEBYTECODE, as the development machine's sessions do)
        warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        subprocess.run(run, check=True, capture_output=True, env=warm)
        walls: list[float] = []
        cpus: list[float] = []
        for _ in range(repeats):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(run, check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        probe = (
            "import runpy, sys; sys.argv = ['anticipe', 'analyse', 'cib', sys.argv[1]];"
            "import anticipe.cli.main as m; code = m.main(sys.argv[1:]);"
            f"print([h for h in {HEAVY!r} if h in sys.modules], file=sys.stderr)"
        )
        imported = subprocess.run(
            [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True
        ).stderr.strip()
    wall = statistics.median(walls)
    print(
        f"  anticipe analyse cib {name + '.scw':24s} whole process {wall:6.3f} s"
        f" (median of {repeats}, min {min(walls):.3f} s; CPU {statistics.median(cpus):.3f} s)"
        f"  {load()}  {verdict(wall, 0.4)}"
        f"  heavy modules imported: {imported}",
        flush=True,
    )
    return imported == "[]"


MEMORY_PROBE = """
import sys
sys.path.insert(0, sys.argv[2])
from bench_cross_impact import random_space
from anticipe.method.cross_impact import consistent_scenarios
from anticipe.method.scenario_search import compiled_available
def peak():  # VmHWM: this process's own peak (ru_maxrss may keep the parent's across exec)
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) // 1024
steps = [("python, numpy, anticipe", peak())]
if compiled_available():
    import numba
    steps.append(("+ numba", peak()))
    from anticipe.method.cross_impact import _space
    from anticipe.method.scenario_search import search
    search(_space([[0, 1], [1, 0]], [1, 1], True), 0, None, "compiled")
    steps.append(("+ its machine code", peak()))
matrix, counts = random_space(int(sys.argv[1]), 4, 0)
consistent_scenarios(matrix, counts)
steps.append(("+ the search", peak()))
print("; ".join(f"{what} {mib} MiB" for what, mib in steps))
"""


def search_memory(descriptors: int) -> None:
    """Peak memory of a fresh process running one big search (the default engine)."""
    run = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(descriptors), str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        check=True,
    )
    line = run.stdout.strip()
    total = float(line.rsplit(" ", 2)[-2])
    print(
        f"peak memory of a process searching {descriptors} x 4: {line}"
        f"  (target 150 MiB {'ok' if total <= 150 else 'MISSED'})  {load()}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--smoke", action="store_true", help="quick run for CI")
    parser.add_argument("--quick", action="store_true", help="leave out the 20 x 4 space")
    parser.add_argument(
        "--pycib-all", action="store_true", help="run PyCIB (when present) on every case"
    )
    arguments = parser.parse_args(argv)
    failures = 0

    print(f"numba installed: {compiled_available()}  {load()}  cores: {os.cpu_count()}")
    pycib = importlib.util.find_spec("cib") is not None
    print(
        f"PyCIB (package cib): {'present, run beside up to 12 x 4' if pycib else 'absent'}"
        "  (its 14 x 4 and larger take minutes: --pycib-all runs them too)"
    )
    if compiled_available() and not arguments.smoke:
        matrix, counts = random_space(12, 4, 1)
        cpu, wall = time.process_time(), time.perf_counter()
        search(_space(matrix, counts, True), 0, None, "compiled")
        print(
            f"first call of the compiled search (import + compile or cached load):"
            f" {time.perf_counter() - wall:.2f} s (CPU {time.process_time() - cpu:.2f} s)"
            f"  {load()}"
        )

    if CASES.is_dir():
        print("ScenarioWizard reference matrices (solution sets checked exactly)")
        for name in REFERENCE[:2] if arguments.smoke else REFERENCE:
            matrix, counts, _, _ = read_case(name)
            target = 0.002 if name == "sei-nested" else None
            ok, found = case(
                name, matrix, counts, target, reference=True, repeats=7, pycib=name == "sei-nested"
            )
            exact = ok and found == reference_set(name) and reference_scores(name, matrix, counts)
            print(f"    {'EXACT' if exact else 'MISMATCH'}: ScenarioWizard's set for {name}")
            failures += not exact
    else:
        print(f"reference cases skipped ({CASES} absent)")

    print("random dense spaces (impacts -3..3, seed 0)")
    randoms: list[tuple[int, int, float | None, bool]] = (
        [(10, 3, None, True), (8, 4, None, True)]
        if arguments.smoke
        else [(12, 4, 0.030, True), (14, 4, 0.150, True), (16, 4, 1.5, False)]
    )
    if not (arguments.smoke or arguments.quick):
        randoms.append((20, 4, 30.0, False))
    for descriptors, variants, target, with_reference in randoms:
        matrix, counts = random_space(descriptors, variants, 0)
        ok, _ = case(
            f"{descriptors} x {variants}",
            matrix,
            counts,
            target,
            reference=with_reference,
            pycib=descriptors <= 12 or arguments.pycib_all,
        )
        failures += not ok

    if CASES.is_dir() and not arguments.smoke:
        print("ScenarioWizard models joined (weak coupling: 1 % of the cells between them +-1)")
        two = ["sei-nested", "sei-natl-regional"]
        three = [*two, "sei-nested-simplified-std"]
        for names, density in ((two, 0.0), (three, 0.0), (two, 0.01), (three, 0.01)):
            matrix, counts = joined(names, density, 0)
            label = f"{len(names)} models, {'no coupling' if density == 0 else 'weak coupling'}"
            ok, found = case(label, matrix, counts, 5.0, reference=False, repeats=3)
            if density and compiled_available():
                ok = ok and serial_kernel_agrees(matrix, counts, found)
            failures += not ok
        print("command line")
        failures += not whole_process("sei-nested", 5)

    if not arguments.smoke:
        search_memory(16)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this benchmark process (numpy reference runs included): {peak:.0f} MiB")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
