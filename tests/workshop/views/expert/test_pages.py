"""The expert's pages: every round answered from a phone, each answer saved and revisable
until the round closes, only one's own answers ever shown."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import (
    ActionProposal,
    Expert,
    Factor,
    FactorPoints,
    FactorProposal,
    Hypothesis,
    HypothesisVote,
    ImpactProposal,
    Round,
    Situation,
    Study,
)
from anticipe.workshop.views.expert.common import STEPS
from tests.workshop.support import (
    HTMX,
    expert_client_for,
    first_round,
    open_round,
    page_url,
    page_weight,
    text,
    url,
)


@pytest.fixture
def other_expert(study: Study) -> Expert:
    return study.experts.get(code="E2")


@pytest.fixture
def other_expert_client(other_expert: Expert) -> Client:
    return expert_client_for(other_expert)


# -- home -------------------------------------------------------------------------------------


def test_home_lists_open_and_closed_rounds_with_progress(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    vote = first_round(study, Round.Step.FACTOR_VOTE, {"points_per_expert": 10})
    FactorPoints.objects.create(
        round=vote, expert=expert, factor=study.factors.get(code="F1"), points=4
    )
    Round.objects.create(study=study, step=Round.Step.ACTIONS)  # a draft: not shown
    response = expert_client.get(reverse("workshop:expert_home", args=[study.pk]))
    assert response.status_code == 200
    page = text(response)
    open_part, closed_part = page.split('id="closed"')
    assert "4 of 10 points given" in open_part
    assert page_url(vote) in open_part
    assert "Continue" in open_part
    # The imported study's closed rounds, with this expert's own answers counted.
    assert "Influence matrix" in closed_part
    assert "6 of 6 answers given" in closed_part
    assert "See my answers" in closed_part
    assert "Actions" not in page


def test_home_says_when_nothing_is_open(study: Study, expert_client: Client) -> None:
    response = expert_client.get(reverse("workshop:expert_home", args=[study.pk]))
    assert "Nothing is open right now" in text(response)


# -- who may see the expert's pages --------------------------------------------------------------


@pytest.fixture
def all_rounds(study: Study) -> list[Round]:
    return [
        first_round(study, step, {"factors": ["F1", "F2", "F3"]} if step == "influence" else {})
        for step in Round.Step.values
    ]


def expert_get_urls(study: Study, rounds: list[Round]) -> list[str]:
    urls = [reverse("workshop:expert_home", args=[study.pk])]
    for round_ in rounds:
        urls.append(page_url(round_))
        if round_.step == Round.Step.INFLUENCE:
            urls += [url("expert_matrix_grid", round_), url("expert_matrix_template", round_)]
    return urls


def test_expert_of_another_study_cannot_reach_this_study_s_rounds_through_their_own(
    study: Study, other_study: Study, all_rounds: list[Round]
) -> None:
    """An expert of another study, with their own study's id and this study's round: 404."""
    client = expert_client_for(other_study.experts.get(code="E1"))
    round_ = all_rounds[0]
    address = reverse("workshop:expert_answer", args=[other_study.pk, round_.pk])
    assert client.get(address).status_code == 404
    response = client.post(
        reverse("workshop:expert_proposal_add", args=[other_study.pk, round_.pk]), {"title": "x"}
    )
    assert response.status_code == 404
    assert not FactorProposal.objects.exists()


def test_a_draft_round_is_not_reachable(study: Study, expert_client: Client) -> None:
    draft = Round.objects.create(study=study, step=Round.Step.PROPOSALS)
    assert expert_client.get(page_url(draft)).status_code == 404
    response = expert_client.post(url("expert_proposal_add", draft), {"title": "x"})
    assert response.status_code == 404


def test_a_save_for_another_step_is_404(study: Study, expert_client: Client) -> None:
    proposals = open_round(study, Round.Step.PROPOSALS)
    response = expert_client.post(url("expert_vote_save", proposals), {"points-F1": "1"})
    assert response.status_code == 404


# -- step 1: proposals --------------------------------------------------------------------------


def test_proposals_question_uses_the_job_and_horizon(study: Study, expert_client: Client) -> None:
    round_ = open_round(study, Round.Step.PROPOSALS)
    page = text(expert_client.get(page_url(round_)))
    assert "Within 3 to 5 years, which factors will shape or influence the job of" in page
    assert "Métier d&#x27;essai" in page
    assert "2029-2031" in page


def test_propose_edit_and_delete_a_factor(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.PROPOSALS)
    response = expert_client.post(
        url("expert_proposal_add", round_),
        {"title": "Intelligence artificielle", "explanation": "Les outils changent."},
    )
    assert response.status_code == 302
    proposal = FactorProposal.objects.get(round=round_, expert=expert)
    assert proposal.title == "Intelligence artificielle"
    page = text(expert_client.get(page_url(round_)))
    assert "Intelligence artificielle" in page
    assert "Les outils changent." in page
    edit = url("expert_proposal_edit", round_, proposal.pk)
    assert "Intelligence artificielle" in text(expert_client.get(edit))
    expert_client.post(edit, {"title": "IA générative", "explanation": "Plus vite."})
    proposal.refresh_from_db()
    assert (proposal.title, proposal.explanation) == ("IA générative", "Plus vite.")
    expert_client.post(url("expert_proposal_delete", round_, proposal.pk))
    assert not FactorProposal.objects.filter(pk=proposal.pk).exists()


def test_a_proposal_needs_a_title(study: Study, expert_client: Client) -> None:
    round_ = open_round(study, Round.Step.PROPOSALS)
    response = expert_client.post(url("expert_proposal_add", round_), {"title": "  "})
    assert response.status_code == 400
    assert 'class="error"' in text(response)
    assert not FactorProposal.objects.exists()


def test_another_expert_s_proposal_is_neither_shown_nor_editable(
    study: Study, other_expert: Expert, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.PROPOSALS)
    theirs = FactorProposal.objects.create(
        round=round_, expert=other_expert, title="SECRET-E2-FACTOR", explanation="SECRET-E2-WHY"
    )
    page = text(expert_client.get(page_url(round_)))
    assert "SECRET-E2" not in page
    assert expert_client.get(url("expert_proposal_edit", round_, theirs.pk)).status_code == 404
    response = expert_client.post(url("expert_proposal_edit", round_, theirs.pk), {"title": "x"})
    assert response.status_code == 404
    response = expert_client.post(url("expert_proposal_delete", round_, theirs.pk))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "SECRET-E2-FACTOR"


def test_closed_proposals_round_refuses_and_keeps_earlier_answers(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.PROPOSALS)
    expert_client.post(url("expert_proposal_add", round_), {"title": "Avant la fermeture"})
    proposal = FactorProposal.objects.get(expert=expert)
    round_.close()
    response = expert_client.post(url("expert_proposal_add", round_), {"title": "Trop tard"})
    assert response.status_code == 302
    page = text(expert_client.get(response["Location"]))
    assert "This round is closed; your earlier answers are kept." in page
    assert "Avant la fermeture" in page
    assert "Trop tard" not in page
    assert 'action="' + url("expert_proposal_add", round_) not in page  # read-only
    expert_client.post(url("expert_proposal_edit", round_, proposal.pk), {"title": "Changé"})
    expert_client.post(url("expert_proposal_delete", round_, proposal.pk))
    proposal.refresh_from_db()
    assert proposal.title == "Avant la fermeture"
    assert list(FactorProposal.objects.values_list("title", flat=True)) == ["Avant la fermeture"]


# -- step 2: weighted vote ----------------------------------------------------------------------


def ballot(round_: Round, expert: Expert) -> dict[str, int]:
    return {
        p.factor.code: p.points
        for p in FactorPoints.objects.filter(round=round_, expert=expert).select_related("factor")
    }


def test_vote_page_lists_every_factor_and_the_points_left(
    study: Study, expert_client: Client
) -> None:
    round_ = first_round(study, Round.Step.FACTOR_VOTE, {"points_per_expert": 12})
    page = text(expert_client.get(page_url(round_)))
    for code in ("F1", "F2", "F3", "F4"):
        assert f'name="points-{code}"' in page
    assert "12 points left" in page


def test_vote_whole_form_then_revise(study: Study, expert: Expert, expert_client: Client) -> None:
    round_ = first_round(study, Round.Step.FACTOR_VOTE)
    response = expert_client.post(
        url("expert_vote_save", round_),
        {"points-F1": "5", "points-F2": "3", "points-F3": "0", "points-F4": "2"},
    )
    assert response.status_code == 302
    assert ballot(round_, expert) == {"F1": 5, "F2": 3, "F4": 2}
    expert_client.post(url("expert_vote_save", round_), {"points-F1": "1", "points-F3": "4"})
    assert ballot(round_, expert) == {"F1": 1, "F2": 3, "F3": 4, "F4": 2}


def test_vote_plus_and_minus_buttons_with_htmx(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = first_round(study, Round.Step.FACTOR_VOTE, {"points_per_expert": 3})
    save = url("expert_vote_save", round_)
    response = expert_client.post(save, {"adjust": "F2:1"}, **HTMX)
    assert response.status_code == 200
    partial = text(response)
    assert "<html" not in partial
    assert 'id="vote"' in partial
    assert "2 points left" in partial
    assert re.search(r'value="F2:1" id="more-F2" [^>]*data-autofocus', partial)
    assert "novalidate" in partial  # the server's messages, not the browser's, say what is wrong
    # the progress at the top of the page follows, out of band
    assert re.search(r'id="round-progress"[^>]*hx-swap-oob="true"', partial)
    assert "1 of 3" in partial or "1 / 3" in partial
    expert_client.post(save, {"adjust": "F2:1"}, **HTMX)
    partial = text(expert_client.post(save, {"adjust": "F2:1"}, **HTMX))
    assert ballot(round_, expert) == {"F2": 3}
    assert "0 points left" in partial
    # Every + is now disabled; the focus goes to the input instead.
    assert re.search(r'value="F1:1"[^>]*disabled', partial)
    assert re.search(r'id="points-F2" value="3" inputmode="numeric"[^>]* data-autofocus', partial)
    expert_client.post(save, {"adjust": "F2:-1"}, **HTMX)
    assert ballot(round_, expert) == {"F2": 2}


def test_vote_over_budget_is_refused_and_nothing_saved(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = first_round(study, Round.Step.FACTOR_VOTE, {"points_per_expert": 10})
    save = url("expert_vote_save", round_)
    expert_client.post(save, {"points-F1": "8"})
    response = expert_client.post(save, {"points-F1": "8", "points-F2": "4"}, **HTMX)
    assert response.status_code == 400
    assert "That makes 12 points, but you have 10." in text(response)
    assert ballot(round_, expert) == {"F1": 8}
    response = expert_client.post(save, {"adjust": "F2:1", "points-F2": "2"})
    assert response.status_code == 400
    assert "That makes 11 points" in text(response)
    assert ballot(round_, expert) == {"F1": 8}


def test_vote_over_budget_for_htmx_is_the_form_alone_with_the_message_beside_the_factor(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    """Issue 12: too many points swapped a whole page into the vote (two h1, two footers)."""
    round_ = first_round(study, Round.Step.FACTOR_VOTE, {"points_per_expert": 10})
    save = url("expert_vote_save", round_)
    expert_client.post(save, {"points-F1": "8"})
    # The autosave posts the whole form; F2 is the number changed.
    whole_form = {"points-F1": "8", "points-F2": "4", "points-F3": "0", "points-F4": ""}
    response = expert_client.post(save, whole_form, **HTMX)
    assert response.status_code == 400
    fragment = text(response)
    assert fragment.startswith('<form id="vote"')
    assert "<h1>" not in fragment
    assert "<footer" not in fragment
    assert "<html" not in fragment
    assert fragment.count("</form>") == 1
    # Beside F2 (after its stepper, in its row), and the focus back on F2's number.
    row = fragment[fragment.index('id="vote-F2"') : fragment.index('id="vote-F3"')]
    assert (
        '<p class="message error" role="alert" id="error-F2">That makes 12 points, but you '
        "have 10. Take points from another factor first.</p>"
    ) in row
    assert re.search(r'id="points-F2" value="0"[^>]* data-autofocus', row)
    assert ballot(round_, expert) == {"F1": 8}
    # Without htmx: the whole page, the message in F2's row.
    page = text(expert_client.post(save, whole_form))
    assert page.count("<h1>") == 1
    assert 'id="error-F2"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"points-F1": "-2"}, "cannot be below zero"),
        ({"points-F1": "2.5"}, "must be a whole number"),
        ({"points-F1": "lots"}, "must be a whole number"),
        ({"points-ZZ": "1"}, "“ZZ” is not a factor of this vote."),
        ({"adjust": "ZZ:1"}, "“ZZ” is not a factor of this vote."),
    ],
)
def test_vote_invalid_values(
    study: Study, expert: Expert, expert_client: Client, data: dict[str, str], message: str
) -> None:
    round_ = first_round(study, Round.Step.FACTOR_VOTE)
    expert_client.post(url("expert_vote_save", round_), {"points-F3": "2"})
    response = expert_client.post(url("expert_vote_save", round_), data, **HTMX)
    assert response.status_code == 400
    assert message in text(response)
    assert ballot(round_, expert) == {"F3": 2}


def test_vote_on_the_round_s_factors_only(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = first_round(study, Round.Step.FACTOR_VOTE, {"factors": ["F2", "F4"]})
    page = text(expert_client.get(page_url(round_)))
    assert 'name="points-F2"' in page
    assert 'name="points-F1"' not in page
    response = expert_client.post(url("expert_vote_save", round_), {"points-F1": "1"})
    assert response.status_code == 400
    assert ballot(round_, expert) == {}


def test_closed_vote_returns_409_for_htmx_and_keeps_the_ballot(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = first_round(study, Round.Step.FACTOR_VOTE)
    expert_client.post(url("expert_vote_save", round_), {"points-F1": "4"})
    round_.close()
    response = expert_client.post(url("expert_vote_save", round_), {"points-F1": "9"}, **HTMX)
    assert response.status_code == 409
    # The vote's form alone (swapped in place), read-only, the message beside the factor the
    # expert changed; the round's notice at the top, out of band (issue 12).
    fragment = text(response)
    assert "<h1>" not in fragment
    assert "<footer" not in fragment
    assert fragment.startswith('<form id="vote"')
    assert "hx-post" not in fragment
    assert re.search(r'id="points-F1" value="4"[^>]*disabled', fragment)
    assert re.search(
        r'id="error-F1">Not saved: this round closed meanwhile\. Your earlier answers are kept\.<',
        fragment,
    )
    assert '<div id="round-notice" hx-swap-oob="innerHTML">' in fragment
    assert "This round is closed; your earlier answers are kept." in fragment
    assert ballot(round_, expert) == {"F1": 4}
    page = text(expert_client.get(page_url(round_)))
    assert re.search(r'id="points-F1" value="4"[^>]*disabled', page)
    assert "One point more" not in page


# -- step 4: situations -------------------------------------------------------------------------


def test_situations_save_and_revise_per_key_factor(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.SITUATIONS)
    page = text(expert_client.get(page_url(round_)))
    assert 'id="situation-F1"' in page
    assert 'id="situation-F3"' in page
    assert 'id="situation-F2"' not in page  # not a key factor
    save = url("expert_situation_save", round_)
    response = expert_client.post(
        save, {"factor": "F1", "current": "Du mobile.", "future": "De l'IA."}, **HTMX
    )
    assert response.status_code == 200
    assert "Saved" in text(response)
    assert "1 of 2 factors described" in text(response)
    expert_client.post(save, {"factor": "F1", "current": "Du mobile partout.", "future": ""})
    situation = Situation.objects.get(round=round_, expert=expert)
    assert (situation.current, situation.future) == ("Du mobile partout.", "")
    assert "Du mobile partout." in text(expert_client.get(page_url(round_)))


def test_situation_of_a_factor_not_asked_is_refused(study: Study, expert_client: Client) -> None:
    round_ = open_round(study, Round.Step.SITUATIONS)
    save = url("expert_situation_save", round_)
    response = expert_client.post(save, {"factor": "F2", "current": "x"}, **HTMX)
    assert response.status_code == 400
    assert "not asked in this round" in text(response)
    response = expert_client.post(save, {"factor": "F1", "current": "x" * 5001}, **HTMX)
    assert response.status_code == 400
    assert "too long" in text(response)
    assert not Situation.objects.exists()


def test_situations_of_the_round_s_factors(study: Study, expert_client: Client) -> None:
    round_ = open_round(study, Round.Step.SITUATIONS, {"factors": ["F2"]})
    page = text(expert_client.get(page_url(round_)))
    assert 'id="situation-F2"' in page
    assert 'id="situation-F1"' not in page
    save = url("expert_situation_save", round_)
    assert expert_client.post(save, {"factor": "F1", "current": "x"}, **HTMX).status_code == 400
    assert expert_client.post(save, {"factor": "F2", "current": "x"}, **HTMX).status_code == 200


# -- step 5: hypothesis votes -------------------------------------------------------------------


def test_hypothesis_votes_page_asks_unmerged_hypotheses_with_named_scales(
    study: Study, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.HYPOTHESIS_VOTE)
    page = text(expert_client.get(page_url(round_)))
    # One key factor per page: F1's hypotheses first, then F3's on the next page.
    assert "Factor 1 of 2" in page
    assert re.findall(r'id="hypothesis-([\w-]+)"', page) == ["F1-A", "F1-B"]
    assert 'href="?factor=F3" rel="next"' in page
    # The buttons show their values, their words read by screen readers (and shown on a large
    # screen); the scales' key says them once (issue 12: the page short on a phone).
    for words in ("1 very unlikely", "4 very likely", "1 not desirable", "4 very desirable"):
        assert words in page
    assert "? don&#x27;t know" in page
    assert '<label for="p-F1-A-1">1<span> very unlikely</span></label>' in page
    assert '<label for="d-F1-A-5">?<span> don&#x27;t know</span></label>' in page
    assert page.count("<legend>How probable is it?</legend>") == 2
    page = text(expert_client.get(page_url(round_) + "?factor=F3"))
    assert "Factor 2 of 2" in page
    # Not F3-BC: the result of a merge.
    assert re.findall(r'id="hypothesis-([\w-]+)"', page) == ["F3-A", "F3-B", "F3-C"]
    assert 'href="?factor=F1" rel="prev"' in page


def test_hypothesis_votes_open_on_the_first_factor_left_to_answer(
    study: Study, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.HYPOTHESIS_VOTE)
    save = url("expert_hypothesis_vote_save", round_)
    expert_client.post(save, {"hypothesis": "F1-A", "probability": "2"}, **HTMX)
    # F1-A half answered: F1 still has something left, its page comes first
    page = text(expert_client.get(page_url(round_)))
    assert re.findall(r'id="hypothesis-([\w-]+)"', page) == ["F1-A", "F1-B"]
    assert re.search(r'aria-current="page">F1 .*</a> <span class="muted">0/2', page)
    expert_client.post(save, {"hypothesis": "F1-A", "desirability": "?"}, **HTMX)
    expert_client.post(save, {"hypothesis": "F1-B", "probability": "2", "desirability": "1"})
    page = text(expert_client.get(page_url(round_)))
    assert re.findall(r'id="hypothesis-([\w-]+)"', page) == ["F3-A", "F3-B", "F3-C"]
    assert re.search(r'aria-current="page">F3 .*</a> <span class="muted">0/3', page)
    assert re.search(r'>F1 .*</a> <span class="muted">✓ 2/2', page)
    # Without JavaScript, a save comes back to the page of the hypothesis' factor.
    response = expert_client.post(save, {"hypothesis": "F1-A", "desirability": "3"})
    assert response.status_code == 302
    assert response["Location"] == page_url(round_) + "?factor=F1#hypothesis-F1-A"


def vote_of(round_: Round, expert: Expert, code: str) -> tuple[int | None, int | None]:
    vote = HypothesisVote.objects.get(round=round_, expert=expert, hypothesis__code=code)
    return vote.probability, vote.desirability


def test_hypothesis_vote_autosaves_each_answer_and_revises(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = first_round(study, Round.Step.HYPOTHESIS_VOTE)
    save = url("expert_hypothesis_vote_save", round_)
    response = expert_client.post(save, {"hypothesis": "F1-B", "probability": "3"}, **HTMX)
    assert response.status_code == 200
    assert "Saved" in text(response)
    assert 'hx-swap-oob="true"' in text(response)
    # one question of two: the hypothesis is not answered yet, and the other question is
    # not a "don't know"
    assert "0 of 5 hypotheses answered" in text(response)
    assert "desirability still to answer" in text(response)  # says which half is missing
    assert vote_of(round_, expert, "F1-B") == (3, None)
    page = text(expert_client.get(page_url(round_)))
    assert re.search(r'name="probability" value="3" id="p-F1-B-3" checked', page)
    # coming back to the page (or without JavaScript), the missing half is still said
    f1b = page[page.index('id="hypothesis-F1-B"') :]
    assert "desirability still to answer" in f1b[: f1b.index("</form>")]
    f1a = page[page.index('id="hypothesis-F1-A"') :]
    assert "still to answer" not in f1a[: f1a.index("</form>")]
    assert not re.search(r'name="desirability" value="[^"]*" id="d-F1-B-\d" checked', page)
    response = expert_client.post(save, {"hypothesis": "F1-B", "desirability": "4"}, **HTMX)
    assert "1 of 5 hypotheses answered" in text(response)
    assert "still to answer" not in text(response)
    assert vote_of(round_, expert, "F1-B") == (3, 4)
    expert_client.post(save, {"hypothesis": "F1-B", "probability": "?"}, **HTMX)
    assert vote_of(round_, expert, "F1-B") == (None, 4)
    page = text(expert_client.get(page_url(round_)))
    assert re.search(r'name="probability" value="\?" id="p-F1-B-5" checked', page)
    assert re.search(r'name="desirability" value="4" id="d-F1-B-4" checked', page)


def test_hypothesis_vote_uses_the_round_s_scale(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = open_round(
        study,
        Round.Step.HYPOTHESIS_VOTE,
        {"probability_scale": {"min": 1, "max": 6}, "desirability_scale": {"min": 1, "max": 4}},
    )
    page = text(expert_client.get(page_url(round_)))
    assert "6 very likely" in page
    assert 'name="probability" value="5"' in page
    save = url("expert_hypothesis_vote_save", round_)
    assert expert_client.post(save, {"hypothesis": "F1-A", "probability": "6"}).status_code == 302
    response = expert_client.post(save, {"hypothesis": "F1-A", "desirability": "6"}, **HTMX)
    assert response.status_code == 400
    assert "from 1 to 4" in text(response)
    assert vote_of(round_, expert, "F1-A") == (6, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"hypothesis": "F1-A", "probability": "5"}, "from 1 to 4"),
        ({"hypothesis": "F1-A", "probability": "0"}, "from 1 to 4"),
        ({"hypothesis": "F1-A", "desirability": "beaucoup"}, "from 1 to 4"),
        ({"hypothesis": "F3-BC", "probability": "2"}, "not asked in this round"),
        ({"hypothesis": "F1-A"}, "Choose an answer first."),
    ],
)
def test_hypothesis_vote_invalid_answers(
    study: Study, expert_client: Client, data: dict[str, str], message: str
) -> None:
    round_ = open_round(study, Round.Step.HYPOTHESIS_VOTE)
    response = expert_client.post(url("expert_hypothesis_vote_save", round_), data, **HTMX)
    assert response.status_code == 400
    assert message in text(response)
    assert not HypothesisVote.objects.filter(round=round_).exists()


def test_hypothesis_vote_on_the_round_s_hypotheses(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.HYPOTHESIS_VOTE, {"hypotheses": ["F3-BC", "F1-A"]})
    page = text(expert_client.get(page_url(round_)))
    assert re.findall(r'id="hypothesis-([\w-]+)"', page) == ["F1-A"]
    page = text(expert_client.get(page_url(round_) + "?factor=F3"))
    assert re.findall(r'id="hypothesis-([\w-]+)"', page) == ["F3-BC"]
    save = url("expert_hypothesis_vote_save", round_)
    response = expert_client.post(save, {"hypothesis": "F1-B", "probability": "2"}, **HTMX)
    assert response.status_code == 400
    expert_client.post(save, {"hypothesis": "F3-BC", "probability": "2"}, **HTMX)
    assert vote_of(round_, expert, "F3-BC") == (2, None)


def test_closed_hypothesis_vote_keeps_answers_and_shows_them_read_only(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.HYPOTHESIS_VOTE)
    save = url("expert_hypothesis_vote_save", round_)
    expert_client.post(save, {"hypothesis": "F1-A", "probability": "2", "desirability": "1"})
    round_.close()
    response = expert_client.post(save, {"hypothesis": "F1-A", "probability": "4"}, **HTMX)
    assert response.status_code == 409
    assert vote_of(round_, expert, "F1-A") == (2, 1)
    page = text(expert_client.get(page_url(round_)))
    assert '<fieldset class="scale short" disabled>' in page
    assert "hx-post" not in page
    assert re.search(r'name="probability" value="2" id="p-F1-A-2" checked', page)


# -- step 6: actions ----------------------------------------------------------------------------


def test_actions_add_edit_delete_for_retained_hypotheses(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.ACTIONS)
    page = text(expert_client.get(page_url(round_)))
    assert 'id="hypothesis-F1-B"' in page
    assert 'id="hypothesis-F3-BC"' in page
    assert 'id="hypothesis-F1-A"' not in page  # not retained
    expert_client.post(
        url("expert_action_add", round_), {"hypothesis": "F1-B", "text": "Former les équipes."}
    )
    action = ActionProposal.objects.get(round=round_, expert=expert)
    assert action.hypothesis.code == "F1-B"
    assert "Former les équipes." in text(expert_client.get(page_url(round_)))
    expert_client.post(url("expert_action_edit", round_, action.pk), {"text": "Former tôt."})
    action.refresh_from_db()
    assert action.text == "Former tôt."
    expert_client.post(url("expert_action_delete", round_, action.pk))
    assert not ActionProposal.objects.exists()


def test_actions_refuse_hypotheses_not_retained_and_empty_text(
    study: Study, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.ACTIONS)
    add = url("expert_action_add", round_)
    response = expert_client.post(add, {"hypothesis": "F1-A", "text": "x"}, **HTMX)
    assert response.status_code == 400
    assert "not asked in this round" in text(response)
    response = expert_client.post(add, {"hypothesis": "F1-B", "text": " "})
    assert response.status_code == 400
    assert "Write the action first." in text(response)
    assert not ActionProposal.objects.exists()


def test_another_expert_s_action_is_neither_shown_nor_editable(
    study: Study, other_expert: Expert, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.ACTIONS)
    theirs = ActionProposal.objects.create(
        round=round_,
        expert=other_expert,
        hypothesis=Hypothesis.objects.get(code="F1-B", factor__study=study),
        text="SECRET-E2-ACTION",
    )
    assert "SECRET-E2" not in text(expert_client.get(page_url(round_)))
    assert expert_client.get(url("expert_action_edit", round_, theirs.pk)).status_code == 404
    assert expert_client.post(url("expert_action_delete", round_, theirs.pk)).status_code == 404
    assert ActionProposal.objects.filter(pk=theirs.pk).exists()


# -- step 7: impacts ----------------------------------------------------------------------------


def impacts_of(round_: Round, expert: Expert, code: str) -> dict[str, str]:
    return {
        p.activity.code: p.competences
        for p in ImpactProposal.objects.filter(
            round=round_, expert=expert, hypothesis__code=code
        ).select_related("activity")
    }


def test_impacts_choose_activities_and_competences_then_revise(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.IMPACTS)
    page = text(expert_client.get(page_url(round_)))
    assert 'name="activities" value="2"' in page
    assert "Animer" in page
    save = url("expert_impact_save", round_)
    response = expert_client.post(
        save,
        {
            "hypothesis": "F1-B",
            "activities": ["2", "3"],
            "competences-2": "Comprendre l'IA\n\n  Guider un atelier  \n",
            "competences-3": "",
            "competences-1": "ignored: not ticked",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "1 of 2 hypotheses answered" in text(response)
    assert impacts_of(round_, expert, "F1-B") == {
        "2": "Comprendre l'IA\nGuider un atelier",
        "3": "",
    }
    expert_client.post(
        save, {"hypothesis": "F1-B", "activities": ["3"], "competences-3": "Écouter"}
    )
    assert impacts_of(round_, expert, "F1-B") == {"3": "Écouter"}
    # F1 answered: the page now opens on the next key factor's retained hypothesis.
    page = text(expert_client.get(page_url(round_)))
    assert re.findall(r'<form class="card" id="hypothesis-([\w-]+)"', page) == ["F3-BC"]
    assert "Factor 2 of 2" in page
    page = text(expert_client.get(page_url(round_) + "?factor=F1"))
    assert re.findall(r'<form class="card" id="hypothesis-([\w-]+)"', page) == ["F1-B"]
    assert re.search(r'value="3" id="a-F1-B-3" checked', page)
    assert not re.search(r'value="2" id="a-F1-B-2" checked', page)


def test_impacts_refuse_unknown_activity_and_hypothesis(
    study: Study, expert_client: Client
) -> None:
    round_ = open_round(study, Round.Step.IMPACTS)
    save = url("expert_impact_save", round_)
    response = expert_client.post(save, {"hypothesis": "F1-B", "activities": ["9"]}, **HTMX)
    assert response.status_code == 400
    assert "not an activity" in text(response)
    response = expert_client.post(save, {"hypothesis": "F3-A", "activities": ["1"]}, **HTMX)
    assert response.status_code == 400
    assert not ImpactProposal.objects.exists()


def test_closed_situations_impacts_and_actions_refuse_and_show_answers_read_only(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    situations = open_round(study, Round.Step.SITUATIONS)
    impacts = open_round(study, Round.Step.IMPACTS)
    actions = open_round(study, Round.Step.ACTIONS)
    situation = {"factor": "F1", "current": "Aujourd'hui.", "future": "Demain."}
    impact = {"hypothesis": "F1-B", "activities": ["2"], "competences-2": "Écouter"}
    action = {"hypothesis": "F1-B", "text": "Former tôt."}
    expert_client.post(url("expert_situation_save", situations), situation)
    expert_client.post(url("expert_impact_save", impacts), impact)
    expert_client.post(url("expert_action_add", actions), action)
    for round_ in (situations, impacts, actions):
        round_.close()
    changed = [
        ("expert_situation_save", situations, {**situation, "current": "Changé"}),
        ("expert_impact_save", impacts, {"hypothesis": "F1-B", "activities": ["3"]}),
        ("expert_action_add", actions, {**action, "text": "Autre"}),
    ]
    for name, round_, data in changed:
        response = expert_client.post(url(name, round_), data, **HTMX)
        assert response.status_code == 409, name
    assert Situation.objects.get(expert=expert).current == "Aujourd'hui."
    assert impacts_of(impacts, expert, "F1-B") == {"2": "Écouter"}
    assert list(ActionProposal.objects.values_list("text", flat=True)) == ["Former tôt."]
    page = text(expert_client.get(page_url(situations)))
    assert re.search(r'id="current-F1" rows="4" maxlength="5000" readonly>Aujourd', page)
    page = text(expert_client.get(page_url(impacts) + "?factor=F1"))
    assert '<fieldset class="impacts" disabled>' in page
    assert re.search(r'value="2" id="a-F1-B-2" checked', page)
    page = text(expert_client.get(page_url(actions)))
    assert "Former tôt." in page
    assert "Add this action" not in page
    assert "hx-post" not in page


# -- anonymity: another expert's answers never appear ------------------------------------------


def test_no_page_shows_another_expert_s_answers(
    study: Study,
    expert: Expert,
    other_expert: Expert,
    all_rounds: list[Round],
    expert_client: Client,
    other_expert_client: Client,
) -> None:
    by_step = {round_.step: round_ for round_ in all_rounds}
    post = other_expert_client.post
    post(url("expert_proposal_add", by_step["proposals"]), {"title": "SECRET-E2-1"})
    post(url("expert_vote_save", by_step["factor_vote"]), {"points-F4": "7"})
    post(
        url("expert_matrix_cell_save", by_step["influence"]),
        {"source": "F1", "target": "F2", "value": "3"},
    )
    post(
        url("expert_situation_save", by_step["situations"]),
        {"factor": "F1", "current": "SECRET-E2-2", "future": "SECRET-E2-3"},
    )
    post(
        url("expert_hypothesis_vote_save", by_step["hypothesis_vote"]),
        {"hypothesis": "F1-A", "probability": "4", "desirability": "4"},
    )
    post(
        url("expert_action_add", by_step["actions"]), {"hypothesis": "F1-B", "text": "SECRET-E2-4"}
    )
    post(
        url("expert_impact_save", by_step["impacts"]),
        {"hypothesis": "F1-B", "activities": ["1"], "competences-1": "SECRET-E2-5"},
    )
    assert FactorProposal.objects.filter(expert=other_expert).count() == 1
    assert Situation.objects.filter(expert=other_expert).count() == 1
    assert ImpactProposal.objects.filter(expert=other_expert).count() == 1

    pages = {
        address: text(expert_client.get(address))
        for address in expert_get_urls(study, all_rounds)
        if not address.endswith(".xlsx")
    }
    for address, page in pages.items():
        assert "SECRET-E2" not in page, address
    vote_page = pages[page_url(by_step["factor_vote"])]
    assert 'id="points-F4" value="0"' in vote_page
    matrix_page = text(expert_client.get(page_url(by_step["influence"]) + "?factor=F1"))
    assert " checked" not in matrix_page
    for step in ("hypothesis_vote", "impacts"):  # the pages of F1, which E2 answered
        page = text(expert_client.get(page_url(by_step[step]) + "?factor=F1"))
        assert 'aria-current="page">F1 ' in page
        assert " checked" not in page
        assert "SECRET-E2" not in page
    home = pages[reverse("workshop:expert_home", args=[study.pk])]
    assert "0 of 10 points given" in home


# -- page weight ---------------------------------------------------------------------------------


def test_expert_pages_weigh_under_100_kb(
    study: Study, all_rounds: list[Round], expert_client: Client
) -> None:
    for address in expert_get_urls(study, all_rounds):
        response = expert_client.get(address)
        if response["Content-Type"].startswith("text/html"):
            weight, assets = page_weight(text(response))
            assert any("htmx" in asset for asset in assets)
            assert weight < 100 * 1024, (address, weight)


def test_matrix_pages_of_twenty_factors_weigh_under_100_kb(
    study: Study, expert: Expert, expert_client: Client
) -> None:
    for number in range(5, 21):
        Factor.objects.create(
            study=study,
            code=f"F{number}",
            title=f"Un facteur de changement assez long pour un vrai titre, numéro {number}",
            position=number,
        )
    codes = [f"F{number}" for number in range(1, 21)]
    round_ = open_round(study, Round.Step.INFLUENCE, {"factors": codes})
    for address in (page_url(round_), url("expert_matrix_grid", round_)):
        weight, _ = page_weight(text(expert_client.get(address)))
        assert weight < 100 * 1024, (address, weight)


def test_closed_numeric_rounds_link_to_the_groups_result(study, expert_client) -> None:
    from django.urls import reverse

    from anticipe.workshop.models import Round

    page = expert_client.get(reverse("workshop:expert_home", args=[study.pk])).content.decode()
    for round_ in study.rounds.filter(status=Round.Status.CLOSED):
        link = reverse("workshop:expert_feedback", args=[study.pk, round_.pk])
        assert (link in page) == round_.has_group_feedback()
        assert expert_client.get(link).status_code == 200


def test_every_step_of_the_method_has_its_page_and_progress() -> None:
    # Each step's module registers itself when the package is imported (for its URLs).
    assert set(STEPS) == set(Round.Step.values)
    assert all(callable(step.page) and callable(step.progress) for step in STEPS.values())
