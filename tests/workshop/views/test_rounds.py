"""The rounds, facilitator side: steps and rounds, opening and closing rules, live progress
(who, never how much nor what while a round is open), the synthesis of proposals and the
vote's shortlist."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connections, transaction
from django.test import Client
from django.urls import reverse

from anticipe.workshop import rules
from anticipe.workshop.models import (
    Expert,
    FactorPoints,
    FactorProposal,
    InfluenceScore,
    Round,
    RoundClosed,
    Situation,
    Study,
)
from anticipe.workshop.study_format import import_study
from tests.studies import small_study
from tests.workshop.support import ON_POSTGRESQL, draft_iteration, expert_client_for, round_of
from tests.workshop.support import text as page


def bare_document() -> dict[str, Any]:
    """The small study before any round: perimeter, panel and four factors."""
    document = small_study()
    for section in (
        "factor_vote",
        "structural_analysis",
        "key_factors",
        "hypotheses",
        "cross_impacts",
        "actions",
        "competences",
        "impacts",
    ):
        document.pop(section)
    return document


@pytest.fixture
def fresh_study(facilitator: Any, observer: Any) -> Study:
    from anticipe.workshop.models import StudyMember

    created = import_study(bare_document(), owner=facilitator)
    StudyMember.objects.create(study=created, user=observer, role=StudyMember.Role.OBSERVER)
    return created


def new_round(study: Study, step: str, *, opened: bool = True, **settings: Any) -> Round:
    round_ = Round.objects.create(study=study, step=step, settings=settings)
    if opened:
        round_.open()
    return round_


def actions_of(study: Study) -> list[str]:
    return list(study.audit_events.values_list("action", flat=True))


# -- who may see what: tests/workshop/test_access.py -------------------------------------------


def test_a_round_of_another_study_is_not_found(
    study: Study, other_study: Study, facilitator_client: Client
) -> None:
    foreign = round_of(other_study, "factor_vote")
    url = reverse("workshop:round_reopen", args=[study.pk, foreign.pk])
    assert facilitator_client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Round.Status.CLOSED


# -- the rounds page ------------------------------------------------------------------------------


def test_rounds_page_shows_the_seven_steps_in_order(
    study: Study, facilitator_client: Client
) -> None:
    content = page(facilitator_client.get(reverse("workshop:rounds", args=[study.pk])))
    positions = [content.index(f'id="step-{step}"') for step in Round.Step.values]
    assert positions == sorted(positions)
    assert len(positions) == 7
    # numbered as on the study's path, where 1 is the job's perimeter and 9 the report
    numbers = re.findall(r'<span class="step-number">(\d+)\.</span>', content)
    assert numbers == [str(n) for n in range(2, 9)]
    path = page(facilitator_client.get(reverse("workshop:study", args=[study.pk])))
    assert re.search(r'id="path-proposals".*?<span class="path-number"[^>]*>2</span>', path, re.S)
    # the imported study's closed rounds, with their progress
    vote = content[content.index('id="step-factor_vote"') : content.index('id="step-influence"')]
    assert "Iteration 1" in vote
    assert "3 of 3 experts answered" in vote
    assert "of 30 points" not in vote  # no amount, not even the panel's
    assert "10 of 10 points" not in vote
    assert reverse("workshop:shortlist", args=[study.pk]) in vote
    assert reverse("workshop:round_reopen", args=[study.pk, round_of(study, "factor_vote").pk]) in (
        vote
    )


def test_create_a_factor_vote_round_with_its_settings(
    fresh_study: Study, facilitator_client: Client
) -> None:
    url = reverse("workshop:round_create", args=[fresh_study.pk, "factor_vote"])
    form = page(facilitator_client.get(url))
    assert 'name="points_per_expert"' in form
    assert 'value="10"' in form
    count = fresh_study.factors.count()
    assert count < 20  # the default follows the study: never more than its factors
    assert f'name="shortlist_size" value="{count}"' in form
    too_many = facilitator_client.post(
        url, {"points_per_expert": "12", "shortlist_size": str(count + 1)}
    )
    assert too_many.status_code == 200
    assert f"Keep at most {count} factors" in page(too_many)
    assert not fresh_study.rounds.exists()
    response = facilitator_client.post(url, {"points_per_expert": "12", "shortlist_size": "3"})
    assert response.status_code == 302
    round_ = round_of(fresh_study, "factor_vote")
    assert round_.status == Round.Status.DRAFT
    assert round_.settings == {"method": "points", "points_per_expert": 12, "shortlist_size": 3}
    event = fresh_study.audit_events.get(action="round_created")
    assert event.detail["step"] == "factor_vote"
    assert event.detail["settings"]["points_per_expert"] == 12


def test_create_a_hypothesis_vote_round_with_scales(
    fresh_study: Study, facilitator_client: Client
) -> None:
    url = reverse("workshop:round_create", args=[fresh_study.pk, "hypothesis_vote"])
    bad = facilitator_client.post(
        url,
        {
            "probability_min": "3",
            "probability_max": "3",
            "desirability_min": "1",
            "desirability_max": "4",
        },
    )
    assert bad.status_code == 200
    assert "above the lowest" in page(bad)
    assert not fresh_study.rounds.exists()
    facilitator_client.post(
        url,
        {
            "probability_min": "1",
            "probability_max": "4",
            "desirability_min": "0",
            "desirability_max": "5",
        },
    )
    assert round_of(fresh_study, "hypothesis_vote").settings == {
        "probability_scale": {"min": 1, "max": 4},
        "desirability_scale": {"min": 0, "max": 5},
    }


def test_create_a_round_without_settings(fresh_study: Study, facilitator_client: Client) -> None:
    url = reverse("workshop:round_create", args=[fresh_study.pk, "proposals"])
    assert facilitator_client.post(url).status_code == 302
    assert round_of(fresh_study, "proposals").settings == {}
    # a second one is refused: that is what iterations are for
    facilitator_client.post(url)
    assert fresh_study.rounds.filter(step="proposals").count() == 1


def test_unknown_step_is_not_found(fresh_study: Study, facilitator_client: Client) -> None:
    url = reverse("workshop:round_create", args=[fresh_study.pk, "nonsense"])
    assert facilitator_client.get(url).status_code == 404


# -- opening and closing ------------------------------------------------------------------------


def post(client: Client, name: str, round_: Round) -> Any:
    return client.post(reverse(name, args=[round_.study_id, round_.pk]), follow=True)


def test_open_close_reopen(fresh_study: Study, facilitator_client: Client) -> None:
    round_ = new_round(fresh_study, "proposals", opened=False)
    post(facilitator_client, "workshop:round_open", round_)
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    assert round_.opened_at is not None
    # opening twice is refused with a message
    response = post(facilitator_client, "workshop:round_open", round_)
    assert "already been opened" in page(response)
    post(facilitator_client, "workshop:round_close", round_)
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    assert round_.closed_at is not None
    response = post(facilitator_client, "workshop:round_close", round_)
    assert "not open" in page(response)
    post(facilitator_client, "workshop:round_reopen", round_)
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    assert round_.closed_at is None
    assert actions_of(fresh_study)[::-1] == ["round_opened", "round_closed", "round_reopened"]


def test_reopen_only_while_the_study_is_running(study: Study, facilitator_client: Client) -> None:
    study.status = Study.Status.PUBLISHED
    study.save()
    round_ = round_of(study, "factor_vote")
    response = post(facilitator_client, "workshop:round_reopen", round_)
    assert "published" in page(response)
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    assert not study.audit_events.exists()


def test_one_open_iteration_per_step(study: Study, facilitator_client: Client) -> None:
    first = round_of(study, "factor_vote")
    # the next iteration only after the latest is closed, with the same settings
    post(facilitator_client, "workshop:round_next_iteration", first)
    second = round_of(study, "factor_vote", 2)
    assert second.settings == first.settings
    assert second.status == Round.Status.DRAFT
    assert study.audit_events.filter(action="round_iteration_created").exists()
    # only from the latest iteration
    post(facilitator_client, "workshop:round_next_iteration", first)
    assert study.rounds.filter(step="factor_vote").count() == 2
    # the earlier iteration cannot be reopened once a later one exists
    response = post(facilitator_client, "workshop:round_reopen", first)
    assert "later iteration" in page(response)
    post(facilitator_client, "workshop:round_open", second)
    second.refresh_from_db()
    assert second.is_open()
    # not while it is open
    post(facilitator_client, "workshop:round_next_iteration", second)
    assert study.rounds.filter(step="factor_vote").count() == 2


def test_the_influence_round_fixes_its_factors_when_it_opens(
    fresh_study: Study, facilitator_client: Client
) -> None:
    fresh_study.factors.filter(code__in=["F4", "F2"]).update(shortlisted=True)
    facilitator_client.post(reverse("workshop:round_create", args=[fresh_study.pk, "influence"]))
    round_ = round_of(fresh_study, "influence")
    assert "factors" not in round_.settings  # not yet: fixed at opening
    post(facilitator_client, "workshop:round_open", round_)
    round_.refresh_from_db()
    assert round_.settings["factors"] == ["F2", "F4"]  # the shortlist, in the factors' order
    assert fresh_study.audit_events.get(action="round_opened").detail["settings"] == {
        "factors": ["F2", "F4"]
    }
    # the shortlist changes afterwards: the round keeps its factors
    fresh_study.factors.filter(code="F1").update(shortlisted=True)
    post(facilitator_client, "workshop:round_close", round_)
    post(facilitator_client, "workshop:round_reopen", round_)
    round_.refresh_from_db()
    assert round_.settings["factors"] == ["F2", "F4"]
    content = page(facilitator_client.get(reverse("workshop:rounds", args=[fresh_study.pk])))
    assert {row.expected for row in rules.round_progress(round_).experts} == {2}  # 2 factors
    assert "0 of 2 cells" not in content  # no expert's own count is shown
    # and so does its next iteration (Delphi: the same matrix)
    post(facilitator_client, "workshop:round_close", round_)
    post(facilitator_client, "workshop:round_next_iteration", round_)
    assert round_of(fresh_study, "influence", 2).settings["factors"] == ["F2", "F4"]


def test_the_influence_round_needs_two_shortlisted_factors(
    fresh_study: Study, facilitator_client: Client
) -> None:
    fresh_study.factors.filter(code="F1").update(shortlisted=True)
    round_ = new_round(fresh_study, "influence", opened=False)
    response = post(facilitator_client, "workshop:round_open", round_)
    assert "at least 2 shortlisted factors" in page(response)
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT
    assert "factors" not in round_.settings


def test_steps_that_need_earlier_decisions(fresh_study: Study, facilitator_client: Client) -> None:
    for step in ("situations", "hypothesis_vote", "actions", "impacts"):
        round_ = new_round(fresh_study, step, opened=False)
        post(facilitator_client, "workshop:round_open", round_)
        round_.refresh_from_db()
        assert round_.status == Round.Status.DRAFT, step


# -- progress: who, never what; how much only once the round is closed ---------------------------


def test_progress_counts_answers_of_the_imported_study(
    study: Study, facilitator_client: Client
) -> None:
    def progress(step: str) -> str:
        url = reverse("workshop:round_progress", args=[study.pk, round_of(study, step).pk])
        return page(facilitator_client.get(url, headers={"HX-Request": "true"}))

    vote = progress("factor_vote")
    assert "<html" not in vote  # the partial alone, for htmx
    assert "3 of 3 experts answered" in vote
    assert vote.count("has answered") == 3
    influence = progress("influence")
    hypotheses = progress("hypothesis_vote")
    # who has answered, never how much, even once the round is closed and for the panel: a
    # total that moved between a close and a close after a reopening would tell the amount
    # of the experts who answered meanwhile, which matches a pseudonym's in the study file
    shown_counts = (
        (vote, "10 of 10", "30 of 30 points"),
        (influence, "6 of 6", "18 of 18 cells"),
        (hypotheses, "5 of 5", "15 of 15 hypotheses"),
    )
    for shown, own, panel in shown_counts:
        assert own not in shown
        assert panel not in shown
        assert "finished" not in shown
        assert "in progress" not in shown
    # a closed round is not polled
    assert "hx-trigger" not in vote


def test_progress_never_shows_an_answer(
    study: Study, expert: Expert, facilitator_client: Client
) -> None:
    round_ = new_round(study, "proposals")
    FactorProposal.objects.create(
        round=round_, expert=expert, title="Zebra crossings everywhere", explanation="Quokka"
    )
    situations = new_round(study, "situations")
    Situation.objects.create(
        round=situations,
        expert=expert,
        factor=study.factors.get(code="F1"),
        current="Narwhal today",
        future="Axolotl tomorrow",
    )
    for target in (round_, situations):
        url = reverse("workshop:round_progress", args=[study.pk, target.pk])
        partial = page(facilitator_client.get(url, headers={"HX-Request": "true"}))
        full = page(facilitator_client.get(url))
        assert "<html" in full
        for content in (partial, full):
            for secret in ("Zebra", "Quokka", "Narwhal", "Axolotl"):
                assert secret not in content
        # an open round is polled every few seconds
        assert 'hx-trigger="every 5s"' in partial
    proposals_progress = page(
        facilitator_client.get(reverse("workshop:round_progress", args=[study.pk, round_.pk]))
    )
    assert "1 proposal" not in proposals_progress  # no amount while the round is open
    assert "1 of 3 experts answered" in proposals_progress
    situations_progress = page(
        facilitator_client.get(reverse("workshop:round_progress", args=[study.pk, situations.pk]))
    )
    assert "1 of 2 factors" not in situations_progress  # no expert's own count
    assert "1 of 3 experts answered" in situations_progress
    rounds_page = page(facilitator_client.get(reverse("workshop:rounds", args=[study.pk])))
    for secret in ("Zebra", "Quokka", "Narwhal", "Axolotl"):
        assert secret not in rounds_page


def test_progress_shows_no_influence_value(study: Study, facilitator_client: Client) -> None:
    """Two experts with opposite matrices have the same progress: nothing tells them apart."""
    round_ = round_of(study, "influence")
    url = reverse("workshop:round_progress", args=[study.pk, round_.pk])
    before = page(facilitator_client.get(url, headers={"HX-Request": "true"}))
    InfluenceScore.objects.filter(round=round_, expert__code="E1").update(value="3")
    InfluenceScore.objects.filter(round=round_, expert__code="E2").update(value="0")
    after = page(facilitator_client.get(url, headers={"HX-Request": "true"}))
    assert after == before


def test_progress_of_a_draft_round_is_not_found(
    fresh_study: Study, facilitator_client: Client
) -> None:
    round_ = new_round(fresh_study, "proposals", opened=False)
    url = reverse("workshop:round_progress", args=[fresh_study.pk, round_.pk])
    assert facilitator_client.get(url).status_code == 404


# -- closing while an answer is being saved ------------------------------------------------------


def save_proposal(round_: Round, expert: Expert, title: str) -> None:
    """What the expert's page does: lock the round, check it is open, save."""
    with transaction.atomic():
        locked = round_.lock_for_answer()
        FactorProposal.objects.create(round=locked, expert=expert, title=title)


@pytest.mark.django_db(transaction=True)
def test_an_answer_saved_before_the_close_is_kept_after_it_refused(study: Study) -> None:
    expert = study.experts.get(code="E1")
    round_ = new_round(study, "proposals")
    save_proposal(round_, expert, "Before the close")
    round_.close()
    with pytest.raises(RoundClosed):
        save_proposal(round_, expert, "After the close")
    titles = list(FactorProposal.objects.filter(round=round_).values_list("title", flat=True))
    assert titles == ["Before the close"]
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED


@pytest.mark.django_db(transaction=True)
def test_a_refused_answer_leaves_nothing_half_saved(fresh_study: Study) -> None:
    expert = fresh_study.experts.get(code="E1")
    round_ = new_round(fresh_study, "factor_vote", points_per_expert=10)
    factors = list(fresh_study.factors.order_by("position"))
    round_.close()

    def save_then_check() -> None:
        with transaction.atomic():
            FactorPoints.objects.create(round=round_, expert=expert, factor=factors[0], points=4)
            round_.lock_for_answer()  # checked in the same transaction: all is rolled back

    with pytest.raises(RoundClosed):
        save_then_check()
    assert not FactorPoints.objects.filter(round=round_).exists()


def in_thread(target: Callable[[], None], errors: list[BaseException]) -> threading.Thread:
    def run() -> None:
        try:
            target()
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_closing_waits_for_a_save_in_progress_which_is_kept(study: Study) -> None:
    expert = study.experts.get(code="E2")
    round_ = new_round(study, "proposals")
    locked, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_save() -> None:
        with transaction.atomic():
            held = round_.lock_for_answer()
            FactorProposal.objects.create(round=held, expert=expert, title="Saved while closing")
            locked.set()
            assert release.wait(10)

    saver = in_thread(slow_save, errors)
    assert locked.wait(10)
    closer = in_thread(lambda: Round.objects.get(pk=round_.pk).close(), errors)
    time.sleep(0.5)
    assert closer.is_alive()  # the close waits for the save's lock
    assert Round.objects.get(pk=round_.pk).status == Round.Status.OPEN
    release.set()
    saver.join(10)
    closer.join(10)
    assert not errors
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    answer = FactorProposal.objects.get(round=round_)
    assert answer.title == "Saved while closing"
    assert answer.updated_at <= round_.closed_at
    with pytest.raises(RoundClosed):
        save_proposal(round_, expert, "Too late")
    close_old_connections()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs concurrent transactions (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_experts_saving_at_once_are_both_kept(fresh_study: Study) -> None:
    study = fresh_study
    round_ = new_round(study, "influence", factors=["F1", "F2", "F3"])
    f1, f2 = study.factors.get(code="F1"), study.factors.get(code="F2")
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def save(code: str, value: str) -> Callable[[], None]:
        def run() -> None:
            expert = Expert.objects.get(study=study, code=code)
            start.wait(10)
            with transaction.atomic():
                held = round_.lock_for_answer()
                # the same cell twice for E1: serialised by the round's lock, no duplicate
                InfluenceScore.objects.update_or_create(
                    round=held, expert=expert, source=f1, target=f2, defaults={"value": value}
                )

        return run

    threads = [
        in_thread(save("E1", "1"), errors),
        in_thread(save("E1", "2"), errors),
        in_thread(save("E2", "3"), errors),
        in_thread(save("E3", "P"), errors),
    ]
    for thread in threads:
        thread.join(20)
    assert not errors
    scores = InfluenceScore.objects.filter(round=round_, source=f1, target=f2)
    assert sorted(scores.values_list("expert__code", flat=True)) == ["E1", "E2", "E3"]
    assert scores.get(expert__code="E1").value in {"1", "2"}
    assert scores.get(expert__code="E2").value == "3"


# -- synthesis 1: proposals merged into factors -------------------------------------------------


@pytest.fixture
def proposals(fresh_study: Study) -> list[FactorProposal]:
    round_ = new_round(fresh_study, "proposals")
    experts = {e.code: e for e in fresh_study.experts.all()}
    for expert in experts.values():
        expert.name = f"Name of {expert.code}"
        expert.save()
    texts = [
        ("E1", "Artificial intelligence"),
        ("E2", "AI tools"),
        ("E3", "Local funding"),
        ("E2", "Digital precariousness"),
    ]
    created = [
        FactorProposal.objects.create(round=round_, expert=experts[code], title=title)
        for code, title in texts
    ]
    round_.close()
    return created


def test_an_open_round_s_texts_are_shown_once_it_closes(
    fresh_study: Study, facilitator_client: Client
) -> None:
    """The live progress says who has just answered: a text shown as it arrives would be
    theirs. The proposals (and the situations, actions and impacts the experts write) are
    shown once their round is closed; meanwhile the page says why they are not there."""
    round_ = new_round(fresh_study, "proposals")
    expert = fresh_study.experts.order_by("pk").first()
    assert expert is not None
    FactorProposal.objects.create(round=round_, expert=expert, title="Secret as it arrives")
    url = reverse("workshop:proposals", args=[fresh_study.pk])
    content = page(facilitator_client.get(url))
    assert "Secret as it arrives" not in content
    assert "the experts' texts appear here once you close it" in content
    assert not rules.study_proposals(fresh_study).exists()
    round_.close()
    content = page(facilitator_client.get(url))
    assert "Secret as it arrives" in content
    assert "once you close it" not in content
    round_.open()  # reopened: hidden again until it closes
    assert "Secret as it arrives" not in page(facilitator_client.get(url))


def test_texts_of_a_round_fewer_experts_answered_than_the_minimum_are_withheld(
    fresh_study: Study, proposals: list[FactorProposal], facilitator_client: Client
) -> None:
    """The progress named who answered a round: had only one expert answered it, every text
    shown would be theirs. Below the study's minimum of experts, a round's texts are not
    shown, and the page says why."""
    fresh_study.min_answers = 3
    fresh_study.save()
    url = reverse("workshop:proposals", args=[fresh_study.pk])
    content = page(facilitator_client.get(url))
    for proposal in proposals:  # the first round: three experts answered
        assert proposal.title in content
    assert "are not shown" not in content
    alone = Round.objects.create(study=fresh_study, step="proposals", iteration=2)
    alone.open()
    expert = fresh_study.experts.get(code="E1")
    FactorProposal.objects.create(round=alone, expert=expert, title="Only mine")
    alone.close()
    content = page(facilitator_client.get(url))
    assert "Only mine" not in content
    assert "The texts of 1 closed round are not shown" in content
    assert "minimum (3)" in content
    assert proposals[0].title in content
    assert not rules.study_proposals(fresh_study).filter(title="Only mine").exists()
    # the situations of a factor, on its decisions page, alike
    situations = new_round(fresh_study, "situations")
    factor = fresh_study.factors.get(code="F1")
    Situation.objects.create(
        round=situations, expert=expert, factor=factor, current="Mine now", future="Mine later"
    )
    situations.close()
    fresh_study.factors.filter(pk=factor.pk).update(key_origin="rule")
    factor_page = page(
        facilitator_client.get(
            reverse("workshop:factor_decisions", args=[fresh_study.pk, factor.pk])
        )
    )
    assert "Mine now" not in factor_page
    assert "The texts of 1 closed round are not shown" in factor_page
    fresh_study.min_answers = 1
    fresh_study.save()
    assert "Only mine" in page(facilitator_client.get(url))


def test_proposals_are_listed_without_their_authors(
    fresh_study: Study, proposals: list[FactorProposal], facilitator_client: Client
) -> None:
    content = page(facilitator_client.get(reverse("workshop:proposals", args=[fresh_study.pk])))
    for proposal in proposals:
        assert proposal.title in content
    for expert in fresh_study.experts.all():
        assert expert.name not in content
        assert not re.search(rf"\b{expert.code}\b", content)
    # by wording, not by author or arrival
    titles = ["AI tools", "Artificial intelligence", "Digital precariousness", "Local funding"]
    assert [content.index(t) for t in titles] == sorted(content.index(t) for t in titles)
    # and named by tokens, not by their ids, which follow their arrival (the live progress
    # shows in which order the experts first answered)
    for proposal in proposals:
        assert f'value="{proposal.token}"' in content
        assert f'name="proposals" value="{proposal.pk}"' not in content
        assert f'"proposal-{proposal.pk}"' not in content
        assert f"/proposals/{proposal.pk}/" not in content
    assert len({proposal.token for proposal in proposals}) == len(proposals)


def test_merge_proposals_into_a_new_factor(
    fresh_study: Study, proposals: list[FactorProposal], facilitator_client: Client
) -> None:
    url = reverse("workshop:proposals_merge", args=[fresh_study.pk])
    response = facilitator_client.post(
        url,
        {
            "proposals": [proposals[0].token, proposals[1].token],
            "title": "Artificial intelligence in daily tools",
            "description": "AI assistants everywhere.",
        },
    )
    assert response.status_code == 302
    factor = fresh_study.factors.get(title="Artificial intelligence in daily tools")
    assert factor.code == "F5"  # after F1-F4
    assert factor.position == 4
    assert factor.description == "AI assistants everywhere."
    assert set(factor.proposals.values_list("pk", flat=True)) == {
        proposals[0].pk,
        proposals[1].pk,
    }
    event = fresh_study.audit_events.get(action="proposals_merged")
    assert event.detail == {
        "factor": "F5",
        "created": True,
        "proposals": sorted([proposals[0].token, proposals[1].token]),
    }
    # attach another to an existing factor
    f2 = fresh_study.factors.get(code="F2")
    facilitator_client.post(url, {"proposals": [proposals[2].token], "factor": f2.pk})
    proposals[2].refresh_from_db()
    assert proposals[2].factor == f2
    assert fresh_study.factors.count() == 5
    content = page(facilitator_client.get(reverse("workshop:proposals", args=[fresh_study.pk])))
    assert "Proposals not yet in a factor" in content
    assert "F5 Artificial intelligence in daily tools" in content
    assert "Next: prepare the vote" not in content  # one proposal is still loose
    facilitator_client.post(url, {"proposals": [proposals[3].token], "factor": f2.pk})
    content = page(facilitator_client.get(reverse("workshop:proposals", args=[fresh_study.pk])))
    assert "Every proposal is part of a factor." in content
    assert "Next: prepare the vote on the factors" in content


def test_merge_needs_proposals_and_one_target(
    fresh_study: Study, proposals: list[FactorProposal], facilitator_client: Client
) -> None:
    url = reverse("workshop:proposals_merge", args=[fresh_study.pk])
    f1 = fresh_study.factors.get(code="F1")
    nothing = facilitator_client.post(url, {"title": "Alone"})
    assert nothing.status_code == 400
    assert "Select at least one proposal" in page(nothing)
    both = facilitator_client.post(
        url, {"proposals": [proposals[0].token], "title": "X", "factor": f1.pk}
    )
    assert both.status_code == 400
    neither = facilitator_client.post(url, {"proposals": [proposals[0].token]})
    assert neither.status_code == 400
    assert fresh_study.factors.count() == 4
    assert not FactorProposal.objects.filter(factor__isnull=False).exists()


def test_no_new_factor_while_the_vote_is_open(
    fresh_study: Study, proposals: list[FactorProposal], facilitator_client: Client
) -> None:
    new_round(fresh_study, "factor_vote", points_per_expert=10)
    url = reverse("workshop:proposals_merge", args=[fresh_study.pk])
    response = facilitator_client.post(
        url, {"proposals": [proposals[0].token], "title": "Late factor"}, follow=True
    )
    assert "close it before adding a factor" in page(response)
    assert not fresh_study.factors.filter(title="Late factor").exists()


def test_proposals_of_another_study_cannot_be_merged(
    fresh_study: Study,
    proposals: list[FactorProposal],
    other_study: Study,
    facilitator_client: Client,
) -> None:
    url = reverse("workshop:proposals_merge", args=[fresh_study.pk])
    foreign_round = new_round(other_study, "proposals")
    foreign = FactorProposal.objects.create(
        round=foreign_round, expert=other_study.experts.get(code="E1"), title="Foreign"
    )
    response = facilitator_client.post(url, {"proposals": [foreign.token], "title": "Stolen"})
    assert response.status_code == 400
    foreign.refresh_from_db()
    assert foreign.factor is None


def test_edit_the_wording_and_detach(
    fresh_study: Study, proposals: list[FactorProposal], facilitator_client: Client
) -> None:
    facilitator_client.post(
        reverse("workshop:proposals_merge", args=[fresh_study.pk]),
        {"proposals": [proposals[0].token, proposals[1].token], "title": "AI"},
    )
    factor = fresh_study.factors.get(title="AI")
    url = reverse("workshop:proposals_factor_edit", args=[fresh_study.pk, factor.pk])
    form = page(facilitator_client.get(url))
    assert "Artificial intelligence" in form  # the proposals it is made of
    facilitator_client.post(url, {"title": "Artificial intelligence at work", "description": ""})
    factor.refresh_from_db()
    assert factor.title == "Artificial intelligence at work"
    event = fresh_study.audit_events.get(action="factor_wording_edited")
    assert event.detail["before"] == "AI"
    facilitator_client.post(
        reverse("workshop:proposal_detach", args=[fresh_study.pk, proposals[1].token])
    )
    proposals[1].refresh_from_db()
    assert proposals[1].factor is None
    assert fresh_study.audit_events.filter(action="proposal_detached").exists()
    # a proposal's id is not a name the desk knows
    refused = facilitator_client.post(
        reverse("workshop:proposal_detach", args=[fresh_study.pk, str(proposals[0].pk)])
    )
    assert refused.status_code == 404
    proposals[0].refresh_from_db()
    assert proposals[0].factor is not None


# -- synthesis 2: the ranking of the vote and the shortlist -------------------------------------


def checked_codes(content: str, study: Study) -> set[str]:
    ids = {str(f.pk): f.code for f in study.factors.all()}
    return {
        ids[pk] for pk in re.findall(r'name="factors" value="(\d+)" id="keep-\d+" checked', content)
    }


def test_the_ranking_and_selection_come_from_the_core(
    study: Study, facilitator_client: Client
) -> None:
    study.factors.update(shortlisted=False)
    content = page(facilitator_client.get(reverse("workshop:shortlist", args=[study.pk])))
    # F3 11 points, F1 9, F2 8, F4 2; shortlist of 3
    order = [content.index(f"F{n} ") for n in (3, 1, 2, 4)]
    assert order == sorted(order)
    assert ">11<" in content
    assert checked_codes(content, study) == {"F1", "F2", "F3"}


def test_a_tie_at_the_cut_is_left_to_the_facilitator(
    study: Study, facilitator_client: Client
) -> None:
    vote = round_of(study, "factor_vote")
    vote.settings = {**vote.settings, "shortlist_size": 2}
    vote.save()
    FactorPoints.objects.filter(round=vote, expert__code="E3", factor__code="F2").update(points=6)
    FactorPoints.objects.filter(round=vote, expert__code="E3", factor__code="F3").update(points=4)
    study.factors.update(shortlisted=False)
    # F3 10, F1 9, F2 9: two tied for one place
    content = page(facilitator_client.get(reverse("workshop:shortlist", args=[study.pk])))
    assert "2 factors are tied at the cut for 1 remaining place" in content
    assert content.count("tied at the cut</strong>") == 2
    assert checked_codes(content, study) == {"F3"}
    ids = {f.code: f.pk for f in study.factors.all()}
    response = facilitator_client.post(
        reverse("workshop:shortlist_confirm", args=[study.pk]),
        {"factors": [ids["F3"], ids["F2"]], "reason": "F2 is broader."},
    )
    assert response.status_code == 302
    assert set(study.factors.filter(shortlisted=True).values_list("code", flat=True)) == {
        "F2",
        "F3",
    }
    event = study.audit_events.get(action="shortlist_confirmed")
    assert event.detail == {
        "factors": ["F2", "F3"],
        "core_selected": ["F3"],
        "tied_at_cut": ["F1", "F2"],
        "seats_left": 1,
        "reason": "F2 is broader.",
    }
    # the confirmed shortlist is what the boxes show now
    content = page(facilitator_client.get(reverse("workshop:shortlist", args=[study.pk])))
    assert checked_codes(content, study) == {"F2", "F3"}


def test_shortlist_is_refused_while_the_vote_is_open(
    study: Study, facilitator_client: Client
) -> None:
    vote = round_of(study, "factor_vote")
    vote.open()
    f4 = study.factors.get(code="F4")
    response = facilitator_client.post(
        reverse("workshop:shortlist_confirm", args=[study.pk]), {"factors": [f4.pk]}, follow=True
    )
    assert "close it before confirming" in page(response)
    f4.refresh_from_db()
    assert not f4.shortlisted
    assert study.factors.filter(shortlisted=True).count() == 3


def test_shortlist_needs_a_factor(study: Study, facilitator_client: Client) -> None:
    response = facilitator_client.post(reverse("workshop:shortlist_confirm", args=[study.pk]), {})
    assert response.status_code == 400
    assert study.factors.filter(shortlisted=True).count() == 3


def test_shortlist_page_without_ballots(fresh_study: Study, facilitator_client: Client) -> None:
    content = page(facilitator_client.get(reverse("workshop:shortlist", args=[fresh_study.pk])))
    assert "No ballot yet" in content


def test_shortlist_below_the_minimum_is_kept_by_hand(
    study: Study, facilitator_client: Client
) -> None:
    """A vote no iteration of which counts (three experts, a minimum of 4): no ranking nor
    points (they would all but show each ballot), every factor in the study's order to
    keep, and the shortlist still confirmed."""
    study.min_answers = 4  # the study's vote has 3 ballots
    study.save()
    url = reverse("workshop:shortlist", args=[study.pk])
    content = page(facilitator_client.get(url))
    assert "Iteration 1 does not count: 3 experts answered it" in content
    assert "No ranking: no iteration of the vote counts" in content
    assert "The boxes show the method's selection" not in content
    factors = list(study.factors.order_by("position", "pk"))
    boxes = re.findall(r'name="factors" value="(\d+)"', content)
    assert boxes == [str(f.pk) for f in factors]
    # no rank, points nor support: a dash in each of the three columns of every factor
    assert content.count('<td class="number">–</td>') == 3 * len(factors)
    kept = [factors[0].pk, factors[2].pk]
    response = facilitator_client.post(
        reverse("workshop:shortlist_confirm", args=[study.pk]),
        {"factors": kept, "reason": "Too few ballots: chosen in the room."},
    )
    assert response.status_code == 302
    assert set(study.factors.filter(shortlisted=True).values_list("pk", flat=True)) == set(kept)


# -- the settings of a round not opened yet ------------------------------------------------------


def test_a_delphi_iteration_asks_again_only_some_hypotheses(
    study: Study, expert: Any, facilitator_client: Client
) -> None:
    first = round_of(study, "hypothesis_vote")
    first.settings = {
        "probability_scale": {"min": 1, "max": 4, "labels": {"1": "improbable"}},
        "desirability_scale": {"min": 1, "max": 4},
    }
    first.save()
    post(facilitator_client, "workshop:round_next_iteration", first)
    second = round_of(study, "hypothesis_vote", 2)
    url = reverse("workshop:round_settings_edit", args=[study.pk, second.pk])
    rounds_page = page(facilitator_client.get(reverse("workshop:rounds", args=[study.pk])))
    assert url in rounds_page
    form = page(facilitator_client.get(url))
    # the key factors' hypotheses to choose from, the scales as they are
    for code in ("F1-A", "F1-B", "F3-A", "F3-BC"):
        assert f'value="{code}"' in form
    assert 'name="probability_max" value="4"' in form
    data = {
        "probability_min": "1",
        "probability_max": "4",
        "desirability_min": "1",
        "desirability_max": "5",
        "hypotheses": ["F3-A", "F1-A"],
    }
    assert facilitator_client.post(url, data).status_code == 302
    second.refresh_from_db()
    assert second.settings == {
        # unchanged scale: its words stay; changed: new bounds only
        "probability_scale": {"min": 1, "max": 4, "labels": {"1": "improbable"}},
        "desirability_scale": {"min": 1, "max": 5},
        "hypotheses": ["F1-A", "F3-A"],
    }
    event = study.audit_events.get(action="round_settings_changed")
    assert event.detail["iteration"] == 2
    summary = page(facilitator_client.get(reverse("workshop:rounds", args=[study.pk])))
    assert "Hypotheses asked: F1-A, F3-A." in summary
    # the experts are asked those two only
    post(facilitator_client, "workshop:round_open", second)
    answer = reverse("workshop:expert_answer", args=[study.pk, second.pk])
    client = expert_client_for(expert)
    asked = re.findall(
        r'<form class="card[^"]*" id="hypothesis-([\w-]+)"', page(client.get(answer))
    )
    asked += re.findall(
        r'<form class="card[^"]*" id="hypothesis-([\w-]+)"',
        page(client.get(answer + "?factor=F3")),
    )
    assert asked == ["F1-A", "F3-A"]
    # once open, the settings no longer change
    data["hypotheses"] = ["F1-B"]
    response = facilitator_client.post(url, data, follow=True)
    assert "can no longer change" in page(response)
    second.refresh_from_db()
    assert second.settings["hypotheses"] == ["F1-A", "F3-A"]


def test_settings_edit_refuses_bad_values_and_steps_without_settings(
    study: Study, facilitator_client: Client
) -> None:
    draft = draft_iteration(study, "factor_vote")
    url = reverse("workshop:round_settings_edit", args=[study.pk, draft.pk])
    assert 'name="points_per_expert" value="10"' in page(facilitator_client.get(url))
    response = facilitator_client.post(url, {"points_per_expert": "0", "shortlist_size": "3"})
    assert response.status_code == 200
    assert "greater than or equal to 1" in page(response)
    draft.refresh_from_db()
    assert draft.settings == round_of(study, "factor_vote").settings
    situations = draft_iteration(study, "situations")
    url = reverse("workshop:round_settings_edit", args=[study.pk, situations.pk])
    assert facilitator_client.get(url).status_code == 404


def test_settings_of_a_published_study_s_round_cannot_change(
    study: Study, facilitator_client: Client
) -> None:
    draft = draft_iteration(study, "hypothesis_vote")
    before = dict(draft.settings)
    study.status = Study.Status.PUBLISHED
    study.save()
    url = reverse("workshop:round_settings_edit", args=[study.pk, draft.pk])
    data = {
        "probability_min": "1",
        "probability_max": "9",
        "desirability_min": "1",
        "desirability_max": "9",
    }
    response = facilitator_client.post(url, data, follow=True)
    assert "published" in page(response)
    draft.refresh_from_db()
    assert draft.settings == before
    assert not study.audit_events.filter(action="round_settings_changed").exists()


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


def test_more_answers_from_an_expert_who_has_answered_change_nothing_the_facilitator_sees(
    study: Study, expert: Any, expert_client: Client, facilitator_client: Client
) -> None:
    """While a round is open, the facilitator sees who has answered and nothing that moves
    with how much: a total or a "finished" count that changed as one name turned to "has
    answered" would tell that expert's amount, and match their pseudonym in the export."""
    second = draft_iteration(study, "hypothesis_vote")
    post(facilitator_client, "workshop:round_open", second)
    save = reverse("workshop:expert_hypothesis_vote_save", args=[study.pk, second.pk])
    pages = [
        reverse("workshop:round_progress", args=[study.pk, second.pk]),
        reverse("workshop:study", args=[study.pk]),
        reverse("workshop:rounds", args=[study.pk]),
    ]

    def seen() -> list[str]:
        return [CSRF_TOKEN.sub("", page(facilitator_client.get(address))) for address in pages]

    expert_client.post(save, {"hypothesis": "F1-A", "probability": "2", "desirability": "1"})
    before = seen()
    assert "1 of 3 experts answered" in before[0]
    for code in ("F1-B", "F3-A", "F3-B", "F3-C"):
        expert_client.post(save, {"hypothesis": code, "probability": "3", "desirability": "2"})
    assert rules.round_progress(second).of(expert).done == 5  # the answers were saved
    assert seen() == before


def test_an_expert_half_way_through_a_vote_is_in_progress(
    study: Study, expert: Any, expert_client: Client, facilitator_client: Client
) -> None:
    second = draft_iteration(study, "hypothesis_vote")
    post(facilitator_client, "workshop:round_open", second)
    save = reverse("workshop:expert_hypothesis_vote_save", args=[study.pk, second.pk])
    expert_client.post(save, {"hypothesis": "F1-A", "probability": "2"})
    rows = {row.expert.code: row for row in rules.round_progress(second).experts}
    assert (rows["E1"].done, rows["E1"].answered, rows["E1"].finished) == (0, True, False)
    assert not rows["E2"].answered
    # reminders go to those who have not answered, not to those half-way: whom the
    # facilitator's outbox lists must not tell who has finished
    study.experts.filter(code__in=["E1", "E2"]).update(email="someone@example.org")
    assert [e.code for e, _rounds in rules.experts_to_remind(study)] == ["E2"]
    url = reverse("workshop:round_progress", args=[study.pk, second.pk])
    shown = page(facilitator_client.get(url, headers={"HX-Request": "true"}))
    # an open round: who has answered, no amount nor "finished" (see below)
    assert "1 of 3 experts answered" in shown
    assert "finished" not in shown
    assert "0 of 5 hypotheses" not in shown  # no expert's own count, nor "in progress"
    assert "in progress" not in shown
    assert shown.count("has answered") == 1
