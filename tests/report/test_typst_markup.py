"""Typst markup: study texts escaped, the facilitator's Markdown converted, and both
compiled to PDF/UA-1 and read back."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from pathlib import Path

import pytest
import typst

from anticipe.report import typst_markup
from anticipe.report.typst_markup import Notes, Typst, escape, markdown_to_typst, string
from tests.report.readback import pdf_text, squash

HEADER = '#set document(title: "t")\n#set text(lang: "fr")\n'

HOSTILE = (
    '#read("/etc/passwd") #let x = 1 $x$ // c\n/* c */ <l> @r\n= h\n- l\n+ e\n1. n\n'
    "~ --- ... -- \\ \" ' [x] *b* _i_ `r` #{1} \\u{41} http://a.b https://c.d x;y #x.y"
)


def compile_pdf(tmp_path: Path, body: str, images: dict[str, bytes] | None = None) -> str:
    """`body` after the header, compiled as PDF/UA-1, read back as text."""
    for name, data in (images or {}).items():
        (tmp_path / name).write_bytes(data)
    source = tmp_path / "main.typ"
    source.write_text(f"{HEADER}{body}", encoding="utf-8")
    pdf = typst.compile(str(source), format="pdf", root=str(tmp_path), pdf_standards=["ua-1"])
    return pdf_text(pdf)[0]


def png(width: int = 2, height: int = 2) -> bytes:
    """A small grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def data_uri(data: bytes, kind: str = "png") -> str:
    return f"data:image/{kind};base64," + base64.b64encode(data).decode()


# -- escape and string ---------------------------------------------------------------------


def test_escape_puts_a_backslash_before_every_ascii_punctuation() -> None:
    assert escape("a#b") == "a\\#b"
    assert escape('#read("/etc/passwd")') == '\\#read\\(\\"\\/etc\\/passwd\\"\\)'
    punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    assert escape(punctuation) == "".join("\\" + c for c in punctuation)
    assert escape("Élan 42 « x »") == "Élan 42 « x »"


def test_escape_leaves_no_syntax_unescaped() -> None:
    out = escape(HOSTILE)
    assert "\n" not in out
    # every punctuation character is preceded by a backslash that is itself not escaped
    assert not re.search(r"(?<!\\)(?:\\\\)*[#$/<>@=\-+~*_`\[\]{}\"'.]", out.replace("\\\\", ""))


def test_escape_turns_line_breaks_into_one_space_and_drops_what_no_font_shows() -> None:
    assert escape("a\r\n\r\n  b\nc\u2028d\x85e\tf") == "a b c d e f"
    assert escape("a\x00b\x07c\ufeffd\ufffee\x9ff") == "abcdef"
    assert escape("a\u00a0b\u202fc") == "a\u00a0b\u202fc"


def test_escape_keeps_typst_and_converts_other_objects() -> None:
    markup = Typst("#emph[x]")
    assert escape(markup) is markup
    assert escape(3.5) == "3\\.5"
    assert isinstance(escape("x"), Typst)


def test_typst_escapes_the_plain_strings_added_to_it() -> None:
    assert Typst("#emph[x]") + "#y" == "#emph[x]\\#y"
    assert "#y" + Typst("#emph[x]") == "\\#y#emph[x]"
    assert Typst(", ").join(["#a", Typst("#b")]) == "\\#a, #b"
    assert isinstance(Typst("a") + "b", Typst)


def test_string_is_a_typst_string_literal() -> None:
    assert string('a"b\\c') == '"a\\"b\\\\c"'
    assert string("a\nb\r\tc") == '"a\\nb\\r\\tc"'
    assert string("a\x00b\x1b") == '"a\\u{0}b\\u{1b}"'
    assert string("été #x") == '"été #x"'


def test_string_round_trips_through_typst(tmp_path: Path) -> None:
    value = 'a"b\\c #read("x") $y$ // z'
    text = compile_pdf(tmp_path, f"#{string(value)}")
    assert squash(text) == squash(value)


# -- markdown_to_typst: the markup -------------------------------------------------------


def to_typst(text: str, **kwargs: object) -> str:
    kwargs.setdefault("notes", Notes())
    kwargs.setdefault("language", "en")
    return markdown_to_typst(text, **kwargs)  # type: ignore[arg-type]


def test_paragraphs_headings_and_emphasis() -> None:
    out = to_typst('# Title\n\nSome *em* and **strong**,\nsoft.  \nhard `co"de`\n\nNext.')
    assert out == (
        "#heading(level: 3, outlined: false)[Title]\n\n"
        'Some #emph[em] and #strong[strong]\\, soft\\.#linebreak()hard #raw("co\\"de")\n\n'
        "Next\\."
    )
    assert isinstance(markdown_to_typst("x", notes=Notes(), language="en"), Typst)


def test_headings_never_skip_a_level() -> None:
    out = to_typst("### Deep\n\n# Top\n\n###### Deeper\n\n## Two", shift_headings=2)
    levels = [int(n) for n in re.findall(r"#heading\(level: (\d)", out)]
    assert levels == [3, 3, 4, 4]
    assert re.findall(r"level: (\d)", to_typst("# a\n\n## b", shift_headings=5)) == ["6", "6"]


def test_lists_quote_code_and_break() -> None:
    out = to_typst(
        "- a\n  - b\n  - c\n- d\n\n3. x\n4. y\n\n> q\n\n```py\nz = 1\n```\n\n---\n\n    ind"
    )
    assert "#list(tight: true, [a\n#list(tight: true, [b], [c])], [d])" in out
    assert "#enum(start: 3, tight: true, [x], [y])" in out
    assert "#quote(block: true)[q]" in out
    assert '#raw(block: true, "z = 1")' in out
    assert "#line(length: 100%" in out
    assert '#raw(block: true, "ind")' in out
    assert "#list(tight: false, [a\n\nb], [c])" in to_typst("- a\n\n  b\n\n- c")


def test_links_and_refused_links() -> None:
    out = to_typst("[site](https://example.org/a) <https://x.org> [bad](javascript:alert(1))")
    assert out == (
        '#link("https://example.org/a")[site] #link("https://x.org")[https\\:\\/\\/x\\.org] '
        "\\[bad\\]\\(javascript\\:alert\\(1\\)\\)"
    )
    assert '#link("https://e.org/%C3%A9%20b")[\\*]' in to_typst("[\\*](<https://e.org/é b>)")
    assert to_typst("[site]()") == "site"


def test_footnotes_are_labelled_across_the_report_and_repeated_by_reference() -> None:
    notes = Notes()
    first = to_typst("a[^1] b[^2] c[^1] d[^none]\n\n[^1]: One.\n[^2]: Two.", notes=notes)
    assert first == (
        "a#footnote[One\\.]<anticipe-fn-1> b#footnote[Two\\.]<anticipe-fn-2> "
        "c#footnote(<anticipe-fn-1>) d\\[\\^none\\]"
    )
    second = to_typst("e[^1]\n\n[^1]: Three.", notes=notes)
    assert second == "e#footnote[Three\\.]<anticipe-fn-3>"


def test_notes_in_notes_are_bounded() -> None:
    chain = "".join(f"[^{k}]: n{k}[^{k + 1}] [^{k}]\n" for k in range(1, 50))
    out = to_typst("a[^1]\n\n" + chain)
    assert 1 < out.count("#footnote[") < 10


def test_text_gets_the_language_typography_but_code_does_not() -> None:
    out = to_typst("Note : « oui » `a : b`", language="fr")
    assert "Note\u00a0\\: «\u00a0oui\u00a0» " in out
    assert '#raw("a : b")' in out


def test_hostile_markdown_text_stays_text() -> None:
    out = to_typst('#read("/etc/passwd") $x$ <l> @r ~ ... \\# ~~~\n~~~')
    assert "#read" not in out.replace("\\#read", "")
    assert out.startswith('\\#read\\(\\"\\/etc\\/passwd\\"\\) \\$x\\$')


def test_embedded_images_are_stored_and_others_become_alt_text() -> None:
    images: dict[str, bytes] = {"image-1.png": b"taken"}
    image = png()
    out = to_typst(f"![A *plan*]({data_uri(image)}) ![remote](https://e.org/p.png)", images=images)
    assert images == {"image-1.png": b"taken", "image-2.png": image}
    assert out == '#image("image-2.png", alt: "A plan", width: 100%) remote'
    assert to_typst(f"![x]({data_uri(image)})") == "x"  # no images dict
    assert "#pdf.artifact[#image(" in to_typst(f"![]({data_uri(image)})", images={})


@pytest.mark.parametrize(
    "source",
    [
        "data:image/png;base64,%%%",  # not base64
        "data:image/png;base64," + base64.b64encode(b"GIF89a....").decode(),  # not a PNG
        "data:image/png;base64," + base64.b64encode(png()).decode(),  # too large
        "image.png",
    ],
)
def test_images_that_are_not_kept(source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typst_markup, "MAX_IMAGE_BYTES", 50)
    images: dict[str, bytes] = {}
    assert to_typst(f"![alt]({source})", images=images) == "alt"
    assert images == {}


def test_an_image_of_too_many_pixels_is_its_alt_text() -> None:
    """A PNG whose header says 30,000 × 30,000 (a few kilobytes here, gigabytes once
    decoded) is not handed to Typst; one within the limit is."""
    images: dict[str, bytes] = {}
    huge = "data:image/png;base64," + base64.b64encode(png(30_000, 30_000)).decode()
    assert to_typst(f"![huge]({huge})", images=images) == "huge"
    assert images == {}
    fine = "data:image/png;base64," + base64.b64encode(png(5_000, 5_000)).decode()
    assert to_typst(f"![fine]({fine})", images=images).startswith("#image(")
    assert len(images) == 1


def test_an_svg_image_is_refused_by_markdown_it() -> None:
    images: dict[str, bytes] = {}
    svg = "data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode()
    assert "#image" not in to_typst(f"![alt]({svg})", images=images)
    assert images == {}


def test_the_conversion_is_linear() -> None:
    """Ten times the text takes about ten times as long (far from a hundred), and a note
    called a thousand times is written once and referred to after."""
    import time

    unit = "*a* **b** [c](http://d) `e` x[^1]\n\n"

    def timed(count: int) -> float:
        start = time.perf_counter()
        out = to_typst(unit * count + "[^1]: n")
        assert out.count("#footnote(<anticipe-fn-1>)") == count - 1
        return time.perf_counter() - start

    timed(100)  # warm
    small, large = min(timed(200) for _ in range(3)), min(timed(2000) for _ in range(3))
    assert large < 30 * small


# -- compiled as PDF/UA-1 and read back ------------------------------------------------------


def test_hostile_text_compiles_and_reads_back_literally(tmp_path: Path) -> None:
    unprintable = escape("a\x00b\ufeffc")
    text = compile_pdf(tmp_path, f"= T\n\n{escape(HOSTILE)}\n\n{unprintable}")
    assert "root:" not in text
    assert squash(text) == squash("T" + HOSTILE + "abc")


def test_french_typography_survives(tmp_path: Path) -> None:
    out = markdown_to_typst("Il dit : « oui » ; *vraiment* ?", notes=Notes(), language="fr")
    text = compile_pdf(tmp_path, out)
    assert "dit\u00a0: «\u00a0oui\u00a0»\u202f;" in text
    assert "vraiment\u202f?" in text


def test_markdown_compiles_with_its_notes_once_each(tmp_path: Path) -> None:
    markdown = (
        "# Chapitre\n\nUn *texte*[^a] et **gras**[^b], encore[^a].\n\n## Partie\n\n"
        "- un\n  - un-un\n  - un-deux\n- deux\n\n2. deux\n3. trois\n\n> Cité\n\n"
        "```\ncode # $x$\n```\n\n---\n\n[lien](https://example.org) fin  \nligne\n\n"
        "[^a]: Première note.\n[^b]: Seconde note.\n"
    )
    notes = Notes()
    chapter = markdown_to_typst(markdown, notes=notes, language="fr")
    body = f"= Rapport\n\n== Section\n\n{chapter}"
    text = compile_pdf(tmp_path, body)
    flat = squash(text)
    assert flat.count("Premièrenote") == 1
    assert flat.count("Secondenote") == 1
    for part in ("Chapitre", "Partie", "un-un", "un-deux", "Cité", "code#$x$", "lien", "ligne"):
        assert part in flat
    assert "2.deux3.trois" in flat


def test_empty_headings_and_deep_quotes_compile(tmp_path: Path) -> None:
    images: dict[str, bytes] = {}
    markdown = f"#\n\n## ![plan]({data_uri(png())})\n\n" + "> " * 12 + "deep\n\n### Last"
    out = markdown_to_typst(markdown, notes=Notes(), language="fr", images=images)
    assert out.count("#heading(") == 1
    assert out.count("#quote(") == 8
    text = compile_pdf(tmp_path, f"= T\n\n== S\n\n{out}", images)
    assert "deep" in text
    assert "Last" in text


def test_embedded_image_compiles_and_remote_image_is_its_alt_text(tmp_path: Path) -> None:
    images: dict[str, bytes] = {}
    out = markdown_to_typst(
        f"![Un plan]({data_uri(png(4, 3))})\n\n![]({data_uri(png())})\n\n"
        "![Plan distant](https://example.org/p.png)",
        notes=Notes(),
        language="fr",
        images=images,
    )
    assert sorted(images) == ["image-1.png", "image-2.png"]
    text = compile_pdf(tmp_path, out, images)
    assert "Plan distant" in text
    assert "Un plan" not in text  # an alt text is not shown
