"""The study's analysis computed in the background: when a round closes or a decision changes
it, stored where every process finds it, and never computed in a results page's request."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import AuditEvent, InfluenceScore, Round, StructuralResult, Study
from anticipe.workshop.results import cache as results_cache
from anticipe.workshop.tasks import results as results_tasks

POLL = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "results-pending"}


def _forget(study: Study) -> None:
    """As on a server that never computed the study's analysis."""
    StructuralResult.objects.filter(study=study).delete()
    cache.clear()


def _no_bootstrap_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the structural analysis was computed in the request")

    monkeypatch.setattr(results_cache, "analyse_influence_matrices", refuse)


def _close_influence_round(client: Client, study: Study, capture: Any) -> None:
    round_ = study.rounds.filter(step=Round.Step.INFLUENCE).order_by("-iteration").first()
    assert round_ is not None
    round_.open()
    with capture(execute=True):
        response = client.post(reverse("workshop:round_close", args=[study.pk, round_.pk]))
    assert response.status_code == 302


def test_closing_a_round_enqueues_the_analysis(
    study: Study,
    facilitator_client: Client,
    queued_only: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _close_influence_round(facilitator_client, study, django_capture_on_commit_callbacks)
    queued = [r for r in queued_only.results if r.task.name == "refresh_study_results"]
    assert [r.args for r in queued] == [[study.pk]]


def test_closing_a_round_computes_the_analysis_and_the_page_reads_it(
    study: Study,
    facilitator_client: Client,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _forget(study)
    _close_influence_round(facilitator_client, study, django_capture_on_commit_callbacks)
    assert StructuralResult.objects.filter(study=study, status="ready").count() == 1
    cache.clear()  # another process: only the database has it
    _no_bootstrap_here(monkeypatch)
    page = facilitator_client.get(reverse("workshop:results_structure", args=[study.pk]))
    assert page.status_code == 200
    assert b"results-pending" not in page.content
    assert b"quadrant" in page.content


def test_an_action_that_cannot_change_the_results_enqueues_nothing(
    study: Study, queued_only: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        AuditEvent.record(study, None, "reminders_sent", experts=3)
        AuditEvent.record(study, None, "key_factor_added", code="F1")
    assert [r.args for r in queued_only.results] == [[study.pk]]


def test_a_decision_invalidates_and_recomputes(
    study: Study, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    results_tasks.refresh_study_results.call(study.pk)
    before = set(StructuralResult.objects.filter(study=study).values_list("key", "content"))
    # an expert's answers erased: another state of the answers, another analysis
    score = InfluenceScore.objects.filter(round__study=study, value__gt=0).first()
    assert score is not None
    InfluenceScore.objects.filter(round=score.round, expert=score.expert).delete()
    computed: list[int] = []
    analyse = results_cache.analyse_influence_matrices
    monkeypatch.setattr(
        results_cache,
        "analyse_influence_matrices",
        lambda *a, **k: computed.append(1) or analyse(*a, **k),
    )
    with django_capture_on_commit_callbacks(execute=True):
        AuditEvent.record(study, None, "expert_erased", expert=score.expert.code)
    assert computed == [1]
    after = set(StructuralResult.objects.filter(study=study).values_list("key", "content"))
    assert len(after - before) == 1
    assert all(
        status == "ready" for status in study.structural_results.values_list("status", flat=True)
    )


def test_a_cold_page_says_being_computed_then_shows_the_result(
    study: Study, facilitator_client: Client, queued_only: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forget(study)
    url = reverse("workshop:results_structure", args=[study.pk])
    with monkeypatch.context() as patched:
        _no_bootstrap_here(patched)
        page = facilitator_client.get(url)
        assert page.status_code == 200
        assert b'id="results-pending"' in page.content
        assert b'hx-trigger="every 2s"' in page.content
        assert b"<script>" not in page.content
        row = StructuralResult.objects.get(study=study)
        assert row.status == "queued"
        # a second visitor, or a second server, joins the queued job
        again = facilitator_client.get(url, **POLL)
        assert b'id="results-pending"' in again.content
        assert b"<html" not in again.content  # only the part that polls
        assert len(queued_only.results) == 1
    results_tasks.refresh_study_results.call(queued_only.results[0].args[0])
    ready = facilitator_client.get(url, **POLL)
    assert ready["HX-Refresh"] == "true"
    page = facilitator_client.get(url)
    assert b"results-pending" not in page.content
    assert b"quadrant" in page.content


def test_a_failed_analysis_stops_the_waiting(
    study: Study, facilitator_client: Client, queued_only: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _forget(study)
    url = reverse("workshop:results_hypotheses", args=[study.pk])
    facilitator_client.get(url)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(results_cache, "analyse_influence_matrices", broken)
    assert results_tasks.refresh_study_results.call(study.pk) == "failed"
    page = facilitator_client.get(url, **POLL)
    assert b"could not be computed" in page.content
    assert b"hx-trigger" not in page.content


def test_where_tasks_run_at_once_a_cold_page_shows_the_result(
    study: Study, facilitator_client: Client
) -> None:
    # the default (the demo, the tests): the job runs when the page asks for it
    _forget(study)
    page = facilitator_client.get(reverse("workshop:results_impacts", args=[study.pk]))
    assert page.status_code == 200
    assert b"results-pending" not in page.content
    assert StructuralResult.objects.filter(study=study, status="ready").exists()


# == no page computes the bootstrap: every desk page, the projector, the experts' pages =========


def _bootstrap_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The structural analysis may be computed without its bootstrap (milliseconds), never
    with it."""
    analyse = results_cache.analyse_influence_matrices

    def without_bootstrap_only(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("resamples", 0) > 0:
            raise AssertionError("the bootstrap was computed in the request")
        return analyse(*args, **kwargs)

    monkeypatch.setattr(results_cache, "analyse_influence_matrices", without_bootstrap_only)


def _desk_url(study: Study, name: str) -> str:
    key_factor = study.factors.key().first()
    assert key_factor is not None
    args: dict[str, list[Any]] = {
        "key_factors": [],
        "cross_impacts": [],
        "factor_decisions": [key_factor.pk],
        "results_iterations": ["influence"],
        "results_map": ["direct"],
        "results_download": ["structural-analysis", "csv"],
    }
    return reverse(f"workshop:{name}", args=[study.pk, *args[name]])


@pytest.mark.parametrize(
    "name",
    [
        "key_factors",
        "cross_impacts",
        "factor_decisions",
        "results_iterations",
        "results_map",
        "results_download",
    ],
)
def test_no_desk_page_computes_the_bootstrap_in_its_request(
    name: str,
    study: Study,
    facilitator_client: Client,
    queued_only: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _forget(study)
    url = _desk_url(study, name)
    with monkeypatch.context() as patched:
        _bootstrap_refused(patched)
        page = facilitator_client.get(url)
        assert page.status_code == 200
        assert b'id="results-pending"' in page.content
    results_tasks.refresh_study_results.call(study.pk)
    _bootstrap_refused(monkeypatch)  # found stored by the job now
    page = facilitator_client.get(url)
    assert page.status_code == 200
    assert b"results-pending" not in page.content


def test_an_action_that_needs_pending_results_is_refused_and_changes_nothing(
    study: Study, facilitator_client: Client, queued_only: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    factor = study.factors.key().first()
    assert factor is not None
    assert factor.retained_id is not None  # the example's decision, undone for the test
    factor.retained = None
    factor.save(update_fields=["retained"])
    _forget(study)
    _bootstrap_refused(monkeypatch)
    response = facilitator_client.post(
        reverse("workshop:retention_confirm", args=[study.pk, factor.pk]), follow=True
    )
    assert response.status_code == 200
    assert b"still being computed, so nothing was changed" in response.content
    factor.refresh_from_db()
    assert factor.retained_id is None


def test_the_projector_shows_a_closed_matrix_round_without_the_bootstrap(
    study: Study, facilitator_client: Client, queued_only: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.utils import timezone

    Round.objects.filter(study=study, step=Round.Step.INFLUENCE).update(closed_at=timezone.now())
    _forget(study)
    _bootstrap_refused(monkeypatch)
    panel = facilitator_client.get(reverse("workshop:projector_panel", args=[study.pk]))
    assert panel.status_code == 200
    assert b"Selected by the analysis" in panel.content


def _iterations_page_found_stored(
    client: Client, study: Study, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Delphi iterations page, on another process (only the database has the results):
    shown without computing the bootstrap and without waiting."""
    cache.clear()
    _bootstrap_refused(monkeypatch)
    page = client.get(reverse("workshop:results_iterations", args=[study.pk, "influence"]))
    assert page.status_code == 200
    assert b"results-pending" not in page.content


def _second_influence_iteration(study: Study) -> Round:
    first = study.rounds.get(step=Round.Step.INFLUENCE)
    second = Round.objects.create(
        study=study, step=first.step, iteration=2, settings=dict(first.settings)
    )
    second.open()
    return second


def test_an_expert_sees_the_group_in_the_next_iteration_without_the_bootstrap(
    study: Study, expert_client: Client, queued_only: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = _second_influence_iteration(study)
    _forget(study)
    _bootstrap_refused(monkeypatch)
    address = reverse("workshop:expert_answer", args=[study.pk, second.pk]) + "?factor=F1"
    page = expert_client.get(address)
    assert page.status_code == 200
    assert b"mean" in page.content  # the group's figure next to each cell
    first = study.rounds.get(step=Round.Step.INFLUENCE, iteration=1)
    feedback = expert_client.get(reverse("workshop:expert_feedback", args=[study.pk, first.pk]))
    assert feedback.status_code == 200


def test_the_job_computes_every_iteration_for_its_page(
    study: Study, facilitator_client: Client, queued_only: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = _second_influence_iteration(study)
    score = InfluenceScore.objects.filter(round__study=study, round__iteration=1).first()
    assert score is not None
    InfluenceScore.objects.create(
        round=second,
        expert=score.expert,
        source=score.source,
        target=score.target,
        value="3" if score.value != "3" else "0",
    )
    second.close()
    _forget(study)
    results_tasks.refresh_study_results.call(study.pk)
    assert StructuralResult.objects.filter(study=study, status="ready").count() == 2
    _iterations_page_found_stored(facilitator_client, study, monkeypatch)


def test_the_iterations_are_computed_even_when_the_decisions_are_unusable(
    study: Study, facilitator_client: Client, queued_only: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the iterations depend on the answers only: their page works whatever the decisions
    _forget(study)
    monkeypatch.setattr(results_tasks, "decision_problems", lambda study: ["a problem"])
    assert results_tasks.refresh_study_results.call(study.pk) == "unusable decisions"
    _iterations_page_found_stored(facilitator_client, study, monkeypatch)
