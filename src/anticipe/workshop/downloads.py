"""Downloads of the desk's tables as CSV and XLSX: aggregates only.

The tables come from the results pages of :mod:`anticipe.workshop.results` (the same numbers
the pages show); no table holds an expert's individual answer.

CSV, as a spreadsheet of the page's language opens it with a double click:

- French: ``;`` between fields and a decimal comma (what French Excel expects); English:
  ``,`` and a decimal point. UTF-8 with a byte order mark (so the accents read right).
- The first line is the first table's header (no title above it: the file opens in
  columns, ready to filter); each further table follows after an empty line, under a line
  with its title (a page's two matrices have the same header).
- A download whose figures depend on simulated data (the study's answers, the training
  catalogue, a group's counts) opens with a "Simulated data" table saying so, as the page
  says it above the figures (:func:`anticipe.workshop.results.tables.simulation_notice`);
  in a workbook it is the first sheet.
- Every field is quoted. A text could still become a formula when a spreadsheet splits the
  file on another separator than the one it was written with (``Tech;=1+1;`` in a file
  written with ``,`` and opened by French Excel), or ignores the quotes; so an apostrophe is
  put before every *piece* of a text that starts, after optional spaces, with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return — a piece being the text's start and what follows
  any character a reader may split on (``,``, ``;``, a tab, a line break, ``"``). Numbers
  stay numbers (``-0,5`` is not a formula).

XLSX: one sheet per table; a text that openpyxl would store as a formula (starting with
``=``) or that a spreadsheet would read as one is neutralised with a leading apostrophe, as
the report's workbook does; the characters XML refuses (control characters pasted from a
word processor) are removed, so that no text can break the download.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from anticipe.i18n import language_or_default
from anticipe.report.xlsx import neutralise
from anticipe.workshop.results.tables import Table

_FORMULA_PIECE = re.compile(r"(^|[,;\t\r\n\"])([ \u00a0]*)(?=[=+\-@\t\r])")
"""A piece of a text that a spreadsheet could read as a formula: at the start or after a
character it may split on, optional spaces, then ``= + - @``, a tab or a carriage return."""

SEPARATORS = {"fr": ";", "en": ","}
"""The field separator of a CSV download, by language (what Excel expects there)."""


def clean(text: str) -> str:
    """`text` without the characters XML refuses (openpyxl's ``ILLEGAL_CHARACTERS_RE``)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def neutralise_pieces(text: str) -> str:
    """An apostrophe before every piece of `text` that could start a formula (module
    docstring): ``"Tech;=1+1;"`` -> ``"Tech;'=1+1;"``, ``"=A1"`` -> ``"'=A1"``."""
    return _FORMULA_PIECE.sub(lambda found: f"{found.group(1)}'{found.group(2)}", text)


def cell(value: Any) -> Any:
    """A value as written in an XLSX download: yes/no for booleans, empty for None, texts
    made safe for spreadsheets and XML, numbers as they are (a text when not finite)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return neutralise(clean(value))
    return value


def csv_field(value: Any, language: str) -> str:
    """A value as written in a CSV download of `language`: numbers with its decimal
    separator, texts neutralised piece by piece (module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        text = repr(value)
        return text.replace(".", ",") if language == "fr" else text
    return neutralise_pieces(clean(str(value)))


def csv_text(tables: Sequence[Table], language: str | None = None) -> str:
    """The tables one after the other: the first table's header on the first line, each
    further table after an empty line and a line with its title. `language` (by default the
    active one) chooses the separator and the decimal separator."""
    language = language_or_default(language or get_language())
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=SEPARATORS[language], quoting=csv.QUOTE_ALL)
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
            writer.writerow([csv_field(table.title, language)])
        writer.writerow([csv_field(h, language) for h in table.headers])
        for row in table.rows:
            writer.writerow([csv_field(v, language) for v in row])
    return buffer.getvalue()


def csv_response(name: str, tables: Sequence[Table], language: str | None = None) -> HttpResponse:
    """The tables as a CSV download (in `language`, by default the page's)."""
    # a byte order mark lets spreadsheets read the accents right
    text = "\ufeff" + csv_text(tables, language)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.csv")
    return response


def _sheet_title(title: str, taken: set[str]) -> str:
    title = clean(title)
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    title = title[:31].strip() or "Sheet"
    base, number = title, 2
    while title in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title)
    return title


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """One sheet per table, its headers in bold."""
    workbook = Workbook()
    default = workbook.active
    taken: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, taken))
        sheet.append([cell(h) for h in table.headers])
        for column in range(1, len(table.headers) + 1):
            sheet.cell(row=1, column=column).font = Font(bold=True)
        for row in table.rows:
            sheet.append([cell(v) for v in row])
        for column, header in enumerate(table.headers, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(
                60, max(10, len(str(header)) + 2)
            )
        sheet.freeze_panes = "A2"
    if default is not None and len(workbook.sheetnames) > 1:
        workbook.remove(default)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(name: str, tables: Sequence[Table]) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(tables),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.xlsx")
    return response
