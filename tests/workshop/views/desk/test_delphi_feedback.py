"""Delphi: after a round closes, each expert sees the group's result next to their own
answer; a second iteration of the step lets them revise, the study keeps both rounds, and
the desk shows how the answers moved. Nobody sees another expert's answers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anticipe.examples import load_example
from anticipe.study.analysis import analyse_study
from anticipe.workshop.models import (
    Expert,
    FactorPoints,
    HypothesisVote,
    InfluenceScore,
    Round,
    Study,
)
from anticipe.workshop.results import study_results
from anticipe.workshop.study_format import export_study, import_study, study_document
from tests.workshop.support import (
    expert_client_for,
    page_weight,
    shown_float,
    shown_values,
    visible_text,
)


def feedback(client: Client, study: Study, round_: Round) -> Any:
    response = client.get(reverse("workshop:expert_feedback", args=[study.pk, round_.pk]))
    assert response.status_code == 200
    return response


def distribution(html: str, code: str, scale: int = 0) -> list[tuple[int, bool]]:
    """The counts per value of a hypothesis' distribution on the feedback page (scale 0:
    probability, 1: desirability), each with whether it is the expert's own answer."""
    card = html[html.index(f'id="feedback-{code}"') :]
    card = card[: card.index("</li>")]
    table = re.findall(r'<table class="distribution">(.*?)</table>', card, re.S)[scale]
    cells = re.findall(r"<td( class=\"mine\")?>(\d+)", table)
    return [(int(count), bool(mine)) for mine, count in cells]


def second_iteration(first: Round) -> Round:
    """Iteration 2 of a step, with the same settings, opened (as the rounds page does)."""
    round_ = Round.objects.create(
        study=first.study, step=first.step, iteration=2, settings=dict(first.settings)
    )
    round_.open()
    return round_


def test_the_expert_sees_the_group_next_to_their_own_votes(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    response = feedback(expert_client, study, round_)
    html = response.content.decode()
    shown = shown_values(html)
    group = {
        item["code"]: item
        for block in analyse_study(export_study(study))["hypotheses"]
        for item in block["hypotheses"]
    }
    # F1-B: E1 voted probability 3, desirability 4; the group 3, 3, 4 and 4, 3, 4
    assert distribution(html, "F1-B", 0) == [(0, False), (0, False), (2, True), (1, False)]
    assert distribution(html, "F1-B", 1) == [(0, False), (0, False), (1, False), (2, True)]
    stats = group["F1-B"]["probability"]
    assert [count for count, _mine in distribution(html, "F1-B")] == stats["distribution"]
    assert shown_float(shown, "p.F1-B.median") == stats["median"]
    cell = re.search(r'<td class="mine">2<span class="you">(.*?)</span>', html)
    assert cell is not None
    assert "you" in cell.group(1) or "vous" in cell.group(1)
    assert len(re.findall(r'<td class="mine">', html)) == 2 * 5  # one per scale, 5 votes
    # E3 said "don't know" on F1-A's probability; E1 did not
    assert "don't know" not in visible_text(html)
    assert "sais pas" not in visible_text(html)
    # the merged hypothesis has no votes of its own: not in the feedback
    assert "p.F3-BC.median" not in shown


def test_feedback_never_shows_other_experts(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    study.experts.filter(code="E2").update(name="Yann Canary")
    study.experts.filter(code="E1").update(name="Zoe Self")
    for round_ in study.rounds.all():
        text = visible_text(feedback(expert_client, study, round_).content)
        assert not re.search(r"\bE[23]\b", text)
        assert "Canary" not in text


def test_influence_feedback_shows_own_scores_and_the_group_mean(
    study: Study, expert_client: Client
) -> None:
    round_ = study.rounds.get(step=Round.Step.INFLUENCE)
    response = feedback(expert_client, study, round_)
    html = response.content.decode()
    sa = analyse_study(export_study(study))["structural_analysis"]
    codes = sa["factors"]
    own = {"F1": ["—", "3", "2"], "F2": ["1", "—", "1"], "F3": ["0", "1", "—"]}
    for i, source in enumerate(codes):
        row = re.search(rf'<th scope="row">{source}</th>(.*?)</tr>', html, re.S)
        assert row is not None
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))
        assert [re.sub(r"<small>.*|≠", "", cell) for cell in cells] == own[source]
        for j, cell in enumerate(cells):
            if i != j:
                mean = re.search(r"<small>(.*?)</small>", cell)
                assert mean is not None
                assert mean.group(1).replace(",", ".") == f"{sa['matrix'][i][j]:.1f}"
    # E1 gave F2 -> F1 a 1 where the group's mean is 1/3 + P...: never another expert's "P"
    text = visible_text(html)
    assert "potential" not in text
    assert "potentiel" not in text


def test_factor_vote_feedback_shows_own_points(study: Study, expert_client: Client) -> None:
    round_ = study.rounds.get(step=Round.Step.FACTOR_VOTE)
    shown = shown_values(feedback(expert_client, study, round_).content)
    assert (shown["own.F1"], shown["own.F2"], shown["own.F3"], shown["own.F4"]) == (
        "5",
        "3",
        "2",
        "0",
    )
    assert shown_float(shown, "group.F3") == 11


def test_a_second_iteration_moves_the_results(
    study: Study, expert: Expert, facilitator_client: Client
) -> None:
    first = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    before = study_results(study).analysis["hypotheses"][0]["hypotheses"][0]["probability"]
    second = second_iteration(first)
    # every expert answers again as before; E1, having seen the feedback, revises F1-A
    for vote in HypothesisVote.objects.filter(round=first):
        HypothesisVote.objects.create(
            round=second,
            expert=vote.expert,
            hypothesis=vote.hypothesis,
            probability=vote.probability,
            desirability=vote.desirability,
        )
    # while iteration 2 is open, the desk shows iteration 1's results
    assert study_results(study).rounds[Round.Step.HYPOTHESIS_VOTE] == first
    HypothesisVote.objects.filter(round=second, expert=expert, hypothesis__code="F1-A").update(
        probability=4
    )
    second.close()
    results = study_results(study)
    assert results.rounds[Round.Step.HYPOTHESIS_VOTE] == second
    after = results.analysis["hypotheses"][0]["hypotheses"][0]["probability"]
    assert (before["median"], after["median"]) == (2.5, 3.5)
    assert results.analysis == analyse_study(study_document(study))
    # both rounds are kept; the desk shows both side by side
    assert HypothesisVote.objects.filter(round=first).count() == 15
    response = facilitator_client.get(
        reverse("workshop:results_iterations", args=[study.pk, "hypothesis-vote"])
    )
    shown = shown_values(response.content)
    assert shown_float(shown, "it1.F1-A.p") == 2.5
    assert shown_float(shown, "it2.F1-A.p") == 3.5
    assert shown_float(shown, "it2.F1-B.p") == shown_float(shown, "it1.F1-B.p")
    page = facilitator_client.get(reverse("workshop:results_hypotheses", args=[study.pk]))
    assert shown_float(shown_values(page.content), "p.F1-A.median") == 3.5
    assert reverse("workshop:results_iterations", args=[study.pk, "hypothesis-vote"]).encode() in (
        page.content
    )


def test_influence_iterations_list_the_cells_that_moved(
    study: Study, expert: Expert, facilitator_client: Client
) -> None:
    first = study.rounds.get(step=Round.Step.INFLUENCE)
    second = second_iteration(first)
    for score in InfluenceScore.objects.filter(round=first):
        InfluenceScore.objects.create(
            round=second,
            expert=score.expert,
            source=score.source,
            target=score.target,
            value=score.value,
        )
    InfluenceScore.objects.filter(
        round=second, expert=expert, source__code="F3", target__code="F1"
    ).update(value="3")
    second.close()
    response = facilitator_client.get(
        reverse("workshop:results_iterations", args=[study.pk, "influence"])
    )
    shown = shown_values(response.content)
    moved = {key for key in shown if key.startswith("it1.")}
    assert moved == {"it1.F3.F1"}
    assert shown_float(shown, "it1.F3.F1") == pytest.approx(1 / 3)
    assert shown_float(shown, "it2.F3.F1") == pytest.approx(4 / 3)
    sa = analyse_study(export_study(study))["structural_analysis"]
    assert shown_float(shown, "it2.F3.F1") == sa["matrix"][2][0]


def test_factor_vote_iterations(study: Study, expert: Expert, facilitator_client: Client) -> None:
    first = study.rounds.get(step=Round.Step.FACTOR_VOTE)
    second = second_iteration(first)
    for points in FactorPoints.objects.filter(round=first):
        FactorPoints.objects.create(
            round=second, expert=points.expert, factor=points.factor, points=points.points
        )
    FactorPoints.objects.filter(round=second, expert=expert, factor__code="F1").update(points=7)
    FactorPoints.objects.filter(round=second, expert=expert, factor__code="F3").update(points=0)
    second.close()
    shown = shown_values(
        facilitator_client.get(
            reverse("workshop:results_iterations", args=[study.pk, "factor-vote"])
        ).content
    )
    assert (shown_float(shown, "it1.F1.points"), shown_float(shown, "it2.F1.points")) == (9, 11)
    assert (shown_float(shown, "it1.F3.points"), shown_float(shown, "it2.F3.points")) == (11, 9)
    assert "it2.kendall" in shown


def test_feedback_of_each_iteration_is_its_own(study: Study, expert: Expert) -> None:
    first = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    second = second_iteration(first)
    for vote in HypothesisVote.objects.filter(round=first):
        HypothesisVote.objects.create(
            round=second,
            expert=vote.expert,
            hypothesis=vote.hypothesis,
            probability=1,
            desirability=1,
        )
    second.close()
    client = expert_client_for(expert)
    one = shown_values(feedback(client, study, first).content)
    two = shown_values(feedback(client, study, second).content)
    assert shown_float(one, "p.F1-B.median") == 3
    assert shown_float(two, "p.F1-B.median") == 1
    html = feedback(client, study, second).content.decode()
    assert distribution(html, "F1-B") == [(3, True), (0, False), (0, False), (0, False)]


def test_the_feedback_partial_for_htmx(study: Study, expert_client: Client) -> None:
    round_ = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    response = expert_client.get(
        reverse("workshop:expert_feedback", args=[study.pk, round_.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.startswith('<section class="feedback"')
    assert "<html" not in html


@pytest.mark.parametrize(
    ("slug", "parameter"),
    [
        ("factor-vote", "points_per_expert"),
        ("influence", "aggregation"),
        ("hypothesis-vote", "consensus_max_iqr"),
    ],
)
def test_iterations_state_their_parameters(
    slug: str, parameter: str, study: Study, facilitator_client: Client
) -> None:
    html = facilitator_client.get(
        reverse("workshop:results_iterations", args=[study.pk, slug])
    ).content.decode()
    assert f'data-parameter="{parameter}"' in html


@pytest.mark.slow  # a page-weight walk of the example study
def test_feedback_pages_weigh_under_100_kb_for_the_example(facilitator: Any) -> None:
    """The expert reads the feedback on a phone: the example study's 20-factor matrix and
    31 hypotheses stay under 100 KB, scripts and stylesheets included."""
    example = import_study(load_example(), owner=facilitator)
    client = expert_client_for(example.experts.order_by("code").first())  # type: ignore[arg-type]
    for round_ in example.rounds.all():
        html = feedback(client, example, round_).content.decode()
        assert page_weight(html)[0] < 100 * 1024, round_.step


# -- the second iteration's pages: the previous iteration next to each question ---------------


def answer_page(study: Study, round_: Round, factor: str = "") -> str:
    address = reverse("workshop:expert_answer", args=[study.pk, round_.pk])
    return address + (f"?factor={factor}" if factor else "")


def before(html: str, key: str) -> str:
    """The visible text of the previous iteration's feedback under one question."""
    found = re.search(rf'data-key="before\.{re.escape(key)}">(.*?)</(?:p|span)>', html, re.S)
    assert found is not None, key
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def number_in(text: str, after: str) -> float:
    found = re.search(rf"{after} (-?\d+(?:\.\d+)?)", text)
    assert found is not None, (text, after)
    return float(found.group(1))


def test_second_iteration_of_the_hypothesis_vote_shows_iteration_1_under_each_question(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    first = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    group = {
        item["code"]: item
        for block in analyse_study(export_study(study))["hypotheses"]
        for item in block["hypotheses"]
    }
    assert 'data-key="before.' not in expert_client.get(answer_page(study, first)).content.decode()
    second = second_iteration(first)
    html = expert_client.get(answer_page(study, second, "F1")).content.decode()
    assert reverse("workshop:expert_feedback", args=[study.pk, first.pk]) in html
    # F1-B: E1 voted probability 3, desirability 4 in iteration 1.
    shown = before(html, "F1-B")
    probability, desirability = shown.split("Desirability")
    assert number_in(probability, "median") == group["F1-B"]["probability"]["median"]
    assert probability.strip().endswith("you: 3")
    assert number_in(desirability, "median") == group["F1-B"]["desirability"]["median"]
    assert desirability.strip().endswith("you: 4")
    # Nothing is answered in iteration 2 yet: the expert's answers of iteration 1 are filled
    # in as theirs, marked as such, to confirm or change (docs/delphi.md)
    assert 'id="p-F1-B-3" checked' in html
    assert 'id="d-F1-B-4" checked' in html
    assert html.count("Answer of iteration 1") == 2
    # Another expert's "don't know" (E3, F1-A) is theirs: E1 sees their own answer only.
    assert "don't know" not in before(html, "F1-A")


def test_second_iteration_of_the_matrix_and_the_vote_show_iteration_1(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    sa = analyse_study(export_study(study))["structural_analysis"]
    influence = second_iteration(study.rounds.get(step=Round.Step.INFLUENCE))
    html = expert_client.get(answer_page(study, influence, "F1")).content.decode()
    codes = sa["factors"]
    for target, own in (("F2", "3"), ("F3", "2")):
        shown = before(html, target)
        mean = sa["matrix"][codes.index("F1")][codes.index(target)]
        assert number_in(shown, "mean") == pytest.approx(mean, abs=0.05)
        assert shown.endswith(f"you: {own}")
    vote = second_iteration(study.rounds.get(step=Round.Step.FACTOR_VOTE))
    html = expert_client.get(answer_page(study, vote)).content.decode()
    assert before(html, "F3") == "Iteration 1, points: group 11, you 2"
    assert before(html, "F4").endswith("you 0")
    assert 'aria-describedby="before-F3"' in html
    # the form re-rendered after a save keeps the feedback
    save = reverse("workshop:expert_vote_save", args=[study.pk, vote.pk])
    response = expert_client.post(save, {"points-F3": "4"}, HTTP_HX_REQUEST="true")
    assert before(response.content.decode(), "F3") == "Iteration 1, points: group 11, you 2"


def test_the_matrix_feedback_names_the_aggregation_used(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    study.parameters = {"structural_analysis": {"aggregation": "median"}}
    study.save()
    sa = analyse_study(export_study(study))["structural_analysis"]
    assert sa["parameters"]["aggregation"] == "median"
    influence = second_iteration(study.rounds.get(step=Round.Step.INFLUENCE))
    html = expert_client.get(answer_page(study, influence, "F1")).content.decode()
    shown = before(html, "F2")
    assert shown.startswith("Iteration 1: group's median")
    codes = sa["factors"]
    median = sa["matrix"][codes.index("F1")][codes.index("F2")]
    assert number_in(shown, "median") == pytest.approx(median, abs=0.05)


def test_no_feedback_without_a_closed_previous_iteration_of_this_study(
    study: Study, other_study: Study, expert: Expert, expert_client: Client
) -> None:
    first = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    second = second_iteration(first)
    # the previous iteration open again (only the admin can do it): no feedback
    Round.objects.filter(pk=first.pk).update(status=Round.Status.OPEN)
    html = expert_client.get(answer_page(study, second, "F1")).content.decode()
    assert 'data-key="before.' not in html
    assert "delphi-intro" not in html
    # another study's closed iteration 1 is not this study's: still none
    other_study.rounds.filter(step=Round.Step.HYPOTHESIS_VOTE).delete()
    Round.objects.filter(pk=first.pk).update(study=other_study, status=Round.Status.CLOSED)
    html = expert_client.get(answer_page(study, second, "F1")).content.decode()
    assert 'data-key="before.' not in html


def test_a_question_not_asked_before_has_no_feedback(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    first = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    # F3-BC (a merge) was not voted on in iteration 1; iteration 2 asks it
    second = second_iteration(first)
    second.settings = {**second.settings, "hypotheses": ["F1-A", "F3-BC"]}
    second.save()
    html = expert_client.get(answer_page(study, second, "F3")).content.decode()
    assert 'id="hypothesis-F3-BC"' in html
    assert 'data-key="before.F3-BC"' not in html
    html = expert_client.get(answer_page(study, second, "F1")).content.decode()
    assert 'data-key="before.F1-A"' in html


def test_a_question_the_expert_did_not_answer_shows_no_answer_of_theirs(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    first = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    HypothesisVote.objects.filter(round=first, expert=expert, hypothesis__code="F1-B").update(
        desirability=None, desirability_answered=False
    )
    second = second_iteration(first)
    shown = before(expert_client.get(answer_page(study, second, "F1")).content.decode(), "F1-B")
    probability, desirability = shown.split("Desirability")
    assert probability.strip().endswith("you: 3")
    assert "you" not in desirability  # neither a value nor "don't know": not answered
    assert "group's median" in desirability
    # the feedback page of iteration 1 says nothing of it either
    page = feedback(expert_client, study, first).content.decode()
    card = page[page.index('id="feedback-F1-B"') :]
    card = card[: card.index("</li>")]
    assert "don't know" not in card
