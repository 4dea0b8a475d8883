"""Anticipe: participatory skills foresight with the Abilitic2Perform method.

The package is organised after the method's steps:

- :mod:`anticipe.method` -- the method core (numpy only, no web code): the weighted
  vote, the structural analysis (MICMAC), expert disagreement, evolution hypotheses,
  cross-impact balance (scenario coherence) and impacts on activities.
- :mod:`anticipe.study` -- the study file (JSON with a published schema), expert
  matrices in CSV/XLSX, and the analysis of a whole study.
- :mod:`anticipe.cli` -- the ``anticipe`` command.

Importing the package keeps numpy's linear algebra (OpenBLAS) to one thread unless the
environment says otherwise (``OPENBLAS_NUM_THREADS``): it only takes effect when numpy is
loaded after it, as in every ``anticipe`` command, the site and its task worker.
docs/architecture.md ("One BLAS thread") gives the measurements behind it.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
