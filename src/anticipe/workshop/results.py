"""The facilitator's results: the method core's numbers for the study's stored answers.

Every number shown on the desk comes from :func:`anticipe.study.analysis.analyse_study` run
on the study as a study file document, exactly as the command line and the reports compute
it. This module builds that document from the database and keeps the analysis fast:

- :func:`study_document` writes the same document as
  :func:`anticipe.workshop.study_format.export_study` (tested equal), with a handful of
  ``values_list`` queries whatever the size of the study, and without the schema check (the
  document is made from checked data; the export for download still checks it);
- the results are those of the latest **closed** iteration of each step
  (:func:`closed_rounds`): a round still open shows its progress, not its numbers;
- the structural analysis (MICMAC with its bootstrap and leave-one-expert-out, the only
  costly part) depends only on the influence round's answers and the analysis parameters;
  it is computed by :func:`anticipe.study.analysis.analyse_influence_matrices` and kept in
  Django's cache under a key made of the closed round and a fingerprint of its answers
  (count, last change), so a decision (a key factor, a retained hypothesis) never recomputes
  it. Everything else is recomputed by ``analyse_study`` on every request (milliseconds).

Only aggregates leave this module: no function returns an expert's individual answers,
except :func:`own_answers` for the expert's own page.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anticipe.study.analysis import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    StudyAnalysis,
    analyse_ballots,
    analyse_hypotheses,
    analyse_influence_matrices,
    analyse_study,
    factor_title,
    key_factor_decisions,
)
from anticipe.workshop import rules
from anticipe.workshop.models import (
    Action,
    Expert,
    FactorPoints,
    HypothesisVote,
    InfluenceScore,
    Round,
    Study,
)
from anticipe.workshop.study_format import (
    DEFAULT_SCALE,
    Document,
    StudyLookups,
    ballots_of_round,
    closed_rounds,
    influence_codes,
    influence_matrices,
    iterations,
    study_document,
    study_lookups,
)

# Steps whose answers the method core computes on.
NUMERIC_STEPS = (Round.Step.FACTOR_VOTE, Round.Step.INFLUENCE, Round.Step.HYPOTHESIS_VOTE)
HALVES = ("probability", "desirability")  # the two questions on each hypothesis
CACHE_VERSION = "desk-1"
CACHE_SECONDS = 24 * 60 * 60


# == the analysis =================================================================================


def _digest(*parts: Any) -> str:
    text = json.dumps([CACHE_VERSION, *parts], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _disagreement_options(document: Document) -> tuple[int, int, dict[str, Any]]:
    """Bootstrap resamples and seed, and the structural analysis parameters, as
    ``analyse_study`` reads them from the study's parameters."""
    parameters = document.get("parameters", {})
    spread = parameters.get("disagreement", {})
    resamples = int(spread.get("resamples", DEFAULT_RESAMPLES))
    seed = int(spread.get("seed", DEFAULT_SEED))
    return resamples, seed, parameters.get("structural_analysis", {})


def _structural_key(
    study: Study, round_: Round, codes: list[str], document: Document, resamples: int | None
) -> tuple[str, int, int, dict[str, Any]] | None:
    """The cache key of a round's structural analysis (None when nobody answered), with the
    resamples, seed and parameters it is computed with."""
    default_resamples, seed, parameters = _disagreement_options(document)
    resamples = default_resamples if resamples is None else resamples
    state = InfluenceScore.objects.filter(round=round_).aggregate(
        n=Count("id"), last=Max("updated_at"), top=Max("id")
    )
    if not state["n"]:
        return None
    key = "anticipe:structural:" + _digest(
        study.pk,
        round_.pk,
        round_.status,
        round_.closed_at,
        state,
        codes,
        parameters,
        resamples,
        seed,
    )
    return key, resamples, seed, parameters


def structural_results(
    study: Study,
    round_: Round,
    codes: list[str],
    document: Document,
    *,
    resamples: int | None = None,
    look: StudyLookups | None = None,
    key: tuple[str, int, int, dict[str, Any]] | None = None,
) -> Mapping[str, Any] | None:
    """``analyse_influence_matrices`` of a round's answers, from the cache when its answers
    have not changed (None when no expert answered)."""
    key = key or _structural_key(study, round_, codes, document, resamples)
    if key is None:
        return None
    name, resamples, seed, parameters = key
    found: dict[str, Any] | None = cache.get(name)
    if found is not None:
        return found
    matrices = influence_matrices(look or study_lookups(study), round_, codes)
    if not matrices:
        return None
    computed = analyse_influence_matrices(
        codes, matrices, parameters=parameters, resamples=resamples, seed=seed
    )
    cache.set(name, computed, CACHE_SECONDS)
    return computed


@dataclass
class StudyResults:
    """The study's results: the analysis of its closed rounds, and what pages need to name
    things (titles of factors, hypotheses)."""

    study: Study
    rounds: dict[str, Round | None]
    document: Document
    analysis: Mapping[str, Any]
    key: str = ""  # the analysis' cache key: changes whenever a number or decision changes

    @property
    def factor_titles(self) -> dict[str, str]:
        return {f["code"]: factor_title(f) for f in self.document["factors"]}

    @property
    def hypotheses_by_code(self) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for block in (self.document.get("hypotheses") or {}).get("factors", []):
            for item in block["hypotheses"]:
                found[item["code"]] = {**item, "factor": block["factor"]}
        return found

    @property
    def parameters(self) -> dict[str, Any]:
        parameters: dict[str, Any] = self.analysis["parameters"]
        return parameters


def study_results(study: Study) -> StudyResults:
    """The analysis of the study's closed rounds: equal to
    ``analyse_study(export_study(study))`` when every round is closed.

    The whole analysis is kept in the cache under a digest of the study document (without
    the influence matrices, which the structural analysis' key stands for): a page seen
    again after no change costs the document's few queries, not the computation.
    """
    rounds = closed_rounds(study)
    document = study_document(study, rounds, with_matrices=False)
    section = document.get("structural_analysis")
    influence = rounds.get(Round.Step.INFLUENCE)
    structural_key = None
    if section and influence is not None:
        structural_key = _structural_key(study, influence, section["factors"], document, None)
    key = "anticipe:analysis:" + _digest(document, structural_key[0] if structural_key else None)
    analysis: StudyAnalysis | None = cache.get(key)
    if analysis is None:
        analysis = analyse_study(document)
        if section and influence is not None and structural_key is not None:
            both = structural_results(
                study, influence, section["factors"], document, key=structural_key
            )
            if both is not None:
                analysis["structural_analysis"] = both["structural_analysis"]
                analysis["disagreement"] = both["disagreement"]
                analysis["key_factors"] = key_factor_decisions(
                    document, both["structural_analysis"]
                )
        cache.set(key, analysis, CACHE_SECONDS)
    return StudyResults(study=study, rounds=rounds, document=document, analysis=analysis, key=key)


def full_document(study: Study) -> Document:
    """The study file document of the results (closed rounds), matrices included."""
    return study_document(study, closed_rounds(study))


# == one round's aggregates (Delphi iterations, the expert's feedback) ===========================


def round_aggregates(study: Study, round_: Round) -> dict[str, Any] | None:
    """The group's result of one closed round of a numeric step, computed by the core.

    ``{"step", "round", "factor_vote" | "structural" | "hypotheses": ...}``; None for a
    step without numbers.
    """
    if round_.step not in NUMERIC_STEPS:
        return None
    rounds: dict[str, Round | None] = dict.fromkeys(Round.Step.values)
    rounds[round_.step] = round_
    result: dict[str, Any] = {"step": round_.step, "round": round_}
    if round_.step == Round.Step.FACTOR_VOTE:
        look = study_lookups(study)
        settings = round_.settings
        ballots = ballots_of_round(look, round_)
        result["factor_vote"] = (
            analyse_ballots(
                [f.code for f in look.factors],
                ballots,
                method=settings.get("method", "points"),
                points_per_expert=settings.get("points_per_expert"),
                shortlist_size=settings.get("shortlist_size"),
            )
            if ballots
            else None
        )
    elif round_.step == Round.Step.INFLUENCE:
        look = study_lookups(study)
        codes = influence_codes(look, round_)
        document: Document = {"parameters": study.parameters or {}}
        both = structural_results(study, round_, codes, document, look=look) if codes else None
        result["structural"] = both["structural_analysis"] if both else None
        result["concordance"] = both["disagreement"]["concordance"] if both else None
    else:
        document = study_document(study, rounds, with_matrices=False)
        result["hypotheses"] = analyse_hypotheses(document)
    return result


def own_answers(expert: Expert, round_: Round) -> dict[Any, Any]:
    """The expert's own answers in a round (for their feedback page only)."""
    if round_.step == Round.Step.FACTOR_VOTE:
        return dict(
            FactorPoints.objects.filter(round=round_, expert=expert)
            .select_related("factor")
            .values_list("factor__code", "points")
        )
    if round_.step == Round.Step.INFLUENCE:
        return {
            (source, target): value
            for source, target, value in InfluenceScore.objects.filter(
                round=round_, expert=expert
            ).values_list("source__code", "target__code", "value")
        }
    if round_.step == Round.Step.HYPOTHESIS_VOTE:
        # only the questions answered (None: "don't know"); one not answered has no key
        rows = HypothesisVote.objects.filter(round=round_, expert=expert).values_list(
            "hypothesis__code",
            "probability",
            "desirability",
            "probability_answered",
            "desirability_answered",
        )
        return {
            code: {
                **({"probability": probability} if probability_answered else {}),
                **({"desirability": desirability} if desirability_answered else {}),
            }
            for code, probability, desirability, probability_answered, desirability_answered in rows
        }
    return {}


@dataclass(frozen=True)
class DelphiFeedback:
    """What an expert revising their answers in iteration n of a step sees, next to each
    question, of iteration n-1: the group's figure and their own answer there.

    ``items`` is keyed like the page's questions: a factor's code (factor vote: the group's
    points and the expert's points), a ``(source, target)`` pair (influence: the group's
    mean score and the expert's score, "P" or "?"), a hypothesis' code (``{"probability":
    (median, own, answered), "desirability": (median, own, answered)}``, own None for
    "don't know", answered False for a question the expert did not answer)."""

    round: Round
    items: dict[Any, Any]
    aggregation: str = "mean"  # how the influence scores were aggregated: "mean" or "median"


def previous_iteration(round_: Round) -> Round | None:
    """The closed iteration just before `round_` of its step, if any."""
    if round_.iteration <= 1:
        return None
    return (
        Round.objects.closed()
        .filter(study_id=round_.study_id, step=round_.step, iteration=round_.iteration - 1)
        .first()
    )


def delphi_feedback(expert: Expert, round_: Round) -> DelphiFeedback | None:
    """The feedback of the previous iteration for an expert answering `round_` (None for a
    first iteration or a step without numbers). Only aggregates, and the expert's own
    answers.

    The group's figures of a closed iteration no longer change (its answers are frozen;
    reopening it changes its closing time): they are kept in the cache, so a page costs
    the expert's own answers only."""
    previous = previous_iteration(round_)
    if previous is None or round_.step not in NUMERIC_STEPS:
        return None
    answers = rules.ANSWER_MODELS[round_.step]._default_manager.filter(round=previous)
    state = answers.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    key = "anticipe:delphi:" + _digest(
        expert.study_id,
        previous.pk,
        previous.status,
        previous.closed_at,
        state,
        expert.study.parameters,
    )
    group: tuple[dict[Any, Any], str] | None = cache.get(key)
    if group is None:
        group = _group_figures(expert.study, previous)
        cache.set(key, group, CACHE_SECONDS)
    figures, aggregation = group
    own = own_answers(expert, previous)
    items: dict[Any, Any] = {}
    for question, figure in figures.items():
        if round_.step == Round.Step.FACTOR_VOTE:
            items[question] = (figure, own.get(question, 0))
        elif round_.step == Round.Step.INFLUENCE:
            items[question] = (figure, own.get(question))
        else:
            mine = own.get(question, {})
            items[question] = {
                "answered": question in own,
                **{half: (figure[half], mine.get(half), half in mine) for half in HALVES},
            }
    return DelphiFeedback(round=previous, items=items, aggregation=aggregation)


def _group_figures(study: Study, previous: Round) -> tuple[dict[Any, Any], str]:
    """The group's figure for each question of a closed round (points of a factor, the
    aggregated score of a cell, the medians of a hypothesis), and the influence scores'
    aggregation."""
    aggregates = round_aggregates(study, previous)
    figures: dict[Any, Any] = {}
    aggregation = "mean"
    if aggregates is None:
        return figures, aggregation
    if previous.step == Round.Step.FACTOR_VOTE and aggregates["factor_vote"]:
        for item in aggregates["factor_vote"]["ranking"]:
            figures[item["factor"]] = item["points"]
    elif previous.step == Round.Step.INFLUENCE and aggregates["structural"]:
        structural = aggregates["structural"]
        aggregation = structural["parameters"].get("aggregation", "mean")
        codes = structural["factors"]
        for i, source in enumerate(codes):
            for j, target in enumerate(codes):
                if i != j:
                    figures[source, target] = structural["matrix"][i][j]
    elif previous.step == Round.Step.HYPOTHESIS_VOTE:
        for block in aggregates["hypotheses"]:
            for item in block["hypotheses"]:
                if item["merged_from"] or not item["probability"]:
                    continue
                figures[item["code"]] = {half: item[half]["median"] for half in HALVES}
    return figures, aggregation


# == helpers for pages ============================================================================


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
    if isinstance(scale, Mapping):
        return int(scale["min"]), int(scale["max"])
    if isinstance(scale, Sequence) and len(scale) == 2:
        return int(scale[0]), int(scale[1])
    return DEFAULT_SCALE["min"], DEFAULT_SCALE["max"]


# == pages: what each results page shows, and its downloadable tables ===========================


@dataclass
class Table:
    """A table of aggregates, as shown on a page and downloaded as CSV or XLSX."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _round_info(round_: Round | None) -> dict[str, Any] | None:
    if round_ is None:
        return None
    return {"round": round_, "iteration": round_.iteration, "closed_at": round_.closed_at}


def vote_page(results: StudyResults) -> dict[str, Any]:
    """Step 2: the ranked factors with points and support, the cut at N, Kendall's W."""
    vote = results.analysis["factor_vote"]
    page: dict[str, Any] = {
        "vote": vote,
        "round": _round_info(results.rounds.get(Round.Step.FACTOR_VOTE)),
        "tables": [],
    }
    if vote is None:
        return page
    titles = results.factor_titles
    tally = {item["factor"]: item for item in vote["tally"]}
    shortlist = vote["shortlist"]
    selected = set(shortlist["selected"]) if shortlist else set()
    tied_at_cut = set(shortlist["tied_at_cut"]) if shortlist else set()
    kept = set((results.document.get("factor_vote") or {}).get("shortlist", []))
    rows = []
    for item in vote["ranking"]:
        code = item["factor"]
        rows.append(
            {
                "code": code,
                "title": titles.get(code, code),
                "rank": item["rank"],
                "tied": item["tied"],
                "points": item["points"],
                "support": item["support"],
                "mean": tally[code]["mean"],
                "within_cut": code in selected,
                "tied_at_cut": code in tied_at_cut,
                "kept": code in kept,
            }
        )
    cut_after = None
    if shortlist and rows:
        above = [row for row in rows if row["within_cut"] and not row["tied_at_cut"]]
        cut_after = rows[len(above) - 1]["code"] if above else None
    page.update(
        rows=rows,
        shortlist=shortlist,
        cut_after=cut_after,
        ballots=len(vote["experts"]),
        concordance=vote["concordance"],
        parameters=flatten_parameters(vote["parameters"])
        + flatten_parameters(vote["concordance"]["parameters"], "concordance"),
    )
    page["tables"] = [
        Table(
            "factor_vote",
            _("Weighted vote on the change factors"),
            [
                _("rank"),
                _("tied"),
                _("code"),
                _("factor"),
                _("points"),
                _("experts who gave points"),
                _("mean points per expert"),
                _("within the cut"),
                _("tied at the cut"),
                _("kept"),
            ],
            [
                [
                    r["rank"],
                    r["tied"],
                    r["code"],
                    r["title"],
                    r["points"],
                    r["support"],
                    r["mean"],
                    r["within_cut"],
                    r["tied_at_cut"],
                    r["kept"],
                ]
                for r in rows
            ],
        ),
        Table(
            "concordance",
            _("Kendall's W"),
            [
                _("W"),
                _("chi-square"),
                _("degrees of freedom"),
                _("p-value"),
                _("experts"),
                _("factors"),
            ],
            [
                [
                    vote["concordance"]["w"],
                    vote["concordance"]["chi2"],
                    vote["concordance"]["dof"],
                    vote["concordance"]["p_value"],
                    vote["concordance"]["m"],
                    vote["concordance"]["n"],
                ]
            ],
        ),
        _parameter_table(page["parameters"]),
    ]
    return page


def _parameter_table(rows: list[tuple[str, str]]) -> Table:
    return Table(
        "parameters", _("Parameters"), [_("parameter"), _("value")], [list(r) for r in rows]
    )


def structure_page(results: StudyResults) -> dict[str, Any]:
    """Step 3: direct and indirect planes, displacement, disagreement, bootstrap."""
    sa = results.analysis["structural_analysis"]
    spread = results.analysis["disagreement"] or {}
    page: dict[str, Any] = {
        "structural": sa,
        "round": _round_info(results.rounds.get(Round.Step.INFLUENCE)),
        "tables": [],
    }
    if sa is None:
        return page
    titles = results.factor_titles
    codes: list[str] = sa["factors"]
    keys = {k["code"]: k for k in results.analysis["key_factors"]}
    bootstrap = spread.get("bootstrap")
    probability = bootstrap["selection_probability"] if bootstrap else {}
    intervals = bootstrap["rank_intervals"] if bootstrap else {}
    direct, indirect = sa["direct"], sa["indirect"]
    rows = []
    for code in codes:
        key = keys.get(code)
        rows.append(
            {
                "code": code,
                "title": titles.get(code, code),
                "direct_influence": direct["influence"][code],
                "direct_dependence": direct["dependence"][code],
                "direct_influence_rank": direct["influence_rank"][code],
                "direct_dependence_rank": direct["dependence_rank"][code],
                "direct_quadrant": direct["quadrant"][code],
                "direct_quadrant_label": quadrant_label(direct["quadrant"][code]),
                "direct_borderline": direct["borderline"][code],
                "indirect_influence": indirect["influence"][code],
                "indirect_dependence": indirect["dependence"][code],
                "indirect_influence_rank": indirect["influence_rank"][code],
                "indirect_dependence_rank": indirect["dependence_rank"][code],
                "indirect_quadrant": indirect["quadrant"][code],
                "indirect_quadrant_label": quadrant_label(indirect["quadrant"][code]),
                "indirect_borderline": indirect["borderline"][code],
                "influence_shift": sa["displacement"][code]["influence"],
                "dependence_shift": sa["displacement"][code]["dependence"],
                "score": sa["selection"]["scores"].get(code),
                "proposed": code in sa["selection"]["selected"],
                "key_origin": key["origin"] if key and key.get("decided") else "",
                "selection_probability": probability.get(code),
                "influence_interval": intervals.get("indirect_influence", {}).get(code),
                "dependence_interval": intervals.get("indirect_dependence", {}).get(code),
            }
        )
    dispersion = sa["dispersion"]
    heat = [
        {"code": code, "cells": heat_cells_html(code, codes, i, sa)} for i, code in enumerate(codes)
    ]
    concordance = spread.get("concordance") or {}
    leave_one_out = spread.get("leave_one_out")
    parameters = flatten_parameters(sa["parameters"])
    parameters += flatten_parameters(results.parameters["disagreement"], "disagreement")
    if bootstrap:
        parameters.append(
            (
                "bootstrap.rank_interval",
                "–".join(f"{v:g}" for v in bootstrap["parameters"]["rank_interval"]),
            )
        )
    if concordance.get("parameters"):
        parameters += flatten_parameters(concordance["parameters"], "concordance")
    page.update(
        codes=codes,
        rows=rows,
        rows_by_indirect=sorted(rows, key=lambda r: r["indirect_influence_rank"]),
        heat=heat,
        levels=[
            {"level": 0, "label": _("the experts agree (IQR 0)")},
            {"level": 1, "label": _("some spread (IQR up to 1)")},
            {"level": 2, "label": _("disagreement (IQR over 1, up to 2)")},
            {"level": 3, "label": _("strong disagreement (IQR over 2)")},
        ],
        kendall=concordance.get("kendall"),
        selection=sa["selection"],
        bootstrap=bootstrap,
        changed_by_count=len(leave_one_out["selection_changed_by"]) if leave_one_out else None,
        experts_count=len(sa["experts"]),
        unanswered=len(sa["unanswered_cells"]),
        displacement_chart=displacement_chart(sa, keys),
        parameters=parameters,
    )
    page["tables"] = [
        Table(
            "planes",
            _("Direct and indirect planes"),
            [
                _("code"),
                _("factor"),
                _("direct influence"),
                _("direct dependence"),
                _("direct influence rank"),
                _("direct dependence rank"),
                _("direct quadrant"),
                _("indirect influence"),
                _("indirect dependence"),
                _("indirect influence rank"),
                _("indirect dependence rank"),
                _("indirect quadrant"),
                _("influence rank shift (direct to indirect)"),
                _("dependence rank shift (direct to indirect)"),
                _("selection score"),
                _("proposed by the analysis"),
                _("key factor"),
                _("bootstrap probability of selection"),
                _("indirect influence rank: low"),
                _("indirect influence rank: median"),
                _("indirect influence rank: high"),
                _("indirect dependence rank: low"),
                _("indirect dependence rank: median"),
                _("indirect dependence rank: high"),
            ],
            [
                [
                    r["code"],
                    r["title"],
                    r["direct_influence"],
                    r["direct_dependence"],
                    r["direct_influence_rank"],
                    r["direct_dependence_rank"],
                    r["direct_quadrant_label"],
                    r["indirect_influence"],
                    r["indirect_dependence"],
                    r["indirect_influence_rank"],
                    r["indirect_dependence_rank"],
                    r["indirect_quadrant_label"],
                    r["influence_shift"],
                    r["dependence_shift"],
                    r["score"],
                    r["proposed"],
                    r["key_origin"],
                    r["selection_probability"],
                    *_interval(r["influence_interval"]),
                    *_interval(r["dependence_interval"]),
                ]
                for r in rows
            ],
        ),
        Table(
            "mean_matrix",
            _("Mean influence per cell"),
            [_("row influences column"), *codes],
            [[code, *sa["matrix"][i]] for i, code in enumerate(codes)],
        ),
        Table(
            "disagreement",
            _("Disagreement per cell (interquartile range)"),
            [_("row influences column"), *codes],
            [[code, *dispersion["iqr"][i]] for i, code in enumerate(codes)],
        ),
        _parameter_table(parameters),
    ]
    return page


def number_text(value: float | None, places: int, separator: str, *, trim: bool = False) -> str:
    """A number as the pages write it (like the ``floatformat`` filter, much faster for the
    hundreds of cells of a matrix): `places` decimals, none for a whole number when `trim`."""
    if value is None:
        return "–"
    if trim and float(value).is_integer():
        return str(int(value))
    return f"{value:.{places}f}".replace(".", separator)


def cell_title(patterns: dict[int, str], answers: int) -> str:
    """The title of a heat map cell for its number of answers, translated once per number."""
    if answers not in patterns:
        patterns[answers] = ngettext(
            "mean %(mean)s, %(n)s answer", "mean %(mean)s, %(n)s answers", answers
        )
    return patterns[answers]


def heat_cells_html(code: str, codes: list[str], i: int, sa: Mapping[str, Any]) -> SafeString:
    """The cells of one row of the disagreement heat map, as HTML (built here rather than in
    the template: a 30-factor matrix has 870 cells). The level is a class and the value is
    written in the cell, so the shade never carries the meaning alone."""
    separator = str(formats.get_format("DECIMAL_SEPARATOR"))
    patterns: dict[int, str] = {}  # the cell's title, by number of answers (plural forms)
    iqr_row = sa["dispersion"]["iqr"][i]
    answers_row = sa["dispersion"]["n_answers"][i]
    mean_row = sa["matrix"][i]
    cells = []
    for j, target in enumerate(codes):
        iqr = iqr_row[j]
        if i == j:
            cells.append('<td class="diagonal">—</td>')
        elif iqr is None:
            cells.append('<td class="unanswered">?</td>')
        else:
            cells.append(
                format_html(
                    '<td class="level-{}" data-key="iqr.{}.{}" data-value="{}" title="{}">{}</td>',
                    disagreement_level(iqr),
                    code,
                    target,
                    repr(iqr),
                    cell_title(patterns, answers_row[j])
                    % {"mean": number_text(mean_row[j], 2, separator), "n": answers_row[j]},
                    number_text(iqr, 1, separator, trim=True),
                )
            )
    return mark_safe("".join(cells))  # constant cells, or made by format_html


def _interval(interval: Mapping[str, Any] | None) -> list[Any]:
    if not interval:
        return [None, None, None]
    return [interval["low"], interval["median"], interval["high"]]


def _scale_of(statistics: Mapping[str, Any] | None, name: str, fallback: Any) -> tuple[int, int]:
    if statistics is not None:
        return scale_range(statistics["parameters"][f"{name}_scale"])
    return scale_range(fallback)


def hypotheses_page(results: StudyResults) -> dict[str, Any]:
    """Step 4: per key factor, the probability and desirability of each hypothesis, the
    rule's proposal and the decision; the coherence of the retained scenario."""
    section = results.document.get("hypotheses") or {}
    blocks = []
    table_rows = []
    for block in results.analysis["hypotheses"]:
        statistics = block["statistics"]
        p_scale = _scale_of(statistics, "probability", section.get("probability_scale"))
        d_scale = _scale_of(statistics, "desirability", section.get("desirability_scale"))
        rows = []
        for item in block["hypotheses"]:
            rows.append(
                {
                    **item,
                    "panels": [
                        (
                            "probability",
                            item["probability"],
                            _counts(item["probability"]),
                            "p",
                            _("Probability"),
                        ),
                        (
                            "desirability",
                            item["desirability"],
                            _counts(item["desirability"]),
                            "d",
                            _("Desirability"),
                        ),
                    ],
                }
            )
            table_rows.append(
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
            )
        blocks.append(
            {
                **block,
                "rows": rows,
                "probability_scale": list(range(p_scale[0], p_scale[1] + 1)),
                "desirability_scale": list(range(d_scale[0], d_scale[1] + 1)),
                "chart": probability_desirability_chart(block, p_scale, d_scale),
            }
        )
    scenario = results.analysis["scenario"]
    coherence = scenario["coherence"]
    titles = results.factor_titles
    parameters = flatten_parameters(results.parameters["hypotheses"])
    for block in results.analysis["hypotheses"]:
        if block["statistics"]:
            parameters += flatten_parameters(
                {
                    k: v
                    for k, v in block["statistics"]["parameters"].items()
                    if k not in ("consensus_max_iqr",)
                }
            )
            break
    for block in results.analysis["hypotheses"]:
        if block["retention"]:
            parameters.append(
                ("retention_rule", block["retention"]["parameters"]["retention_rule"])
            )
            break
    page: dict[str, Any] = {
        "blocks": blocks,
        "round": _round_info(results.rounds.get(Round.Step.HYPOTHESIS_VOTE)),
        "scenario": scenario,
        "coherence": _coherence(coherence, titles),
        "parameters": parameters,
    }
    page["tables"] = [
        Table(
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
            table_rows,
        ),
        _parameter_table(parameters),
    ]
    if page["coherence"]:
        page["tables"].append(
            Table(
                "coherence",
                _("Coherence of the retained scenario"),
                [_("descriptor"), _("retained hypothesis"), _("consistent"), _("inconsistency")],
                [
                    [d["code"], d["hypothesis"], not d["inconsistent"], d["gap"]]
                    for d in page["coherence"]["descriptors"]
                ],
            )
        )
    return page


def _counts(stats: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    if not stats:
        return []
    return [
        {"value": value, "count": count}
        for value, count in zip(stats["scale_values"], stats["distribution"], strict=True)
    ]


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
    distribution = " ".join(
        f"{value}:{count}"
        for value, count in zip(stats["scale_values"], stats["distribution"], strict=True)
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


def impacts_page(results: StudyResults) -> dict[str, Any]:
    """Steps 5-6: the action plan, the hypothesis x activity table, the competences."""
    analysis = results.analysis
    hypotheses = results.hypotheses_by_code
    titles = results.factor_titles
    activities = results.document["perimeter"]["activities"]
    activity_titles = {a["code"]: a["title"] for a in activities}
    retained = [
        {
            "factor": item["factor"],
            "factor_title": titles.get(item["factor"], item["factor"]),
            "hypothesis": item["hypothesis"],
            "label": hypotheses.get(item["hypothesis"] or "", {}).get("label", ""),
            "text": hypotheses.get(item["hypothesis"] or "", {}).get("text", ""),
        }
        for item in analysis["scenario"]["retained"]
    ]
    actions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for action in results.document.get("actions", []):
        actions[action["hypothesis"]].append(action)
    plan = [{**r, "actions": actions.get(r["hypothesis"] or "", [])} for r in retained]
    other_actions = [
        {"hypothesis": code, "label": hypotheses.get(code, {}).get("label", ""), "actions": items}
        for code, items in actions.items()
        if code not in {r["hypothesis"] for r in retained}
    ]
    impacts = analysis["impacts"]
    page: dict[str, Any] = {
        "plan": plan,
        "other_actions": other_actions,
        "impacts": impacts,
        "tables": [],
    }
    action_rows = [
        [r["factor"], r["hypothesis"], r["label"], aim_label(a.get("aim")), a["text"]]
        for r in plan
        for a in r["actions"]
    ]
    page["tables"].append(
        Table(
            "actions",
            _("Action plan"),
            [_("factor"), _("hypothesis"), _("label"), _("aim"), _("action")],
            action_rows,
        )
    )
    if impacts is None:
        return page
    counts = {item["activity"]: item for item in impacts["activity_counts"]}
    ranking = {item["activity"]: item for item in impacts["activity_ranking"]}
    columns = [
        {
            "code": code,
            "label": hypotheses.get(code, {}).get("label", ""),
            "factor": hypotheses.get(code, {}).get("factor", ""),
        }
        for code in impacts["hypotheses"]
    ]
    table = []
    for column_index, code in enumerate(impacts["activities"]):
        table.append(
            {
                "code": code,
                "title": activity_titles.get(code, code),
                "cells": [
                    bool(impacts["matrix"][row][column_index]) for row in range(len(columns))
                ],
                "count": counts[code]["count"],
                "rank": ranking[code]["rank"],
                "tied": ranking[code]["tied"],
            }
        )
    texts = impacts["competence_texts"]
    competences = [
        {
            **item,
            "text": texts.get(item["competence"], item["competence"]),
            "activity_titles": [activity_titles.get(a, a) for a in item["activities"]],
        }
        for item in impacts["competences"]
    ]
    page.update(columns=columns, table=table, competences=competences)
    page["parameters"] = flatten_parameters(impacts["parameters"])
    page["tables"] += [
        Table(
            "impacts",
            _("Impacts of the retained hypotheses on the activities"),
            [_("activity"), _("title"), *[c["code"] for c in columns], _("count"), _("rank")],
            [
                [r["code"], r["title"], *[1 if c else 0 for c in r["cells"]], r["count"], r["rank"]]
                for r in table
            ],
        ),
        Table(
            "competences",
            _("Competences gathered"),
            [
                _("code"),
                _("competence"),
                _("occurrences"),
                _("rank"),
                _("activities"),
                _("hypotheses"),
            ],
            [
                [
                    c["competence"],
                    c["text"],
                    c["occurrences"],
                    c["rank"],
                    ", ".join(c["activities"]),
                    ", ".join(c["hypotheses"]),
                ]
                for c in competences
            ],
        ),
        _parameter_table(page["parameters"]),
    ]
    return page


# == charts drawn as SVG in the page (presentation attributes and classes, no inline style) ==


CHART_SIZE = 360
CHART_MARGIN = 48


def _axis(value: float, low: float, high: float, start: float, length: float) -> float:
    if high == low:
        return start + length / 2
    return start + (value - low) / (high - low) * length


def probability_desirability_chart(
    block: Mapping[str, Any], p_scale: tuple[int, int], d_scale: tuple[int, int]
) -> dict[str, Any] | None:
    """Geometry of the probability x desirability chart of one key factor: each voted
    hypothesis at its medians, with its interquartile ranges; hypotheses at the same point
    share one marker and one label."""
    size, margin = CHART_SIZE, CHART_MARGIN
    inner = size - 2 * margin
    points: dict[tuple[float, float], dict[str, Any]] = {}
    for item in block["hypotheses"]:
        p, d = item["probability"], item["desirability"]
        if not p or not d or p["median"] is None or d["median"] is None:
            continue
        x = _axis(p["median"], p_scale[0], p_scale[1], margin, inner)
        y = _axis(d["median"], d_scale[0], d_scale[1], size - margin, -inner)
        point = points.setdefault(
            (round(x, 2), round(y, 2)),
            {
                "x": x,
                "y": y,
                "labels": [],
                "marks": set(),
                "p_low": _axis(p["q1"], p_scale[0], p_scale[1], margin, inner),
                "p_high": _axis(p["q3"], p_scale[0], p_scale[1], margin, inner),
                "d_low": _axis(d["q1"], d_scale[0], d_scale[1], size - margin, -inner),
                "d_high": _axis(d["q3"], d_scale[0], d_scale[1], size - margin, -inner),
            },
        )
        point["labels"].append(item["label"])
        if item["most_probable"]:
            point["marks"].add("probable")
        if item["most_desirable"]:
            point["marks"].add("desirable")
        if item["retained"]:
            point["marks"].add("retained")
    if not points:
        return None
    ticks_x = [
        {"value": v, "at": _axis(v, p_scale[0], p_scale[1], margin, inner)}
        for v in range(p_scale[0], p_scale[1] + 1)
    ]
    ticks_y = [
        {"value": v, "at": _axis(v, d_scale[0], d_scale[1], size - margin, -inner)}
        for v in range(d_scale[0], d_scale[1] + 1)
    ]
    return {
        "size": size,
        "left": margin,
        "right": size - margin,
        "top": margin,
        "bottom": size - margin,
        "middle": size / 2,
        "ticks_x": ticks_x,
        "ticks_y": ticks_y,
        "points": [
            {
                **point,
                "label": " · ".join(point["labels"]),
                "classes": " ".join(sorted(point["marks"])),
            }
            for point in points.values()
        ],
    }


def displacement_chart(sa: Mapping[str, Any], keys: Mapping[str, Any]) -> dict[str, Any]:
    """Geometry of the displacement chart: each factor from its direct position to its
    indirect position (dependence across, influence up)."""
    size, margin = CHART_SIZE * 1.5, CHART_MARGIN
    inner = size - 2 * margin
    direct, indirect = sa["direct"], sa["indirect"]
    codes = sa["factors"]
    xs = [direct["dependence"][c] for c in codes] + [indirect["dependence"][c] for c in codes]
    ys = [direct["influence"][c] for c in codes] + [indirect["influence"][c] for c in codes]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    arrows = []
    for code in codes:
        arrows.append(
            {
                "code": code,
                "x1": _axis(direct["dependence"][code], x0, x1, margin, inner),
                "y1": _axis(direct["influence"][code], y0, y1, size - margin, -inner),
                "x2": _axis(indirect["dependence"][code], x0, x1, margin, inner),
                "y2": _axis(indirect["influence"][code], y0, y1, size - margin, -inner),
                "key": code in keys,
            }
        )
    return {
        "size": size,
        "left": margin,
        "right": size - margin,
        "top": margin,
        "bottom": size - margin,
        "inner": inner,
        "mean_x": _axis(direct["means"]["dependence"], x0, x1, margin, inner),
        "mean_y": _axis(direct["means"]["influence"], y0, y1, size - margin, -inner),
        "arrows": arrows,
    }


# == Delphi: iterations side by side, the expert's feedback ======================================


def iterations_page(study: Study, step: str) -> dict[str, Any]:
    """The aggregates of every closed iteration of a step, side by side."""
    rounds = iterations(study, step)
    aggregates = [round_aggregates(study, round_) for round_ in rounds]
    page: dict[str, Any] = {"rounds": rounds, "step": step, "rows": [], "tables": []}
    labels = [f"{_('iteration')} {r.iteration}" for r in rounds]
    if step == Round.Step.FACTOR_VOTE:
        per: dict[str, list[dict[str, Any] | None]] = defaultdict(lambda: [None] * len(rounds))
        for k, found in enumerate(aggregates):
            vote = found["factor_vote"] if found else None
            for item in vote["ranking"] if vote else []:
                per[item["factor"]][k] = item
        titles = {
            code: reworded or title
            for code, title, reworded in study.factors.values_list(
                "code", "title", "reworded_title"
            )
        }
        page["rows"] = [
            {"code": code, "title": titles.get(code, code), "cells": cells}
            for code, cells in sorted(
                per.items(), key=lambda kv: (kv[1][-1] or {"rank": 10**6})["rank"]
            )
        ]
        page["concordance"] = [
            (found["factor_vote"] or {}).get("concordance") if found else None
            for found in aggregates
        ]
        page["tables"] = [
            Table(
                "iterations",
                _("Weighted vote, iteration by iteration"),
                [
                    _("code"),
                    _("factor"),
                    *[f"{label}: {name}" for label in labels for name in (_("points"), _("rank"))],
                ],
                [
                    [
                        row["code"],
                        row["title"],
                        *[
                            value
                            for cell in row["cells"]
                            for value in ((cell["points"], cell["rank"]) if cell else (None, None))
                        ],
                    ]
                    for row in page["rows"]
                ],
            )
        ]
    elif step == Round.Step.HYPOTHESIS_VOTE:
        hypotheses: dict[str, dict[str, Any]] = {}
        cells: dict[str, list[dict[str, Any] | None]] = defaultdict(lambda: [None] * len(rounds))
        for k, found in enumerate(aggregates):
            for block in found["hypotheses"] if found else []:
                for item in block["hypotheses"]:
                    if item["merged_from"]:
                        continue
                    hypotheses.setdefault(
                        item["code"], {**item, "factor": block["factor"], "title": block["title"]}
                    )
                    cells[item["code"]][k] = {
                        "probability": item["probability"],
                        "desirability": item["desirability"],
                    }
        page["rows"] = [
            {**hypotheses[code], "cells": cells[code]} for code in hypotheses if code in cells
        ]

        def stat(cell: dict[str, Any] | None, name: str, key: str) -> Any:
            if not cell or not cell[name]:
                return None
            return cell[name][key]

        page["tables"] = [
            Table(
                "iterations",
                _("Hypothesis votes, iteration by iteration"),
                [
                    _("factor"),
                    _("hypothesis"),
                    _("label"),
                    *[
                        f"{label}: {name}"
                        for label in labels
                        for name in (
                            _("probability median"),
                            _("probability IQR"),
                            _("desirability median"),
                            _("desirability IQR"),
                        )
                    ],
                ],
                [
                    [
                        row["factor"],
                        row["code"],
                        row["label"],
                        *[
                            value
                            for cell in row["cells"]
                            for value in (
                                stat(cell, "probability", "median"),
                                stat(cell, "probability", "iqr"),
                                stat(cell, "desirability", "median"),
                                stat(cell, "desirability", "iqr"),
                            )
                        ],
                    ]
                    for row in page["rows"]
                ],
            )
        ]
    elif step == Round.Step.INFLUENCE:
        grids: list[dict[tuple[str, str], tuple[float, float | None]]] = []
        page["selections"] = []
        page["concordance"] = []
        for found in aggregates:
            sa = found["structural"] if found else None
            grid: dict[tuple[str, str], tuple[float, float | None]] = {}
            if sa:
                for i, source in enumerate(sa["factors"]):
                    for j, target in enumerate(sa["factors"]):
                        if i != j:
                            grid[(source, target)] = (
                                sa["matrix"][i][j],
                                sa["dispersion"]["iqr"][i][j],
                            )
            grids.append(grid)
            page["selections"].append(sa["selection"]["selected"] if sa else [])
            concordance = found.get("concordance") if found else None
            page["concordance"].append(concordance["kendall"] if concordance else None)
        cells_all = sorted({cell for grid in grids for cell in grid})
        moved: list[dict[str, Any]] = []
        for cell in cells_all:
            values = [grid.get(cell) for grid in grids]
            means = [v[0] for v in values if v is not None]
            if len(means) > 1 and max(means) - min(means) > 1e-9:
                moved.append(
                    {
                        "source": cell[0],
                        "target": cell[1],
                        "cells": values,
                        "change": means[-1] - means[0],
                    }
                )
        moved.sort(key=lambda row: (-abs(row["change"]), row["source"], row["target"]))
        page["rows"] = moved
        page["unchanged"] = len(cells_all) - len(moved)
        page["tables"] = [
            Table(
                "iterations",
                _("Influence matrix, iteration by iteration (cells whose mean moved)"),
                [
                    _("row factor"),
                    _("column factor"),
                    *[
                        f"{label}: {name}"
                        for label in labels
                        for name in (_("mean"), _("interquartile range"))
                    ],
                ],
                [
                    [
                        row["source"],
                        row["target"],
                        *[
                            value
                            for cell in row["cells"]
                            for value in (cell if cell is not None else (None, None))
                        ],
                    ]
                    for row in moved
                ],
            )
        ]
    page["parameters"] = _iteration_parameters(aggregates)
    page["tables"].append(_parameter_table(page["parameters"]))
    return page


def _iteration_parameters(aggregates: list[dict[str, Any] | None]) -> list[tuple[str, str]]:
    """The parameters of the computations behind the iterations (the same for each)."""
    for found in reversed(aggregates):
        if not found:
            continue
        if found.get("factor_vote"):
            return flatten_parameters(found["factor_vote"]["parameters"])
        if found.get("structural"):
            return flatten_parameters(found["structural"]["parameters"])
        for block in found.get("hypotheses") or []:
            if block["statistics"]:
                return flatten_parameters(block["statistics"]["parameters"])
    return []


def feedback_context(expert: Expert, round_: Round) -> dict[str, Any]:
    """The group's result of a closed round next to the expert's own answers."""
    study = expert.study
    aggregates = round_aggregates(study, round_)
    own = own_answers(expert, round_)
    context: dict[str, Any] = {"study": study, "round": round_, "expert": expert, "kind": None}
    if aggregates is None:
        return context
    titles = {
        code: reworded or title
        for code, title, reworded in study.factors.values_list("code", "title", "reworded_title")
    }
    if round_.step == Round.Step.FACTOR_VOTE and aggregates["factor_vote"]:
        vote = aggregates["factor_vote"]
        context["kind"] = "factor_vote"
        context["rows"] = [
            {
                **item,
                "title": titles.get(item["factor"], item["factor"]),
                "own": own.get(item["factor"], 0),
            }
            for item in vote["ranking"]
        ]
        context["concordance"] = vote["concordance"]
    elif round_.step == Round.Step.INFLUENCE and aggregates["structural"]:
        sa = aggregates["structural"]
        context["kind"] = "influence"
        context.update(influence_feedback(sa, own, titles))
    elif round_.step == Round.Step.HYPOTHESIS_VOTE:
        context["kind"] = "hypotheses"
        blocks = []
        for block in aggregates["hypotheses"]:
            rows = []
            for item in block["hypotheses"]:
                if item["merged_from"] or not item["probability"]:
                    continue
                mine = own.get(item["code"], {})
                rows.append(
                    {
                        **item,
                        "answered": item["code"] in own,
                        "own_probability": mine.get("probability"),
                        "own_desirability": mine.get("desirability"),
                        "panels": [
                            (
                                item["probability"],
                                _marked_counts(item["probability"], mine.get("probability")),
                                "p",
                                _("Probability"),
                                mine.get("probability"),
                                "probability" in mine,
                            ),
                            (
                                item["desirability"],
                                _marked_counts(item["desirability"], mine.get("desirability")),
                                "d",
                                _("Desirability"),
                                mine.get("desirability"),
                                "desirability" in mine,
                            ),
                        ],
                    }
                )
            if rows:
                blocks.append({**block, "rows": rows})
        context["blocks"] = blocks
    return context


def influence_feedback(
    sa: Mapping[str, Any], own: Mapping[tuple[str, str], str], titles: Mapping[str, str]
) -> dict[str, Any]:
    """The influence matrix's feedback: a compact grid (the expert's score over the group's
    mean, in every cell) built here as HTML to stay light on a phone (a 20-factor matrix
    has 380 cells), and the list of the expert's scores at least 1 away from the mean."""
    value_labels = {value: str(label) for value, label in InfluenceScore.Value.choices}
    shown = {"0": "0", "1": "1", "2": "2", "3": "3", "P": "P", "?": "?"}
    separator = str(formats.get_format("DECIMAL_SEPARATOR"))
    codes: list[str] = sa["factors"]
    rows = []
    far = []
    for i, source in enumerate(codes):
        cells = []
        for j, target in enumerate(codes):
            if i == j:
                cells.append("<td>—</td>")
                continue
            mine = own.get((source, target))
            mean = sa["matrix"][i][j]
            numeric = int(mine) if mine in ("0", "1", "2", "3") else None
            mean_text = number_text(mean, 1, separator)
            is_far = numeric is not None and abs(numeric - mean) >= 1
            if is_far:
                far.append(
                    {
                        "source": source,
                        "target": target,
                        "own": value_labels.get(mine or "", "–"),
                        "mean": number_text(mean, 2, separator),
                    }
                )
            cells.append(
                format_html(
                    "<td{}>{}{}<small>{}</small></td>",
                    mark_safe(' class="far"') if is_far else "",
                    "≠" if is_far else "",
                    shown.get(mine or "", "–"),
                    mean_text,
                )
            )
        rows.append({"code": source, "cells": mark_safe("".join(cells))})
    return {
        "codes": codes,
        "factors": [{"code": code, "title": titles.get(code, code)} for code in codes],
        "grid": rows,
        "far": far,
        "cells_count": len(codes) * (len(codes) - 1),
        "experts_count": len(sa["experts"]),
    }


def _marked_counts(stats: dict[str, Any] | None, own: int | None) -> list[dict[str, Any]]:
    if not stats:
        return []
    return [
        {"value": value, "count": count, "mine": value == own}
        for value, count in zip(stats["scale_values"], stats["distribution"], strict=True)
    ]
