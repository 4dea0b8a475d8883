"""The facilitator's results: the method core's numbers for the study's stored answers.

Every number shown on the desk comes from :func:`anticipe.study.analysis.analyse_study` run
on the study as a study file document, exactly as the command line and the reports compute
it. The results are those of the latest **closed** iteration of each step: a round still
open shows its progress, not its numbers. Only aggregates leave this package: no function
returns an expert's individual answers, except :func:`own_answers` for the expert's own
page.

- :mod:`.cache`: the cached analysis of a study (:func:`study_results`), the structural
  analysis kept in Django's cache and in the database, computed in the background
  (:class:`ResultsPending` while it is not there yet);
- :mod:`.steps`: what each numeric step does with its answers, chosen from one mapping
  keyed by the round's step (:data:`~.steps.STEPS`), each step's rules in its own module
  (:mod:`.factor_vote_round`, :mod:`.influence_round`, :mod:`.hypothesis_vote_round`);
- :mod:`.delphi`: the expert's feedback (after a round, and in the next iteration);
- one module per results page: :mod:`.factor_vote_page`, :mod:`.structural_page`,
  :mod:`.hypotheses_page`, :mod:`.impacts_page`, :mod:`.iterations_page`,
  :mod:`.self_assessment_page` (a self-assessment group's counts as tables) (and
  :mod:`.influence_graphs`: the potential planes, the graphs of influences and the
  structural analysis' charts); what they
  share (:class:`Table`) in :mod:`.tables`, the geometry of their charts in :mod:`.charts`;
- :mod:`.labels`: numbers and labels as the desk writes them.

The names other modules use are importable from here.
"""

from anticipe.workshop.results.cache import (
    ResultsPending,
    StudyResults,
    structural_results,
    study_results,
)
from anticipe.workshop.results.charts import probability_desirability_chart
from anticipe.workshop.results.delphi import (
    DelphiFeedback,
    delphi_feedback,
    earlier_answers,
    feedback_context,
    own_answers,
    previous_iteration,
)
from anticipe.workshop.results.factor_vote_page import vote_page
from anticipe.workshop.results.hypotheses_page import hypotheses_page
from anticipe.workshop.results.hypothesis_vote_round import HALVES
from anticipe.workshop.results.impacts_page import impacts_page
from anticipe.workshop.results.influence_round import influence_feedback
from anticipe.workshop.results.iterations_page import iterations_page
from anticipe.workshop.results.labels import (
    QUADRANT_ORDER,
    aim_label,
    anonymous_texts,
    disagreement_level,
    flatten_parameters,
    number_text,
    quadrant_label,
    scale_range,
)
from anticipe.workshop.results.profile_page import profile_page
from anticipe.workshop.results.steps import NUMERIC_STEPS, STEPS, round_aggregates
from anticipe.workshop.results.structural_page import structure_page
from anticipe.workshop.results.tables import Table
from anticipe.workshop.results.training_page import training_page
from anticipe.workshop.study_format import study_document

__all__ = [
    "HALVES",
    "NUMERIC_STEPS",
    "QUADRANT_ORDER",
    "STEPS",
    "DelphiFeedback",
    "ResultsPending",
    "StudyResults",
    "Table",
    "aim_label",
    "anonymous_texts",
    "delphi_feedback",
    "disagreement_level",
    "earlier_answers",
    "feedback_context",
    "flatten_parameters",
    "hypotheses_page",
    "impacts_page",
    "influence_feedback",
    "iterations_page",
    "number_text",
    "own_answers",
    "previous_iteration",
    "probability_desirability_chart",
    "profile_page",
    "quadrant_label",
    "round_aggregates",
    "scale_range",
    "structural_results",
    "structure_page",
    "study_document",
    "study_results",
    "training_page",
    "vote_page",
]
