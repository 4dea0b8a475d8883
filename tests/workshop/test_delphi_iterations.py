"""Delphi iterations on the site: every answer of every iteration kept, each expert's
standing answers analysed, open rounds never read, the minimum number of answers, and an
export under fresh pseudonyms (docs/delphi.md)."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from anticipe.method.hypotheses import hypothesis_statistics
from anticipe.report.context import build_report_context
from anticipe.study.analysis import analyse_study
from anticipe.study.study_file import check_study
from anticipe.workshop import rules
from anticipe.workshop.models import (
    AuditEvent,
    Expert,
    FactorPoints,
    HypothesisVote,
    InfluenceScore,
    Round,
    Study,
)
from anticipe.workshop.results import study_results
from anticipe.workshop.study_format import export_study, import_study, study_document
from tests.delphi_support import as_1_1, relabelled
from tests.studies import small_study
from tests.workshop.support import expert_client_for, text

NAN = float("nan")


def next_iteration(
    study: Study, step: str, *, respondents_only: bool = False, **settings: Any
) -> Round:
    """Iteration 2 of a step as the rounds page prepares it, opened."""
    first = study.rounds.get(step=step, iteration=1)
    second = rules.next_iteration(first)
    second.settings = {**second.settings, **settings}
    second.respondents_only = respondents_only
    second.save()
    rules.open_round(second)
    return second


def experts(study: Study) -> dict[str, Expert]:
    return {e.code: e for e in study.experts.all()}


def post(client: Client, name: str, round_: Round, data: dict[str, Any]) -> Any:
    response = client.post(reverse(f"workshop:{name}", args=[round_.study_id, round_.pk]), data)
    assert response.status_code in (200, 302), response.status_code
    return response


def statistics(analysis: Any, code: str) -> Any:
    for block in analysis["hypotheses"]:
        for row in block["hypotheses"]:
            if row["code"] == code:
                return row
    raise KeyError(code)


def second_vote(study: Study, *, respondents_only: bool = False) -> Round:
    """Iteration 2 of the hypothesis votes on F1's hypotheses: E1 revises F1-A's probability
    (2 -> 4), E2 confirms their answers, E3 skips the iteration."""
    second = next_iteration(
        study,
        Round.Step.HYPOTHESIS_VOTE,
        respondents_only=respondents_only,
        hypotheses=["F1-A", "F1-B"],
    )
    panel = experts(study)
    post(
        expert_client_for(panel["E1"]),
        "expert_hypothesis_vote_save",
        second,
        {"hypothesis": "F1-A", "probability": "4"},
    )
    post(
        expert_client_for(panel["E2"]), "expert_hypothesis_votes_confirm", second, {"factor": "F1"}
    )
    return second


# -- every answer kept; results, decisions and exports read closed rounds only ------------------


def test_an_open_iteration_is_never_read(study: Study, facilitator_client: Client) -> None:
    before = study_results(study).analysis
    exported = study_document(study)
    second = second_vote(study)
    assert HypothesisVote.objects.filter(round=second).count() == 3  # stored, not read
    cache_free = study_results(study).analysis
    assert cache_free == before
    assert study_document(study) == exported
    download = facilitator_client.get(reverse("workshop:study_export", args=[study.pk]))
    document = json.loads(download.content)
    assert {v["iteration"] for v in document["hypotheses"]["votes"]} == {1}
    assert document["hypotheses"]["iterations"] == [{"iteration": 1}]
    report = build_report_context({**document, "language": "en"})
    assert report["appendix"]["iterations"][-1]["text"] == "iteration 1: 30"
    page = text(facilitator_client.get(reverse("workshop:results_hypotheses", args=[study.pk])))
    assert "(iteration 1)" in page


def test_a_skipped_iteration_keeps_the_earlier_answer(study: Study) -> None:
    second = second_vote(study)
    second.close()
    analysis = study_results(study).analysis
    assert analysis == analyse_study(study_document(study))
    # the method core on the expected standing answers: E1 4 (iteration 2), E2 3
    # (confirmed in iteration 2), E3 "don't know" (iteration 1, skipped iteration 2)
    expected = hypothesis_statistics(
        "F1",
        ["F1-A", "F1-B"],
        ["E1", "E2", "E3"],
        np.array([[4, 3], [3, 3], [NAN, 4]]),
        np.array([[1, 4], [2, 3], [1, 4]]),
    )
    f1 = analysis["hypotheses"][0]["statistics"]
    assert f1["hypotheses"] == expected["hypotheses"]
    assert f1["most_probable"] == expected["most_probable"]
    counts = analysis["iterations"]["hypotheses"]["standing"]
    assert counts == [{"iteration": 1, "answers": 25}, {"iteration": 2, "answers": 5}]
    # both iterations are kept, and exported: E1's vote on F1-A, E2's on F1-A and F1-B
    document = export_study(study)
    assert [v["iteration"] for v in document["hypotheses"]["votes"]].count(2) == 3
    exported = analyse_study(document)
    for key, step in STEP_OF_RESULT.items():
        assert relabelled(exported[key], names(document, study, step)) == relabelled(
            analysis[key], {e: e for e in experts(study)}
        ), key
    assert {k: v for k, v in exported.items() if k not in STEP_OF_RESULT} == {
        k: v for k, v in analysis.items() if k not in STEP_OF_RESULT
    }


# the results that name experts, and the step whose pseudonyms they use
STEP_OF_RESULT = {
    "factor_vote": ("factor_vote", "ballots"),
    "structural_analysis": ("structural_analysis", "matrices"),
    "disagreement": ("structural_analysis", "matrices"),
    "hypotheses": ("hypotheses", "votes"),
}


def names(document: dict[str, Any], study: Study, step: tuple[str, str]) -> dict[str, str]:
    """Each pseudonym of one step of an export (a step names its experts in an order of its
    own), back to the panel's code: found by the expert's answers of the step, which all
    differ in the small study."""
    section, items = step

    def answers(doc: dict[str, Any]) -> dict[str, str]:
        by_expert: dict[str, list[Any]] = {}
        for answer in doc[section][items]:
            by_expert.setdefault(answer["expert"], []).append(
                {k: v for k, v in answer.items() if k != "expert"}
            )
        return {e: json.dumps(a, sort_keys=True) for e, a in by_expert.items()}

    mine = {content: code for code, content in answers(study_document(study)).items()}
    return {pseudonym: mine[content] for pseudonym, content in answers(document).items()}


def test_only_this_iterations_respondents(study: Study, facilitator_client: Client) -> None:
    first = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    draft = rules.next_iteration(first)
    url = reverse("workshop:round_respondents", args=[study.pk, draft.pk])
    response = facilitator_client.post(url, {f"r{draft.pk}-respondents_only": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.respondents_only
    event = AuditEvent.objects.get(action="round_respondents_changed")
    assert event.detail["respondents_only"] is True
    rounds_page = text(facilitator_client.get(reverse("workshop:rounds", args=[study.pk])))
    assert "Only the answers given in this iteration count." in rounds_page
    draft.delete()
    second = second_vote(study, respondents_only=True)
    second.close()
    analysis = study_results(study).analysis
    probability = statistics(analysis, "F1-A")["probability"]
    # E3 did not answer iteration 2: their "don't know" no longer counts
    assert (probability["n_answers"], probability["n_dont_know"], probability["n_no_answer"]) == (
        2,
        0,
        1,
    )
    assert statistics(analysis, "F3-A")["probability"]["n_answers"] == 3  # not asked again
    assert analysis["parameters"]["standing_answers"]["hypotheses"]["respondents_only"] == [2]
    page = facilitator_client.get(reverse("workshop:results_hypotheses", args=[study.pk]))
    assert 'data-parameter="standing_answers.respondents_only">2<' in page.content.decode()
    assert "(only its respondents)" in text(page)
    # once an iteration opened, how it counts can no longer change
    response = facilitator_client.post(
        reverse("workshop:round_respondents", args=[study.pk, second.pk]), {}
    )
    second.refresh_from_db()
    assert second.respondents_only


def test_a_first_iteration_has_no_respondents_setting(
    study: Study, facilitator_client: Client
) -> None:
    first = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    url = reverse("workshop:round_respondents", args=[study.pk, first.pk])
    assert facilitator_client.post(url, {}).status_code == 404


# -- the expert's page starts from their standing answers --------------------------------------


def test_the_matrix_starts_from_the_standing_answers(study: Study) -> None:
    second = next_iteration(study, Round.Step.INFLUENCE)
    e1 = expert_client_for(experts(study)["E1"])
    page = text(
        e1.get(reverse("workshop:expert_answer", args=[study.pk, second.pk]) + "?factor=F1")
    )
    # E1 scored F1 -> F2 3 and F1 -> F3 2 in iteration 1: filled in, to confirm or change
    assert 'id="v-F2-4" checked' in page
    assert 'id="v-F3-3" checked' in page
    assert page.count("Answer of iteration 1") == 2
    assert "0 of 6 answers given" in page
    post(e1, "expert_matrix_confirm", second, {"factor": "F1"})
    scores = InfluenceScore.objects.filter(round=second, expert__code="E1")
    assert sorted(scores.values_list("target__code", "value")) == [("F2", "3"), ("F3", "2")]
    page = text(
        e1.get(reverse("workshop:expert_answer", args=[study.pk, second.pk]) + "?factor=F1")
    )
    assert "Answer of iteration 1" not in page
    assert "2 of 6 answers given" in page
    # the rest of the matrix still stands from iteration 1, and is not this iteration's
    grid = text(e1.get(reverse("workshop:expert_matrix_grid", args=[study.pk, second.pk])))
    assert grid.count("<td class=carried>") == 4


def test_a_vote_is_confirmed_by_saving_it(study: Study) -> None:
    second = next_iteration(study, Round.Step.FACTOR_VOTE)
    e3 = expert_client_for(experts(study)["E3"])
    page = text(e3.get(reverse("workshop:expert_answer", args=[study.pk, second.pk])))
    assert "Your vote from iteration 1 is filled in" in page
    assert 'id="points-F2" value="5"' in page
    post(e3, "expert_vote_save", second, {"adjust": "F2:-1"})
    ballot = dict(
        FactorPoints.objects.filter(round=second, expert__code="E3").values_list(
            "factor__code", "points"
        )
    )
    assert ballot == {"F2": 4, "F3": 5}  # the standing ballot, one point less for F2


# -- the minimum number of answers ----------------------------------------------------------------


def test_below_the_minimum_nothing_is_decided_and_the_page_says_why(
    study: Study, facilitator_client: Client
) -> None:
    study.min_answers = 3
    study.save()
    analysis = study_results(study).analysis
    assert analysis["parameters"]["min_answers"] == 3
    f1 = analysis["hypotheses"][0]
    assert f1["statistics"]["most_probable"] == {"hypotheses": [], "decided": False}
    assert statistics(analysis, "F1-A")["probability"]["distribution"] is None
    html = facilitator_client.get(
        reverse("workshop:results_hypotheses", args=[study.pk])
    ).content.decode()
    assert 'data-key="below.p.F1-A">2 answers: below the minimum of 3<' in html
    assert 'data-key="p.F1-A.' not in html  # neither its distribution nor its median
    assert 'data-key="mark.F1-A.probable"' not in html
    assert 'data-key="mark.F1-B.probable"' not in html
    assert 'data-parameter="min_answers">3<' in html
    # 4: no round that three experts answered counts, and each page says why
    study.min_answers = 4
    study.save()
    for name in ("results_hypotheses", "results_structure", "results_vote"):
        shown = text(facilitator_client.get(reverse(f"workshop:{name}", args=[study.pk])))
        assert (
            "Iteration 1 does not count: 3 experts answered it, fewer than the study's minimum (4)"
        ) in shown, name
        assert "No closed round" not in shown
        # no mark of the vote, median, group matrix, plane nor ranking of three experts (the
        # hypotheses' distributions are all 0; the retained marks are the panel's decisions)
        for key in ('.probable"', '.desirable"', 'data-key="direct.', 'data-key="vote.'):
            assert key not in shown, (name, key)
        assert not re.search(r'\.(median|iqr)" data-value="-?\d', shown), name
        assert 'id="map"' not in shown


def test_the_minimum_is_a_study_setting(study: Study, facilitator_client: Client) -> None:
    url = reverse("workshop:study_edit", args=[study.pk])
    assert 'name="min_answers"' in text(facilitator_client.get(url))
    data = {
        "title": study.title,
        "horizon_years_min": 3,
        "horizon_years_max": 5,
        "language": "fr",
        "min_answers": "5",
    }
    assert facilitator_client.post(url, data).status_code == 302
    study.refresh_from_db()
    assert study.min_answers == 5
    assert export_study(study)["parameters"]["min_answers"] == 5
    data["min_answers"] = "0"
    assert facilitator_client.post(url, data).status_code == 200
    study.refresh_from_db()
    assert study.min_answers == 5


def test_once_answers_exist_the_minimum_can_be_raised_not_lowered(
    study: Study, facilitator_client: Client
) -> None:
    """Lowered after the answers came, the minimum would show (and export) an iteration
    that fewer experts answered, such as one whose only respondent the progress named."""
    assert study.rounds.exclude(status=Round.Status.DRAFT).exists()
    url = reverse("workshop:study_edit", args=[study.pk])
    data = {
        "title": study.title,
        "horizon_years_min": 3,
        "horizon_years_max": 5,
        "language": "fr",
        "min_answers": "4",
    }
    assert facilitator_client.post(url, data).status_code == 302  # raised
    data["min_answers"] = "1"
    refused = facilitator_client.post(url, data)
    assert refused.status_code == 200
    assert "can be raised, not lowered below 4" in text(refused)
    study.refresh_from_db()
    assert study.min_answers == 4
    assert study.lowest_min_answers() == 4
    # before any round has opened, any minimum may be set
    study.rounds.all().delete()
    assert facilitator_client.post(url, data).status_code == 302
    study.refresh_from_db()
    assert study.min_answers == 1


def test_every_page_of_a_matrix_below_the_minimum_answers_without_its_analysis(
    study: Study, facilitator_client: Client
) -> None:
    """3 matrices under a minimum of 4: no structural analysis. The pages that show a round
    of the matrix (its iterations, their downloads, the projector, an expert's feedback and
    their next iteration) still answer, without the group's matrix."""
    study.min_answers = 4
    study.save()
    first = study.rounds.get(step=Round.Step.INFLUENCE, iteration=1)
    second = next_iteration(study, Round.Step.INFLUENCE)
    e1 = expert_client_for(experts(study)["E1"])
    desk = [
        reverse("workshop:results_iterations", args=[study.pk, "influence"]),
        reverse("workshop:results_download", args=[study.pk, "iterations-influence", "csv"]),
        reverse("workshop:results_download", args=[study.pk, "iterations-influence", "xlsx"]),
        reverse("workshop:projector", args=[study.pk]),
        reverse("workshop:results_structure", args=[study.pk]),
    ]
    for address in desk:
        assert facilitator_client.get(address).status_code == 200, address
    for address in (
        reverse("workshop:expert_feedback", args=[study.pk, first.pk]),
        reverse("workshop:expert_answer", args=[study.pk, second.pk]),
    ):
        assert e1.get(address).status_code == 200, address
    feedback = text(e1.get(reverse("workshop:expert_feedback", args=[study.pk, first.pk])))
    assert 'data-key="group.' not in feedback


def test_the_shortlist_and_the_results_page_count_the_same_iterations(
    study: Study, facilitator_client: Client
) -> None:
    """E3 skipped the first vote (two respondents) and alone voted in the second (one),
    under a minimum of 3: neither iteration counts, on the results page as on the shortlist,
    which then lists the factors to keep by hand."""
    study.min_answers = 3
    study.save()
    FactorPoints.objects.filter(expert__code="E3").delete()
    second = next_iteration(study, Round.Step.FACTOR_VOTE)
    ballot = {"points-F1": "6", "points-F2": "3", "points-F3": "1"}
    post(expert_client_for(experts(study)["E3"]), "expert_vote_save", second, ballot)
    second.close()
    results = text(facilitator_client.get(reverse("workshop:results_vote", args=[study.pk])))
    shortlist = text(facilitator_client.get(reverse("workshop:shortlist", args=[study.pk])))
    for shown in (results, shortlist):
        assert "Iteration 1 does not count: 2 experts answered it" in shown
        assert "Iteration 2 does not count: 1 expert answered it" in shown
        assert "ballots." not in shown
    assert "No ranking: no iteration of the vote counts" in shortlist
    assert shortlist.count('name="factors"') == study.factors.count()


def test_a_vote_iteration_one_expert_answered_does_not_count(
    study: Study, facilitator_client: Client
) -> None:
    """An iteration answered by one expert (whom the progress named): its ranking would be
    their ballot, and how the ranking moved from the iteration before, their change. Below
    the minimum, it does not count: the results are the iteration before's, and the
    projector and the iterations page show nothing of it. With more ballots than the
    iterations that count hold, the page says why there is no ranking."""
    study.min_answers = 3
    study.save()
    before = study_results(study).analysis["factor_vote"]
    second = next_iteration(study, Round.Step.FACTOR_VOTE, respondents_only=True)
    ballot = {"points-F1": "6", "points-F2": "3", "points-F3": "1"}
    post(expert_client_for(experts(study)["E1"]), "expert_vote_save", second, ballot)
    second.close()
    analysis = study_results(study).analysis
    assert analysis["factor_vote"] == before  # the first iteration's three ballots
    assert analysis["iterations"]["factor_vote"]["standing"] == [{"iteration": 1, "answers": 3}]
    projector = text(facilitator_client.get(reverse("workshop:projector", args=[study.pk])))
    assert 'class="projector-ranking"' not in projector
    iterations = text(
        facilitator_client.get(
            reverse("workshop:results_iterations", args=[study.pk, "factor-vote"])
        )
    )
    assert 'data-key="it1.F1.points"' in iterations
    assert 'data-key="it2.' not in iterations
    exported = export_study(study)
    assert {b["iteration"] for b in exported["factor_vote"]["ballots"]} == {1}
    # the page says which iterations do not count, and why
    results = text(facilitator_client.get(reverse("workshop:results_vote", args=[study.pk])))
    assert "Iteration 2 does not count: 1 expert answered it, fewer than the study" in results
    assert "3 ballots." in results  # the first iteration's


# -- the export: fresh pseudonyms, sectors as counts, never an open round -----------------------


def test_an_expert_who_skipped_a_step_is_not_singled_out_in_the_others(study: Study) -> None:
    """The facilitator knows who answered each step. With one pseudonym for the whole
    study, the one without a matrix would be the expert who skipped the matrix, with all
    their ballots and votes. Each step names its experts in an order of its own: the
    pseudonym missing from the matrices is, from one export to the next, any expert's in
    the vote."""
    InfluenceScore.objects.filter(expert__code="E3").delete()  # E3 skipped the matrix
    ballot_of = {
        json.dumps(b["scores"], sort_keys=True): b["expert"]
        for b in study_document(study)["factor_vote"]["ballots"]
    }
    skipper_ballots = set()
    for _ in range(30):
        document = export_study(study)
        panel = {e["id"] for e in document["panel"]}
        with_matrix = {m["expert"] for m in document["structural_analysis"]["matrices"]}
        (missing,) = panel - with_matrix
        ballot = next(b for b in document["factor_vote"]["ballots"] if b["expert"] == missing)
        skipper_ballots.add(ballot_of[json.dumps(ballot["scores"], sort_keys=True)])
        # within a step, a pseudonym is one expert: every answer of the step is kept
        assert len(document["factor_vote"]["ballots"]) == 3
        assert len(with_matrix) == 2
    assert len(skipper_ballots) > 1  # not always E3's ballot (all but certain: 1 - 3**-29)


def test_two_exports_use_different_pseudonyms_and_analyse_the_same(
    example: Study, facilitator_client: Client
) -> None:
    url = reverse("workshop:study_export", args=[example.pk])
    first = json.loads(facilitator_client.get(url).content)
    second = json.loads(facilitator_client.get(url).content)
    codes = set(example.experts.values_list("code", flat=True))
    ids = [[e["id"] for e in document["panel"]] for document in (first, second)]
    assert set(ids[0]).isdisjoint(ids[1])  # every expert renamed again
    assert set(ids[0]).isdisjoint(codes)
    assert set(ids[1]).isdisjoint(codes)
    for document in (first, second):
        check_study(document)
        assert all(set(e) <= {"id", "simulated"} for e in document["panel"])
    a = analyse_study(first, resamples=100)
    b = analyse_study(second, resamples=100)
    back = {
        p2: p1
        for p1, p2 in zip(
            (m["expert"] for m in first["structural_analysis"]["matrices"]),
            (
                m["expert"]
                for m in sorted(
                    second["structural_analysis"]["matrices"],
                    key=lambda m: [
                        json.dumps(x["rows"]) for x in first["structural_analysis"]["matrices"]
                    ].index(json.dumps(m["rows"])),
                )
            ),
            strict=True,
        )
    }
    assert relabelled(b, back) == relabelled(a, {e: e for e in ids[0]})


def test_the_export_counts_sectors_and_never_lists_the_panels_order(study: Study) -> None:
    Expert.objects.filter(study=study, code="E2").update(sector="académique")
    document = export_study(study)
    assert document["panel_sectors"] == [
        {"sector": "académique", "experts": 2},
        {"sector": "emploi", "experts": 1},
    ]
    assert "sector" not in json.dumps(document["panel"])
    # the first ballot of the export is not the panel's first expert's, whatever the draw
    orders = set()
    for _ in range(12):
        exported = export_study(study)
        orders.add(tuple(json.dumps(b["scores"]) for b in exported["factor_vote"]["ballots"]))
    assert len(orders) > 1


def test_imports_of_1_0_and_1_1_with_iterations(facilitator: Any) -> None:
    one = import_study(small_study(), owner=facilitator)
    assert one.min_answers == 1  # a 1.0 file had no minimum
    document = as_1_1(small_study())
    section = document["hypotheses"]
    section["iterations"] = [{"iteration": 1}, {"iteration": 2, "respondents_only": True}]
    section["votes"] += [
        {"expert": "E1", "hypothesis": "F1-A", "iteration": 2, "probability": 4},
        {"expert": "E2", "hypothesis": "F1-A", "iteration": 2, "probability": 1},
    ]  # two experts: the minimum, so that the iteration counts on the desk
    document["parameters"]["min_answers"] = 2
    copy = import_study(document, owner=facilitator)
    assert copy.min_answers == 2
    rounds = list(copy.rounds.filter(step=Round.Step.HYPOTHESIS_VOTE).order_by("iteration"))
    assert [(r.iteration, r.status, r.respondents_only) for r in rounds] == [
        (1, "closed", False),
        (2, "closed", True),
    ]
    again = study_document(copy)
    assert again["hypotheses"]["iterations"] == section["iterations"]

    def key(vote: dict[str, Any]) -> str:
        return json.dumps(vote, sort_keys=True)

    assert sorted(map(key, again["hypotheses"]["votes"])) == sorted(map(key, section["votes"]))
    assert study_results(copy).analysis == analyse_study(document)


@pytest.mark.parametrize("step", [Round.Step.INFLUENCE, Round.Step.FACTOR_VOTE])
def test_no_export_holds_an_open_round(study: Study, step: str) -> None:
    second = next_iteration(study, step)
    client = expert_client_for(experts(study)["E1"])
    if step == Round.Step.INFLUENCE:
        post(
            client,
            "expert_matrix_cell_save",
            second,
            {"source": "F1", "target": "F2", "value": "0"},
        )
        section = "structural_analysis"
    else:
        post(client, "expert_vote_save", second, {"points-F1": "4", "points-F4": "1"})
        section = "factor_vote"
    document = export_study(study)
    assert {e["iteration"] for e in document[section]["iterations"]} == {1}
    items = "matrices" if section == "structural_analysis" else "ballots"
    assert {a["iteration"] for a in document[section][items]} == {1}
