"""Personal data: the page for everyone, and an expert's data exported and erased by the
facilitator or by the expert (the answers stay under the pseudonym)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import AuditEvent, Expert, FactorPoints, Invitation, Study
from anticipe.workshop.study_format import study_document
from tests.workshop.support import expert_client_for

NAME, EMAIL, ORGANISATION = "Ada Lovelace", "ada@example.org", "Analytical Engines"


@pytest.fixture
def named(study: Study) -> Expert:
    """E2 with a name, an e-mail, an organisation, an invitation and answers."""
    expert = study.experts.get(code="E2")
    expert.name, expert.email, expert.organisation = NAME, EMAIL, ORGANISATION
    expert.save()
    Invitation.issue(expert, before_answers=True)
    return expert


def answers_of(expert: Expert) -> int:
    return FactorPoints.objects.filter(expert=expert).count()


def erased_everywhere(expert: Expert) -> None:
    expert.refresh_from_db()
    assert (expert.name, expert.email, expert.organisation) == ("", "", "")
    assert expert.access_digest == ""
    assert expert.erased_at is not None
    assert not expert.invitations.exists()
    assert expert.sector  # the panel's composition stays


def no_trace_of_the_erased_data() -> None:
    for event in AuditEvent.objects.all():
        text = json.dumps(event.detail, ensure_ascii=False)
        assert NAME not in text
        assert EMAIL not in text
        assert ORGANISATION not in text


# -- the page for everyone ------------------------------------------------------------------------


def test_the_privacy_page_says_what_is_kept_who_sees_what_and_how_long(
    anonymous_client: Client, settings: Any
) -> None:
    settings.LOGIN_WINDOW = 30 * 60
    settings.PRIVACY_CONTACT = "dpo@example.org"
    page = anonymous_client.get(reverse("workshop:privacy")).content.decode()
    for heading in ("What is kept", "Who sees what", "For how long", "Your rights"):
        assert heading in page
    assert "never what they answered" in page
    assert "for 30 minutes after the last attempt" in page
    assert "Failed sign-ins are deleted 30 minutes after the last attempt." in page
    assert "dpo@example.org" in page


def test_the_privacy_page_is_linked_from_the_join_page_and_every_page(
    anonymous_client: Client,
) -> None:
    page = anonymous_client.get(reverse("workshop:join")).content.decode()
    assert page.count(f'href="{reverse("workshop:privacy")}"') == 2  # the page and the footer


def test_the_expert_finds_their_data_from_their_page(study: Study, expert_client: Client) -> None:
    page = expert_client.get(reverse("workshop:expert_home", args=[study.pk])).content.decode()
    assert reverse("workshop:my_personal_data", args=[study.pk]) in page


def test_the_panel_links_each_experts_data(
    study: Study, named: Expert, facilitator_client: Client
) -> None:
    page = facilitator_client.get(reverse("workshop:panel", args=[study.pk])).content.decode()
    assert reverse("workshop:expert_personal_data", args=[study.pk, named.pk]) in page


# -- the facilitator ----------------------------------------------------------------------------


def test_the_facilitator_exports_an_experts_personal_data(
    study: Study, named: Expert, facilitator_client: Client
) -> None:
    url = reverse("workshop:expert_personal_data_export", args=[study.pk, named.pk])
    response = facilitator_client.get(url)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "E2" not in response["Content-Disposition"]
    data = json.loads(response.content)
    assert "pseudonym" not in data
    assert "E2" not in json.dumps(data)
    assert (data["name"], data["email"], data["organisation"]) == (NAME, EMAIL, ORGANISATION)
    assert data["sector"] == named.sector
    assert data["study"] == study.title
    assert len(data["invitations"]) == 1
    assert set(data["invitations"][0]) == {"created_at", "expires_at", "used_at"}
    assert "joined_at" in data
    assert answers_of(named) > 0
    assert "answers" not in json.dumps(data)  # never an answer, even to the facilitator


def test_the_facilitator_sees_the_data_before_erasing_them(
    study: Study, named: Expert, facilitator_client: Client
) -> None:
    url = reverse("workshop:expert_personal_data", args=[study.pk, named.pk])
    page = facilitator_client.get(url).content.decode()
    assert NAME in page
    assert EMAIL in page
    erase = reverse("workshop:expert_erase", args=[study.pk, named.pk])
    assert f'action="{erase}"' in page
    assert 'method="post"' in page


def test_the_facilitator_erases_an_experts_personal_data(
    study: Study, named: Expert, facilitator_client: Client
) -> None:
    before = study_document(study)
    answers = answers_of(named)
    still_in = expert_client_for(named)
    erase = reverse("workshop:expert_erase", args=[study.pk, named.pk])
    assert facilitator_client.get(erase).status_code == 405  # GET changes nothing
    response = facilitator_client.post(erase, follow=True)
    assert response.redirect_chain[-1][0] == reverse("workshop:panel", args=[study.pk])
    assert "The personal data of E2 are erased" in response.content.decode()
    erased_everywhere(named)
    assert answers_of(named) == answers
    assert study_document(study) == before  # the study and its results do not change
    event = AuditEvent.objects.get(action="expert_erased")
    assert event.detail == {"expert": "E2", "by": "facilitator"}
    no_trace_of_the_erased_data()
    # the expert's browser is out
    # (the page that says its access ended, not the expert's home)
    assert still_in.get(reverse("workshop:expert_home", args=[study.pk])).status_code == 403
    # twice: nothing more to erase, one event
    facilitator_client.post(erase)
    assert AuditEvent.objects.filter(action="expert_erased").count() == 1
    page = facilitator_client.get(
        reverse("workshop:expert_personal_data", args=[study.pk, named.pk])
    ).content.decode()
    assert "These personal data were erased on" in page
    assert f'action="{erase}"' not in page


def test_a_published_study_still_lets_the_facilitator_erase(
    study: Study, named: Expert, facilitator_client: Client
) -> None:
    study.status = Study.Status.PUBLISHED
    study.save()
    facilitator_client.post(reverse("workshop:expert_erase", args=[study.pk, named.pk]))
    erased_everywhere(named)


@pytest.mark.parametrize("persona", ["observer_client", "outsider_client", "expert_client"])
def test_nobody_else_erases_an_expert(
    request: pytest.FixtureRequest, study: Study, named: Expert, persona: str
) -> None:
    client: Client = request.getfixturevalue(persona)
    client.post(reverse("workshop:expert_erase", args=[study.pk, named.pk]))
    named.refresh_from_db()
    assert (named.name, named.erased_at) == (NAME, None)


# -- the expert ---------------------------------------------------------------------------------


def test_the_expert_exports_their_own_data(study: Study, named: Expert) -> None:
    client = expert_client_for(named)
    page = client.get(reverse("workshop:my_personal_data", args=[study.pk])).content.decode()
    assert NAME in page
    response = client.get(reverse("workshop:my_personal_data_export", args=[study.pk]))
    data = json.loads(response.content)
    assert (data["name"], data["email"]) == (NAME, EMAIL)
    assert "pseudonym" not in data
    assert data["joined_at"] is not None  # they came in through their link


def test_the_expert_erases_their_own_data(study: Study, named: Expert) -> None:
    before = study_document(study)
    answers = answers_of(named)
    client = expert_client_for(named)
    erase = reverse("workshop:my_erase", args=[study.pk])
    assert client.get(erase).status_code == 405
    response = client.post(erase, follow=True)
    assert response.redirect_chain[-1][0] == reverse("workshop:privacy")
    assert "Your name, e-mail address and organisation are erased" in response.content.decode()
    erased_everywhere(named)
    assert answers_of(named) == answers
    assert study_document(study) == before
    event = AuditEvent.objects.get(action="expert_erased")
    assert (event.actor, event.detail) == (None, {"expert": "E2", "by": "expert"})
    no_trace_of_the_erased_data()
    assert client.get(reverse("workshop:expert_home", args=[study.pk])).status_code == 404


def test_another_expert_cannot_reach_someone_elses_data(
    study: Study, named: Expert, expert_client: Client
) -> None:
    """An expert's endpoints only ever reach the expert of this browser (E1 here)."""
    response = expert_client.get(reverse("workshop:my_personal_data_export", args=[study.pk]))
    assert "pseudonym" not in json.loads(response.content)
    named.refresh_from_db()
    assert named.name == NAME


def test_the_privacy_page_is_in_french_by_default(settings: Any) -> None:
    settings.LANGUAGE_CODE = "fr"
    page = Client().get(reverse("workshop:privacy")).content.decode()
    assert "Qui voit quoi" in page
    assert "Les connexions échouées sont supprimées 15 minutes après" in page
