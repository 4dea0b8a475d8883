"""Errors about user input: a study file, an expert's matrix, a vote sheet.

Every error says what is wrong and where, in the terms a facilitator uses: the file,
the sheet, the row and column as a spreadsheet shows them (row 1 is the first row,
column A the first column), or the field of a study file as a path
(``hypotheses.votes[3].probability``).

The message is a message id of :mod:`anticipe.study.messages` with its values, so it can
be shown in French or English through the package's gettext catalogue
(:meth:`StudyInputError.message_in`, :meth:`StudyInputError.location_in`: ``feuille
« E03 », cellule C4``); ``message``, ``location`` and ``str(error)`` are the English text
the command line prints.
"""

from __future__ import annotations

from pathlib import Path

from anticipe.study.messages import Message, translate

WHOLE_DOCUMENT = "(the whole document)"
"""The field path of a problem with a study file as a whole (shown in the reader's language)."""


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
        What is wrong, in plain words: a :class:`~anticipe.study.messages.Message` of the
        study catalogue (rendered in French or English on demand), or English text.
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

    Attributes
    ----------
    message
        The English text (what the command line prints).
    message_id, values
        The catalogue's message id and its values (None and ``{}`` for plain text).
    """

    def __init__(
        self,
        message: str | Message,
        *,
        file: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: int | str | None = None,
        field: str | None = None,
    ) -> None:
        self.localised = message if isinstance(message, Message) else None
        text = message.render("en") if isinstance(message, Message) else message
        super().__init__(text)
        self.message = text
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column_letter(column) if isinstance(column, int) else column
        self.field = field

    @property
    def message_id(self) -> str | None:
        """The message id in :mod:`anticipe.study.messages` (None for plain text)."""
        return self.localised.key if self.localised is not None else None

    @property
    def values(self) -> dict[str, object]:
        """The values of the message's placeholders (``{}`` for plain text)."""
        return dict(self.localised.values) if self.localised is not None else {}

    def message_in(self, language: str) -> str:
        """What is wrong, in `language` (``"fr"`` or ``"en"``); plain text stays as it is."""
        if self.localised is None:
            return self.message
        return self.localised.render(language)

    def location_in(self, language: str, *, include_file: bool = True) -> str:
        """Where the problem is, in `language`: ``expert3.xlsx, feuille « E03 », cellule C4``.

        ``include_file=False`` leaves the file's name out (the site does not show the
        name of the temporary file an upload was written to).
        """
        parts: list[str] = []
        if self.file and include_file:
            parts.append(self.file)
        if self.sheet is not None:
            parts.append(translate(language, "location.sheet", sheet=self.sheet))
        if self.row is not None and self.column is not None:
            parts.append(translate(language, "location.cell", column=self.column, row=self.row))
        elif self.row is not None:
            parts.append(translate(language, "location.row", row=self.row))
        elif self.column is not None:
            parts.append(translate(language, "location.column", column=self.column))
        if self.field:
            field = self.field
            if field == WHOLE_DOCUMENT:
                field = translate(language, "location.whole_document")
            parts.append(translate(language, "location.field", field=field))
        return ", ".join(parts)

    def text_in(self, language: str) -> str:
        """Where and what, in `language`: ``cellule C4 : 7 est hors de l'échelle…``."""
        location = self.location_in(language)
        what = self.message_in(language)
        if not location:
            return what
        return translate(language, "located", location=location, message=what)

    @property
    def location(self) -> str:
        """Where the problem is, e.g. ``expert3.xlsx, sheet 'Matrice', cell C4``."""
        return self.location_in("en")

    def __str__(self) -> str:
        location = self.location
        return f"{location}: {self.message}" if location else self.message

    def as_dict(self) -> dict[str, str | int | None]:
        """The error as plain values (for ``--json`` output and the site)."""
        return {
            "message": self.message,
            "message_id": self.message_id,
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
            first.localised if first.localised is not None else first.message,
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
