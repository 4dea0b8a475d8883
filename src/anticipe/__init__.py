"""Anticipe: participatory skills foresight with the Abilitic2Perform method.

The package is organised after the method's steps:

- :mod:`anticipe.method` -- the method core (numpy only, no web code): the weighted
  vote, the structural analysis (MICMAC), expert disagreement, evolution hypotheses,
  cross-impact balance (scenario coherence) and impacts on activities.
- :mod:`anticipe.study` -- the study file (JSON with a published schema), expert
  matrices in CSV/XLSX, and the analysis of a whole study.
- :mod:`anticipe.cli` -- the ``anticipe`` command.
"""

__version__ = "0.1.0"
