"""Joining that survives scanners and people, in the browser (issue 10, item 4).

The facilitator invites Ann by e-mail; a mail scanner opens her link (GET and HEAD) and
leaves it usable. Ann joins with the study code instead and answers; the panel then shows
her twice. The facilitator merges the entry made with the code into the invited one: the
panel, the progress and the projector count one person, Ann's phone keeps her answers, her
old link no longer opens them. Ann signs out and comes back with her return code.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Locator, Page, expect

from anticipe.workshop.models import Expert, FactorProposal, Invitation, Round, Study, StudyMember
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def submit(page: Page, button: Locator) -> None:
    """Click a button that submits a form by a full page load, and wait for the new page."""
    with page.expect_navigation():
        button.click()


def add_expert(page: Page, study_id: int, name: str, email: str) -> None:
    page.goto(f"/studies/{study_id}/panel/experts/add/")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Sector").fill("employment service")
    page.get_by_label("E-mail").fill(email)
    submit(page, page.get_by_role("button", name="Add", exact=True))
    expect(page.locator(".messages")).to_contain_text(f"{name} joins the panel.")


def panel_rows(page: Page, study_id: int) -> Locator:
    page.goto(f"/studies/{study_id}/panel/")
    return page.locator("table.experts tbody tr")


def projector_count(page: Page, study_id: int) -> str:
    """The projector's "n of m experts have answered" (its fragment: the page refreshes it)."""
    page.goto(f"/studies/{study_id}/projector/panel/")
    text = page.locator(".answers").inner_text()
    page.goto("about:blank")  # no refreshing page left open (one in-memory database)
    return " ".join(text.split())


def invite_ann(fac: Page, study: Study, mailoutbox: Any) -> str:
    """The facilitator invites Ann by e-mail, and adds Bruno; Ann's link."""
    add_expert(fac, study.pk, "Ann Martin", "ann@example.org")
    add_expert(fac, study.pk, "Bruno Leroy", "")
    ann_row = panel_rows(fac, study.pk).filter(has_text="Ann Martin")
    with fac.expect_response(re.compile("/invite/")):
        ann_row.get_by_role("button", name=re.compile("^Send a link")).click()
    expect(fac.locator("#panel-content .invitation")).to_contain_text(
        "Not sent to ann@example.org: this site has no mail server."
    )
    match = re.search(r"https?://\S+/invitation/\S+/", mailoutbox[0].body)
    assert match, mailoutbox[0].body
    return match[0]


def scan(scanner: Page, link: str) -> None:
    """A mail scanner opens the link (GET, then HEAD): it stays usable."""
    opened = scanner.goto(link)
    assert opened is not None
    assert opened.status == 200
    expect(scanner.get_by_role("button", name="Join the study")).to_be_visible()
    assert scanner.request.head(link).status == 200
    assert Invitation.objects.get(expert__name="Ann Martin").used_at is None
    assert Expert.objects.get(name="Ann Martin").joined_at is None


def join_and_answer(ann: Page, study: Study, round_: Round) -> None:
    """Ann joins with the study code instead of her link, and answers."""
    ann.goto(f"/join/?code={study.join_code}")
    expect(ann.locator("#personal-link-first")).to_contain_text("personal link")
    ann.get_by_label("Your name").fill("Ann")
    ann.get_by_label("Your sector").fill("employment service")
    submit(ann, ann.get_by_role("button", name="Join", exact=True))
    expect(ann.locator(".messages")).to_contain_text("Welcome! You have joined the panel.")
    ann.goto(f"/studies/{study.pk}/me/rounds/{round_.pk}/")
    ann.get_by_label("A factor").fill("Public services go online")
    submit(ann, ann.get_by_role("button", name="Add this factor"))
    expect(ann.locator("#proposals + .answers")).to_contain_text("Public services go online")


def merge_ann(fac: Page, study: Study) -> None:
    """The facilitator merges the entry made with the code into the invited one."""
    code_row = panel_rows(fac, study.pk).filter(
        has=fac.locator("th", has_text=re.compile("^Ann joined"))
    )
    expect(code_row).to_contain_text("joined with the code")
    with fac.expect_navigation():
        code_row.get_by_role("link", name=re.compile("^Merge into")).click()
    fac.get_by_label("Merge into").select_option(label="Ann Martin")
    submit(fac, fac.get_by_role("button", name="Merge", exact=True))
    expect(fac.locator(".messages")).to_contain_text(
        "Ann is merged into Ann Martin: the panel counts one person."
    )


def sign_out_and_come_back(ann: Page, study: Study) -> None:
    """Ann signs out, and comes back with the study code and her return code."""
    ann.goto(f"/studies/{study.pk}/me/")
    return_code = ann.locator("#return-code").inner_text()
    submit(ann, ann.get_by_role("button", name="Sign out of the study"))
    expect(ann.locator("h1")).to_have_text("You are signed out")
    expect(ann.locator("#return-code")).to_have_text(return_code)
    ann.goto("/join/back/")
    ann.get_by_label("The study's code").fill(study.join_code)
    ann.get_by_label("Your return code").fill(return_code.lower())
    submit(ann, ann.get_by_role("button", name="Come back"))
    expect(ann.locator(".messages")).to_contain_text("Welcome back!")
    expect(ann.locator("main")).to_contain_text("You take part as Ann Martin")
    expect(ann.locator("#return-code")).not_to_have_text(return_code)


def test_an_invited_expert_joins_with_the_code_and_is_merged(
    open_page: Any, live_server: Any, mailoutbox: Any
) -> None:
    user = get_user_model().objects.create_user("facil", password="facil-pw-1")
    study = Study.objects.create(title="Digital mediator", language="en", created_by=user)
    StudyMember.objects.create(study=study, user=user, role=StudyMember.Role.FACILITATOR)
    fac = open_page("desktop").page
    log_in(fac, "facil", "facil-pw-1")
    link = invite_ann(fac, study, mailoutbox)
    scanner = open_page("desktop").page
    scan(scanner, link)

    # A round opens; Ann joins with the study code and answers: the panel counts her twice.
    round_ = Round.objects.create(study=study, step=Round.Step.PROPOSALS)
    round_.open()
    ann = open_page("phone").page
    join_and_answer(ann, study, round_)
    expect(panel_rows(fac, study.pk)).to_have_count(3)
    assert projector_count(fac, study.pk) == "1 of 3 experts has answered"

    # Merged: the panel, the progress and the projector count one person.
    merge_ann(fac, study)
    expect(fac.locator("table.experts tbody tr")).to_have_count(2)
    fac.goto(f"/studies/{study.pk}/rounds/{round_.pk}/progress/")
    expect(fac.locator(".round-progress")).to_contain_text("1 of 2 experts answered")
    expect(fac.locator(".progress-table tbody tr")).to_have_count(2)
    expect(fac.locator(".progress-table")).not_to_contain_text("E0")
    fac.goto("about:blank")
    assert projector_count(fac, study.pk) == "1 of 2 experts has answered"
    assert FactorProposal.objects.get().expert.name == "Ann Martin"

    # Ann's phone keeps her answers; her old link no longer opens them.
    ann.goto(f"/studies/{study.pk}/me/")
    expect(ann.locator("main")).to_contain_text("You take part as Ann Martin")
    ann.goto(f"/studies/{study.pk}/me/rounds/{round_.pk}/")
    expect(ann.locator("#proposals + .answers")).to_contain_text("Public services go online")
    refused = scanner.request.get(link, headers={"Accept-Language": "en"})
    assert refused.status == 410
    assert "made before your first answer" in refused.text()
    sign_out_and_come_back(ann, study)
