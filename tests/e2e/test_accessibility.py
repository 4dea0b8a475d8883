"""Accessibility checked, not assumed (issue 12): axe-core, injected by Playwright, reports no
violation of WCAG 2.1 A and AA on every page of the example study, as each role.

The walk: the public pages (home, login, join, privacy, glossary) signed out; every page the
facilitator opens (desk, setup, panel, rounds, results, decisions: every GET URL of the
workshop that answers a whole HTML page, with the example's arguments); the expert's pages
in each step's round, opened one at a time; a respondent's pages of the self-assessment
(its link's page, a question, their result) on a phone; the observer's pages once the study
is published. The facilitator's pages are checked on a desktop and on a phone (390 px wide:
a table that scrolls sideways must be reachable by the keyboard). A keyboard-only walk
(Tab, Space, Enter) answers a factor of the expert's influence matrix and a vote.

axe-core comes from the npm registry (tests/e2e/package.json, pinned; `npm ci` in
tests/e2e). Without tests/e2e/node_modules/axe-core the tests are skipped with the reason,
unless ANTICIPE_REQUIRE_AXE=1 (CI), which makes that a failure.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect

from anticipe.examples import load_example
from anticipe.workshop.models import (
    HypothesisVote,
    InfluenceScore,
    MassMailing,
    RespondentGroup,
    Round,
    SelfAssessment,
    Study,
    StudyMember,
)
from anticipe.workshop.study_import import import_study
from anticipe.workshop.urls import urlpatterns
from anticipe.workshop.views.desk.results_pages import RESULT_PAGES, STEP_SLUGS
from tests.e2e.conftest import DESKTOP, PHONE, TIMEOUT_MS
from tests.workshop.support import expert_client_for, first_round, page_url, published

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Pages that are not pages: downloads, fragments, redirects, actions (POST only).
NOT_PAGES = re.compile(r"/(export|download|csv|xlsx|chart|files?)/|\.(csv|xlsx|json|svg)$")


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.exists():
        reason = f"no {AXE}: run `npm ci` in tests/e2e to check accessibility with axe-core"
        if os.environ.get("ANTICIPE_REQUIRE_AXE") == "1":
            pytest.fail(reason + " (ANTICIPE_REQUIRE_AXE=1)")
        pytest.skip(reason)
    return AXE


class Walker:
    """Browser windows signed in as a persona, each page checked by axe-core."""

    def __init__(self, browser: Browser, base_url: str, script: Path) -> None:
        self.browser = browser
        self.base_url = base_url
        self.script = script
        self.contexts: list[BrowserContext] = []
        self.violations: list[str] = []
        self.checked: list[str] = []

    def window(self, client: Client | None = None, *, phone: bool = False) -> Page:
        options: dict[str, Any] = {"base_url": self.base_url, "locale": "fr-FR"}
        # the script axe adds is inline: the site's CSP (rightly) refuses it
        options["bypass_csp"] = True
        if phone:
            options.update(viewport=PHONE, is_mobile=True, has_touch=True)
        else:
            options["viewport"] = DESKTOP
        context = self.browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        if client is not None and "sessionid" in client.cookies:
            cookie = client.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": self.base_url}])
        self.contexts.append(context)
        return context.new_page()

    def check(self, page: Page, url: str, who: str) -> None:
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, f"{who} {url}: {response.status}"
        self.audit(page, f"{who} {url}")

    def audit(self, page: Page, where: str) -> None:
        page.add_script_tag(path=str(self.script))
        result = page.evaluate(
            "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})", RULES
        )
        self.checked.append(where)
        for violation in result["violations"]:
            nodes = [" ".join(node["target"]) for node in violation["nodes"]][:5]
            self.violations.append(
                f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}: {nodes}"
            )

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def walker(browser: Browser, live_server: Any, axe_script: Path) -> Iterator[Walker]:
    found = Walker(browser, live_server.url, axe_script)
    yield found
    found.close()


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_urls(study: Study, client: Client) -> list[str]:
    """Every GET URL of the workshop, with the example's arguments, that answers a whole
    HTML page to `client` (one of each kind of argument: a page per factor is one page)."""
    rounds = list(study.rounds.order_by("step", "iteration").values_list("pk", flat=True))
    key = study.factors.key().first()
    assert key is not None
    values: dict[str, list[Any]] = {
        "study_id": [study.pk],
        "round_id": rounds,
        "expert_id": [study.experts.order_by("code").values_list("pk", flat=True)[0]],
        "factor_id": [key.pk],
        "hypothesis_id": [key.hypotheses.values_list("pk", flat=True)[0]],
        "activity_id": [study.activities.values_list("pk", flat=True)[0]],
        "plane": ["direct", "indirect"],
        "page": [*RESULT_PAGES, *(f"iterations-{slug}" for slug in STEP_SLUGS)],
        "step": list(STEP_SLUGS),
        "mailing_id": [
            MassMailing.objects.create(
                study=study,
                kind=MassMailing.Kind.REMINDERS,
                status=MassMailing.Status.RUNNING,
                total=4,
                sent=1,
                base_url="http://testserver",
            ).pk
        ],
    }
    urls = []
    for pattern in urlpatterns:
        if not isinstance(pattern, URLPattern):
            continue
        names = list(pattern.pattern.converters)  # type: ignore[attr-defined]
        if names and "study_id" not in names:
            continue
        choices = [values.get(name, []) for name in names]
        for combination in itertools.product(*choices):
            kwargs = dict(zip(names, combination, strict=True))
            url = reverse(f"workshop:{pattern.name}", kwargs=kwargs)
            if NOT_PAGES.search(url) or url in urls:
                continue
            response = client.get(url)
            if whole_page(response):
                urls.append(url)
    return urls


def whole_page(response: Any) -> bool:
    """A whole HTML page (not a download, a fragment or a redirect)."""
    kind = response.get("Content-Type", "")
    if response.status_code != 200 or "text/html" not in kind or response.streaming:
        return False
    return b"<html" in response.content[:500]


def test_every_page_of_the_example_has_no_accessibility_violation(walker: Walker) -> None:
    users = get_user_model().objects
    facilitator = users.create_user("facilitator", password="pw-not-used-1")
    observer = users.create_user("observer", password="pw-not-used-1")
    study = import_study(load_example(), owner=facilitator)
    StudyMember.objects.create(study=study, user=observer, role=StudyMember.Role.OBSERVER)

    # public pages, signed out
    public = walker.window()
    for url in ("/", "/login/", "/join/", "/privacy/", "/glossary/"):
        walker.check(public, url, "anonymous")

    # the facilitator: every page of the study
    desk = signed_in(facilitator)
    urls = page_urls(study, desk)
    assert len(urls) > 30, urls
    page, phone = walker.window(desk), walker.window(desk, phone=True)
    for url in ["/", *urls]:
        walker.check(page, url, "facilitator")
        walker.check(phone, url, "facilitator (phone)")

    # an expert, in each step's round (one open at a time)
    expert = study.experts.order_by("code").first()
    assert expert is not None
    client = expert_client_for(expert)
    phone = walker.window(client, phone=True)
    for step in Round.Step.values:
        round_ = first_round(study, step)
        walker.check(phone, reverse("workshop:expert_home", args=[study.pk]), "expert")
        walker.check(phone, page_url(round_), f"expert ({step})")
        round_.close()

    # the self-assessment published, a group open (its link and QR code), and a respondent
    # on a phone: the link's page, one question, their result
    SelfAssessment.objects.filter(study=study).update(published=True, competences=["C1", "C11"])
    group = RespondentGroup.objects.create(study=study, code="G1", label="Groupe 1")
    walker.check(page, reverse("workshop:self_assessment", args=[study.pk]), "facilitator")
    respondent = walker.window(phone=True)
    walker.check(respondent, reverse("workshop:respond", args=[group.token]), "respondent")
    respondent.get_by_role("button", name="Commencer").click()
    respondent.wait_for_url(re.compile("/questions/1/$"))
    walker.audit(respondent, "respondent: question 1")
    respondent.locator(".levels label").first.click()
    expect(respondent.locator(".status .saved")).to_be_visible()
    walker.audit(respondent, "respondent: question 1 answered")
    result = reverse("workshop:respond_result", args=[group.token])
    walker.check(respondent, result, "respondent")

    # the observer, once the study is published
    published(study)
    reader = signed_in(observer)
    seen = walker.window(reader)
    for url in page_urls(study, reader):
        walker.check(seen, url, "observer")

    assert len(walker.checked) > 40
    assert walker.violations == [], (
        f"{len(walker.violations)} violations on {len(walker.checked)} pages:\n"
        + "\n".join(walker.violations)
    )


def test_the_walk_finds_a_violation(walker: Walker, live_server: Any) -> None:
    """The check can fail: an image without a text alternative is reported."""
    page = walker.window()
    page.goto("/privacy/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    walker.audit(page, "privacy with an image")
    assert any("image-alt" in violation for violation in walker.violations)


def test_the_expert_answers_with_the_keyboard_only(walker: Walker) -> None:
    """Tab, Space and Enter only: every question of the matrix's first factor, then Enter on
    "Next factor"; both questions of a hypothesis in the vote. Every answer is saved."""
    users = get_user_model().objects
    study = import_study(load_example(), owner=users.create_user("f", password="pw-not-1"))
    expert = study.experts.order_by("code").first()
    assert expert is not None
    phone = walker.window(expert_client_for(expert), phone=True)

    matrix = first_round(study, Round.Step.INFLUENCE)
    phone.goto(page_url(matrix))
    groups = radio_groups(phone)
    assert groups > 5
    assert keyboard_answers(phone, limit=groups) == groups
    expect(phone.locator("input[type=radio]:checked")).to_have_count(groups)
    saved = InfluenceScore.objects.filter(round=matrix, expert=expert)
    for _ in range(50):  # each answer is saved by its own request
        if saved.count() == groups:
            break
        phone.wait_for_timeout(200)
    assert saved.count() == groups
    tab_to(phone, "a[rel=next]")
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert "factor=" in phone.url
    matrix.close()

    vote = first_round(study, Round.Step.HYPOTHESIS_VOTE)
    phone.goto(page_url(vote))
    assert keyboard_answers(phone, limit=2) == 2
    votes = HypothesisVote.objects.filter(round=vote, expert=expert)
    for _ in range(50):
        if votes.exists():
            break
        phone.wait_for_timeout(200)
    assert votes.exists()


def radio_groups(page: Page) -> int:
    """How many questions the page asks: radio groups (a group is a name within a form)."""
    return int(
        page.eval_on_selector_all(
            "input[type=radio]:not([disabled])",
            "inputs => new Set(inputs.map(i => [...document.forms].indexOf(i.form) + i.name)).size",
        )
    )


def focused_matches(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            "s => { const e = document.activeElement; return !!e && e.matches(s) }", selector
        )
    )


def tab_to(page: Page, selector: str) -> None:
    for _ in range(300):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def settled(page: Page) -> None:
    """Wait for the answer's save to come back (as a person reads "saved" before going on)."""
    page.wait_for_timeout(50)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def keyboard_answers(page: Page, *, limit: int) -> int:
    """Tab through the page; on each radio group reached that has no answer yet, Space
    picks its focused option. Returns how many were picked (at most `limit`)."""
    picked = 0
    for _ in range(400):
        page.keyboard.press("Tab")
        unanswered = page.evaluate(
            """() => { const e = document.activeElement;
                 if (!e || !e.matches('input[type=radio]')) return false;
                 const group = [...(e.form || document).querySelectorAll('input[type=radio]')]
                   .filter(i => i.name === e.name);
                 return !group.some(i => i.checked) }"""
        )
        if unanswered:
            page.keyboard.press("Space")
            settled(page)
            picked += 1
            if picked >= limit:
                break
    return picked
