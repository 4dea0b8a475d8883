"""Reading a framework of competences: from Anticipe's JSON format or from a CSV file.

Reading checks, in order: the file's size (at most :data:`MAX_FRAMEWORK_BYTES`), that it is
UTF-8 JSON (or a CSV table, turned into the same JSON document), its nesting and texts, the
schema (every problem with the path of its field, e.g. ``competences[3].title``; with its
row for a CSV file), then that it holds together (each area, competence and level once,
every competence in an existing area). Every problem is a
:class:`~anticipe.study.errors.StudyInputError` saying what and where.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from anticipe.i18n import language_or_default
from anticipe.study.characters import character_problems, depth_problem
from anticipe.study.errors import WHOLE_DOCUMENT, StudyInputError, StudyInputErrors
from anticipe.study.json_files import JsonFileKind, json_document, read_bounded, too_large
from anticipe.study.messages import JsonValue, Listing, Message, message
from anticipe.study.study_file import _field_path, _schema_message
from anticipe.study.tables import Table, read_table_csv

FORMAT_VERSION = "1.0"
MAX_FRAMEWORK_BYTES = 4 * 1024 * 1024
"""The largest framework file read (4 MiB: an ESCO extract of a few thousand skills)."""
FRAMEWORK_FILE = JsonFileKind(limit=MAX_FRAMEWORK_BYTES, not_utf8="framework.not_utf8")
MAX_LISTED_ERRORS = 20
BUILTIN = ("digcomp-2.2", "digcompedu", "crcn-pix")
"""The frameworks Anticipe ships, in the order they are offered."""

_NEVER: dict[str, Any] = {"never": "an influence cell"}

LEGACY_NAMES = {
    "DigComp 2.2": "digcomp-2.2",
    "DigComp 3.0": "digcomp-2.2",
    "DigCompEdu": "digcompedu",
    "CRCN": "crcn-pix",
}
"""The framework names of study format 1.1, by the id of the framework they name (DigComp
3.0 keeps DigComp 2.2's numbering); 1.1's "ESCO" names no framework Anticipe holds."""
UNCHECKED = frozenset({"ESCO"})
"""Framework names of study format 1.1 whose links are kept as they are, unchecked."""


@dataclass(frozen=True)
class Text:
    """A text in English and French (either may be missing)."""

    en: str | None
    fr: str | None

    @classmethod
    def of(cls, value: Mapping[str, Any] | None) -> Text:
        value = value or {}
        return cls(value.get("en") or None, value.get("fr") or None)

    def in_language(self, language: str) -> str:
        """The text in `language`, else in the other one ('' when neither)."""
        if language_or_default(language) == "fr":
            return self.fr or self.en or ""
        return self.en or self.fr or ""

    def both(self) -> str:
        """Every wording (for matching)."""
        return " ".join(text for text in (self.en, self.fr) if text)


@dataclass(frozen=True)
class Area:
    id: str
    title: Text
    other_titles: tuple[tuple[str, Text], ...] = ()


@dataclass(frozen=True)
class Competence:
    id: str
    area: str
    title: Text
    description: Text = Text(None, None)
    keywords: Text = Text(None, None)
    other_titles: tuple[tuple[str, Text], ...] = ()
    esco_uri: str | None = None
    esco_label: Text = Text(None, None)


@dataclass(frozen=True)
class Level:
    id: str
    title: Text
    description: Text = Text(None, None)


@dataclass(frozen=True)
class Certification:
    """A certification that assesses a framework's competences (Pix for the CRCN)."""

    name: str
    url: str = ""
    description: Text = Text(None, None)


@dataclass(frozen=True)
class Framework:
    """A framework read and checked: its areas, competences and levels in their order."""

    id: str
    name: str
    title: Text
    attribution: Text  # a one-text attribution is read as English
    esco_attribution: str | None
    areas: tuple[Area, ...]
    competences: tuple[Competence, ...]
    levels: tuple[Level, ...]
    citation: str = ""
    url: str = ""
    certification: Certification | None = None

    @cached_property
    def _index(self) -> dict[str, dict[str, Any]]:
        """Areas, competences and levels by id (lookups in constant time: a study may hold
        many links)."""
        return {
            "areas": {item.id: item for item in self.areas},
            "competences": {item.id: item for item in self.competences},
            "levels": {item.id: item for item in self.levels},
            "ranks": {item.id: rank for rank, item in enumerate(self.levels, start=1)},
        }

    def competence(self, competence_id: str) -> Competence | None:
        found: Competence | None = self._index["competences"].get(competence_id)
        return found

    def area(self, area_id: str) -> Area | None:
        found: Area | None = self._index["areas"].get(area_id)
        return found

    def level(self, level_id: str) -> Level | None:
        found: Level | None = self._index["levels"].get(level_id)
        return found

    def level_rank(self, level_id: str) -> int | None:
        """The 1-based position of a level from the lowest (None if unknown)."""
        rank: int | None = self._index["ranks"].get(level_id)
        return rank

    @property
    def uses_esco(self) -> bool:
        return self.esco_attribution is not None


@cache
def framework_schema() -> dict[str, Any]:
    """The JSON Schema of Anticipe's framework format (draft 2020-12)."""
    resource = f"framework-{FORMAT_VERSION}.schema.json"
    files = resources.files("anticipe.study.frameworks")
    schema: dict[str, Any] = json.loads(files.joinpath("schema", resource).read_text("utf-8"))
    return schema


@cache
def builtin_frameworks() -> dict[str, Framework]:
    """The frameworks Anticipe ships, by id: DigComp 2.2 (with its DigComp 3.0 titles),
    DigCompEdu and the CRCN (Pix)."""
    found = {}
    for name in BUILTIN:
        # shipped with the package and checked by its tests (as parse_framework checks a
        # facilitator's file), not at each start: the schema check alone was a tenth of a
        # second of every report
        framework = _framework(json.loads(builtin_framework_bytes(name)))
        found[framework.id] = framework
    return found


def builtin_framework_bytes(name: str) -> bytes:
    """The shipped framework file `name` (one of :data:`BUILTIN`) as it is stored."""
    return (
        resources.files("anticipe.study.frameworks").joinpath("data", f"{name}.json").read_bytes()
    )


def read_framework(path: str | Path) -> Framework:
    """Read and check the framework at `path`: a ``.json`` file of Anticipe's framework
    format or a ``.csv`` file (see ``docs/frameworks.md``).

    Raises
    ------
    StudyInputError
        What is wrong and where (the file, its field or its row).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        shown = suffix or message("file.no_suffix")
        raise StudyInputError(message("framework.file_type", suffix=shown), file=path)
    if suffix == ".csv":
        if path.is_file() and path.stat().st_size > MAX_FRAMEWORK_BYTES:
            raise too_large(path.stat().st_size, FRAMEWORK_FILE, path)
        return parse_framework_csv(read_table_csv(path))
    return parse_framework(read_bounded(path, FRAMEWORK_FILE), source=path)


def parse_framework(raw: bytes | str, *, source: str | Path | None = None) -> Framework:
    """Read a framework from the text of a JSON document of Anticipe's framework format."""
    document = json_document(raw, FRAMEWORK_FILE, source)
    return framework_from_document(document, source=source)


def framework_from_document(
    document: Any, *, source: str | Path | None = None, rows: Mapping[str, int] | None = None
) -> Framework:
    """Check a parsed framework document and return it as a :class:`Framework`.

    `rows` gives, for a document made from a CSV file, the table row of each field path's
    first part (``competences[3]``), so that a problem names its row.
    """
    if not isinstance(document, dict):
        raise StudyInputError(message("framework.not_object"), file=source)
    if "anticipe_framework" not in document:
        raise StudyInputError(message("framework.not_anticipe"), file=source)
    if document["anticipe_framework"] != FORMAT_VERSION:
        raise StudyInputError(
            message(
                "framework.version",
                version=JsonValue(document["anticipe_framework"]),
                supported=Listing.of([JsonValue(FORMAT_VERSION)]),
            ),
            file=source,
            field="anticipe_framework",
        )
    too_deep = depth_problem(document)
    if too_deep is not None:
        raise StudyInputError(too_deep[1], file=source, field=_field_path(too_deep[0]))
    problems: list[tuple[str, str | Message]] = [
        (_field_path(path), problem) for path, problem in character_problems(document)
    ]
    if not problems:
        problems = list(_schema_problems(document))
    if not problems:
        problems = list(_reference_problems(document))
    if problems:
        errors = [_located(field, problem, source, rows) for field, problem in problems]
        listed = errors[:MAX_LISTED_ERRORS]
        if len(errors) > MAX_LISTED_ERRORS:
            more = message("study.more_problems", count=len(errors) - MAX_LISTED_ERRORS)
            listed.append(StudyInputError(more, file=source))
        raise StudyInputErrors(listed)
    return _framework(document)


def _located(
    field: str, problem: str | Message, source: str | Path | None, rows: Mapping[str, int] | None
) -> StudyInputError:
    if rows is not None:
        head = field.split(".")[0]
        return StudyInputError(problem, file=source, row=rows.get(head, 1))
    return StudyInputError(problem, file=source, field=field)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(framework_schema())


def _schema_problems(document: dict[str, Any]) -> Iterator[tuple[str, str | Message]]:
    text = framework_schema()["$defs"]["text"]
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(map(str, e.path)))
    for error in errors:
        field = _field_path(error.absolute_path)
        if error.validator == "anyOf" and error.schema == text:
            yield field, message("framework.no_text")
        else:
            yield field, _schema_message(error, _NEVER)


def _reference_problems(document: dict[str, Any]) -> Iterator[tuple[str, Message]]:
    for part, key in (
        ("areas", "framework.area_twice"),
        ("competences", "framework.competence_twice"),
        ("levels", "framework.level_twice"),
    ):
        counts = Counter(item["id"] for item in document[part])
        for code, count in counts.items():
            if count > 1:
                yield part, message(key, code=JsonValue(code))
    areas = {area["id"] for area in document["areas"]}
    for index, competence in enumerate(document["competences"]):
        if competence["area"] not in areas:
            yield (
                f"competences[{index}].area",
                message(
                    "framework.unknown_area",
                    code=JsonValue(competence["id"]),
                    area=JsonValue(competence["area"]),
                ),
            )


def _other_titles(item: Mapping[str, Any]) -> tuple[tuple[str, Text], ...]:
    return tuple(
        (other["edition"], Text.of(other["title"])) for other in item.get("other_titles", [])
    )


def _attribution(value: str | Mapping[str, Any]) -> Text:
    """The credit, in English and French where the file has both (a string is English)."""
    return Text(value, None) if isinstance(value, str) else Text.of(value)


def _framework(document: dict[str, Any]) -> Framework:
    source = document.get("source", {})
    return Framework(
        id=document["id"],
        name=document["name"],
        title=Text.of(document["title"]),
        attribution=_attribution(document["licence"]["attribution"]),
        esco_attribution=document.get("esco_attribution"),
        areas=tuple(
            Area(area["id"], Text.of(area["title"]), _other_titles(area))
            for area in document["areas"]
        ),
        competences=tuple(
            Competence(
                id=item["id"],
                area=item["area"],
                title=Text.of(item["title"]),
                description=Text.of(item.get("description")),
                keywords=Text.of(item.get("keywords")),
                other_titles=_other_titles(item),
                esco_uri=item.get("esco", {}).get("uri"),
                esco_label=Text.of(item.get("esco", {}).get("label")),
            )
            for item in document["competences"]
        ),
        levels=tuple(
            Level(level["id"], Text.of(level["title"]), Text.of(level.get("description")))
            for level in document["levels"]
        ),
        citation=source.get("citation", ""),
        url=source.get("url", ""),
        certification=_certification(document.get("certification")),
    )


def _certification(value: Mapping[str, Any] | None) -> Certification | None:
    if not value:
        return None
    return Certification(value["name"], value.get("url", ""), Text.of(value.get("description")))


def study_frameworks(study: Mapping[str, Any]) -> dict[str, Framework]:
    """The frameworks a study's links may name, by id: those Anticipe ships and those the
    study carries (``reference_frameworks``, assumed checked by the study file's reader)."""
    found = dict(builtin_frameworks())
    for document in study.get("reference_frameworks", []):
        found[document["id"]] = framework_from_document(document)
    return found


def linked_framework(name: str, frameworks: Mapping[str, Framework]) -> Framework | None:
    """The framework a link names (by its id, or by a name of study format 1.1)."""
    return frameworks.get(LEGACY_NAMES.get(name, name))


def study_framework_problems(study: Mapping[str, Any]) -> Iterator[tuple[str, str | Message]]:
    """The problems of a study's frameworks and links (study format 1.2): each carried
    framework well-formed and given once, each link naming a known framework, one of its
    competences and one of its levels, each framework competence linked once per competence.
    """
    frameworks = dict(builtin_frameworks())
    for index, document in enumerate(study.get("reference_frameworks", [])):
        where = f"reference_frameworks[{index}]"
        try:
            framework = framework_from_document(document)
        except StudyInputErrors as errors:
            for error in errors.errors:
                problem = error.localised if error.localised is not None else error.message
                inner = error.field if error.field not in (None, WHOLE_DOCUMENT) else None
                yield f"{where}.{inner}" if inner else where, problem
            continue
        except StudyInputError as error:
            yield where, error.localised if error.localised is not None else error.message
            continue
        if framework.id in frameworks:
            yield f"{where}.id", message("ref.framework_twice", framework=JsonValue(framework.id))
        frameworks[framework.id] = framework
    known = Listing.of(JsonValue(name) for name in frameworks)
    for index, competence in enumerate(study.get("competences", [])):
        seen: set[tuple[str, str]] = set()
        for position, link in enumerate(competence.get("frameworks", [])):
            where = f"competences[{index}].frameworks[{position}]"
            name, code = link["framework"], link["id"]
            if (name, code) in seen:
                shown = JsonValue(name)
                yield where, message("ref.link_twice", framework=shown, code=JsonValue(code))
            seen.add((name, code))
            if name in UNCHECKED:
                continue
            linked = linked_framework(name, frameworks)
            if linked is None:
                problem = message("ref.unknown_framework", framework=JsonValue(name), known=known)
                yield f"{where}.framework", problem
                continue
            yield from _link_problems(where, linked, code, link.get("level"))


def framework_item_problems(
    study: Mapping[str, Any], where: str, item: Mapping[str, Any]
) -> Iterator[tuple[str, Message]]:
    """A framework competence named outside the links (today's profile, what a training
    module covers): a known framework, one of its competences, one of its levels."""
    frameworks = study_frameworks(study)
    framework = linked_framework(item["framework"], frameworks)
    if framework is None:
        known = Listing.of(JsonValue(name) for name in frameworks)
        yield (
            f"{where}.framework",
            message("ref.unknown_framework", framework=JsonValue(item["framework"]), known=known),
        )
        return
    yield from _link_problems(where, framework, item["id"], item.get("level"))


def _link_problems(
    where: str, framework: Framework, code: str, level: str | None
) -> Iterator[tuple[str, Message]]:
    """A link's competence and level, among those of its framework."""
    if framework.competence(code) is None:
        problem = message(
            "ref.unknown_framework_competence", framework=framework.name, code=JsonValue(code)
        )
        yield f"{where}.id", problem
    if level is not None and framework.level(level) is None:
        levels = Listing.of(JsonValue(item.id) for item in framework.levels)
        problem = message(
            "ref.unknown_framework_level",
            framework=framework.name,
            level=JsonValue(level),
            levels=levels,
        )
        yield f"{where}.level", problem


# -- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = ("kind", "id", "area", "title_en", "title_fr", "description_en", "description_fr")
"""The columns a framework's CSV file may have (``kind``, ``id`` and a title are needed)."""
CSV_OPTIONAL = ("esco_uri",)
_KINDS = {"area": "areas", "competence": "competences", "level": "levels"}


def parse_framework_csv(table: Table) -> Framework:
    """A framework from a CSV table: a header row, then one row per item, its ``kind``
    saying what the row is: ``framework`` (once: its id and title; its attribution in
    ``description_en``/``description_fr``), ``area``, ``competence`` (with the id of its
    ``area``) or ``level`` (from the lowest to the highest)."""
    if not table.rows:
        raise table.problem(message("file.empty"))
    header = [str(cell).strip().lower() for cell in table.rows[0]]
    missing = [name for name in ("kind", "id") if name not in header]
    if not ({"title_en", "title_fr"} & set(header)):
        missing.append("title_en")
    if missing:
        raise table.problem(
            message(
                "framework.csv_columns",
                missing=Listing.of(missing),
                expected=Listing.of((*CSV_COLUMNS, *CSV_OPTIONAL)),
            ),
            row=1,
        )
    position = {name: index for index, name in enumerate(header)}

    def cell(cells: list[object], name: str) -> str | None:
        index = position.get(name)
        if index is None or index >= len(cells):
            return None
        text = str(cells[index]).strip()
        return text or None

    document: dict[str, Any] = {
        "anticipe_framework": FORMAT_VERSION,
        "areas": [],
        "competences": [],
        "levels": [],
    }
    rows: dict[str, int] = {}
    problems: list[StudyInputError] = []
    for number, cells in enumerate(table.rows[1:], start=2):
        if not any(str(value).strip() for value in cells):
            continue
        kind = (cell(cells, "kind") or "").lower()
        title = {"en": cell(cells, "title_en"), "fr": cell(cells, "title_fr")}
        if kind == "framework":
            if "id" in document:
                problems.append(table.problem(message("framework.csv_framework_twice"), row=number))
                continue
            document.update(
                id=cell(cells, "id") or "",
                name=title["en"] or title["fr"] or cell(cells, "id") or "",
                title=title,
                licence={
                    # the credit in each language the row gives (the file's name without)
                    "attribution": {
                        language: text
                        for language in ("en", "fr")
                        if (text := cell(cells, f"description_{language}"))
                    }
                    or table.stem
                },
            )
            rows.update(id=number, name=number, title=number, licence=number)
            continue
        part = _KINDS.get(kind)
        if part is None:
            shown = JsonValue(cell(cells, "kind") or "")
            problems.append(table.problem(message("framework.csv_kind", value=shown), row=number))
            continue
        item: dict[str, Any] = {"id": cell(cells, "id") or "", "title": title}
        description = {"en": cell(cells, "description_en"), "fr": cell(cells, "description_fr")}
        if any(description.values()):
            item["description"] = description
        if part == "competences":
            item["area"] = cell(cells, "area") or ""
            uri = cell(cells, "esco_uri")
            if uri:
                item["esco"] = {"uri": uri}
                document["esco_attribution"] = ESCO_ATTRIBUTION
                rows["esco_attribution"] = number
        rows[f"{part}[{len(document[part])}]"] = number
        document[part].append(item)
    if problems:
        raise StudyInputErrors(problems[:MAX_LISTED_ERRORS])
    if "id" not in document:
        raise table.problem(message("framework.csv_no_framework"))
    for part in _KINDS.values():
        rows.setdefault(part, 1)
    return framework_from_document(document, source=table.file, rows=rows)


ESCO_ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
"""The sentence a service using ESCO concepts must show (ESCO's terms of use)."""
