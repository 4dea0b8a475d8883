"""The consistent scenarios of a CIB search as plain text.

Written without rich, so that ``anticipe analyse cib`` starts fast: a table (one row per
scenario) when it fits the terminal's width, otherwise one block per scenario (one
line per descriptor). Headings follow the language given (the study's; English for a
ScenarioWizard project), numbers are written by :mod:`anticipe.presentation`.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from typing import Any

from anticipe.i18n import translator
from anticipe.presentation import general, integer

_GAP = "  "


def print_consistent_scenarios(
    result: Mapping[str, Any], *, language: str = "en", width: int | None = None
) -> None:
    """Print the scenarios of :func:`anticipe.method.cross_impact.consistent_scenarios`
    (with ``descriptors`` and each scenario's ``variants`` names) and the nodes visited."""
    print("\n".join(scenario_lines(result, language=language, width=width)))


def scenario_lines(
    result: Mapping[str, Any], *, language: str = "en", width: int | None = None
) -> list[str]:
    """The lines :func:`print_consistent_scenarios` prints."""
    t = translator(language)
    title = t.ngettext(
        "{count} consistent scenario of {total} (max inconsistency {max_inconsistency})",
        "{count} consistent scenarios of {total} (max inconsistency {max_inconsistency})",
        result["count"],
    ).format(
        count=result["count"],
        total=integer(result["scenario_count"], language),
        max_inconsistency=general(result["parameters"]["max_inconsistency"], language),
    )
    score = t.pgettext("abbreviation of total impact score", "TIS")
    value = t.pgettext("abbreviation of consistency value", "CV")
    names = [str(name) for name in result["descriptors"]]
    rows = [
        [
            str(index),
            *[str(variant) for variant in found["variants"]],
            general(found["total_impact_score"], language),
            general(found["consistency_value"], language),
        ]
        for index, found in enumerate(result["scenarios"], start=1)
    ]
    headings = ["#", *names, score, value]
    widths = [max(len(cell) for cell in column) for column in zip(headings, *rows, strict=True)]
    available = width if width is not None else shutil.get_terminal_size().columns
    lines = [title]
    if sum(widths) + len(_GAP) * (len(widths) - 1) <= available:
        right = {0, len(headings) - 2, len(headings) - 1}  # the numbers

        def line(cells: list[str]) -> str:
            return _GAP.join(
                cell.rjust(w) if i in right else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()

        lines += [line(headings), _GAP.join("-" * w for w in widths)]
        lines += [line(row) for row in rows]
    else:
        name_width = max((len(name) for name in names), default=0)
        for row in rows:
            lines.append(f"#{row[0]}{_GAP}{score} {row[-2]}{_GAP}{value} {row[-1]}")
            lines += [
                f"{_GAP}{name.ljust(name_width)}{_GAP}{variant}"
                for name, variant in zip(names, row[1:-2], strict=True)
            ]
    visited = integer(result["nodes_visited"], language)
    lines.append(t.gettext("nodes visited: {count}").format(count=visited))
    return lines
