"""Benchmark of the study report: the example study (Médiateur numérique) in each format.

Measures what a user waits for: the whole ``anticipe report examples/…/study.json -o
report.pdf`` process (start, imports, reading, the analysis with its 1,000 bootstrap
resamples, the context, the charts, the layout and the file), run again and again as a
new process, with the wall-clock time and the CPU time (user + system, the process and
its child: on two cores the charts are drawn beside the layout, see
``anticipe.report.background``), and the CPU time of the process alone ("main"): on a
busy machine the wall-clock time says more about the others' work than about the
report's, and "main" is the report's critical path on an idle one (the child's work
overlaps it). The process runs what the ``anticipe`` console script runs
(``sys.exit(main())``) and then writes its own CPU time. Python's bytecode is compiled
first, as an installed package has it.

The runs are interleaved (each round runs every format once, and the baseline's right
after, when one is given), so that a change in the machine's load hits every figure
alike; each figure is the median of its runs, beside the median load average (1 minute)
at their start. On a shared machine the median is inflated by other work: "best" is the
closer estimate of an idle machine, and the CPU time says how much work the report is.

Targets: PDF < 3 s, DOCX < 1 s (whole process, wall-clock).

Usage::

    uv run python benchmarks/bench_report.py           # full run (5 rounds)
    uv run python benchmarks/bench_report.py --smoke   # quick run for CI (1 round)
    # against an earlier version, e.g. git archive <commit> | tar -x -C /tmp/base
    uv run python benchmarks/bench_report.py --baseline /tmp/base/src --formats pdf,docx

Exit code 1 if a format produces an empty or unreadable file.
"""

from __future__ import annotations

import argparse
import compileall
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

TARGETS = {"pdf": 3.0, "docx": 1.0, "html": 1.0, "xlsx": 1.0}


def readable(fmt: str, data: bytes) -> bool:
    if fmt == "pdf":
        import pypdf

        return len(pypdf.PdfReader(io.BytesIO(data)).pages) > 0
    if fmt == "docx":
        import docx

        return len(docx.Document(io.BytesIO(data)).paragraphs) > 0
    if fmt == "xlsx":
        import openpyxl

        return len(openpyxl.load_workbook(io.BytesIO(data)).sheetnames) > 1
    return data.startswith(b"<!DOCTYPE html>")


#: What the ``anticipe`` console script runs (``sys.exit(main())``), which then writes the
#: CPU time of its own process (without the charts' child) to the file named last.
COMMAND = """
import resource, sys
from anticipe.cli.main import main
*argv, record = sys.argv[1:]
code = main(argv)
own = resource.getrusage(resource.RUSAGE_SELF)
with open(record, "w") as out:
    out.write(str(own.ru_utime + own.ru_stime))
sys.exit(code)
"""


def run_once(
    study: Path, output: Path, source: Path | None = None
) -> tuple[float, float, float, float]:
    """One whole ``anticipe report`` process: (wall seconds, CPU seconds of the process
    and its child, CPU seconds of the process alone, load average at its start);
    `source` is another version's ``src`` folder, imported instead."""
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), env.get("PYTHONPATH")]))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    record = output.with_suffix(".cpu")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", COMMAND, "report", str(study), "-o", str(output), str(record)],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, float(record.read_text()), load


def compile_bytecode(*sources: Path) -> None:
    """Compile the package and its dependencies, as an installed environment has them
    (the machine may forbid writing bytecode on import: PYTHONDONTWRITEBYTECODE)."""
    import anticipe

    roots = {Path(anticipe.__file__).parent, Path(os.__file__).parent / "site-packages"}
    roots |= set(sources)
    roots |= {Path(p) for p in sys.path if p.endswith("site-packages")}
    for root in roots:
        if root.exists():
            compileall.compile_dir(root, quiet=2, workers=2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="quick run for CI")
    parser.add_argument("--repeat", type=int, default=None, help="rounds (runs per format)")
    parser.add_argument("--formats", default="pdf,docx,html,xlsx")
    parser.add_argument(
        "--baseline", type=Path, default=None, help="another version's src folder, run alike"
    )
    args = parser.parse_args()
    repeat = args.repeat if args.repeat is not None else (1 if args.smoke else 5)
    if not args.smoke:  # the smoke run checks that it works, not how fast
        compile_bytecode(*([args.baseline] if args.baseline else []))
    versions: list[tuple[str, Path | None]] = [("this", None)]
    if args.baseline:
        versions.append(("baseline", args.baseline.resolve()))
    formats = args.formats.split(",")
    source = resources.files("anticipe.examples.mediateur_numerique").joinpath("study.json")
    runs: dict[tuple[str, str], list[tuple[float, float, float, float]]] = {}
    failed = False
    with resources.as_file(source) as study, tempfile.TemporaryDirectory() as folder:
        outputs = {(v, f): Path(folder) / f"{v}.{f}" for v, _ in versions for f in formats}
        for _round in range(repeat):
            for fmt in formats:
                for name, src in versions:
                    run = run_once(study, outputs[name, fmt], src)
                    runs.setdefault((name, fmt), []).append(run)
        print(
            f"{'version':9} {'format':7} {'median s':>9} {'best s':>7} {'CPU s':>6} "
            f"{'main s':>6} {'load':>5} {'target s':>9}  size"
        )
        for name, _src in versions:
            for fmt in formats:
                walls = [wall for wall, _, _, _ in runs[name, fmt]]
                cpu = statistics.median(c for _, c, _, _ in runs[name, fmt])
                main_cpu = statistics.median(m for _, _, m, _ in runs[name, fmt])
                load = statistics.median(lo for _, _, _, lo in runs[name, fmt])
                data = outputs[name, fmt].read_bytes()
                ok = readable(fmt, data)
                failed |= not ok
                verdict = "" if min(walls) < TARGETS[fmt] else "  (over target)"
                print(
                    f"{name:9} {fmt:7} {statistics.median(walls):9.2f} {min(walls):7.2f} "
                    f"{cpu:6.2f} {main_cpu:6.2f} {load:5.1f} {TARGETS[fmt]:9.1f}  "
                    f"{len(data) // 1024} KiB" + verdict + ("" if ok else "  UNREADABLE")
                )
    print(
        f"(load: the 1-minute load average at each run's start, median, on {os.cpu_count()} "
        f"cores; {repeat} interleaved rounds; CPU: user + system of the process and its "
        "child, main: of the process alone, which on an idle machine is about the "
        "wall-clock time when the child keeps within it)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
