"""Importing experts from a CSV or XLSX list: name, e-mail, organisation, sector (headers in
French or English), every problem listed by row and column, and nothing imported unless the
whole list is right.

The file is read as every uploaded list is (:mod:`anticipe.study.table_import`: the table
readers within their limits, cells tidied as pasted from a word processor, the header found
by its names); an address is also freed of quotes or ``mailto:`` around it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anticipe.study.limits import MAX_EXPERTS
from anticipe.study.table_import import (
    MAX_LISTED,
    ImportRefused,
    Problem,
    cell_text,
    data_rows,
    find_header,
    folded,
    tidy_cell,
)
from anticipe.study.table_import import column_of as _column_letter
from anticipe.study.table_import import read_upload as read_table_upload
from anticipe.study.tables import Table
from anticipe.workshop.models import Expert, Study

__all__ = [
    "MAX_LISTED",
    "ImportOutcome",
    "ImportRefused",
    "Problem",
    "folded",
    "import_experts",
    "read_experts",
    "read_upload",
    "tidy_cell",
    "tidy_email",
]

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
QUOTES = "\"'“”„«»‘’‚‹›<> "


def tidy_email(value: object) -> str:
    """An address as pasted: without ``mailto:``, quotes or angle brackets around it."""
    text = tidy_cell(value).strip(QUOTES)
    if text.casefold().startswith("mailto:"):
        text = text[len("mailto:") :]
    return text.strip(QUOTES)


@dataclass
class ImportOutcome:
    created: list[Expert] = field(default_factory=list)
    already: int = 0  # rows whose address is already in the panel (left as they are)


# -- reading ----------------------------------------------------------------------------------


def read_upload(upload: Any, language: str) -> Table:
    """The uploaded file's first table (CSV, or the one sheet of a workbook)."""
    return read_table_upload(upload, language, "experts")


def header(table: Table, language: str) -> tuple[int, dict[str, int]]:
    """The header's row number and the 0-based column of each known column."""
    return find_header(table, HEADERS, language)


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
    if name == "email":
        return tidy_email(cell_text(cells, columns, name))
    return cell_text(cells, columns, name)


def row_values(cells: list[object], columns: dict[str, int]) -> dict[str, str]:
    values = {name: cell(cells, columns, name) for name in ("email", "organisation", "sector")}
    values["name"] = cell(cells, columns, "name") or " ".join(
        part
        for part in (cell(cells, columns, "first_name"), cell(cells, columns, "last_name"))
        if part
    )
    return values


def column_of(columns: dict[str, int], name: str) -> str:
    return _column_letter(columns, name, columns.get("last_name", 0) if name == "name" else 0)


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


def read_experts(table: Table, language: str = "fr") -> list[dict[str, str]]:
    """The experts of the list, or :class:`ImportRefused` with every problem."""
    number, columns = header(table, language)
    problems = header_problems(number, columns)
    if problems:
        raise ImportRefused(problems)
    experts: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for row, cells in data_rows(table, number):
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
    rows = read_experts(read_upload(upload, language), language)
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
