"""``anticipe analyse cib`` starts fast: it imports none of the heavy modules that only
other commands need (a subprocess prints what a real run imported)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.study.test_scenariowizard import scw_text

HEAVY = ["rich", "jsonschema", "matplotlib", "django", "weasyprint", "openpyxl", "numba"]

PROBE = """
import json, sys
from anticipe.cli.main import main
code = main(["analyse", "cib", sys.argv[1]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def test_analyse_cib_imports_no_heavy_module(tmp_path: Path) -> None:
    descriptors = [("X", ["x1", "x2"]), ("Y", ["low", "mid", "high"])]
    matrix: list[list[float]] = [
        [0, 0, 2, -1, -1],
        [0, 0, -2, 1, 1],
        [1, -1, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [-1, 1, 0, 0, 0],
    ]
    path = tmp_path / "small.scw"
    path.write_text(scw_text(descriptors, matrix, "small.scw"), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report = json.loads(run.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    assert "consistent scenario" in run.stdout
    imported = {name.split(".")[0] for name in report["modules"]}
    assert "anticipe" in imported  # the probe saw the run's modules
    assert sorted(imported & set(HEAVY)) == []


REPORT_PROBE = """
import json, sys
from anticipe.cli.main import main
code = main(["report", sys.argv[1], "-o", sys.argv[2]])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def test_a_word_report_imports_neither_weasyprint_nor_openpyxl(tmp_path: Path) -> None:
    """The DOCX's process lays out Word only: no PDF engine, no workbook reader, and
    matplotlib only where the charts are drawn (the other process, when there are two
    cores)."""
    from importlib import resources

    from anticipe.report.background import can_fork

    study = resources.files("anticipe.examples.mediateur_numerique").joinpath("study.json")
    with resources.as_file(study) as path:
        run = subprocess.run(
            [sys.executable, "-c", REPORT_PROBE, str(path), str(tmp_path / "r.docx")],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
    report = json.loads(run.stderr.strip().splitlines()[-1])
    assert report["code"] == 0
    assert (tmp_path / "r.docx").stat().st_size > 0
    imported = {name.split(".")[0] for name in report["modules"]}
    assert "docx" in imported  # the probe saw the run's modules
    assert sorted(imported & {"weasyprint", "openpyxl", "django"}) == []
    assert ("matplotlib" in imported) == (not can_fork())
