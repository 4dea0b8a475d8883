"""The desk's results are the method core's: the document the desk builds is the study
file export, and its analysis is ``analyse_study`` of that export."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from anticipe.study.analysis import analyse_study
from anticipe.workshop import pseudonyms
from anticipe.workshop.models import (
    CrossImpact,
    Factor,
    Hypothesis,
    HypothesisVote,
    Round,
    Study,
)
from anticipe.workshop.pseudonyms import pseudonymised
from anticipe.workshop.results import study_document, study_results
from anticipe.workshop.study_format import export_study
from tests.workshop.support import shown_float, shown_values


def reversed_codes(codes: Any) -> dict[str, str]:
    """Pseudonyms for a test: the panel's codes in reverse order (an export draws them at
    random)."""
    codes = list(codes)
    return dict(zip(codes, reversed(codes), strict=True))


def test_document_is_the_export_under_pseudonyms(study: Study, monkeypatch: Any) -> None:
    monkeypatch.setattr(pseudonyms, "fresh_pseudonyms", reversed_codes)
    monkeypatch.setattr(pseudonyms, "shuffled", list)  # each step in the panel's order
    renamed = reversed_codes(sorted(study.experts.values_list("code", flat=True)))
    assert export_study(study) == pseudonymised(study_document(study), renamed)


def test_document_of_the_example_is_the_export(example: Study, monkeypatch: Any) -> None:
    monkeypatch.setattr(pseudonyms, "fresh_pseudonyms", reversed_codes)
    monkeypatch.setattr(pseudonyms, "shuffled", list)
    renamed = reversed_codes(sorted(example.experts.values_list("code", flat=True)))
    assert export_study(example) == pseudonymised(study_document(example), renamed)


def test_analysis_is_the_cores(study: Study) -> None:
    expected = analyse_study(study_document(study))
    assert study_results(study).analysis == expected
    # a second time, the structural analysis comes from the cache: still equal
    assert study_results(study).analysis == expected


def test_analysis_of_the_example_is_the_cores(example: Study) -> None:
    assert study_results(example).analysis == analyse_study(study_document(example))


def test_a_decision_changes_the_analysis_but_not_the_cached_structure(study: Study) -> None:
    study_results(study)
    factor = study.factors.get(code="F2")
    factor.key_origin = Factor.KeyOrigin.ADDITION
    factor.key_reason = "Asked for by the panel."
    factor.key_position = 5
    factor.save()
    results = study_results(study)
    assert [k["code"] for k in results.analysis["key_factors"]] == ["F1", "F3", "F2"]
    assert results.analysis == analyse_study(study_document(study))


def test_results_are_those_of_closed_rounds(study: Study) -> None:
    vote = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    Round.objects.create(study=study, step=vote.step, iteration=2, status=Round.Status.OPEN)
    results = study_results(study)
    assert results.rounds[Round.Step.HYPOTHESIS_VOTE] == vote
    statistics = results.analysis["hypotheses"][0]["statistics"]
    assert statistics["hypotheses"][0]["probability"]["n_answers"] == 2


# -- the numbers on the pages are the core's --------------------------------------------------


def _page(client: Any, name: str, study: Study) -> dict[str, str | None]:
    response = client.get(reverse(f"workshop:{name}", args=[study.pk]))
    assert response.status_code == 200
    return shown_values(response.content)


def _parameters(client: Any, name: str, study: Study) -> set[str]:
    html = client.get(reverse(f"workshop:{name}", args=[study.pk])).content.decode()
    return set(re.findall(r'data-parameter="([^"]+)"', html))


@pytest.mark.parametrize("which", ["study", "example"])
def test_factor_vote_page_shows_the_cores_numbers(
    which: str, request: pytest.FixtureRequest, facilitator_client: Any
) -> None:
    shown_study = request.getfixturevalue(which)
    vote = analyse_study(export_study(shown_study))["factor_vote"]
    shown = _page(facilitator_client, "results_vote", shown_study)
    for item in vote["ranking"]:
        code = item["factor"]
        assert shown_float(shown, f"vote.{code}.points") == item["points"]
        assert shown_float(shown, f"vote.{code}.support") == item["support"]
        assert shown_float(shown, f"vote.{code}.rank") == item["rank"]
    tally = {t["factor"]: t for t in vote["tally"]}
    for code, item in tally.items():
        assert shown_float(shown, f"vote.{code}.mean") == item["mean"]
    assert shown_float(shown, "vote.kendall.w") == vote["concordance"]["w"]
    assert shown_float(shown, "vote.kendall.p") == vote["concordance"]["p_value"]
    assert {"shortlist_size", "points_per_expert", "concordance.tie_correction"} <= _parameters(
        facilitator_client, "results_vote", shown_study
    )


@pytest.mark.parametrize("which", ["study", "example"])
def test_structure_page_shows_the_cores_numbers(
    which: str, request: pytest.FixtureRequest, facilitator_client: Any
) -> None:
    shown_study = request.getfixturevalue(which)
    analysis = analyse_study(export_study(shown_study))
    sa, spread = analysis["structural_analysis"], analysis["disagreement"]
    shown = _page(facilitator_client, "results_structure", shown_study)
    for code in sa["factors"]:
        for plane in ("direct", "indirect"):
            for axis in ("influence", "dependence"):
                assert shown_float(shown, f"{plane}.{code}.{axis}") == sa[plane][axis][code]
            assert (
                shown_float(shown, f"displacement.{code}.influence")
                == (sa["displacement"][code]["influence"])
            )
        assert (
            shown_float(shown, f"bootstrap.{code}")
            == (spread["bootstrap"]["selection_probability"][code])
        )
        interval = spread["bootstrap"]["rank_intervals"]["indirect_influence"][code]
        assert shown_float(shown, f"stability.{code}.influence.median") == interval["median"]
        assert shown[f"stability.{code}.influence.interval"] == (
            f"{interval['low']}-{interval['high']}"
        )
    for i, source in enumerate(sa["factors"]):
        for j, target in enumerate(sa["factors"]):
            iqr = sa["dispersion"]["iqr"][i][j]
            if i != j and iqr is not None:
                assert shown_float(shown, f"iqr.{source}.{target}") == iqr
    for code in sa["selection"]["selected"]:
        assert f"selection.{code}" in shown
    assert shown_float(shown, "structure.kendall.w") == spread["concordance"]["kendall"]["w"]
    parameters = _parameters(facilitator_client, "results_structure", shown_study)
    assert {
        "aggregation",
        "potential_weight",
        "max_power",
        "selection_basis",
        "disagreement.resamples",
        "disagreement.seed",
    } <= parameters


@pytest.mark.parametrize("which", ["study", "example"])
def test_hypotheses_page_shows_the_cores_numbers(
    which: str, request: pytest.FixtureRequest, facilitator_client: Any
) -> None:
    shown_study = request.getfixturevalue(which)
    analysis = analyse_study(export_study(shown_study))
    shown = _page(facilitator_client, "results_hypotheses", shown_study)
    checked = 0
    for block in analysis["hypotheses"]:
        for item in block["hypotheses"]:
            code = item["code"]
            for letter, name in (("p", "probability"), ("d", "desirability")):
                stats = item[name]
                if stats is None:
                    assert f"{letter}.{code}.median" not in shown
                    continue
                assert shown_float(shown, f"{letter}.{code}.median") == stats["median"]
                assert shown_float(shown, f"{letter}.{code}.iqr") == stats["iqr"]
                for value, count in zip(stats["scale_values"], stats["distribution"], strict=True):
                    assert shown_float(shown, f"{letter}.{code}.{value}") == count
                checked += 1
            assert (f"mark.{code}.probable" in shown) == item["most_probable"]
            assert (f"mark.{code}.desirable" in shown) == item["most_desirable"]
            assert (f"mark.{code}.retained" in shown) == item["retained"]
        if block["retention"]:
            assert shown[f"proposal.{block['factor']}"] is None  # a key without a value
    assert checked > 0
    assert {"consensus_max_iqr", "quantile_method", "tie_rule", "retention_rule"} <= _parameters(
        facilitator_client, "results_hypotheses", shown_study
    )


def test_coherence_names_the_inconsistent_descriptors(
    study: Study, facilitator_client: Any
) -> None:
    # F3-BC hinders F1-B strongly: F1's retained hypothesis is no longer the best supported
    f1_a = Hypothesis.objects.get(factor__study=study, code="F1-A")
    f3_bc = Hypothesis.objects.get(factor__study=study, code="F3-BC")
    CrossImpact.objects.filter(source=f3_bc).update(value=-3)
    CrossImpact.objects.create(source=f3_bc, target=f1_a, value=3)
    coherence = analyse_study(export_study(study))["scenario"]["coherence"]["consistency"]
    assert coherence["inconsistent_descriptors"] == ["F1"]
    shown = _page(facilitator_client, "results_hypotheses", study)
    assert "inconsistent.F1" in shown
    assert "inconsistent.F3" not in shown


@pytest.mark.parametrize("which", ["study", "example"])
def test_impacts_page_shows_the_cores_numbers(
    which: str, request: pytest.FixtureRequest, facilitator_client: Any
) -> None:
    shown_study = request.getfixturevalue(which)
    impacts = analyse_study(export_study(shown_study))["impacts"]
    shown = _page(facilitator_client, "results_impacts", shown_study)
    for item in impacts["activity_counts"]:
        assert shown_float(shown, f"impacts.{item['activity']}.count") == item["count"]
    for item in impacts["competences"]:
        assert (
            shown_float(shown, f"competences.{item['competence']}.occurrences")
            == (item["occurrences"])
        )


def test_an_expert_who_did_not_vote_is_not_counted_as_dont_know(
    study: Study, facilitator_client: Any
) -> None:
    vote = HypothesisVote.objects.filter(
        hypothesis__code="F1-B", probability__isnull=False, desirability__isnull=False
    ).first()
    assert vote is not None
    vote.delete()
    cache.clear()
    analysis = analyse_study(export_study(study))
    stats = next(
        item["probability"]
        for block in analysis["hypotheses"]
        for item in block["hypotheses"]
        if item["code"] == "F1-B"
    )
    assert stats["n_no_answer"] == 1
    html = facilitator_client.get(reverse("workshop:results_hypotheses", args=[study.pk]))
    card = html.content.decode()
    card = card[card.index('id="hypothesis-F1-B"') :]
    assert "1 expert did not answer" in card[: card.index("</li>") if "</li>" in card else None]
    assert f"{stats['n_dont_know']} don't know" in card
