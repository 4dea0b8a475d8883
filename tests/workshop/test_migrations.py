"""Every change of the models has its migration: a model changed without
``anticipe manage makemigrations`` fails here, not on a deployed site."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command


def test_no_model_change_lacks_its_migration(db: Any) -> None:
    output = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output, stderr=output)
    except SystemExit:
        pytest.fail(
            "models changed without a migration; run `anticipe manage makemigrations`:\n"
            + output.getvalue()
        )
