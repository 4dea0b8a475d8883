"""Read each format back as text, the way a person would find facts in it."""

from __future__ import annotations

import io
import re
from typing import Any

import docx
import openpyxl
import pypdf


def squash(text: str) -> str:
    """Text without white space or soft hyphens (PDF lines break words anywhere)."""
    return re.sub(r"[\s\u00ad]+", "", text)


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)


def docx_document(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def docx_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def workbook(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def workbook_values(wb: Any) -> list[str]:
    return [
        str(cell.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    ]
