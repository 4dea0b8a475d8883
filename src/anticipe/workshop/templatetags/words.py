"""Template filters that write the desk's results in words (each through
:mod:`anticipe.workshop.results.labels`, hence :mod:`anticipe.presentation`)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.translation import get_language

from anticipe import presentation
from anticipe.workshop.results.labels import parameters_in_words

register = template.Library()


@register.filter(name="in_words")
def in_words(rows: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """Parameter rows ``(name, value)`` as ``{"name", "setting", "value"}`` in words."""
    return parameters_in_words(rows or [])


@register.simple_tag
def punct(mark: str) -> str:
    """A mark of French spacing (``: ; ? !``) written by a template after a word or a
    translated string: in French with its no-break space before (narrow before ``; ? !``),
    in English as it is (``presentation.punctuation``, the one home of the rule)."""
    return presentation.punctuation(mark, get_language())
