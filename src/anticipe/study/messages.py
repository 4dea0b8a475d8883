"""The study layer's messages (problems in input files), in French and English.

A small catalogue keyed by message id, in the style of :mod:`anticipe.report.i18n`:
``{name}`` placeholders filled from values. The study layer never imports Django: the
site asks an error for its text in the active language
(:meth:`~anticipe.study.errors.StudyInputError.message_in`,
:meth:`~anticipe.study.errors.StudyInputError.location_in`); the command line prints the
English text (``error.message``).

Values are of three kinds:

- the user's own data (factor codes, sheet names, numbers) shown as they are;
- words or phrases of the catalogue, given as a :class:`Message` and rendered in the same
  language as the sentence around them (``"the study's factors"``, the influence scale);
- typed text or JSON values quoted the language's way (:class:`Quoted`,
  :class:`JsonValue`): ``'fort'`` in English, ``« fort »`` in French.

French follows the project's glossary and typography: a non-breaking space before
``: ; ? !`` and inside ``« »`` (added to the French texts when the catalogue is loaded,
so they are written here with plain spaces).
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, Protocol, runtime_checkable

__all__ = [
    "CATALOGUE",
    "LANGUAGES",
    "JsonValue",
    "Listing",
    "Localised",
    "Message",
    "Quoted",
    "language_of",
    "message",
    "placeholders",
    "render_value",
    "translate",
]

LANGUAGES: Final = ("fr", "en")

_EN: dict[str, str] = {
    # -- where a problem is (errors.StudyInputError.location_in)
    "location.sheet": "sheet '{sheet}'",
    "location.cell": "cell {column}{row}",
    "location.row": "row {row}",
    "location.column": "column {column}",
    "location.field": "field {field}",
    "location.whole_document": "(the whole document)",
    "location.file_sheet": "{file}, sheet '{sheet}'",
    "located": "{location}: {message}",
    "separator.colon": ": ",
    "separator.semicolon": "; ",
    "separator.list": ", ",
    # -- files
    "file.not_found": "file not found",
    "file.is_folder": "this is a folder, not a file",
    "file.unreadable": "cannot read the file ({reason})",
    "file.empty": "the file is empty",
    "file.not_csv": "not a CSV text file: {kind}",
    "file.bad_csv": "not a readable CSV file ({reason})",
    "file.not_xlsx": "not an Excel workbook (.xlsx): {kind}",
    "file.unsupported_types": "unsupported file type '{suffix}': give .csv or .xlsx files",
    "file.unsupported_type": "unsupported file type '{suffix}': give a .csv or .xlsx file",
    "file.no_suffix": "(none)",
    "folder.missing": "the folder does not exist",
    "kind.xls": "an old Excel .xls file: save it as .xlsx (Excel Workbook)",
    "kind.zip": "a zip archive that is not an Excel workbook (an .ods or a damaged file?)",
    "kind.json": "it looks like a JSON file",
    "kind.pdf": "it is a PDF file",
    "kind.binary": "it is a binary file",
    "kind.text": "it looks like a text file",
    # -- workbooks and sheets
    "sheet.empty": "the sheet is empty",
    "sheet.chart": "sheet '{sheet}' is a chart, not a table",
    "workbook.no_such_sheet": "no sheet named '{sheet}' in the workbook; its sheets are {sheets}",
    "workbook.no_answer_sheet": "no sheet with answers in the workbook; its sheets are {sheets}",
    "workbook.several_answer_sheets": (
        "the workbook has several sheets with answers ({sheets}): say which one to read"
    ),
    "workbook.no_matrix_sheet": "no matrix sheet in the workbook; its sheets are {sheets}",
    # -- cells of an influence matrix
    "cell.scale_hint": "use 0, 1, 2, 3, P (potential), or leave the cell empty if you don't know",
    "cell.not_influence": "{value} is not an influence: {hint}",
    "cell.not_whole": "{value} is not a whole number: {hint}",
    "cell.out_of_range": "{value} is out of range: {hint}",
    "cell.beyond_last_column": "{value} is beyond the last factor column ({column})",
    # -- codes
    "code.invalid": (
        "{value} is not a valid {what}: use up to 32 letters, digits, '.', '_' or '-', "
        "starting with a letter or digit"
    ),
    "code.factor": "factor code",
    "code.expert": "expert id",
    "codes.more": "{codes}, … ({count} in all)",
    "expert.invalid_id": (
        "'{candidate}' is not a valid {origin}: use up to 32 letters, digits, '.', '_' or '-' "
        "(rename it, or give the expert id)"
    ),
    "expert.origin_given": "given expert id",
    "expert.origin_sheet": "expert id (the sheet's name)",
    "expert.origin_file": "expert id (the file's name)",
    "factors.empty": "the list of factors is empty",
    "factors.twice": "factor '{code}' appears twice in the factors",
    "factors.source_study": "the study's factors",
    "factors.source_first_matrix": "the factors of the first matrix ({where})",
    # -- a table's header row and rows (matrices and ballots)
    "table.header_empty": (
        "row 1 is empty: it should be the header row, with the factor codes from column B "
        "(or C after a titles column)"
    ),
    "table.header_empty_ballots": (
        "row 1 is empty: it should be the header row, with the factor codes from column B"
    ),
    "table.no_rows": "no factor rows below the header row: the file looks truncated",
    "table.no_codes": "no factor codes in the header row (expected from column {column})",
    "table.header_missing_code": "missing factor code in the header row",
    "table.header_twice": (
        "factor '{code}' appears twice in the header row (columns {first} and {second})"
    ),
    "table.rows_missing_code": "missing factor code in column A",
    "table.rows_twice": "factor '{code}' appears twice in column A (rows {first} and {second})",
    "table.truncated_row": (
        "row {row} has {cells} cells but the header has {expected}: the file looks truncated"
    ),
    "table.unknown_factor": "unknown factor '{code}' (not among {source}: {listed})",
    "table.no_column": "factor '{code}' has no column in the header row",
    "matrix.row_without_column": "factor '{code}' has a row but no column in the header row",
    "matrix.not_square": (
        "the matrix is not square: {rows} factor rows and {columns} factor columns"
    ),
    "matrix.no_row": "factor '{code}' has no row in column A (missing row?)",
    "matrix.expert_twice": "expert '{expert}' appears twice (also in {where})",
    "matrix.no_files": "no matrix files given",
    # -- ballots of the weighted vote
    "ballots.not_points": "{value} is not a number of points: give a number >= 0, or leave empty",
    "ballots.negative": "{value} is negative: points are >= 0 (leave empty for none)",
    "ballots.missing_expert": "missing expert id in column A",
    "ballots.expert_twice": (
        "expert '{expert}' appears twice in column A (rows {first} and {second})"
    ),
    "ballots.none": "no ballots below the header row",
    # -- blank templates
    "template.problems": "{problems}",
    "template.no_factors": "no factors given",
    "template.invalid_factor": "'{code}' is not a valid factor code",
    "template.factor_twice": "factor '{code}' appears twice",
    "template.no_experts": "no experts given",
    "template.invalid_expert": (
        "'{expert}' is not a valid expert id for a sheet name "
        "(up to 31 letters, digits, '.', '_' or '-')"
    ),
    "template.reserved_expert": "'{expert}' cannot be an expert id: it is a reserved sheet name",
    "template.expert_twice": "expert '{expert}' appears twice",
    # -- the study file: reading
    "study.is_folder": "is a folder, not a study file",
    "study.unreadable": "cannot be read ({reason})",
    "study.empty": "the file is empty; a study file is a JSON document",
    "study.not_utf8": "not a UTF-8 text file (byte {byte}); a study file is a JSON document",
    "study.bad_json": "not valid JSON: {reason} (line {line}, column {column})",
    "study.not_object": "a study file is a JSON object ({{...}}), not {kind}",
    "study.not_anticipe": (
        "this JSON document is not an Anticipe study (no 'anticipe_study' version field)"
    ),
    "study.version": (
        "study format version {version} is not supported "
        "(this version of Anticipe reads {supported})"
    ),
    "study.more_problems": "and {count} more problems",
    "json.kind_list": "a list",
    "json.kind_string": "a string",
    "json.kind_integer": "int",
    "json.kind_number": "float",
    "json.kind_boolean": "bool",
    "json.kind_null": "NoneType",
    "json.expecting_value": "Expecting value",
    "json.expecting_name": "Expecting property name enclosed in double quotes",
    "json.expecting_colon": "Expecting ':' delimiter",
    "json.expecting_comma": "Expecting ',' delimiter",
    "json.unterminated_string": "Unterminated string starting at",
    "json.control_character": "Invalid control character at",
    "json.invalid_escape": "Invalid \\escape",
    "json.invalid_unicode_escape": "Invalid \\uXXXX escape",
    "json.extra_data": "Extra data",
    "json.trailing_comma_object": "Illegal trailing comma before end of object",
    "json.trailing_comma_array": "Illegal trailing comma before end of array",
    # -- the study file: the schema
    "schema.required": "missing required field '{name}'",
    "schema.unknown_field": "unknown field {names} (allowed: {allowed})",
    "schema.unknown_fields": "unknown field {names} (allowed: {allowed})",
    "schema.influence": (
        "{value} is not a valid influence score (0, 1, 2, 3, 'P' or null for don't know)"
    ),
    "schema.enum": "{value} is not allowed here (expected one of: {expected})",
    "schema.const": "{value} is not allowed here (expected one of: {expected})",
    "schema.type": "{value} has the wrong type (expected {expected})",
    "schema.pattern": (
        "{value} is not a valid code (letters, digits, '.', '_' or '-', "
        "starting with a letter or digit, at most 32 characters)"
    ),
    "schema.not_empty": "must not be empty",
    "schema.min_length": "is too short ({length} characters; at least {limit})",
    "schema.max_length": "is too long ({length} characters; at most {limit})",
    "schema.minimum": "{value} is out of range (must be at least {limit})",
    "schema.maximum": "{value} is out of range (must be at most {limit})",
    "schema.exclusive_minimum": "{value} is out of range (must be more than {limit})",
    "schema.exclusive_maximum": "{value} is out of range (must be less than {limit})",
    "schema.min_items_one": "must not be an empty list",
    "schema.min_items": "must have at least {limit} items (it has {count})",
    "schema.max_items": "must have at most {limit} items (it has {count})",
    "schema.unique_items": "lists the same item twice",
    "type.string": "'string'",
    "type.integer": "'integer'",
    "type.number": "'number'",
    "type.boolean": "'boolean'",
    "type.array": "'array'",
    "type.object": "'object'",
    "type.null": "'null'",
    # -- the study file: references and consistency
    "ref.activity_twice": "activity code {code} is used twice",
    "ref.task_twice": "task code {code} is used twice",
    "ref.expert_twice": "expert id {code} is used twice",
    "ref.factor_twice": "factor code {code} is used twice",
    "ref.competence_twice": "competence code {code} is used twice",
    "ref.hypothesis_twice": "hypothesis code {code} is used twice",
    "ref.horizon": "years_min is greater than years_max",
    "ref.not_structural_factor": "{code} is not a factor of the structural analysis",
    "ref.key_factor_reason": "a key factor added by hand needs a reason",
    "ref.key_factor_twice": "factor {code} is listed twice",
    "ref.unknown_hypothesis": "unknown hypothesis {code}",
    "ref.unknown_activity": "unknown activity {code}",
    "ref.unknown_competence": "unknown competence {code}",
    "ref.unknown_factor": "unknown factor {code}",
    "ref.same_factor": (
        "{source} and {target} are hypotheses of the same factor; "
        "cross-impacts link hypotheses of different key factors"
    ),
    "ref.two_ballots": "expert {code} has two ballots",
    "ref.not_panel_expert": "{code} is not an expert of the panel",
    "ref.over_budget": "expert {expert} gave {total} points; the budget is {budget}",
    "ref.two_matrices": "expert {code} has two matrices",
    "ref.row_count": "has {count} rows; expected {size} (one per factor)",
    "ref.cell_count": "has {count} cells; expected {size} (one per factor)",
    "ref.not_hypothesis_of": "{code} is not a hypothesis of factor {factor}",
    "ref.override_reason": "an override needs a reason",
    "ref.two_blocks": "factor {code} has two blocks of hypotheses",
    "ref.scale_order": "min must be smaller than max",
    "ref.outside_probability": "{value} is outside the probability scale ({min} to {max})",
    "ref.outside_desirability": "{value} is outside the desirability scale ({min} to {max})",
    "ref.voted_twice": "expert {expert} voted {count} times on {hypothesis}",
    # -- analysis of a study
    "analysis.not_in_scenario": "{code} is not a hypothesis of the scenario (merged into another?)",
}

_FR_TEXTS: dict[str, str] = {
    "location.sheet": "feuille « {sheet} »",
    "location.cell": "cellule {column}{row}",
    "location.row": "ligne {row}",
    "location.column": "colonne {column}",
    "location.field": "champ {field}",
    "location.whole_document": "(l'ensemble du document)",
    "location.file_sheet": "{file}, feuille « {sheet} »",
    "located": "{location} : {message}",
    "separator.colon": " : ",
    "separator.semicolon": " ; ",
    "separator.list": ", ",
    "file.not_found": "fichier introuvable",
    "file.is_folder": "c'est un dossier, pas un fichier",
    "file.unreadable": "impossible de lire le fichier ({reason})",
    "file.empty": "le fichier est vide",
    "file.not_csv": "ce n'est pas un fichier texte CSV : {kind}",
    "file.bad_csv": "le fichier CSV est illisible ({reason})",
    "file.not_xlsx": "ce n'est pas un classeur Excel (.xlsx) : {kind}",
    "file.unsupported_types": (
        "type de fichier « {suffix} » non pris en charge : donnez des fichiers .csv ou .xlsx"
    ),
    "file.unsupported_type": (
        "type de fichier « {suffix} » non pris en charge : donnez un fichier .csv ou .xlsx"
    ),
    "file.no_suffix": "(aucun)",
    "folder.missing": "le dossier n'existe pas",
    "kind.xls": (
        "c'est un ancien fichier Excel .xls : enregistrez-le au format .xlsx (Classeur Excel)"
    ),
    "kind.zip": (
        "c'est une archive zip qui n'est pas un classeur Excel (un fichier .ods, ou un fichier "
        "endommagé ?)"
    ),
    "kind.json": "il ressemble à un fichier JSON",
    "kind.pdf": "c'est un fichier PDF",
    "kind.binary": "c'est un fichier binaire",
    "kind.text": "il ressemble à un fichier texte",
    "sheet.empty": "la feuille est vide",
    "sheet.chart": "la feuille « {sheet} » est un graphique, pas un tableau",
    "workbook.no_such_sheet": (
        "le classeur n'a pas de feuille « {sheet} » ; ses feuilles sont {sheets}"
    ),
    "workbook.no_answer_sheet": (
        "aucune feuille du classeur ne contient de réponses ; ses feuilles sont {sheets}"
    ),
    "workbook.several_answer_sheets": (
        "le classeur a plusieurs feuilles avec des réponses ({sheets}) : indiquez laquelle lire"
    ),
    "workbook.no_matrix_sheet": (
        "aucune feuille de matrice dans le classeur ; ses feuilles sont {sheets}"
    ),
    "cell.scale_hint": (
        "utilisez 0, 1, 2, 3, P (potentielle), ou laissez la case vide si vous ne savez pas"
    ),
    "cell.not_influence": "{value} n'est pas une influence : {hint}",
    "cell.not_whole": "{value} n'est pas un nombre entier : {hint}",
    "cell.out_of_range": "{value} est hors de l'échelle : {hint}",
    "cell.beyond_last_column": "{value} est au-delà de la dernière colonne de facteur ({column})",
    "code.invalid": (
        "{value} n'est pas {what} valide : utilisez au plus 32 lettres, chiffres, « . », « _ » "
        "ou « - », en commençant par une lettre ou un chiffre"
    ),
    "code.factor": "un code de facteur",
    "code.expert": "un identifiant d'expert",
    "codes.more": "{codes}, … ({count} en tout)",
    "expert.invalid_id": (
        "{origin}, « {candidate} », n'est pas valide : utilisez au plus 32 lettres, chiffres, "
        "« . », « _ » ou « - » (changez ce nom, ou donnez l'identifiant de l'expert)"
    ),
    "expert.origin_given": "l'identifiant d'expert donné",
    "expert.origin_sheet": "l'identifiant d'expert (le nom de la feuille)",
    "expert.origin_file": "l'identifiant d'expert (le nom du fichier)",
    "factors.empty": "la liste des facteurs est vide",
    "factors.twice": "le facteur « {code} » apparaît deux fois dans les facteurs",
    "factors.source_study": "les facteurs de l'étude",
    "factors.source_first_matrix": "les facteurs de la première matrice ({where})",
    "table.header_empty": (
        "la ligne 1 est vide : ce devrait être la ligne d'en-tête, avec les codes des facteurs "
        "à partir de la colonne B (ou C après une colonne d'intitulés)"
    ),
    "table.header_empty_ballots": (
        "la ligne 1 est vide : ce devrait être la ligne d'en-tête, avec les codes des facteurs "
        "à partir de la colonne B"
    ),
    "table.no_rows": "aucune ligne de facteur sous la ligne d'en-tête : le fichier semble tronqué",
    "table.no_codes": (
        "aucun code de facteur dans la ligne d'en-tête (attendus à partir de la colonne {column})"
    ),
    "table.header_missing_code": "code de facteur manquant dans la ligne d'en-tête",
    "table.header_twice": (
        "le facteur « {code} » apparaît deux fois dans la ligne d'en-tête "
        "(colonnes {first} et {second})"
    ),
    "table.rows_missing_code": "code de facteur manquant dans la colonne A",
    "table.rows_twice": (
        "le facteur « {code} » apparaît deux fois dans la colonne A (lignes {first} et {second})"
    ),
    "table.truncated_row": (
        "la ligne {row} a {cells} cellules, mais la ligne d'en-tête en a {expected} : "
        "le fichier semble tronqué"
    ),
    "table.unknown_factor": "facteur « {code} » inconnu (il n'est pas parmi {source} : {listed})",
    "table.no_column": "le facteur « {code} » n'a pas de colonne dans la ligne d'en-tête",
    "matrix.row_without_column": (
        "le facteur « {code} » a une ligne mais pas de colonne dans la ligne d'en-tête"
    ),
    "matrix.not_square": (
        "la matrice n'est pas carrée : {rows} lignes de facteurs et {columns} colonnes de facteurs"
    ),
    "matrix.no_row": "le facteur « {code} » n'a pas de ligne dans la colonne A (ligne manquante ?)",
    "matrix.expert_twice": "l'expert « {expert} » apparaît deux fois (aussi dans {where})",
    "matrix.no_files": "aucun fichier de matrice donné",
    "ballots.not_points": (
        "{value} n'est pas un nombre de points : donnez un nombre positif ou nul, ou laissez la "
        "case vide"
    ),
    "ballots.negative": (
        "{value} est négatif : les points sont positifs ou nuls (laissez la case vide pour "
        "aucun point)"
    ),
    "ballots.missing_expert": "identifiant d'expert manquant dans la colonne A",
    "ballots.expert_twice": (
        "l'expert « {expert} » apparaît deux fois dans la colonne A (lignes {first} et {second})"
    ),
    "ballots.none": "aucun vote sous la ligne d'en-tête",
    "template.problems": "{problems}",
    "template.no_factors": "aucun facteur donné",
    "template.invalid_factor": "« {code} » n'est pas un code de facteur valide",
    "template.factor_twice": "le facteur « {code} » apparaît deux fois",
    "template.no_experts": "aucun expert donné",
    "template.invalid_expert": (
        "« {expert} » n'est pas un identifiant d'expert valide pour un nom de feuille "
        "(au plus 31 lettres, chiffres, « . », « _ » ou « - »)"
    ),
    "template.reserved_expert": (
        "« {expert} » ne peut pas être un identifiant d'expert : c'est un nom de feuille réservé"
    ),
    "template.expert_twice": "l'expert « {expert} » apparaît deux fois",
    "study.is_folder": "c'est un dossier, pas un fichier d'étude",
    "study.unreadable": "le fichier ne peut pas être lu ({reason})",
    "study.empty": "le fichier est vide ; un fichier d'étude est un document JSON",
    "study.not_utf8": (
        "ce n'est pas un fichier texte UTF-8 (octet {byte}) ; un fichier d'étude est un "
        "document JSON"
    ),
    "study.bad_json": "JSON non valide : {reason} (ligne {line}, colonne {column})",
    "study.not_object": "un fichier d'étude est un objet JSON ({{...}}), pas {kind}",
    "study.not_anticipe": (
        "ce document JSON n'est pas une étude Anticipe (il n'a pas de champ de version "
        "« anticipe_study »)"
    ),
    "study.version": (
        "la version {version} du format d'étude n'est pas prise en charge "
        "(cette version d'Anticipe lit la version {supported})"
    ),
    "study.more_problems": "et {count} autres problèmes",
    "json.kind_list": "une liste",
    "json.kind_string": "un texte",
    "json.kind_integer": "un nombre entier",
    "json.kind_number": "un nombre",
    "json.kind_boolean": "un booléen",
    "json.kind_null": "null",
    "json.expecting_value": "une valeur est attendue",
    "json.expecting_name": 'un nom de champ entre guillemets droits (") est attendu',
    "json.expecting_colon": "le séparateur « : » est attendu",
    "json.expecting_comma": "le séparateur « , » est attendu",
    "json.unterminated_string": "un texte entre guillemets n'est pas fermé",
    "json.control_character": "caractère de contrôle non permis",
    "json.invalid_escape": "séquence d'échappement « \\ » non valide",
    "json.invalid_unicode_escape": "séquence d'échappement « \\uXXXX » non valide",
    "json.extra_data": "il reste des données après la fin du document",
    "json.trailing_comma_object": "virgule en trop avant la fin de l'objet",
    "json.trailing_comma_array": "virgule en trop avant la fin de la liste",
    "schema.required": "le champ obligatoire « {name} » manque",
    "schema.unknown_field": "champ inconnu : {names} (champs permis : {allowed})",
    "schema.unknown_fields": "champs inconnus : {names} (champs permis : {allowed})",
    "schema.influence": (
        "{value} n'est pas une influence valide (0, 1, 2, 3, « P », ou null pour « ne sait pas »)"
    ),
    "schema.enum": "{value} n'est pas permis ici (valeurs attendues : {expected})",
    "schema.const": "{value} n'est pas permis ici (valeur attendue : {expected})",
    "schema.type": "{value} n'a pas le bon type (attendu : {expected})",
    "schema.pattern": (
        "{value} n'est pas un code valide (lettres, chiffres, « . », « _ » ou « - », en "
        "commençant par une lettre ou un chiffre, 32 caractères au plus)"
    ),
    "schema.not_empty": "ne doit pas être vide",
    "schema.min_length": "est trop court ({length} caractères ; au moins {limit})",
    "schema.max_length": "est trop long ({length} caractères ; au plus {limit})",
    "schema.minimum": "{value} est hors limites (doit valoir au moins {limit})",
    "schema.maximum": "{value} est hors limites (doit valoir au plus {limit})",
    "schema.exclusive_minimum": "{value} est hors limites (doit être supérieur à {limit})",
    "schema.exclusive_maximum": "{value} est hors limites (doit être inférieur à {limit})",
    "schema.min_items_one": "ne doit pas être une liste vide",
    "schema.min_items": "doit avoir au moins {limit} éléments (il y en a {count})",
    "schema.max_items": "doit avoir au plus {limit} éléments (il y en a {count})",
    "schema.unique_items": "contient deux fois le même élément",
    "type.string": "texte",
    "type.integer": "nombre entier",
    "type.number": "nombre",
    "type.boolean": "booléen",
    "type.array": "liste",
    "type.object": "objet",
    "type.null": "null",
    "ref.activity_twice": "le code d'activité {code} est utilisé deux fois",
    "ref.task_twice": "le code de tâche {code} est utilisé deux fois",
    "ref.expert_twice": "l'identifiant d'expert {code} est utilisé deux fois",
    "ref.factor_twice": "le code de facteur {code} est utilisé deux fois",
    "ref.competence_twice": "le code de compétence {code} est utilisé deux fois",
    "ref.hypothesis_twice": "le code d'hypothèse {code} est utilisé deux fois",
    "ref.horizon": "years_min est plus grand que years_max",
    "ref.not_structural_factor": "{code} n'est pas un facteur de l'analyse structurelle",
    "ref.key_factor_reason": "un facteur clé ajouté à la main doit avoir une raison",
    "ref.key_factor_twice": "le facteur {code} figure deux fois",
    "ref.unknown_hypothesis": "hypothèse {code} inconnue",
    "ref.unknown_activity": "activité {code} inconnue",
    "ref.unknown_competence": "compétence {code} inconnue",
    "ref.unknown_factor": "facteur {code} inconnu",
    "ref.same_factor": (
        "{source} et {target} sont des hypothèses du même facteur ; les impacts croisés relient "
        "des hypothèses de facteurs clés différents"
    ),
    "ref.two_ballots": "l'expert {code} a deux bulletins de vote",
    "ref.not_panel_expert": "{code} n'est pas un expert du panel",
    "ref.over_budget": "l'expert {expert} a donné {total} points ; le budget est de {budget}",
    "ref.two_matrices": "l'expert {code} a deux matrices",
    "ref.row_count": "a {count} lignes ; {size} attendues (une par facteur)",
    "ref.cell_count": "a {count} cellules ; {size} attendues (une par facteur)",
    "ref.not_hypothesis_of": "{code} n'est pas une hypothèse du facteur {factor}",
    "ref.override_reason": "un arbitrage doit avoir une raison",
    "ref.two_blocks": "le facteur {code} a deux blocs d'hypothèses",
    "ref.scale_order": "min doit être plus petit que max",
    "ref.outside_probability": ("{value} est hors de l'échelle de probabilité (de {min} à {max})"),
    "ref.outside_desirability": (
        "{value} est hors de l'échelle de souhaitabilité (de {min} à {max})"
    ),
    "ref.voted_twice": "l'expert {expert} a voté {count} fois sur {hypothesis}",
    "analysis.not_in_scenario": (
        "{code} n'est pas une hypothèse du scénario (fusionnée dans une autre ?)"
    ),
}

_NBSP = "\u00a0"


def french_spacing(text: str) -> str:
    """French typography: a non-breaking space before ``: ; ? !`` and inside ``« »``."""
    text = re.sub(r" ([:;?!»])", _NBSP + r"\1", text)
    return text.replace("« ", "«" + _NBSP)


_FR: dict[str, str] = {key: french_spacing(text) for key, text in _FR_TEXTS.items()}

CATALOGUE: Final[dict[str, dict[str, str]]] = {"fr": _FR, "en": _EN}


def language_of(code: str | None) -> str:
    """The catalogue's language for a language code (``"fr"``, ``"en-gb"``...; else French)."""
    primary = (code or "").split("-")[0].split("_")[0].lower()
    return primary if primary in CATALOGUE else "fr"


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
    text = CATALOGUE[language_of(language)].get(key) or _EN[key]
    rendered = {name: render_value(value, language) for name, value in values.items()}
    return text.format(**rendered)


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
        if self.key not in _EN:
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
        if language_of(language) == "fr":
            return f"«{_NBSP}{self.text}{_NBSP}»"
        return f"'{self.text}'"


@dataclass(frozen=True)
class JsonValue:
    """A value of a study file: Python's ``repr`` in English (as the messages always
    showed it); in French, a text in « » and anything else as JSON (``null``, ``true``)."""

    value: object

    def render(self, language: str) -> str:
        if language_of(language) != "fr":
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
