"""The study layer's messages (problems in input files), in French and English.

Each message has an id (``"cell.not_influence"``) and an English text with ``{name}``
placeholders: the id is what a :class:`~anticipe.study.errors.StudyInputError` carries (and
what the command line's ``--json`` output and the site name); the English text is the
gettext msgid, translated in the package's one catalogue
(``src/anticipe/locale/fr/LC_MESSAGES/django.po``) and read through
:func:`anticipe.i18n.translator`. The texts are marked with ``gettext_noop`` so that
``makemessages`` (xgettext) finds them; the few English texts that two messages share but
French tells apart are marked with a context, the message id (:func:`pgettext_lazy`).

The study layer never imports Django: the site asks an error for its text in the active
language (:meth:`~anticipe.study.errors.StudyInputError.message_in`,
:meth:`~anticipe.study.errors.StudyInputError.location_in`); the command line prints the
English text (``error.message``).

Values are of three kinds:

- the user's own data (factor codes, sheet names, numbers) shown as they are;
- words or phrases of the catalogue, given as a :class:`Message` and rendered in the same
  language as the sentence around them (``"the study's factors"``, the influence scale);
- typed text or JSON values quoted the language's way (:class:`Quoted`,
  :class:`JsonValue`): ``'fort'`` in English, ``« fort »`` in French.

French follows the project's glossary and typography: a non-breaking space before
``: ; ? !`` and inside ``« »``, written in the catalogue's French texts.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, NamedTuple, Protocol, runtime_checkable

from anticipe.i18n import gettext_noop, language_or_default, translator
from anticipe.presentation import number

__all__ = [
    "CONTEXTS",
    "LANGUAGES",
    "MESSAGES",
    "JsonValue",
    "Listing",
    "Localised",
    "Megabytes",
    "Message",
    "Quoted",
    "message",
    "placeholders",
    "render_value",
    "translate",
    "translated",
]

LANGUAGES: Final = ("fr", "en")


class InContext(NamedTuple):
    """An English msgid with its gettext context (msgctxt)."""

    context: str
    msgid: str


def pgettext_lazy(context: str, message: str) -> InContext:
    """Marks ``message`` for the catalogue with a context, translated when shown.

    Named as Django's marker so that ``makemessages`` (xgettext) extracts the context with
    the text: two messages with the same English but different French (``"unknown field
    {names}"``, one field or several) are two entries of the catalogue.
    """
    return InContext(context, message)


_CATALOGUE: dict[str, str | InContext] = {
    # -- where a problem is (errors.StudyInputError.location_in)
    "location.sheet": gettext_noop("sheet '{sheet}'"),
    "location.cell": gettext_noop("cell {column}{row}"),
    "location.row": gettext_noop("row {row}"),
    "location.column": gettext_noop("column {column}"),
    "location.field": gettext_noop("field {field}"),
    "location.whole_document": gettext_noop("(the whole document)"),
    "location.file_sheet": gettext_noop("{file}, sheet '{sheet}'"),
    "located": gettext_noop("{location}: {message}"),
    "separator.colon": gettext_noop(": "),
    "separator.semicolon": gettext_noop("; "),
    "separator.list": gettext_noop(", "),
    # -- files
    "file.not_found": gettext_noop("file not found"),
    "file.is_folder": gettext_noop("this is a folder, not a file"),
    "file.unreadable": gettext_noop("cannot read the file ({reason})"),
    "file.empty": gettext_noop("the file is empty"),
    "file.not_csv": gettext_noop("not a CSV text file: {kind}"),
    "file.bad_csv": gettext_noop("not a readable CSV file ({reason})"),
    "file.not_xlsx": gettext_noop("not an Excel workbook (.xlsx): {kind}"),
    "file.unsupported_types": gettext_noop(
        "unsupported file type '{suffix}': give .csv or .xlsx files"
    ),
    "file.unsupported_type": gettext_noop(
        "unsupported file type '{suffix}': give a .csv or .xlsx file"
    ),
    "file.no_suffix": gettext_noop("(none)"),
    "folder.missing": gettext_noop("the folder does not exist"),
    "file.too_large": gettext_noop("the file is too large ({size}; at most {limit})"),
    "file.too_many_values": gettext_noop(
        "the file holds more than {limit} values (answers, numbers and texts): the site imports "
        "at most that many at once; the command line reads it"
    ),
    "size.megabytes": gettext_noop("{size} MB"),
    "size.kilobytes": gettext_noop("{size} KB"),
    "kind.xls": gettext_noop("an old Excel .xls file: save it as .xlsx (Excel Workbook)"),
    "kind.zip": gettext_noop(
        "a zip archive that is not an Excel workbook (an .ods or a damaged file?)"
    ),
    "kind.json": gettext_noop("it looks like a JSON file"),
    "kind.pdf": gettext_noop("it is a PDF file"),
    "kind.binary": gettext_noop("it is a binary file"),
    "kind.text": gettext_noop("it looks like a text file"),
    # -- workbooks and sheets
    "sheet.empty": gettext_noop("the sheet is empty"),
    "sheet.chart": gettext_noop("sheet '{sheet}' is a chart, not a table"),
    "workbook.no_such_sheet": gettext_noop(
        "no sheet named '{sheet}' in the workbook; its sheets are {sheets}"
    ),
    "workbook.no_answer_sheet": gettext_noop(
        "no sheet with answers in the workbook; its sheets are {sheets}"
    ),
    "workbook.several_answer_sheets": gettext_noop(
        "the workbook has several sheets with answers ({sheets}): say which one to read"
    ),
    "workbook.no_matrix_sheet": gettext_noop(
        "no matrix sheet in the workbook; its sheets are {sheets}"
    ),
    # -- cells of an influence matrix
    "cell.scale_hint": gettext_noop(
        "use 0, 1, 2, 3, P (potential), or leave the cell empty if you don't know"
    ),
    "cell.not_influence": gettext_noop("{value} is not an influence: {hint}"),
    "cell.not_whole": gettext_noop("{value} is not a whole number: {hint}"),
    "cell.out_of_range": gettext_noop("{value} is out of range: {hint}"),
    "cell.beyond_last_column": gettext_noop("{value} is beyond the last factor column ({column})"),
    "cell.too_long": gettext_noop("the cell holds {length} characters; at most {limit}"),
    # -- the size of a table or a workbook (anticipe.study.limits)
    "table.too_many_rows": gettext_noop("the table has {rows} rows; at most {limit}"),
    "table.too_many_columns": gettext_noop("the row has {columns} columns; at most {limit}"),
    "table.too_many_cells": gettext_noop(
        "the sheet spans {rows} rows and {columns} columns; at most {max_rows} rows, "
        "{max_columns} columns and {max_cells} cells: delete what lies beyond the table"
    ),
    "xlsx.too_many_parts": gettext_noop(
        "the file holds {count} parts; an Excel workbook holds far fewer (at most {limit})"
    ),
    "xlsx.too_large_unpacked": gettext_noop(
        "the workbook is too large once unpacked ({size}; at most {limit})"
    ),
    "xlsx.compression_ratio": gettext_noop(
        "part {part} of the workbook unpacks to {size}, {ratio} times its packed size "
        "(at most {limit} times): this is not an ordinary workbook"
    ),
    # -- codes
    "code.invalid": gettext_noop(
        "{value} is not a valid {what}: use up to 32 letters, digits, '.', '_' or '-', "
        "starting with a letter or digit"
    ),
    "code.factor": gettext_noop("factor code"),
    "code.expert": gettext_noop("expert id"),
    "codes.more": gettext_noop("{codes}, … ({count} in all)"),
    "expert.invalid_id": gettext_noop(
        "'{candidate}' is not a valid {origin}: use up to 32 letters, digits, '.', '_' or '-' "
        "(rename it, or give the expert id)"
    ),
    "expert.origin_given": gettext_noop("given expert id"),
    "expert.origin_sheet": gettext_noop("expert id (the sheet's name)"),
    "expert.origin_file": gettext_noop("expert id (the file's name)"),
    "factors.empty": gettext_noop("the list of factors is empty"),
    "factors.twice": gettext_noop("factor '{code}' appears twice in the factors"),
    "factors.source_study": gettext_noop("the study's factors"),
    "factors.source_first_matrix": gettext_noop("the factors of the first matrix ({where})"),
    # -- a table's header row and rows (matrices and ballots)
    "table.header_empty": gettext_noop(
        "row 1 is empty: it should be the header row, with the factor codes from column B "
        "(or C after a titles column)"
    ),
    "table.header_empty_ballots": gettext_noop(
        "row 1 is empty: it should be the header row, with the factor codes from column B"
    ),
    "table.no_rows": gettext_noop("no factor rows below the header row: the file looks truncated"),
    "table.no_codes": gettext_noop(
        "no factor codes in the header row (expected from column {column})"
    ),
    "table.header_missing_code": gettext_noop("missing factor code in the header row"),
    "table.header_twice": gettext_noop(
        "factor '{code}' appears twice in the header row (columns {first} and {second})"
    ),
    "table.rows_missing_code": gettext_noop("missing factor code in column A"),
    "table.rows_twice": gettext_noop(
        "factor '{code}' appears twice in column A (rows {first} and {second})"
    ),
    "table.truncated_row": gettext_noop(
        "row {row} has {cells} cells but the header has {expected}: the file looks truncated"
    ),
    "table.unknown_factor": gettext_noop("unknown factor '{code}' (not among {source}: {listed})"),
    "table.no_column": gettext_noop("factor '{code}' has no column in the header row"),
    "matrix.row_without_column": gettext_noop(
        "factor '{code}' has a row but no column in the header row"
    ),
    "matrix.not_square": (
        gettext_noop("the matrix is not square: {rows} factor rows and {columns} factor columns")
    ),
    "matrix.no_row": gettext_noop("factor '{code}' has no row in column A (missing row?)"),
    "matrix.expert_twice": gettext_noop("expert '{expert}' appears twice (also in {where})"),
    "matrix.no_files": gettext_noop("no matrix files given"),
    # -- ballots of the weighted vote
    "ballots.not_points": gettext_noop(
        "{value} is not a number of points: give a number >= 0, or leave empty"
    ),
    "ballots.negative": gettext_noop("{value} is negative: points are >= 0 (leave empty for none)"),
    "ballots.missing_expert": gettext_noop("missing expert id in column A"),
    "ballots.expert_twice": (
        gettext_noop("expert '{expert}' appears twice in column A (rows {first} and {second})")
    ),
    "ballots.none": gettext_noop("no ballots below the header row"),
    "ballots.too_many_points": gettext_noop("{value} points is more than the limit of {limit}"),
    # -- blank templates
    "template.problems": gettext_noop("{problems}"),
    "template.no_factors": gettext_noop("no factors given"),
    "template.invalid_factor": gettext_noop("'{code}' is not a valid factor code"),
    "template.factor_twice": gettext_noop("factor '{code}' appears twice"),
    "template.no_experts": gettext_noop("no experts given"),
    "template.invalid_expert": gettext_noop(
        "'{expert}' is not a valid expert id for a sheet name "
        "(up to 31 letters, digits, '.', '_' or '-')"
    ),
    "template.reserved_expert": gettext_noop(
        "'{expert}' cannot be an expert id: it is a reserved sheet name"
    ),
    "template.expert_twice": gettext_noop("expert '{expert}' appears twice"),
    # -- the study file: reading
    "study.is_folder": gettext_noop("is a folder, not a study file"),
    "study.unreadable": gettext_noop("cannot be read ({reason})"),
    "study.empty": gettext_noop("the file is empty; a study file is a JSON document"),
    "study.not_utf8": gettext_noop(
        "not a UTF-8 text file (byte {byte}); a study file is a JSON document"
    ),
    "study.bad_json": gettext_noop("not valid JSON: {reason} (line {line}, column {column})"),
    "study.not_object": gettext_noop("a study file is a JSON object ({{...}}), not {kind}"),
    "study.not_anticipe": gettext_noop(
        "this JSON document is not an Anticipe study (no 'anticipe_study' version field)"
    ),
    "study.version": gettext_noop(
        "study format version {version} is not supported "
        "(this version of Anticipe reads {supported})"
    ),
    "study.more_problems": gettext_noop("and {count} more problems"),
    "study.catalogue_needs_1_3": gettext_noop(
        "this study file is format {version}; a training catalogue needs format 1.3, whose "
        "checks the file does not pass (the problems below): correct them, then load the "
        "catalogue again"
    ),
    "study.too_deep": gettext_noop(
        "the document is nested more than {limit} levels deep (a study file needs 7)"
    ),
    "json.integer_too_long": gettext_noop(
        "the integer {value} has {digits} digits; a study file holds at most {limit}"
    ),
    "json.number_too_large": gettext_noop("the number {value} is too large"),
    "json.not_a_number": gettext_noop(
        "{value} is not a number a study file may hold (JSON has no NaN or Infinity)"
    ),
    "text.control_character": gettext_noop(
        "holds a control character ({code}) at character {position}: remove it "
        "(it may come from a copy from a word processor)"
    ),
    "text.surrogate": gettext_noop(
        "holds an invalid character ({code}, half of a surrogate pair) at character {position}"
    ),
    "text.bad_character_in_name": gettext_noop(
        "the field name {name} holds an invalid character ({code})"
    ),
    "json.kind_list": gettext_noop("a list"),
    "json.kind_string": gettext_noop("a string"),
    "json.kind_integer": gettext_noop("int"),
    "json.kind_number": gettext_noop("float"),
    "json.kind_boolean": gettext_noop("bool"),
    "json.kind_null": gettext_noop("NoneType"),
    "json.expecting_value": gettext_noop("Expecting value"),
    "json.expecting_name": gettext_noop("Expecting property name enclosed in double quotes"),
    "json.expecting_colon": gettext_noop("Expecting ':' delimiter"),
    "json.expecting_comma": gettext_noop("Expecting ',' delimiter"),
    "json.unterminated_string": gettext_noop("Unterminated string starting at"),
    "json.control_character": gettext_noop("Invalid control character at"),
    "json.invalid_escape": gettext_noop("Invalid \\escape"),
    "json.invalid_unicode_escape": gettext_noop("Invalid \\uXXXX escape"),
    "json.extra_data": gettext_noop("Extra data"),
    "json.trailing_comma_object": gettext_noop("Illegal trailing comma before end of object"),
    "json.trailing_comma_array": gettext_noop("Illegal trailing comma before end of array"),
    # -- the study file: the schema
    "schema.required": gettext_noop("missing required field '{name}'"),
    "schema.unknown_field": pgettext_lazy(
        "schema.unknown_field", "unknown field {names} (allowed: {allowed})"
    ),
    "schema.unknown_fields": pgettext_lazy(
        "schema.unknown_fields", "unknown field {names} (allowed: {allowed})"
    ),
    "schema.influence": gettext_noop(
        "{value} is not a valid influence score (0, 1, 2, 3, 'P' or null for don't know)"
    ),
    "schema.enum": pgettext_lazy(
        "schema.enum", "{value} is not allowed here (expected one of: {expected})"
    ),
    "schema.const": pgettext_lazy(
        "schema.const", "{value} is not allowed here (expected one of: {expected})"
    ),
    "schema.type": gettext_noop("{value} has the wrong type (expected {expected})"),
    "schema.pattern": gettext_noop(
        "{value} is not a valid code (letters, digits, '.', '_' or '-', "
        "starting with a letter or digit, at most 32 characters)"
    ),
    "schema.not_empty": gettext_noop("must not be empty"),
    "schema.min_length": gettext_noop("is too short ({length} characters; at least {limit})"),
    "schema.max_length": gettext_noop("is too long ({length} characters; at most {limit})"),
    "schema.minimum": gettext_noop("{value} is out of range (must be at least {limit})"),
    "schema.maximum": gettext_noop("{value} is out of range (must be at most {limit})"),
    "schema.exclusive_minimum": gettext_noop("{value} is out of range (must be more than {limit})"),
    "schema.exclusive_maximum": gettext_noop("{value} is out of range (must be less than {limit})"),
    "schema.min_items_one": gettext_noop("must not be an empty list"),
    "schema.min_items": gettext_noop("must have at least {limit} items (it has {count})"),
    "schema.max_items": gettext_noop("must have at most {limit} items (it has {count})"),
    "schema.unique_items": gettext_noop("lists the same item twice"),
    "type.string": gettext_noop("'string'"),
    "type.integer": gettext_noop("'integer'"),
    "type.number": gettext_noop("'number'"),
    "type.boolean": gettext_noop("'boolean'"),
    "type.array": gettext_noop("'array'"),
    "type.object": gettext_noop("'object'"),
    "type.null": gettext_noop("'null'"),
    # -- the study file: references and consistency
    "ref.activity_twice": gettext_noop("activity code {code} is used twice"),
    "ref.task_twice": gettext_noop("task code {code} is used twice"),
    "ref.expert_twice": gettext_noop("expert id {code} is used twice"),
    "ref.factor_twice": gettext_noop("factor code {code} is used twice"),
    "ref.competence_twice": gettext_noop("competence code {code} is used twice"),
    "ref.hypothesis_twice": gettext_noop("hypothesis code {code} is used twice"),
    "ref.horizon": gettext_noop("years_min is greater than years_max"),
    "ref.not_structural_factor": gettext_noop("{code} is not a factor of the structural analysis"),
    "ref.key_factor_reason": gettext_noop("a key factor added by hand needs a reason"),
    "ref.key_factor_twice": gettext_noop("factor {code} is listed twice"),
    "ref.unknown_hypothesis": gettext_noop("unknown hypothesis {code}"),
    "ref.unknown_activity": gettext_noop("unknown activity {code}"),
    "ref.unknown_competence": gettext_noop("unknown competence {code}"),
    "ref.unknown_factor": gettext_noop("unknown factor {code}"),
    "ref.same_factor": gettext_noop(
        "{source} and {target} are hypotheses of the same factor; "
        "cross-impacts link hypotheses of different key factors"
    ),
    "ref.two_ballots": gettext_noop("expert {code} has two ballots"),
    "ref.not_panel_expert": gettext_noop("{code} is not an expert of the panel"),
    "ref.over_budget": gettext_noop("expert {expert} gave {total} points; the budget is {budget}"),
    "ref.two_matrices": gettext_noop("expert {code} has two matrices"),
    "ref.row_count": gettext_noop("has {count} rows; expected {size} (one per factor)"),
    "ref.cell_count": gettext_noop("has {count} cells; expected {size} (one per factor)"),
    "ref.not_hypothesis_of": gettext_noop("{code} is not a hypothesis of factor {factor}"),
    "ref.override_reason": gettext_noop("an override needs a reason"),
    "ref.merge_of_merge": gettext_noop("{code} is a merge: a merge is made of hypotheses voted on"),
    "ref.merged_twice": gettext_noop("{code} is already merged into {merge}"),
    "ref.retained_merged": gettext_noop(
        "{code} is merged into {merge}: the merge is retained, not the hypothesis"
    ),
    "ref.two_blocks": gettext_noop("factor {code} has two blocks of hypotheses"),
    "ref.scale_order": gettext_noop("min must be smaller than max"),
    "ref.scale_points": gettext_noop("the scale has {points} points; at most {limit}"),
    "ref.outside_probability": gettext_noop(
        "{value} is outside the probability scale ({min} to {max})"
    ),
    "ref.outside_desirability": gettext_noop(
        "{value} is outside the desirability scale ({min} to {max})"
    ),
    "ref.voted_twice": gettext_noop("expert {expert} voted {count} times on {hypothesis}"),
    # -- Delphi iterations and the panel's sectors (format 1.1)
    "ref.two_ballots_in_iteration": gettext_noop(
        "expert {code} has two ballots in iteration {iteration}"
    ),
    "ref.two_matrices_in_iteration": gettext_noop(
        "expert {code} has two matrices in iteration {iteration}"
    ),
    "ref.voted_twice_in_iteration": gettext_noop(
        "expert {expert} voted {count} times on {hypothesis} in iteration {iteration}"
    ),
    "ref.iteration_twice": gettext_noop("iteration {iteration} is listed twice"),
    "ref.unknown_iteration": gettext_noop(
        "answers name iteration {iteration}, which is not among the step's iterations"
    ),
    "ref.sector_twice": gettext_noop("sector {code} is counted twice"),
    "ref.group_twice": gettext_noop("group code {code} is used twice"),
    "ref.sector_count": gettext_noop("the sectors count {count} experts; the panel has {size}"),
    # -- analysis of a study
    "parameter.out_of_range": gettext_noop("{name} is {value}; it must be from {low} to {high}"),
    "analysis.not_in_scenario": gettext_noop(
        "{code} is not a hypothesis of the scenario (merged into another?)"
    ),
    # -- ScenarioWizard project files (scenariowizard.py, command line only)
    "scw.unreadable": gettext_noop("cannot read ScenarioWizard file: {reason}"),
    "scw.at_line": gettext_noop("line {line}: {message}"),
    "scw.not_project": gettext_noop(
        "not a ScenarioWizard project file (the first line should be '$ ScenarioWizard <version>')"
    ),
    "scw.not_a_number": gettext_noop("matrix value {column} is {value}, not a number"),
    "scw.not_finite": gettext_noop("matrix value {column} is {value}, not a finite number"),
    "scw.descriptor_without_name": gettext_noop("descriptor without a name ('&' alone)"),
    "scw.descriptor_twice": gettext_noop(
        "descriptor '{descriptor}' appears twice (first on line {first})"
    ),
    "scw.no_variants": gettext_noop("descriptor '{descriptor}' has no variants"),
    "scw.variant_first": gettext_noop(
        "variant {variant} comes before any descriptor ('&name' line)"
    ),
    "scw.variant_without_name": gettext_noop("variant without a name in descriptor '{descriptor}'"),
    "scw.variant_twice": gettext_noop(
        "variant '{variant}' appears twice in descriptor '{descriptor}'"
    ),
    "scw.unexpected_line": gettext_noop(
        "expected a descriptor ('&name') or a variant (' -name'), got {line}"
    ),
    "scw.no_descriptors": gettext_noop("no descriptors ('&name' lines) found"),
    "scw.too_many_descriptors": gettext_noop("more than {limit} descriptors"),
    "scw.too_many_variants": gettext_noop(
        "descriptor '{descriptor}' has more than {limit} variants"
    ),
    "scw.value_too_large": gettext_noop(
        "matrix value {column} is {value}, beyond the limit of {limit} (either sign)"
    ),
    "scw.no_matrix": gettext_noop(
        "the file ends before the cross-impact matrix ({found} '#' section lines found, "
        "the matrix follows the {section}th)"
    ),
    "scw.matrix_rows": gettext_noop(
        "the cross-impact matrix has {rows} rows, expected {expected} (one per variant of "
        "the {descriptors} descriptors)"
    ),
    "scw.row_values": gettext_noop(
        "matrix row has {values} values, expected {expected} (one per variant)"
    ),
    # -- frameworks of competences (anticipe.study.frameworks)
    "framework.file_type": gettext_noop(
        "unsupported file type '{suffix}': give a framework as a .json or .csv file"
    ),
    "framework.not_utf8": gettext_noop(
        "not a UTF-8 text file (byte {byte}); a framework file is a JSON document"
    ),
    "framework.not_object": gettext_noop("a framework file is a JSON object ({{...}})"),
    "framework.not_anticipe": gettext_noop(
        "this JSON document is not an Anticipe framework (no 'anticipe_framework' version field)"
    ),
    "framework.version": gettext_noop(
        "framework format version {version} is not supported "
        "(this version of Anticipe reads {supported})"
    ),
    "framework.no_text": gettext_noop("give this text in English (en) or in French (fr)"),
    "framework.area_twice": gettext_noop("area {code} is given twice"),
    "framework.competence_twice": gettext_noop("competence {code} is given twice"),
    "framework.level_twice": gettext_noop("level {code} is given twice"),
    "framework.unknown_area": gettext_noop(
        "competence {code} is in area {area}, which the framework does not have"
    ),
    "framework.csv_columns": gettext_noop(
        "the header lacks the columns {missing}; a framework's columns are {expected}"
    ),
    "framework.csv_kind": gettext_noop(
        "unknown kind {value}: a row is a framework, area, competence or level"
    ),
    "framework.csv_framework_twice": gettext_noop(
        "a second 'framework' row: give the framework's id and title once"
    ),
    "framework.csv_no_framework": gettext_noop(
        "no 'framework' row: give the framework's id and title in a row of kind 'framework'"
    ),
    "ref.unknown_framework": gettext_noop("unknown framework {framework} (known: {known})"),
    "ref.unknown_framework_competence": gettext_noop("{framework} has no competence {code}"),
    "ref.unknown_framework_level": gettext_noop(
        "{framework} has no level {level} (its levels: {levels})"
    ),
    "ref.link_twice": gettext_noop("the competence is linked twice to {framework} {code}"),
    "ref.framework_twice": gettext_noop("framework {framework} is given twice"),
    "ref.module_twice": gettext_noop("module id {code} is used twice"),
}

MESSAGES: Final[dict[str, str]] = {
    key: entry.msgid if isinstance(entry, InContext) else entry for key, entry in _CATALOGUE.items()
}
"""Every message id and its English text (the gettext msgid)."""

CONTEXTS: Final[dict[str, str]] = {
    key: entry.context for key, entry in _CATALOGUE.items() if isinstance(entry, InContext)
}
"""The gettext context of the messages that have one (their English is another's too)."""

_NBSP = "\u00a0"


@runtime_checkable
class Localised(Protocol):
    """A value whose text depends on the language (a word, a quoted text...)."""

    def render(self, language: str) -> str: ...


def render_value(value: object, language: str) -> str:
    """A message's value as text: rendered in `language` when it is :class:`Localised`."""
    if isinstance(value, Localised):
        return value.render(language)
    return str(value)


def translate(language: str, key: str, **values: object) -> str:
    """The message `key` in `language`, with ``{name}`` placeholders filled from `values`.

    Values that are :class:`Localised` (a :class:`Message`, a :class:`Quoted` text...) are
    rendered in the same language. An unknown language gives French (the site's default).
    """
    text = translated(language, key)
    rendered = {name: render_value(value, language) for name, value in values.items()}
    return text.format(**rendered)


def translated(language: str, key: str) -> str:
    """The text of the message `key` in `language`, its placeholders left as they are."""
    catalogue = translator(language)
    context = CONTEXTS.get(key)
    if context is not None:
        return catalogue.pgettext(context, MESSAGES[key])
    return catalogue.gettext(MESSAGES[key])


def placeholders(text: str) -> set[str]:
    """The names of the ``{name}`` placeholders of a catalogue text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@dataclass(frozen=True)
class Message:
    """A message of the catalogue with its values, rendered in any language.

    Values may be :class:`Localised` themselves (a word of the catalogue given as a
    :class:`Message`, a :class:`Quoted` text), so a whole sentence is in one language.
    """

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in MESSAGES:
            raise KeyError(f"unknown study message id {self.key!r}")

    def render(self, language: str) -> str:
        return translate(language, self.key, **self.values)

    def __str__(self) -> str:
        return self.render("en")


def message(key: str, **values: object) -> Message:
    """The message `key` with its values (rendered later, in the reader's language)."""
    return Message(key, values)


@dataclass(frozen=True)
class Quoted:
    """A text the user typed (a cell, a sheet name), quoted the language's way."""

    text: str

    def render(self, language: str) -> str:
        if language_or_default(language) == "fr":
            return f"«{_NBSP}{self.text}{_NBSP}»"
        return f"'{self.text}'"


@dataclass(frozen=True)
class JsonValue:
    """A value of a study file: Python's ``repr`` in English (as the messages always
    showed it); in French, a text in « » and anything else as JSON (``null``, ``true``)."""

    value: object

    def render(self, language: str) -> str:
        if language_or_default(language) != "fr":
            return repr(self.value)
        if isinstance(self.value, str):
            return Quoted(self.value).render(language)
        try:
            return json.dumps(self.value, ensure_ascii=False)
        except (TypeError, ValueError):
            return repr(self.value)


@dataclass(frozen=True)
class Listing:
    """Several values, each rendered in the language, separated by `separator` (a message id
    of the catalogue: ``separator.list`` ", " or ``separator.semicolon`` "; ")."""

    items: tuple[object, ...]
    separator: str = "separator.list"

    @classmethod
    def of(cls, items: Iterable[object], separator: str = "separator.list") -> Listing:
        return cls(tuple(items), separator)

    def render(self, language: str) -> str:
        joiner = translate(language, self.separator)
        return joiner.join(render_value(item, language) for item in self.items)


@dataclass(frozen=True)
class Megabytes:
    """A size in bytes, written in megabytes (MiB) the language's way: ``1.2 MB``, ``1,2 Mo``
    (in kilobytes below one megabyte: ``0.1 KB``)."""

    size: int

    def render(self, language: str) -> str:
        if self.size < 1_048_576:
            value = number(self.size / 1024, language, 1, strip_zeros=True)
            return translate(language, "size.kilobytes", size=value)
        value = number(self.size / 1_048_576, language, 1, strip_zeros=True)
        return translate(language, "size.megabytes", size=value)
