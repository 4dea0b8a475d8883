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
from typing import Any

from anticipe.method.errors import MethodInputError
from anticipe.method.weighted_vote import competition_ranking

__all__ = ["impact_table", "normalise_competence"]

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
    out = [str(c) for c in codes]
    seen: set[str] = set()
    for c in out:
        if not c.strip():
            raise MethodInputError(f"an {what} code is empty")
        if c in seen:
            raise MethodInputError(f"{what} '{c}' appears twice")
        seen.add(c)
    return out


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
) -> dict[str, Any]:
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
    dict
        ``hypotheses``, ``activities`` (lists, as given);
        ``matrix``: list of rows, one per hypothesis, of 0/1 ints, one per
        activity (1 = the hypothesis impacts the activity);
        ``activity_counts``: per activity in input order, ``activity``,
        ``count`` (number of hypotheses impacting it) and ``hypotheses``
        (their codes, in input order);
        ``hypothesis_counts``: per hypothesis in input order, ``hypothesis``,
        ``count`` and ``activities``;
        ``activity_ranking``: activities from most to least impacted with
        ``activity``, ``count``, ``rank`` (competition ranking "1, 2, 2, 4")
        and ``tied`` (bool);
        ``unimpacted_activities``: codes of activities no hypothesis impacts;
        ``competences``: one dict per distinct competence, most frequent
        first (ties in order of first appearance), with ``competence`` (first
        spelling), ``occurrences`` (number of (hypothesis, activity) pairs that
        list it), ``rank``, ``tied``, ``activities`` and ``hypotheses`` (codes,
        in input order) and ``pairs`` (list of ``[hypothesis, activity]``);
        ``parameters``: ``normalise``, ``competence_match``.

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
    h_index = {c: i for i, c in enumerate(hyp_codes)}
    a_index = {c: j for j, c in enumerate(act_codes)}
    matrix = [[0] * len(act_codes) for _ in hyp_codes]
    pair_comps: dict[tuple[int, int], list[str]] = {}
    comp_label: dict[str, str] = {}
    comp_order: list[str] = []
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
        matrix[i][j] = 1
        keys = pair_comps.setdefault((i, j), [])
        for comp in comps:
            if not comp.strip():
                raise MethodInputError(
                    f"an empty competence is listed for hypothesis '{hyp}' and activity '{act}'"
                )
            key = normalise_competence(comp) if normalise else comp
            if key not in comp_label:
                comp_label[key] = comp.strip() if normalise else comp
                comp_order.append(key)
            if key not in keys:
                keys.append(key)

    counts = [sum(matrix[i][j] for i in range(len(hyp_codes))) for j in range(len(act_codes))]
    activity_counts = [
        {
            "activity": act_codes[j],
            "count": counts[j],
            "hypotheses": [hyp_codes[i] for i in range(len(hyp_codes)) if matrix[i][j]],
        }
        for j in range(len(act_codes))
    ]
    hypothesis_counts = [
        {
            "hypothesis": hyp_codes[i],
            "count": sum(matrix[i]),
            "activities": [act_codes[j] for j in range(len(act_codes)) if matrix[i][j]],
        }
        for i in range(len(hyp_codes))
    ]
    order, ranks, tied = competition_ranking([[float(c)] for c in counts])
    activity_ranking = [
        {
            "activity": act_codes[j],
            "count": counts[j],
            "rank": ranks[k],
            "tied": tied[k],
        }
        for k, j in enumerate(order)
    ]

    comp_pairs: dict[str, list[tuple[int, int]]] = {key: [] for key in comp_order}
    for (i, j), keys in sorted(pair_comps.items()):
        for key in keys:
            comp_pairs[key].append((i, j))
    c_order, c_ranks, c_tied = competition_ranking(
        [[float(len(comp_pairs[key]))] for key in comp_order]
    )
    competences = []
    for k, idx in enumerate(c_order):
        key = comp_order[idx]
        pairs = comp_pairs[key]
        competences.append(
            {
                "competence": comp_label[key],
                "occurrences": len(pairs),
                "rank": c_ranks[k],
                "tied": c_tied[k],
                "activities": [act_codes[j] for j in sorted({j for _, j in pairs})],
                "hypotheses": [hyp_codes[i] for i in sorted({i for i, _ in pairs})],
                "pairs": [[hyp_codes[i], act_codes[j]] for i, j in pairs],
            }
        )
    return {
        "hypotheses": hyp_codes,
        "activities": act_codes,
        "matrix": matrix,
        "activity_counts": activity_counts,
        "hypothesis_counts": hypothesis_counts,
        "activity_ranking": activity_ranking,
        "unimpacted_activities": [act_codes[j] for j in range(len(act_codes)) if counts[j] == 0],
        "competences": competences,
        "parameters": {
            "normalise": normalise,
            "competence_match": ("white space and case ignored" if normalise else "exact text"),
        },
    }
