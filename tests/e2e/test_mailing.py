"""A mailing sent by a worker: after "Invite all not yet invited", the facilitator's page
follows it (htmx polling, no script of ours) and says what was sent once the worker is done;
screenshots on a phone and a desktop (to look at them: ANTICIPE_E2E_SCREENSHOTS=folder)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from anticipe.workshop.models import Expert, MassMailing, Study
from anticipe.workshop.study_format import import_study
from anticipe.workshop.tasks.mailings import send_mass_mailing
from tests.e2e.conftest import log_in
from tests.studies import small_study

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_mailing_page_follows_the_worker(
    open_page: Any, screenshots: Path, settings: Any, mail_server: None
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    user = get_user_model().objects.create_user("facilitator", password="facilitator-pw-1")
    study = import_study(small_study(), owner=user)
    study.language = Study.Language.ENGLISH
    study.save()
    for name in ("Alice", "Bruno", "Chloé"):  # new experts, never invited
        Expert.objects.create(
            study=study,
            code=study.next_expert_code(),
            name=name,
            sector="formation",
            email=f"{name.lower()}@example.org",
        )
    window = open_page("desktop")
    page = window.page
    log_in(page, "facilitator", "facilitator-pw-1")
    page.goto(f"/studies/{study.pk}/panel/")
    page.get_by_role("button", name="Invite all not yet invited").click()  # confirmed
    expect(page).to_have_url(re.compile(r"/panel/mailings/\d+/$"))
    status = page.locator("#mailing")
    expect(status).to_contain_text("Waiting for the worker to start sending.")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshots / "mailing-waiting-390.png"), full_page=True)
    mailing = MassMailing.objects.get(study=study)
    # how it looks half-way (the counts a worker records as it goes), then back as queued
    running = MassMailing.objects.filter(pk=mailing.pk)
    running.update(status=MassMailing.Status.RUNNING, total=3, sent=1)
    expect(status).to_contain_text("1 of 3 letters sent.", timeout=15_000)
    page.screenshot(path=str(screenshots / "mailing-running-390.png"), full_page=True)
    running.update(status=MassMailing.Status.QUEUED, total=0, sent=0)
    page.set_viewport_size({"width": 1366, "height": 900})
    send_mass_mailing.call(mailing.pk)  # the worker's turn
    expect(status).to_contain_text("An invitation was sent to 3 experts.", timeout=15_000)
    page.screenshot(path=str(screenshots / "mailing-done-1366.png"), full_page=True)
    assert len(mail.outbox) == 3
    assert window.unexpected_errors() == []
