"""The report's links to the European reference frameworks: Table 5's labels and the
chapter « Référentiels européens » (areas covered, levels expected, the frameworks'
credits and ESCO's sentence), read back from the context, HTML, DOCX and XLSX."""

from __future__ import annotations

import copy
from typing import Any

from anticipe.report.context import build_report_context
from anticipe.report.frameworks import _heading, frameworks_chapter
from anticipe.study.analysis import analyse_study
from tests.report.readback import docx_document, docx_text, workbook
from tests.studies import small_study

ESCO_FR = "Ce service utilise la classification ESCO de la Commission européenne."
ESCO_EN = "This service uses the ESCO classification of the European Commission."
NB = "\u00a0"


def sheet_values(sheet: Any) -> set[str]:
    return {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None}


def competence(context: dict[str, Any], code: str) -> dict[str, Any]:
    return next(c for c in context["impacts"]["competences"] if c["code"] == code)


def test_table_5_shows_each_link_with_its_level(example_context: dict[str, Any]) -> None:
    assert competence(example_context, "C19")["frameworks"] == [
        "DigComp 2.2 2.4 (niveau 5 – Avancé)"
    ]
    assert competence(example_context, "C14")["frameworks"] == [
        "DigCompEdu 3.2 (niveau B1 – Intégrateur)"
    ]
    assert competence(example_context, "C18")["frameworks"] == []
    rows = [
        comp
        for a in example_context["impacts"]["activities"]
        for r in a["rows"]
        for comp in r["competences"]
    ]
    assert any(comp["frameworks"] for comp in rows)


def test_the_chapter_gives_areas_covered_and_levels_expected(
    example_context: dict[str, Any],
) -> None:
    chapter = example_context["frameworks"]
    assert chapter["intro"].startswith("30 des 42 compétences de l'étude sont liées")
    digcomp, edu = chapter["frameworks"]
    assert (digcomp["name"], edu["name"]) == ("DigComp 2.2", "DigCompEdu")
    assert digcomp["coverage"] == "5 de ses 5 domaines couverts"
    assert edu["coverage"] == "4 de ses 6 domaines couverts"
    assert edu["uncovered"] == (
        f"Domaines auxquels aucune compétence de l'étude n'est liée{NB}: "
        "2. Ressources numériques; 4. Évaluation."
    )
    collaborating = next(
        row for area in digcomp["areas"] for row in area["rows"] if row["id"] == "2.4"
    )
    assert collaborating["competences"] == ["C19. Être capable de collaborer."]
    assert collaborating["levels"] == "5 – Avancé"
    # the DigComp 3.0 title as published (in English only), after a French colon
    assert (
        f"DigComp 3.0{NB}: Collaborating through digital technologies"
        in collaborating["other_titles"]
    )
    # the credit and the heading in the report's language, the name not said twice
    assert digcomp["attribution"].startswith("D’après DigComp 2.2")
    assert "CC BY 4.0" in digcomp["attribution"]
    assert digcomp["heading"] == digcomp["title"]
    assert digcomp["heading"].startswith("DigComp 2.2 : le cadre européen")
    assert chapter["esco"] == ESCO_FR
    assert len(chapter["unlinked"]) == 12
    assert "6. Référentiels européens" in [o["heading"] for o in example_context["outline"]]


def test_esco_is_credited_only_where_esco_concepts_are_shown() -> None:
    study = small_study()
    study["language"] = "en"
    study["competences"][0]["frameworks"] = [{"framework": "DigCompEdu", "id": "3.2"}]
    chapter = frameworks_chapter(study, "en")
    assert chapter["esco"] is None
    study["competences"][1]["frameworks"] = [{"framework": "DigComp 2.2", "id": "5.1"}]
    assert frameworks_chapter(study, "en")["esco"] == ESCO_EN


def test_a_study_without_links_has_no_frameworks_chapter() -> None:
    study = small_study()
    for item in study["competences"]:
        item.pop("frameworks", None)
    context = build_report_context(study, analyse_study(copy.deepcopy(study), resamples=20))
    assert context["frameworks"]["empty"]
    assert "reference_frameworks" not in [o["id"] for o in context["outline"]]


def test_a_link_to_a_framework_anticipe_does_not_hold_is_shown_as_written() -> None:
    study = small_study()
    study["competences"][0]["frameworks"] = [{"framework": "ESCO", "id": "S1.2"}]
    chapter = frameworks_chapter(study, "fr")
    assert chapter["others"] == ["C1: ESCO S1.2"]
    assert chapter["frameworks"] == []


def test_html_docx_and_xlsx_hold_the_chapter(rendered: Any) -> None:
    html = rendered("example", "html").decode("utf-8")
    assert '<h2 id="reference_frameworks">6. Référentiels européens</h2>' in html
    assert "DigComp 2.2 2.4 (niveau 5 – Avancé)" in html
    assert ESCO_FR in html
    text = docx_text(docx_document(rendered("example", "docx")))
    assert "6. Référentiels européens" in text
    assert "B1 – Intégrateur" in text
    assert ESCO_FR in text
    for shown in (html, text):  # the framework's name once, its credit in French
        assert "DigComp 2.2 — DigComp 2.2" not in shown
        assert "le cadre européen des compétences numériques pour les citoyens" in shown
        assert "Seuls les identifiants, les titres et les intitulés des niveaux" in shown
        assert "Only identifiers, titles and level labels" not in shown
    wb = workbook(rendered("example", "xlsx"))
    values = sheet_values(wb["Tableau 6"])
    assert "C19. Être capable de collaborer." in values
    assert "2.4" in values
    assert ESCO_FR in values
    table5 = sheet_values(wb["Tableau 5"])
    assert "DigComp 2.2 2.4 (niveau 5 – Avancé)" in table5


def test_a_heading_names_the_framework_once() -> None:
    assert _heading("DigComp 2.2", "DigComp 2.2 : le cadre") == "DigComp 2.2 : le cadre"
    assert _heading("DigCompEdu", "Cadre européen (DigCompEdu)") == "Cadre européen (DigCompEdu)"
    assert _heading("CRCN (Pix)", "Cadre de référence") == "CRCN (Pix) — Cadre de référence"
    assert _heading("Pix", "Pixel et image") == "Pix — Pixel et image"  # a word, not a part
    assert _heading("Maison", "") == _heading("Maison", "Maison") == "Maison"
