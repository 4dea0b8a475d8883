"""The fuzzing harness: hostile inputs through the public readers and the command line.

For one generated input (:mod:`tests.fuzz.inputs`) the harness writes the file in a fresh
folder, then

1. calls the public reader of its kind (``read_study``, ``read_matrices``, ``read_ballots``,
   ``read_scenariowizard``): it returns, or raises a ``StudyInputError`` — nothing else;
2. runs one ``anticipe`` command on it in-process (``main(argv)`` returns the exit code):
   ``validate``, ``analyse study|structural|votes|cib``, ``report`` (HTML, XLSX, DOCX),
   ``template``, with ordinary and hostile options. No exception may escape; the exit code
   is 0 or 2; on 2 no output file (nor a temporary part of one) is left in the folder; on 0
   the output file exists. Standard output is strict UTF-8 (as a terminal or a pipe is), so
   a text that cannot be encoded is a failure too.

Every case runs under an alarm (:data:`CASE_SECONDS`): a case that runs longer is a failure
(unbounded work). The tests (``tests/fuzz/test_fuzz.py``) and the benchmark
(``benchmarks/bench_fuzz.py``) share this module.
"""

from __future__ import annotations

import contextlib
import io
import random
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anticipe.cli.main import main
from anticipe.study.ballots import read_ballots
from anticipe.study.errors import StudyInputError
from anticipe.study.matrices import read_matrices
from anticipe.study.scenariowizard import read_scenariowizard
from anticipe.study.study_file import read_study
from tests.fuzz.inputs import InputFile, scw_input, study_input, table_input

CASE_SECONDS = 30
"""The longest a case may run (reader and command together)."""

RESAMPLES = ["0", "3", "-1", "200000"]
SEEDS = ["5", "-1", str(2**60)]


@dataclass
class Case:
    """An input and the command run on it (``{input}`` and ``{output}`` filled in later)."""

    input: InputFile
    argv: list[str]
    output: str | None = None


@dataclass
class Outcome:
    """What running a case gave."""

    case: Case
    exit_code: int | None = None
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    errors: str = ""
    """What the command printed on standard error."""

    @property
    def refused(self) -> bool:
        return self.exit_code == 2


def _study_command(rng: random.Random) -> tuple[list[str], str | None]:
    command = rng.choice(["validate", "analyse", "analyse", "report", "report", "template", "cib"])
    if command == "validate":
        return ["validate", "{input}", *(["--json"] if rng.random() < 0.5 else [])], None
    if command == "analyse":
        options = ["--resamples", rng.choice(RESAMPLES), "--quiet"]
        if rng.random() < 0.3:
            options += ["--seed", rng.choice(SEEDS)]
        return ["analyse", "study", "{input}", *options, *(["--json"] * rng.randint(0, 1))], None
    if command == "report":
        suffix = rng.choice(["html", "html", "xlsx", "docx"])
        return ["report", "{input}", "-o", "{output}", "--resamples", "3"], f"report.{suffix}"
    if command == "template":
        experts = rng.choice(
            [[], ["--expert", "E1"], ["--expert", "E 1"], ["--expert", "Facteurs"]]
        )
        return ["template", "{input}", "-o", "{output}", *experts], "matrice.xlsx"
    return ["analyse", "cib", "{input}", "--json"], None


def _table_command(rng: random.Random, kind: str) -> list[str]:
    if kind == "ballots":
        options: list[str] = []
        if rng.random() < 0.4:
            options += ["--shortlist", rng.choice(["2", "0", "-3", "5000"])]
        if rng.random() < 0.4:
            options += ["--points", rng.choice(["10", "0", "99999999"])]
        return ["analyse", "votes", "{input}", *options, "--json"]
    options = ["--resamples", rng.choice(RESAMPLES[:3]), "--quiet"]
    if rng.random() < 0.3:
        options += ["--potential-weight", rng.choice(["3", "-1", "1e300", "nan"])]
    if rng.random() < 0.3:
        options += ["--key-factors", rng.choice(["1", "0", "99999"])]
    if rng.random() < 0.3:
        options += ["--aggregation", "median"]
    return ["analyse", "structural", "{input}", *options, "--json"]


KINDS = ("study", "matrix", "ballots", "scw")


def random_case(rng: random.Random, kind: str | None = None) -> Case:
    """A random input of `kind` (by default: a study file half of the time) and a command
    for it."""
    if kind is None:
        kind = rng.choices(KINDS, weights=[5, 2, 2, 1])[0]
    if kind == "study":
        argv, output = _study_command(rng)
        return Case(study_input(rng), argv, output)
    if kind == "scw":
        return Case(scw_input(rng), ["analyse", "cib", "{input}", "--json"])
    return Case(table_input(rng, kind), _table_command(rng, kind))


class _TooSlowError(Exception):
    pass


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: Any) -> None:
        raise _TooSlowError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


READERS: dict[str, Callable[[Path], object]] = {
    "study": read_study,
    "matrix": lambda path: read_matrices([path]),
    "ballots": read_ballots,
    "scw": read_scenariowizard,
}


def _read(case: Case, path: Path, outcome: Outcome) -> None:
    try:
        READERS[case.input.kind](path)
    except StudyInputError:
        pass
    except _TooSlowError:
        raise
    except Exception:
        outcome.failures.append("reader: " + traceback.format_exc())


def _run_main(argv: list[str], outcome: Outcome) -> None:
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            outcome.exit_code = main(argv)
            stdout.flush()
    except SystemExit as exit_:
        outcome.exit_code = exit_.code if isinstance(exit_.code, int) else 1
    except _TooSlowError:
        raise
    except BaseException:
        outcome.failures.append(f"{' '.join(argv)}: " + traceback.format_exc())
    stderr.flush()
    outcome.errors = stderr.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]


def _check_files(case: Case, folder: Path, outcome: Outcome) -> None:
    left = sorted(p.name for p in folder.iterdir() if p.name != case.input.name)
    if outcome.exit_code not in (0, 2):
        outcome.failures.append(f"exit code {outcome.exit_code}")
    if outcome.exit_code == 2 and left:
        outcome.failures.append(f"files written on refusal: {left}")
    if outcome.exit_code == 0 and case.output and case.output not in left:
        outcome.failures.append(f"no {case.output} written on success")
    if outcome.exit_code == 0 and any(name.endswith(".part") for name in left):
        outcome.failures.append(f"temporary files left: {left}")


def describe(outcome: Outcome) -> str:
    """The case and its failures, for a test's message."""
    case = outcome.case
    head = f"{case.input.kind} {case.input.name} ({len(case.input.data)} bytes): {case.argv}"
    return "\n".join([head, *outcome.failures])


def run_case(case: Case, folder: Path) -> Outcome:
    """Run `case` in the empty `folder`; the outcome lists every failure found."""
    outcome = Outcome(case)
    path = folder / case.input.name
    path.write_bytes(case.input.data)
    output = str(folder / case.output) if case.output else ""
    argv = [part.replace("{input}", str(path)).replace("{output}", output) for part in case.argv]
    started = time.perf_counter()
    try:
        with _alarm(CASE_SECONDS):
            _read(case, path, outcome)
            _run_main(argv, outcome)
    except _TooSlowError as error:
        outcome.failures.append(f"{' '.join(argv)}: {error}")
    outcome.seconds = time.perf_counter() - started
    if not outcome.failures:
        _check_files(case, folder, outcome)
    return outcome
