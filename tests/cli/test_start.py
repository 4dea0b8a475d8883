"""``anticipe analyse cib`` starts fast: it imports none of the heavy modules that only
other commands need (a subprocess prints what a real run imported), reads no translation
catalogue for an English run, and numpy's BLAS starts one thread, not one per core."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.study.test_scenariowizard import scw_text

HEAVY = ["rich", "jsonschema", "matplotlib", "django", "typst", "openpyxl", "numba"]

#: Modules of numpy, the standard library and Anticipe that the command does not need
#: (numpy loads its random, fft, polynomial and ma modules only when asked; the version is
#: a literal, not read through importlib.metadata).
KEPT_OUT = [
    "numpy.random",
    "numpy.fft",
    "numpy.polynomial",
    "numpy.ma",
    "numpy.testing",
    "importlib.metadata",
    "anticipe.cli.render",
    "anticipe.method.structural_analysis",
    "anticipe.method.disagreement",
    "anticipe.method._compiled_search",
    "anticipe.study.analysis",
    "anticipe.study.study_file",
    "anticipe.report",
    "anticipe.site",
    "anticipe.workshop",
]

PROBE = """
import gettext, json, sys
parsed = []
parse = gettext.GNUTranslations._parse
def recording_parse(self, fp):
    parsed.append(getattr(fp, "name", "?"))
    return parse(self, fp)
gettext.GNUTranslations._parse = recording_parse
from anticipe.cli.main import main
code = main(["analyse", "cib", sys.argv[1]])
report = {"code": code, "modules": sorted(sys.modules), "catalogues": parsed}
print(json.dumps(report), file=sys.stderr)
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
    modules = set(report["modules"])
    imported = {name.split(".")[0] for name in modules}
    assert "anticipe" in imported  # the probe saw the run's modules
    assert "numpy" in imported
    assert sorted(imported & set(HEAVY)) == []
    assert sorted(modules & set(KEPT_OUT)) == []
    assert report["catalogues"] == []  # English: the source strings, no .mo read


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts Linux threads")
@pytest.mark.parametrize(("given", "threads"), [(None, 1), ("2", 2)])
def test_numpy_after_anticipe_starts_one_blas_thread(given: str | None, threads: int) -> None:
    # OpenBLAS starts its threads when numpy loads: one per core unless told otherwise
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given  # the user's setting is kept
    probe = "import os, anticipe, numpy; print(len(os.listdir('/proc/self/task')))"
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    assert int(run.stdout) == threads


REPORT_PROBE = """
import json, sys
from anticipe.cli.main import main
from anticipe.report.background import can_fork
forkable = can_fork()  # in this process, as the report command will find it
code = main(["report", sys.argv[1], "-o", sys.argv[2]])
print(json.dumps({"code": code, "forkable": forkable, "modules": sorted(sys.modules)}),
      file=sys.stderr)
"""


def test_a_word_report_imports_no_pdf_engine_nor_openpyxl(tmp_path: Path) -> None:
    """The DOCX's process lays out Word only: no PDF engine, no workbook reader, and
    matplotlib only where the charts are drawn (the other process, when there are two
    cores)."""
    from importlib import resources

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
    assert sorted(imported & {"typst", "openpyxl", "django"}) == []
    # the probe's own process decides (the test's may run other threads)
    assert ("matplotlib" in imported) == (not report["forkable"])
