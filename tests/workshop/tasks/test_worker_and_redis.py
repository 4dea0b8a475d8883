"""The deployed path: the cache in Redis, tasks queued in the database and run by the worker
(``anticipe manage db_worker``), as with ANTICIPE_REDIS_URL and ANTICIPE_TASKS=database.

Skipped, with the reason, when no Redis answers at ANTICIPE_TEST_REDIS_URL (default
redis://127.0.0.1:6379/15); failed instead when ANTICIPE_REQUIRE_REDIS=1 (CI starts Redis and
sets it, so that this path never goes untested there). The worker runs in this process
(``--batch``: it runs what is queued, then stops), on the test database; its keys in Redis
carry a prefix of their own and are removed afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
import redis
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from anticipe.workshop.models import ReportFile, Study
from anticipe.workshop.tasks import reports
from tests.workshop.support import HTMX, text

REDIS_URL = os.environ.get("ANTICIPE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_problem() -> str:
    """Why Redis cannot be used here ("" when it answers)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except (redis.RedisError, OSError) as error:
        return f"no Redis answers at {REDIS_URL}: {error}"
    return ""


@pytest.fixture
def redis_and_worker(settings: Any) -> Iterator[redis.Redis]:
    """The site's cache in Redis (a key prefix of this test's own) and tasks in the database."""
    problem = redis_problem()
    if problem and os.environ.get("ANTICIPE_REQUIRE_REDIS") == "1":
        pytest.fail(problem + " (ANTICIPE_REQUIRE_REDIS=1)")
    if problem:
        pytest.skip(problem)
    prefix = f"anticipe-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = redis.Redis.from_url(REDIS_URL)
    yield client
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_worker_makes_the_files_and_the_cache_is_redis(
    study: Study,
    facilitator_client: Client,
    redis_and_worker: redis.Redis,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    analyses = []
    analyse = reports.analyse_study
    monkeypatch.setattr(
        reports, "analyse_study", lambda *a, **k: analyses.append(1) or analyse(*a, **k)
    )
    status = reverse("workshop:report_status", args=[study.pk])
    for fmt in ("html", "xlsx"):
        url = reverse("workshop:report_make", args=[study.pk, fmt])
        body = text(facilitator_client.post(url, **HTMX))
        facilitator_client.post(url, **HTMX)  # a second click
        assert "Waiting for its turn" in body
        assert 'hx-trigger="every 2s"' in body
    # queued in the database, once per format; nothing made until a worker runs
    assert DBTaskResult.objects.count() == 2
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}
    assert not ReportFile.objects.filter(status="ready").exists()

    run_worker()

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert ReportFile.objects.filter(study=study, status="ready").count() == 2
    assert len(analyses) == 1  # the second format found the analysis in Redis
    state = reports.exported(study)[1]
    assert list(redis_and_worker.scan_iter(f"*:anticipe:report:analysis:{state}"))
    body = text(facilitator_client.get(status))
    assert "every 2s" not in body
    assert "Download the HTML file" in body
    download = reverse("workshop:report_download", args=[study.pk, "html"])
    response = facilitator_client.get(download)
    assert response.status_code == 200
    assert study.title in unescape(response.content.decode())


@pytest.mark.django_db(transaction=True)
def test_closing_a_round_has_the_worker_compute_the_analysis_the_pages_read(
    study: Study, facilitator_client: Client, redis_and_worker: redis.Redis
) -> None:
    from anticipe.workshop.models import Round, StructuralResult

    StructuralResult.objects.filter(study=study).delete()
    page = reverse("workshop:results_structure", args=[study.pk])
    round_ = study.rounds.filter(step=Round.Step.INFLUENCE).order_by("-iteration").first()
    assert round_ is not None
    round_.open()
    facilitator_client.post(reverse("workshop:round_close", args=[study.pk, round_.pk]))
    # queued in the database by the close (after its commit); the page waits for the worker
    assert DBTaskResult.objects.filter(task_path__endswith="refresh_study_results").exists()
    waiting = text(facilitator_client.get(page))
    assert "being computed" in waiting
    assert 'hx-trigger="every 2s"' in waiting
    assert not StructuralResult.objects.filter(study=study, status="ready").exists()

    run_worker()

    assert StructuralResult.objects.filter(study=study, status="ready").count() == 1
    poll = facilitator_client.get(page, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER="results-pending")
    assert poll["HX-Refresh"] == "true"
    assert "being computed" not in text(facilitator_client.get(page))
