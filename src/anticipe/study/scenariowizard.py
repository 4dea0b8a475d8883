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

References
----------
.. [1] W. Weimer-Jehle, *ScenarioWizard 4.x: constructing consistent scenarios using
   cross-impact balance analysis*, manual, ZIRIUS, University of Stuttgart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from anticipe.study.errors import StudyInputError

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
        data = file.read_bytes()
    except OSError as error:
        raise StudyInputError(
            f"cannot read ScenarioWizard file: {error.strerror or error}", file=file
        ) from None
    return parse_scenariowizard(_decode(data), file=str(file))


def _fail(message: str, file: str | None, line: int | None) -> StudyInputError:
    where = f"line {line}: " if line is not None else ""
    return StudyInputError(f"{where}{message}", file=file, row=line)


def _number(text: str, file: str | None, line: int, column: int) -> int | float:
    token = text.strip()
    try:
        value = float(token)
    except ValueError:
        raise _fail(f"matrix value {column} is {token!r}, not a number", file, line) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise _fail(f"matrix value {column} is {token!r}, not a finite number", file, line)
    return int(value) if value == int(value) else value


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
        raise _fail(
            "not a ScenarioWizard project file (the first line should be "
            "'$ ScenarioWizard <version>')",
            file,
            1,
        )
    header = lines[0].strip().lstrip("$").strip()
    version = header.split()[-1] if header.lower().startswith("scenariowizard ") else None
    title = lines[1].strip() if len(lines) > 1 else ""

    descriptors: list[str] = []
    variants: list[list[str]] = []
    matrix: list[list[int | float]] = []
    matrix_lines: list[int] = []
    section = 0
    descriptor_line: dict[str, int] = {}
    for number, raw in enumerate(lines[2:], start=3):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            section += 1
            if section > _MATRIX_SECTION:
                break
            continue
        if section == 0:
            if stripped.startswith("&"):
                name = stripped[1:].strip()
                if not name:
                    raise _fail("descriptor without a name ('&' alone)", file, number)
                if name in descriptor_line:
                    raise _fail(
                        f"descriptor '{name}' appears twice (first on line "
                        f"{descriptor_line[name]})",
                        file,
                        number,
                    )
                if descriptors and not variants[-1]:
                    previous = descriptors[-1]
                    raise _fail(
                        f"descriptor '{previous}' has no variants",
                        file,
                        descriptor_line[previous],
                    )
                descriptor_line[name] = number
                descriptors.append(name)
                variants.append([])
            elif stripped.startswith("-"):
                if not descriptors:
                    raise _fail(
                        f"variant {stripped[1:].strip()!r} comes before any descriptor "
                        "('&name' line)",
                        file,
                        number,
                    )
                label = stripped[1:].strip()
                if not label:
                    raise _fail(
                        f"variant without a name in descriptor '{descriptors[-1]}'",
                        file,
                        number,
                    )
                if label in variants[-1]:
                    raise _fail(
                        f"variant '{label}' appears twice in descriptor '{descriptors[-1]}'",
                        file,
                        number,
                    )
                variants[-1].append(label)
            else:
                raise _fail(
                    f"expected a descriptor ('&name') or a variant (' -name'), got {stripped!r}",
                    file,
                    number,
                )
        elif section == _MATRIX_SECTION:
            cells = stripped.split(",")
            matrix.append(
                [_number(cell, file, number, column) for column, cell in enumerate(cells, 1)]
            )
            matrix_lines.append(number)

    if not descriptors:
        raise _fail("no descriptors ('&name' lines) found", file, None)
    if not variants[-1]:
        raise _fail(f"descriptor '{descriptors[-1]}' has no variants", file, None)
    if section < _MATRIX_SECTION:
        raise _fail(
            f"the file ends before the cross-impact matrix ({section} '#' section lines "
            f"found, the matrix follows the {_MATRIX_SECTION}th)",
            file,
            None,
        )
    total = sum(len(group) for group in variants)
    if len(matrix) != total:
        last = matrix_lines[-1] if matrix_lines else None
        raise _fail(
            f"the cross-impact matrix has {len(matrix)} rows, expected {total} (one per "
            f"variant of the {len(descriptors)} descriptors)",
            file,
            last,
        )
    for row, number in zip(matrix, matrix_lines, strict=True):
        if len(row) != total:
            raise _fail(
                f"matrix row has {len(row)} values, expected {total} (one per variant)",
                file,
                number,
            )
    return {
        "descriptors": descriptors,
        "variants": variants,
        "variant_counts": [len(group) for group in variants],
        "matrix": matrix,
        "version": version,
        "title": title,
    }


read_scw = read_scenariowizard
"""Short name of :func:`read_scenariowizard`."""
