"""The report's training needs and what is new compared with today's profile (issue 15): in
the context once, read back from every format (PDF via pypdf, DOCX, HTML, XLSX), flagged as
simulated beside each table the example's illustrative catalogue shapes, left out when the
study has no catalogue or no today's profile."""

from __future__ import annotations

import copy
import html as html_lib
from typing import Any

from anticipe.report.context import build_report_context
from anticipe.report.training import new_section, training_section
from anticipe.study.analysis import analyse_study
from tests.report.readback import docx_document, docx_text, pdf_text, squash, workbook

CATALOGUE_FLAG = "Catalogue de formation illustratif (simulé)"
VOTES_FLAG = "Calculé à partir de réponses simulées (les votes sur les hypothèses)"


def test_the_context_holds_the_needs_and_what_is_new(example_context: dict[str, Any]) -> None:
    training = example_context["training"]
    assert not training["empty"]
    assert training["table"] == 10
    rows = {r["code"]: r for r in training["rows"]}
    assert rows["C12"]["modules"] == "non couvert"
    assert not rows["C12"]["covered"]
    assert rows["C12"]["expected"] == "DigComp 2.2 5.1 (5 – Avancé)"
    assert (
        rows["C8"]["modules"] == "M06 Concevoir et animer un atelier numérique (DigCompEdu 3.1:B2)"
    )
    assert training["summary"].startswith(
        "20 des 42 besoins du profil sont couverts par 11 modules"
    )
    # the sentence lists the uncovered needs in the study's order
    assert "C2, C6, C11, C12, C13" in training["not_covered"]
    new = example_context["new"]
    assert new["table"] == 9
    assert (
        "ajoute 4 domaines et 15 compétences, et relève le niveau de 5 compétences" in new["intro"]
    )
    raised = [r for r in new["rows"] if r[0] == "niveau relevé"]
    assert raised[-1][:2] == ["niveau relevé", "DigComp 2.2"]
    assert any(
        r[2].startswith("5.1 ") and r[3] == "4 – Intermédiaire" and r[5] == "C12, C15"
        for r in raised
    )
    assert "training_catalogue" in example_context["flags"]
    assert [o["id"] for o in example_context["outline"]][-4:-2] == [
        "reference_frameworks",
        "training_needs",
    ]


def test_no_catalogue_no_chapter_no_today_no_table(example_study: dict[str, Any]) -> None:
    study = copy.deepcopy(example_study)
    del study["training_catalogue"]
    del study["current_profile"]
    assert training_section(study, [], "fr") == {"empty": True}
    assert new_section(study, [], "fr")["empty"]
    context = build_report_context(
        study, analyse_study(copy.deepcopy(study), resamples=20), date="2025-03-14"
    )
    assert "training_needs" not in [o["id"] for o in context["outline"]]
    assert "training_catalogue" not in context["flags"]


def test_a_group_adds_a_column_and_its_flag(example_study: dict[str, Any]) -> None:
    study = copy.deepcopy(example_study)
    study["self_assessment"] = {
        "simulated": True,
        "groups": [
            {
                "code": "G1",
                "label": "Groupe A",
                "respondents": 4,
                "competences": [{"competence": "C12", "levels": {"3": 1, "5": 3}}],
            }
        ],
    }
    training = training_section(study, [], "fr")
    assert training["groups"] == ["Groupe A"]
    rows = {r["code"]: r for r in training["rows"]}
    assert rows["C12"]["below"] == ["25\u00a0%"]
    assert rows["C12"]["below_values"] == [25.0]
    assert rows["C8"]["below"] == ["–"]  # no answer for it in the group
    assert "C11" not in rows  # nothing retained here: a need only by its level expected
    context = build_report_context(
        study, analyse_study(copy.deepcopy(study), resamples=20), date="2025-03-14"
    )
    assert "self_assessment" in context["flags"]


def test_html_holds_the_chapter_with_its_flags(rendered: Any) -> None:
    page = html_lib.unescape(rendered("example", "html").decode("utf-8"))
    start = page.index('class="step training-needs"')
    section = page[start : page.index("</section>", start)]
    assert "7. Besoins de formation" in section
    assert "Tableau 10\u00a0: Les besoins de formation et les modules qui les couvrent" in section
    assert CATALOGUE_FLAG in section
    assert VOTES_FLAG in section
    assert '<tr class="not-covered"><th scope="row">C12.' in section
    new = page[page.index('id="what-is-new"') :]
    assert (
        "Tableau 9\u00a0: Ce qui change par rapport au profil actuel"
        in new[: new.index("</table>") + 10]
    )


def test_pdf_reads_back(rendered: Any) -> None:
    text, _pages = pdf_text(rendered("example", "pdf"))
    flat = squash(text)
    assert squash("7. Besoins de formation") in flat
    assert squash("Tableau 10 : Les besoins de formation et les modules qui les couvrent") in flat
    assert squash("Tableau 9 : Ce qui change par rapport au profil actuel") in flat
    assert squash("M04 Dépannage informatique de premier niveau") in flat
    assert squash(CATALOGUE_FLAG) in flat


def test_docx_reads_back(rendered: Any) -> None:
    text = docx_text(docx_document(rendered("example", "docx")))
    assert "7. Besoins de formation" in text
    assert "Tableau 10\u00a0: Les besoins de formation et les modules qui les couvrent" in text
    assert "Tableau 9\u00a0: Ce qui change par rapport au profil actuel" in text
    after = text[text.index("7. Besoins de formation") :]
    assert CATALOGUE_FLAG in after
    assert "non couvert" in after


def test_xlsx_sheets_with_translated_headers_and_flags(rendered: Any) -> None:
    wb = workbook(rendered("example", "xlsx"))
    ws = wb["Tableau 10"]
    headers = [c.value for c in ws[1]]
    assert headers == [
        "Compétence",
        "Hypothèses retenues qui la citent",
        "Niveau attendu",
        "Modules",
        "couvert",
        # the example's simulated self-assessment group, one column
        "part sous le niveau attendu (%) – Groupe de formation simulé (illustration)",
    ]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(str(v).startswith("C12. ") for v in values)
    assert any(str(v).startswith(CATALOGUE_FLAG) for v in values)
    new = wb["Tableau 9"]
    assert [c.value for c in new[1]][:3] == ["quoi", "référentiel", "domaine ou compétence"]
