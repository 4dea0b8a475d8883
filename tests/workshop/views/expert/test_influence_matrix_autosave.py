"""The influence matrix's autosave, the busiest endpoint of a workshop (one POST per answer,
from every expert at once): few queries whatever the number of answers, one row per cell
(an upsert on the cell's unique key), revisions kept, concurrent saves never lost.

Its load is measured by ``benchmarks/bench_load.py``; these tests guard what makes it fast
and safe.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from anticipe.workshop.models import Expert, Factor, InfluenceScore, Round, Study
from tests.workshop.support import HTMX, ON_POSTGRESQL, expert_client_for, open_round, text, url

# Session, expert, round, factors; in the transaction the round's lock and the upsert; then
# the count for the progress (plus the transaction's own statements on SQLite).
MAX_QUERIES = 9


@pytest.fixture
def twenty(study: Study) -> Round:
    """An open influence round on 20 factors."""
    for number in range(5, 21):
        Factor.objects.create(study=study, code=f"F{number}", title=f"Factor {number}")
    codes = [f"F{number}" for number in range(1, 21)]
    return open_round(study, Round.Step.INFLUENCE, {"factors": codes})


def save(client: Client, round_: Round, source: str, target: str, value: str) -> Any:
    return client.post(
        url("expert_matrix_cell_save", round_),
        {"source": source, "target": target, "value": value},
        **HTMX,
    )


def test_a_save_takes_few_queries_even_with_a_full_matrix(
    twenty: Round,
    expert: Expert,
    expert_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    factors = list(twenty.study.factors.filter(code__in=twenty.settings["factors"]))
    InfluenceScore.objects.bulk_create(
        InfluenceScore(round=twenty, expert=expert, source=s, target=t, value="1")
        for s in factors
        for t in factors
        if s != t and (s.code, t.code) != ("F1", "F2")
    )
    with django_assert_max_num_queries(MAX_QUERIES) as queries:
        response = save(expert_client, twenty, "F1", "F2", "3")
    assert response.status_code == 200
    # the study's long documents (the report's chapters...) are not read on every answer
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    for name in Study.DOCUMENTS:
        assert f'"workshop_study"."{name}"' not in sql
    page = text(response)
    assert "380 of 380 answers given" in page
    assert "19 of 19 answered for this factor" in page


def test_a_revised_answer_replaces_the_first_in_the_same_row(
    twenty: Round, expert: Expert, expert_client: Client
) -> None:
    assert save(expert_client, twenty, "F1", "F2", "2").status_code == 200
    first = InfluenceScore.objects.get(round=twenty, expert=expert)
    response = save(expert_client, twenty, "F1", "F2", "p")
    assert response.status_code == 200
    assert "1 of 380 answers given" in text(response)
    assert "1 of 19 answered for this factor" in text(response)
    revised = InfluenceScore.objects.get(round=twenty, expert=expert)
    assert (revised.pk, revised.value) == (first.pk, "P")
    assert revised.updated_at >= first.updated_at


def test_progress_counts_only_the_rounds_factors_and_not_the_diagonal(
    twenty: Round, expert: Expert, expert_client: Client
) -> None:
    extra = Factor.objects.create(study=twenty.study, code="F21", title="Not in the round")
    f1 = twenty.study.factors.get(code="F1")
    InfluenceScore.objects.create(round=twenty, expert=expert, source=f1, target=extra, value="3")
    InfluenceScore.objects.create(round=twenty, expert=expert, source=f1, target=f1, value="3")
    response = save(expert_client, twenty, "F1", "F3", "1")
    assert "1 of 380 answers given" in text(response)
    assert "1 of 19 answered for this factor" in text(response)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_experts_saving_the_same_cell_at_once_through_the_site_lose_nothing(
    facilitator: Any, observer: Any
) -> None:
    from anticipe.workshop.study_format import import_study
    from tests.studies import small_study

    study = import_study(small_study(), owner=facilitator)
    round_ = open_round(study, Round.Step.INFLUENCE, {"factors": ["F1", "F2", "F3"]})
    experts = list(study.experts.order_by("code"))
    clients = {expert.code: expert_client_for(expert) for expert in experts}
    start = threading.Barrier(2 * len(experts))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(code: str, value: str) -> None:
        try:
            start.wait(10)
            statuses.append(save(clients[code], round_, "F1", "F2", value).status_code)
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(expert.code, value), daemon=True)
        for expert in experts
        for value in ("1", "2")  # each expert twice on the same cell, at the same time
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert statuses == [200] * len(threads)
    stored = InfluenceScore.objects.filter(round=round_, source__code="F1", target__code="F2")
    assert sorted(stored.values_list("expert__code", flat=True)) == [e.code for e in experts]
    assert set(stored.values_list("value", flat=True)) <= {"1", "2"}
