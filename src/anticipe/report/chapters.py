"""The facilitator's own chapters of the report: where each one goes, and Part 1's sections.

A study file holds the chapters under ``report.chapters`` (Markdown, one text per chapter)
and Part 1, the synthesis, under ``synthesis`` (a list of titled Markdown sections). Each
chapter has one place in the structure of the published Abilitic2Perform reports
(:data:`CHAPTERS`, in the order the report reads them); an empty or absent chapter is left
out. A step's chapter replaces the report's standard description of that step.

The site's editor writes the synthesis as one text whose sections start with a first-level
heading (``# Title``): :func:`split_sections` and :func:`join_sections` go from one form to
the other, and back to the same text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Final

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

CHAPTERS: Final = (
    "introduction",
    "method",
    "job",
    "frameworks",
    "factors",
    "selection",
    "hypotheses",
    "actions",
    "impacts",
    "recommendations",
    "references",
)
"""The chapters' keys in ``report.chapters``, in the order the report reads them."""


def new_markdown_parser() -> MarkdownIt:
    """A parser of the chapters' Markdown, as every format reads it: CommonMark with
    footnotes (``text[^1]``, ``[^1]: note``), raw HTML kept as text, no linkify nor
    typographer (the language's typography is applied to the text afterwards); unsafe
    link schemes (``javascript:``) are refused by markdown-it itself."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    return md.use(footnote_plugin)


@cache
def markdown_parser() -> MarkdownIt:
    """The shared parser of :func:`new_markdown_parser`, for the formats that walk its
    tokens themselves (Typst, Word); the HTML adds a rendering rule to its own."""
    return new_markdown_parser()


COVER_FIELDS: Final = ("title", "organisation", "authors", "date", "licence")
"""The cover's fields in ``report``."""


def chapter_texts(report: Mapping[str, Any] | None) -> dict[str, str]:
    """Each chapter's Markdown, stripped; an absent or blank chapter is missing."""
    chapters = (report or {}).get("chapters") or {}
    return {key: text.strip() for key in CHAPTERS if (text := str(chapters.get(key) or "")).strip()}


def split_sections(text: str) -> list[dict[str, str]]:
    """One Markdown text as Part 1's sections: a section starts at each first-level
    heading (``# Title``, outside code blocks and quotes); text before the first one is a
    section without a title. Blank sections are dropped."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    tokens = MarkdownIt("commonmark").parse("\n".join(lines))
    headings = [
        (token.map[0], token.map[1], tokens[k + 1].content.strip())
        for k, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == "h1" and token.level == 0 and token.map
    ]
    sections: list[dict[str, str]] = []
    pieces = [(0, "", 0), *[(end, title, start) for start, end, title in headings]]
    for k, (first, title, _) in enumerate(pieces):
        last = pieces[k + 1][2] if k + 1 < len(pieces) else len(lines)
        body = "\n".join(lines[first:last]).strip()
        if title or body:
            sections.append({"title": title, "markdown": body})
    return sections


def join_sections(sections: Iterable[Mapping[str, Any]]) -> str:
    """Part 1's sections as one Markdown text (the inverse of :func:`split_sections`)."""
    parts = []
    for section in sections:
        title = str(section.get("title") or "").strip()
        body = str(section.get("markdown") or "").strip()
        parts.append("\n\n".join(x for x in (f"# {title}" if title else "", body) if x))
    return "\n\n".join(p for p in parts if p) + ("\n" if parts else "")


def footnote_contents(tokens: list[Token]) -> dict[int, list[Token]]:
    """Each footnote's inline tokens, by its id (markdown-it's footnote plugin)."""
    notes: dict[int, list[Token]] = {}
    current: int | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = token.meta["id"]
            notes[current] = []
        elif token.type == "footnote_close":
            current = None
        elif current is not None and token.type == "inline":
            notes[current].append(token)
    return notes
