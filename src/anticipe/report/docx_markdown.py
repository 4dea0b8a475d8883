"""The facilitator's Markdown as Word paragraphs (python-docx): headings, lists, quotes,
emphasis, links and footnotes.

Word's own footnotes need a part python-docx does not write; a chapter's footnotes are
numbered across the whole report, as in the PDF, their calls set in superscript and the
notes listed at the end of the chapter.
"""

from __future__ import annotations

from typing import Any

from docx.shared import Cm, Pt
from markdown_it.token import Token

from anticipe.presentation import typography
from anticipe.report.chapters import footnote_contents, markdown_parser


def styled(document: Any, style: Any, name: str) -> Any:
    """A new paragraph in the style `name` (`style` gives the style object), its id set
    directly: python-docx looks for the default style among all styles at each
    assignment, a third of the document's time."""
    paragraph = document.add_paragraph()
    paragraph._p.style = style(name).style_id
    return paragraph


def numbered(document: Any, style: Any, number: int | str, level: int = 0) -> Any:
    """A numbered paragraph with its number written out (Word's "List Number" style
    would keep counting across separate lists)."""
    paragraph = styled(document, style, "List Paragraph")
    paragraph.paragraph_format.left_indent = Cm(0.75 * (level + 1))
    paragraph.paragraph_format.first_line_indent = Cm(-0.6)
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.add_run(f"{number}.\u00a0")
    return paragraph


class WordNotes:
    """The report's footnote counter (one per document)."""

    def __init__(self) -> None:
        self.count = 0


class _Walker:
    """Turns one chapter's tokens into paragraphs of `document`."""

    def __init__(self, document: Any, style: Any, language: str, notes: WordNotes) -> None:
        self.document = document
        self.style = style  # name -> style object (cached lookups)
        self.language = language
        self.notes = notes
        self.numbers: dict[int, int] = {}
        self.lists: list[list[Any]] = []  # [kind, next number]
        self.quote = 0
        self.heading: int | None = None

    def block(self, token: Token) -> None:
        kind = token.type
        if kind == "bullet_list_open":
            self.lists.append(["bullet", 0])
        elif kind == "ordered_list_open":
            self.lists.append(["ordered", int(token.attrs.get("start", 1) or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "blockquote_open":
            self.quote += 1
        elif kind == "blockquote_close":
            self.quote -= 1
        elif kind == "heading_open":
            self.heading = min(int(token.tag[1]) + 2, 4)
        elif kind == "heading_close":
            self.heading = None
        elif kind in ("fence", "code_block"):
            run = self.document.add_paragraph().add_run(token.content.rstrip("\n"))
            run.font.name = "Courier New"
        elif kind == "inline":
            self.inline(self.paragraph(), token.children or [])

    def paragraph(self) -> Any:
        if self.heading is not None:
            return styled(self.document, self.style, f"Heading {self.heading}")
        if self.lists and self.lists[-1][0] == "ordered":
            paragraph = numbered(self.document, self.style, self.lists[-1][1], len(self.lists) - 1)
            self.lists[-1][1] += 1
            return paragraph
        if self.lists:
            style = "List Bullet" if len(self.lists) == 1 else "List Bullet 2"
            return styled(self.document, self.style, style)
        if self.quote:
            return styled(self.document, self.style, "Quote")
        return self.document.add_paragraph()

    def inline(self, paragraph: Any, children: list[Token]) -> None:
        bold = italic = False
        link: str | None = None
        for child in children:
            kind = child.type
            if kind in ("strong_open", "strong_close"):
                bold = kind == "strong_open"
            elif kind in ("em_open", "em_close"):
                italic = kind == "em_open"
            elif kind == "link_open":
                link = str(child.attrs.get("href", ""))
            elif kind == "link_close":
                link = None
            elif kind == "softbreak":
                paragraph.add_run(" ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind == "footnote_ref":
                paragraph.add_run(str(self.number(child.meta["id"]))).font.superscript = True
            elif kind in ("text", "code_inline"):
                run = paragraph.add_run(typography(child.content, self.language))
                run.bold, run.italic = bold or None, italic or None
                if kind == "code_inline":
                    run.font.name = "Courier New"
                if link and link != child.content:
                    paragraph.add_run(f" ({link})")

    def number(self, note_id: int) -> int:
        if note_id not in self.numbers:
            self.notes.count += 1
            self.numbers[note_id] = self.notes.count
        return self.numbers[note_id]


def add_markdown(document: Any, text: str, style: Any, *, language: str, notes: WordNotes) -> None:
    """The facilitator's Markdown as paragraphs of `document`, its notes after it."""
    tokens = markdown_parser().parse(text or "")
    walker = _Walker(document, style, language, notes)
    for token in tokens:
        if token.type == "footnote_block_open":
            break
        walker.block(token)
    contents = footnote_contents(tokens)
    listed: set[int] = set()
    # a note may call another one, numbered and listed after the notes of the text
    while pending := sorted(set(walker.numbers) - listed, key=walker.numbers.__getitem__):
        for note_id in pending:
            listed.add(note_id)
            paragraph = styled(document, style, "Footnote")
            paragraph.add_run(f"{walker.numbers[note_id]}.\u00a0")
            for inline in contents.get(note_id, []):
                walker.inline(paragraph, inline.children or [])
