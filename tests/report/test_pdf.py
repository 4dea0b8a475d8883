"""The PDF report, read back with pypdf."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from typing import Any

import pypdf
import pytest

from anticipe.presentation import typography
from anticipe.report import build_report_context, render_bytes
from anticipe.study.analysis import analyse_study
from tests.report.readback import pdf_text, squash
from tests.studies import small_study

pytestmark = pytest.mark.slow  # the reports are rendered with their analysis


def test_example_pdf_has_the_key_facts(
    rendered: Any, example_context: dict[str, Any], example_study: dict[str, Any]
) -> None:
    data = rendered("example", "pdf")
    assert data.startswith(b"%PDF")
    text, pages = pdf_text(data)
    flat = squash(text)
    assert pages >= 15
    assert squash("Médiateur numérique, un métier d’avenir") in flat
    assert squash("RÉPONSES SIMULÉES") in flat
    for f in example_context["factors"]:
        assert squash(f["title"]) in flat, f["code"]
    for r in example_context["scenario"]["retained"]:
        assert squash(r["text"][:60]) in flat, r["hypothesis"]
    for a in example_study["actions"][:5]:
        assert squash(a["text"]) in flat
    assert squash("Annexe méthodologique") in flat
    # no sentence of the report concludes from the simulated cross-impacts
    assert squash("Le scénario retenu est cohérent") not in flat
    reader = pypdf.PdfReader(io.BytesIO(data))
    numbered = [
        n for n, page in enumerate(reader.pages, start=1) if str(n) in (page.extract_text() or "")
    ]
    assert numbered[-1] == pages
    assert len(numbered) >= pages - 1  # every page but the cover
    # the cover has no running header
    cover = squash(reader.pages[0].extract_text() or "")
    assert not cover.startswith(squash("Médiateur numérique, un métier"))


def test_the_pdf_is_tagged_with_its_language_and_title(rendered: Any) -> None:
    reader = pypdf.PdfReader(io.BytesIO(rendered("example", "pdf")))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr"
    assert reader.metadata is not None
    assert reader.metadata.title == typography("Médiateur numérique, un métier d’avenir ?", "fr")


def _figures(node: Any) -> list[Any]:
    """The structure tree's figures under `node`, in reading order (an HTML ``<figure>``
    and the image in it are both figures)."""
    node = node.get_object()
    if isinstance(node, pypdf.generic.ArrayObject):
        return [figure for child in node for figure in _figures(child)]
    if not isinstance(node, pypdf.generic.DictionaryObject):
        return []
    inner = _figures(node["/K"]) if "/K" in node else []
    return [node, *inner] if node.get("/S") == "/Figure" else inner


def test_the_charts_are_tagged_figures_with_their_text(rendered: Any) -> None:
    data = rendered("example", "pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    figures = _figures(reader.trailer["/Root"]["/StructTreeRoot"])
    alts = [str(figure["/Alt"]) for figure in figures if "/Alt" in figure]
    assert alts[0] == typography("Graphique 1 : Plan influence / dépendance des facteurs", "fr")
    assert alts[1:3] == ["Plan direct potentiel", "Plan indirect potentiel"]
    assert len(alts) == 6  # Graph 1 and the appendix' five charts
    assert all(alts)
    # drawn as vector images whose words stay text (the codes, the axes' names)
    flat = squash(pdf_text(data)[0])
    assert squash("Graphe des influences directes") in flat
    assert flat.count(squash("Dépendance")) >= 6


def test_table_3_is_on_landscape_pages(rendered: Any) -> None:
    reader = pypdf.PdfReader(io.BytesIO(rendered("example", "pdf")))
    landscape = [
        n
        for n, page in enumerate(reader.pages, start=1)
        if page.mediabox.width > page.mediabox.height
    ]
    assert 1 <= len(landscape) <= 4
    assert landscape == list(range(landscape[0], landscape[-1] + 1))  # together
    first = squash(reader.pages[landscape[0] - 1].extract_text() or "")
    assert squash("Hypothèse A") in first


def test_the_contents_give_the_headings_pages(rendered: Any) -> None:
    reader = pypdf.PdfReader(io.BytesIO(rendered("example", "pdf")))
    contents = reader.pages[1].extract_text() or ""
    assert "Sommaire" in contents
    pages = [squash(page.extract_text() or "") for page in reader.pages]
    for line in contents.splitlines():
        heading, _, number = line.rpartition(" ")
        heading = heading.rstrip(". ")
        if not number.isdigit() or not heading:
            continue
        assert squash(heading) in pages[int(number) - 1], line


def test_unusual_study_pdf(rendered: Any) -> None:
    text, pages = pdf_text(rendered("unusual", "pdf"))
    assert pages >= 5
    flat = squash(text)
    assert squash("Digital mediator") in flat
    assert squash("Factor number 40") in flat
    assert squash("No action has been proposed yet.") in flat
    assert squash("àéèêëîïôöùûüç") in flat


HOSTILE = (
    '#read("/etc/passwd") $x^2$ // comment /* c */ <label> @ref = Title - item + 1. '
    "*bold* _it_ `raw` \\ ] [ ~ --- ... #let x = 1"
)


def _hostile_study() -> dict[str, Any]:
    study = small_study()
    study["job"]["title"] = HOSTILE
    study["factors"][0]["title"] = "1. " + HOSTILE
    study["perimeter"]["activities"][0]["description"] = "= " + HOSTILE
    study.setdefault("report", {})["chapters"] = {
        "introduction": "### Deep heading first\n\n" + HOSTILE + '\n\n#import "x"\n\n# Top',
    }
    return study


def test_no_study_text_runs_as_typst_code() -> None:
    """Typst syntax in any text of a study (titles, descriptions, chapters) is printed as
    written: nothing of it is read, evaluated or turned into markup."""
    study = _hostile_study()
    data = render_bytes(build_report_context(study, analyse_study(study, resamples=0)), "pdf")
    flat = squash(pdf_text(data)[0])
    assert "root:" not in flat  # /etc/passwd was not read
    # the apostrophes and spaces are the language's typography; the rest as written
    assert flat.count(squash(HOSTILE)) >= 4  # job title (cover, header), factor, activity
    assert squash("Deep heading first") in flat
    assert b"<pdfuaid:part>1</pdfuaid:part>" in data  # headings in order whatever the levels


def test_text_no_font_can_show_still_gives_a_tagged_pdf(caplog: Any) -> None:
    """Text the installed fonts cannot show (a machine without CJK or emoji fonts; here a
    code point no font has, U+0378, unassigned) cannot be PDF/UA-1: the PDF is still
    written, tagged, without that claim, and a warning says why."""
    study = small_study()
    study["factors"][0]["title"] = "\u0378 " + study["factors"][0]["title"]
    data = render_bytes(build_report_context(study, analyse_study(study, resamples=0)), "pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert b"pdfuaid" not in data
    assert "not PDF/UA-1" in caplog.text


def test_the_example_claims_pdf_ua_1(rendered: Any) -> None:
    assert b"<pdfuaid:part>1</pdfuaid:part>" in rendered("example", "pdf")


def test_an_embedded_image_typst_cannot_read_is_shown_as_its_alt_text(caplog: Any) -> None:
    """A PNG whose header is sound and pixels are not passes the chapter's checks (they
    read the header), not Typst's decoder: the report is still written, the image
    replaced by its alt text."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0))
    png = b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", b"not zlib") + chunk(b"IEND", b"")
    broken = base64.b64encode(png).decode()
    study = small_study()
    study["report"] = {
        "chapters": {"introduction": f"Before ![A plan](data:image/png;base64,{broken}) after"}
    }
    data = render_bytes(build_report_context(study, analyse_study(study, resamples=0)), "pdf")
    assert squash("Before A plan after") in squash(pdf_text(data)[0])
    assert "alt text" in caplog.text


def test_long_cells_break_across_pages_and_lose_nothing() -> None:
    """A row stays on one page unless it is taller than one: then it breaks, and no text
    is drawn below a page's edge (sixty actions in one cell of Table 4, a very long
    current situation in Table 3's narrow first column)."""
    study = small_study()
    hypothesis = study["actions"][0]["hypothesis"]
    study["actions"] += [
        {"hypothesis": hypothesis, "aim": "provoke", "text": f"Action {i} : un atelier"}
        for i in range(60)
    ]
    block = study["hypotheses"]["factors"][0]
    block["current_situation"] = " ".join(f"situation{i}" for i in range(700))
    data = render_bytes(build_report_context(study, analyse_study(study, resamples=0)), "pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    off_page: list[str] = []
    for page in reader.pages:
        height = float(page.mediabox.height)

        def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any, h: float = height) -> None:
            y = cm[5] + tm[5] * cm[3]
            if text.strip() and not 0 <= y <= h:
                off_page.append(text)

        page.extract_text(visitor_text=visit)
    assert off_page == []
    flat = squash(pdf_text(data)[0])
    assert squash("Action 59 : un atelier") in flat
    assert "situation699" in flat


def test_a_notice_is_its_own_paragraph() -> None:
    """'No action has been proposed yet.' follows the step's text as a paragraph of its
    own (it ran into the text's last sentence)."""
    from anticipe.report.pdf import typst_source

    study = small_study()
    study["actions"] = []
    study.setdefault("report", {})["chapters"] = {"actions": "The panel plan."}
    source = typst_source(build_report_context(study, analyse_study(study, resamples=0)), {})
    start = source.index("The panel plan")
    assert source[start:].startswith("The panel plan\\.\n\n")
    assert "\n\n#empty[" in source[start:]
