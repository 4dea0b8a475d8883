"""The cache and the background tasks follow the environment (ANTICIPE_REDIS_URL,
ANTICIPE_TASKS); without them, the embedded defaults: a cache in each process, tasks run at
once in the process that asks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

READ_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps([settings.CACHES, settings.TASKS, settings.SESSION_ENGINE]))"
)


def run(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ANTICIPE_")}
    return subprocess.run(
        [sys.executable, *arguments],
        capture_output=True,
        text=True,
        env={
            **base,
            "ANTICIPE_DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "anticipe.site.settings",
            **env,
        },
        check=False,
    )


def settings_with(env: dict[str, str], tmp_path: Path) -> list[dict[str, Any]]:
    result = run({"ANTICIPE_DATA_DIR": str(tmp_path), **env}, "-c", READ_SETTINGS)
    assert result.returncode == 0, result.stderr
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


def test_the_defaults_need_no_other_process(tmp_path: Path) -> None:
    caches, tasks, sessions = settings_with({}, tmp_path)
    assert caches["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    # a session ended in one process must not live on in another's cache
    assert sessions == "django.contrib.sessions.backends.db"
    assert tasks["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"


def test_redis_and_a_worker_from_the_environment(tmp_path: Path) -> None:
    caches, tasks, sessions = settings_with(
        {"ANTICIPE_REDIS_URL": "redis://cache.example.org:6379/2", "ANTICIPE_TASKS": "database"},
        tmp_path,
    )
    assert caches["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.example.org:6379/2",
        "KEY_PREFIX": "anticipe",
    }
    assert tasks["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert sessions == "django.contrib.sessions.backends.cached_db"  # shared: read from Redis


def test_an_unknown_task_backend_is_reported(tmp_path: Path) -> None:
    result = run(
        {"ANTICIPE_DATA_DIR": str(tmp_path), "ANTICIPE_TASKS": "celery"},
        "-m",
        "anticipe.cli.main",
        "manage",
        "check",
    )
    assert result.returncode == 2
    assert "ANTICIPE_TASKS is 'celery': use 'immediate'" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_is_clean_with_redis_and_a_worker(tmp_path: Path) -> None:
    result = run(
        {
            "ANTICIPE_DEBUG": "0",
            "ANTICIPE_SECRET_KEY": "a-long-random-production-secret-" + "q1w2e3r4t5" * 5,
            "ANTICIPE_ALLOWED_HOSTS": "anticipe.example.org",
            "ANTICIPE_DATA_DIR": str(tmp_path),
            "ANTICIPE_EMAIL_URL": "smtp://mailer@mail.example.org:587",
            "ANTICIPE_REDIS_URL": "redis://127.0.0.1:6379/0",
            "ANTICIPE_TASKS": "database",
        },
        "-m",
        "anticipe.cli.main",
        "manage",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
