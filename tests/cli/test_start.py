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
