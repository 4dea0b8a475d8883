"""The one translation mechanism of the package: GNU gettext catalogues.

Every user-visible string of Anticipe — the site's pages, the report's words, the study
layer's messages, the command line's labels — is written in English in the source and
translated in one catalogue per language, ``src/anticipe/locale/<language>/LC_MESSAGES/
django.po`` (compiled to ``django.mo``, both in the repository).

- The site reads it through Django (``LOCALE_PATHS``), with the request's language.
- The layers that never import Django (study, report, presentation, command line) read the
  same catalogue through the standard library's :mod:`gettext`, with the language passed
  explicitly (a study's language is data, not a global): ``translator("fr").gettext(...)``.

Strings are marked so that ``makemessages`` (xgettext) finds them: calls of ``gettext``,
``ngettext``, ``pgettext``, ``npgettext`` and ``gettext_noop`` — here as methods of the
object :func:`translator` returns, or :func:`gettext_noop` for a message defined in one
place and translated where it is shown. Placeholders use ``str.format`` names
(``{factor}``) outside Django and ``%(name)s`` in the site, as each side's tools expect.
"""

from __future__ import annotations

import functools
import gettext as _gettext
from pathlib import Path
from typing import Final

LANGUAGES: Final = ("fr", "en")
"""The languages of the site, the reports and the messages; French first."""

DEFAULT_LANGUAGE: Final = "fr"

LOCALE_DIR: Final = Path(__file__).resolve().parent / "locale"
"""Where the catalogues are (the site's ``LOCALE_PATHS`` points here too)."""

DOMAIN: Final = "django"
"""One domain for the whole package, the one Django reads."""


def language_or_default(language: str | None) -> str:
    """``language`` when it is one of :data:`LANGUAGES`, else the default (French).

    A study file's ``language`` may be a region variant (``fr-BE``): its first part counts.
    """
    if language:
        base = language.split("-")[0].split("_")[0].lower()
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


@functools.cache
def translator(language: str | None) -> _gettext.NullTranslations:
    """The catalogue of ``language`` (an unknown or empty language reads French).

    English is the source language: its translator returns every message as written.
    """
    language = language_or_default(language)
    if language == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it (translated when shown)."""
    return message
