"""The study file: one JSON document holding a whole study.

The format is described by a published, versioned JSON Schema
(``anticipe/study/schema/study-1.3.schema.json``; versions 1.0, 1.1 and 1.2 are still read).
Reading a
study checks, in order:

1. that the file exists and is UTF-8 JSON (a syntax error is reported with its line and
   column);
2. that it follows the schema (every problem is reported with the path of its field,
   e.g. ``hypotheses.votes[3].probability``);
3. that it holds together: codes are unique, every answer names an expert of the panel,
   every reference names an existing factor, hypothesis, activity or competence, every
   matrix is square over the factors of the structural analysis, every vote is on its
   scale; from version 1.2, every link of a competence names a framework competence and
   level (:mod:`anticipe.study.frameworks`).

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
from collections.abc import Collection, Generator, Iterable, Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import jsonschema

from anticipe.study.characters import character_problems, depth_problem, escaped
from anticipe.study.errors import WHOLE_DOCUMENT, StudyInputError, StudyInputErrors
from anticipe.study.json_files import JsonFileKind, json_document, read_bounded
from anticipe.study.limits import (
    MAX_SCALE_POINTS,
    MAX_STUDY_BYTES,
)
from anticipe.study.messages import JsonValue, Listing, Message, message

FORMAT_VERSION = "1.3"  # the version Anticipe writes
FORMAT_VERSIONS = ("1.0", "1.1", "1.2", "1.3")  # the versions it reads
MAX_LISTED_ERRORS = 20
STUDY_FILE = JsonFileKind(
    limit=MAX_STUDY_BYTES,
    is_folder="study.is_folder",
    unreadable="study.unreadable",
    empty="study.empty",
    not_utf8="study.not_utf8",
)

Study = dict[str, Any]
T = TypeVar("T")

DEFAULT_PROBABILITY_SCALE = {"min": 1, "max": 4}
DEFAULT_DESIRABILITY_SCALE = {"min": 1, "max": 4}


@cache
def study_schema(version: str = FORMAT_VERSION) -> dict[str, Any]:
    """The JSON Schema of a version of the study file (a dict, draft 2020-12): by default
    the newest, the one Anticipe writes."""
    resource = f"study-{version}.schema.json"
    text = resources.files("anticipe.study").joinpath("schema", resource).read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def panel_sectors(study: Study) -> list[tuple[str, int]]:
    """How many experts of the panel come from each sector, by sector: the counts of a
    1.1 file (``panel_sectors``), else those of its experts' sectors."""
    if study.get("panel_sectors") is not None:
        counts = Counter({item["sector"]: int(item["experts"]) for item in study["panel_sectors"]})
    else:
        counts = Counter(str(expert.get("sector", "")) for expert in study["panel"])
    return sorted(counts.items())


def read_study(path: str | Path) -> Study:
    """Read, check and return the study file at `path`.

    Raises
    ------
    StudyInputError
        When the file is missing, not JSON, does not follow the schema or does not
        hold together; the error names the file and the field.
    """
    return parse_study(read_bounded(path, STUDY_FILE), source=Path(path))


def parse_study(
    raw: bytes | str, *, source: str | Path | None = None, max_values: int | None = None
) -> Study:
    """Parse and check a study from its JSON text (`source` names it in messages).

    The text is refused beyond :data:`~anticipe.study.limits.MAX_STUDY_BYTES`; its JSON
    may not be nested deeper than :data:`~anticipe.study.limits.MAX_JSON_DEPTH` levels nor
    hold ``NaN``, ``Infinity``, a number too large for a float or an integer of more than
    :data:`~anticipe.study.limits.MAX_INTEGER_DIGITS` digits. With `max_values`, a document
    of more values (objects, lists, numbers, texts...) is refused before it is checked
    (the site's import: :data:`~anticipe.study.limits.MAX_IMPORTED_VALUES`).
    """
    document = json_document(raw, STUDY_FILE, source)
    if max_values is not None and more_values_than(document, max_values):
        raise StudyInputError(
            message("file.too_many_values", limit=max_values), file=source, field=WHOLE_DOCUMENT
        )
    check_study(document, source=source)
    study: Study = document
    return study


def more_values_than(document: Any, limit: int) -> bool:
    """Whether a parsed JSON document holds more than `limit` values (objects and lists
    counted too); it stops counting there (bounded work)."""
    count, waiting = 0, [document]
    while waiting:
        item = waiting.pop()
        count += 1
        if count > limit:
            return True
        if isinstance(item, dict):
            waiting.extend(item.values())
        elif isinstance(item, list):
            waiting.extend(item)
    return False


_JSON_KINDS = {
    "list": "json.kind_list",
    "str": "json.kind_string",
    "int": "json.kind_integer",
    "float": "json.kind_number",
    "bool": "json.kind_boolean",
    "NoneType": "json.kind_null",
}


def check_study(document: Any, *, source: str | Path | None = None) -> None:
    """Check a parsed study document against the schema and its own references.

    Before the schema: its nesting (at most :data:`~anticipe.study.limits.MAX_JSON_DEPTH`
    levels) and its texts (no control character but tab and line breaks, no lone
    surrogate: :mod:`anticipe.study.characters`), each problem with its field's path.

    Raises
    ------
    StudyInputErrors
        Listing every problem found (at most 20 are listed).
    """
    if not isinstance(document, dict):
        name = type(document).__name__
        kind = _JSON_KINDS.get(name)
        raise StudyInputError(
            message("study.not_object", kind=message(kind) if kind is not None else name),
            file=source,
        )
    if "anticipe_study" not in document:
        raise StudyInputError(message("study.not_anticipe"), file=source)
    if document["anticipe_study"] not in FORMAT_VERSIONS:
        raise StudyInputError(
            message(
                "study.version",
                version=JsonValue(document["anticipe_study"]),
                supported=Listing.of(JsonValue(version) for version in FORMAT_VERSIONS),
            ),
            file=source,
            field="anticipe_study",
        )
    too_deep = depth_problem(document)
    if too_deep is not None:
        path, problem = too_deep
        raise StudyInputError(problem, file=source, field=_field_path(path))
    errors = [
        StudyInputError(problem, file=source, field=_field_path(path))
        for path, problem in character_problems(document)
    ]
    if not errors:
        errors = [
            StudyInputError(problem, file=source, field=field)
            for field, problem in _schema_problems(document)
        ]
    if not errors:
        errors = [
            StudyInputError(problem, file=source, field=field)
            for field, problem in _reference_problems(document)
        ]
    if errors:
        listed = errors[:MAX_LISTED_ERRORS]
        if len(errors) > MAX_LISTED_ERRORS:
            listed.append(
                StudyInputError(
                    message("study.more_problems", count=len(errors) - MAX_LISTED_ERRORS),
                    file=source,
                )
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
        raise StudyInputError(message("folder.missing"), file=folder)
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
            part = escaped(part)
            path += f".{part}" if path else part
    return path or WHOLE_DOCUMENT


@cache
def _validator(version: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(study_schema(version))


def _schema_problems(document: dict[str, Any]) -> Iterator[tuple[str, str | Message]]:
    version = str(document["anticipe_study"])
    validator = _validator(version)
    cell = study_schema(version)["$defs"]["matrix_cell"]
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path))):
        yield _field_path(error.absolute_path), _schema_message(error, cell)


_TYPES = {
    "string": "type.string",
    "integer": "type.integer",
    "number": "type.number",
    "boolean": "type.boolean",
    "array": "type.array",
    "object": "type.object",
    "null": "type.null",
}


def _schema_message(error: jsonschema.ValidationError, cell: Any = None) -> str | Message:
    """The problem in the reader's words for the common validators; for any other, the
    message of jsonschema (English). `cell` is the schema of an influence cell (by default
    the newest version's)."""
    if cell is None:
        cell = study_schema()["$defs"]["matrix_cell"]
    value = error.instance
    limit = error.validator_value
    if error.validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        return message("schema.required", name=missing)
    if error.validator == "additionalProperties":
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        return message(
            "schema.unknown_fields" if len(extra) > 1 else "schema.unknown_field",
            names=Listing.of(JsonValue(name) for name in extra),
            allowed=", ".join(allowed),
        )
    if error.validator == "enum" and error.schema == cell:
        return message("schema.influence", value=JsonValue(value))
    if error.validator == "enum":
        return message("schema.enum", value=JsonValue(value), expected=_listing(limit))
    if error.validator == "const":
        return message("schema.const", value=JsonValue(value), expected=_listing([limit]))
    if error.validator == "type":
        names = limit if isinstance(limit, list) else [limit]
        expected = Listing.of(
            message(_TYPES[name]) if name in _TYPES else JsonValue(name) for name in names
        )
        return message("schema.type", value=JsonValue(value), expected=expected)
    if error.validator == "pattern":
        return message("schema.pattern", value=JsonValue(value))
    if error.validator == "minLength":
        if limit == 1:
            return message("schema.not_empty")
        return message("schema.min_length", length=_length(value), limit=limit)
    if error.validator == "maxLength":
        return message("schema.max_length", length=_length(value), limit=limit)
    if error.validator == "minimum":
        return message("schema.minimum", value=JsonValue(value), limit=limit)
    if error.validator == "maximum":
        return message("schema.maximum", value=JsonValue(value), limit=limit)
    if error.validator == "exclusiveMinimum":
        return message("schema.exclusive_minimum", value=JsonValue(value), limit=limit)
    if error.validator == "exclusiveMaximum":
        return message("schema.exclusive_maximum", value=JsonValue(value), limit=limit)
    if error.validator == "minItems":
        if limit == 1:
            return message("schema.min_items_one")
        return message("schema.min_items", limit=limit, count=_length(value))
    if error.validator == "maxItems":
        return message("schema.max_items", limit=limit, count=_length(value))
    if error.validator == "uniqueItems":
        return message("schema.unique_items")
    return str(error.message)


def _length(value: Any) -> int | str:
    return len(value) if isinstance(value, str | list | dict) else "?"


def _listing(values: Any) -> Listing:
    items = values if isinstance(values, list | tuple) else [values]
    return Listing.of(JsonValue(value) for value in items)


# -- reference problems -------------------------------------------------------------------


Problems = Iterator[tuple[str, Message]]
"""(field path, message) of each problem found."""


def _duplicates(codes: Iterable[T]) -> list[T]:
    return [code for code, count in Counter(codes).items() if count > 1]


def _twice(where: str, codes: Iterable[str], key: str) -> Problems:
    """Message `key` for each code listed more than once."""
    for code in _duplicates(codes):
        yield where, message(key, code=JsonValue(code))


def _twice_in_iteration(
    where: str, answers: Iterable[tuple[str, int]], key: str, key_in_iteration: str
) -> Problems:
    """Message `key` (first iteration) or `key_in_iteration` (a later one) for each expert
    whose answers of one iteration are listed more than once."""
    for code, iteration in _duplicates(answers):
        if iteration == 1:
            yield where, message(key, code=JsonValue(code))
        else:
            yield where, message(key_in_iteration, code=JsonValue(code), iteration=iteration)


def _iteration_problems(where: str, section: dict[str, Any], answered: Iterable[int]) -> Problems:
    """A step's iterations: each listed once; every answer's iteration among them (when
    the step lists its iterations)."""
    listed = [item["iteration"] for item in section.get("iterations", [])]
    for iteration in _duplicates(listed):
        yield f"{where}.iterations", message("ref.iteration_twice", iteration=iteration)
    if listed:
        for iteration in sorted(set(answered) - set(listed)):
            yield f"{where}.iterations", message("ref.unknown_iteration", iteration=iteration)


def _not_among(where: str, code: str, known: Collection[str], key: str) -> Problems:
    """Message `key` when `code` is not among the `known` codes."""
    if code not in known:
        yield where, message(key, code=JsonValue(code))


class _Codes(NamedTuple):
    activities: set[str]
    experts: set[str]
    factors: set[str]


def _code_problems(study: dict[str, Any]) -> Generator[tuple[str, Message], None, _Codes]:
    """Codes given twice (activities, tasks, experts, factors); returns the codes."""
    activities = study["perimeter"]["activities"]
    activity_codes = [activity["code"] for activity in activities]
    yield from _twice("perimeter.activities", activity_codes, "ref.activity_twice")
    task_codes = [task["code"] for activity in activities for task in activity.get("tasks", [])]
    yield from _twice("perimeter.activities", task_codes, "ref.task_twice")
    experts = [expert["id"] for expert in study["panel"]]
    yield from _twice("panel", experts, "ref.expert_twice")
    yield from _sector_problems(study.get("panel_sectors"), len(experts))
    factors = [factor["code"] for factor in study["factors"]]
    yield from _twice("factors", factors, "ref.factor_twice")
    return _Codes(set(activity_codes), set(experts), set(factors))


def _sector_problems(sectors: list[dict[str, Any]] | None, size: int) -> Problems:
    """The panel's sectors as counts: each sector once, as many experts as the panel."""
    if sectors is None:
        return
    yield from _twice("panel_sectors", (s["sector"] for s in sectors), "ref.sector_twice")
    counted = sum(item["experts"] for item in sectors)
    if counted != size:
        yield "panel_sectors", message("ref.sector_count", count=counted, size=size)


def _reference_problems(study: dict[str, Any]) -> Iterator[tuple[str, str | Message]]:
    codes = yield from _code_problems(study)
    horizon = study.get("horizon", {})
    if horizon.get("years_min", 0) > horizon.get("years_max", 99):
        yield "horizon", message("ref.horizon")
    vote = study.get("factor_vote")
    if vote is not None:
        yield from _factor_vote_problems(vote, codes.experts, codes.factors)
    structural = study.get("structural_analysis")
    structural_factors = codes.factors
    if structural is not None:
        structural_factors = set(structural["factors"])
        yield from _structural_problems(structural, codes.experts, codes.factors)
    yield from _key_factor_problems(study.get("key_factors", []), structural_factors)
    hypothesis_factor: dict[str, str] = {}
    hypotheses = study.get("hypotheses")
    if hypotheses is not None:
        yield from _hypotheses_problems(hypotheses, codes.experts, codes.factors, hypothesis_factor)
    cross = study.get("cross_impacts")
    if cross is not None:
        yield from _cross_impact_problems(cross["judgements"], hypothesis_factor)
    for index, action in enumerate(study.get("actions", [])):
        where = f"actions[{index}].hypothesis"
        yield from _not_among(
            where, action["hypothesis"], hypothesis_factor, "ref.unknown_hypothesis"
        )
    yield from _impact_problems(study, codes.activities, hypothesis_factor)
    if study["anticipe_study"] not in ("1.0", "1.1"):
        from anticipe.study.frameworks.loading import study_framework_problems

        yield from study_framework_problems(study)
    if study["anticipe_study"] not in ("1.0", "1.1", "1.2"):
        yield from _services_problems(study)
        asked = (study.get("self_assessment") or {}).get("questionnaire")
        if asked is not None:
            yield from _questionnaire_problems(asked)
    for factor in study.get("report", {}).get("action_notes", {}):
        where = f"report.action_notes.{factor}"
        yield from _not_among(where, factor, codes.factors, "ref.unknown_factor")


def _key_factor_problems(key_factors: list[dict[str, Any]], structural: set[str]) -> Problems:
    for index, key in enumerate(key_factors):
        where = f"key_factors[{index}]"
        yield from _not_among(f"{where}.code", key["code"], structural, "ref.not_structural_factor")
        if key["origin"] == "addition" and not key.get("reason", "").strip():
            yield f"{where}.reason", message("ref.key_factor_reason")
    yield from _twice("key_factors", (key["code"] for key in key_factors), "ref.key_factor_twice")


def _cross_impact_problems(
    judgements: list[dict[str, Any]], hypothesis_factor: dict[str, str]
) -> Problems:
    for index, judgement in enumerate(judgements):
        where = f"cross_impacts.judgements[{index}]"
        source, target = judgement["source"], judgement["target"]
        for name, code in (("source", source), ("target", target)):
            yield from _not_among(
                f"{where}.{name}", code, hypothesis_factor, "ref.unknown_hypothesis"
            )
        if (
            source in hypothesis_factor
            and target in hypothesis_factor
            and hypothesis_factor[source] == hypothesis_factor[target]
        ):
            yield (
                where,
                message("ref.same_factor", source=JsonValue(source), target=JsonValue(target)),
            )


def _impact_problems(
    study: dict[str, Any], activities: set[str], hypothesis_factor: dict[str, str]
) -> Problems:
    competences = [competence["code"] for competence in study.get("competences", [])]
    yield from _twice("competences", competences, "ref.competence_twice")
    for index, impact in enumerate(study.get("impacts", [])):
        where = f"impacts[{index}]"
        hypothesis = impact["hypothesis"]
        yield from _not_among(
            f"{where}.hypothesis", hypothesis, hypothesis_factor, "ref.unknown_hypothesis"
        )
        activity = impact["activity"]
        yield from _not_among(f"{where}.activity", activity, activities, "ref.unknown_activity")
        for position, code in enumerate(impact.get("competences", [])):
            yield from _not_among(
                f"{where}.competences[{position}]", code, competences, "ref.unknown_competence"
            )
    block = study.get("self_assessment") or {}
    groups = block.get("groups", [])
    yield from _twice("self_assessment.groups", (g["code"] for g in groups), "ref.group_twice")
    asked = block.get("questionnaire")
    if asked is not None:  # the questions as published: a competence renamed since is here
        competences = [*competences, *(c["code"] for c in asked["competences"])]
    for index, group in enumerate(groups):
        for position, item in enumerate(group["competences"]):
            yield from _not_among(
                f"self_assessment.groups[{index}].competences[{position}].competence",
                item["competence"],
                competences,
                "ref.unknown_competence",
            )


def _questionnaire_problems(asked: dict[str, Any]) -> Iterator[tuple[str, str | Message]]:
    """The self-assessment's questionnaire as published: each competence once, its links'
    frameworks, competences and levels known (its own frameworks carried with it)."""
    from anticipe.study.frameworks.loading import study_framework_problems

    where = "self_assessment.questionnaire"
    codes = [competence["code"] for competence in asked["competences"]]
    yield from _twice(f"{where}.competences", codes, "ref.competence_twice")
    for field, problem in study_framework_problems(asked):
        yield f"{where}.{field}", problem


def _services_problems(study: dict[str, Any]) -> Problems:
    """Today's profile and the training catalogue (format 1.3): each framework competence
    known with its level, each study competence a module covers one of the study's, each
    module's id given once."""
    from anticipe.study.frameworks.loading import framework_item_problems

    competences = [competence["code"] for competence in study.get("competences", [])]
    current = study.get("current_profile") or {}
    for index, item in enumerate(current.get("competences", [])):
        yield from framework_item_problems(study, f"current_profile.competences[{index}]", item)
    modules = (study.get("training_catalogue") or {}).get("modules", [])
    yield from _twice("training_catalogue.modules", (m["id"] for m in modules), "ref.module_twice")
    for index, module in enumerate(modules):
        for position, item in enumerate(module["covers"]):
            where = f"training_catalogue.modules[{index}].covers[{position}]"
            if "competence" in item:
                yield from _not_among(
                    f"{where}.competence", item["competence"], competences, "ref.unknown_competence"
                )
            else:
                yield from framework_item_problems(study, where, item)


def _factor_vote_problems(vote: dict[str, Any], experts: set[str], factors: set[str]) -> Problems:
    ballots = vote["ballots"]
    yield from _twice_in_iteration(
        "factor_vote.ballots",
        ((b["expert"], b.get("iteration", 1)) for b in ballots),
        "ref.two_ballots",
        "ref.two_ballots_in_iteration",
    )
    yield from _iteration_problems("factor_vote", vote, (b.get("iteration", 1) for b in ballots))
    budget = vote.get("points_per_expert")
    for index, ballot in enumerate(ballots):
        where = f"factor_vote.ballots[{index}]"
        yield from _not_among(f"{where}.expert", ballot["expert"], experts, "ref.not_panel_expert")
        for code in ballot["scores"]:
            yield from _not_among(f"{where}.scores.{code}", code, factors, "ref.unknown_factor")
        if vote["method"] == "points" and budget is not None:
            total = sum(ballot["scores"].values())
            if total > budget:
                yield (
                    f"{where}.scores",
                    message(
                        "ref.over_budget",
                        expert=JsonValue(ballot["expert"]),
                        total=f"{total:g}",
                        budget=budget,
                    ),
                )
    for index, code in enumerate(vote.get("shortlist", [])):
        yield from _not_among(
            f"factor_vote.shortlist[{index}]", code, factors, "ref.unknown_factor"
        )


def _structural_problems(
    structural: dict[str, Any], experts: set[str], factors: set[str]
) -> Problems:
    codes = structural["factors"]
    for index, code in enumerate(codes):
        where = f"structural_analysis.factors[{index}]"
        yield from _not_among(where, code, factors, "ref.unknown_factor")
    size = len(codes)
    matrices = structural["matrices"]
    yield from _twice_in_iteration(
        "structural_analysis.matrices",
        ((m["expert"], m.get("iteration", 1)) for m in matrices),
        "ref.two_matrices",
        "ref.two_matrices_in_iteration",
    )
    yield from _iteration_problems(
        "structural_analysis", structural, (m.get("iteration", 1) for m in matrices)
    )
    for index, matrix in enumerate(matrices):
        where = f"structural_analysis.matrices[{index}]"
        yield from _not_among(f"{where}.expert", matrix["expert"], experts, "ref.not_panel_expert")
        rows = matrix["rows"]
        if len(rows) != size:
            yield f"{where}.rows", message("ref.row_count", count=len(rows), size=size)
        for row_index, row in enumerate(rows):
            if len(row) != size:
                yield (
                    f"{where}.rows[{row_index}]",
                    message("ref.cell_count", count=len(row), size=size),
                )


_OUTSIDE_SCALE = {
    "probability": "ref.outside_probability",
    "desirability": "ref.outside_desirability",
}


def _not_hypothesis_of(where: str, code: str, factor: str, own: list[str]) -> Problems:
    if code not in own:
        yield (
            where,
            message("ref.not_hypothesis_of", code=JsonValue(code), factor=JsonValue(factor)),
        )


def _hypothesis_block_problems(
    where: str, block: dict[str, Any], factors: set[str], hypothesis_factor: dict[str, str]
) -> Problems:
    """One factor's block of hypotheses: its factor, codes, merges and retained one."""
    factor = block["factor"]
    yield from _not_among(f"{where}.factor", factor, factors, "ref.unknown_factor")
    own = [hypothesis["code"] for hypothesis in block["hypotheses"]]
    for position, hypothesis in enumerate(block["hypotheses"]):
        code = hypothesis["code"]
        if code in hypothesis_factor:
            yield (
                f"{where}.hypotheses[{position}].code",
                message("ref.hypothesis_twice", code=JsonValue(code)),
            )
        hypothesis_factor[code] = factor
        for merged in hypothesis.get("merged_from", []):
            yield from _not_hypothesis_of(
                f"{where}.hypotheses[{position}].merged_from", merged, factor, own
            )
    retained = block.get("retained")
    if retained is not None:
        yield from _not_hypothesis_of(
            f"{where}.retained.hypothesis", retained["hypothesis"], factor, own
        )
        if retained["decision"] == "override" and not retained.get("reason", "").strip():
            yield f"{where}.retained.reason", message("ref.override_reason")
    yield from _merge_problems(where, block)


def _merge_problems(where: str, block: dict[str, Any]) -> Problems:
    """A merge replaces the hypotheses voted on that it merges: none of them is in two
    merges, a merge is not merged again, and a merged hypothesis is not retained."""
    merges = {h["code"] for h in block["hypotheses"] if h.get("merged_from")}
    merged_into: dict[str, str] = {}
    for position, hypothesis in enumerate(block["hypotheses"]):
        for merged in hypothesis.get("merged_from", []):
            field = f"{where}.hypotheses[{position}].merged_from"
            if merged in merges:
                yield field, message("ref.merge_of_merge", code=JsonValue(merged))
            elif merged in merged_into:
                yield (
                    field,
                    message(
                        "ref.merged_twice",
                        code=JsonValue(merged),
                        merge=JsonValue(merged_into[merged]),
                    ),
                )
            merged_into.setdefault(merged, hypothesis["code"])
    retained = (block.get("retained") or {}).get("hypothesis")
    if retained in merged_into:
        yield (
            f"{where}.retained.hypothesis",
            message(
                "ref.retained_merged",
                code=JsonValue(retained),
                merge=JsonValue(merged_into[retained]),
            ),
        )


def _hypothesis_vote_problems(
    hypotheses: dict[str, Any], experts: set[str], hypothesis_factor: dict[str, str]
) -> Problems:
    """The votes on hypotheses: scales, experts, hypotheses, values, votes given twice."""
    scales = {
        "probability": hypotheses.get("probability_scale", DEFAULT_PROBABILITY_SCALE),
        "desirability": hypotheses.get("desirability_scale", DEFAULT_DESIRABILITY_SCALE),
    }
    for name, scale in scales.items():
        if scale["min"] >= scale["max"]:
            yield f"hypotheses.{name}_scale", message("ref.scale_order")
        elif scale["max"] - scale["min"] + 1 > MAX_SCALE_POINTS:
            points = scale["max"] - scale["min"] + 1
            yield (
                f"hypotheses.{name}_scale",
                message("ref.scale_points", points=points, limit=MAX_SCALE_POINTS),
            )
    voted: Counter[tuple[str, str, int]] = Counter()
    for index, vote in enumerate(hypotheses.get("votes", [])):
        where = f"hypotheses.votes[{index}]"
        yield from _not_among(f"{where}.expert", vote["expert"], experts, "ref.not_panel_expert")
        yield from _not_among(
            f"{where}.hypothesis", vote["hypothesis"], hypothesis_factor, "ref.unknown_hypothesis"
        )
        voted[(vote["expert"], vote["hypothesis"], vote.get("iteration", 1))] += 1
        for name, scale in scales.items():
            value = vote.get(name)
            if value is not None and not scale["min"] <= value <= scale["max"]:
                yield (
                    f"{where}.{name}",
                    message(_OUTSIDE_SCALE[name], value=value, min=scale["min"], max=scale["max"]),
                )
    for (expert, hypothesis, iteration), count in voted.items():
        if count > 1:
            values = {
                "expert": JsonValue(expert),
                "count": count,
                "hypothesis": JsonValue(hypothesis),
            }
            if iteration == 1:
                yield "hypotheses.votes", message("ref.voted_twice", **values)
            else:
                yield (
                    "hypotheses.votes",
                    message("ref.voted_twice_in_iteration", iteration=iteration, **values),
                )
    yield from _iteration_problems("hypotheses", hypotheses, (i for _e, _h, i in voted))
    for index, item in enumerate(hypotheses.get("iterations", [])):
        for position, code in enumerate(item.get("hypotheses", [])):
            where = f"hypotheses.iterations[{index}].hypotheses[{position}]"
            yield from _not_among(where, code, hypothesis_factor, "ref.unknown_hypothesis")


def _hypotheses_problems(
    hypotheses: dict[str, Any],
    experts: set[str],
    factors: set[str],
    hypothesis_factor: dict[str, str],
) -> Problems:
    blocks = hypotheses["factors"]
    for index, block in enumerate(blocks):
        where = f"hypotheses.factors[{index}]"
        yield from _hypothesis_block_problems(where, block, factors, hypothesis_factor)
    yield from _twice("hypotheses.factors", (b["factor"] for b in blocks), "ref.two_blocks")
    yield from _hypothesis_vote_problems(hypotheses, experts, hypothesis_factor)
