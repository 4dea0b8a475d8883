"""Steps 5-6 of the method: impacts of the retained hypotheses on activities, competences.

For each retained hypothesis the panel points to the activities of the job
(the perimeter) it will strongly affect, and for each such (hypothesis,
activity) pair lists the competences the activity will need in that new
context (the seed report's Table 5). From these links :func:`impact_table`
builds the hypothesis x activity table, counts how many hypotheses impact each
activity (in the seed, "accompagner" is impacted by seven), ranks the
activities by that count, and counts how often each competence recurs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from anticipe.method.errors import MethodInputError
from anticipe.method.validation import unique_codes
from anticipe.method.weighted_vote import competition_ranking

__all__ = [
    "ActivityCount",
    "ActivityRank",
    "CompetenceRow",
    "HypothesisCount",
    "ImpactParameters",
    "ImpactTable",
    "impact_table",
    "normalise_competence",
]

Link = tuple[str, str] | tuple[str, str, Sequence[str]] | Mapping[str, Any]

_SPACES = re.compile(r"\s+")


def normalise_competence(text: str) -> str:
    """The key under which two competence texts count as the same competence.

    Surrounding spaces removed, inner runs of white space made one space,
    case folded (``"Être capable de s'adapter."`` and ``"être capable de
    s'adapter."`` match). Punctuation and accents are kept.
    """
    return _SPACES.sub(" ", text).strip().casefold()


def _codes(codes: Sequence[str], what: str) -> list[str]:
    return unique_codes(codes, what, article="an")


class ActivityCount(TypedDict):
    """How many hypotheses impact one activity (input order)."""

    activity: str
    count: int
    hypotheses: list[str]  #: their codes, in input order


class HypothesisCount(TypedDict):
    """How many activities one hypothesis impacts (input order)."""

    hypothesis: str
    count: int
    activities: list[str]


class ActivityRank(TypedDict):
    """One activity's place, from the most to the least impacted."""

    activity: str
    count: int
    rank: int  #: competition ranking "1, 2, 2, 4"
    tied: bool


class CompetenceRow(TypedDict):
    """One distinct competence, most frequent first (ties in order of first appearance)."""

    competence: str  #: its first spelling
    occurrences: int  #: (hypothesis, activity) pairs that list it
    rank: int
    tied: bool
    activities: list[str]  #: codes, in input order
    hypotheses: list[str]  #: codes, in input order
    pairs: list[list[str]]  #: ``[hypothesis, activity]``


class ImpactParameters(TypedDict):
    """The options of :func:`impact_table` (its ``parameters``)."""

    normalise: bool
    competence_match: str


class ImpactTable(TypedDict):
    """The result of :func:`impact_table`."""

    hypotheses: list[str]  #: as given
    activities: list[str]  #: as given
    matrix: list[list[int]]  #: hypothesis x activity, 1 = the hypothesis impacts it
    activity_counts: list[ActivityCount]
    hypothesis_counts: list[HypothesisCount]
    activity_ranking: list[ActivityRank]
    unimpacted_activities: list[str]
    competences: list[CompetenceRow]
    parameters: ImpactParameters


def _unpack(link: Link, position: int) -> tuple[str, str, list[str]]:
    if isinstance(link, Mapping):
        try:
            hyp, act = link["hypothesis"], link["activity"]
        except KeyError as exc:
            raise MethodInputError(f"impact link {position + 1} has no {exc.args[0]!r}") from exc
        comps = link.get("competences") or []
    else:
        if len(link) not in (2, 3):
            raise MethodInputError(
                f"impact link {position + 1} must be (hypothesis, activity) or "
                "(hypothesis, activity, competences)"
            )
        hyp, act = link[0], link[1]
        comps = link[2] if len(link) == 3 else []
    if isinstance(comps, str):
        comps = [comps]
    return str(hyp), str(act), [str(c) for c in comps]


def impact_table(
    hypotheses: Sequence[str],
    activities: Sequence[str],
    links: Iterable[Link],
    *,
    normalise: bool = True,
) -> ImpactTable:
    """Hypothesis x activity impacts and the competences they call for.

    Parameters
    ----------
    hypotheses : sequence of str
        Codes of the retained hypotheses (unique).
    activities : sequence of str
        Codes of the job's activities (unique).
    links : iterable
        One entry per impact: ``(hypothesis, activity)``, ``(hypothesis,
        activity, competences)`` or a mapping with keys ``"hypothesis"``,
        ``"activity"`` and optionally ``"competences"``; competences are a list
        of strings (texts or framework codes) or one string. A pair given
        more than once counts once; its competences are pooled.
    normalise : bool, default True
        Match competences by :func:`normalise_competence` (white space and
        case ignored); each is reported with its first spelling. False: exact
        text match.

    Returns
    -------
    ImpactTable
        The hypothesis x activity table, the counts per activity and per
        hypothesis, the activities ranked by count, and the competences by
        recurrence.

    Raises
    ------
    MethodInputError
        An unknown hypothesis or activity code, duplicate codes, a malformed
        link or an empty competence.

    References
    ----------
    .. [1] Le Forem (2018). *Médiateur numérique, un métier d'avenir ?*,
       section 5 and Table 5 (impacts on activities and competences).
    """
    hyp_codes = _codes(hypotheses, "hypothesis")
    act_codes = _codes(activities, "activity")
    links_read = _read_links(hyp_codes, act_codes, links, normalise)
    matrix = links_read.matrix
    counts = [sum(row[j] for row in matrix) for j in range(len(act_codes))]
    order, ranks, tied = competition_ranking([[float(c)] for c in counts])
    return {
        "hypotheses": hyp_codes,
        "activities": act_codes,
        "matrix": matrix,
        "activity_counts": [
            {
                "activity": act_codes[j],
                "count": counts[j],
                "hypotheses": [hyp_codes[i] for i in range(len(hyp_codes)) if matrix[i][j]],
            }
            for j in range(len(act_codes))
        ],
        "hypothesis_counts": [
            {
                "hypothesis": hyp_codes[i],
                "count": sum(matrix[i]),
                "activities": [act_codes[j] for j in range(len(act_codes)) if matrix[i][j]],
            }
            for i in range(len(hyp_codes))
        ],
        "activity_ranking": [
            {"activity": act_codes[j], "count": counts[j], "rank": ranks[k], "tied": tied[k]}
            for k, j in enumerate(order)
        ],
        "unimpacted_activities": [act_codes[j] for j in range(len(act_codes)) if counts[j] == 0],
        "competences": _competences(links_read, hyp_codes, act_codes),
        "parameters": {
            "normalise": normalise,
            "competence_match": ("white space and case ignored" if normalise else "exact text"),
        },
    }


@dataclass
class _Links:
    """The links read: the 0/1 table, each pair's competence keys, each key's spelling."""

    matrix: list[list[int]]
    pair_competences: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    label: dict[str, str] = field(default_factory=dict)  # key -> first spelling
    order: list[str] = field(default_factory=list)  # keys in order of first appearance


def _read_links(
    hyp_codes: list[str], act_codes: list[str], links: Iterable[Link], normalise: bool
) -> _Links:
    h_index = {c: i for i, c in enumerate(hyp_codes)}
    a_index = {c: j for j, c in enumerate(act_codes)}
    out = _Links([[0] * len(act_codes) for _ in hyp_codes])
    for position, link in enumerate(links):
        hyp, act, comps = _unpack(link, position)
        if hyp not in h_index:
            raise MethodInputError(
                f"impact link {position + 1} names hypothesis '{hyp}', which is not "
                "among the retained hypotheses"
            )
        if act not in a_index:
            raise MethodInputError(
                f"impact link {position + 1} names activity '{act}', which is not "
                "among the activities"
            )
        i, j = h_index[hyp], a_index[act]
        out.matrix[i][j] = 1
        keys = out.pair_competences.setdefault((i, j), [])
        for comp in comps:
            if not comp.strip():
                raise MethodInputError(
                    f"an empty competence is listed for hypothesis '{hyp}' and activity '{act}'"
                )
            key = normalise_competence(comp) if normalise else comp
            if key not in out.label:
                out.label[key] = comp.strip() if normalise else comp
                out.order.append(key)
            if key not in keys:
                keys.append(key)
    return out


def _competences(links: _Links, hyp_codes: list[str], act_codes: list[str]) -> list[CompetenceRow]:
    comp_pairs: dict[str, list[tuple[int, int]]] = {key: [] for key in links.order}
    for (i, j), keys in sorted(links.pair_competences.items()):
        for key in keys:
            comp_pairs[key].append((i, j))
    c_order, c_ranks, c_tied = competition_ranking(
        [[float(len(comp_pairs[key]))] for key in links.order]
    )
    competences: list[CompetenceRow] = []
    for k, idx in enumerate(c_order):
        key = links.order[idx]
        pairs = comp_pairs[key]
        competences.append(
            {
                "competence": links.label[key],
                "occurrences": len(pairs),
                "rank": c_ranks[k],
                "tied": c_tied[k],
                "activities": [act_codes[j] for j in sorted({j for _, j in pairs})],
                "hypotheses": [hyp_codes[i] for i in sorted({i for i, _ in pairs})],
                "pairs": [[hyp_codes[i], act_codes[j]] for i, j in pairs],
            }
        )
    return competences
