"""Expert pages weigh under 100 KB (issue 3) at the size of a real study, full of answers.

``test_pages.py`` weighs the pages of the small test study (three factors) and the empty
matrix of 20 factors. This adds what a real expert meets at the end of a study: the example
study (20 factors, 10 key factors, 32 hypotheses, 7 activities) with every step's page
answered in full (the grid's 380 cells, a paragraph in every situation, actions and impacts
for every retained hypothesis), the same pages once the rounds are closed (read-only), the
pages where experts join or change an answer, and the files the stylesheets themselves
reference (fonts, images), all counted as on a first visit with an empty cache.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import (
    ActionProposal,
    Expert,
    FactorPoints,
    FactorProposal,
    HypothesisVote,
    ImpactProposal,
    InfluenceScore,
    Round,
    Situation,
    Study,
)
from anticipe.workshop.views.desk.cross_impacts import scenario_hypotheses
from anticipe.workshop.views.expert.common import retained_hypotheses
from anticipe.workshop.views.expert.hypothesis_votes import votable_hypotheses
from tests.workshop.support import expert_client_for, open_round, page_url, page_weight, text, url

pytestmark = pytest.mark.slow  # page-weight walks of the example study, answered in full
LIMIT = 100 * 1024
PARAGRAPH = (
    "Les usagers arrivent avec des démarches en ligne de plus en plus nombreuses et des "
    "outils qui changent sans cesse ; le médiateur doit se former en continu, travailler "
    "avec les services sociaux et garder du temps pour l'accompagnement individuel. "
)
CSS_REFERENCE = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def referenced_by_stylesheets(assets: list[str]) -> int:
    """Bytes of the files the page's stylesheets reference (url(), @import), followed
    recursively; data: URIs are already counted in their stylesheet."""
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    seen: set[str] = set()
    pending = [a.removeprefix(prefix) for a in assets if a.endswith(".css")]
    total = 0
    while pending:
        stylesheet = pending.pop()
        found = finders.find(stylesheet)
        assert found, stylesheet
        for match in CSS_REFERENCE.finditer(Path(str(found)).read_text(encoding="utf-8")):
            reference = (match[1] or match[2]).split("#")[0].split("?")[0]
            if not reference or reference.startswith("data:"):
                continue
            assert "//" not in reference, reference  # no external request
            name = str(Path(stylesheet).parent / reference) if reference[0] != "/" else reference
            name = str(Path(name)).removeprefix(prefix)
            if name in seen:
                continue
            seen.add(name)
            file = finders.find(name)
            assert file, (stylesheet, reference)
            total += Path(str(file)).stat().st_size
            if name.endswith(".css"):
                pending.append(name)
    return total


def weight(client: Client, address: str) -> tuple[int, str]:
    """The first visit's bytes of a page (page, scripts, stylesheets and their files)."""
    response = client.get(address)
    assert response.status_code == 200, address
    assert response["Content-Type"].startswith("text/html"), address
    html = text(response)
    total, assets = page_weight(html)
    assert any("htmx" in asset for asset in assets), address
    return total + referenced_by_stylesheets(assets), html


def assert_light(client: Client, addresses: list[str]) -> dict[str, str]:
    """Weigh every page; all must be light."""
    pages = {}
    heavy = []
    for address in addresses:
        total, pages[address] = weight(client, address)
        if total >= LIMIT:
            heavy.append((address, total))
    assert not heavy, f"pages of {LIMIT} bytes or more: {heavy}"
    return pages


# -- a real study, answered in full -----------------------------------------------------------


@pytest.fixture
def answerer(example: Study) -> Expert:
    """The first expert of the example's panel (with its imported, closed answers)."""
    return example.experts.order_by("code").first()


def answer_everything(study: Study, expert: Expert) -> dict[str, Round]:
    """A new open round of every step, every question answered by `expert`."""
    factors = list(study.factors.order_by("position", "id"))
    codes = [f.code for f in study.factors.shortlisted()]
    rounds = {
        step: open_round(study, step, {"factors": codes} if step == Round.Step.INFLUENCE else {})
        for step in Round.Step.values
    }
    FactorProposal.objects.bulk_create(
        FactorProposal(
            round=rounds[Round.Step.PROPOSALS],
            expert=expert,
            title=f"{factor.title} (reformulé par l'expert)",
            explanation=PARAGRAPH * 2,
        )
        for factor in factors[:10]
    )
    FactorPoints.objects.bulk_create(
        FactorPoints(round=rounds[Round.Step.FACTOR_VOTE], expert=expert, factor=f, points=1)
        for f in factors[:10]
    )
    shortlisted = [f for f in factors if f.code in codes]
    InfluenceScore.objects.bulk_create(
        InfluenceScore(
            round=rounds[Round.Step.INFLUENCE],
            expert=expert,
            source=source,
            target=target,
            value="0123P?"[(i + j) % 6],
        )
        for i, source in enumerate(shortlisted)
        for j, target in enumerate(shortlisted)
        if i != j
    )
    Situation.objects.bulk_create(
        Situation(
            round=rounds[Round.Step.SITUATIONS],
            expert=expert,
            factor=factor,
            current=PARAGRAPH * 2,
            future=PARAGRAPH * 2,
        )
        for factor in study.factors.key()
    )
    votes = rounds[Round.Step.HYPOTHESIS_VOTE]
    HypothesisVote.objects.bulk_create(
        HypothesisVote(round=votes, expert=expert, hypothesis=h, probability=3, desirability=2)
        for h in votable_hypotheses(votes)
    )
    activities = list(study.activities_in_order())
    for _factor, hypothesis in retained_hypotheses(study):
        for number in (1, 2):
            ActionProposal.objects.create(
                round=rounds[Round.Step.ACTIONS],
                expert=expert,
                hypothesis=hypothesis,
                text=f"Action {number} : {PARAGRAPH}",
            )
        for activity in activities[:3]:
            ImpactProposal.objects.create(
                round=rounds[Round.Step.IMPACTS],
                expert=expert,
                hypothesis=hypothesis,
                activity=activity,
                competences="Accompagner les démarches en ligne\nTravailler en réseau\nSe former",
            )
    return rounds


def factor_pages(round_: Round, codes: list[str]) -> list[str]:
    return [f"{page_url(round_)}?factor={code}" for code in codes]


def expert_pages(study: Study, rounds: dict[str, Round], expert: Expert) -> list[str]:
    influence = rounds[Round.Step.INFLUENCE]
    codes = influence.settings["factors"]
    keys = [f.code for f in study.factors.key()]
    proposal = FactorProposal.objects.filter(round=rounds[Round.Step.PROPOSALS], expert=expert)
    action = ActionProposal.objects.filter(round=rounds[Round.Step.ACTIONS], expert=expert)
    return [
        reverse("workshop:expert_home", args=[study.pk]),
        *(page_url(round_) for round_ in rounds.values()),
        *factor_pages(influence, [codes[0], codes[-1]]),
        *factor_pages(rounds[Round.Step.HYPOTHESIS_VOTE], keys),
        *factor_pages(rounds[Round.Step.IMPACTS], keys),
        url("expert_matrix_grid", influence),
        url("expert_proposal_edit", rounds[Round.Step.PROPOSALS], proposal.first().pk),
        url("expert_action_edit", rounds[Round.Step.ACTIONS], action.first().pk),
    ]


def test_expert_pages_full_of_answers_weigh_under_100_kb(example: Study, answerer: Expert) -> None:
    rounds = answer_everything(example, answerer)
    pages = assert_light(expert_client_for(answerer), expert_pages(example, rounds, answerer))
    # The pages do show the answers weighed (else the weight would prove nothing).
    grid = pages[url("expert_matrix_grid", rounds[Round.Step.INFLUENCE])]
    assert len(re.findall(r'<input name="c\d+-\d+"[^>]* value="[0-3P?]"', grid)) == 380
    matrix = pages[page_url(rounds[Round.Step.INFLUENCE])]
    assert matrix.count(" checked") == 19
    situations = pages[page_url(rounds[Round.Step.SITUATIONS])]
    assert situations.count("garder du temps pour l&#x27;accompagnement") >= 20
    actions = pages[page_url(rounds[Round.Step.ACTIONS])]
    assert actions.count("Action 2 :") >= 10
    # The steps asked one key factor per page: every hypothesis and impact is on a page.
    keys = [f.code for f in example.factors.key()]
    impacts = [pages[a] for a in factor_pages(rounds[Round.Step.IMPACTS], keys)]
    assert sum(page.count("Travailler en réseau") for page in impacts) >= 30
    votes = [pages[a] for a in factor_pages(rounds[Round.Step.HYPOTHESIS_VOTE], keys)]
    voted = {code for page in votes for code in re.findall(r'id="hypothesis-([\w-]+)"', page)}
    asked = votable_hypotheses(rounds[Round.Step.HYPOTHESIS_VOTE])
    assert voted == {h.code for h in asked}
    assert sum(page.count(" checked") for page in votes) == 2 * asked.count()


def test_closed_rounds_read_only_weigh_under_100_kb(example: Study, answerer: Expert) -> None:
    rounds = answer_everything(example, answerer)
    for round_ in example.rounds.all():
        round_.close()
    imported = list(example.rounds.filter(iteration=1, step__in=list(rounds)).order_by("pk"))
    assert imported  # the example's own rounds, with this expert's imported answers
    keys = [f.code for f in example.factors.key()]
    addresses = expert_pages(example, rounds, answerer)[:-2]  # edit pages refuse: closed
    for round_ in imported:
        addresses.append(page_url(round_))
        if round_.step in (Round.Step.HYPOTHESIS_VOTE, Round.Step.IMPACTS):
            addresses += factor_pages(round_, keys)
    influence = next(r for r in imported if r.step == Round.Step.INFLUENCE)
    addresses.append(url("expert_matrix_grid", influence))
    pages = assert_light(expert_client_for(answerer), addresses)
    # The closed grid's 380 cells are read-only through their one fieldset.
    grid = pages[url("expert_matrix_grid", rounds[Round.Step.INFLUENCE])]
    assert '<fieldset class="table-wrap" data-answers disabled>' in grid
    assert len(re.findall(r'<input name="c\d+-\d+"[^>]* value="[0-3P?]"', grid)) == 380
    assert "hx-post" not in pages[page_url(rounds[Round.Step.HYPOTHESIS_VOTE])]


def test_pages_where_experts_join_weigh_under_100_kb(
    example: Study, anonymous_client: Client
) -> None:
    pages = assert_light(
        anonymous_client,
        [reverse("workshop:join"), f"{reverse('workshop:join')}?code={example.join_code}"],
    )
    assert example.join_code in pages[f"{reverse('workshop:join')}?code={example.join_code}"]
    response = anonymous_client.get(reverse("workshop:invitation", args=["not-a-token"]))
    assert response.status_code == 404
    total, _assets = page_weight(text(response))
    assert total < LIMIT


def test_second_iteration_pages_with_feedback_weigh_under_100_kb(
    example: Study, answerer: Expert
) -> None:
    """Iteration 2 adds, under every question, the group's result of iteration 1."""
    keys = [f.code for f in example.factors.key()]
    addresses = []
    for step in (Round.Step.FACTOR_VOTE, Round.Step.INFLUENCE, Round.Step.HYPOTHESIS_VOTE):
        first = example.rounds.get(step=step, iteration=1)
        second = Round.objects.create(
            study=example, step=step, iteration=2, settings=dict(first.settings)
        )
        second.open()
        addresses.append(page_url(second))
        if step == Round.Step.INFLUENCE:
            addresses += factor_pages(second, first.settings["factors"][-1:])
        if step == Round.Step.HYPOTHESIS_VOTE:
            addresses += factor_pages(second, keys)
    pages = assert_light(expert_client_for(answerer), addresses)
    assert all('class="delphi"' in page for page in pages.values())


def test_cross_impacts_pages_weigh_under_100_kb(example: Study, facilitator_client: Client) -> None:
    """The facilitator's cross-impacts (issue 12): the whole grid of the example's 32
    hypotheses weighed 304 KB (~900 drop-downs); one key factor's hypotheses at a time."""
    address = reverse("workshop:cross_impacts", args=[example.pk])
    keys = [f.code for f in example.factors.key()]
    pages = assert_light(facilitator_client, [f"{address}?factor={code}" for code in keys])
    # Every cell between hypotheses of different key factors is on the page of its source.
    hypotheses = [h for _f, items in scenario_hypotheses(example) for h in items]
    cells = sum(len(re.findall(r'<select name="ci-\d+-\d+"', page)) for page in pages.values())
    assert cells == sum(1 for s in hypotheses for t in hypotheses if s.factor_id != t.factor_id)
