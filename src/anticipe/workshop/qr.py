"""QR codes of the join address (the projector, the printable handout), drawn as inline SVG
by segno (pure Python): no image file, no script, no style attribute (the site's CSP)."""

from __future__ import annotations

from functools import lru_cache

import segno
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from anticipe.workshop.invitations import join_url
from anticipe.workshop.models import Study


@lru_cache(maxsize=64)
def qr_svg(data: str, label: str) -> SafeString:
    """An accessible SVG QR code of `data` (an image named `label`), scaled by CSS."""
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(
        scale=1, border=4, dark="#000", light="#fff", svgclass="qr", lineclass=None, omitsize=True
    )
    # the <svg> element as an image with a name, for screen readers (segno escapes nothing
    # we add: the label is escaped here)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    return mark_safe(svg)


def join_qr(request: HttpRequest, study: Study) -> dict[str, str]:
    """The join address with the study's code filled in, and its QR code."""
    url = join_url(request, study)
    return {"join_url": url, "join_qr": qr_svg(url, _("QR code of the address to join"))}
