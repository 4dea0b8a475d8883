"""The expert's pages: every round answered from a phone.

Experts have no account: :func:`~anticipe.workshop.access.expert_of_study` finds the expert
of this browser (404 for anyone else, facilitators included). :func:`expert_home` lists what
is open and what is closed, with the expert's progress; :func:`answer` is the page of one
round, for its step of the method (one module of this package per step); small endpoints save
one answer each. Every form works without JavaScript (POST, then back to the page); with htmx
the same endpoints answer with a small partial (saved state and progress).

Every save runs in a transaction that first locks the round
(:meth:`~anticipe.workshop.models.Round.lock_for_answer`): an answer that arrives after the
round closed is refused (409 for htmx) and nothing is half-saved; answers are written with
``update_or_create`` on their unique keys, so concurrent saves never lose one. Answers can be
revised until the round closes; a closed round shows the expert's own answers, read-only.
An expert only ever sees their own answers.

The package: :mod:`.common` (what the pages share, and the registry of the steps),
:mod:`.home`, then one module per step of the method: :mod:`.proposals`,
:mod:`.factor_vote`, :mod:`.influence_matrix`, :mod:`.situations`,
:mod:`.hypothesis_votes`, :mod:`.actions`, :mod:`.impacts` (each registers its page and
its progress in :data:`.common.STEPS` when imported, which this module does).
"""

from __future__ import annotations

from django.urls import URLPattern, path

from anticipe.workshop.views.expert.actions import action_add, action_delete, action_edit
from anticipe.workshop.views.expert.factor_vote import vote_save
from anticipe.workshop.views.expert.home import answer, expert_home
from anticipe.workshop.views.expert.hypothesis_votes import (
    hypothesis_vote_save,
    hypothesis_votes_confirm,
)
from anticipe.workshop.views.expert.impacts import impact_save
from anticipe.workshop.views.expert.influence_matrix import (
    matrix_cell_save,
    matrix_confirm,
    matrix_grid,
    matrix_save,
    matrix_template,
    matrix_upload,
)
from anticipe.workshop.views.expert.proposals import proposal_add, proposal_delete, proposal_edit
from anticipe.workshop.views.expert.situations import situation_save

_ROUND = "studies/<int:study_id>/me/rounds/<int:round_id>/"

urlpatterns: list[URLPattern] = [
    path("studies/<int:study_id>/me/", expert_home, name="expert_home"),
    path(_ROUND, answer, name="expert_answer"),
    path(_ROUND + "proposals/", proposal_add, name="expert_proposal_add"),
    path(_ROUND + "proposals/<int:proposal_id>/", proposal_edit, name="expert_proposal_edit"),
    path(
        _ROUND + "proposals/<int:proposal_id>/delete/",
        proposal_delete,
        name="expert_proposal_delete",
    ),
    path(_ROUND + "vote/", vote_save, name="expert_vote_save"),
    path(_ROUND + "matrix/cell/", matrix_cell_save, name="expert_matrix_cell_save"),
    path(_ROUND + "matrix/grid/", matrix_grid, name="expert_matrix_grid"),
    path(_ROUND + "matrix/confirm/", matrix_confirm, name="expert_matrix_confirm"),
    path(_ROUND + "matrix/", matrix_save, name="expert_matrix_save"),
    path(_ROUND + "matrix/template.xlsx", matrix_template, name="expert_matrix_template"),
    path(_ROUND + "matrix/upload/", matrix_upload, name="expert_matrix_upload"),
    path(_ROUND + "situations/", situation_save, name="expert_situation_save"),
    path(_ROUND + "hypotheses/", hypothesis_vote_save, name="expert_hypothesis_vote_save"),
    path(
        _ROUND + "hypotheses/confirm/",
        hypothesis_votes_confirm,
        name="expert_hypothesis_votes_confirm",
    ),
    path(_ROUND + "actions/", action_add, name="expert_action_add"),
    path(_ROUND + "actions/<int:action_id>/", action_edit, name="expert_action_edit"),
    path(_ROUND + "actions/<int:action_id>/delete/", action_delete, name="expert_action_delete"),
    path(_ROUND + "impacts/", impact_save, name="expert_impact_save"),
]
