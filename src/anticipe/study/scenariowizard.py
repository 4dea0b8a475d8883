"""Read ScenarioWizard project files (``.scw``).

ScenarioWizard (Weimer-Jehle) saves a cross-impact balance project as a line-oriented
text file:

- a header line ``$ ScenarioWizard <version>`` and a line with the project's file name;
- the descriptors, each a line ``&<name>`` followed by one line `` -<variant>`` per
  variant;
- then sections separated by lines starting with ``#``; the section after the fifth
  ``#`` line holds the cross-impact matrix, one row per line, comma-separated, row =
  impacting variant, column = impacted variant, in descriptor order. The other
  sections (descriptions, colours, comments) are not needed for the analysis and are
  skipped.

A project is refused beyond the limits of :mod:`anticipe.study.limits`: a file over
:data:`~anticipe.study.limits.MAX_SCW_BYTES` (before it is read), more than
:data:`~anticipe.study.limits.MAX_SCW_DESCRIPTORS` descriptors or
:data:`~anticipe.study.limits.MAX_SCW_VARIANTS` variants of one descriptor, a matrix value
beyond :data:`~anticipe.study.limits.MAX_SCW_VALUE` either way.

References
----------
.. [1] W. Weimer-Jehle, *ScenarioWizard 4.x: constructing consistent scenarios using
   cross-impact balance analysis*, manual, ZIRIUS, University of Stuttgart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anticipe.study.errors import StudyInputError
from anticipe.study.limits import (
    MAX_SCW_BYTES,
    MAX_SCW_DESCRIPTORS,
    MAX_SCW_VALUE,
    MAX_SCW_VARIANTS,
)
from anticipe.study.messages import JsonValue, Megabytes, Message, message

__all__ = ["parse_scenariowizard", "read_scenariowizard", "read_scw"]

_MATRIX_SECTION = 5  # number of '#' lines before the matrix rows


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # ScenarioWizard is a Windows program: older files are in the ANSI code page.
        return data.decode("cp1252", errors="replace")


def read_scenariowizard(path: str | Path) -> dict[str, Any]:
    """Read a ScenarioWizard project file.

    Parameters
    ----------
    path : str or Path
        The ``.scw`` file.

    Returns
    -------
    dict
        As :func:`parse_scenariowizard`.

    Raises
    ------
    StudyInputError
        When the file cannot be read or is malformed (with the file and line).
    """
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_SCW_BYTES:
            problem = message(
                "file.too_large", size=Megabytes(size), limit=Megabytes(MAX_SCW_BYTES)
            )
            raise StudyInputError(problem, file=file)
        data = file.read_bytes()
    except OSError as error:
        raise StudyInputError(
            message("scw.unreadable", reason=error.strerror or error), file=file
        ) from None
    return parse_scenariowizard(_decode(data), file=str(file))


def _fail(problem: Message, file: str | None, line: int | None) -> StudyInputError:
    if line is not None:
        problem = message("scw.at_line", line=line, message=problem)
    return StudyInputError(problem, file=file, row=line)


def _number(text: str, file: str | None, line: int, column: int) -> int | float:
    token = text.strip()
    try:
        value = float(token)
    except ValueError:
        raise _fail(
            message("scw.not_a_number", column=column, value=JsonValue(token)), file, line
        ) from None
    if not math.isfinite(value):
        raise _fail(message("scw.not_finite", column=column, value=JsonValue(token)), file, line)
    if abs(value) > MAX_SCW_VALUE:
        problem = message(
            "scw.value_too_large", column=column, value=JsonValue(token), limit=MAX_SCW_VALUE
        )
        raise _fail(problem, file, line)
    return int(value) if value == int(value) else value


@dataclass
class _Project:
    """What the lines read so far hold: descriptors and their variants, matrix rows."""

    file: str | None
    descriptors: list[str] = field(default_factory=list)
    variants: list[list[str]] = field(default_factory=list)
    descriptor_line: dict[str, int] = field(default_factory=dict)
    matrix: list[list[int | float]] = field(default_factory=list)
    matrix_lines: list[int] = field(default_factory=list)
    sections: int = 0  # '#' lines seen

    def add_descriptor(self, stripped: str, number: int) -> None:
        """A line ``&name``: a new descriptor (the previous one must have variants)."""
        name = stripped[1:].strip()
        if not name:
            raise _fail(message("scw.descriptor_without_name"), self.file, number)
        if name in self.descriptor_line:
            first = self.descriptor_line[name]
            raise _fail(
                message("scw.descriptor_twice", descriptor=name, first=first), self.file, number
            )
        if self.descriptors and not self.variants[-1]:
            previous = self.descriptors[-1]
            raise _fail(
                message("scw.no_variants", descriptor=previous),
                self.file,
                self.descriptor_line[previous],
            )
        if len(self.descriptors) == MAX_SCW_DESCRIPTORS:
            raise _fail(
                message("scw.too_many_descriptors", limit=MAX_SCW_DESCRIPTORS), self.file, number
            )
        self.descriptor_line[name] = number
        self.descriptors.append(name)
        self.variants.append([])

    def add_variant(self, stripped: str, number: int) -> None:
        """A line `` -name``: a variant of the last descriptor."""
        label = stripped[1:].strip()
        if not self.descriptors:
            raise _fail(message("scw.variant_first", variant=JsonValue(label)), self.file, number)
        descriptor = self.descriptors[-1]
        if not label:
            raise _fail(
                message("scw.variant_without_name", descriptor=descriptor), self.file, number
            )
        if label in self.variants[-1]:
            raise _fail(
                message("scw.variant_twice", variant=label, descriptor=descriptor),
                self.file,
                number,
            )
        if len(self.variants[-1]) == MAX_SCW_VARIANTS:
            problem = message(
                "scw.too_many_variants", descriptor=descriptor, limit=MAX_SCW_VARIANTS
            )
            raise _fail(problem, self.file, number)
        self.variants[-1].append(label)

    def read_line(self, stripped: str, number: int) -> None:
        """One non-empty line of the descriptors' section or of the matrix' section."""
        if self.sections == 0:
            if stripped.startswith("&"):
                self.add_descriptor(stripped, number)
            elif stripped.startswith("-"):
                self.add_variant(stripped, number)
            else:
                line = JsonValue(stripped)
                raise _fail(message("scw.unexpected_line", line=line), self.file, number)
        elif self.sections == _MATRIX_SECTION:
            cells = stripped.split(",")
            total = sum(len(group) for group in self.variants)
            if len(cells) > total:  # refused before its values are read
                raise _fail(
                    message("scw.row_values", values=len(cells), expected=total), self.file, number
                )
            self.matrix.append(
                [_number(cell, self.file, number, column) for column, cell in enumerate(cells, 1)]
            )
            self.matrix_lines.append(number)

    def check_complete(self) -> None:
        """Descriptors with variants, then a square matrix of one row per variant."""
        if not self.descriptors:
            raise _fail(message("scw.no_descriptors"), self.file, None)
        if not self.variants[-1]:
            raise _fail(
                message("scw.no_variants", descriptor=self.descriptors[-1]), self.file, None
            )
        if self.sections < _MATRIX_SECTION:
            problem = message("scw.no_matrix", found=self.sections, section=_MATRIX_SECTION)
            raise _fail(problem, self.file, None)
        total = sum(len(group) for group in self.variants)
        if len(self.matrix) != total:
            problem = message(
                "scw.matrix_rows",
                rows=len(self.matrix),
                expected=total,
                descriptors=len(self.descriptors),
            )
            raise _fail(problem, self.file, self.matrix_lines[-1] if self.matrix_lines else None)
        for row, number in zip(self.matrix, self.matrix_lines, strict=True):
            if len(row) != total:
                problem = message("scw.row_values", values=len(row), expected=total)
                raise _fail(problem, self.file, number)


def parse_scenariowizard(text: str, *, file: str | None = None) -> dict[str, Any]:
    """Parse the text of a ScenarioWizard project file.

    Parameters
    ----------
    text : str
        Content of the ``.scw`` file.
    file : str, optional
        File name, for error messages.

    Returns
    -------
    dict
        ``descriptors`` (list of str), ``variants`` (list of list of str, per
        descriptor), ``variant_counts`` (list of int), ``matrix`` (list of rows, each
        a list of int, or float for non-integral cells; row = impacting variant,
        column = impacted variant), ``version`` (str from the header line, or None),
        ``title`` (the second line: the project's file name as ScenarioWizard saved
        it, or "").

    Raises
    ------
    StudyInputError
        For malformed content; the message and ``row`` give the 1-based line.
    """
    lines = text.splitlines()
    if not lines or not lines[0].lstrip().startswith("$"):
        raise _fail(message("scw.not_project"), file, 1)
    header = lines[0].strip().lstrip("$").strip()
    version = header.split()[-1] if header.lower().startswith("scenariowizard ") else None
    title = lines[1].strip() if len(lines) > 1 else ""
    project = _Project(file)
    for number, raw in enumerate(lines[2:], start=3):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            project.sections += 1
            if project.sections > _MATRIX_SECTION:
                break
            continue
        project.read_line(stripped, number)
    project.check_complete()
    return {
        "descriptors": project.descriptors,
        "variants": project.variants,
        "variant_counts": [len(group) for group in project.variants],
        "matrix": project.matrix,
        "version": version,
        "title": title,
    }


read_scw = read_scenariowizard
"""Short name of :func:`read_scenariowizard`."""
