"""Blank XLSX templates an expert fills offline: the influence matrix and the factor vote.

Between two workshops the facilitator e-mails each expert a workbook; the expert
fills it in Excel or LibreOffice and sends it back; :mod:`anticipe.study.matrices`
and :mod:`anticipe.study.ballots` read it back.

An influence-matrix workbook has three kinds of sheets:

- **Instructions** (French by default, English with ``language="en"``): what to do,
  the scale (0 none, 1 weak, 2 medium, 3 strong, P potential), leave the cell empty
  if you don't know, the diagonal is ignored, save and send back;
- **Facteurs** / **Factors**: the factor codes and titles;
- one matrix sheet per expert, named by the expert id (``"Matrice"`` / ``"Matrix"``
  when no id is given), in the layout the reader documents: A1 "influence de ↓ sur
  →", B1 "Intitulé" (the titles column), factor codes in row 1 from column C and in
  column A from row 2, factor titles in column B and as comments on the header codes.
  The diagonal is grey, shows "—" and is locked; the answer cells are unlocked and
  restricted to 0, 1, 2, 3, P by data validation (with an error message in the
  template's language); the sheet is protected without a password (so the codes are
  not changed by mistake), panes are frozen below and right of the titles, the page
  is landscape and fits the width.

Every file is written atomically: to a temporary file in the same folder, then
renamed, so a failure never leaves a half-written workbook (or destroys an existing
one).

References
----------
Godet, M. (2007). *Manuel de prospective stratégique*, tome 2, ch. 3. Dunod.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from gettext import NullTranslations
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from anticipe.i18n import LANGUAGES, translator
from anticipe.study.errors import StudyInputError, column_letter
from anticipe.study.messages import Listing, Message, message
from anticipe.study.tables import CODE_PATTERN

__all__ = [
    "write_matrix_template",
    "write_vote_template",
    "write_workbook_template",
]

Factors = Sequence[tuple[str, str]]

# The workbook's words are entries of the package's catalogue with the context "workbook":
# the sheet names and headers are what the readers (matrices, ballots) recognise, so they
# keep their own translations whatever the site's pages call the same English words.


def _translator(language: str) -> NullTranslations:
    """The catalogue of `language`, which must be one of the package's languages."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be 'fr' or 'en', got {language!r}")
    return translator(language)


def _matrix_sheet_name(t: NullTranslations) -> str:
    """The matrix sheet of a workbook without an expert id."""
    return t.pgettext("workbook", "Matrix")


def _factors_sheet_name(t: NullTranslations) -> str:
    return t.pgettext("workbook", "Factors")


def _vote_sheet_name(t: NullTranslations) -> str:
    return t.pgettext("workbook", "Vote")


def _matrix_steps(t: NullTranslations, sheet: str) -> list[str]:
    """The numbered instructions of an influence-matrix workbook answered in `sheet`."""
    return [
        t.pgettext(
            "workbook",
            "For each factor in a row, give the influence it has on each factor in a column, "
            "at the study's horizon.",
        ),
        t.pgettext(
            "workbook",
            "Answer in the sheet '{sheet}': rows and columns carry the factor codes; column B "
            "and the comments on the codes recall their titles (full list in the sheet "
            "'{factors}').",
        ).format(sheet=sheet, factors=_factors_sheet_name(t)),
        t.pgettext("workbook", "If you don't know, leave the cell empty."),
        t.pgettext("workbook", "The diagonal (a factor on itself, grey cells) is ignored."),
        t.pgettext("workbook", "Do not change the factor codes or the sheet names."),
        _send_back(t),
    ]


def _send_back(t: NullTranslations) -> str:
    return t.pgettext(
        "workbook",
        "Save the file as an Excel workbook (.xlsx) and send it back to the facilitator.",
    )


def _scale(t: NullTranslations) -> list[str]:
    """The influence scale, one line per answer."""
    return [
        t.pgettext("workbook", "0: no influence"),
        t.pgettext("workbook", "1: weak influence"),
        t.pgettext("workbook", "2: medium influence"),
        t.pgettext("workbook", "3: strong influence"),
        t.pgettext(
            "workbook",
            "P: potential influence (not today, but possible at the study's horizon)",
        ),
        t.pgettext("workbook", "(empty): don't know"),
    ]


def _vote_steps(t: NullTranslations, points: int | None) -> list[str]:
    """The numbered instructions of a vote workbook (the points line when they are known)."""
    budget = ""
    if points is not None:
        budget = t.npgettext(
            "workbook",
            "You have {points} point in all.",
            "You have {points} points in all.",
            points,
        ).format(points=points)
    share = t.pgettext(
        "workbook",
        "Share your points among the change factors you find the most important for how "
        "the job will change.",
    )
    where = t.pgettext(
        "workbook",
        "One row per expert: type your points in your row of the sheet '{vote}', under each "
        "factor's code (titles in the sheet '{factors}' and as comments on the codes). The "
        "{total} column adds them up.",
    ).format(vote=_vote_sheet_name(t), factors=_factors_sheet_name(t), total=_total(t))
    return [
        share,
        *([budget] if budget else []),
        where,
        t.pgettext("workbook", "An empty cell counts as 0 points."),
        t.pgettext("workbook", "Do not change the factor codes or the expert ids."),
        _send_back(t),
    ]


def _total(t: NullTranslations) -> str:
    return t.pgettext("workbook", "Total")


def _invalid_value(t: NullTranslations) -> str:
    return t.pgettext("workbook", "Invalid value")


def _for_expert(t: NullTranslations, expert: str) -> str:
    return t.pgettext("workbook", "Expert: {expert}").format(expert=expert)


_GREY = PatternFill(fill_type="solid", start_color="FFD9D9D9", end_color="FFD9D9D9")
_HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
_BOLD = Font(bold=True)
_CENTER = Alignment(horizontal="center", vertical="center")
_UNLOCKED = Protection(locked=False)
_RESERVED_SHEETS = {"instructions", "facteurs", "factors"}


def _problems(problems: list[Message]) -> Message:
    """One message for the problems found (separated by semicolons)."""
    if len(problems) == 1:
        return problems[0]
    return message("template.problems", problems=Listing.of(problems, "separator.semicolon"))


def _check_factors(factors: Factors) -> list[tuple[str, str]]:
    checked = [(str(code), str(title)) for code, title in factors]
    problems: list[Message] = []
    if not checked:
        problems.append(message("template.no_factors"))
    seen: set[str] = set()
    for code, _ in checked:
        if not CODE_PATTERN.match(code):
            problems.append(message("template.invalid_factor", code=code))
        elif code in seen:
            problems.append(message("template.factor_twice", code=code))
        seen.add(code)
    if problems:
        raise StudyInputError(_problems(problems), field="factors")
    return checked


def _check_experts(experts: Sequence[str]) -> list[str]:
    checked = list(experts)
    problems: list[Message] = []
    if not checked:
        problems.append(message("template.no_experts"))
    seen: set[str] = set()
    for expert in checked:
        if not isinstance(expert, str) or not CODE_PATTERN.match(expert) or len(expert) > 31:
            problems.append(message("template.invalid_expert", expert=expert))
        elif expert.casefold() in _RESERVED_SHEETS or expert.startswith("_"):
            problems.append(message("template.reserved_expert", expert=expert))
        elif expert.casefold() in seen:
            problems.append(message("template.expert_twice", expert=expert))
        seen.add(str(expert).casefold())
    if problems:
        raise StudyInputError(_problems(problems), field="panel")
    return checked


def _save_atomically(workbook: Workbook, path: str | Path) -> Path:
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise StudyInputError(message("folder.missing"), file=folder)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    os.close(handle)
    try:
        workbook.save(temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return target


def _instructions_sheet(
    workbook: Workbook,
    t: NullTranslations,
    heading: str,
    lines: list[str],
    scale: list[str] | None,
    study_title: str | None,
    who: str | None,
) -> None:
    ws = workbook.active
    assert isinstance(ws, Worksheet)
    ws.title = t.pgettext("workbook", "Instructions")
    ws.append([heading])
    ws["A1"].font = Font(bold=True, size=14)
    if study_title:
        ws.append([t.pgettext("workbook", "Study: {title}").format(title=study_title)])
    if who:
        ws.append([who])
    ws.append([])
    for number, line in enumerate(lines, start=1):
        ws.append([f"{number}. {line}"])
    if scale:
        ws.append([])
        ws.append([t.pgettext("workbook", "Scale")])
        ws.cell(row=ws.max_row, column=1).font = _BOLD
        for line in scale:
            ws.append([line])
    ws.column_dimensions["A"].width = 110
    for row in ws.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _factors_sheet(workbook: Workbook, t: NullTranslations, factors: list[tuple[str, str]]) -> None:
    ws = workbook.create_sheet(_factors_sheet_name(t))
    ws.append([t.pgettext("workbook", "Code"), _title_heading(t)])
    for cell in ws[1]:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
    for code, title in factors:
        ws.append([code, title])
    ws.column_dimensions["A"].width = max(8, max(len(code) for code, _ in factors) + 2)
    ws.column_dimensions["B"].width = 90
    ws.freeze_panes = "A2"


def _print_setup(ws: Worksheet, title_columns: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    ws.print_title_rows = "1:1"
    ws.print_title_cols = title_columns


def _title_heading(t: NullTranslations) -> str:
    return t.pgettext("workbook", "Title")


def _code_comment(code: str, title: str, t: NullTranslations) -> Comment:
    """The factor's title as a comment on its code in a header row."""
    return Comment(t.pgettext("workbook", "{code}: {title}").format(code=code, title=title), "")


def _style_header(cells: Iterable[Cell | MergedCell]) -> None:
    for cell in cells:
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _CENTER


def _lock_and_print(
    ws: Worksheet, factors: list[tuple[str, str]], first: int, title_columns: str
) -> None:
    """Widths of the factor columns from column `first`; the sheet protected (answer cells
    unlocked) and set up for printing with `title_columns` repeated."""
    for j, (code, _) in enumerate(factors):
        ws.column_dimensions[column_letter(first + j)].width = max(6, len(code) + 3)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _print_setup(ws, title_columns)


def _matrix_labels(
    ws: Worksheet, t: NullTranslations, factors: list[tuple[str, str]], first: int
) -> None:
    """The header row (codes, titles as comments) and columns A (codes) and B (titles)."""
    ws.cell(row=1, column=1, value=t.pgettext("workbook", "influence of ↓ on →"))
    ws.cell(row=1, column=2, value=_title_heading(t))
    for j, (code, title) in enumerate(factors):
        ws.cell(row=1, column=first + j, value=code).comment = _code_comment(code, title, t)
    for i, (code, title) in enumerate(factors):
        ws.cell(row=2 + i, column=1, value=code)
        ws.cell(row=2 + i, column=2, value=title)
    _style_header(
        cell for row in ws.iter_rows(max_row=1, max_col=first + len(factors) - 1) for cell in row
    )
    for i in range(len(factors)):
        ws.cell(row=2 + i, column=1).font = _BOLD
        ws.cell(row=2 + i, column=1).fill = _HEADER_FILL
        ws.cell(row=2 + i, column=2).alignment = Alignment(vertical="center", wrap_text=True)
        ws.row_dimensions[2 + i].height = 30


def _matrix_answer_cells(ws: Worksheet, n: int, first: int) -> list[str]:
    """The diagonal grey and "—", the other cells unlocked; their ranges, row by row."""
    ranges: list[str] = []
    for i in range(n):
        row = 2 + i
        for j in range(n):
            cell = ws.cell(row=row, column=first + j)
            cell.alignment = _CENTER
            if i == j:
                cell.value = "—"
                cell.fill = _GREY
            else:
                cell.protection = _UNLOCKED
        left, diagonal, right = first, first + i, first + n - 1
        if diagonal > left:
            ranges.append(f"{column_letter(left)}{row}:{column_letter(diagonal - 1)}{row}")
        if diagonal < right:
            ranges.append(f"{column_letter(diagonal + 1)}{row}:{column_letter(right)}{row}")
    return ranges


def _answer_validation(
    rule: DataValidation, t: NullTranslations, *, error: str, prompt_title: str, prompt: str
) -> DataValidation:
    """`rule` (openpyxl's type, operator, formula) made the validation of answer cells: blank
    allowed, with an input prompt and an error message in the workbook's language."""
    rule.allow_blank = True
    rule.showErrorMessage = True
    rule.showInputMessage = True
    rule.errorTitle = _invalid_value(t)
    rule.error = error
    rule.promptTitle = prompt_title
    rule.prompt = prompt
    return rule


def _matrix_sheet(
    workbook: Workbook, name: str, t: NullTranslations, factors: list[tuple[str, str]]
) -> None:
    ws = workbook.create_sheet(name)
    first = 3  # column C: the first factor column (A codes, B titles)
    _matrix_labels(ws, t, factors, first)
    validation = _answer_validation(
        DataValidation(type="list", formula1='"0,1,2,3,P"'),
        t,
        error=t.pgettext(
            "workbook", "Type 0, 1, 2, 3 or P, or leave the cell empty if you don't know."
        ),
        prompt_title=t.pgettext("workbook", "Influence"),
        prompt=t.pgettext(
            "workbook", "0 none, 1 weak, 2 medium, 3 strong, P potential; empty: don't know"
        ),
    )
    ranges = _matrix_answer_cells(ws, len(factors), first)
    if ranges:
        for cell_range in ranges:
            validation.add(cell_range)
        ws.add_data_validation(validation)
    ws.freeze_panes = ws.cell(row=2, column=first)
    ws.column_dimensions["A"].width = max(8, max(len(code) for code, _ in factors) + 3)
    ws.column_dimensions["B"].width = 40
    _lock_and_print(ws, factors, first, "A:B")


def write_workbook_template(
    path: str | Path,
    factors: Factors,
    experts: Sequence[str],
    *,
    language: str = "fr",
    study_title: str | None = None,
) -> Path:
    """Write a blank influence-matrix workbook with one matrix sheet per expert.

    Parameters
    ----------
    path
        The .xlsx file to write (replaced atomically if it exists).
    factors
        ``[(code, title), ...]`` in the order of the matrix.
    experts
        The expert ids; each names a sheet (so at most 31 characters).
    language
        ``"fr"`` or ``"en"``: the instructions, labels and validation messages.
    study_title
        Shown in the instructions, e.g. the job's title.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    StudyInputError
        Invalid or duplicate factor codes or expert ids, or a missing folder.
    """
    return _write_matrix_workbook(path, factors, list(experts), None, language, study_title)


def write_matrix_template(
    path: str | Path,
    factors: Factors,
    *,
    expert: str | None = None,
    language: str = "fr",
    study_title: str | None = None,
) -> Path:
    """Write the blank influence-matrix workbook for one expert.

    The matrix sheet is named after ``expert``, or ``"Matrice"`` / ``"Matrix"``
    (the reader then takes the file's stem as expert id). Other parameters as in
    :func:`write_workbook_template`.
    """
    if expert is None:
        anonymous = _matrix_sheet_name(_translator(language))
        return _write_matrix_workbook(path, factors, [], anonymous, language, study_title)
    return _write_matrix_workbook(path, factors, [expert], None, language, study_title)


def _write_matrix_workbook(
    path: str | Path,
    factors: Factors,
    experts: list[str],
    anonymous_sheet: str | None,
    language: str,
    study_title: str | None,
) -> Path:
    t = _translator(language)
    checked = _check_factors(factors)
    sheets = [anonymous_sheet] if anonymous_sheet else _check_experts(experts)
    if len(experts) == 1:
        who: str | None = _for_expert(t, experts[0])
    elif len(experts) > 1:
        experts_line = t.pgettext("workbook", "One sheet per expert: {experts}")
        who = experts_line.format(experts=", ".join(experts))
    else:
        who = None
    workbook = Workbook()
    _instructions_sheet(
        workbook,
        t,
        t.pgettext("workbook", "Influence matrix of the change factors"),
        _matrix_steps(t, sheets[0]),
        _scale(t),
        study_title,
        who,
    )
    _factors_sheet(workbook, t, checked)
    for name in sheets:
        _matrix_sheet(workbook, name, t, checked)
    workbook.active = 2
    return _save_atomically(workbook, path)


def write_vote_template(
    path: str | Path,
    factors: Factors,
    experts: Sequence[str],
    *,
    points_per_expert: int | None = None,
    language: str = "fr",
    study_title: str | None = None,
) -> Path:
    """Write a blank weighted-vote workbook, read back by :func:`.ballots.read_ballots`.

    Sheets: Instructions, Facteurs/Factors, and "Vote" with the expert ids in
    column A (one row each, from row 2), the factor codes in row 1 from column B
    (titles as comments) and a last "Total" column summing each row. Answer cells
    accept numbers >= 0.

    Parameters
    ----------
    path
        The .xlsx file to write (replaced atomically).
    factors
        ``[(code, title), ...]``.
    experts
        The expert ids, one row each (give one id for a sheet sent to one expert).
    points_per_expert
        The points each expert shares out, shown in the instructions.
    language, study_title
        As in :func:`write_workbook_template`.
    """
    t = _translator(language)
    checked = _check_factors(factors)
    rows = _check_experts(experts)
    lines = _vote_steps(t, points_per_expert)
    workbook = Workbook()
    who = _for_expert(t, rows[0]) if len(rows) == 1 else None
    heading = t.pgettext("workbook", "Weighted vote on the change factors")
    _instructions_sheet(workbook, t, heading, lines, None, study_title, who)
    _factors_sheet(workbook, t, checked)
    _vote_sheet(workbook, t, checked, rows)
    workbook.active = 2
    return _save_atomically(workbook, path)


def _vote_sheet(
    workbook: Workbook, t: NullTranslations, factors: list[tuple[str, str]], experts: list[str]
) -> None:
    """The sheet "Vote": a row per expert, a column per factor, and a Total column."""
    ws = workbook.create_sheet(_vote_sheet_name(t))
    n = len(factors)
    ws.cell(row=1, column=1, value=t.pgettext("workbook", "Expert"))
    for j, (code, title) in enumerate(factors):
        ws.cell(row=1, column=2 + j, value=code).comment = _code_comment(code, title, t)
    ws.cell(row=1, column=n + 2, value=_total(t))
    _style_header(ws[1])
    last = column_letter(n + 1)
    for i, expert in enumerate(experts):
        row = 2 + i
        ws.cell(row=row, column=1, value=expert).font = _BOLD
        for j in range(n):
            ws.cell(row=row, column=2 + j).protection = _UNLOCKED
            ws.cell(row=row, column=2 + j).alignment = _CENTER
        total = ws.cell(row=row, column=n + 2, value=f"=SUM(B{row}:{last}{row})")
        total.font = _BOLD
        total.alignment = _CENTER
    validation = _answer_validation(
        DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
        t,
        error=t.pgettext(
            "workbook", "Type a number of points (zero or more), or leave the cell empty."
        ),
        prompt_title=_vote_sheet_name(t),
        prompt=t.pgettext("workbook", "Points given to this factor (empty = 0)"),
    )
    validation.add(f"B2:{last}{len(experts) + 1}")
    ws.add_data_validation(validation)
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = max(10, max(len(e) for e in experts) + 3)
    _lock_and_print(ws, factors, 2, "A:A")
