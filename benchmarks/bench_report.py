"""Benchmark of the study report: the example study (Médiateur numérique) in each format.

Measures what a user waits for: the whole ``anticipe report examples/…/study.json -o
report.pdf`` process (start, imports, reading, the analysis with its 1,000 bootstrap
resamples, the context, the chart, the layout and the file), run again and again as a new
process, with the wall-clock time and the CPU time (user + system, the process and its
child: on two cores Graph 1 is drawn beside the layout, see
``anticipe.report.background``). Python's bytecode is compiled first, as an installed
package has it.

Targets: PDF < 3 s, DOCX < 1 s (whole process, wall-clock). On a shared machine the
median is inflated by other work; "best" is the closer estimate of an idle machine, and
the CPU time says how much work the report itself is.

Usage::

    uv run python benchmarks/bench_report.py           # full run (5 runs per format)
    uv run python benchmarks/bench_report.py --smoke   # quick run for CI (1 run per format)

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


def command() -> list[str]:
    """The ``anticipe`` command of this environment (what ``uv run anticipe`` starts)."""
    script = Path(sys.executable).with_name("anticipe")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "anticipe.cli.main"]


def run_once(study: Path, output: Path) -> tuple[float, float]:
    """One whole ``anticipe report`` process: (wall seconds, CPU seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [*command(), "report", str(study), "-o", str(output)],
        check=True,
        stdout=subprocess.DEVNULL,
        env=os.environ,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def compile_bytecode() -> None:
    """Compile the package and its dependencies, as an installed environment has them
    (the machine may forbid writing bytecode on import: PYTHONDONTWRITEBYTECODE)."""
    import anticipe

    roots = {Path(anticipe.__file__).parent, Path(os.__file__).parent / "site-packages"}
    roots |= {Path(p) for p in sys.path if p.endswith("site-packages")}
    for root in roots:
        if root.exists():
            compileall.compile_dir(root, quiet=2, workers=2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="quick run for CI")
    parser.add_argument("--repeat", type=int, default=None, help="runs per format")
    parser.add_argument("--formats", default="pdf,docx,html,xlsx")
    args = parser.parse_args()
    repeat = args.repeat if args.repeat is not None else (1 if args.smoke else 5)
    if not args.smoke:  # the smoke run checks that it works, not how fast
        compile_bytecode()
    source = resources.files("anticipe.examples.mediateur_numerique").joinpath("study.json")
    failed = False
    print(f"{'format':8} {'median s':>9} {'best s':>8} {'CPU s':>7} {'target s':>9}  size")
    with resources.as_file(source) as study, tempfile.TemporaryDirectory() as folder:
        for fmt in args.formats.split(","):
            output = Path(folder) / f"report.{fmt}"
            runs = [run_once(study, output) for _ in range(repeat)]
            walls = [wall for wall, _ in runs]
            cpu = statistics.median(c for _, c in runs)
            data = output.read_bytes()
            ok = readable(fmt, data)
            failed |= not ok
            median = statistics.median(walls)
            verdict = "" if min(walls) < TARGETS[fmt] else "  (over target)"
            print(
                f"{fmt:8} {median:9.2f} {min(walls):8.2f} {cpu:7.2f} {TARGETS[fmt]:9.1f}  "
                f"{len(data) // 1024} KiB{verdict}" + ("" if ok else "  UNREADABLE")
            )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"(load average during the runs: {load:.1f} on {os.cpu_count()} cores)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
