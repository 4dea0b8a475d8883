"""The problems of an imported study file are listed in the page's language: French on a
French page (the site's default), English on an English one; the words come from the study
layer's catalogue (anticipe.study.messages)."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import Study
from tests.studies import small_study
from tests.workshop.support import NB


def import_problems(client: Client, content: bytes, name: str = "etude.json") -> list[str]:
    """The problems the import page lists, as the facilitator reads them (nothing created)."""
    before = Study.objects.count()
    upload = SimpleUploadedFile(name, content, content_type="application/json")
    response = client.post(reverse("workshop:study_import"), {"file": upload})
    assert response.status_code == 200
    assert Study.objects.count() == before
    page = response.content.decode()
    listed = page.split("import-problems", 1)[1].split("</ul>", 1)[0]
    return [
        html.unescape(re.sub(r"<[^>]+>", "", item))
        for item in re.findall(r"<li>(.*?)</li>", listed, re.S)
    ]


def test_a_study_file_with_a_wrong_type_is_reported_in_french(
    facilitator_client: Client, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    document = small_study()
    document["hypotheses"]["votes"][0]["probability"] = "likely"
    del document["panel"][1]["sector"]
    problems = import_problems(facilitator_client, json.dumps(document).encode())
    assert problems == [
        f"etude.json, champ hypotheses.votes[0].probability{NB}: «{NB}likely{NB}» n'a pas le bon "
        f"type (attendu{NB}: nombre entier, null)",
        f"etude.json, champ panel[1]{NB}: le champ obligatoire «{NB}sector{NB}» manque",
    ]


def test_json_and_reference_problems_are_reported_in_french(
    facilitator_client: Client, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    problems = import_problems(facilitator_client, b'{"anticipe_study": "1.0",\n  "job": }')
    assert [p.replace(NB, " ") for p in problems] == [
        "etude.json, ligne 2 : JSON non valide : une valeur est attendue (ligne 2, colonne 10)"
    ]
    document = small_study()
    document["impacts"][0]["activity"] = "99"
    problems = import_problems(facilitator_client, json.dumps(document).encode())
    assert [p.replace(NB, " ") for p in problems] == [
        "etude.json, champ impacts[0].activity : activité « 99 » inconnue"
    ]


def test_the_same_problems_stay_english_on_an_english_page(facilitator_client: Client) -> None:
    document = small_study()
    document["hypotheses"]["votes"][0]["probability"] = "likely"
    problems = import_problems(facilitator_client, json.dumps(document).encode())
    assert problems == [
        "etude.json, field hypotheses.votes[0].probability: 'likely' has the wrong type "
        "(expected 'integer', 'null')"
    ]


def test_why_a_study_cannot_be_exported_is_said_in_french(
    study: Study, facilitator_client: Client, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    study.activities.filter(code="2").update(code="two words")
    response = facilitator_client.get(
        reverse("workshop:study_export", args=[study.pk]), follow=True
    )
    page = html.unescape(response.content.decode()).replace(NB, " ")
    assert (
        "perimeter.activities[1].code « two words » n'est pas un code valide (lettres, chiffres"
    ) in page
    assert "is not a valid code" not in page
