"""Downloads of the desk's tables as CSV and XLSX: aggregates only.

The tables come from the results pages of :mod:`anticipe.workshop.results` (the same numbers
the pages show); no table holds an expert's individual answer. Every text that a spreadsheet
could read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is neutralised with a leading apostrophe, as the report's workbook does.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from anticipe.report.xlsx import neutralise
from anticipe.workshop.results.tables import Table


def cell(value: Any) -> Any:
    """A value as written in a download: yes/no for booleans, empty for None, texts made
    safe for spreadsheets."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return neutralise(value)


def csv_text(tables: Sequence[Table]) -> str:
    """The tables one after the other, each under its title, separated by an empty line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([cell(table.title)])
        writer.writerow([cell(h) for h in table.headers])
        for row in table.rows:
            writer.writerow([cell(v) for v in row])
    return buffer.getvalue()


def csv_response(name: str, tables: Sequence[Table]) -> HttpResponse:
    # a byte order mark lets spreadsheets read the accents right
    response = HttpResponse("\ufeff" + csv_text(tables), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.csv")
    return response


def _sheet_title(title: str, taken: set[str]) -> str:
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
