"""Characters a study's texts may not hold, and the nesting a study file may not exceed.

A study's texts end up in XML (the XLSX and DOCX reports, the blank matrix, the site's
downloads) and in UTF-8 files. XML 1.0 refuses the control characters other than tab,
line feed and carriage return (a vertical tab pasted from Word makes openpyxl refuse the
whole workbook), and UTF-8 cannot encode a lone surrogate (``"\\ud800"``, which JSON's
``\\uXXXX`` escapes can write). So:

- a **study file** with such a character is refused, with the field's path and the
  character's position (:func:`character_problems`, called by
  :func:`anticipe.study.study_file.check_study`): the file's author knows which text to fix;
- the **site's forms** remove them from what is typed (:func:`clean_text`), and
  :func:`clean_document` removes them from a whole document (a study built from the site's
  database before its forms did).

The walk over a document is iterative (a deeply nested document cannot exhaust Python's
stack) and stops at :data:`~anticipe.study.limits.MAX_JSON_DEPTH` levels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

from anticipe.study.limits import MAX_JSON_DEPTH
from anticipe.study.messages import Message, message

__all__ = [
    "DIRECTION_CONTROLS",
    "FORBIDDEN_CHARACTERS",
    "character_problems",
    "clean_document",
    "clean_text",
    "depth_problem",
    "escaped",
    "first_forbidden",
    "one_line",
]

FORBIDDEN_CHARACTERS: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""The characters XML 1.0 refuses (control characters but tab, line feed and carriage
return; the surrogates; U+FFFE and U+FFFF)."""

Path = tuple[str | int, ...]


DIRECTION_CONTROLS: Final = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""The Unicode controls that change the direction of the text after them (embeddings,
overrides and isolates, with their ends). In a one-line text (a person's name, an
organisation, a sector, a spreadsheet cell) they have no use but to make it show as
something else: ``"\u202eenaJ"`` shows as "Jane" and sorts, searches and exports as
"enaJ"; :func:`one_line` removes them."""


def one_line(text: str) -> str:
    """A one-line text (a name, an organisation, a cell) without the controls that change
    its direction (:data:`DIRECTION_CONTROLS`); multi-line texts keep them (a paragraph
    mixing scripts may need them)."""
    return DIRECTION_CONTROLS.sub("", text)


def first_forbidden(text: str) -> tuple[int, str] | None:
    """The position and the first character of `text` that a study may not hold, if any."""
    found = FORBIDDEN_CHARACTERS.search(text)
    return (found.start(), found.group()) if found is not None else None


def clean_text(text: str) -> str:
    """`text` without the characters a study may not hold (for the site's forms).

    A vertical tab or a form feed (a line or page break of a word processor) becomes a
    line feed; every other forbidden character is removed.
    """
    return FORBIDDEN_CHARACTERS.sub(_replacement, text)


def _replacement(found: re.Match[str]) -> str:
    return "\n" if found.group() in "\x0b\x0c" else ""


def clean_document(value: Any) -> Any:
    """A copy of a JSON-like document with every text (keys too) cleaned by
    :func:`clean_text`; other values stay as they are."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(key)): clean_document(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_document(item) for item in value]
    return value


def escaped(text: str) -> str:
    """`text` with its forbidden characters written as ``\\uXXXX`` (safe to show)."""
    return FORBIDDEN_CHARACTERS.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _character_message(text: str, *, key: bool) -> Message | None:
    found = first_forbidden(text)
    if found is None:
        return None
    position, character = found
    code = f"U+{ord(character):04X}"
    if key:
        return message("text.bad_character_in_name", name=escaped(text), code=code)
    if 0xD800 <= ord(character) <= 0xDFFF:
        return message("text.surrogate", code=code, position=position + 1)
    return message("text.control_character", code=code, position=position + 1)


def character_problems(document: Any) -> Iterator[tuple[Path, Message]]:
    """The path and the problem of every text of `document` (keys included) holding a
    character a study may not hold. Nesting beyond
    :data:`~anticipe.study.limits.MAX_JSON_DEPTH` is not walked (see :func:`depth_problem`).
    """
    if isinstance(document, str):
        problem = _character_message(document, key=False)
        if problem is not None:
            yield (), problem
        return
    stack: list[tuple[Any, Path]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if len(path) >= MAX_JSON_DEPTH or not isinstance(value, dict | list):
            continue
        containers: list[tuple[Any, Path]] = []
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for name, item in items:
            named = _character_message(name, key=True) if isinstance(name, str) else None
            if named is not None:
                yield path, named
                continue
            if isinstance(item, str):
                problem = _character_message(item, key=False)
                if problem is not None:
                    yield (*path, name), problem
            elif isinstance(item, dict | list):
                containers.append((item, (*path, name)))
        stack.extend(reversed(containers))


def depth_problem(document: Any) -> tuple[Path, Message] | None:
    """The path of the first value nested deeper than
    :data:`~anticipe.study.limits.MAX_JSON_DEPTH` levels, and the problem; None when the
    document is not that deep (no study needs more than 7 levels)."""
    if not isinstance(document, dict | list):
        return None
    stack: list[tuple[Any, Path]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        if len(path) >= MAX_JSON_DEPTH:
            return path, message("study.too_deep", limit=MAX_JSON_DEPTH)
        items = value.items() if isinstance(value, dict) else enumerate(value)
        stack.extend((item, (*path, name)) for name, item in items if isinstance(item, dict | list))
    return None
