"""The ``anticipe`` command: a thin layer over :mod:`anticipe.study` and :mod:`anticipe.method`.

Every command reads its inputs, calls one tested function, and prints either readable
tables (the default) or JSON (``--json``). Input problems are printed as one clear
message per problem, with the file, sheet, cell or field, and the command exits with
code 2 without writing anything; there is never a traceback for bad input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from anticipe import __version__
from anticipe.method.errors import MethodInputError
from anticipe.study.errors import StudyInputError

EXIT_OK = 0
EXIT_INPUT_ERROR = 2
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also used by the console script)."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if not hasattr(arguments, "handler"):
        parser.print_help()
        return EXIT_OK
    handler: Callable[[argparse.Namespace], int] = arguments.handler
    try:
        code = handler(arguments)
        sys.stdout.flush()  # a closed pipe shows here rather than at the interpreter's exit
        return code
    except BrokenPipeError:
        # the reader went away (`anticipe ... | head`): nothing more to say, no traceback
        # (Python's advice: point stdout at devnull so that its final flush stays quiet)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except (StudyInputError, MethodInputError) as error:
        _print_input_error(error, as_json=getattr(arguments, "json", False))
        return EXIT_INPUT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _print_input_error(error: Exception, *, as_json: bool) -> None:
    from anticipe.study.errors import StudyInputErrors

    if as_json:
        if isinstance(error, StudyInputErrors):
            problems = [problem.as_dict() for problem in error.errors]
        elif isinstance(error, StudyInputError):
            problems = [error.as_dict()]
        else:
            problems = [{"message": str(error)}]
        print(json.dumps({"error": problems}, ensure_ascii=False, indent=2), file=sys.stderr)
        return
    print(f"anticipe: error: {error}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``anticipe`` command."""
    parser = argparse.ArgumentParser(
        prog="anticipe",
        description=(
            "Participatory skills foresight (Abilitic2Perform): analyse a study file or "
            "raw inputs (weighted vote, structural analysis, cross-impact balance)."
        ),
    )
    parser.add_argument("--version", action="version", version=f"anticipe {__version__}")
    subcommands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_site_commands(subcommands)
    _add_database_commands(subcommands)
    _add_study_commands(subcommands)
    analyse = subcommands.add_parser(
        "analyse",
        help="run an analysis on a study file or on raw inputs",
        description="Run an analysis on a study file or on raw inputs.",
    )
    _add_analyses(analyse.add_subparsers(title="analyses", metavar="ANALYSIS"))
    _add_output_commands(subcommands)
    return parser


Subcommands = Any  # argparse's _SubParsersAction, private


def _add_site_commands(subcommands: Subcommands) -> None:
    """``example``, ``demo`` and ``manage``."""
    from anticipe.cli import commands

    example = subcommands.add_parser(
        "example",
        help="analyse the bundled example study (médiateur numérique, Le Forem 2018)",
        description="Analyse the bundled example study and print its results.",
    )
    _add_analysis_options(example)
    example.add_argument(
        "--export", type=Path, metavar="FILE", help="also write the example study file to FILE"
    )
    example.set_defaults(handler=commands.example)
    demo = subcommands.add_parser(
        "demo",
        help="run the workshop site locally with the example study",
        description=(
            "Create and migrate the local SQLite database (in ./data, or ANTICIPE_DATA_DIR), "
            "load the example study, create a facilitator account with a new password, "
            "and serve the site on http://127.0.0.1:8000."
        ),
    )
    demo.add_argument("--port", type=int, default=8000, help="(default: 8000)")
    demo.add_argument("--data-dir", type=Path, default=None, help="(default: ./data)")
    demo.add_argument(
        "--no-serve", action="store_true", help="prepare the database and the account only"
    )
    demo.set_defaults(handler=commands.demo)
    manage = subcommands.add_parser(
        "manage",
        help="Django management commands of the site (migrate, createsuperuser, ...)",
        add_help=False,
    )
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=commands.manage)


def _add_database_commands(subcommands: Subcommands) -> None:
    """``backup`` and ``restore``: the site's whole database (docs/deployment.md)."""
    from anticipe.cli import commands

    backup = subcommands.add_parser(
        "backup",
        help="back the site's database up to a file (SQLite or PostgreSQL)",
        description=(
            "Write the site's whole database (accounts, studies, panels, answers, audit log) "
            "to FILE while the site runs: SQLite's online backup, or pg_dump on PostgreSQL."
        ),
    )
    backup.add_argument("file", type=Path, help="the backup file to write")
    backup.add_argument("--force", action="store_true", help="replace FILE if it exists")
    backup.set_defaults(handler=commands.backup)
    restore = subcommands.add_parser(
        "restore",
        help="replace the site's database by a backup",
        description=(
            "Replace the site's database by a file written by `anticipe backup`, after "
            "checking that it is one. Restart the site afterwards."
        ),
    )
    restore.add_argument("file", type=Path, help="a file written by `anticipe backup`")
    restore.add_argument(
        "--force", action="store_true", help="replace a database that holds accounts or studies"
    )
    restore.set_defaults(handler=commands.restore)


def _add_study_commands(subcommands: Subcommands) -> None:
    """``validate`` and ``schema``."""
    from anticipe.cli import commands

    validate = subcommands.add_parser(
        "validate",
        help="check a study file",
        description="Check a study file and say what is wrong.",
    )
    validate.add_argument("study", type=Path, help="study file (.json)")
    _add_json_option(validate)
    validate.set_defaults(handler=commands.validate)
    schema = subcommands.add_parser(
        "schema", help="print the JSON Schema of the study file", description="Print the schema."
    )
    schema.set_defaults(handler=commands.schema)


def _add_analyses(kinds: Subcommands) -> None:
    """``analyse study``, ``analyse structural``, ``analyse votes`` and ``analyse cib``."""
    from anticipe.cli import commands

    study = kinds.add_parser(
        "study", help="every analysis of a study file", description="Analyse a whole study file."
    )
    study.add_argument("study", type=Path, help="study file (.json)")
    _add_analysis_options(study)
    study.set_defaults(handler=commands.analyse_study_file)
    _add_structural(kinds)
    votes = kinds.add_parser(
        "votes",
        help="weighted vote on change factors",
        description=(
            "Weighted vote on change factors from a CSV or XLSX sheet: one row per expert "
            "(first column: expert id), one column per factor, points in the cells."
        ),
    )
    votes.add_argument("ballots", type=Path, help="ballots file (.csv, .xlsx)")
    votes.add_argument("--shortlist", type=int, default=None, metavar="N", help="keep N factors")
    votes.add_argument(
        "--points", type=int, default=None, metavar="P", help="points each expert distributes"
    )
    _add_json_option(votes)
    votes.set_defaults(handler=commands.analyse_votes)
    cib = kinds.add_parser(
        "cib",
        help="cross-impact balance: consistent scenarios",
        description=(
            "Cross-impact balance: every consistent scenario of a ScenarioWizard project "
            "(.scw) or of the cross-impacts of a study file (.json), found by an exact search."
        ),
    )
    cib.add_argument("project", type=Path, help="ScenarioWizard project (.scw) or study (.json)")
    cib.add_argument(
        "--max-inconsistency",
        type=float,
        default=0,
        metavar="V",
        help="also list scenarios whose inconsistency is at most V (default: 0)",
    )
    _add_json_option(cib)
    cib.set_defaults(handler=commands.analyse_cib)


def _add_structural(kinds: Subcommands) -> None:
    from anticipe.cli import commands

    structural = kinds.add_parser(
        "structural",
        help="structural analysis (MICMAC) of experts' influence matrices",
        description=(
            "Structural analysis (MICMAC) of experts' influence matrices: one CSV or XLSX "
            "file per expert, or one workbook with a sheet per expert."
        ),
    )
    structural.add_argument("matrices", type=Path, nargs="+", help="matrix files (.csv, .xlsx)")
    structural.add_argument(
        "--aggregation", choices=["mean", "median"], default="mean", help="(default: mean)"
    )
    structural.add_argument(
        "--potential-weight",
        type=float,
        default=3.0,
        help="value of a P (potential) cell in the potential matrix (default: 3)",
    )
    structural.add_argument(
        "--key-factors",
        type=int,
        default=None,
        metavar="N",
        help="at most N key factors (default: every driving factor)",
    )
    _add_analysis_options(structural, study_level=False)
    structural.set_defaults(handler=commands.analyse_structural)


def _add_output_commands(subcommands: Subcommands) -> None:
    """``report`` and ``template``: files written from a study file."""
    from anticipe.cli import commands

    report = subcommands.add_parser(
        "report",
        help="the study's report as HTML, PDF, DOCX or XLSX",
        description=(
            "Write the report of a study file, in the study's language, with the structure "
            "of the published Abilitic2Perform reports. The format follows the output file's "
            "extension (.html, .pdf, .docx, .xlsx) unless --format is given."
        ),
    )
    report.add_argument("study", type=Path, help="study file (.json)")
    report.add_argument("-o", "--output", type=Path, required=True, help="the file to write")
    report.add_argument(
        "--format", choices=["html", "pdf", "docx", "xlsx"], default=None, help="report format"
    )
    _add_bootstrap_options(report, resamples="bootstrap resamples", seed="")
    report.set_defaults(handler=commands.report)
    template = subcommands.add_parser(
        "template",
        help="blank XLSX matrix for experts to fill in offline",
        description=(
            "Write the blank XLSX influence matrix that an expert fills in offline, for the "
            "factors of a study file."
        ),
    )
    template.add_argument("study", type=Path, help="study file (.json)")
    template.add_argument("-o", "--output", type=Path, required=True, help="the .xlsx to write")
    template.add_argument(
        "--expert",
        action="append",
        default=None,
        metavar="ID",
        help="one sheet per expert (repeat the option); default: every expert of the panel",
    )
    template.add_argument(
        "--language", choices=["fr", "en"], default=None, help="default: the study's language"
    )
    template.set_defaults(handler=commands.template)
    _add_catalogue(subcommands)


def _add_catalogue(subcommands: Subcommands) -> None:
    """``catalogue``: a study file's training catalogue from a CSV/XLSX list."""
    from anticipe.cli import commands

    catalogue = subcommands.add_parser(
        "catalogue",
        help="replace a study file's training catalogue by a CSV or XLSX list",
        description=(
            "Read a catalogue of training modules from a CSV or XLSX list, as the site's "
            "desk reads it (one module per row under a header: title, provider, duration, "
            "covers, optionally id; French or English headers), and write the study file "
            "with its training catalogue replaced. The whole list is read or nothing is "
            "written: every problem is listed with its row and column. A study file older "
            "than format 1.3 is written as 1.3, the version that carries a catalogue."
        ),
    )
    catalogue.add_argument("study", type=Path, help="study file (.json)")
    catalogue.add_argument("list", type=Path, help="the catalogue (.csv, .xlsx)")
    catalogue.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="the study file to write (default: STUDY itself)",
    )
    catalogue.add_argument("--title", default=None, help="the catalogue's title")
    catalogue.add_argument(
        "--simulated",
        action="store_true",
        help="an illustrative catalogue, not a real offer: flagged as simulated in the tables",
    )
    _add_json_option(catalogue)
    catalogue.set_defaults(handler=commands.catalogue)


def _add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def _add_bootstrap_options(parser: argparse.ArgumentParser, *, resamples: str, seed: str) -> None:
    """``--resamples B`` and ``--seed``, with their help texts' endings."""
    parser.add_argument("--resamples", type=int, default=None, metavar="B", help=resamples)
    parser.add_argument(
        "--seed", type=int, default=None, help=f"random seed of the bootstrap{seed}"
    )


def _add_analysis_options(parser: argparse.ArgumentParser, *, study_level: bool = True) -> None:
    _add_bootstrap_options(
        parser,
        resamples="bootstrap resamples over experts for the disagreement analysis (default: 1000)",
        seed=" (default: 2018)",
    )
    _add_json_option(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
