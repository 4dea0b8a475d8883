"""Errors about user input: a study file, an expert's matrix, a vote sheet.

Every error says what is wrong and where, in the terms a facilitator uses: the file,
the sheet, the row and column as a spreadsheet shows them (row 1 is the first row,
column A the first column), or the field of a study file as a path
(``hypotheses.votes[3].probability``).
"""

from __future__ import annotations

from pathlib import Path


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 1-based column index (1 -> A, 27 -> AA)."""
    if index < 1:
        raise ValueError(f"column index must be >= 1, got {index}")
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


class StudyInputError(Exception):
    """Input that Anticipe cannot read, with where the problem is.

    Parameters
    ----------
    message
        What is wrong, in plain words.
    file
        The file concerned, if any.
    sheet
        The worksheet, for a workbook.
    row
        1-based row (as a spreadsheet or a text editor shows it).
    column
        1-based column number, or a spreadsheet column name.
    field
        For a study file: the path of the field (``panel[2].sector``).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: int | str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column_letter(column) if isinstance(column, int) else column
        self.field = field

    @property
    def location(self) -> str:
        """Where the problem is, e.g. ``expert3.xlsx, sheet 'Matrice', cell C4``."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None and self.column is not None:
            parts.append(f"cell {self.column}{self.row}")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        elif self.column is not None:
            parts.append(f"column {self.column}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)

    def __str__(self) -> str:
        location = self.location
        return f"{location}: {self.message}" if location else self.message

    def as_dict(self) -> dict[str, str | int | None]:
        """The error as plain values (for ``--json`` output and the site)."""
        return {
            "message": self.message,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "field": self.field,
        }


class StudyInputErrors(StudyInputError):  # noqa: N818 (a list of errors)
    """Several input problems found at once (all are reported, not just the first)."""

    def __init__(self, errors: list[StudyInputError]) -> None:
        if not errors:
            raise ValueError("StudyInputErrors needs at least one error")
        first = errors[0]
        super().__init__(
            first.message,
            file=first.file,
            sheet=first.sheet,
            row=first.row,
            column=first.column,
            field=first.field,
        )
        self.errors = errors

    def __str__(self) -> str:
        if len(self.errors) == 1:
            return str(self.errors[0])
        lines = [f"{len(self.errors)} problems:"]
        lines.extend(f"- {error}" for error in self.errors)
        return "\n".join(lines)
