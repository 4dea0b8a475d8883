"""The method's path on the study page: each step's status, the one next action, the
refusals shown beside a disabled action; rounds that overlap; deleting a draft round; the
vote's defaults that follow the study."""

from __future__ import annotations

import html as html_module
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anticipe.workshop import rules
from anticipe.workshop.models import AuditEvent, Factor, Round, Study, StudyMember
from anticipe.workshop.rules import PathStatus
from tests.workshop.support import open_round, round_of
from tests.workshop.support import text as page


@pytest.fixture
def empty_study(facilitator: Any) -> Study:
    created = Study.objects.create(title="Soudeur", created_by=facilitator)
    StudyMember.objects.create(study=created, user=facilitator, role=StudyMember.Role.FACILITATOR)
    return created


def primary_buttons(html: str) -> list[str]:
    """The text of every primary button or link of the page's main content."""
    main = html[html.index("<main") : html.index("</main>")]
    found = re.findall(
        r'<(?:a|button)[^>]*class="[^"]*\bprimary\b[^"]*"[^>]*>(.*?)</(?:a|button)>', main, re.S
    )
    return [
        html_module.unescape(re.sub(r"<[^>]+>.*", "", label, flags=re.S).strip()) for label in found
    ]


def step_html(html: str, key: str) -> str:
    start = html.index(f'id="path-{key}"')
    return html[start : html.index("</li>", start)]


def test_a_new_study_starts_with_its_perimeter_not_with_publishing(
    empty_study: Study, facilitator_client: Client
) -> None:
    html = page(facilitator_client.get(reverse("workshop:study", args=[empty_study.pk])))
    assert primary_buttons(html) == ["Describe the job's activities and tasks"]
    assert re.search(r'class="path-step not_started next" id="path-perimeter"', html)
    publish_url = reverse("workshop:study_publish", args=[empty_study.pk])
    publish = re.search(rf'<form[^>]*action="{publish_url}"[^>]*>(.*?)</form>', html, re.S)
    assert publish is not None
    assert "data-confirm" in publish.group(0)  # confirmed, and not the primary action
    assert "primary" not in publish.group(1)
    # every step of the method, in order
    keys = re.findall(r'id="path-([a-z_]+)"', html)
    assert keys == rules.PATH_STEPS
    assert html.count("not started") == len(rules.PATH_STEPS)


def test_the_next_step_of_a_study_with_a_perimeter_is_the_proposals(
    empty_study: Study, facilitator_client: Client
) -> None:
    empty_study.activities.create(code="1", title="Souder")
    html = page(facilitator_client.get(reverse("workshop:study", args=[empty_study.pk])))
    assert primary_buttons(html) == ["Prepare the round"]
    assert "done" in step_html(html, "perimeter")
    proposals = step_html(html, "proposals")
    assert reverse("workshop:round_create", args=[empty_study.pk, "proposals"]) in proposals
    # a later step shows why it cannot start yet, beside its disabled button
    vote = step_html(html, "factor_vote")
    assert "disabled" in vote
    assert "The vote needs at least 2 change factors." in vote
    assert 'aria-describedby="path-factor_vote-refusal"' in vote


def test_an_open_round_shows_its_progress_and_is_followed(
    empty_study: Study, facilitator_client: Client
) -> None:
    empty_study.activities.create(code="1", title="Souder")
    round_ = open_round(empty_study, "proposals")
    html = page(facilitator_client.get(reverse("workshop:study", args=[empty_study.pk])))
    proposals = step_html(html, "proposals")
    assert "0 of 0 experts answered" in proposals
    assert "finished" not in proposals  # while open, neither "finished" nor an amount
    assert primary_buttons(html) == ["Follow the answers"]
    round_.close()
    html = page(facilitator_client.get(reverse("workshop:study", args=[empty_study.pk])))
    assert primary_buttons(html) == ["Merge the proposals into change factors"]
    assert "closed: your decision next" in step_html(html, "proposals")


def test_the_path_of_a_finished_study(study: Study) -> None:
    """The small study: every step decided but the report (not published)."""
    statuses = {step.key: step.status for step in rules.study_path(study)}
    assert statuses["perimeter"] == PathStatus.DECIDED
    assert statuses["factor_vote"] == PathStatus.DECIDED
    assert statuses["impacts"] == PathStatus.DECIDED
    assert statuses["report"] == PathStatus.NOT_STARTED
    assert [step.key for step in rules.study_path(study) if step.is_next] == ["report"]


def test_the_path_is_not_shown_to_an_observer(study: Study, observer_client: Client) -> None:
    html = page(observer_client.get(reverse("workshop:study", args=[study.pk])))
    assert 'id="path-' not in html


# -- overlapping rounds -------------------------------------------------------------------------


def test_the_vote_cannot_open_while_the_proposals_are_open(
    study: Study, facilitator_client: Client
) -> None:
    study.rounds.all().delete()
    proposals = open_round(study, "proposals")
    vote = Round.objects.create(study=study, step="factor_vote")
    refusal = rules.refusal_to_open(vote)
    assert refusal is not None
    assert "Change factors: proposals" in refusal
    response = facilitator_client.post(reverse("workshop:round_open", args=[study.pk, vote.pk]))
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.status == Round.Status.DRAFT
    # shown beside the disabled button, on the study page and on the rounds page
    html = page(facilitator_client.get(reverse("workshop:study", args=[study.pk])))
    assert html_module.escape(refusal, quote=False) in step_html(html, "factor_vote")
    rounds_html = page(facilitator_client.get(reverse("workshop:rounds", args=[study.pk])))
    assert f'id="round-{vote.pk}-refusal"' in rounds_html
    proposals.close()
    assert rules.refusal_to_open(vote) is None


def test_a_closed_round_cannot_reopen_while_the_next_step_is_open(study: Study) -> None:
    study.rounds.all().delete()
    proposals = open_round(study, "proposals")
    proposals.close()
    open_round(study, "factor_vote")
    proposals.refresh_from_db()
    assert rules.refusal_to_reopen(proposals) is not None


def test_actions_and_impacts_may_be_open_together(study: Study) -> None:
    study.rounds.all().delete()
    open_round(study, "actions")
    impacts = Round.objects.create(study=study, step="impacts")
    assert rules.refusal_to_open(impacts) is None
    hypotheses = Round.objects.create(study=study, step="hypothesis_vote")
    assert rules.refusal_to_open(hypotheses) is not None


# -- deleting a draft round ---------------------------------------------------------------------


def test_a_draft_round_can_be_deleted_and_it_is_logged(
    study: Study, facilitator_client: Client
) -> None:
    study.rounds.filter(step="impacts").delete()
    draft = Round.objects.create(study=study, step="impacts")
    rounds_html = page(facilitator_client.get(reverse("workshop:rounds", args=[study.pk])))
    url = reverse("workshop:round_delete", args=[study.pk, draft.pk])
    assert url in rounds_html
    form = rounds_html[: rounds_html.index(url)].rsplit("<form", 1)[1]
    assert "data-confirm" in rounds_html[rounds_html.index(url) - 10 : rounds_html.index(url) + 200]
    assert form is not None
    response = facilitator_client.post(url)
    assert response.status_code == 302
    assert not Round.objects.filter(pk=draft.pk).exists()
    event = AuditEvent.objects.get(study=study, action="round_deleted")
    assert event.detail["step"] == "impacts"


def test_an_opened_round_cannot_be_deleted(study: Study, facilitator_client: Client) -> None:
    opened = round_of(study, "factor_vote")
    assert opened.status != Round.Status.DRAFT
    url = reverse("workshop:round_delete", args=[study.pk, opened.pk])
    response = facilitator_client.post(url, follow=True)
    assert "Only a round that was never opened can be deleted." in page(response)
    assert Round.objects.filter(pk=opened.pk).exists()
    assert not AuditEvent.objects.filter(study=study, action="round_deleted").exists()


# -- the vote's defaults follow the study -------------------------------------------------------


def test_a_vote_keeping_more_factors_than_the_study_has_cannot_open(study: Study) -> None:
    study.rounds.all().delete()
    vote = Round.objects.create(study=study, step="factor_vote", settings={"shortlist_size": 20})
    refusal = rules.refusal_to_open(vote)
    assert refusal is not None
    assert "the study has 4" in refusal
    assert rules.shortlist_size_bounds(study) == (4, 4)


def test_a_factor_without_points_is_never_shown_selected(
    study: Study, facilitator_client: Client
) -> None:
    Factor.objects.create(study=study, code="F5", title="Sans voix", position=9)
    study.factors.update(shortlisted=False)
    vote = round_of(study, "factor_vote")
    vote.settings = {**vote.settings, "shortlist_size": 5}
    vote.save()
    html = page(facilitator_client.get(reverse("workshop:shortlist", args=[study.pk])))
    f5 = study.factors.get(code="F5")
    at = html.index(f'value="{f5.pk}"')
    row = html[html.rindex("<tr", 0, at) : html.index("</tr>", at)]
    assert "Sans voix" in row
    assert "checked" not in row
    assert "selected" not in row
    f1 = study.factors.get(code="F1")
    assert f'value="{f1.pk}" id="keep-{f1.pk}" checked' in html


def test_the_rounds_page_offers_only_the_next_step_s_round_first(
    empty_study: Study, facilitator_client: Client
) -> None:
    empty_study.activities.create(code="1", title="Souder")
    html = page(facilitator_client.get(reverse("workshop:rounds", args=[empty_study.pk])))
    assert primary_buttons(html) == ["Prepare the round"]
    proposals = html[html.index('id="step-proposals"') : html.index('id="step-factor_vote"')]
    assert "primary" in proposals
    vote = html[html.index('id="step-factor_vote"') : html.index('id="step-influence"')]
    assert 'disabled aria-describedby="step-factor_vote-refusal"' in vote
    assert "The vote needs at least 2 change factors." in vote


def test_the_report_is_offered_once_the_steps_before_it_are_done(
    empty_study: Study, study: Study, facilitator_client: Client
) -> None:
    report = reverse("workshop:report", args=[empty_study.pk])
    html = page(facilitator_client.get(reverse("workshop:study", args=[empty_study.pk])))
    assert report not in step_html(html, "report")
    html = page(facilitator_client.get(reverse("workshop:study", args=[study.pk])))
    assert reverse("workshop:report", args=[study.pk]) in step_html(html, "report")
