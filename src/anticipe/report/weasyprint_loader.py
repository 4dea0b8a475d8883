"""WeasyPrint, imported fast: the self-assessment's result, an HTML page printed as PDF
for the respondent (:mod:`anticipe.workshop.views.respondent`). The study report's PDF is
typeset by Typst (:mod:`anticipe.report.pdf`)."""

from __future__ import annotations

import sys
import threading
from typing import Any

#: The libraries WeasyPrint loads, by their names on Linux (their sonames).
_LINUX_LIBRARIES = (
    "libgobject-2.0.so.0",
    "libpango-1.0.so.0",
    "libharfbuzz.so.0",
    "libfontconfig.so.1",
    "libpangoft2-1.0.so.0",
)


def import_weasyprint() -> Any:
    """WeasyPrint, imported without its search for its libraries when they load directly.

    WeasyPrint tries each library under several names (Windows' and macOS' first); each
    name that fails makes cffi ask :func:`ctypes.util.find_library`, which on Linux runs
    ``ldconfig``, ``gcc`` and ``ld`` (22 searches, about 60 processes: 0.3 s on an idle
    machine, a second on a loaded one), before the soname loads. When every soname loads
    (checked here first), the search is switched off while WeasyPrint is imported, so
    the same libraries load at once; elsewhere, or with other threads running (the
    switch is global), WeasyPrint is imported as usual.
    """
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import ctypes
    import ctypes.util

    try:
        for name in _LINUX_LIBRARIES:
            ctypes.CDLL(name)
    except OSError:  # a library elsewhere: WeasyPrint's own search finds it
        import weasyprint

        return weasyprint
    find_library = ctypes.util.find_library
    if threading.active_count() == 1:
        ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    finally:
        ctypes.util.find_library = find_library
    return weasyprint
