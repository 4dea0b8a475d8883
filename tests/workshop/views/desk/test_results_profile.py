"""The desk's page of the job's competence profile: the competences with their activities,
links and strength (the study layer's definition), a bar chart per area of the linked
frameworks, and the tables as XLSX."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import Study
from tests.workshop.support import visible_text


def url(name: str, *args: Any) -> str:
    return reverse(f"workshop:{name}", args=list(args))


def test_the_page_shows_the_profile_and_a_chart_per_area(
    study: Study, facilitator_client: Client
) -> None:
    page = facilitator_client.get(url("results_profile", study.pk))
    assert page.status_code == 200
    html = page.content.decode()
    text = " ".join(visible_text(html).split())
    assert "(of 2 retained hypotheses)" in text
    # C1 is linked to DigComp 1.1: its area's chart gives it a bar, the others none
    assert "1. Information and data literacy · 1 retained hypothesis" in text
    assert (
        '<span class="bar bar-10" aria-hidden="true"></span>'
        '<span data-key="profile.digcomp-2.2.1.1">1</span>' in html
    )
    assert 'data-key="profile.digcomp-2.2.1.2">0<' in html
    assert 'class="bar bar-0"' in html
    assert "style=" not in html.split('id="areas"')[1]  # CSP: no inline style
    desk = facilitator_client.get(url("desk", study.pk)).content.decode()
    assert url("results_profile", study.pk) in desk


def test_the_xlsx_download_holds_the_profile(study: Study, facilitator_client: Client) -> None:
    response = facilitator_client.get(
        url("results_download", study.pk, "competence-profile", "xlsx")
    )
    assert response.status_code == 200
    wb = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    values = [
        str(c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    assert "C1" in values
    assert any(v.startswith("DigComp 2.2 1.1") for v in values)
