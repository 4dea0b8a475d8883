"""Fresh pseudonyms for a study file export.

A study file holds each expert's individual answers (the analysis needs them to be
reproducible) but must not be joinable with the panel page, which shows each expert's
name and code: every export draws a new random pseudonym for each expert (never the
panel's code, never in the panel's order) and lists the experts in the order of their new
pseudonyms, and each step gives those pseudonyms to its experts in an order of its own (a
pseudonym does not follow an expert from one step to the next). Two exports of the same
study use different pseudonyms; their analyses are the same
(:func:`anticipe.study.analysis.analyse_study` does not depend on pseudonyms).
"""

from __future__ import annotations

import copy
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# Letters and digits that cannot be confused when read aloud or printed.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 8  # 32^8: two exports never give an expert the same pseudonym
PREFIX = "X-"


def fresh_pseudonyms(codes: Iterable[str]) -> dict[str, str]:
    """A new random pseudonym for each code: unique, and none of them one of `codes`."""
    codes = list(codes)
    taken = set(codes)
    names: dict[str, str] = {}
    for code in codes:
        name = _draw()
        while name in taken:
            name = _draw()
        taken.add(name)
        names[code] = name
    return names


def _draw() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


# the lists of a study file that name an expert, and the keys that order them
_ANSWERS = (
    ("factor_vote", "ballots"),
    ("structural_analysis", "matrices"),
    ("hypotheses", "votes"),
)


def shuffled(names: list[str]) -> list[str]:
    """`names` in a random order (the system's source of randomness)."""
    return sorted(names, key=lambda _name: secrets.randbits(64))


def step_names(panel: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> dict[str, str]:
    """One step's pseudonyms: the panel's new names given to its experts in another random
    order, among the experts of the same kind (simulated or not, as the panel says), so
    that a pseudonym names one expert within a step and a random one in another."""
    renamed: dict[str, str] = {}
    for simulated in (False, True):
        ids = [e["id"] for e in panel if bool(e.get("simulated")) == simulated]
        renamed |= dict(zip(ids, shuffled([names[i] for i in ids]), strict=True))
    return renamed


def pseudonymised(
    document: Mapping[str, Any], names: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A copy of a study file document with its experts renamed (fresh pseudonyms unless
    `names` maps each expert's id to another) and listed in the order of their new names:
    the panel by id, each step's answers by iteration then expert (the order of one
    expert's answers in an iteration is kept).

    Each step's answers (the weighted vote, the influence matrices, the hypothesis votes)
    take the panel's new names in an order of their own (:func:`step_names`): a pseudonym
    is one expert through a step's iterations, not across steps. With one pseudonym for
    the whole study, who answered which step (which the facilitator knows) would single out
    an expert who skipped one, and give all of their answers; the analysis of each step
    is the same (it never joins an expert's answers of two steps)."""
    renamed = copy.deepcopy(dict(document))
    panel = [dict(expert) for expert in renamed["panel"]]
    if names is None:
        names = fresh_pseudonyms(expert["id"] for expert in panel)
    for expert in renamed["panel"]:
        expert["id"] = names[expert["id"]]
    renamed["panel"].sort(key=lambda expert: expert["id"])
    for section, items in _ANSWERS:
        answers = (renamed.get(section) or {}).get(items)
        if not answers:
            continue
        step = step_names(panel, names)
        for answer in answers:
            answer["expert"] = step[answer["expert"]]
        answers.sort(key=lambda answer: (answer.get("iteration", 1), answer["expert"]))
    return renamed
