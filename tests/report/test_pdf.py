"""The PDF report, read back with pypdf."""

from __future__ import annotations

from typing import Any

import pytest

from tests.report.readback import pdf_text, squash

pytestmark = pytest.mark.slow  # PDF rendering (WeasyPrint): seconds per report


def test_example_pdf_has_the_key_facts(
    rendered: Any, example_context: dict[str, Any], example_study: dict[str, Any]
) -> None:
    data = rendered("example", "pdf")
    assert data.startswith(b"%PDF")
    text, pages = pdf_text(data)
    flat = squash(text)
    assert pages >= 10
    assert squash("Médiateur numérique") in flat
    assert squash("Réponses simulées".upper()) in flat or squash("Réponses simulées") in flat
    for f in example_context["factors"]:
        assert squash(f["title"]) in flat, f["code"]
    for r in example_context["scenario"]["retained"]:
        assert squash(r["text"][:60]) in flat, r["hypothesis"]
    for a in example_study["actions"][:5]:
        assert squash(a["text"]) in flat
    for a in example_context["impacts"]["activities"]:
        assert squash(f"{a['code']}. {a['title']}{a['count']}") in flat
    assert squash("Le scénario retenu est cohérent") in flat
    assert squash("Annexe méthodologique") in flat
    # running title and page numbers (the number alone: "page / pages" would make
    # WeasyPrint lay every page out twice, a third of the PDF's time)
    import io

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    numbered = [
        n for n, page in enumerate(reader.pages, start=1) if str(n) in (page.extract_text() or "")
    ]
    assert numbered[-1] == pages
    assert len(numbered) >= pages - 1  # every page but the cover
    assert squash("Partie 2 – La démarche") in flat


def test_unusual_study_pdf(rendered: Any) -> None:
    text, pages = pdf_text(rendered("unusual", "pdf"))
    assert pages >= 5
    flat = squash(text)
    assert squash("Digital mediator") in flat
    assert squash("Factor number 40") in flat
    assert squash("No action has been proposed yet.") in flat
    assert squash("àéèêëîïôöùûüç") in flat
