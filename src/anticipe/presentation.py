"""How numbers and labels are shown, in the study's language: the one home of these rules.

Pure functions, no Django (the site, the report and the command line all call them; the
site passes its active language). The language is ``"fr"`` or ``"en"`` (anything else
reads French, as :func:`anticipe.i18n.language_or_default` says); words come from the
package's one catalogue through :func:`anticipe.i18n.translator`.

Numbers
    :func:`number` (a number of decimals, optionally trimmed), :func:`general` (the
    shortest form, like ``{:g}``), :func:`integer` (thousands grouped), :func:`percent`,
    :func:`p_value` (``p < 0,001`` rather than ``p = 0,000``). French writes a decimal
    comma and groups thousands with a no-break space (U+00A0, as Django's French format
    does), with a no-break space before ``%``; English writes a decimal point, a comma
    between thousands and no space before ``%``. A missing value is a dash (the caller
    chooses which: the report and the site write an en dash, the command line an em
    dash).
Labels
    :func:`quadrant_label`, :func:`aim_label` and :func:`aim_verb`, :func:`retention_label`,
    :func:`indirect_method_label`, :func:`stop_reason_label`, :func:`plane_label`,
    :func:`graph_label`,
    :func:`simulated_part_label`,
    :func:`concordance_gap_label`, :func:`display_title`, and :func:`flatten_parameters` (a
    result's parameters as rows).

>>> number(0.1316, "fr", 3)
'0,132'
>>> number(2.0, "en", 1, trim=True)
'2'
>>> p_value(2.3e-23, "fr")
'p < 0,001'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

from anticipe.i18n import gettext_noop, language_or_default, translator

EM_DASH: Final = "—"
EN_DASH: Final = "–"
MISSING: Final = EM_DASH
"""What a missing value is written as, unless the caller says otherwise."""

NO_BREAK_SPACE: Final = "\u00a0"

_DECIMAL: Final = {"fr": ",", "en": "."}
_THOUSANDS: Final = {"fr": NO_BREAK_SPACE, "en": ","}
_PERCENT: Final = {"fr": NO_BREAK_SPACE + "%", "en": "%"}

QUADRANTS: Final = ("driving", "relay", "dependent", "autonomous")
"""The quadrants of the influence/dependence map, in the order pages and tables list them."""

_QUADRANT_LABELS: Final = {
    "driving": gettext_noop("driving"),
    "relay": gettext_noop("relay"),
    "dependent": gettext_noop("dependent"),
    "autonomous": gettext_noop("autonomous"),
}
_AIM_LABELS: Final = {
    "provoke": gettext_noop("provoke a desirable change"),
    "prepare": gettext_noop("prepare for a probable change"),
}
_AIM_VERBS: Final = {
    "provoke": gettext_noop("provoke"),
    "prepare": gettext_noop("prepare"),
}
_SCALE_WORDS: Final = {
    "probability": {
        1: gettext_noop("very unlikely"),
        2: gettext_noop("unlikely"),
        3: gettext_noop("likely"),
        4: gettext_noop("very likely"),
    },
    "desirability": {
        1: gettext_noop("not desirable"),
        2: gettext_noop("hardly desirable"),
        3: gettext_noop("desirable"),
        4: gettext_noop("very desirable"),
    },
}
_RETENTION_LABELS: Final = {
    "rule": gettext_noop("by the rule"),
    "override": gettext_noop("after arbitration"),
    "proposal": gettext_noop("proposed by the rule, not yet decided by the panel"),
}
_INDIRECT_METHOD_LABELS: Final = {
    "powers": gettext_noop("successive powers"),
    "perron": gettext_noop("Perron vectors"),
    "period_average": gettext_noop("mean over one period"),
}
_STOP_REASON_LABELS: Final = {
    "stable": gettext_noop("stable rankings"),
    "nilpotent": gettext_noop("no cycle of influence"),
    "zero_matrix": gettext_noop("empty matrix"),
    "periodic": gettext_noop("periodic rankings"),
    "max_power": gettext_noop("highest power reached without stable rankings"),
}
#: Each plane of the structural analysis: its name, and the name of its graph of influences.
_PLANE_WORDS: Final = {
    "direct": (gettext_noop("direct plane"), gettext_noop("graph of direct influences")),
    "indirect": (gettext_noop("indirect plane"), gettext_noop("graph of indirect influences")),
    "potential_direct": (
        gettext_noop("potential direct plane"),
        gettext_noop("graph of potential direct influences"),
    ),
    "potential_indirect": (
        gettext_noop("potential indirect plane"),
        gettext_noop("graph of potential indirect influences"),
    ),
}
_SIMULATED_PART_LABELS: Final = {
    "panel": gettext_noop("the panel"),
    "factor_vote": gettext_noop("the weighted vote on factors"),
    "influence_matrices": gettext_noop("the influence matrices"),
    "hypothesis_votes": gettext_noop("the votes on hypotheses"),
    "cross_impacts": gettext_noop("the cross-impacts"),
}


# -- numbers ---------------------------------------------------------------------------------


def decimal_separator(language: str | None) -> str:
    """The decimal separator of `language`: a comma in French, a point in English."""
    return _DECIMAL[language_or_default(language)]


def thousands_separator(language: str | None) -> str:
    """Between groups of thousands: a no-break space in French, a comma in English."""
    return _THOUSANDS[language_or_default(language)]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _localise(text: str, language: str | None) -> str:
    """`text`, written by Python's format (``,`` between thousands, ``.`` before the
    decimals), with `language`'s separators."""
    language = language_or_default(language)
    if language == "en":
        return text
    return text.translate({ord(","): _THOUSANDS[language], ord("."): _DECIMAL[language]})


def _unsigned_zero(text: str) -> str:
    """No minus sign before a number that rounds to zero ("-0.00" is "0.00")."""
    if text.startswith("-") and not any(c in "123456789" for c in text):
        return text[1:]
    return text


def number(
    value: float | None,
    language: str | None,
    decimals: int = 2,
    *,
    trim: bool = False,
    strip_zeros: bool = False,
    grouping: bool = False,
    missing: str = MISSING,
) -> str:
    """`value` with `decimals` decimals, in `language`.

    Parameters
    ----------
    trim : bool
        A whole number is written without decimals ("2", not "2,0").
    strip_zeros : bool
        Trailing zeros of the decimals are dropped ("31,5", not "31,50"; "3", not "3,00").
    grouping : bool
        Thousands are grouped ("52 488").
    missing : str
        What None (or a value that is not a number) is written as.

    >>> number(31.5, "fr", 2), number(31.5, "fr", 2, strip_zeros=True)
    ('31,50', '31,5')
    >>> number(None, "fr", missing="–")
    '–'
    """
    if not _is_number(value) or value is None or not math.isfinite(value):
        return missing
    spec = "," if grouping else ""
    if trim and float(value).is_integer():
        text = f"{int(value):{spec}d}"
    else:
        text = _unsigned_zero(f"{value:{spec}.{decimals}f}")
        if strip_zeros and "." in text:
            text = _unsigned_zero(text.rstrip("0").rstrip("."))
    return _localise(text, language)


def general(value: float | None, language: str | None, *, missing: str = MISSING) -> str:
    """`value` in its shortest form (at most six significant digits, like ``{:g}``):
    "1", "0,5", "1e-05"."""
    if not _is_number(value) or value is None:
        return missing
    return _localise(f"{value:g}", language)


def integer(value: int | None, language: str | None, *, missing: str = MISSING) -> str:
    """A whole number with its thousands grouped ("52 488" in French, "52,488" in English)."""
    return number(value, language, 0, trim=True, grouping=True, missing=missing)


def percent(
    value: float | None, language: str | None, decimals: int = 0, *, missing: str = MISSING
) -> str:
    """A share (0.42) as a percentage: "42 %" in French (no-break space), "42%" in English."""
    if not _is_number(value) or value is None:
        return missing
    text = number(100 * value, language, decimals, grouping=True, missing=missing)
    return text + _PERCENT[language_or_default(language)]


def probability(value: float | None, language: str | None, *, missing: str = MISSING) -> str:
    """A probability as a whole percentage ("83 %"), except that a value strictly between 0
    and 1 never reads "0 %" or "100 %": one decimal then ("99,8 %"), and "< 0,1 %" or
    "> 99,9 %" beyond (a bootstrap's 998 resamples out of 1000 are not all of them).

    >>> probability(0.998, "fr"), probability(0.9996, "en"), probability(1.0, "en")
    ('99,8\xa0%', '> 99.9%', '100%')
    """
    if not _is_number(value) or value is None or not math.isfinite(value):
        return missing
    if 0 < value < 0.005 or 0.995 <= value < 1:
        if value < 0.0005:
            return "< " + percent(0.001, language, 1)
        if value >= 0.9995:
            return "> " + percent(0.999, language, 1)
        return percent(value, language, 1)
    return percent(value, language, 0)


def p_value(
    value: float | None,
    language: str | None,
    decimals: int = 3,
    *,
    name: str = "p",
    missing: str = MISSING,
) -> str:
    """A p-value as a statement: "p = 0,157", or "p < 0,001" when it rounds to zero.

    `name` is what the value is called ("p", or a translated "p-value").
    """
    if not _is_number(value) or value is None:
        return f"{name} = {missing}"
    smallest = 10.0**-decimals
    if value < smallest:
        return f"{name} < {number(smallest, language, decimals)}"
    return f"{name} = {number(value, language, decimals)}"


def parse_number(text: str, language: str | None) -> float:
    """The number `text` writes in `language` (the inverse of :func:`number`).

    Raises ValueError when `text` is not a number.
    """
    language = language_or_default(language)
    cleaned = text.strip().replace(_THOUSANDS[language], "")
    if language == "fr":
        cleaned = cleaned.replace("\u202f", "").replace(",", ".")
    return float(cleaned)


# -- labels ----------------------------------------------------------------------------------


def quadrant_label(quadrant: str | None, language: str | None, *, missing: str = EN_DASH) -> str:
    """A quadrant of the influence/dependence map in words ("moteur", "relay"...)."""
    if quadrant not in _QUADRANT_LABELS:
        return missing
    return translator(language).gettext(_QUADRANT_LABELS[quadrant])


def aim_label(aim: str | None, language: str | None) -> str:
    """An action's aim in words ("provoke a desirable change"); '' when not said."""
    if aim not in _AIM_LABELS:
        return ""
    return translator(language).gettext(_AIM_LABELS[aim])


def aim_verb(aim: str | None, language: str | None) -> str:
    """An action's aim in one word ("provoquer", "prepare"), for a table's column."""
    if aim not in _AIM_VERBS:
        return ""
    return translator(language).gettext(_AIM_VERBS[aim])


def retention_label(decision: str, language: str | None) -> str:
    """How a hypothesis was retained: ``"rule"``, ``"override"`` (after arbitration) or
    ``"proposal"`` (the rule's proposal, not yet decided)."""
    return translator(language).gettext(_RETENTION_LABELS[decision])


def indirect_method_label(method: str, language: str | None) -> str:
    """How the indirect classification was computed, in words ("puissances successives");
    a code without a label is shown as it is."""
    return _label(_INDIRECT_METHOD_LABELS, method, language)


def stop_reason_label(reason: str, language: str | None) -> str:
    """Why the successive powers of the indirect classification stopped, in words
    ("classements stables"); a code without a label is shown as it is."""
    return _label(_STOP_REASON_LABELS, reason, language)


def plane_label(basis: str, language: str | None) -> str:
    """A plane of the structural analysis in words ("plan direct", "potential indirect
    plane"); a code without a label is shown as it is."""
    return _label({code: words[0] for code, words in _PLANE_WORDS.items()}, basis, language)


def graph_label(basis: str, language: str | None) -> str:
    """The graph of influences of a plane in words ("graphe des influences directes");
    a code without a label is shown as it is."""
    return _label({code: words[1] for code, words in _PLANE_WORDS.items()}, basis, language)


def simulated_part_label(part: str, language: str | None) -> str:
    """A part of a study file whose answers are simulated, in words ("le panel");
    a code without a label is shown as it is."""
    return _label(_SIMULATED_PART_LABELS, part, language)


def concordance_gap_label(raters: int, items: int, language: str | None) -> str:
    """Why Kendall's W cannot be computed for `raters` experts ranking `items` factors:
    fewer than two of either, else every expert gave every factor the same rank."""
    t = translator(language)
    if raters < 2:
        text = t.ngettext(
            "only {count} expert: W needs at least two",
            "only {count} experts: W needs at least two",
            raters,
        )
        return text.format(count=raters)
    if items < 2:
        text = t.ngettext(
            "only {count} factor: W needs at least two",
            "only {count} factors: W needs at least two",
            items,
        )
        return text.format(count=items)
    return t.gettext("each expert gave every factor the same rank: there is no order to compare")


def _label(labels: Mapping[str, str], code: str, language: str | None) -> str:
    if code not in labels:
        return code
    return translator(language).gettext(labels[code])


def display_title(item: Mapping[str, Any] | None, fallback: str = "") -> str:
    """The title an item (a factor) goes by: its rewording, else its title, else
    `fallback` (its code)."""
    if item is None:
        return fallback
    return str(item.get("reworded_title") or item.get("title") or fallback)


def flatten_parameters(
    parameters: Mapping[str, Any], prefix: str = "", *, missing: str = EN_DASH
) -> list[tuple[str, str]]:
    """A result's ``parameters`` as ``(name, value)`` rows: nested names joined with dots,
    items of a list of records numbered (``variants[0].name``), lists of values joined
    with commas, None written `missing`. Values are written as the computation recorded
    them (``3.0``, ``True``): they are settings, not figures."""
    rows: list[tuple[str, str]] = []
    for key, value in parameters.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        rows.extend(_parameter_rows(name, value, missing))
    return rows


def _parameter_rows(name: str, value: Any, missing: str) -> list[tuple[str, str]]:
    if isinstance(value, Mapping):
        return flatten_parameters(value, name, missing=missing)
    if isinstance(value, list | tuple) and value and all(isinstance(v, Mapping) for v in value):
        return [
            row
            for k, item in enumerate(value)
            for row in _parameter_rows(f"{name}[{k}]", item, missing)
        ]
    if isinstance(value, list | tuple):
        return [(name, ", ".join(str(v) for v in value))]
    return [(name, missing if value is None else str(value))]


def scale_words(aim: str, low: int, high: int, language: str | None) -> dict[int, str]:
    """The words of a vote's scale (`aim`: ``"probability"`` or ``"desirability"``): every
    point of the default 1-4 scale ("1 très peu probable" ... "4 très probable"), only the
    two ends of another scale (their meaning is kept: lowest and highest)."""
    words = _SCALE_WORDS[aim]
    t = translator(language)
    if (low, high) == (1, 4):
        return {value: t.gettext(word) for value, word in words.items()}
    return {low: t.gettext(words[1]), high: t.gettext(words[4])}
