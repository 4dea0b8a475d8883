"""A self-assessment group's handout to print or project: the desk's link and its QR code,
how long it takes, what the respondent is asked and what happens to the answers (the
smallest group shown), in the study's language; a closed group's says so and gives no link;
only the study's facilitators open it (the persona table is in tests/workshop/test_access.py),
from a link beside each open group on the desk."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from anticipe.workshop.models import RespondentGroup, SelfAssessment, Study
from anticipe.workshop.qr import qr_svg
from anticipe.workshop.views.self_assessment_handout import SECONDS_PER_QUESTION
from tests.workshop.support import published, text
from tests.workshop.views.test_self_assessment import make_group, publish

LINK = re.compile(r'<a href="(http://testserver/self-assessment/[^"]+/)">')


def handout_url(group: RespondentGroup) -> str:
    return reverse("workshop:respondent_group_handout", args=[group.study.pk, group.pk])


def desk(client: Client, study: Study) -> str:
    response = client.get(reverse("workshop:self_assessment", args=[study.pk]))
    assert response.status_code == 200
    return text(response)


def english(study: Study) -> Study:
    study.language = "en"
    study.save(update_fields=["language"])
    return study


@pytest.fixture
def group(study: Study, facilitator_client: Client) -> RespondentGroup:
    publish(facilitator_client, study)  # C1 and C2
    return make_group(facilitator_client, study)


def test_the_handout_has_the_desks_link_and_qr_code(
    study: Study, group: RespondentGroup, facilitator_client: Client
) -> None:
    english(study)
    on_desk = desk(facilitator_client, study)
    links = LINK.findall(on_desk)
    assert links == [f"http://testserver/self-assessment/{group.token}/"]
    response = facilitator_client.get(handout_url(group))
    assert response.status_code == 200
    content = text(response)
    # the one link the desk shows, written out, and the same QR code (inline SVG)
    assert f'<p class="handout-url">{links[0]}</p>' in content
    qr = str(qr_svg(links[0], "QR code of the group's link"))
    assert qr in on_desk
    assert qr in content
    # the job, the group's label, how long it takes, what is asked, what happens to answers
    assert f'<h1 id="handout-title">{escape(study.title)}</h1>' in content
    assert '<p class="handout-group">Training group A</p>' in content
    assert "About 1 min: 2 competences, about 20 s each." in content
    assert "you choose a level, or “I don't know”" in content
    assert "No account, no name, no e-mail: your answers are anonymous." in content
    assert "once it is closed and only if at least 5 people answered" in content
    # printed without the site's navigation, by the handouts' stylesheet and script (the CSP)
    assert "workshop/handout.css" in content
    assert "workshop/handout.js" in content
    assert "style=" not in content
    assert "<style" not in content
    assert re.search(r"<script(?![^>]*\bsrc=)", content) is None
    assert "data-print" in content


def test_the_handout_says_the_smallest_group_shown(
    study: Study, group: RespondentGroup, facilitator_client: Client
) -> None:
    english(study)
    SelfAssessment.objects.filter(study=study).update(min_group_size=8)
    content = text(facilitator_client.get(handout_url(group)))
    assert "only if at least 8 people answered" in content


def test_the_estimate_is_the_competences_asked_times_the_seconds_each(
    example: Study, facilitator_client: Client
) -> None:
    english(example)
    codes = tuple(example.competences.values_list("code", flat=True))
    assert len(codes) == 42
    publish(facilitator_client, example, codes)
    group = make_group(facilitator_client, example)
    content = text(facilitator_client.get(handout_url(group)))
    minutes = -(-42 * SECONDS_PER_QUESTION // 60)
    assert f"About {minutes} min: 42 competences, about {SECONDS_PER_QUESTION} s each." in content
    assert minutes == 14


def test_a_closed_groups_handout_says_so_and_gives_no_link(
    study: Study, group: RespondentGroup, facilitator_client: Client
) -> None:
    english(study)
    close = reverse("workshop:respondent_group_close", args=[study.pk, group.pk])
    assert facilitator_client.post(close).status_code == 302
    response = facilitator_client.get(handout_url(group))
    assert response.status_code == 200
    content = text(response)
    assert "This group is closed: it no longer takes answers." in content
    assert group.token not in content
    assert "<svg" not in content
    assert "data-print" not in content
    assert escape(study.title) in content
    # and the desk no longer offers it
    assert handout_url(group) not in desk(facilitator_client, study)


def test_the_handout_speaks_the_studys_language(
    study: Study, group: RespondentGroup, facilitator_client: Client
) -> None:
    assert study.language == "fr"
    content = text(facilitator_client.get(handout_url(group)))  # the site in English
    nbsp = "\u00a0"
    assert '<article class="handout group-handout" lang="fr"' in content
    assert "Autoévaluation de vos compétences" in content
    assert "Scannez le code avec l'appareil photo de votre téléphone" in content
    assert f"Environ 1 min{nbsp}: 2 compétences, environ 20 s chacune." in content
    assert "Pas de compte, pas de nom, pas d’adresse e-mail" in content
    assert "seulement si au moins 5 personnes ont répondu" in content
    link = f"http://testserver/self-assessment/{group.token}/"
    assert str(qr_svg(link, "Code QR du lien du groupe")) in content
    # the page around it in the facilitator's language
    assert "Back to the self-assessment" in content
    english(study)
    content = text(facilitator_client.get(handout_url(group)))
    assert "Scan the code with your phone's camera, or open this address:" in content
    assert "Scannez" not in content


def test_the_desk_links_each_open_groups_handout(
    study: Study, group: RespondentGroup, facilitator_client: Client, observer_client: Client
) -> None:
    other = make_group(facilitator_client, study, "TRAIN-B")
    on_desk = desk(facilitator_client, study)
    assert on_desk.count("Handout to print or project") == 2
    assert f'href="{handout_url(group)}"' in on_desk
    assert f'href="{handout_url(other)}"' in on_desk
    # an observer reads the desk once the study is published: no handout, no link
    published(study)
    seen = desk(observer_client, study)
    assert "Handout to print or project" not in seen
    assert observer_client.get(handout_url(group)).status_code == 404


def test_the_handout_is_refused_on_an_archived_study(
    study: Study, group: RespondentGroup, facilitator_client: Client
) -> None:
    study.archived_at = timezone.now()
    study.save(update_fields=["archived_at"])
    assert facilitator_client.get(handout_url(group)).status_code == 403
    assert handout_url(group) not in desk(facilitator_client, study)


def test_no_handout_for_an_imported_group_or_another_studys(
    study: Study, other_study: Study, group: RespondentGroup, facilitator_client: Client
) -> None:
    imported = RespondentGroup.objects.create(
        study=study, code="IMPORTED", closed=True, imported=True, imported_respondents=9
    )
    assert facilitator_client.get(handout_url(imported)).status_code == 404
    elsewhere = RespondentGroup.objects.create(study=other_study, code="ELSEWHERE")
    url = reverse("workshop:respondent_group_handout", args=[study.pk, elsewhere.pk])
    assert facilitator_client.get(url).status_code == 404
    assert facilitator_client.post(handout_url(group)).status_code == 405


def test_no_handout_before_the_self_assessment_is_published(
    study: Study, facilitator_client: Client
) -> None:
    group = RespondentGroup.objects.create(study=study, code="EARLY")
    assert facilitator_client.get(handout_url(group)).status_code == 404
