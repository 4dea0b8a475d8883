"""Benchmark of the study report: PDF and DOCX of the example study (Médiateur numérique).

Measures, in one process:

- the analysis and the report context (built once);
- the chart (SVG, PNG), drawn once per format;
- each format: the first render (cold: imports, fonts) and the median of the next ones
  (warm: what a long-running site or a second report pays), wall-clock and CPU time.

Targets: PDF < 3 s, DOCX < 1 s (warm, wall-clock). On a shared machine the median is
inflated by other work; "best" (the fastest warm render) is the closer estimate of an
idle machine.

Usage::

    uv run python benchmarks/bench_report.py           # full run (5 warm renders)
    uv run python benchmarks/bench_report.py --smoke   # quick run for CI (1 warm render)

Exit code 1 if a format produces an empty or unreadable file.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from importlib import resources
from typing import Any

TARGETS = {"pdf": 3.0, "docx": 1.0, "html": 0.5, "xlsx": 0.5}


def timed(function: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="quick run for CI")
    parser.add_argument("--repeat", type=int, default=None, help="warm renders per format")
    args = parser.parse_args()
    repeat = args.repeat if args.repeat is not None else (1 if args.smoke else 5)

    from anticipe.report import build_report_context, render_bytes
    from anticipe.report.charts import influence_map_png, influence_map_svg
    from anticipe.study.analysis import analyse_study
    from anticipe.study.study_file import read_study

    source = resources.files("anticipe.examples.mediateur_numerique").joinpath("study.json")
    with resources.as_file(source) as path:
        study = read_study(path)
    analysis, wall, _ = timed(lambda: analyse_study(study, resamples=100 if args.smoke else None))
    print(f"analysis                 {wall:7.3f} s")
    context, wall, _ = timed(lambda: build_report_context(study, analysis))
    print(f"report context           {wall:7.3f} s")
    _, wall, _ = timed(lambda: influence_map_svg(context))
    print(f"chart (SVG)              {wall:7.3f} s  (first: includes matplotlib's warm-up)")
    _, wall, _ = timed(lambda: influence_map_png(context, dpi=150))
    print(f"chart (PNG, 150 dpi)     {wall:7.3f} s")

    failed = False
    formats = ("pdf", "docx", "html", "xlsx")
    print(
        f"\n{'format':8} {'cold s':>8} {'warm s':>8} {'best s':>8} {'warm cpu s':>11} "
        f"{'target s':>9}  size"
    )
    for fmt in formats:
        data, cold, _ = timed(lambda fmt=fmt: render_bytes(context, fmt))
        walls, cpus = [], []
        for _ in range(repeat):
            data, wall, cpu = timed(lambda fmt=fmt: render_bytes(context, fmt))
            walls.append(wall)
            cpus.append(cpu)
        warm = statistics.median(walls)
        ok = readable(fmt, data)
        failed |= not ok
        verdict = "" if warm < TARGETS[fmt] else "  (over target)"
        print(
            f"{fmt:8} {cold:8.3f} {warm:8.3f} {min(walls):8.3f} {statistics.median(cpus):11.3f} "
            f"{TARGETS[fmt]:9.1f}  {len(data) // 1024} KiB{verdict}"
            + ("" if ok else "  UNREADABLE")
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
