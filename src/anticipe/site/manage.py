"""``anticipe manage ...``: Django's management commands with the site's settings."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run a Django management command (``anticipe manage migrate``, ``createsuperuser`` ...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anticipe.site.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["anticipe manage", *(sys.argv[1:] if argv is None else argv)])
    except ImproperlyConfigured as error:
        print(f"anticipe: configuration error: {error}", file=sys.stderr)
        return 2
    return 0
