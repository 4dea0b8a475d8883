"""The report's texts on the desk: the cover, Part 1 and the chapters, saved to the study
file's ``report`` and ``synthesis`` and laid out by the report."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from anticipe.examples import load_example
from anticipe.report import build_report_context
from anticipe.workshop.models import AuditEvent, Study
from anticipe.workshop.study_format import export_study, import_study
from tests.workshop.support import published


def url(study: Study) -> str:
    return reverse("workshop:report_chapters", args=[study.pk])


def test_the_page_shows_the_example_texts(example: Study, facilitator_client: Client) -> None:
    page = facilitator_client.get(url(example)).content.decode()
    assert "Médiateur numérique, un métier d’avenir ?" in page
    assert "# Contexte institutionnel" in page  # Part 1 as one text, a section per heading
    assert "Remarque préliminaire" in page  # A6's remark before its actions
    assert "un peu moins d’une trentaine de facteurs" in page
    assert 'name="chapter_references"' in page
    # each key factor's remark is labelled with its code and title
    a6 = example.factors.get(code="A6")
    assert f"A6 – {a6.current_title()}" in page
    assert "<bound method" not in page
    # linked from the desk
    desk = facilitator_client.get(reverse("workshop:desk", args=[example.pk])).content.decode()
    assert url(example) in desk


def test_saving_writes_the_report_and_records_it(study: Study, facilitator_client: Client) -> None:
    data = {
        "title": "Un métier d'avenir ?",
        "organisation": "Le Forem",
        "date": "2018-05",
        "synthesis": "Opening.\n\n# Public\n\nText[^1].\n\n[^1]: A note.",
        "chapter_introduction": "Intro *text*.",
        "chapter_job": "   ",
        "note_F1": "A remark.",
    }
    response = facilitator_client.post(url(study), data)
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.report == {
        "title": "Un métier d'avenir ?",
        "organisation": "Le Forem",
        "date": "2018-05",
        "chapters": {"introduction": "Intro *text*."},
        "action_notes": {"F1": "A remark."},
    }
    assert study.synthesis == [
        {"title": "", "markdown": "Opening."},
        {"title": "Public", "markdown": "Text[^1].\n\n[^1]: A note."},
    ]
    event = AuditEvent.objects.get(study=study, action="report_edited")
    assert "chapter_introduction" in event.detail["fields"]
    # the study file carries them, and the report places them
    document = export_study(study)
    assert document["report"] == study.report
    context = build_report_context(document, date="2025-01-01")
    assert context["cover"]["title"] == "Un métier d'avenir ?"
    assert context["texts"]["introduction"] == {"markdown": "Intro *text*."}
    assert "job" not in context["texts"]


def test_a_bad_date_is_refused_and_nothing_saved(study: Study, facilitator_client: Client) -> None:
    response = facilitator_client.post(url(study), {"date": "mai 2018", "title": "New"})
    assert response.status_code == 200
    assert "YYYY-MM" in response.content.decode()
    study.refresh_from_db()
    assert study.report == {}
    assert not AuditEvent.objects.filter(study=study, action="report_edited").exists()


def test_a_published_study_shows_its_texts_read_only(
    example: Study, facilitator_client: Client
) -> None:
    published(example)
    page = facilitator_client.get(url(example)).content.decode()
    assert "disabled" in page
    assert '<button type="submit" class="primary">' not in page
    assert facilitator_client.post(url(example), {"title": "x"}).status_code == 403


def test_the_example_goes_through_the_site_unchanged(facilitator: Any) -> None:
    """Import, export: the report and synthesis are the study file's."""
    document = load_example()
    study = import_study(document, owner=facilitator)
    exported = export_study(study)
    assert exported["report"] == document["report"]
    assert exported["synthesis"] == document["synthesis"]
