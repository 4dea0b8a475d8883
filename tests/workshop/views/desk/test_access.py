"""Who may open the desk's pages: every URL for every persona.

Results (and their downloads): facilitators, and observers once the study is published.
Decisions and the projector: facilitators only. The Delphi feedback: the expert of the
study. Everyone else gets a 404 (a 403 for an observer before publication).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import CrossImpact, Factor, Round, Study
from tests.workshop.support import expert_client_for, published


def result_urls(study: Study) -> list[str]:
    pk = study.pk
    urls = [
        reverse("workshop:desk", args=[pk]),
        reverse("workshop:results_vote", args=[pk]),
        reverse("workshop:results_structure", args=[pk]),
        reverse("workshop:results_hypotheses", args=[pk]),
        reverse("workshop:results_impacts", args=[pk]),
        reverse("workshop:results_map", args=[pk, "direct"]),
        reverse("workshop:results_map", args=[pk, "indirect"]),
    ]
    for step in ("factor-vote", "influence", "hypothesis-vote"):
        urls.append(reverse("workshop:results_iterations", args=[pk, step]))
    for page in (
        "factor-vote",
        "structural-analysis",
        "hypotheses",
        "actions-and-impacts",
        "iterations-factor-vote",
        "iterations-influence",
        "iterations-hypothesis-vote",
    ):
        for fmt in ("csv", "xlsx"):
            urls.append(reverse("workshop:results_download", args=[pk, page, fmt]))
    return urls


def facilitator_urls(study: Study) -> list[str]:
    pk = study.pk
    factor = study.factors.get(code="F1")
    return [
        reverse("workshop:key_factors", args=[pk]),
        reverse("workshop:factor_decisions", args=[pk, factor.pk]),
        reverse("workshop:action_plan", args=[pk]),
        reverse("workshop:impacts_table", args=[pk]),
        reverse("workshop:cross_impacts", args=[pk]),
        reverse("workshop:decisions_log", args=[pk]),
        reverse("workshop:projector", args=[pk]),
        reverse("workshop:projector_panel", args=[pk]),
    ]


def decision_posts(study: Study) -> list[tuple[str, dict[str, Any]]]:
    """One POST of every decision endpoint, with valid data."""
    pk = study.pk
    f1 = study.factors.get(code="F1")
    f2 = study.factors.get(code="F2")
    h_a = f1.hypotheses.get(code="F1-A")
    h_b = f1.hypotheses.get(code="F1-B")
    action = h_b.actions.get()
    impact = h_b.impacts.first()
    assert impact is not None
    competence = study.competences.get(code="C1")
    return [
        (reverse("workshop:key_factors_accept", args=[pk]), {}),
        (reverse("workshop:key_factor_add", args=[pk]), {"factor": f2.code, "reason": "Asked."}),
        (reverse("workshop:key_factor_move", args=[pk, f1.pk]), {"direction": "down"}),
        (reverse("workshop:factor_situation", args=[pk, f1.pk]), {"current_situation": "Now."}),
        (reverse("workshop:hypothesis_add", args=[pk, f1.pk]), {"text": "Something else."}),
        (
            reverse("workshop:hypothesis_edit", args=[pk, h_a.pk]),
            {"text": "Reworded.", "label": ""},
        ),
        (reverse("workshop:hypothesis_move", args=[pk, h_a.pk]), {"direction": "down"}),
        (reverse("workshop:factor_reachability", args=[pk, f1.pk]), {"reachable": "no"}),
        (reverse("workshop:retention_confirm", args=[pk, f1.pk]), {}),
        (
            reverse("workshop:retention_override", args=[pk, f1.pk]),
            {"hypothesis": str(h_a.pk), "reason": "Because."},
        ),
        (reverse("workshop:action_add", args=[pk, h_b.pk]), {"aim": "provoke", "text": "Do it."}),
        (reverse("workshop:action_edit", args=[pk, action.pk]), {"aim": "", "text": "Done."}),
        (reverse("workshop:action_move", args=[pk, action.pk]), {"direction": "up"}),
        (reverse("workshop:impact_edit", args=[pk, impact.pk]), {"competences": []}),
        (reverse("workshop:competence_add", args=[pk]), {"text": "A new competence."}),
        (
            reverse("workshop:competence_edit", args=[pk, competence.pk]),
            {"code": "C1", "text": "Reworded competence.", "frameworks": ""},
        ),
        (reverse("workshop:cross_impacts", args=[pk]), {f"ci-{h_b.pk}-0": "1"}),
        (reverse("workshop:hypotheses_merge", args=[pk, f1.pk]), {"text": "Merged."}),
        (reverse("workshop:retention_clear", args=[pk, f1.pk]), {}),
        (reverse("workshop:impact_delete", args=[pk, impact.pk]), {}),
        (reverse("workshop:action_delete", args=[pk, action.pk]), {}),
        (reverse("workshop:competence_delete", args=[pk, competence.pk]), {}),
        (reverse("workshop:key_factor_remove", args=[pk, f1.pk]), {"reason": "No longer."}),
    ]


def test_facilitator_opens_every_page(study: Study, facilitator_client: Client) -> None:
    for url in result_urls(study) + facilitator_urls(study):
        assert facilitator_client.get(url).status_code == 200, url


def test_observer_sees_results_only_once_published(study: Study, observer_client: Client) -> None:
    for url in result_urls(study):
        assert observer_client.get(url).status_code == 403, url
    published(study)
    for url in result_urls(study):
        assert observer_client.get(url).status_code == 200, url


def test_observer_never_sees_decision_pages_nor_the_projector(
    study: Study, observer_client: Client
) -> None:
    for url in facilitator_urls(study):
        assert observer_client.get(url).status_code == 404, url
    published(study)
    for url in facilitator_urls(study):
        assert observer_client.get(url).status_code == 404, url


def test_published_results_read_only_for_the_observer(
    study: Study, observer_client: Client
) -> None:
    published(study)
    html = observer_client.get(reverse("workshop:results_hypotheses", args=[study.pk])).content
    assert b'<form method="post"' not in html.split(b"<main")[1]
    assert reverse("workshop:key_factors", args=[study.pk]).encode() not in html


@pytest.mark.parametrize("persona", ["expert_client", "outsider_client", "anonymous_client"])
def test_others_get_404_everywhere(
    persona: str, study: Study, request: pytest.FixtureRequest
) -> None:
    client = request.getfixturevalue(persona)
    published(study)
    for url in result_urls(study) + facilitator_urls(study):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "persona", ["observer_client", "expert_client", "outsider_client", "anonymous_client"]
)
def test_only_facilitators_decide(
    persona: str, study: Study, request: pytest.FixtureRequest
) -> None:
    client = request.getfixturevalue(persona)
    events = study.audit_events.count()
    for url, data in decision_posts(study):
        assert client.post(url, data).status_code == 404, url
    assert study.audit_events.count() == events
    assert list(study.factors.key().values_list("code", flat=True)) == ["F1", "F3"]


def test_outsider_facilitator_cannot_reach_another_study(
    study: Study, other_study: Study, outsider_client: Client
) -> None:
    assert outsider_client.get(reverse("workshop:desk", args=[other_study.pk])).status_code == 200
    for url in result_urls(study) + facilitator_urls(study):
        assert outsider_client.get(url).status_code == 404, url


def test_decisions_are_refused_after_publication(study: Study, facilitator_client: Client) -> None:
    published(study)
    before = list(
        Factor.objects.filter(study=study).values_list(
            "code", "key_origin", "retained", "current_situation"
        )
    )
    events = study.audit_events.count()
    for url, data in decision_posts(study):
        assert facilitator_client.post(url, data).status_code == 403, url
    assert study.audit_events.count() == events
    after = list(
        Factor.objects.filter(study=study).values_list(
            "code", "key_origin", "retained", "current_situation"
        )
    )
    assert after == before
    assert study.competences.count() == 2


def test_decision_endpoints_take_only_post(study: Study, facilitator_client: Client) -> None:
    for url, _data in decision_posts(study):
        if url.endswith("/cross-impacts/"):
            continue  # the page itself
        assert facilitator_client.get(url).status_code == 405, url


def test_feedback_is_for_the_expert_of_the_study(
    study: Study,
    other_study: Study,
    expert_client: Client,
    facilitator_client: Client,
    observer_client: Client,
    outsider_client: Client,
    anonymous_client: Client,
) -> None:
    round_ = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    url = reverse("workshop:expert_feedback", args=[study.pk, round_.pk])
    assert expert_client.get(url).status_code == 200
    other_expert = expert_client_for(other_study.experts.get(code="E1"))
    assert other_expert.get(url).status_code == 404
    other_round = other_study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    assert (
        expert_client.get(
            reverse("workshop:expert_feedback", args=[study.pk, other_round.pk])
        ).status_code
        == 404
    )
    for client in (facilitator_client, observer_client, outsider_client, anonymous_client):
        assert client.get(url).status_code == 404


def test_feedback_waits_for_the_round_to_close(study: Study, expert_client: Client) -> None:
    round_ = Round.objects.create(
        study=study, step=Round.Step.HYPOTHESIS_VOTE, iteration=2, status=Round.Status.OPEN
    )
    url = reverse("workshop:expert_feedback", args=[study.pk, round_.pk])
    assert expert_client.get(url).status_code == 404
    round_.close()
    assert expert_client.get(url).status_code == 200


def test_unknown_map_plane_page_or_format_is_404(study: Study, facilitator_client: Client) -> None:
    pk = study.pk
    for url in (
        reverse("workshop:results_map", args=[pk, "potential"]),
        reverse("workshop:results_iterations", args=[pk, "actions"]),
        reverse("workshop:results_download", args=[pk, "hypotheses", "pdf"]),
        reverse("workshop:results_download", args=[pk, "panel", "csv"]),
    ):
        assert facilitator_client.get(url).status_code == 404, url


def test_objects_of_another_study_are_out_of_reach(
    study: Study, other_study: Study, facilitator_client: Client
) -> None:
    """A facilitator cannot reach another study's rows through their own study's URLs."""
    pk = study.pk
    f1 = other_study.factors.get(code="F1")
    hypothesis = f1.hypotheses.get(code="F1-A")
    retained = f1.hypotheses.get(code="F1-B")
    action = retained.actions.get()
    impact = retained.impacts.first()
    assert impact is not None
    competence = other_study.competences.get(code="C1")
    for url, data in (
        (reverse("workshop:factor_decisions", args=[pk, f1.pk]), None),
        (reverse("workshop:factor_situation", args=[pk, f1.pk]), {"current_situation": "x"}),
        (reverse("workshop:hypothesis_edit", args=[pk, hypothesis.pk]), {"text": "x"}),
        (reverse("workshop:hypothesis_delete", args=[pk, hypothesis.pk]), {}),
        (reverse("workshop:action_add", args=[pk, retained.pk]), {"text": "x"}),
        (reverse("workshop:action_edit", args=[pk, action.pk]), {"text": "x"}),
        (reverse("workshop:action_delete", args=[pk, action.pk]), {}),
        (reverse("workshop:impact_delete", args=[pk, impact.pk]), {}),
        (reverse("workshop:competence_delete", args=[pk, competence.pk]), {}),
        (reverse("workshop:key_factor_remove", args=[pk, f1.pk]), {"reason": "x"}),
    ):
        response = (
            facilitator_client.get(url) if data is None else facilitator_client.post(url, data)
        )
        assert response.status_code == 404, url
    assert other_study.competences.filter(pk=competence.pk).exists()
    assert retained.actions.filter(pk=action.pk, text="Former à l'IA.").exists()
    assert other_study.factors.get(code="F1").is_key()
    # the cross-impacts form ignores hypotheses of other studies
    b = study.factors.get(code="F1").hypotheses.get(code="F1-B")
    facilitator_client.post(
        reverse("workshop:cross_impacts", args=[pk]), {f"ci-{b.pk}-{hypothesis.pk}": "3"}
    )
    assert not CrossImpact.objects.filter(target=hypothesis, value=3).exists()
    # an impact cannot point at another study's activity
    activity = other_study.activities.get(code="1")
    facilitator_client.post(
        reverse("workshop:impact_add", args=[pk]), {"hypothesis": b.pk, "activity": activity.pk}
    )
    assert not activity.impacts.filter(hypothesis=b).exists()
