"""The study file: one JSON document holding a whole study.

The format is described by a published, versioned JSON Schema
(``anticipe/study/schema/study-1.0.schema.json``). Reading a study checks, in order:

1. that the file exists and is UTF-8 JSON (a syntax error is reported with its line and
   column);
2. that it follows the schema (every problem is reported with the path of its field,
   e.g. ``hypotheses.votes[3].probability``);
3. that it holds together: codes are unique, every answer names an expert of the panel,
   every reference names an existing factor, hypothesis, activity or competence, every
   matrix is square over the factors of the structural analysis, every vote is on its
   scale.

A study that passes is returned as plain Python values (the parsed JSON document
itself), so writing it back gives the same document: the format is lossless.
Writing is atomic: the file is written beside its destination and moved into place,
so a failure never leaves a half-written study.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from anticipe.study.errors import StudyInputError, StudyInputErrors

FORMAT_VERSION = "1.0"
SCHEMA_RESOURCE = f"study-{FORMAT_VERSION}.schema.json"
MAX_LISTED_ERRORS = 20

Study = dict[str, Any]

DEFAULT_PROBABILITY_SCALE = {"min": 1, "max": 4}
DEFAULT_DESIRABILITY_SCALE = {"min": 1, "max": 4}


@cache
def study_schema() -> dict[str, Any]:
    """The JSON Schema of the study file (a dict, draft 2020-12)."""
    text = resources.files("anticipe.study").joinpath("schema", SCHEMA_RESOURCE).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def read_study(path: str | Path) -> Study:
    """Read, check and return the study file at `path`.

    Raises
    ------
    StudyInputError
        When the file is missing, not JSON, does not follow the schema or does not
        hold together; the error names the file and the field.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise StudyInputError("file not found", file=path) from None
    except IsADirectoryError:
        raise StudyInputError("is a folder, not a study file", file=path) from None
    except OSError as error:
        raise StudyInputError(f"cannot be read ({error.strerror})", file=path) from None
    return parse_study(raw, source=path)


def parse_study(raw: bytes | str, *, source: str | Path | None = None) -> Study:
    """Parse and check a study from its JSON text (`source` names it in messages)."""
    if isinstance(raw, bytes):
        if not raw.strip():
            raise StudyInputError("the file is empty; a study file is a JSON document", file=source)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise StudyInputError(
                f"not a UTF-8 text file (byte {error.start}); a study file is a JSON document",
                file=source,
            ) from None
    else:
        text = raw
    if not text.strip():
        raise StudyInputError("the file is empty; a study file is a JSON document", file=source)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise StudyInputError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
            file=source,
            row=error.lineno,
        ) from None
    check_study(document, source=source)
    study: Study = document
    return study


def check_study(document: Any, *, source: str | Path | None = None) -> None:
    """Check a parsed study document against the schema and its own references.

    Raises
    ------
    StudyInputErrors
        Listing every problem found (at most 20 are listed).
    """
    if not isinstance(document, dict):
        raise StudyInputError(
            "a study file is a JSON object ({...}), not "
            + type(document).__name__.replace("list", "a list").replace("str", "a string"),
            file=source,
        )
    if "anticipe_study" not in document:
        raise StudyInputError(
            "this JSON document is not an Anticipe study (no 'anticipe_study' version field)",
            file=source,
        )
    if document["anticipe_study"] != FORMAT_VERSION:
        raise StudyInputError(
            f"study format version {document['anticipe_study']!r} is not supported "
            f"(this version of Anticipe reads {FORMAT_VERSION!r})",
            file=source,
            field="anticipe_study",
        )
    errors = [
        StudyInputError(message, file=source, field=field)
        for field, message in _schema_problems(document)
    ]
    if not errors:
        errors = [
            StudyInputError(message, file=source, field=field)
            for field, message in _reference_problems(document)
        ]
    if errors:
        listed = errors[:MAX_LISTED_ERRORS]
        if len(errors) > MAX_LISTED_ERRORS:
            listed.append(
                StudyInputError(f"and {len(errors) - MAX_LISTED_ERRORS} more problems", file=source)
            )
        raise StudyInputErrors(listed)


def write_study(study: Study, path: str | Path) -> Path:
    """Check `study` and write it to `path` atomically (UTF-8, indented, stable order).

    Nothing is written if the study does not pass :func:`check_study`.
    """
    check_study(study, source=path)
    return write_text_atomically(path, dump_study(study))


def dump_study(study: Study) -> str:
    """The study as JSON text, the way Anticipe writes it."""
    return json.dumps(study, ensure_ascii=False, indent=2) + "\n"


def write_text_atomically(path: str | Path, text: str) -> Path:
    """Write `text` to `path` through a temporary file in the same folder.

    The destination is either left as it was or holds the whole new text.
    """
    return write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` through a temporary file in the same folder."""
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise StudyInputError("the folder does not exist", file=folder)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


# -- schema problems ----------------------------------------------------------------------


def _field_path(parts: Iterable[str | int]) -> str:
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path or "(the whole document)"


def _schema_problems(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    validator = jsonschema.Draft202012Validator(study_schema())
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path))):
        yield _field_path(error.absolute_path), _schema_message(error)


def _schema_message(error: jsonschema.ValidationError) -> str:
    value = error.instance
    if error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        return f"missing required field '{missing}'"
    if error.validator == "additionalProperties":
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        names = ", ".join(repr(name) for name in extra)
        return f"unknown field {names} (allowed: {', '.join(allowed)})"
    if error.validator == "enum" and error.schema == study_schema()["$defs"]["matrix_cell"]:
        return f"{value!r} is not a valid influence score (0, 1, 2, 3, 'P' or null for don't know)"
    if error.validator in ("enum", "const"):
        expected = error.validator_value if error.validator == "enum" else [error.validator_value]
        return f"{value!r} is not allowed here (expected one of: {_listing(expected)})"
    if error.validator == "type":
        return f"{value!r} has the wrong type (expected {_listing(error.validator_value)})"
    if error.validator == "pattern":
        return (
            f"{value!r} is not a valid code (letters, digits, '.', '_' or '-', "
            "starting with a letter or digit, at most 32 characters)"
        )
    if error.validator == "minLength":
        return "must not be empty"
    if error.validator in ("minimum", "maximum"):
        word = "at least" if error.validator == "minimum" else "at most"
        return f"{value!r} is out of range (must be {word} {error.validator_value})"
    if error.validator == "uniqueItems":
        return "lists the same item twice"
    return str(error.message)


def _listing(values: Any) -> str:
    if isinstance(values, list | tuple):
        return ", ".join(repr(value) for value in values)
    return repr(values)


# -- reference problems -------------------------------------------------------------------


def _duplicates(codes: Iterable[str]) -> list[str]:
    return [code for code, count in Counter(codes).items() if count > 1]


def _reference_problems(study: dict[str, Any]) -> Iterator[tuple[str, str]]:
    activities = study["perimeter"]["activities"]
    activity_codes = [activity["code"] for activity in activities]
    for code in _duplicates(activity_codes):
        yield "perimeter.activities", f"activity code {code!r} is used twice"
    task_codes = [task["code"] for activity in activities for task in activity.get("tasks", [])]
    for code in _duplicates(task_codes):
        yield "perimeter.activities", f"task code {code!r} is used twice"

    experts = [expert["id"] for expert in study["panel"]]
    for code in _duplicates(experts):
        yield "panel", f"expert id {code!r} is used twice"
    expert_set = set(experts)

    factors = [factor["code"] for factor in study["factors"]]
    for code in _duplicates(factors):
        yield "factors", f"factor code {code!r} is used twice"
    factor_set = set(factors)

    horizon = study.get("horizon", {})
    if horizon.get("years_min", 0) > horizon.get("years_max", 99):
        yield "horizon", "years_min is greater than years_max"

    vote = study.get("factor_vote")
    if vote is not None:
        yield from _factor_vote_problems(vote, expert_set, factor_set)

    structural = study.get("structural_analysis")
    structural_factors = set(factors)
    if structural is not None:
        structural_factors = set(structural["factors"])
        yield from _structural_problems(structural, expert_set, factor_set)

    for index, key in enumerate(study.get("key_factors", [])):
        if key["code"] not in structural_factors:
            yield (
                f"key_factors[{index}].code",
                f"{key['code']!r} is not a factor of the structural analysis",
            )
        if key["origin"] == "addition" and not key.get("reason", "").strip():
            yield f"key_factors[{index}].reason", "a key factor added by hand needs a reason"
    for code in _duplicates(key["code"] for key in study.get("key_factors", [])):
        yield "key_factors", f"factor {code!r} is listed twice"

    hypothesis_factor: dict[str, str] = {}
    hypotheses = study.get("hypotheses")
    if hypotheses is not None:
        yield from _hypotheses_problems(hypotheses, expert_set, factor_set, hypothesis_factor)

    cross = study.get("cross_impacts")
    if cross is not None:
        for index, judgement in enumerate(cross["judgements"]):
            where = f"cross_impacts.judgements[{index}]"
            source, target = judgement["source"], judgement["target"]
            for name, code in (("source", source), ("target", target)):
                if code not in hypothesis_factor:
                    yield f"{where}.{name}", f"unknown hypothesis {code!r}"
            if (
                source in hypothesis_factor
                and target in hypothesis_factor
                and hypothesis_factor[source] == hypothesis_factor[target]
            ):
                yield (
                    where,
                    (
                        f"{source!r} and {target!r} are hypotheses of the same factor; "
                        "cross-impacts link hypotheses of different key factors"
                    ),
                )

    for index, action in enumerate(study.get("actions", [])):
        if action["hypothesis"] not in hypothesis_factor:
            yield f"actions[{index}].hypothesis", f"unknown hypothesis {action['hypothesis']!r}"

    competences = [competence["code"] for competence in study.get("competences", [])]
    for code in _duplicates(competences):
        yield "competences", f"competence code {code!r} is used twice"
    competence_set = set(competences)
    activity_set = set(activity_codes)
    for index, impact in enumerate(study.get("impacts", [])):
        where = f"impacts[{index}]"
        if impact["hypothesis"] not in hypothesis_factor:
            yield f"{where}.hypothesis", f"unknown hypothesis {impact['hypothesis']!r}"
        if impact["activity"] not in activity_set:
            yield f"{where}.activity", f"unknown activity {impact['activity']!r}"
        for position, code in enumerate(impact.get("competences", [])):
            if code not in competence_set:
                yield f"{where}.competences[{position}]", f"unknown competence {code!r}"


def _factor_vote_problems(
    vote: dict[str, Any], experts: set[str], factors: set[str]
) -> Iterator[tuple[str, str]]:
    for code in _duplicates(ballot["expert"] for ballot in vote["ballots"]):
        yield "factor_vote.ballots", f"expert {code!r} has two ballots"
    budget = vote.get("points_per_expert")
    for index, ballot in enumerate(vote["ballots"]):
        where = f"factor_vote.ballots[{index}]"
        if ballot["expert"] not in experts:
            yield f"{where}.expert", f"{ballot['expert']!r} is not an expert of the panel"
        for code in ballot["scores"]:
            if code not in factors:
                yield f"{where}.scores.{code}", f"unknown factor {code!r}"
        if vote["method"] == "points" and budget is not None:
            total = sum(ballot["scores"].values())
            if total > budget:
                yield (
                    f"{where}.scores",
                    f"expert {ballot['expert']!r} gave {total:g} points; the budget is {budget}",
                )
    for index, code in enumerate(vote.get("shortlist", [])):
        if code not in factors:
            yield f"factor_vote.shortlist[{index}]", f"unknown factor {code!r}"


def _structural_problems(
    structural: dict[str, Any], experts: set[str], factors: set[str]
) -> Iterator[tuple[str, str]]:
    codes = structural["factors"]
    for index, code in enumerate(codes):
        if code not in factors:
            yield f"structural_analysis.factors[{index}]", f"unknown factor {code!r}"
    size = len(codes)
    for code in _duplicates(matrix["expert"] for matrix in structural["matrices"]):
        yield "structural_analysis.matrices", f"expert {code!r} has two matrices"
    for index, matrix in enumerate(structural["matrices"]):
        where = f"structural_analysis.matrices[{index}]"
        if matrix["expert"] not in experts:
            yield f"{where}.expert", f"{matrix['expert']!r} is not an expert of the panel"
        rows = matrix["rows"]
        if len(rows) != size:
            yield f"{where}.rows", f"has {len(rows)} rows; expected {size} (one per factor)"
        for row_index, row in enumerate(rows):
            if len(row) != size:
                yield (
                    f"{where}.rows[{row_index}]",
                    f"has {len(row)} cells; expected {size} (one per factor)",
                )


def _hypotheses_problems(
    hypotheses: dict[str, Any],
    experts: set[str],
    factors: set[str],
    hypothesis_factor: dict[str, str],
) -> Iterator[tuple[str, str]]:
    seen_factors: list[str] = []
    for index, block in enumerate(hypotheses["factors"]):
        where = f"hypotheses.factors[{index}]"
        factor = block["factor"]
        seen_factors.append(factor)
        if factor not in factors:
            yield f"{where}.factor", f"unknown factor {factor!r}"
        own = [hypothesis["code"] for hypothesis in block["hypotheses"]]
        for position, hypothesis in enumerate(block["hypotheses"]):
            code = hypothesis["code"]
            if code in hypothesis_factor:
                yield (
                    f"{where}.hypotheses[{position}].code",
                    f"hypothesis code {code!r} is used twice",
                )
            hypothesis_factor[code] = factor
            for merged in hypothesis.get("merged_from", []):
                if merged not in own:
                    yield (
                        f"{where}.hypotheses[{position}].merged_from",
                        f"{merged!r} is not a hypothesis of factor {factor!r}",
                    )
        retained = block.get("retained")
        if retained is not None:
            if retained["hypothesis"] not in own:
                yield (
                    f"{where}.retained.hypothesis",
                    f"{retained['hypothesis']!r} is not a hypothesis of factor {factor!r}",
                )
            if retained["decision"] == "override" and not retained.get("reason", "").strip():
                yield f"{where}.retained.reason", "an override needs a reason"
    for code in _duplicates(seen_factors):
        yield "hypotheses.factors", f"factor {code!r} has two blocks of hypotheses"
    scales = {
        "probability": hypotheses.get("probability_scale", DEFAULT_PROBABILITY_SCALE),
        "desirability": hypotheses.get("desirability_scale", DEFAULT_DESIRABILITY_SCALE),
    }
    for name, scale in scales.items():
        if scale["min"] >= scale["max"]:
            yield f"hypotheses.{name}_scale", "min must be smaller than max"
    voted: Counter[tuple[str, str]] = Counter()
    for index, vote in enumerate(hypotheses.get("votes", [])):
        where = f"hypotheses.votes[{index}]"
        if vote["expert"] not in experts:
            yield f"{where}.expert", f"{vote['expert']!r} is not an expert of the panel"
        if vote["hypothesis"] not in hypothesis_factor:
            yield f"{where}.hypothesis", f"unknown hypothesis {vote['hypothesis']!r}"
        voted[(vote["expert"], vote["hypothesis"])] += 1
        for name, scale in scales.items():
            value = vote.get(name)
            if value is not None and not scale["min"] <= value <= scale["max"]:
                yield (
                    f"{where}.{name}",
                    f"{value} is outside the {name} scale ({scale['min']} to {scale['max']})",
                )
    for (expert, hypothesis), count in voted.items():
        if count > 1:
            yield "hypotheses.votes", f"expert {expert!r} voted {count} times on {hypothesis!r}"
