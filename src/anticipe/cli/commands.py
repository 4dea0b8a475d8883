"""The commands of ``anticipe``: read inputs, call one tested function, print the result."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from anticipe.cli.progress import progress_bar
from anticipe.study.errors import StudyInputError

if TYPE_CHECKING:
    from anticipe.study.table_import import ImportRefused

# The heavier modules (rich through render, jsonschema through study_file, the analysis)
# are imported by the commands that use them, so that ``analyse cib`` on a ScenarioWizard
# project starts fast (tests/cli/test_start.py checks what it imports).

EXIT_OK = 0


def _print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _analyse_and_print(study: dict[str, Any], arguments: argparse.Namespace) -> int:
    from anticipe.cli import render
    from anticipe.study import analysis

    with progress_bar("Bootstrap over experts", enabled=not arguments.quiet) as progress:
        result = analysis.analyse_study(
            study, resamples=arguments.resamples, seed=arguments.seed, progress=progress
        )
    if arguments.json:
        _print_json(result)
    else:
        render.print_study_analysis(study, result)
    return EXIT_OK


def example(arguments: argparse.Namespace) -> int:
    """``anticipe example``: analyse the bundled example study."""
    from anticipe.examples import example_path
    from anticipe.study.study_file import read_study, write_text_atomically

    path = example_path()
    study = read_study(path)
    if arguments.export is not None:
        write_text_atomically(arguments.export, path.read_text("utf-8"))
        print(f"example study written to {arguments.export}", file=sys.stderr)
    return _analyse_and_print(study, arguments)


def validate(arguments: argparse.Namespace) -> int:
    """``anticipe validate STUDY``: check a study file (exit code 2 when it has problems)."""
    from anticipe.study.study_file import read_study

    study = read_study(arguments.study)
    summary = {
        "file": str(arguments.study),
        "valid": True,
        "job": study["job"]["title"],
        "experts": len(study["panel"]),
        "factors": len(study["factors"]),
        "key_factors": len(study.get("key_factors", [])),
        "hypotheses": sum(
            len(block["hypotheses"]) for block in study.get("hypotheses", {}).get("factors", [])
        ),
    }
    if arguments.json:
        _print_json(summary)
    else:
        print(
            f"{arguments.study}: valid study « {summary['job']} » — {summary['experts']} experts, "
            f"{summary['factors']} factors, {summary['key_factors']} key factors, "
            f"{summary['hypotheses']} hypotheses"
        )
    return EXIT_OK


def schema(arguments: argparse.Namespace) -> int:
    """``anticipe schema``: print the JSON Schema of the study file."""
    from anticipe.study.study_file import study_schema

    _print_json(study_schema())
    return EXIT_OK


def analyse_study_file(arguments: argparse.Namespace) -> int:
    """``anticipe analyse study STUDY``."""
    from anticipe.study.study_file import read_study

    return _analyse_and_print(read_study(arguments.study), arguments)


def analyse_structural(arguments: argparse.Namespace) -> int:
    """``anticipe analyse structural FILE...``: MICMAC on raw matrix files."""
    from anticipe.cli import render
    from anticipe.study import analysis
    from anticipe.study.matrices import read_matrices

    factors, matrices = read_matrices(arguments.matrices)
    parameters: dict[str, Any] = {
        "aggregation": arguments.aggregation,
        "potential_weight": arguments.potential_weight,
        "key_factor_count": arguments.key_factors,
    }
    with progress_bar("Bootstrap over experts", enabled=not arguments.quiet) as progress:
        result = analysis.analyse_influence_matrices(
            factors,
            matrices,
            parameters=parameters,
            resamples=analysis.DEFAULT_RESAMPLES
            if arguments.resamples is None
            else arguments.resamples,
            seed=analysis.DEFAULT_SEED if arguments.seed is None else arguments.seed,
            progress=progress,
        )
    if arguments.json:
        _print_json(result)
    else:
        structural = result["structural_analysis"]
        assert structural is not None  # no minimum number of answers here: never withheld
        render.print_structural(structural, result["disagreement"], titles={})
    return EXIT_OK


def analyse_votes(arguments: argparse.Namespace) -> int:
    """``anticipe analyse votes FILE``: the weighted vote from a ballots sheet."""
    from anticipe.cli import render
    from anticipe.study import analysis
    from anticipe.study.ballots import read_ballots

    factors, ballots = read_ballots(arguments.ballots)
    result = analysis.analyse_ballots(
        factors,
        ballots,
        points_per_expert=arguments.points,
        shortlist_size=arguments.shortlist,
    )
    if arguments.json:
        _print_json(result)
    else:
        render.print_factor_vote(result, titles={})
    return EXIT_OK


def analyse_cib(arguments: argparse.Namespace) -> int:
    """``anticipe analyse cib FILE``: every consistent scenario of a CIB matrix."""
    from anticipe.cli.scenarios import print_consistent_scenarios
    from anticipe.method.cross_impact import consistent_scenarios

    path: Path = arguments.project
    language = "en"  # a ScenarioWizard project has no language: the tables are in English
    if path.suffix.lower() == ".json":
        from anticipe.study import analysis
        from anticipe.study.study_file import read_study

        study = read_study(path)
        language = study["language"]
        if not study.get("cross_impacts"):
            raise StudyInputError(
                "the study has no cross-impacts", file=path, field="cross_impacts"
            )
        descriptors, variants, matrix = analysis.cross_impact_matrix(study)
    else:
        from anticipe.study.scenariowizard import read_scw

        project = read_scw(path)
        descriptors, variants, matrix = (
            project["descriptors"],
            project["variants"],
            project["matrix"],
        )
    counts = [len(names) for names in variants]
    searching = progress_bar(
        "Searching consistent scenarios", enabled=not arguments.json, delay=0.5
    )
    with searching as progress:
        # the command adds its own keys (variant names) to the search's result
        result = cast(
            dict[str, Any],
            consistent_scenarios(
                matrix, counts, max_inconsistency=arguments.max_inconsistency, progress=progress
            ),
        )
    for found in result["scenarios"]:
        found["variants"] = [variants[d][v] for d, v in enumerate(found["scenario"])]
    result["descriptors"] = descriptors
    result["variant_names"] = variants
    if arguments.json:
        _print_json(result)
    else:
        print_consistent_scenarios(result, language=language)
    return EXIT_OK


def report(arguments: argparse.Namespace) -> int:
    """``anticipe report STUDY -o FILE``: the study's report in one format."""
    from contextlib import nullcontext

    from anticipe.report import FORMATS, render_report
    from anticipe.report.drawings import start_drawing

    output: Path = arguments.output
    format_ = arguments.format or output.suffix.lower().lstrip(".")
    if format_ not in FORMATS:
        raise StudyInputError(
            f"cannot tell the report format from {output.name!r}: use a .html, .pdf, .docx "
            "or .xlsx file name, or --format",
            file=output,
        )
    if "numpy" not in sys.modules:
        # one thread for numpy's OpenBLAS: the analysis' products are small, and its
        # second thread would spin on the core where the charts are being drawn
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # the charts' child starts now (importing matplotlib on the other core) and gets the
    # report's context when it is built
    with start_drawing(format_) if format_ != "xlsx" else nullcontext() as drawing:
        from anticipe.study import analysis
        from anticipe.study.study_file import read_study

        study = read_study(arguments.study)
        result = analysis.analyse_study(study, resamples=arguments.resamples, seed=arguments.seed)
        written = render_report(study, format_, output, analysis=result, drawing=drawing)
    print(f"{written}: {format_.upper()} report of « {study['job']['title']} »")
    return EXIT_OK


def template(arguments: argparse.Namespace) -> int:
    """``anticipe template STUDY -o FILE``: the blank XLSX influence matrix."""
    from anticipe.study import analysis
    from anticipe.study.study_file import check_study, read_study
    from anticipe.study.template import write_workbook_template

    study = read_study(arguments.study)
    check_study(study, source=arguments.study)
    titles = {factor["code"]: analysis.factor_title(factor) for factor in study["factors"]}
    section = study.get("structural_analysis")
    codes = section["factors"] if section else study.get("factor_vote", {}).get("shortlist")
    if not codes:
        codes = [factor["code"] for factor in study["factors"]]
    experts = arguments.expert or [expert["id"] for expert in study["panel"]]
    if not experts:
        raise StudyInputError(
            "the study's panel is empty; name experts with --expert", file=arguments.study
        )
    output = write_workbook_template(
        arguments.output,
        [(code, titles[code]) for code in codes],
        experts,
        language=arguments.language or study["language"],
        study_title=study["job"]["title"],
    )
    print(f"{output}: blank matrix of {len(codes)} factors for {len(experts)} experts")
    return EXIT_OK


def catalogue(arguments: argparse.Namespace) -> int:
    """``anticipe catalogue STUDY LIST [-o FILE]``: the study with its training catalogue
    replaced by the modules of a CSV/XLSX list, read as the desk reads it (all of it or
    nothing, every problem by row and column); the study file is checked before it is
    written, atomically."""
    from anticipe.study.study_file import FORMAT_VERSION, FORMAT_VERSIONS, read_study, write_study
    from anticipe.study.table_import import ImportRefused, read_list_file
    from anticipe.study.training_needs import new_catalogue, read_catalogue

    study = read_study(arguments.study)
    table = read_list_file(arguments.list)
    try:
        # the command's messages are in English, as every other of the command line
        modules = read_catalogue(table, study, "en")
    except ImportRefused as refused:
        raise _list_problems(refused, arguments.list, table.sheet) from None
    previous = study.get("training_catalogue")
    study["training_catalogue"] = new_catalogue(
        modules, title=arguments.title or "", simulated=arguments.simulated
    )
    version = study["anticipe_study"]
    if FORMAT_VERSIONS.index(version) < FORMAT_VERSIONS.index("1.3"):
        study["anticipe_study"] = FORMAT_VERSION  # the version that carries a catalogue
    if version != study["anticipe_study"]:
        _check_upgraded(study, version, arguments.study)
    output: Path = arguments.output or arguments.study
    write_study(study, output)
    summary = {
        "file": str(output),
        "modules": len(modules),
        "replaced": len(previous["modules"]) if previous else 0,
        "anticipe_study": study["anticipe_study"],
    }
    if arguments.json:
        _print_json(summary)
    else:
        replaced = f", replacing one of {summary['replaced']}" if previous else ""
        count = f"{len(modules)} module" + ("" if len(modules) == 1 else "s")
        print(f"{output}: training catalogue of {count}{replaced}")
    return EXIT_OK


def _check_upgraded(study: dict[str, Any], version: str, path: Path) -> None:
    """A study file moved from `version` to the current format checked, its problems
    preceded by why: the newer format checks more (its framework links)."""
    from anticipe.study.errors import StudyInputErrors
    from anticipe.study.messages import message
    from anticipe.study.study_file import check_study

    try:
        check_study(study, source=path)
    except StudyInputError as error:
        said = StudyInputError(message("study.catalogue_needs_1_3", version=version), file=path)
        found = error.errors if isinstance(error, StudyInputErrors) else [error]
        raise StudyInputErrors([said, *found]) from None


def _list_problems(refused: ImportRefused, path: Path, sheet: str | None) -> StudyInputError:
    """A refused list's problems as the command line reports them: the file, the sheet, the
    row and column of each (the first :data:`~anticipe.study.table_import.MAX_LISTED`, then
    how many more)."""
    from anticipe.study.errors import StudyInputErrors
    from anticipe.study.messages import message
    from anticipe.study.table_import import MAX_LISTED

    errors = [
        StudyInputError(
            problem.message,
            file=path,
            sheet=sheet,
            row=problem.row,
            column=problem.column or None,
        )
        for problem in refused.problems[:MAX_LISTED]
    ]
    more = len(refused.problems) - MAX_LISTED
    if more > 0:
        errors.append(StudyInputError(message("study.more_problems", count=more), file=path))
    return StudyInputErrors(errors)


def demo(arguments: argparse.Namespace) -> int:
    """``anticipe demo``: the workshop site with the example study, on this machine."""
    from anticipe.site import demo as site

    site.configure(arguments.data_dir)
    prepared = site.prepare_demo()
    print(
        "Anticipe — site de démonstration / demo site\n"
        f"  base de données / database: {prepared.data_dir}\n"
        f"  adresse / address:  http://127.0.0.1:{arguments.port}/\n"
        f"  identifiant / login: {prepared.username}\n"
        f"  mot de passe / password: {prepared.password}\n"
        f"  étude / study: http://127.0.0.1:{arguments.port}/studies/{prepared.study_id}/",
        flush=True,
    )
    if not arguments.no_serve:
        site.serve(port=arguments.port)
    return EXIT_OK


def manage(arguments: argparse.Namespace) -> int:
    """``anticipe manage ...``: Django's management commands with the site's settings."""
    from anticipe.site.manage import main as manage_main

    return manage_main(arguments.arguments)


def backup(arguments: argparse.Namespace) -> int:
    """``anticipe backup FILE``: the whole site's database to FILE."""
    from anticipe.site.backup import run_command

    return run_command(arguments.file, force=arguments.force, restore=False)


def restore(arguments: argparse.Namespace) -> int:
    """``anticipe restore FILE``: the site's database from a backup."""
    from anticipe.site.backup import run_command

    return run_command(arguments.file, force=arguments.force, restore=True)
