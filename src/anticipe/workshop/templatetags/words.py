"""Template filters that write the desk's results in words (each through
:mod:`anticipe.workshop.results.labels`, hence :mod:`anticipe.presentation`)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from anticipe.workshop.results.labels import parameters_in_words

register = template.Library()


@register.filter(name="in_words")
def in_words(rows: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """Parameter rows ``(name, value)`` as ``{"name", "setting", "value"}`` in words."""
    return parameters_in_words(rows or [])
