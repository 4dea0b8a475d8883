"""The simulated experts' influence matrices of the example (step 3).

Ten experts score how much each of the 20 factors (row) influences each other (column),
0-3, ``"P"`` (potential) or don't know (``None``). Their answers are drawn around a
**shared view** of the system, each expert with **individual differences**, and some
cells **contested** by two camps, as a real panel answers:

- the shared view places every factor somewhere on the influence/dependence map
  (:data:`POSITIONS`, in the spirit of the seed report's Graph 1): the nine key factors
  in the driving quadrant, some well inside it and some close to a mean line (A7, A13,
  A20: borderline); A16 influential but dependent (a relay, which the panel added by
  hand); the other factors over the three other quadrants, A10 and A14 close to the
  driving quadrant. A cell's shared level grows with its row's influence and its
  column's dependence, plus a few named strong links (:data:`LINKS`: technology drives
  the smart cities, financing drives the equipment...);
- each expert has a leniency (some score everything higher), a contrast (some use the
  extremes 0 and 3, others stay in the middle), one or two factors they see as more,
  or less, driving than the others do, their own rate of don't-know, and their own
  habit of answering "P" where a link is weak today;
- in about one cell in twelve the panel splits into two camps, one scoring it
  about one point higher than the shared view, the other one point lower;
- every answer carries some noise and is rounded to 0-3.

With the mean aggregation, the direct plane puts exactly the nine key factors in the
driving quadrant and A16 in the relay quadrant; the bootstrap over the experts gives
the borderline factors probabilities between 0 and 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from anticipe.examples.mediateur_numerique import transcription as t

FACTOR_CODES: Final[list[str]] = [factor["code"] for factor in t.FACTORS]

#: The shared view: each factor's influence and dependence, as offsets from the means
#: (about -1 to 1; positive: above the mean).
POSITIONS: Final[dict[str, tuple[float, float]]] = {
    "A1": (1.0, -0.75),  # key factors: driving
    "A6": (0.55, -0.3),
    "A7": (0.5, -0.3),  # close to the mean dependence
    "A8": (0.45, -0.6),
    "A11": (0.35, -0.4),
    "A13": (0.22, -0.7),  # close to the mean influence
    "A15": (0.3, -0.9),
    "A19": (0.8, -0.45),
    "A20": (0.15, -0.2),  # close to both
    "A16": (0.4, 0.15),  # added by the panel: a relay
    "A3": (0.15, 0.7),  # relay
    "A2": (-0.3, 0.6),  # dependent
    "A4": (-0.2, 0.5),
    "A5": (-0.4, 0.15),
    "A9": (-0.5, 0.3),
    "A12": (-0.3, 0.1),
    "A17": (-0.35, 0.45),
    "A10": (-0.01, -0.35),  # autonomous, close to the driving quadrant
    "A14": (-0.03, -0.3),
    "A18": (-0.6, -0.05),
}

#: Named strong links of the shared view (row influences column): added to the level.
LINKS: Final[dict[tuple[str, str], float]] = {
    ("A1", "A15"): 1.0,
    ("A1", "A12"): 0.9,
    ("A1", "A7"): 0.8,
    ("A1", "A14"): 0.7,
    ("A6", "A10"): 1.0,
    ("A6", "A7"): 0.8,
    ("A7", "A3"): 0.8,
    ("A8", "A2"): 1.0,
    ("A8", "A13"): 0.5,
    ("A11", "A5"): 0.8,
    ("A13", "A5"): 1.0,
    ("A13", "A17"): 0.8,
    ("A15", "A3"): 0.7,
    ("A16", "A4"): 1.0,
    ("A16", "A2"): 0.8,
    ("A19", "A20"): 0.9,
    ("A19", "A11"): 0.6,
    ("A20", "A17"): 0.6,
}

BASE_LEVEL: Final[float] = 1.3  #: the shared level of a cell between average factors
SLOPE: Final[float] = 0.95  #: how much a row's influence and a column's dependence add
JITTER: Final[float] = 0.35  #: cell-to-cell variation of the shared view
CONTESTED_SHARE: Final[float] = 0.08  #: cells on which the panel splits into two camps
CAMP_SHIFT: Final[float] = 1.1  #: how far each camp is from the shared view
NOISE: Final[float] = 0.8  #: each answer's own noise (before rounding)


@dataclass(frozen=True)
class ExpertProfile:
    """How one simulated expert answers."""

    leniency: float  #: added to every cell
    contrast: float  #: 1: the shared view's spread; above: more 0s and 3s
    views: dict[int, float]  #: factor index -> added to its row (their own reading)
    unknown_rate: float  #: share of cells left as don't know
    potential_rate: float  #: share of weak cells answered "P"


def expert_profiles(rng: np.random.Generator, count: int) -> list[ExpertProfile]:
    """Each expert's way of answering, drawn once."""
    size = len(FACTOR_CODES)
    profiles = []
    for _ in range(count):
        chosen = rng.choice(size, size=int(rng.integers(1, 4)), replace=False)
        profiles.append(
            ExpertProfile(
                leniency=float(rng.normal(0.0, 0.3)),
                contrast=float(rng.uniform(0.75, 1.35)),
                views={int(k): float(rng.choice([-0.7, 0.7])) for k in chosen},
                unknown_rate=float(rng.choice([0.0, 0.01, 0.01, 0.03])),
                potential_rate=float(rng.choice([0.0, 0.04, 0.08, 0.12])),
            )
        )
    return profiles


def shared_view(rng: np.random.Generator) -> npt.NDArray[np.float64]:
    """The panel's shared levels (floats in [0, 3], zero diagonal)."""
    influence = np.array([POSITIONS[code][0] for code in FACTOR_CODES])
    dependence = np.array([POSITIONS[code][1] for code in FACTOR_CODES])
    level = BASE_LEVEL + SLOPE * (influence[:, None] + dependence[None, :])
    index = {code: k for k, code in enumerate(FACTOR_CODES)}
    for (source, target), extra in LINKS.items():
        level[index[source], index[target]] += extra
    level += rng.uniform(-JITTER, JITTER, size=level.shape)
    shared: npt.NDArray[np.float64] = np.clip(level, 0.0, 3.0)
    np.fill_diagonal(shared, 0.0)
    return shared


def _answers(
    rng: np.random.Generator,
    shared: npt.NDArray[np.float64],
    profile: ExpertProfile,
    camp: npt.NDArray[np.float64],
) -> list[list[int | str | None]]:
    """One expert's matrix: the shared view through their profile, their camp, noise."""
    size = shared.shape[0]
    level = 1.5 + profile.contrast * (shared - 1.5) + profile.leniency + camp
    for factor, extra in profile.views.items():
        level[factor] += extra
    values = np.clip(np.rint(level + rng.normal(0.0, NOISE, level.shape)), 0, 3)
    unknown = rng.random(level.shape) < profile.unknown_rate
    potential = (rng.random(level.shape) < profile.potential_rate) & (values <= 1)
    rows: list[list[int | str | None]] = []
    for i in range(size):
        row: list[int | str | None] = []
        for j in range(size):
            cell: int | str | None = int(values[i, j])
            if i == j:
                cell = 0
            elif unknown[i, j]:
                cell = None
            elif potential[i, j]:
                cell = "P"
            row.append(cell)
        rows.append(row)
    return rows


def influence_matrices(rng: np.random.Generator, experts: Sequence[str]) -> list[dict[str, Any]]:
    """The experts' matrices as study-file sections ``{"expert", "rows"}``."""
    shared = shared_view(rng)
    profiles = expert_profiles(rng, len(experts))
    size = shared.shape[0]
    contested = rng.random((size, size)) < CONTESTED_SHARE
    # in a contested cell each expert is in the camp above (+1) or below (-1)
    camps = np.where(rng.random((len(experts), size, size)) < 0.5, 1.0, -1.0)
    return [
        {
            "expert": expert,
            "rows": _answers(rng, shared, profile, np.where(contested, camps[e], 0.0) * CAMP_SHIFT),
        }
        for e, (expert, profile) in enumerate(zip(experts, profiles, strict=True))
    ]
