"""The report's section on the job's competence profile: in the context once, read back from
the HTML, the DOCX and the XLSX, flagged when the retained hypotheses come from simulated
votes (the example's)."""

from __future__ import annotations

import html as html_lib
from typing import Any

from anticipe.report.profile import profile_section
from tests.report.readback import docx_document, docx_text, workbook

FLAG = "Calculé à partir de réponses simulées (les votes sur les hypothèses)"


def test_the_context_ranks_competences_by_strength(example_context: dict[str, Any]) -> None:
    profile = example_context["profile"]
    rows = {r["code"]: r for r in profile["rows"]}
    assert profile["rows"][0]["strength"] == 2  # C11 and C27-C31 first
    assert rows["C11"]["activities"] == ["2. Animer", "3. Accompagner"]
    assert rows["C19"]["links"] == ["DigComp 2.2 2.4 (niveau 5 – Avancé)"]
    assert rows["C19"]["strength"] == 1
    areas = {(a["framework"], a["area"].split(".")[0]): a for a in profile["areas"]}
    assert areas[("DigComp 2.2", "2")]["strength"] == 5
    assert areas[("DigComp 2.2", "5")]["strength"] == 3
    assert "sur 10" in profile["intro"]


def test_a_study_without_competences_has_no_section() -> None:
    assert profile_section({"language": "fr"}, [], "fr")["empty"]


def test_html_docx_and_xlsx_hold_the_section_with_its_flag(rendered: Any) -> None:
    page = html_lib.unescape(rendered("example", "html").decode("utf-8"))
    start = page.index('id="competence-profile"')
    section = page[start : page.index("</section>", start)]
    assert "Tableau 7\u00a0: Le profil de compétences du métier" in section
    assert FLAG in section
    assert "C11. Être capable de s’adapter." in section
    text = docx_text(docx_document(rendered("example", "docx")))
    assert "Le profil de compétences du métier" in text
    assert "Tableau 8\u00a0: Hypothèses retenues par domaine des référentiels" in text
    assert "2. Animer ; 3. Accompagner" in text.replace("\u202f", " ").replace("\u00a0", " ")
    after = text[text.index("Le profil de compétences du métier") :]
    assert FLAG in after
    ws = workbook(rendered("example", "xlsx"))["Tableau 7"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "C11. Être capable de s’adapter." in values
    assert any(str(v).startswith(FLAG) for v in values)
