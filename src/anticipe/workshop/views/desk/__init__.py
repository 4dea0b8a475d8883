"""The facilitator's desk: the results of each closed round, the projector, the panel's
decisions, the Delphi feedback and the downloads.

Results are computed by the method core (:mod:`anticipe.workshop.results`, which runs
:func:`anticipe.study.analysis.analyse_study` on the study's closed rounds) once per request;
pages only lay them out, with the parameters used.

Who sees what:

- results pages and their downloads: the study's facilitators, and its observers once the
  study is published (:func:`~anticipe.workshop.access.study_with_results`);
- decisions and the projector: facilitators only
  (:func:`~anticipe.workshop.access.facilitated_study`); once the study is published the
  decisions are shown read-only and every change is refused (403);
- the Delphi feedback: the expert of this browser, for a closed round of their study
  (:func:`~anticipe.workshop.access.expert_of_study`).

Anyone else gets a 404. Nobody, facilitators included, sees an expert's individual answers:
pages and downloads show counts, distributions and statistics; the experts' free texts
(situations, actions, impacts) are shown as material without their authors, sorted by text.

Every decision is one POST that does one thing and is recorded in the audit log
(:meth:`~anticipe.workshop.models.AuditEvent.record`) with who, when and why.

The desk is one module per page family: :mod:`.overview`, :mod:`.results_pages`,
:mod:`.projector`, :mod:`.delphi_feedback`, :mod:`.report_files` (the report's files), and
the decisions :mod:`.key_factors`,
:mod:`.hypotheses`, :mod:`.retention`, :mod:`.action_plan`, :mod:`.impacts`,
:mod:`.cross_impacts`, :mod:`.decisions_log`, and the report's own texts
:mod:`.report_chapters`; :mod:`.common` holds what they share.
"""

from __future__ import annotations

from django.urls import URLPattern, path

from anticipe.workshop.views.desk.action_plan import (
    action_add,
    action_delete,
    action_edit,
    action_move,
    action_plan,
    actions_merge,
)
from anticipe.workshop.views.desk.cross_impacts import cross_impacts
from anticipe.workshop.views.desk.decisions_log import decisions_log
from anticipe.workshop.views.desk.delphi_feedback import expert_feedback
from anticipe.workshop.views.desk.factor_proposals import (
    proposal_detach,
    proposals,
    proposals_factor_edit,
    proposals_merge,
)
from anticipe.workshop.views.desk.framework_links import (
    framework_link_add,
    framework_link_remove,
    framework_links,
)
from anticipe.workshop.views.desk.hypotheses import (
    factor_decisions,
    factor_situation,
    hypotheses_merge,
    hypothesis_add,
    hypothesis_delete,
    hypothesis_edit,
    hypothesis_move,
)
from anticipe.workshop.views.desk.impacts import (
    competence_add,
    competence_delete,
    competence_edit,
    impact_add,
    impact_delete,
    impact_edit,
    impacts_table,
)
from anticipe.workshop.views.desk.key_factors import (
    key_factor_add,
    key_factor_move,
    key_factor_remove,
    key_factors,
    key_factors_accept,
)
from anticipe.workshop.views.desk.overview import desk
from anticipe.workshop.views.desk.projector import projector, projector_panel
from anticipe.workshop.views.desk.report_chapters import report_chapters
from anticipe.workshop.views.desk.report_files import (
    report_download,
    report_make,
    report_page,
    report_status,
)
from anticipe.workshop.views.desk.results_pages import (
    results_displacement,
    results_download,
    results_graph,
    results_hypotheses,
    results_impacts,
    results_iterations,
    results_map,
    results_profile,
    results_structure,
    results_training,
    results_vote,
)
from anticipe.workshop.views.desk.retention import (
    factor_reachability,
    retention_clear,
    retention_confirm,
    retention_override,
)
from anticipe.workshop.views.desk.shortlist import shortlist, shortlist_confirm
from anticipe.workshop.views.desk.training import (
    today_add,
    today_remove,
    today_source,
    training_catalogue,
    training_catalogue_remove,
)

_STUDY = "studies/<int:study_id>/"

urlpatterns: list[URLPattern] = [
    path(_STUDY + "desk/", desk, name="desk"),
    path(_STUDY + "results/factor-vote/", results_vote, name="results_vote"),
    path(_STUDY + "results/structural-analysis/", results_structure, name="results_structure"),
    path(
        _STUDY + "results/structural-analysis/map-<str:plane>.svg", results_map, name="results_map"
    ),
    path(
        _STUDY + "results/structural-analysis/displacement-<str:plane>.svg",
        results_displacement,
        name="results_displacement",
    ),
    path(
        _STUDY + "results/structural-analysis/graph-<str:plane>-<int:percent>.svg",
        results_graph,
        name="results_graph",
    ),
    path(_STUDY + "results/hypotheses/", results_hypotheses, name="results_hypotheses"),
    path(_STUDY + "results/actions-and-impacts/", results_impacts, name="results_impacts"),
    path(_STUDY + "results/competence-profile/", results_profile, name="results_profile"),
    path(_STUDY + "results/training-needs/", results_training, name="results_training"),
    path(_STUDY + "results/iterations/<str:step>/", results_iterations, name="results_iterations"),
    path(_STUDY + "results/<str:page>.<str:fmt>", results_download, name="results_download"),
    path(_STUDY + "report/", report_page, name="report"),
    path(_STUDY + "report/files/", report_status, name="report_status"),
    path(_STUDY + "report/<str:format>/make/", report_make, name="report_make"),
    path(_STUDY + "report/<str:format>/download/", report_download, name="report_download"),
    path(_STUDY + "projector/", projector, name="projector"),
    path(_STUDY + "projector/panel/", projector_panel, name="projector_panel"),
    path(_STUDY + "me/rounds/<int:round_id>/feedback/", expert_feedback, name="expert_feedback"),
    path(_STUDY + "decisions/key-factors/", key_factors, name="key_factors"),
    path(_STUDY + "decisions/key-factors/accept/", key_factors_accept, name="key_factors_accept"),
    path(_STUDY + "decisions/key-factors/add/", key_factor_add, name="key_factor_add"),
    path(
        _STUDY + "decisions/key-factors/<int:factor_id>/remove/",
        key_factor_remove,
        name="key_factor_remove",
    ),
    path(
        _STUDY + "decisions/key-factors/<int:factor_id>/move/",
        key_factor_move,
        name="key_factor_move",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/",
        factor_decisions,
        name="factor_decisions",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/situation/",
        factor_situation,
        name="factor_situation",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/hypotheses/add/",
        hypothesis_add,
        name="hypothesis_add",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/hypotheses/merge/",
        hypotheses_merge,
        name="hypotheses_merge",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/reachability/",
        factor_reachability,
        name="factor_reachability",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/retain/",
        retention_confirm,
        name="retention_confirm",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/override/",
        retention_override,
        name="retention_override",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/withdraw/",
        retention_clear,
        name="retention_clear",
    ),
    path(
        _STUDY + "decisions/hypotheses/<int:hypothesis_id>/edit/",
        hypothesis_edit,
        name="hypothesis_edit",
    ),
    path(
        _STUDY + "decisions/hypotheses/<int:hypothesis_id>/delete/",
        hypothesis_delete,
        name="hypothesis_delete",
    ),
    path(
        _STUDY + "decisions/hypotheses/<int:hypothesis_id>/move/",
        hypothesis_move,
        name="hypothesis_move",
    ),
    path(_STUDY + "decisions/actions/", action_plan, name="action_plan"),
    path(
        _STUDY + "decisions/hypotheses/<int:hypothesis_id>/actions/add/",
        action_add,
        name="action_add",
    ),
    path(
        _STUDY + "decisions/hypotheses/<int:hypothesis_id>/actions/merge/",
        actions_merge,
        name="actions_merge",
    ),
    path(_STUDY + "decisions/actions/<int:action_id>/edit/", action_edit, name="action_edit"),
    path(_STUDY + "decisions/actions/<int:action_id>/delete/", action_delete, name="action_delete"),
    path(_STUDY + "decisions/actions/<int:action_id>/move/", action_move, name="action_move"),
    path(_STUDY + "decisions/impacts/", impacts_table, name="impacts_table"),
    path(_STUDY + "decisions/impacts/add/", impact_add, name="impact_add"),
    path(_STUDY + "decisions/impacts/<int:impact_id>/edit/", impact_edit, name="impact_edit"),
    path(_STUDY + "decisions/impacts/<int:impact_id>/delete/", impact_delete, name="impact_delete"),
    path(_STUDY + "decisions/competences/add/", competence_add, name="competence_add"),
    path(
        _STUDY + "decisions/competences/<int:competence_id>/edit/",
        competence_edit,
        name="competence_edit",
    ),
    path(
        _STUDY + "decisions/competences/<int:competence_id>/delete/",
        competence_delete,
        name="competence_delete",
    ),
    path(_STUDY + "decisions/frameworks/", framework_links, name="framework_links"),
    path(
        _STUDY + "decisions/frameworks/<int:competence_id>/add/",
        framework_link_add,
        name="framework_link_add",
    ),
    path(
        _STUDY + "decisions/frameworks/<int:competence_id>/remove/",
        framework_link_remove,
        name="framework_link_remove",
    ),
    path(_STUDY + "decisions/training/", training_catalogue, name="training_catalogue"),
    path(
        _STUDY + "decisions/training/remove/",
        training_catalogue_remove,
        name="training_catalogue_remove",
    ),
    path(_STUDY + "decisions/training/today/add/", today_add, name="today_add"),
    path(_STUDY + "decisions/training/today/remove/", today_remove, name="today_remove"),
    path(_STUDY + "decisions/training/today/source/", today_source, name="today_source"),
    path(_STUDY + "decisions/cross-impacts/", cross_impacts, name="cross_impacts"),
    path(_STUDY + "decisions/log/", decisions_log, name="decisions_log"),
    path(_STUDY + "report/texts/", report_chapters, name="report_chapters"),
    path(_STUDY + "rounds/proposals/", proposals, name="proposals"),
    path(_STUDY + "rounds/proposals/merge/", proposals_merge, name="proposals_merge"),
    path(
        _STUDY + "rounds/proposals/<slug:token>/detach/",
        proposal_detach,
        name="proposal_detach",
    ),
    path(
        _STUDY + "rounds/proposals/factors/<int:factor_id>/",
        proposals_factor_edit,
        name="proposals_factor_edit",
    ),
    path(_STUDY + "rounds/shortlist/", shortlist, name="shortlist"),
    path(
        _STUDY + "rounds/shortlist/confirm/",
        shortlist_confirm,
        name="shortlist_confirm",
    ),
]
