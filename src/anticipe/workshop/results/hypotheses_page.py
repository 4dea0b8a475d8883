"""Step 4's results page: per key factor, the probability and desirability of each
hypothesis (distributions, medians, a chart), the rule's proposal and the decision; the
coherence of the retained scenario; and the page's tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from anticipe.workshop.models import Round
from anticipe.workshop.results.cache import StudyResults
from anticipe.workshop.results.charts import probability_desirability_chart
from anticipe.workshop.results.labels import below_minimum, flatten_parameters, scale_range
from anticipe.workshop.results.tables import (
    Table,
    delphi_parameters,
    parameter_table,
    round_info,
)


def hypotheses_page(results: StudyResults) -> dict[str, Any]:
    """Step 4: per key factor, the probability and desirability of each hypothesis, the
    rule's proposal and the decision; the coherence of the retained scenario."""
    analysed = results.analysis["hypotheses"]
    section = results.document.get("hypotheses") or {}
    scenario = results.analysis["scenario"]
    parameters = _hypotheses_parameters(results, analysed)
    minimum = int(results.parameters.get("min_answers", 1))
    page: dict[str, Any] = {
        "blocks": [_hypothesis_block(block, section, minimum) for block in analysed],
        "min_answers": minimum,
        "round": round_info(results.rounds, results.analysis, Round.Step.HYPOTHESIS_VOTE),
        "left_out": results.left_out(Round.Step.HYPOTHESIS_VOTE),
        "scenario": scenario,
        "coherence": _coherence(scenario["coherence"], results.factor_titles),
        "parameters": parameters,
    }
    page["tables"] = [_hypotheses_table(analysed), parameter_table(parameters)]
    if page["coherence"]:
        page["tables"].append(_coherence_table(page["coherence"]))
    return page


def _hypothesis_block(
    block: Mapping[str, Any], section: Mapping[str, Any], minimum: int
) -> dict[str, Any]:
    """A key factor's hypotheses, each with its two panels (probability, desirability),
    the scales and the chart; the questions below the minimum number of answers, and
    whether the rule's proposal is withheld because of them."""
    statistics = block["statistics"]
    p_scale = _scale_of(statistics, "probability", section.get("probability_scale"))
    d_scale = _scale_of(statistics, "desirability", section.get("desirability_scale"))
    rows = [
        {
            **item,
            "panels": [
                (
                    "probability",
                    item["probability"],
                    counts(item["probability"]),
                    "p",
                    _("Probability"),
                ),
                (
                    "desirability",
                    item["desirability"],
                    counts(item["desirability"]),
                    "d",
                    _("Desirability"),
                ),
            ],
        }
        for item in block["hypotheses"]
    ]
    below = _below_minimum(block, minimum)
    retention = block["retention"]
    rule_question = (
        "desirability" if retention and retention["rule"] == "most_desirable" else "probability"
    )
    return {
        **block,
        "rows": rows,
        "below_minimum": below,
        "proposal_withheld": bool(
            retention
            and not retention["proposal"]
            and any(item["question"] == rule_question for item in below)
        ),
        "probability_scale": list(range(p_scale[0], p_scale[1] + 1)),
        "desirability_scale": list(range(d_scale[0], d_scale[1] + 1)),
        "chart": probability_desirability_chart(block, p_scale, d_scale),
    }


def _below_minimum(block: Mapping[str, Any], minimum: int) -> list[dict[str, Any]]:
    """The questions of a factor answered by fewer experts than the minimum, each with the
    reason in words ("2 answers: below the minimum of 3")."""
    statistics = block["statistics"]
    questions = {"probability": _("probability"), "desirability": _("desirability")}
    return [
        {
            **item,
            "question_label": questions[item["question"]],
            "reason": below_minimum(item["n_answers"], minimum),
        }
        for item in (statistics["below_minimum"] if statistics else [])
    ]


def _scale_of(statistics: Mapping[str, Any] | None, name: str, fallback: Any) -> tuple[int, int]:
    if statistics is not None:
        return scale_range(statistics["parameters"][f"{name}_scale"])
    return scale_range(fallback)


def counts(
    stats: Mapping[str, Any] | None, own: int | None = None, *, mark: bool = False
) -> list[dict[str, Any]]:
    """The count of each value of a question's scale (a distribution's bars); with `mark`,
    each says whether it is `own`, the expert's answer. None when withheld (too few
    answers)."""
    if not stats or stats["distribution"] is None:
        return []
    return [
        {"value": value, "count": count, **({"mine": value == own} if mark else {})}
        for value, count in zip(stats["scale_values"], stats["distribution"], strict=True)
    ]


def _hypotheses_parameters(
    results: StudyResults, analysed: list[dict[str, Any]]
) -> list[tuple[str, str]]:
    """The hypotheses' parameters, then those of the first factor's statistics and
    retention (the same for every factor)."""
    parameters = flatten_parameters(results.parameters["hypotheses"])
    for block in analysed:
        if block["statistics"]:
            parameters += flatten_parameters(
                {
                    k: v
                    for k, v in block["statistics"]["parameters"].items()
                    if k not in ("consensus_max_iqr",)
                }
            )
            break
    for block in analysed:
        if block["retention"]:
            parameters.append(
                ("retention_rule", block["retention"]["parameters"]["retention_rule"])
            )
            break
    return parameters + delphi_parameters(results.analysis, Round.Step.HYPOTHESIS_VOTE)


def _hypotheses_table(analysed: list[dict[str, Any]]) -> Table:
    return Table(
        "hypotheses",
        _("Probability and desirability of the hypotheses"),
        [
            _("factor"),
            _("factor title"),
            _("hypothesis"),
            _("label"),
            _("text"),
            _("merged from"),
            *_stat_headers(_("probability")),
            *_stat_headers(_("desirability")),
            _("most probable"),
            _("most desirable"),
            _("retained"),
        ],
        [
            [
                block["factor"],
                block["title"],
                item["code"],
                item["label"],
                item["text"],
                ", ".join(item["merged_from"]),
                *_stat_cells(item["probability"]),
                *_stat_cells(item["desirability"]),
                item["most_probable"],
                item["most_desirable"],
                item["retained"],
            ]
            for block in analysed
            for item in block["hypotheses"]
        ],
    )


def _stat_headers(name: str) -> list[str]:
    # the labels are translated outside the f-string: makemessages does not look inside one
    labels = [
        _("answers"),
        _("don't know"),
        _("no answer"),
        _("distribution"),
        _("median"),
        _("mean"),
        "Q1",
        "Q3",
        _("IQR"),
        _("consensus"),
    ]
    return [f"{name}: {label}" for label in labels]


def _stat_cells(stats: Mapping[str, Any] | None) -> list[Any]:
    if not stats:
        return [None] * 10
    distribution = (
        " ".join(
            f"{value}:{count}"
            for value, count in zip(stats["scale_values"], stats["distribution"], strict=True)
        )
        if stats["distribution"] is not None
        else None
    )
    return [
        stats["n_answers"],
        stats["n_dont_know"],
        stats.get("n_no_answer", 0),
        distribution,
        stats["median"],
        stats["mean"],
        stats["q1"],
        stats["q3"],
        stats["iqr"],
        stats["consensus"],
    ]


def _coherence(
    coherence: Mapping[str, Any] | None, titles: Mapping[str, str]
) -> dict[str, Any] | None:
    if not coherence:
        return None
    consistency = coherence["consistency"]
    descriptors = []
    if consistency:
        inconsistent = set(consistency["inconsistent_descriptors"])
        for index, code in enumerate(consistency["descriptors"]):
            descriptors.append(
                {
                    "code": code,
                    "title": titles.get(code, code),
                    "hypothesis": consistency.get(
                        "variants", [None] * len(consistency["descriptors"])
                    )[index],
                    "inconsistent": code in inconsistent,
                    "gap": consistency["descriptor_inconsistency"][index],
                }
            )
    return {
        "consistency": consistency,
        "descriptors": descriptors,
        "inconsistent": [d for d in descriptors if d["inconsistent"]],
        "scenarios": coherence["consistent_scenarios"],
        "search": coherence["search"],
    }


def _coherence_table(coherence: Mapping[str, Any]) -> Table:
    return Table(
        "coherence",
        _("Coherence of the retained scenario"),
        [_("descriptor"), _("retained hypothesis"), _("consistent"), _("inconsistency")],
        [
            [d["code"], d["hypothesis"], not d["inconsistent"], d["gap"]]
            for d in coherence["descriptors"]
        ],
    )
