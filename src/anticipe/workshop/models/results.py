"""The structural analysis of a study's influence rounds, computed in the background.

One row per study and state of its influence answers (the digest that keys the analysis:
the closed rounds, a fingerprint of their answers, the parameters; see
:func:`anticipe.workshop.results.cache.structural_results`). A row is first the job (queued,
failed) and then the result (ready, as JSON). It lives in the database, which every process
and server shares whatever the cache and task settings, and which keeps it through a restart
or a full cache: a page reads it, never computes it (MICMAC with its 1,000 bootstrap
resamples takes seconds).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.db import models
from django.utils import timezone

from anticipe.workshop.models.study import Study

# a queued job not heard from for this long is taken as lost (its worker was stopped)
STALE_QUEUED = timedelta(minutes=10)
# rows kept per study (the latest states): older ones are deleted when a new one is stored;
# enough for each iteration of the matrix with and without its bootstrap, and a few changes
KEPT_PER_STUDY = 16


class StructuralResult(models.Model):
    """The structural analysis of one state of a study's influence answers."""

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        READY = "ready", "ready"
        FAILED = "failed", "failed"

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="structural_results")
    key = models.CharField(max_length=64)  # the digest of the answers' state and parameters
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    content = models.TextField(blank=True)  # the result as JSON ("null": nobody answered)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["study", "key"], name="one_structural_result_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.study_id} {self.key[:12]} {self.status}"

    def result(self) -> Any:
        """The stored result (None: nobody answered)."""
        return json.loads(self.content)

    def is_stale(self) -> bool:
        """A queued job that no worker took for too long."""
        return self.status == self.Status.QUEUED and timezone.now() - self.updated_at > STALE_QUEUED

    @classmethod
    def store(cls, study: Study, key: str, result: Any) -> None:
        """Keep a computed result (the row of its key becomes ready), and only the latest
        few of the study."""
        cls.objects.update_or_create(
            study=study,
            key=key,
            defaults={
                "status": cls.Status.READY,
                "content": json.dumps(result),
                "updated_at": timezone.now(),
            },
        )
        old = cls.objects.filter(study=study).order_by("-updated_at", "-id")[KEPT_PER_STUDY:]
        cls.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
