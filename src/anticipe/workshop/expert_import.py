"""Importing experts from a CSV or XLSX list: name, e-mail, organisation, sector (headers in
French or English), every problem listed by row and column, and nothing imported unless the
whole list is right.

The file is read by the study layer's table readers (:mod:`anticipe.study.tables`), within
its limits (:mod:`anticipe.study.limits`); cells are tidied as pasted from a word processor
(a byte-order mark, no-break or zero-width spaces, quotes around an address).
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from anticipe.study.characters import clean_text
from anticipe.study.errors import StudyInputError, StudyInputErrors
from anticipe.study.limits import MAX_EXPERTS, MAX_XLSX_BYTES
from anticipe.study.tables import Table, is_empty, read_table_csv, read_table_xlsx
from anticipe.workshop.models import Expert, Study

# A header, folded (no case, accents, spaces or punctuation), and the column it names.
HEADERS: dict[str, str] = {
    **dict.fromkeys(["name", "fullname", "nom", "nomcomplet", "nomprenom", "prenomnom"], "name"),
    **dict.fromkeys(["expert", "participant", "participante"], "name"),
    **dict.fromkeys(["firstname", "givenname", "prenom"], "first_name"),
    **dict.fromkeys(["lastname", "surname", "familyname", "nomdefamille"], "last_name"),
    **dict.fromkeys(
        ["email", "mail", "emailaddress", "courriel", "adresseemail", "adressemail"], "email"
    ),
    **dict.fromkeys(["adressecourriel", "adresseelectronique", "adressedecourriel"], "email"),
    **dict.fromkeys(["organisation", "organization", "organisme", "structure"], "organisation"),
    **dict.fromkeys(
        ["institution", "entreprise", "company", "employer", "employeur"], "organisation"
    ),
    **dict.fromkeys(["sector", "secteur", "secteurdactivite", "domaine"], "sector"),
}
COLUMN_NAMES = {
    "name": gettext_lazy("name"),
    "email": gettext_lazy("e-mail"),
    "organisation": gettext_lazy("organisation"),
    "sector": gettext_lazy("sector"),
}
MAX_LENGTHS = {"name": 150, "email": 254, "organisation": 200, "sector": 150}
MAX_LISTED = 50  # problems shown on the page (the rest counted)
SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2000-\u200a\u3000]+")
INVISIBLE = re.compile(r"[\ufeff\u200b-\u200d\u2060\u00ad]")
QUOTES = "\"'“”„«»‘’‚‹›<> "


def tidy_cell(value: object) -> str:
    """A cell or a pasted line as text: no byte-order mark or invisible character, one plain
    space for any run of spaces (no-break ones too), no forbidden character."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", clean_text(str(value)))
    return SPACES.sub(" ", INVISIBLE.sub("", text)).strip()


def tidy_email(value: object) -> str:
    """An address as pasted: without ``mailto:``, quotes or angle brackets around it."""
    text = tidy_cell(value).strip(QUOTES)
    if text.casefold().startswith("mailto:"):
        text = text[len("mailto:") :]
    return text.strip(QUOTES)


def folded(header: object) -> str:
    text = unicodedata.normalize("NFKD", tidy_cell(header).casefold())
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c))


@dataclass(frozen=True)
class Problem:
    """A problem of the list, where it is (row and column as the spreadsheet shows them)."""

    message: str
    row: int | None = None
    column: str = ""


class ImportRefused(Exception):  # noqa: N818 (the outcome, not an error of the site)
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


@dataclass
class ImportOutcome:
    created: list[Expert] = field(default_factory=list)
    already: int = 0  # rows whose address is already in the panel (left as they are)


# -- reading ----------------------------------------------------------------------------------


def read_upload(upload: Any, language: str) -> Table:
    """The uploaded file's first table (CSV, or the one sheet of a workbook)."""
    if upload.size > MAX_XLSX_BYTES:
        raise ImportRefused([Problem(_("The file is too large (at most 16 MB)."))])
    with tempfile.TemporaryDirectory(prefix="anticipe-") as folder:
        head = upload.read(4)
        upload.seek(0)
        suffix = ".xlsx" if head.startswith(b"PK\x03\x04") else ".csv"
        target = Path(folder) / f"experts{suffix}"
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            if suffix == ".xlsx":
                return read_table_xlsx(target)
            return read_table_csv(target)
        except StudyInputError as error:
            listed = error.errors if isinstance(error, StudyInputErrors) else [error]
            raise ImportRefused(
                [
                    Problem(
                        problem.message_in(language),
                        problem.row,
                        str(problem.column or ""),
                    )
                    for problem in listed
                ]
            ) from None


def header(table: Table) -> tuple[int, dict[str, int]]:
    """The header's row number and the 0-based column of each known column."""
    for number, cells in enumerate(table.rows, start=1):
        if all(is_empty(cell) for cell in cells):
            continue
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            name = HEADERS.get(folded(cell))
            if name is not None and name not in columns:
                columns[name] = index
        return number, columns
    raise ImportRefused([Problem(_("The file is empty."))])


def header_problems(number: int, columns: dict[str, int]) -> list[Problem]:
    missing = []
    if "name" not in columns and "last_name" not in columns:
        missing.append(str(COLUMN_NAMES["name"]))
    if "sector" not in columns:
        missing.append(str(COLUMN_NAMES["sector"]))
    if not missing:
        return []
    return [
        Problem(
            _(
                "The header has no column “%(columns)s”. Expected headers: name (nom), "
                "e-mail (courriel), organisation (organisme), sector (secteur)."
            )
            % {"columns": "”, “".join(missing)},
            number,
        )
    ]


def cell(cells: list[object], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    if index is None or index >= len(cells):
        return ""
    return tidy_email(cells[index]) if name == "email" else tidy_cell(cells[index])


def row_values(cells: list[object], columns: dict[str, int]) -> dict[str, str]:
    values = {name: cell(cells, columns, name) for name in ("email", "organisation", "sector")}
    values["name"] = cell(cells, columns, "name") or " ".join(
        part
        for part in (cell(cells, columns, "first_name"), cell(cells, columns, "last_name"))
        if part
    )
    return values


def column_of(columns: dict[str, int], name: str) -> str:
    index = columns.get(name, columns.get("last_name", 0) if name == "name" else 0)
    return get_column_letter(index + 1)


def row_problems(
    number: int, values: dict[str, str], columns: dict[str, int], seen: dict[str, int]
) -> list[Problem]:
    """What is wrong with one row."""
    problems: list[Problem] = []
    for name in ("name", "sector"):
        if not values[name]:
            problems.append(
                Problem(
                    _("The %(column)s is missing.") % {"column": COLUMN_NAMES[name]},
                    number,
                    column_of(columns, name),
                )
            )
    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit:
            problems.append(
                Problem(
                    _("Too long: at most %(limit)d characters.") % {"limit": limit},
                    number,
                    column_of(columns, name),
                )
            )
    email = values["email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                Problem(
                    _("“%(value)s” is not an e-mail address.") % {"value": email[:80]},
                    number,
                    column_of(columns, "email"),
                )
            )
        else:
            key = email.casefold()
            if key in seen:
                problems.append(
                    Problem(
                        _("This address is already on row %(row)d.") % {"row": seen[key]},
                        number,
                        column_of(columns, "email"),
                    )
                )
            seen.setdefault(key, number)
    return sorted(problems, key=lambda problem: (len(problem.column), problem.column))


def read_experts(table: Table) -> list[dict[str, str]]:
    """The experts of the list, or :class:`ImportRefused` with every problem."""
    number, columns = header(table)
    problems = header_problems(number, columns)
    if problems:
        raise ImportRefused(problems)
    experts: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for row, cells in enumerate(table.rows[number:], start=number + 1):
        if all(is_empty(value) for value in cells):
            continue
        values = row_values(cells, columns)
        problems.extend(row_problems(row, values, columns, seen))
        experts.append(values)
    if problems:
        raise ImportRefused(problems)
    if not experts:
        raise ImportRefused([Problem(_("The list has a header but no expert."), number)])
    return experts


# -- importing --------------------------------------------------------------------------------


def import_experts(study: Study, upload: Any, language: str) -> ImportOutcome:
    """Add the experts of an uploaded list to the panel, all or none. An address already in
    the panel is left as it is."""
    rows = read_experts(read_upload(upload, language))
    outcome = ImportOutcome()
    with transaction.atomic():
        Study.objects.select_for_update().get(pk=study.pk)  # codes given one at a time
        known = {
            email.casefold()
            for email in study.experts.exclude(email="").values_list("email", flat=True)
        }
        new = [row for row in rows if not row["email"] or row["email"].casefold() not in known]
        outcome.already = len(rows) - len(new)
        if study.experts.count() + len(new) > MAX_EXPERTS:
            raise ImportRefused(
                [Problem(_("A panel has at most %(limit)d experts.") % {"limit": MAX_EXPERTS})]
            )
        for row in new:
            expert = Expert(study=study, code=study.next_expert_code(), **row)
            expert.save()
            outcome.created.append(expert)
    return outcome
