"""The fetch-and-authorise every endpoint of an expert's step shares
(:func:`anticipe.workshop.views.expert.common.step_endpoint`), and the one edit/delete of an
expert's own list items (:class:`anticipe.workshop.views.expert.own_answers.OwnAnswers`),
checked on every endpoint of every step."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from anticipe.workshop.models import (
    ActionProposal,
    Expert,
    FactorProposal,
    Hypothesis,
    Round,
    RoundClosed,
    Study,
)
from anticipe.workshop.views.expert.common import step_endpoint
from tests.workshop.conftest import expert_client_for

HTMX = {"HTTP_HX_REQUEST": "true"}

# Every endpoint of a step that takes the round in its URL: its URL name, its step, the
# methods it answers.
ENDPOINTS = [
    ("expert_proposal_add", Round.Step.PROPOSALS, {"POST"}),
    ("expert_vote_save", Round.Step.FACTOR_VOTE, {"POST"}),
    ("expert_matrix_cell_save", Round.Step.INFLUENCE, {"POST"}),
    ("expert_matrix_grid", Round.Step.INFLUENCE, {"GET"}),
    ("expert_matrix_save", Round.Step.INFLUENCE, {"POST"}),
    ("expert_matrix_template", Round.Step.INFLUENCE, {"GET"}),
    ("expert_matrix_upload", Round.Step.INFLUENCE, {"POST"}),
    ("expert_situation_save", Round.Step.SITUATIONS, {"POST"}),
    ("expert_hypothesis_vote_save", Round.Step.HYPOTHESIS_VOTE, {"POST"}),
    ("expert_action_add", Round.Step.ACTIONS, {"POST"}),
    ("expert_impact_save", Round.Step.IMPACTS, {"POST"}),
]
# A valid answer to each endpoint that saves (checked before the round's lock is taken).
VALID = {
    "expert_proposal_add": {"title": "Un facteur"},
    "expert_matrix_cell_save": {"source": "F1", "target": "F2", "value": "1"},
    "expert_situation_save": {"factor": "F1", "current": "Aujourd'hui"},
    "expert_hypothesis_vote_save": {"hypothesis": "F1-A", "probability": "2"},
    "expert_action_add": {"hypothesis": "F1-B", "text": "Former les équipes."},
    "expert_impact_save": {"hypothesis": "F1-B"},
}
POST_ENDPOINTS = [(name, step) for name, step, methods in ENDPOINTS if "POST" in methods]


def new_round(study: Study, step: str) -> Round:
    """A new draft round of `step` (the next iteration if the study already had one)."""
    iteration = study.rounds.filter(step=step).count() + 1
    return Round.objects.create(study=study, step=step, iteration=iteration, settings={})


def open_round(study: Study, step: str) -> Round:
    round_ = new_round(study, step)
    round_.open()
    return round_


def other_step(step: str) -> str:
    return Round.Step.PROPOSALS if step != Round.Step.PROPOSALS else Round.Step.FACTOR_VOTE


def call(client: Client, name: str, round_: Round, method: str, **extra: Any) -> Any:
    target = reverse(f"workshop:{name}", args=[round_.study_id, round_.pk])
    if method == "GET":
        return client.get(target, **extra)
    return client.post(target, VALID.get(name, {}), **extra)


@pytest.mark.parametrize(("name", "step", "methods"), ENDPOINTS)
def test_every_step_endpoint_answers_its_methods_only(
    study: Study, expert_client: Client, name: str, step: str, methods: set[str]
) -> None:
    round_ = open_round(study, step)
    for method in {"GET", "POST"} - methods:
        assert call(expert_client, name, round_, method).status_code == 405


@pytest.mark.parametrize(("name", "step", "methods"), ENDPOINTS)
def test_every_step_endpoint_is_404_for_a_round_of_another_step(
    study: Study, expert_client: Client, name: str, step: str, methods: set[str]
) -> None:
    round_ = open_round(study, other_step(step))
    assert call(expert_client, name, round_, sorted(methods)[0]).status_code == 404


@pytest.mark.parametrize(("name", "step", "methods"), ENDPOINTS)
def test_every_step_endpoint_is_404_for_a_draft_round_and_for_others(
    study: Study,
    other_study: Study,
    expert_client: Client,
    anonymous_client: Client,
    facilitator_client: Client,
    name: str,
    step: str,
    methods: set[str],
) -> None:
    method = sorted(methods)[0]
    draft = new_round(study, step)
    assert call(expert_client, name, draft, method).status_code == 404
    round_ = open_round(study, step)
    for stranger in (anonymous_client, facilitator_client):
        assert call(stranger, name, round_, method).status_code == 404
    elsewhere = open_round(other_study, step)  # a round of another study, with this study's id
    target = reverse(f"workshop:{name}", args=[study.pk, elsewhere.pk])
    response = expert_client.get(target) if method == "GET" else expert_client.post(target)
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "step"), POST_ENDPOINTS)
def test_every_save_after_the_round_closed_is_refused_the_same_way(
    study: Study, expert_client: Client, name: str, step: str
) -> None:
    round_ = open_round(study, step)
    round_.close()
    response = call(expert_client, name, round_, "POST", **HTMX)
    assert response.status_code == 409
    # Beside the answer (the form's own target), and out of band at the top of the page.
    assert "HX-Retarget" not in response
    body = response.content.decode()
    assert "Not saved: this round closed meanwhile. Your earlier answers are kept." in body
    assert '<div id="round-notice" hx-swap-oob="innerHTML">' in body
    assert "This round is closed; your earlier answers are kept." in body
    response = call(expert_client, name, round_, "POST")
    assert response.status_code == 302
    page = expert_client.get(response["Location"]).content.decode()
    assert "This round is closed; your earlier answers are kept." in page


def test_step_endpoint_passes_the_expert_the_round_and_the_url_arguments(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    seen: list[tuple[Expert, Round, int]] = []

    @step_endpoint(Round.Step.ACTIONS, ("GET",))
    def view(request: HttpRequest, expert: Expert, round_: Round, item_id: int) -> HttpResponse:
        seen.append((expert, round_, item_id))
        if item_id == 0:
            raise RoundClosed
        return HttpResponse("ok")

    round_ = open_round(study, Round.Step.ACTIONS)
    request = RequestFactory().get("/")
    request.session = expert_client.session
    response = view(request, study_id=study.pk, round_id=round_.pk, item_id=7)
    assert (response.status_code, response.content) == (200, b"ok")
    assert seen == [(expert, round_, 7)]
    request.META.update(HTMX)
    request.htmx = True  # type: ignore[attr-defined]
    assert view(request, study_id=study.pk, round_id=round_.pk, item_id=0).status_code == 409
    post = RequestFactory().post("/")
    post.session = expert_client.session
    assert view(post, study_id=study.pk, round_id=round_.pk, item_id=7).status_code == 405


# -- an expert's own list items: proposals and actions, one implementation -----------------------


def own_items(study: Study, expert: Expert) -> list[tuple[str, Round, Any, dict[str, str]]]:
    """A proposal and an action of `expert`: (URL prefix, round, item, a valid change)."""
    proposals = open_round(study, Round.Step.PROPOSALS)
    proposal = FactorProposal.objects.create(round=proposals, expert=expert, title="Avant")
    hypothesis = Hypothesis.objects.get(factor__study=study, code="F1-B")  # retained
    actions = open_round(study, Round.Step.ACTIONS)
    action = ActionProposal.objects.create(
        round=actions, expert=expert, hypothesis=hypothesis, text="Avant"
    )
    return [
        ("expert_proposal", proposals, proposal, {"title": "Après", "explanation": ""}),
        ("expert_action", actions, action, {"text": "Après"}),
    ]


def item_url(prefix: str, verb: str, round_: Round, item: Any) -> str:
    return reverse(f"workshop:{prefix}_{verb}", args=[round_.study_id, round_.pk, item.pk])


def test_own_items_are_edited_and_deleted_alike(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    for prefix, round_, item, change in own_items(study, expert):
        edit = item_url(prefix, "edit", round_, item)
        assert expert_client.get(edit).status_code == 200
        bad = dict.fromkeys(change, "")
        assert expert_client.post(edit, bad).status_code == 400
        response = expert_client.post(edit, change)
        assert response.status_code == 302
        assert f"#{prefix.removeprefix('expert_')}-{item.pk}" in response["Location"]
        item.refresh_from_db()
        assert "Après" in (getattr(item, "title", "") or getattr(item, "text", ""))
        response = expert_client.post(item_url(prefix, "delete", round_, item))
        assert response.status_code == 302
        assert not type(item).objects.filter(pk=item.pk).exists()


def test_own_items_are_neither_edited_nor_deleted_by_another_expert_or_once_closed(
    study: Study, expert: Expert
) -> None:
    other = expert_client_for(study.experts.get(code="E2"))
    mine = expert_client_for(expert)
    for prefix, round_, item, change in own_items(study, expert):
        for target in (
            item_url(prefix, "edit", round_, item),
            item_url(prefix, "delete", round_, item),
        ):
            assert other.post(target, change).status_code == 404
        round_.close()
        assert mine.get(item_url(prefix, "edit", round_, item), **HTMX).status_code == 409
        assert mine.post(item_url(prefix, "edit", round_, item), change).status_code == 302
        assert mine.post(item_url(prefix, "delete", round_, item), **HTMX).status_code == 409
        assert type(item).objects.filter(pk=item.pk).exists()
        item.refresh_from_db()
        assert "Avant" in (getattr(item, "title", "") or getattr(item, "text", ""))
