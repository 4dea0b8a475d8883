"""Every form field's help text and error message is tied to its field for screen readers:
each id a field names in ``aria-describedby`` is on the page (the shared form partial gives
the help text Django's own id, which every form's field refers to by itself)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import Study

DESCRIBED_BY = re.compile(r'aria-describedby="([^"]+)"')
IDS = re.compile(r'\bid="([^"]+)"')

FORM_PAGES = [
    "expert_add",  # a ModelForm: Django's own aria-describedby
    "study_edit",
    "panel_letters",
    "members",
    "report_chapters",
    "self_assessment",
]


def described_ids_missing(html: str) -> list[str]:
    present = set(IDS.findall(html))
    return [
        name
        for names in DESCRIBED_BY.findall(html)
        for name in names.split()
        if name not in present
    ]


@pytest.mark.parametrize("name", FORM_PAGES)
def test_every_description_a_field_names_is_on_the_page(
    name: str, study: Study, facilitator_client: Client
) -> None:
    response = facilitator_client.get(reverse(f"workshop:{name}", args=[study.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "aria-describedby" in html
    assert described_ids_missing(html) == []
    assert "<bound method" not in html  # a label is text, never a Python object


def test_an_error_is_tied_to_its_field_too(study: Study, facilitator_client: Client) -> None:
    response = facilitator_client.post(
        reverse("workshop:expert_add", args=[study.pk]), {"name": "", "email": "not an address"}
    )
    html = response.content.decode()
    assert 'class="error"' in html
    assert described_ids_missing(html) == []
