"""Fuzzing the input readers and the command line (tests/fuzz/harness.py): hostile study
files, matrices, ballots and ScenarioWizard projects never raise anything but the documented
refusal, the commands exit with 0 or 2, and a refusal writes nothing.

Derandomized and bounded: a few dozen inputs of each kind, some seconds in all
(``benchmarks/bench_fuzz.py`` runs the same harness on 10,000 inputs).
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import KINDS, Case, describe, random_case, run_case
from tests.fuzz.inputs import InputFile

EXAMPLES = {"study": 100, "matrix": 80, "ballots": 80, "scw": 80}


def check(case: Case) -> int | None:
    with tempfile.TemporaryDirectory() as folder:
        outcome = run_case(case, Path(folder))
    assert not outcome.failures, describe(outcome)
    return outcome.exit_code


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_inputs_are_refused_or_read(kind: str) -> None:
    @settings(
        max_examples=EXAMPLES[kind],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.integers(min_value=0, max_value=2**32 - 1))
    def run(seed: int) -> None:
        # a plain Random from the drawn seed: as varied as the benchmark's inputs, and a
        # failure names its seed (random_case(random.Random(seed), kind) replays it)
        check(random_case(random.Random(seed), kind))

    run()


def test_the_harness_sees_a_traceback_and_files_written_on_refusal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The harness itself can fail: an exception escaping a reader or a command, an exit
    code other than 0 and 2, a file left behind by a refused command."""
    study = InputFile("study", "study.json", b"{}")
    case = Case(study, ["validate", "{input}"])
    assert check(case) == 2

    def crash(argv: list[str]) -> int:
        raise KeyError("boom")

    monkeypatch.setattr("tests.fuzz.harness.main", crash)
    with tempfile.TemporaryDirectory() as folder:
        outcome = run_case(case, Path(folder))
    assert "KeyError: 'boom'" in outcome.failures[0]

    def refuse_after_writing(argv: list[str]) -> int:
        Path(argv[-1]).write_text("half")
        return 2

    monkeypatch.setattr("tests.fuzz.harness.main", refuse_after_writing)
    with tempfile.TemporaryDirectory() as folder:
        outcome = run_case(
            Case(study, ["report", "{input}", "-o", "{output}"], "r.html"), Path(folder)
        )
    assert outcome.failures == ["files written on refusal: ['r.html']"]
    monkeypatch.setattr("tests.fuzz.harness.main", lambda argv: 1)
    with tempfile.TemporaryDirectory() as folder:
        assert run_case(case, Path(folder)).failures == ["exit code 1"]
