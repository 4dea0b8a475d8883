"""The cached analysis of a study: the method core's numbers for the study's stored answers.

Every number shown on the desk comes from :func:`anticipe.study.analysis.analyse_study` run
on the study as a study file document (:func:`anticipe.workshop.study_format.study_document`,
without the schema check and without the influence matrices). The results are those of the
experts' standing answers over the **closed** iterations of each step
(:mod:`anticipe.study.standing`): a round still open is never read.

The structural analysis (MICMAC with its bootstrap and leave-one-expert-out, the only costly
part) depends only on the influence rounds' answers and the analysis parameters: it is kept
in Django's cache under a key made of the closed rounds and a fingerprint of their answers
(count, last change), so a decision (a key factor, a retained hypothesis) never recomputes
it. The whole analysis is kept under a digest of the document and that key.

The structural analysis is also stored in the database (:class:`StructuralResult`), where
every process and server finds it: it is computed in the background when a round closes or a
decision changes the study (:mod:`anticipe.workshop.tasks.results`), and a page asks for it
with ``wait=False``: when it is not there yet, :class:`ResultsPending` says so instead of
computing it in the request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet

from anticipe.study.analysis import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    StudyAnalysis,
    analyse_influence_matrices,
    analyse_study,
    factor_title,
    key_factor_decisions,
    standing_settings,
)
from anticipe.study.minimum import min_answers
from anticipe.study.standing import iteration_counts, standing_study
from anticipe.workshop.models import InfluenceScore, Round, StructuralResult, Study
from anticipe.workshop.study_format import (
    Document,
    StudyLookups,
    counted_rounds,
    left_out,
    structural_section,
    study_document,
    study_lookups,
)

CACHE_VERSION = "desk-3"  # 3: results below the minimum withheld (vote, structure)
CACHE_SECONDS = 24 * 60 * 60

# the cache key of a round's structural analysis, with its resamples, seed and parameters
StructuralKey = tuple[str, int, int, dict[str, Any]]


def digest(*parts: Any) -> str:
    """A cache key's digest of `parts` (JSON, keys sorted; anything else as its text)."""
    text = json.dumps([CACHE_VERSION, *parts], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def answers_state(answers: QuerySet[Any]) -> dict[str, Any]:
    """The fingerprint of a round's answers: how many, the last change, the last id."""
    return answers.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))


def _disagreement_options(document: Document) -> tuple[int, int, dict[str, Any]]:
    """Bootstrap resamples and seed, and the structural analysis parameters, as
    ``analyse_study`` reads them from the study's parameters."""
    parameters = document.get("parameters", {})
    spread = parameters.get("disagreement", {})
    resamples = int(spread.get("resamples", DEFAULT_RESAMPLES))
    seed = int(spread.get("seed", DEFAULT_SEED))
    return resamples, seed, parameters.get("structural_analysis", {})


def _structural_key(
    study: Study,
    rounds: Sequence[Round],
    codes: list[str],
    document: Document,
    resamples: int | None,
) -> StructuralKey | None:
    """The cache key of the structural analysis of rounds' standing answers (None when
    nobody answered), with the resamples, seed and parameters it is computed with."""
    default_resamples, seed, parameters = _disagreement_options(document)
    resamples = default_resamples if resamples is None else resamples
    states = [
        (r.pk, r.iteration, r.status, r.closed_at, r.respondents_only, answers_state(scores))
        for r in rounds
        for scores in [InfluenceScore.objects.filter(round=r)]
    ]
    if not any(state[-1]["n"] for state in states):
        return None
    key = "anticipe:structural:" + digest(
        study.pk, states, codes, parameters, resamples, seed, min_answers(document)
    )
    return key, resamples, seed, parameters


class ResultsPending(Exception):  # noqa: N818 (a state, not a failure of the code)
    """The structural analysis of the study's current answers is not computed yet: it is
    computed in the background (``key``: its digest, for asking for it)."""

    def __init__(self, study: Study, key: str) -> None:
        super().__init__(f"the structural analysis of study {study.pk} is being computed")
        self.study = study
        self.key = key


def structural_digest(key: StructuralKey) -> str:
    """The digest of a structural analysis' cache key (as stored in the database)."""
    return key[0].removeprefix("anticipe:structural:")


def structural_results(
    study: Study,
    rounds: Sequence[Round],
    codes: list[str],
    document: Document,
    *,
    resamples: int | None = None,
    look: StudyLookups | None = None,
    key: StructuralKey | None = None,
    wait: bool = True,
) -> Mapping[str, Any] | None:
    """``analyse_influence_matrices`` of the standing answers of closed rounds (iterations
    of the influence matrix), with ``iterations``: how many standing answers come from
    each; from the cache or the database when their answers have not changed (None when no
    expert answered). Computed here when ``wait``, else :class:`ResultsPending`."""
    key = key or _structural_key(study, rounds, codes, document, resamples)
    if key is None:
        return None
    name = key[0]
    found: dict[str, Any] | None = cache.get(name)
    if found is not None:
        return found
    stored = StructuralResult.objects.filter(
        study=study, key=structural_digest(key), status=StructuralResult.Status.READY
    ).first()
    if stored is not None:
        result: dict[str, Any] | None = stored.result()
        if result is not None:
            cache.set(name, result, CACHE_SECONDS)
        return result
    if not wait:
        raise ResultsPending(study, structural_digest(key))
    computed = _computed_structure(study, rounds, codes, document, key, look)
    StructuralResult.store(study, structural_digest(key), computed)
    if computed is not None:
        cache.set(name, computed, CACHE_SECONDS)
    return computed


def _computed_structure(
    study: Study,
    rounds: Sequence[Round],
    codes: list[str],
    document: Document,
    key: StructuralKey,
    look: StudyLookups | None,
) -> dict[str, Any] | None:
    """The structural analysis of the rounds' standing answers, computed (seconds)."""
    _name, resamples, seed, parameters = key
    section = structural_section(look or study_lookups(study), rounds, codes)
    every = {"anticipe_study": document["anticipe_study"], "structural_analysis": section}
    matrices = standing_study(every)["structural_analysis"]["matrices"]
    if not matrices:
        return None
    computed = dict(
        analyse_influence_matrices(
            codes,
            matrices,
            parameters=parameters,
            resamples=resamples,
            seed=seed,
            min_answers=min_answers(document),
        )
    )
    computed["iterations"] = iteration_counts(every)["structural_analysis"]
    return computed


@dataclass
class StudyResults:
    """The study's results: the analysis of its closed rounds, and what pages need to name
    things (titles of factors, hypotheses)."""

    study: Study
    iterations: dict[str, list[Round]]  # each step's closed iterations that count, in order
    document: Document
    analysis: Mapping[str, Any]
    key: str = ""  # the analysis' cache key: changes whenever a number or decision changes
    rounds: dict[str, Round | None] = field(init=False)  # each step's latest closed iteration

    def __post_init__(self) -> None:
        self.rounds = {
            step: (found[-1] if found else None) for step, found in self.iterations.items()
        }

    @property
    def factor_titles(self) -> dict[str, str]:
        return {f["code"]: factor_title(f) for f in self.document["factors"]}

    def left_out(self, step: str) -> list[dict[str, int]]:
        """The closed iterations of `step` that do not count
        (:func:`~anticipe.workshop.study_format.left_out`)."""
        return left_out(self.study, step, self.iterations.get(step, []))

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


def study_factor_titles(study: Study) -> dict[str, str]:
    """Each factor's title as shown (the reworded title when there is one), by code."""
    return {
        code: reworded or title
        for code, title, reworded in study.factors.values_list("code", "title", "reworded_title")
    }


def study_results(study: Study, *, wait: bool = True) -> StudyResults:
    """The analysis of the study's closed rounds: equal to
    ``analyse_study(export_study(study))`` when every round is closed.

    The whole analysis is kept in the cache under a digest of the study document (without
    the influence matrices, which the structural analysis' key stands for): a page seen
    again after no change costs the document's few queries, not the computation. Without
    ``wait``, :class:`ResultsPending` when the structural analysis is not computed yet.
    """
    rounds = counted_rounds(study)
    document = study_document(study, rounds, with_matrices=False)
    section = document.get("structural_analysis")
    influence = rounds.get(Round.Step.INFLUENCE, [])
    structural_key = None
    if section and influence:
        structural_key = _structural_key(study, influence, section["factors"], document, None)
    key = "anticipe:analysis:" + digest(document, structural_key[0] if structural_key else None)
    analysis: StudyAnalysis | None = cache.get(key)
    if analysis is None:
        analysis = analyse_study(document)  # first: a document it refuses says why at once
        if section and influence and structural_key is not None:
            both = structural_results(
                study, influence, section["factors"], document, key=structural_key, wait=wait
            )
            if both is not None:
                _with_structure(analysis, document, both)
        cache.set(key, analysis, CACHE_SECONDS)
    return StudyResults(
        study=study, iterations=rounds, document=document, analysis=analysis, key=key
    )


def _with_structure(analysis: StudyAnalysis, document: Document, both: Mapping[str, Any]) -> None:
    """The analysis of a document without matrices completed with its structural analysis
    (as ``analyse_study`` gives it with the matrices)."""
    analysis["structural_analysis"] = both["structural_analysis"]
    analysis["disagreement"] = both["disagreement"]
    analysis["key_factors"] = key_factor_decisions(document, both["structural_analysis"])
    analysis["minimum"]["structural_analysis"] = both["minimum"]
    analysis["iterations"]["structural_analysis"] = both["iterations"]
    analysis["parameters"]["standing_answers"]["structural_analysis"] = standing_settings(
        both["iterations"]
    )
