"""The desk's access rules beyond the persona table (tests/workshop/test_access.py): the
Delphi feedback is the study's expert's, once the round is closed; unknown pages are 404;
another study's rows are out of reach through this study's URLs; published results are
read-only for an observer.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import CrossImpact, Round, Study
from tests.workshop.support import expert_client_for, published


def test_published_results_read_only_for_the_observer(
    study: Study, observer_client: Client
) -> None:
    published(study)
    html = observer_client.get(reverse("workshop:results_hypotheses", args=[study.pk])).content
    assert b'<form method="post"' not in html.split(b"<main")[1]
    assert reverse("workshop:key_factors", args=[study.pk]).encode() not in html


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
        reverse("workshop:results_displacement", args=[pk, "direct"]),
        reverse("workshop:results_graph", args=[pk, "direct", 15]),
        reverse("workshop:results_graph", args=[pk, "sideways", 10]),
        reverse("workshop:results_map", args=[pk, "direct"]) + "?size=huge",
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
