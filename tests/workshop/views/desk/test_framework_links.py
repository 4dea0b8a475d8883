"""The desk's page linking the study's competences to the European frameworks: the
suggestions shown, the facilitator accepting one or choosing another competence with the
level expected, removing a link; each change recorded and exported in the study file."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from anticipe.study.study_file import check_study
from anticipe.workshop.models import AuditEvent, Competence, Study
from anticipe.workshop.study_format import export_study
from tests.workshop.support import visible_text


def url(name: str, *args: Any) -> str:
    return reverse(f"workshop:{name}", args=list(args))


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def collaborate(study: Study) -> Competence:
    return Competence.objects.create(
        study=study, code="C9", text="Être capable de collaborer.", position=9
    )


def test_the_page_suggests_framework_competences(study: Study, facilitator_client: Client) -> None:
    competence = collaborate(study)
    page = facilitator_client.get(url("framework_links", study.pk))
    assert page.status_code == 200
    html = page.content.decode()
    card = html[html.index(f'id="competence-{competence.pk}"') :]
    card = card[: card.index("</section>")]
    assert 'name="link" value="digcomp-2.2 2.4"' in card  # collaborating, suggested
    assert "DigComp 2.2 1.1" in visible_text(html)  # C1's link from the study file


def test_accepting_a_suggestion_with_a_level_links_the_competence(
    study: Study, facilitator_client: Client
) -> None:
    competence = collaborate(study)
    response = facilitator_client.post(
        url("framework_link_add", study.pk, competence.pk),
        {"link": "digcomp-2.2 2.4", "level": "5"},
        follow=True,
    )
    assert messages_of(response) == ["C9 linked."]
    competence.refresh_from_db()
    assert competence.frameworks == [{"framework": "digcomp-2.2", "id": "2.4", "level": "5"}]
    event = study.audit_events.order_by("-id").first()
    assert isinstance(event, AuditEvent)
    assert event.action == "framework_link_added"
    # the link is shown, and no longer suggested
    html = response.content.decode()
    card = html[html.index(f'id="competence-{competence.pk}"') :]
    card = card[: card.index("</section>")]
    assert 'name="link" value="digcomp-2.2 2.4"' not in card
    assert "DigComp 2.2 2.4" in visible_text(card)
    # the study file holds it
    exported = export_study(study)
    assert check_study(exported) is None
    assert {"framework": "digcomp-2.2", "id": "2.4", "level": "5"} in next(
        c for c in exported["competences"] if c["code"] == "C9"
    )["frameworks"]


def test_a_correction_needs_a_level_of_its_framework(
    study: Study, facilitator_client: Client
) -> None:
    competence = collaborate(study)
    add = url("framework_link_add", study.pk, competence.pk)
    response = facilitator_client.post(add, {"link": "digcompedu 1.2", "level": "5"}, follow=True)
    assert messages_of(response) == ["The levels of DigCompEdu are A1, A2, B1, B2, C1, C2."]
    response = facilitator_client.post(add, {"link": "digcomp-2.2 9.9"}, follow=True)
    assert messages_of(response) == ["Choose a competence of a framework."]
    competence.refresh_from_db()
    assert competence.frameworks == []
    facilitator_client.post(add, {"link": "digcompedu 1.2", "level": "B1"}, follow=True)
    response = facilitator_client.post(add, {"link": "digcompedu 1.2", "level": "B2"}, follow=True)
    assert messages_of(response) == ["This competence is already linked to it."]
    competence.refresh_from_db()
    assert competence.frameworks == [{"framework": "digcompedu", "id": "1.2", "level": "B1"}]


def test_removing_a_link(study: Study, facilitator_client: Client) -> None:
    competence = study.competences.get(code="C1")
    assert competence.frameworks == [{"framework": "DigComp 2.2", "id": "1.1"}]
    remove = url("framework_link_remove", study.pk, competence.pk)
    response = facilitator_client.post(
        remove, {"framework": "DigComp 2.2", "id": "1.1"}, follow=True
    )
    assert messages_of(response) == ["Link removed."]
    competence.refresh_from_db()
    assert competence.frameworks == []
    response = facilitator_client.post(
        remove, {"framework": "DigComp 2.2", "id": "1.1"}, follow=True
    )
    assert messages_of(response) == ["This link no longer exists."]


def test_the_page_in_french(study: Study, facilitator_client: Client) -> None:
    collaborate(study)
    page = facilitator_client.get(url("framework_links", study.pk), HTTP_ACCEPT_LANGUAGE="fr")
    text = visible_text(page.content.decode())
    assert "Compétences et référentiels européens" in text
    assert "Niveau attendu" in text
    # the French titles of DigComp are ESCO's labels: ESCO's sentence, and every credit
    assert "tirer parti de données" in text
    assert "Ce service utilise la classification ESCO de la Commission européenne." in text
    assert "CC BY 4.0" in text
    # each credit in French, with French typography (no break before "; :")
    assert "D’après DigComp 2.2" in text
    assert "Only identifiers, titles" not in text
    assert "CRCN\u00a0: décret" in text


def test_a_study_s_own_framework_can_be_linked(study: Study, facilitator_client: Client) -> None:
    study.reference_frameworks = [
        {
            "anticipe_framework": "1.0",
            "id": "mediation",
            "name": "Médiation",
            "title": {"fr": "Référentiel de la médiation"},
            "licence": {"attribution": "Référentiel interne."},
            "areas": [{"id": "A", "title": {"fr": "Accueil"}}],
            "competences": [{"id": "A.1", "area": "A", "title": {"fr": "Accueillir"}}],
            "levels": [{"id": "1", "title": {"fr": "Débutant"}}],
        }
    ]
    study.save(update_fields=["reference_frameworks"])
    competence = collaborate(study)
    page = facilitator_client.get(url("framework_links", study.pk)).content.decode()
    assert '<option value="mediation A.1">' in page
    facilitator_client.post(
        url("framework_link_add", study.pk, competence.pk), {"link": "mediation A.1", "level": "1"}
    )
    competence.refresh_from_db()
    assert competence.frameworks == [{"framework": "mediation", "id": "A.1", "level": "1"}]
    assert check_study(export_study(study)) is None
