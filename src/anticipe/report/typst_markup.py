"""Typst markup for the study report: study texts escaped, the facilitator's Markdown
converted.

A study text is placed in the report's Typst source by :func:`escape`: every ASCII
punctuation character gets a backslash (Typst's literal escape in markup mode), so no text
can call a function (``#read(...)``), open a comment, math, a label or a reference, nor
start a heading or a list; its line breaks become spaces (as in the HTML report, where
they are collapsed too). A value for a function's argument is written by :func:`string`,
a Typst string literal.

The facilitator's chapters are Markdown (CommonMark with footnotes, raw HTML shown as
text, unsafe link schemes refused: markdown-it-py, set up as for the HTML report) and
:func:`markdown_to_typst` writes them as Typst markup: Typst itself numbers the footnotes
and sets them at the foot of their page. An image embedded in the text (a
``data:image/png|jpeg|gif|webp`` URI) is handed back to the caller, who writes it next to
the source; any other image is shown as its alt text.

The report is compiled as PDF/UA-1, which refuses a heading that skips a level (or a
first heading below level 1), an image without alt text and a character that no font
can display: the headings are kept in sequence under the section (`shift_headings`), an
image without alt text is marked as an artifact (decorative), and characters that cannot
be shown (control characters, noncharacters, the byte order mark) are dropped.
"""

from __future__ import annotations

import binascii
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from anticipe.presentation import typography
from anticipe.report.chapters import footnote_contents, markdown_parser

__all__ = ["Notes", "Typst", "escape", "markdown_to_typst", "string"]


class Typst(str):
    """Typst markup that is safe to place as is (the counterpart of ``markupsafe.Markup``).

    Adding a plain string to it, or joining plain strings with it, escapes them.
    """

    __slots__ = ()

    def __add__(self, other: str) -> Typst:
        return Typst(str.__add__(self, escape(other)))

    def __radd__(self, other: str) -> Typst:
        return Typst(str.__add__(escape(other), self))

    def join(self, iterable: Iterable[str]) -> Typst:
        """The items, each escaped unless it is already :class:`Typst`, joined by this."""
        return Typst(str.join(self, (escape(item) for item in iterable)))

    def __repr__(self) -> str:
        return f"Typst({str.__repr__(self)})"


_NEWLINES: Final = "\r\n\x0b\x0c\x85\u2028\u2029"
"""What Typst takes for a line break (a blank line is a paragraph break)."""

_LINE_BREAKS: Final = re.compile(f"[ \t]*(?:[{_NEWLINES}][ \t]*)+")

_UNPRINTABLE: Final = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufdd0-\ufdef\ud800-\udfff"
    + "".join(
        f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
    )
    + "]"
)
"""Characters no font shows (controls, noncharacters, the byte order mark, lone
surrogates): PDF/UA-1 refuses the document when one is in its text."""

_PUNCTUATION: Final = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
"""ASCII punctuation: each one is written with a backslash, Typst's literal escape."""


def _printable(text: str) -> str:
    """`text` without the characters no font can show."""
    return _UNPRINTABLE.sub("", text)


def escape(text: object) -> Typst:
    """`text` as Typst markup that shows it literally (:class:`Typst` is kept as is).

    Every ASCII punctuation character is escaped with a backslash; a run of line breaks
    becomes one space (a study text's line break is not a paragraph break); tabs become
    spaces; characters no font can show are dropped.
    """
    if isinstance(text, Typst):
        return text
    value = _printable(str(text)).replace("\t", " ")
    value = _LINE_BREAKS.sub(" ", value)
    return Typst(_PUNCTUATION.sub(r"\\\1", value))


_STRING_ESCAPES: Final = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_STRING_SPECIAL: Final = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def string(text: str) -> str:
    """A Typst string literal, ``"..."``, whose value is `text`.

    Backslashes and quotes are escaped, line breaks and tabs written ``\\n``, ``\\r``,
    ``\\t``, other control characters ``\\u{..}``; a lone surrogate (not a character)
    becomes U+FFFD.
    """

    def one(match: re.Match[str]) -> str:
        char = match.group(0)
        return _STRING_ESCAPES.get(char) or f"\\u{{{ord(char):x}}}"

    return '"' + _STRING_SPECIAL.sub(one, _SURROGATE.sub("\ufffd", text)) + '"'


class Notes:
    """The report's footnotes (one per report): each note's label is unique in it."""

    def __init__(self) -> None:
        self.count = 0

    def label(self) -> str:
        """A new note's label, ``anticipe-fn-<n>``."""
        self.count += 1
        return f"anticipe-fn-{self.count}"


MAX_IMAGE_BYTES: Final = 5 * 1024 * 1024
"""The largest embedded image kept (decoded); a larger one is shown as its alt text."""

_DATA_URI: Final = re.compile(
    r"data:image/(png|jpeg|gif|webp);base64,(.*)", re.IGNORECASE | re.DOTALL
)

_SIGNATURES: Final = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}
"""How each kind of image starts (a WebP file has ``WEBP`` at its 8th byte too)."""

_EXTENSIONS: Final = {"png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp"}


def _plain_text(children: list[Token]) -> str:
    """Inline tokens as plain text (an image as its alt text), as markdown-it does."""
    md = markdown_parser()
    if isinstance(md.renderer, RendererHTML):
        return md.renderer.renderInlineAsText(children, md.options, {})
    return "".join(child.content for child in children)


def _embedded_image(source: str) -> tuple[bytes, str] | None:
    """The image in a ``data:image/...;base64,`` URI and its file extension, or None when
    the URI is not one, is not valid base64, is larger than :data:`MAX_IMAGE_BYTES` or
    :data:`MAX_IMAGE_PIXELS`, or does not hold an image of its type."""
    match = _DATA_URI.fullmatch(source.strip())
    if not match:
        return None
    kind = match.group(1).lower()
    encoded = re.sub(r"\s+", "", urllib.parse.unquote(match.group(2)))
    if len(encoded) > (MAX_IMAGE_BYTES + 2) // 3 * 4:
        return None
    try:
        data = binascii.a2b_base64(encoded, strict_mode=True)
    except (binascii.Error, ValueError):
        return None
    if len(data) > MAX_IMAGE_BYTES or not data.startswith(_SIGNATURES[kind]):
        return None
    if kind == "webp" and data[8:12] != b"WEBP":
        return None
    if not _reasonable_size(data, kind):
        return None
    return data, _EXTENSIONS[kind]


MAX_IMAGE_PIXELS: Final = 25_000_000
"""The most pixels an embedded image may have: a few megabytes of PNG can hold an image
of a billion pixels, which Typst would decode in gigabytes of memory."""


def _reasonable_size(data: bytes, kind: str) -> bool:
    """Whether the image is one of `kind` (Pillow reads its header, not its pixels) with
    at most :data:`MAX_IMAGE_PIXELS`."""
    import io
    import warnings

    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                format = (image.format or "").lower()
    except (OSError, ValueError, Image.DecompressionBombError):
        return False
    return format == kind and width * height <= MAX_IMAGE_PIXELS


_MAX_NOTE_DEPTH: Final = 4
"""How deep notes may sit in notes (a call deeper than that is left out)."""

_MAX_QUOTE_DEPTH: Final = 8
"""How deep quotes may sit in quotes (Typst stops at about 18: "maximum show rule
depth"); a quote deeper than that is written as its text."""

_THEMATIC_BREAK: Final = '#line(length: 100%, stroke: 0.5pt + rgb("#bcccdc"))'


@dataclass
class _Frame:
    """A block being written: its kind, the opening token and the blocks inside it."""

    kind: str
    token: Token | None = None
    blocks: list[str] = field(default_factory=list)
    tight: bool = True


class _Writer:
    """One Markdown text's tokens as Typst markup."""

    def __init__(
        self,
        tokens: list[Token],
        *,
        shift_headings: int,
        notes: Notes,
        language: str,
        images: dict[str, bytes] | None,
    ) -> None:
        self.language = language
        self.notes = notes
        self.images = images
        self.shift = shift_headings
        self.heading_level = shift_headings  # the last heading's level (PDF/UA: no skips)
        self.contents = footnote_contents(tokens)
        self.labels: dict[int, str] = {}  # footnote id -> label, once written
        self.depth = 0  # notes being written, one inside the other

    def document(self, tokens: list[Token]) -> str:
        stack = [_Frame("document")]
        heading_text = ""  # the text (no image) of the heading being written
        for token in tokens:
            kind = token.type
            if kind == "footnote_block_open":
                break
            if kind.endswith("_open") and kind not in ("paragraph_open", "heading_open"):
                stack.append(_Frame(kind[: -len("_open")], token))
            elif kind.endswith("_close") and kind not in ("paragraph_close", "heading_close"):
                frame = stack.pop()
                quotes = sum(outer.kind == "blockquote" for outer in stack)
                block = self.container(frame, wrap=quotes < _MAX_QUOTE_DEPTH)
                if frame.kind == "list_item" and stack[-1].kind.endswith("_list"):
                    stack[-1].tight = stack[-1].tight and frame.tight
                stack[-1].blocks.append(block)
            elif kind == "paragraph_open":
                stack[-1].tight = stack[-1].tight and token.hidden
            elif kind == "heading_open":
                stack.append(_Frame("heading", token))
            elif kind == "heading_close":
                frame = stack.pop()
                stack[-1].blocks.append(self.heading(frame, heading_text))
            elif kind == "inline":
                heading_text = "".join(
                    child.content
                    for child in token.children or []
                    if child.type in ("text", "code_inline")
                )
                stack[-1].blocks.append(self.inline(token.children or []))
            elif kind in ("fence", "code_block"):
                code = string(_printable(token.content.removesuffix("\n")))
                stack[-1].blocks.append(f"#raw(block: true, {code})")
            elif kind == "hr":
                stack[-1].blocks.append(_THEMATIC_BREAK)
        while len(stack) > 1:  # markdown-it closes every block; in case it did not
            frame = stack.pop()
            stack[-1].blocks.append(self.container(frame))
        return "\n\n".join(block for block in stack[0].blocks if block)

    def heading(self, frame: _Frame, text: str) -> str:
        """A heading, at most one level below the one before it; one with no text (PDF/UA
        refuses it) is written as a paragraph."""
        assert frame.token is not None
        content = "".join(frame.blocks)
        if not text.strip():
            return content
        wanted = int(frame.token.tag[1]) + self.shift
        level = max(1, min(wanted, self.heading_level + 1, 6))
        self.heading_level = level
        return f"#heading(level: {level}, outlined: false)[{content}]"

    def container(self, frame: _Frame, *, wrap: bool = True) -> str:
        separator = "\n" if frame.kind == "list_item" and frame.tight else "\n\n"
        inside = separator.join(block for block in frame.blocks if block)
        if frame.kind == "list_item":
            return f"[{inside}]"
        if frame.kind == "bullet_list":
            return f"#list(tight: {str(frame.tight).lower()}, {', '.join(frame.blocks)})"
        if frame.kind == "ordered_list":
            assert frame.token is not None
            start = int(frame.token.attrGet("start") or 1)
            items = ", ".join(frame.blocks)
            return f"#enum(start: {start}, tight: {str(frame.tight).lower()}, {items})"
        if frame.kind == "blockquote" and wrap:
            return f"#quote(block: true)[{inside}]"
        return inside

    def inline(self, children: list[Token]) -> str:
        parts: list[str] = []
        stack: list[tuple[str, list[str]]] = []
        for child in children:
            kind = child.type
            if kind in ("em_open", "strong_open", "link_open"):
                if kind == "link_open":
                    href = str(child.attrGet("href") or "")
                    opening = f"#link({string(href)})[" if href.strip() else "["
                else:
                    opening = "#emph[" if kind == "em_open" else "#strong["
                stack.append((opening, parts))
                parts = []
            elif kind in ("em_close", "strong_close", "link_close") and stack:
                opening, outer = stack.pop()
                inner = "".join(parts)
                parts = outer
                parts.append(f"{opening}{inner}]" if opening != "[" else inner)
            elif kind == "text":
                parts.append(escape(typography(child.content, self.language)))
            elif kind == "code_inline":
                parts.append(f"#raw({string(_printable(child.content))})")
            elif kind == "softbreak":
                parts.append(" ")
            elif kind == "hardbreak":
                parts.append("#linebreak()")
            elif kind == "footnote_ref":
                parts.append(self.footnote(child.meta["id"]))
            elif kind == "image":
                parts.append(self.image(child))
            elif child.content:
                parts.append(escape(child.content))
        while stack:  # markdown-it closes every span; in case it did not
            opening, outer = stack.pop()
            inner = "".join(parts)
            parts = outer
            parts.append(f"{opening}{inner}]" if opening != "[" else inner)
        return "".join(parts)

    def footnote(self, note_id: int) -> str:
        """A call to a note: the note itself the first time, then a reference to it."""
        if note_id in self.labels:
            return f"#footnote(<{self.labels[note_id]}>)"
        if self.depth >= _MAX_NOTE_DEPTH:  # a note in a note in a note...: left out
            return ""
        label = self.labels[note_id] = self.notes.label()
        self.depth += 1
        text = " ".join(self.inline(t.children or []) for t in self.contents.get(note_id, []))
        self.depth -= 1
        return f"#footnote[{text}]<{label}>"

    def image(self, token: Token) -> str:
        """An embedded image, stored in `images` under a new name, or its alt text."""
        alt = _plain_text(token.children or [])
        source = str(token.attrGet("src") or "")
        embedded = _embedded_image(source) if self.images is not None else None
        if self.images is None or embedded is None:
            return escape(typography(alt, self.language))
        data, extension = embedded
        number = len(self.images) + 1
        while f"image-{number}.{extension}" in self.images:
            number += 1
        name = f"image-{number}.{extension}"
        self.images[name] = data
        alt = _LINE_BREAKS.sub(" ", _printable(typography(alt, self.language))).strip()
        if not alt:  # decorative: PDF/UA-1 wants alt text on every other image
            return f"#pdf.artifact[#image({string(name)}, width: 100%)]"
        return f"#image({string(name)}, alt: {string(alt)}, width: 100%)"


def markdown_to_typst(
    text: str,
    *,
    shift_headings: int = 2,
    notes: Notes,
    language: str,
    images: dict[str, bytes] | None = None,
) -> Typst:
    """The facilitator's Markdown as Typst markup (raw HTML in it shown as text).

    Parameters
    ----------
    text
        CommonMark with footnotes (``text[^1]`` and ``[^1]: note``).
    shift_headings
        The level of the section the text sits in: ``#`` becomes a heading of level
        ``shift_headings + 1``. A heading never goes more than one level below the one
        before it (PDF/UA-1 refuses a skipped level), nor below level 6.
    notes
        The report's notes (one :class:`Notes` per report): each note gets a label
        unique in the report; a second call to a note refers to it (same number).
    language
        The study's language, for its typography (French no-break spaces).
    images
        Where the images embedded in the text (``data:image/...;base64,`` URIs) are
        stored, by file name (``image-<n>.png``), for the caller to write next to the
        Typst source. When None, or for any other image, the image is shown as its alt
        text.

    Returns
    -------
    Typst
        Blocks separated by blank lines.
    """
    tokens = markdown_parser().parse(text or "", {})
    writer = _Writer(
        tokens, shift_headings=shift_headings, notes=notes, language=language, images=images
    )
    return Typst(writer.document(tokens))
