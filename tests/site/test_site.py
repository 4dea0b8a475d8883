"""The site's configuration: deploy checks, the demo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_check(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "anticipe.cli.main", "manage", "check", *arguments],
        capture_output=True,
        text=True,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("ANTICIPE_")}, **env},
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = run_check(
        {
            "ANTICIPE_SECRET_KEY": "a-long-random-production-secret-" + "q1w2e3r4t5" * 5,
            "ANTICIPE_ALLOWED_HOSTS": "anticipe.example.org",
            "ANTICIPE_DATA_DIR": str(tmp_path),
            "ANTICIPE_EMAIL_URL": "smtp://mailer@mail.example.org:587",
            "DJANGO_SETTINGS_MODULE": "anticipe.site.settings",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_is_reported(tmp_path: Path) -> None:
    result = run_check(
        {"ANTICIPE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "anticipe.site.settings"}
    )
    assert result.returncode == 2
    assert "ANTICIPE_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db(transaction=True)
def test_demo_prepares_a_facilitator_and_the_example() -> None:
    from django.test import Client

    from anticipe.site.demo import prepare_demo

    site = prepare_demo()
    again = prepare_demo()
    assert again.study_id == site.study_id  # loaded once
    assert again.password != site.password  # a new password each time
    client = Client()
    assert client.login(username=again.username, password=again.password)
    assert "Médiateur numérique" in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ANTICIPE_LOGIN_WINDOW", "a quarter", "ANTICIPE_LOGIN_WINDOW must be a whole number"),
        ("ANTICIPE_TRUSTED_PROXIES", "0", "ANTICIPE_TRUSTED_PROXIES must be a whole number"),
        ("ANTICIPE_CLIENT_ADDRESS_HEADER", "X Forwarded", "must be a header name"),
    ],
)
def test_a_wrong_operations_setting_is_reported(
    tmp_path: Path, variable: str, value: str, message: str
) -> None:
    result = run_check(
        {
            "ANTICIPE_DEBUG": "1",
            "ANTICIPE_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "anticipe.site.settings",
            variable: value,
        }
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_proxy_header_and_limits_are_read_from_the_environment(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; "
            "print(s.CLIENT_ADDRESS_HEADER, s.TRUSTED_PROXIES, s.LOGIN_THROTTLE['account'])",
        ],
        capture_output=True,
        text=True,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("ANTICIPE_")},
            "ANTICIPE_DEBUG": "1",
            "ANTICIPE_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "anticipe.site.settings",
            "ANTICIPE_CLIENT_ADDRESS_HEADER": "X-Real-IP",
            "ANTICIPE_TRUSTED_PROXIES": "2",
            "ANTICIPE_LOGIN_ACCOUNT_ATTEMPTS": "7",
        },
        check=False,
    )
    assert result.stdout.split(" ", 2)[:2] == ["HTTP_X_REAL_IP", "2"]
    assert "'free': 7" in result.stdout
