"""How numbers and labels are shown, in the study's language: the one home of these rules.

Pure functions, no Django (the site, the report and the command line all call them; the
site passes its active language). The language is ``"fr"`` or ``"en"`` (anything else
reads French, as :func:`anticipe.i18n.language_or_default` says); words come from the
package's one catalogue through :func:`anticipe.i18n.translator`.

Numbers
    :func:`number` (a number of decimals, optionally trimmed), :func:`general` (the
    shortest form, like ``{:g}``), :func:`integer` (thousands grouped), :func:`percent`,
    :func:`p_value` (``p < 0,001`` rather than ``p = 0,000``), :func:`minutes_for` (the
    minutes a number of questions takes, rounded up: an estimate said to a reader).
    French writes a decimal comma and groups thousands with a no-break space (U+00A0, as
    Django's French format does), with a no-break space before ``%``; English writes a
    decimal point, a comma between thousands and no space before ``%``. A missing value is
    a dash (the caller chooses which: the report and the site write an en dash, the command
    line an em dash).
Labels
    :func:`quadrant_label`, :func:`aim_label` and :func:`aim_verb`, :func:`retention_label`,
    :func:`indirect_method_label`, :func:`stop_reason_label`, :func:`plane_label`,
    :func:`graph_label`, :func:`simulated_part_label`, :func:`concordance_gap_label`,
    :func:`display_title`, :func:`flatten_parameters` (a result's parameters as rows) and
    :func:`parameter_words` (the analysis' parameters as sentences a reader follows) and
    :func:`parameter_row_words` (a row of :func:`flatten_parameters` in words).
Dates and typography
    :func:`date_text` ("mai 2018", "14 May 2018"); :func:`typography` (French: a no-break
    space before ``: ; ! ?`` and inside ``« »``, so that no line starts with one of them).

>>> number(0.1316, "fr", 3)
'0,132'
>>> number(2.0, "en", 1, trim=True)
'2'
>>> p_value(2.3e-23, "fr")
'p < 0,001'
"""

from __future__ import annotations

import math
import re
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


def percent_number(value: float | None, decimals: int = 1) -> float | None:
    """A share (0.6667) as the percentage a downloaded table holds (66.7): a number, rounded,
    that a spreadsheet can compute with (the download writes its decimal separator); None
    stays None.

    >>> percent_number(2 / 3), percent_number(None), percent_number(0.5, 0)
    (66.7, None, 50.0)
    """
    if not _is_number(value) or value is None:
        return None
    return round(100 * value, decimals)


def minutes_for(questions: int, seconds_each: int) -> int:
    """The whole minutes `questions` take at about `seconds_each` (rounded up: an estimate
    said to a reader, who had better have a minute left than miss one); 0 for none.

    >>> minutes_for(42, 20), minutes_for(1, 4), minutes_for(0, 20)
    (14, 1, 0)
    """
    return -(-max(questions, 0) * seconds_each // 60)


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


# -- dates and typography --------------------------------------------------------------------


def _month(month: int, language: str | None) -> str:
    t = translator(language)
    # fmt: off
    names = (
        t.pgettext("month", "January"), t.pgettext("month", "February"),
        t.pgettext("month", "March"), t.pgettext("month", "April"), t.pgettext("month", "May"),
        t.pgettext("month", "June"), t.pgettext("month", "July"), t.pgettext("month", "August"),
        t.pgettext("month", "September"), t.pgettext("month", "October"),
        t.pgettext("month", "November"), t.pgettext("month", "December"),
    )
    # fmt: on
    return names[month - 1]


def date_text(iso: str | None, language: str | None) -> str:
    """An ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) in words: "mai 2018",
    "14 mai 2018", "May 2018", "14 May 2018"; anything else is returned as it is."""
    text = (iso or "").strip()
    parts = text.split("-")
    if not all(p.isdigit() for p in parts) or len(parts) > 3 or len(parts[0]) != 4:
        return text
    numbers = [int(p) for p in parts]
    if len(numbers) == 1 or not 1 <= numbers[1] <= 12:
        return parts[0]
    month = _month(numbers[1], language)
    if len(numbers) == 2 or not 1 <= numbers[2] <= 31:
        return f"{month} {parts[0]}"
    return f"{numbers[2]} {month} {parts[0]}"


_SPACE_BEFORE = re.compile(r"[ \t]+([:;!?»])")
_SPACE_AFTER = re.compile(r"(«)[ \t]+")
_NO_SPACE_BEFORE = re.compile(r"(?<=[\w\)\]»’'])([;!?])(?=\s|$)")


def typography(text: str, language: str | None) -> str:
    """`text` with French typography's no-break spaces (nothing changes in English): a
    no-break space (U+00A0) before ``:`` and ``»`` and after ``«``, a narrow one (U+202F)
    before ``; ! ?``, where the text has a plain space (or none, before ``; ! ?``)."""
    if language_or_default(language) != "fr" or not text:
        return text

    def before(match: re.Match[str]) -> str:
        mark = match.group(1)
        return ("\u202f" if mark in ";!?" else NO_BREAK_SPACE) + mark

    text = _SPACE_BEFORE.sub(before, text)
    text = _SPACE_AFTER.sub(lambda m: m.group(1) + NO_BREAK_SPACE, text)
    return _NO_SPACE_BEFORE.sub(lambda m: "\u202f" + m.group(1), text)


def punctuation(mark: str, language: str | None) -> str:
    """A mark of French spacing (``: ; ? !``) as a template writes it after a word or a
    translated string: in French with its no-break space before (narrow before ``; ? !``),
    in English as it is (:func:`typography`'s rule)."""
    spaced = typography(f"x {mark}", language)
    return spaced[1:] if spaced != f"x {mark}" else mark


# -- the analysis' parameters in words -------------------------------------------------------

_COMPUTATION_LABELS: Final = {
    "factor_vote": gettext_noop("Weighted vote on the factors"),
    "factor_vote.concordance": gettext_noop("Kendall's W"),
    "structural_analysis": gettext_noop("Structural analysis (MICMAC)"),
    "structural_analysis.selection": gettext_noop("Structural analysis (MICMAC)"),
    "disagreement": gettext_noop("Resampling the experts"),
    "disagreement.bootstrap": gettext_noop("Resampling the experts"),
    "disagreement.leave_one_out": gettext_noop("Leaving one expert out"),
    "disagreement.concordance": gettext_noop("Kendall's W"),
    "disagreement.concordance.kendall": gettext_noop("Kendall's W"),
    "hypotheses": gettext_noop("Votes on the hypotheses"),
    "hypotheses.statistics": gettext_noop("Votes on the hypotheses"),
    "hypotheses.retention": gettext_noop("Retention of a hypothesis"),
    "scenario.coherence.consistency": gettext_noop(
        "Coherence of the scenario (cross-impact balance)"
    ),
    "scenario.coherence.search": gettext_noop("Coherence of the scenario (cross-impact balance)"),
    "impacts": gettext_noop("Impacts on the activities"),
}
_PARAMETER_LABELS: Final = {
    "method": gettext_noop("how the experts vote"),
    "points_per_expert": gettext_noop("points per expert"),
    "allow_unspent": gettext_noop("points may be left unspent"),
    "rank_to_points": gettext_noop("points for each rank"),
    "shortlist_size": gettext_noop("factors kept"),
    "tie_policy": gettext_noop("a tie at the cut"),
    "tie_break": gettext_noop("ties broken by"),
    "higher_is_better": gettext_noop("a higher score ranks first"),
    "tie_correction": gettext_noop("correction for ties"),
    "ranking": gettext_noop("ranks"),
    "p_value_method": gettext_noop("p-value"),
    "measure": gettext_noop("what each expert's ranking compares"),
    "aggregation": gettext_noop("the experts' matrices combined by their"),
    "potential_weight": gettext_noop("weight of a potential influence (P)"),
    "max_power": gettext_noop("highest power of the matrix (indirect influences)"),
    "stable_powers": gettext_noop("powers with the same rankings before stopping"),
    "borderline_tolerance": gettext_noop("borderline: within this share of a mean"),
    "selection_basis": gettext_noop("plane of the selection"),
    "basis": gettext_noop("plane of the selection"),
    "selection_order": gettext_noop("order of the selected factors"),
    "order": gettext_noop("order of the selected factors"),
    "target_count": gettext_noop("number of key factors sought"),
    "rule": gettext_noop("selection rule"),
    "resamples": gettext_noop("resamplings of the panel"),
    "n_resamples": gettext_noop("resamplings of the panel"),
    "seed": gettext_noop("random seed"),
    "rank_interval": gettext_noop("rank interval (percentiles)"),
    "probability_scale": gettext_noop("probability scale"),
    "desirability_scale": gettext_noop("desirability scale"),
    "consensus_max_iqr": gettext_noop("consensus: interquartile range at most"),
    "consensus_rule": gettext_noop("consensus"),
    "quantile_method": gettext_noop("quartiles"),
    "tie_rule": gettext_noop("most probable or most desirable among tied medians"),
    "retention_rule": gettext_noop("rule"),
    "self_impacts": gettext_noop("a hypothesis' impact on its own factor counted"),
    "max_inconsistency": gettext_noop("highest inconsistency of a consistent scenario"),
    "variant_counts": gettext_noop("hypotheses per key factor"),
    "normalise": gettext_noop("competence texts normalised before matching"),
    "competence_match": gettext_noop("competences matched by"),
    "min_answers": gettext_noop("minimum number of answers"),
    "respondents_only": gettext_noop("only this iteration's respondents counted"),
    "iterations": gettext_noop("iterations"),
    "actions_can_reach_desirable": gettext_noop("actions can reach the most desirable hypothesis"),
    "override": gettext_noop("arbitration"),
    "reason": gettext_noop("reason"),
}
_PARAMETER_VALUE_LABELS: Final = {
    "points": gettext_noop("by distributing points"),
    "ranks": gettext_noop("by ranking"),
    "facilitator": gettext_noop("decided by the facilitator"),
    "none": gettext_noop("nothing"),
    "mean": gettext_noop("mean"),
    "median": gettext_noop("median"),
    "direct": gettext_noop("direct influences"),
    "indirect": gettext_noop("indirect influences"),
    "potential_direct": gettext_noop("potential direct influences"),
    "potential_indirect": gettext_noop("potential indirect influences"),
    "influence_minus_dependence": gettext_noop("influence minus dependence"),
    "driving_quadrant": gettext_noop(
        "the driving quadrant: influence above the mean, dependence below the mean"
    ),
    "linear": gettext_noop("linear interpolation (Hyndman & Fan type 7)"),
    "numpy 'linear' (Hyndman & Fan type 7)": gettext_noop(
        "linear interpolation (Hyndman & Fan type 7)"
    ),
    "mid-ranks for ties, rank 1 = best": gettext_noop("mid-ranks for ties, rank 1 the best"),
    "chi-square approximation, chi2 = m (n - 1) W, dof = n - 1": gettext_noop(
        "chi-square approximation (m (n − 1) W, n − 1 degrees of freedom)"
    ),
    "direct influence: mean answered score of the row times (n - 1)": gettext_noop(
        "each factor's direct influence (mean of the expert's answered scores of its row)"
    ),
    "interquartile range <= consensus_max_iqr": gettext_noop(
        "interquartile range at most the threshold"
    ),
    "highest median, then highest mean, then fewest don't-know; still tied: no choice": (
        gettext_noop("highest median, then highest mean, then fewest don't-know; still tied: none")
    ),
    "most desirable if actions can reach it, otherwise most probable; an override with a "
    "reason replaces the rule": gettext_noop(
        "the most desirable hypothesis if actions can reach it, otherwise the most probable; "
        "an arbitration with its reason replaces the rule"
    ),
    "exact text": gettext_noop("their exact text"),
}


def parameter_words(
    computation: str, name: str, value: Any, language: str | None
) -> tuple[str, str, str]:
    """One parameter of the analysis as (computation, setting, value) in words: numbers in
    the language's format, yes/no, coded values by their label; a name or value without a
    label is shown as it is."""
    t = translator(language)
    label = _COMPUTATION_LABELS.get(computation) or _COMPUTATION_LABELS.get(
        computation.split(".")[0], computation
    )
    words = t.gettext(label) if label != computation else computation
    setting = t.gettext(_PARAMETER_LABELS[name]) if name in _PARAMETER_LABELS else name
    return words, setting, _parameter_value(value, language)


def selection_text(parameters: Mapping[str, Any], language: str | None) -> str:
    """How the structural analysis selected its key factors, in a sentence: its rule, plane
    and order in words ("by the rule: the driving quadrant…; on the direct plane; in the
    order of influence minus dependence")."""
    t = translator(language)
    rule = _parameter_value(parameters.get("rule"), language)
    order = _parameter_value(parameters.get("order"), language)
    plane = plane_label(str(parameters.get("basis") or "direct"), language)
    text = t.gettext("by the rule: %(rule)s; on the %(plane)s; in the order of %(order)s") % {
        "rule": rule,
        "plane": plane,
        "order": order,
    }
    return typography(text, language)


def parameter_row_words(name: str, shown: str, language: str | None) -> tuple[str, str]:
    """A row of :func:`flatten_parameters` (a dotted name, a value written as recorded) in
    words: the setting's label (its last part; a name without a label with spaces for
    underscores) and the value as :func:`parameter_words` writes it ("True" is "yes",
    "3.0" is "3", a coded value its label)."""
    key = re.sub(r"\[\d+\]", "", name).split(".")[-1]
    t = translator(language)
    setting = t.gettext(_PARAMETER_LABELS[key]) if key in _PARAMETER_LABELS else key
    value: Any = shown
    if shown in ("True", "False"):
        value = shown == "True"
    else:
        try:
            value = float(shown)
        except ValueError:
            value = shown
        if isinstance(value, float) and not math.isfinite(value):
            value = shown
    return setting.replace("_", " "), _parameter_value(value, language)


def _parameter_value(value: Any, language: str | None) -> str:
    t = translator(language)
    if value is None:
        return EN_DASH
    if isinstance(value, bool):
        return t.gettext("yes") if value else t.gettext("no")
    if _is_number(value):
        return general(float(value), language)
    if isinstance(value, list | tuple):
        return ", ".join(_parameter_value(v, language) for v in value)
    text = str(value)
    return t.gettext(_PARAMETER_VALUE_LABELS[text]) if text in _PARAMETER_VALUE_LABELS else text
