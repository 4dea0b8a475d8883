"""Text pasted from a word processor: the characters a study may not hold never reach the
database (anticipe.workshop.text)."""

from __future__ import annotations

from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import Factor, Study
from anticipe.workshop.text import cleaned_post


def test_a_clean_post_is_left_as_it_is() -> None:
    assert cleaned_post(QueryDict("title=Intelligence+artificielle&code=A1")) is None


def test_a_vertical_tab_becomes_a_line_break_and_control_characters_go() -> None:
    cleaned = cleaned_post(QueryDict("title=un%0Bdeux%01trois&tags=a%0C&tags=b"))
    assert cleaned is not None
    assert cleaned["title"] == "un\ndeuxtrois"
    assert cleaned.getlist("tags") == ["a\n", "b"]
    assert not cleaned._mutable


def test_a_factor_title_pasted_from_word_is_stored_clean_and_downloads_work(
    study: Study, facilitator_client: Client
) -> None:
    response = facilitator_client.post(
        reverse("workshop:factor_add", args=[study.pk]),
        {
            "factor-code": "Z9",
            "factor-title": "Titre\x0bcollé\x07 de Word",
            "factor-description": "",
        },
    )
    assert response.status_code in {200, 302}
    factor = Factor.objects.get(study=study, code="Z9")
    assert factor.title == "Titre\ncollé de Word"
    export = facilitator_client.get(reverse("workshop:study_export", args=[study.pk]))
    assert export.status_code == 200
