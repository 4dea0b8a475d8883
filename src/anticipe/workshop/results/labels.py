"""Numbers and labels as the desk writes them, in the page's language: an action's aim, a
quadrant, a number, parameters as rows (each through :mod:`anticipe.presentation`, the one
home of how numbers and labels are written), and the desk's own small rules: a heat map
level, the experts' free texts as anonymous material, a vote's scale. No query.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import get_language, ngettext

from anticipe import presentation
from anticipe.workshop.study_format import DEFAULT_SCALE

QUADRANT_ORDER = ("driving", "relay", "dependent", "autonomous")


def aim_label(aim: str | None) -> str:
    """An action's aim in the page's language ('' when not said)."""
    return presentation.aim_label(aim, get_language())


def quadrant_label(quadrant: str | None) -> str:
    """A quadrant of the influence/dependence map in the page's language ("–" when none)."""
    return presentation.quadrant_label(quadrant, get_language())


def number_text(value: float | None, places: int, *, trim: bool = False) -> str:
    """A number in the page's language with `places` decimals, none for a whole number when
    `trim` ("–" when missing)."""
    return presentation.number(
        value, get_language(), places, trim=trim, missing=presentation.EN_DASH
    )


def disagreement_level(iqr: float | None) -> int | None:
    """The heat map's level of a cell's interquartile range (0: the experts agree ...
    3: strong disagreement), None for the diagonal or a cell nobody answered."""
    if iqr is None:
        return None
    if iqr == 0:
        return 0
    if iqr <= 1:
        return 1
    if iqr <= 2:
        return 2
    return 3


def flatten_parameters(parameters: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Parameters as ``(name, value)`` rows, nested names joined with dots."""
    return presentation.flatten_parameters(parameters, prefix)


def parameters_in_words(rows: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """Parameter rows (from :func:`flatten_parameters`) as a page shows them: the setting and
    its value in words, in the page's language, with the parameter's name (kept for the
    study file and the report's appendix, where the same name stands)."""
    language = get_language()
    shown = []
    for name, value in rows:
        setting, words = presentation.parameter_row_words(name, value, language)
        shown.append({"name": name, "setting": setting, "value": words})
    return shown


def anonymous_texts(texts: Iterable[str]) -> list[dict[str, Any]]:
    """Free texts of experts as material: stripped, identical ones counted once, sorted by
    text (never by expert, so nothing links a text to its author)."""
    counted = Counter(" ".join(text.split()) for text in texts if text and text.strip())
    return [
        {"text": text, "count": count}
        for text, count in sorted(counted.items(), key=lambda item: item[0].casefold())
    ]


def scale_range(scale: Any) -> tuple[int, int]:
    """A vote's scale as ``(lowest, highest)``: from ``{"min", "max"}``, a pair, or the
    default scale."""
    if isinstance(scale, Mapping):
        return int(scale["min"]), int(scale["max"])
    if isinstance(scale, Sequence) and len(scale) == 2:
        return int(scale[0]), int(scale[1])
    return DEFAULT_SCALE["min"], DEFAULT_SCALE["max"]


def below_minimum(answers: int, minimum: int) -> str:
    """Why a result is not shown: "2 answers: below the minimum of 3"."""
    return ngettext(
        "%(count)s answer: below the minimum of %(minimum)s",
        "%(count)s answers: below the minimum of %(minimum)s",
        answers,
    ) % {"count": answers, "minimum": minimum}
