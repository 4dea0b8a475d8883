"""Numbers and labels as the desk writes them: an action's aim, a quadrant, a number with the
page's decimal separator, parameters as rows, a heat map level, the experts' free texts as
anonymous material, a vote's scale.

Kept together, with no query: they are to delegate to :mod:`anticipe.presentation` (numbers
and labels in the study's language) once it exists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from anticipe.workshop.models import Action
from anticipe.workshop.study_format import DEFAULT_SCALE

QUADRANT_ORDER = ("driving", "relay", "dependent", "autonomous")


def aim_label(aim: str | None) -> str:
    """An action's aim in the active language ('' when not said)."""
    return str(Action.Aim(aim).label) if aim in Action.Aim.values else ""


def quadrant_label(quadrant: str | None) -> str:
    labels = {
        "driving": _("driving"),
        "relay": _("relay"),
        "dependent": _("dependent"),
        "autonomous": _("autonomous"),
    }
    return labels.get(quadrant or "", "–")


def number_text(value: float | None, places: int, separator: str, *, trim: bool = False) -> str:
    """A number as the pages write it (like the ``floatformat`` filter, much faster for the
    hundreds of cells of a matrix): `places` decimals, none for a whole number when `trim`."""
    if value is None:
        return "–"
    if trim and float(value).is_integer():
        return str(int(value))
    return f"{value:.{places}f}".replace(".", separator)


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
    rows: list[tuple[str, str]] = []
    for key, value in parameters.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            rows.extend(flatten_parameters(value, name))
        elif isinstance(value, list | tuple):
            rows.append((name, ", ".join(str(v) for v in value)))
        elif value is None:
            rows.append((name, "–"))
        else:
            rows.append((name, str(value)))
    return rows


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
