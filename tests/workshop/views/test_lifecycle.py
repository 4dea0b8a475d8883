"""Duplicating, archiving and deleting a study from its page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import Study, StudyMember
from tests.workshop.support import open_round
from tests.workshop.support import text as page


def test_a_co_facilitator_duplicates_and_runs_the_copy(study: Study, facilitator: Any) -> None:
    co = get_user_model().objects.create_user("co", password="co-pw-1")
    StudyMember.objects.create(study=study, user=co, role=StudyMember.Role.FACILITATOR)
    client = Client()
    client.force_login(co)
    url = reverse("workshop:study_duplicate", args=[study.pk])
    form = page(client.get(url))
    assert 'name="hypotheses"' in form
    response = client.post(url, {"hypotheses": "on"})
    copy = Study.objects.exclude(pk=study.pk).get(title__endswith="(copie)")
    assert response.status_code == 302
    assert response["Location"] == reverse("workshop:study", args=[copy.pk])
    assert copy.is_facilitated_by(co)
    assert not copy.is_facilitated_by(facilitator)
    assert copy.factors.get(code="F1").hypotheses.exists()


def test_an_archived_study_is_read_only_and_hidden_until_asked_for(
    study: Study, facilitator_client: Client
) -> None:
    home = reverse("workshop:home")
    assert study.title in page(facilitator_client.get(home)).replace("&#x27;", "'")
    response = facilitator_client.post(reverse("workshop:study_archive", args=[study.pk]))
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.is_archived()
    assert study.audit_events.filter(action="study_archived").exists()
    listed = page(facilitator_client.get(home))
    assert study.title not in listed.replace("&#x27;", "'")
    assert f"{home}?archived=1" in listed
    assert study.title in page(facilitator_client.get(home + "?archived=1")).replace("&#x27;", "'")
    # read-only: a change is refused with a page that says why
    edit = facilitator_client.post(reverse("workshop:study_edit", args=[study.pk]), {"title": "x"})
    assert edit.status_code == 403
    assert "archived" in page(edit)
    hub = page(facilitator_client.get(reverse("workshop:study", args=[study.pk])))
    assert reverse("workshop:study_unarchive", args=[study.pk]) in hub
    assert reverse("workshop:round_create", args=[study.pk, "proposals"]) not in hub
    facilitator_client.post(reverse("workshop:study_unarchive", args=[study.pk]))
    study.refresh_from_db()
    assert not study.is_archived()
    assert study.audit_events.filter(action="study_unarchived").exists()


def test_a_study_with_an_open_round_is_not_archived(
    study: Study, facilitator_client: Client
) -> None:
    open_round(study, "actions")
    response = facilitator_client.post(
        reverse("workshop:study_archive", args=[study.pk]), follow=True
    )
    assert "Close the open rounds before archiving the study." in page(response)
    study.refresh_from_db()
    assert not study.is_archived()


def test_deleting_a_study_offers_its_file_then_asks_for_its_title(
    study: Study, facilitator_client: Client
) -> None:
    url = reverse("workshop:study_delete", args=[study.pk])
    html = page(facilitator_client.get(url))
    export = reverse("workshop:study_export", args=[study.pk])
    assert export in html
    assert html.index(export) < html.index('name="title"')  # the file is offered first
    wrong = facilitator_client.post(url, {"title": "Métier"})
    assert wrong.status_code == 400
    assert "Type the study's title exactly" in page(wrong).replace("&#x27;", "'")
    assert Study.objects.filter(pk=study.pk).exists()
    right = facilitator_client.post(url, {"title": "  Métier d'essai "})
    assert right.status_code == 302
    assert right["Location"] == reverse("workshop:home")
    assert not Study.objects.filter(pk=study.pk).exists()


def test_the_study_page_offers_the_lifecycle_actions_secondary(
    study: Study, facilitator_client: Client
) -> None:
    html = page(facilitator_client.get(reverse("workshop:study", args=[study.pk])))
    lifecycle = html[html.index('class="actions lifecycle"') :]
    lifecycle = lifecycle[: lifecycle.index("</div>")]
    assert reverse("workshop:study_duplicate", args=[study.pk]) in lifecycle
    assert reverse("workshop:study_delete", args=[study.pk]) in lifecycle
    assert "data-confirm" in lifecycle  # archiving asks first
    assert "primary" not in lifecycle


def test_an_archived_study_is_not_published(study: Study, facilitator_client: Client) -> None:
    facilitator_client.post(reverse("workshop:study_archive", args=[study.pk]))
    response = facilitator_client.post(
        reverse("workshop:study_publish", args=[study.pk]), follow=True
    )
    assert "unarchive it before changing it" in page(response)
    study.refresh_from_db()
    assert not study.is_published()
