"""The settings of joining and experts' sessions, read from the environment: a wrong value
stops the site with a message naming the variable, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def settings_of(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "from anticipe.site import settings as s; "
        "print(s.JOIN_LIMIT_PER_ADDRESS, s.JOIN_LIMIT_PER_STUDY, s.EXPERT_SESSION_AGE, "
        "repr(s.CLIENT_ADDRESS_HEADER))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("ANTICIPE_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**base, "ANTICIPE_DEBUG": "1", "ANTICIPE_DATA_DIR": str(tmp_path), **env},
        check=False,
    )


def test_the_defaults(tmp_path: Path) -> None:
    result = settings_of({}, tmp_path)
    assert result.stdout.split() == [
        "(30,",
        "600)",
        "(40,",
        "600)",
        str(365 * 86400),
        "'REMOTE_ADDR'",
    ]


def test_values_from_the_environment(tmp_path: Path) -> None:
    result = settings_of(
        {
            "ANTICIPE_JOIN_LIMIT_PER_ADDRESS": "60/300",
            "ANTICIPE_JOIN_LIMIT_PER_STUDY": " 25/3600 ",
            "ANTICIPE_EXPERT_SESSION_DAYS": "7",
            "ANTICIPE_CLIENT_ADDRESS_HEADER": "X-Real-IP",
        },
        tmp_path,
    )
    assert result.stdout.split() == [
        "(60,",
        "300)",
        "(25,",
        "3600)",
        str(7 * 86400),
        "'HTTP_X_REAL_IP'",
    ]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("ANTICIPE_JOIN_LIMIT_PER_ADDRESS", "30"),
        ("ANTICIPE_JOIN_LIMIT_PER_ADDRESS", "0/600"),
        ("ANTICIPE_JOIN_LIMIT_PER_STUDY", "many/600"),
        ("ANTICIPE_EXPERT_SESSION_DAYS", "-3"),
        ("ANTICIPE_EXPERT_SESSION_DAYS", "a week"),
    ],
)
def test_a_wrong_value_is_named(variable: str, value: str, tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ANTICIPE_")}
    result = subprocess.run(
        [sys.executable, "-m", "anticipe.cli.main", "manage", "check"],
        capture_output=True,
        text=True,
        env={
            **base,
            "ANTICIPE_DEBUG": "1",
            "ANTICIPE_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "anticipe.site.settings",
            variable: value,
        },
        check=False,
    )
    assert result.returncode == 2
    assert variable in result.stderr
    assert "Traceback" not in result.stderr
