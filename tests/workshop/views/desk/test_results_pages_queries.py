"""The desk stays fast with a big study: the number of queries of every results page is
bounded, the same for 3 experts x 4 factors as for 40 experts x 30 factors (the numbers come
from the method core, which runs on a study document built with a few queries).

The timings themselves are measured by ``benchmarks/bench_results_pages.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anticipe.study.analysis import analyse_study
from anticipe.workshop.models import Study
from anticipe.workshop.results import study_results
from anticipe.workshop.study_format import import_study, study_document
from tests.workshop.support import shown_float, shown_values, simulated_study

# The most queries a results page may make, whatever the size of the study (the results
# pages: +5 to count who answered each iteration of the numeric steps, since an iteration
# fewer experts answered than the minimum does not count, and which ones are left out).
MAX_QUERIES = {
    "desk": 10,
    "results_vote": 30,
    "results_structure": 30,
    "results_hypotheses": 32,  # with the minimum-answers rule and the decisions' check
    "results_impacts": 30,
    "projector_panel": 30,
    "key_factors": 30,
    "action_plan": 12,
    "impacts_table": 15,
    "cross_impacts": 35,
    "decisions_log": 8,
}


@pytest.fixture
def big_study(facilitator: Any) -> Study:
    document = simulated_study(40, 30)
    # fewer bootstrap resamples keep the test quick; the benchmark runs the default 1000
    document["parameters"] = {"disagreement": {"resamples": 100, "seed": 1}}
    return import_study(document, owner=facilitator)


def _count_queries(client: Client, study: Study, django_assert_max_num_queries: Any) -> None:
    factor = study.factors.key().first()
    assert factor is not None
    pages = [
        (reverse(f"workshop:{name}", args=[study.pk]), most) for name, most in MAX_QUERIES.items()
    ]
    pages.append(
        (reverse("workshop:factor_decisions", args=[study.pk, factor.pk]), 36)
    )  # 31: whether its texts wait for a round to close
    for url, most in pages:
        client.get(url)  # the first request computes and caches the structural analysis
        with django_assert_max_num_queries(most, info=url):
            assert client.get(url).status_code == 200


def test_queries_are_bounded_on_the_small_study(
    study: Study, facilitator_client: Client, django_assert_max_num_queries: Any
) -> None:
    _count_queries(facilitator_client, study, django_assert_max_num_queries)


@pytest.mark.slow
def test_queries_are_bounded_and_numbers_right_on_a_big_study(
    big_study: Study, facilitator_client: Client, django_assert_max_num_queries: Any
) -> None:
    assert big_study.experts.count() == 40
    assert big_study.experts.filter(simulated=True).count() == 40
    assert big_study.simulation is not None
    _count_queries(facilitator_client, big_study, django_assert_max_num_queries)
    expected = analyse_study(study_document(big_study))
    assert study_results(big_study).analysis == expected
    shown = shown_values(
        facilitator_client.get(reverse("workshop:results_structure", args=[big_study.pk])).content
    )
    sa = expected["structural_analysis"]
    for code in sa["factors"]:
        assert shown_float(shown, f"indirect.{code}.influence") == sa["indirect"]["influence"][code]
    page = facilitator_client.get(reverse("workshop:results_vote", args=[big_study.pk]))
    assert b"Simulated answers" in page.content or "simulées".encode() in page.content
