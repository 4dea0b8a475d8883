"""The method core: every computation of the Abilitic2Perform method.

Plain functions over numpy arrays, labels at the boundary, plain Python values out.
This package imports numpy and the standard library only -- never Django or any
web code (a test checks it).

Modules, by step of the method:

- :mod:`~anticipe.method.weighted_vote` -- step 2, shortlisting change factors.
- :mod:`~anticipe.method.concordance` -- Kendall's coefficient of concordance W.
- :mod:`~anticipe.method.structural_analysis` -- step 3, MICMAC influence/dependence;
  it re-exports :mod:`~anticipe.method.aggregation` (checks and cell-by-cell aggregation
  of the experts' matrices) and uses :mod:`~anticipe.method.indirect_influence` (the
  successive powers of the influence matrix).
- :mod:`~anticipe.method.influence_graph` -- step 3, the graphs of direct and indirect
  influences (the strongest links of a matrix or of its power).
- :mod:`~anticipe.method.disagreement` -- bootstrap and leave-one-expert-out.
- :mod:`~anticipe.method.hypotheses` -- step 4, probability/desirability votes, retention.
- :mod:`~anticipe.method.cross_impact` -- scenario coherence (cross-impact balance).
- :mod:`~anticipe.method.impacts` -- steps 5-6, impacts on activities, competences.
- :mod:`~anticipe.method.validation` -- input checks shared by the steps.

Every result is a ``TypedDict`` declared beside the function that returns it (for
example :class:`~anticipe.method.weighted_vote.WeightedVote`): its keys are the
documentation of the result.
"""

from anticipe.method.errors import MethodInputError

__all__ = ["MethodInputError"]
