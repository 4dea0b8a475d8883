"""The desk in a real browser (Playwright driving Debian's Chromium against the live
server): the example study's decisions walked from its closed rounds, then a second round of
the hypothesis vote with the experts' feedback. Every page is watched for script and console
errors (a Content-Security-Policy violation is one), which fail the test.

Skipped, with the reason, when Playwright or /usr/bin/chromium is not installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from anticipe.examples import load_example
from anticipe.workshop.models import (
    Action,
    CrossImpact,
    Factor,
    Hypothesis,
    HypothesisVote,
    Impact,
    Round,
    Study,
)
from anticipe.workshop.study_format import import_study
from tests.workshop.support import expert_client_for

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]
expect = sync_api.expect


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; the test's own database
    # reads and writes are plain synchronous code, so Django's async guard is lifted while
    # the browser runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()


class Window:
    """A browser window signed in as a test client's session, watched for errors."""

    def __init__(self, browser: Any, base_url: str, client: Client, **options: Any) -> None:
        self.context = browser.new_context(base_url=base_url, locale="en-GB", **options)
        self.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
        )
        self.context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(f"script: {error}"))
        self.page.on("console", self._console)
        self.page.on("dialog", lambda dialog: dialog.accept())  # data-confirm forms

    def _console(self, message: Any) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
            self.errors.append(f"console: {message.text}")

    def submit(self, button: Any) -> None:
        with self.page.expect_navigation():
            button.click()


def reset_decisions(study: Study) -> None:
    """The example study as it stands once its rounds are closed: no decision yet."""
    Hypothesis.objects.filter(factor__study=study, merged_from__isnull=False).delete()
    CrossImpact.objects.filter(source__factor__study=study).delete()
    Action.objects.filter(hypothesis__factor__study=study).delete()
    Impact.objects.filter(activity__study=study).delete()
    study.competences.all().delete()
    study.factors.update(
        key_origin="", key_reason="", retained=None, actions_can_reach_desirable=None
    )


def test_walk_the_desk_in_a_browser(
    browser: Any, live_server: Any, facilitator: Any, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "en"
    cache.clear()
    study = import_study(load_example(), owner=facilitator)
    reset_decisions(study)
    client = Client()
    client.force_login(facilitator)
    desk = Window(browser, live_server.url, client, viewport={"width": 1280, "height": 900})
    fac = desk.page
    pk = study.pk

    # key factors: the analysis' selection, and A16 added at the panel's request (a reason
    # is required)
    fac.goto(f"/studies/{pk}/decisions/key-factors/")
    desk.submit(fac.get_by_role("button", name="Confirm the analysis' selection"))
    expect(fac.locator("#key-A1")).to_be_visible()
    fac.get_by_label("Factor", exact=True).select_option("A16")
    desk.submit(fac.get_by_role("button", name="Add", exact=True))
    expect(fac.locator(".messages")).to_contain_text("Say why the panel adds a factor")
    fac.get_by_label("Factor", exact=True).select_option("A16")
    fac.locator("#add-reason").fill("Asked for by the experts.")
    desk.submit(fac.get_by_role("button", name="Add", exact=True))
    expect(fac.locator("#key-A16")).to_contain_text("added by the panel")
    expect(fac.locator("#key-A16")).to_contain_text("Asked for by the experts.")

    # A1: the rule's proposal, confirmed
    a1 = Factor.objects.get(study=study, code="A1")
    fac.goto(f"/studies/{pk}/decisions/factors/{a1.pk}/")
    fac.get_by_label("Yes: retain the most desirable").check()
    desk.submit(fac.locator("#retention form").first.get_by_role("button", name="Save"))
    expect(fac.locator("[data-key=proposal]")).to_have_text("A1-C")
    desk.submit(fac.get_by_role("button", name="Retain A1-C, as the rule proposes"))
    expect(fac.locator("[data-key=retained]")).to_contain_text("Big data")

    # A19: b and c merged, the merge retained by an override with a reason
    a19 = Factor.objects.get(study=study, code="A19")
    fac.goto(f"/studies/{pk}/decisions/factors/{a19.pk}/")
    fac.get_by_label("Yes: retain the most desirable").check()
    desk.submit(fac.locator("#retention form").first.get_by_role("button", name="Save"))
    b = a19.hypotheses.get(code="A19-B")
    c = a19.hypotheses.get(code="A19-C")
    fac.locator(f"#merge-{b.pk}").check()
    fac.locator(f"#merge-{c.pk}").check()
    fac.locator("#merge-text").fill("New forms of consumption, work and access to services.")
    desk.submit(fac.get_by_role("button", name="Merge", exact=True))
    expect(fac.locator("#hypotheses")).to_contain_text("merges B, C")
    merged = a19.hypotheses.get(merged_from=b)
    assert merged.label == "B+C"
    fac.get_by_text("Retain another hypothesis (override, with a reason)").click()
    fac.get_by_label("Hypothesis to retain").select_option(str(merged.pk))
    fac.locator("#override-reason").fill("The panel merges the most probable and desirable.")
    desk.submit(fac.get_by_role("button", name="Retain with this reason"))
    expect(fac.locator("[data-key=retained]")).to_contain_text("New forms of consumption")
    expect(fac.locator("#retention")).to_contain_text("The panel merges the most probable")

    # the action plan and the impact table
    fac.goto(f"/studies/{pk}/decisions/actions/")
    plan = fac.locator("#actions-A1-C")
    plan.get_by_text("Add an action").click()
    plan.get_by_label("Aim").select_option("provoke")
    plan.get_by_label("Action").fill("Train mediators to explain algorithms.")
    plan.get_by_role("button", name="Add", exact=True).click()  # htmx: the plan is swapped
    expect(fac.locator("#actions-A1-C .decision-list")).to_contain_text("Train mediators")
    fac.goto(f"/studies/{pk}/decisions/impacts/")
    fac.locator("#new-ctext").fill("Explain how an algorithm decides")
    desk.submit(fac.get_by_role("button", name="Add the competence"))
    retained = a1.hypotheses.get(code="A1-C")
    fac.get_by_label("Retained hypothesis").select_option(str(retained.pk))
    fac.get_by_label("Activity", exact=True).select_option(index=1)
    fac.get_by_label(re.compile(r"C1 Explain how an algorithm decides")).last.check()
    desk.submit(fac.get_by_role("button", name="Add the impact"))
    expect(fac.locator(".messages")).to_contain_text("Impact added.")

    # the results pages show the decisions, with their numbers
    fac.goto(f"/studies/{pk}/results/hypotheses/")
    expect(fac.locator(f"#hypothesis-{merged.code} .marks")).to_contain_text("retained")
    expect(fac.locator("#hypothesis-A1-C .marks")).to_contain_text("most desirable")
    fac.goto(f"/studies/{pk}/results/actions-and-impacts/")
    expect(fac.locator("#plan")).to_contain_text("Train mediators to explain algorithms.")
    fac.goto(f"/studies/{pk}/results/structural-analysis/")
    image = fac.locator("#map img")
    expect(image).to_be_visible()
    assert fac.evaluate("(img) => img.naturalWidth", image.element_handle()) > 0
    fac.goto(f"/studies/{pk}/decisions/log/")
    expect(fac.locator("main")).to_contain_text("The panel merges the most probable")
    assert study.audit_events.filter(action="retention_overridden").count() == 1

    # Delphi: the facilitator prepares and opens iteration 2 of the hypothesis vote on the
    # rounds page; one expert, on a phone, sees the group's result of iteration 1 under each
    # hypothesis and raises the probability of A1-A to 4; the other experts answer as
    # before (through the same endpoint their phones post to); the facilitator closes it.
    first = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    fac.goto(f"/studies/{pk}/rounds/")
    step = fac.locator("#step-hypothesis_vote")
    desk.submit(step.get_by_role("button", name="Prepare iteration 2 (Delphi)"))
    desk.submit(fac.locator("#step-hypothesis_vote").get_by_role("button", name="Open the round"))
    second = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE, iteration=2)
    assert second.status == Round.Status.OPEN
    # The rounds page refreshes the progress by itself; leave it, so that no request of the
    # desk runs while this test writes (the test's in-memory SQLite database has one
    # connection, shared with the live server's threads).
    fac.goto("about:blank")
    assert second.settings == first.settings
    # an expert whose probability of A1-A was not the highest revises it to 4
    revised = (
        HypothesisVote.objects.filter(round=first, hypothesis__code="A1-A", probability__lt=4)
        .select_related("expert")
        .order_by("expert__code")
        .first()
    )
    assert revised is not None
    expert = revised.expert
    phone = Window(
        browser,
        live_server.url,
        expert_client_for(expert),
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    phone.page.goto(f"/studies/{pk}/me/rounds/{first.pk}/feedback/")
    mine = phone.page.locator("#feedback-A1-A td.mine").first
    expect(mine).to_contain_text("you")
    phone.page.goto(f"/studies/{pk}/me/")
    with phone.page.expect_navigation():
        phone.page.get_by_role("link", name=re.compile(r"^Answer ?: .*\(2\)$")).tap()
    expect(phone.page.locator(".delphi-intro")).to_contain_text("Iteration 2")
    phone.page.get_by_text("All the factors").tap()  # one key factor per page: A1's
    with phone.page.expect_navigation():
        phone.page.get_by_role("link", name=re.compile(r"^A1 ")).tap()
    card = phone.page.locator("#hypothesis-A1-A")
    expect(card.locator(".delphi")).to_contain_text(f"you: {revised.probability}")
    own = {
        v.hypothesis.code: v
        for v in HypothesisVote.objects.filter(round=first, expert=expert).select_related(
            "hypothesis"
        )
    }
    a1 = [h.code for h in Hypothesis.objects.filter(factor__code="A1", factor__study=study)]
    # their answers of iteration 1 are filled in: they change A1-A's probability (which
    # saves the card, so confirms its desirability too) and confirm the others as they are
    for code in sorted(set(a1) & set(own)):
        form = phone.page.locator(f"#hypothesis-{code}")
        expect(form.locator(".status")).to_contain_text("Answer of iteration 1")
        with phone.page.expect_response(re.compile(r"/hypotheses/$")):
            if code == "A1-A":
                form.locator(f"label[for='p-{code}-4']").tap()
            else:
                form.get_by_role("button", name="Confirm", exact=True).tap()
        expect(form.locator(".status")).to_contain_text("Saved")
    # The other answers are posted to the same endpoint: the phone expert's from the phone's
    # own session (signing them in elsewhere would sign the phone out), the others' from
    # their own sessions.
    csrf = next(c["value"] for c in phone.context.cookies() if c["name"] == "csrftoken")
    clients: dict[int, Client] = {}
    save = f"/studies/{pk}/me/rounds/{second.pk}/hypotheses/"
    for vote in HypothesisVote.objects.filter(round=first).select_related("expert", "hypothesis"):
        answer = {
            "hypothesis": vote.hypothesis.code,
            "probability": "?" if vote.probability is None else str(vote.probability),
            "desirability": "?" if vote.desirability is None else str(vote.desirability),
        }
        if vote.expert_id == expert.pk:
            if vote.hypothesis.code in a1:
                continue  # answered by tapping, above
            sent = phone.context.request.post(
                live_server.url + save,
                form=answer,
                headers={"X-CSRFToken": csrf, "HX-Request": "true"},
            )
            assert sent.status == 200, sent.text()
            continue
        if vote.expert_id not in clients:
            clients[vote.expert_id] = expert_client_for(vote.expert)
        response = clients[vote.expert_id].post(save, answer, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.content
    assert HypothesisVote.objects.filter(round=second).count() == (
        HypothesisVote.objects.filter(round=first).count()
    )
    fac.goto(f"/studies/{pk}/rounds/")
    desk.submit(fac.locator("#step-hypothesis_vote").get_by_role("button", name="Close the round"))
    second.refresh_from_db()
    assert second.status == Round.Status.CLOSED
    phone.page.goto(f"/studies/{pk}/me/rounds/{second.pk}/feedback/")
    probability = phone.page.locator("#feedback-A1-A .stat").first
    expect(probability.locator("td.mine")).to_have_count(1)
    expect(probability.locator("td").nth(3)).to_contain_text("you")  # the value 4
    fac.goto(f"/studies/{pk}/results/hypotheses/")
    fours = fac.locator("#hypothesis-A1-A [data-key='p.A1-A.4']").get_attribute("data-value")
    first_fours = HypothesisVote.objects.filter(
        round=first, hypothesis__code="A1-A", probability=4
    ).count()
    assert fours is not None
    assert int(fours) == first_fours + 1  # the results moved with the revision
    fac.goto(f"/studies/{pk}/results/iterations/hypothesis-vote/")
    moved = fac.locator("#moved-A1-A")
    expect(moved).to_contain_text("A1")
    assert moved.locator("[data-key='it1.A1-A.p']").get_attribute("data-value") is not None
    assert moved.locator("[data-key='it2.A1-A.p']").get_attribute("data-value") is not None
    assert desk.errors == []
    assert phone.errors == []
