"""Linking the example's competences to the European frameworks in the browser: the
facilitator removes a link, accepts a suggestion with its level, chooses another framework
competence for a competence left unlinked; on a desktop and on a phone (screenshots: set
ANTICIPE_E2E_SCREENSHOTS=folder to look at them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from anticipe.examples import load_example
from anticipe.workshop.models import Study
from anticipe.workshop.study_format import export_study, import_study
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_facilitator_accepts_and_corrects_suggestions(
    open_page: Any, screenshots: Path
) -> None:
    user = get_user_model().objects.create_user("facilitator", password="facilitator-pw-1")
    study = import_study(load_example(), owner=user)
    c18 = study.competences.get(code="C18")
    for kind, width in (("desktop", 1366), ("phone", 390)):
        window = open_page(kind)
        page = window.page
        log_in(page, "facilitator", "facilitator-pw-1")
        page.goto(f"/studies/{study.pk}/decisions/impacts/")
        page.get_by_role("link", name="Link the competences to the European frameworks").click()
        expect(
            page.get_by_role("heading", name="Competences and European frameworks")
        ).to_be_visible()
        page.screenshot(path=str(screenshots / f"framework-links-{width}.png"))
        if kind == "phone":
            card = page.locator(f"#competence-{c18.pk}")
            card.scroll_into_view_if_needed()
            card.screenshot(path=str(screenshots / f"framework-links-card-{width}.png"))
            continue
        accept_and_correct(page, study)
        card = page.locator(f"#competence-{c18.pk}")
        card.screenshot(path=str(screenshots / f"framework-links-card-{width}.png"))
    assert_corrected(study)


def accept_and_correct(page: Page, study: Study) -> None:
    """On the links page (desktop): C19's link removed, then its suggestion accepted again
    with a level; C18, left unlinked by the example, given another framework competence."""
    c19 = study.competences.get(code="C19")
    c18 = study.competences.get(code="C18")
    # C19: its link removed, then the suggestion accepted again, with a level
    card = page.locator(f"#competence-{c19.pk}")
    card.get_by_role("button", name="Remove DigComp 2.2 2.4").click()
    card = page.locator(f"#competence-{c19.pk}")
    expect(card.get_by_text("Not linked yet.")).to_be_visible()
    suggestion = card.locator("form", has=page.locator('input[value="digcomp-2.2 2.4"]'))
    suggestion.get_by_label("Level expected").select_option("4")
    suggestion.get_by_role("button", name="Link DigComp 2.2 2.4").click()
    card = page.locator(f"#competence-{c19.pk}")
    expect(card.get_by_text("level 4 – Intermediate")).to_be_visible()
    # C18, left unlinked: another framework competence chosen
    card = page.locator(f"#competence-{c18.pk}")
    card.get_by_text("Choose another framework competence").click()
    card.get_by_label("Framework competence").select_option("digcomp-2.2 5.4")
    card.locator(f"#other-level-{c18.pk}").select_option(label="4 – Intermediate")
    card.get_by_role("button", name="Link", exact=True).click()
    card = page.locator(f"#competence-{c18.pk}")
    expect(card.locator(".framework-links .chip")).to_have_text("DigComp 2.2 5.4")


def assert_corrected(study: Study) -> None:
    """The links as :func:`accept_and_correct` left them, in the study file."""
    links = {c["code"]: c.get("frameworks") for c in export_study(study)["competences"]}
    assert links["C19"] == [{"framework": "digcomp-2.2", "id": "2.4", "level": "4"}]
    assert links["C18"] == [{"framework": "digcomp-2.2", "id": "5.4", "level": "4"}]
