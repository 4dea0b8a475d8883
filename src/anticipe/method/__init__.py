"""The method core: every computation of the Abilitic2Perform method.

Plain functions over numpy arrays, labels at the boundary, plain Python values out.
This package imports numpy and the standard library only -- never Django or any
web code (a test checks it).

Modules, by step of the method:

- :mod:`~anticipe.method.weighted_vote` -- step 2, shortlisting change factors.
- :mod:`~anticipe.method.concordance` -- Kendall's coefficient of concordance W.
- :mod:`~anticipe.method.structural_analysis` -- step 3, MICMAC influence/dependence.
- :mod:`~anticipe.method.disagreement` -- bootstrap and leave-one-expert-out.
- :mod:`~anticipe.method.hypotheses` -- step 4, probability/desirability votes, retention.
- :mod:`~anticipe.method.cross_impact` -- scenario coherence (cross-impact balance).
- :mod:`~anticipe.method.impacts` -- steps 5-6, impacts on activities, competences.
"""

from anticipe.method.errors import MethodInputError

__all__ = ["MethodInputError"]
