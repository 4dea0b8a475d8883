"""The report's files made for the site: one row per study, format and state of the study.

A row is the job that makes a file (queued, running with its progress, failed) and then the
file itself (ready). The state is a digest of the study's exported document
(:func:`anticipe.workshop.tasks.reports.study_state`): a new answer or decision gives a new
state, hence a new file; the same state is never made twice (the unique constraint is what
makes a second click join the running job instead of starting another). Files live in the
database, which every process and server shares whatever the cache and task settings; only
the latest file of each study and format is kept.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anticipe.workshop.models.study import Study

# A job not heard from for this long is taken as lost (its worker was stopped) and can be
# started again. Running jobs report their progress several times a minute; a queued job
# waits for a worker, which may be busy with others.
STALE_RUNNING = timedelta(minutes=10)
STALE_QUEUED = timedelta(minutes=60)


class ReportFile(models.Model):
    """The report of a study in one format, for one state of the study."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"
        HTML = "html", "HTML"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("report file", "waiting")
        RUNNING = "running", pgettext_lazy("report file", "being made")
        READY = "ready", pgettext_lazy("report file", "ready")
        FAILED = "failed", pgettext_lazy("report file", "failed")

    class Stage(models.TextChoices):
        EXPORT = "export", pgettext_lazy("report file", "reading the study")
        ANALYSIS = "analysis", pgettext_lazy("report file", "computing the analysis")
        WRITING = "writing", pgettext_lazy("report file", "writing the file")

    class Problem(models.TextChoices):
        CHANGED = "changed", _("The study changed while its file was being made: make it again.")
        ERROR = (
            "error",
            _(
                "The file could not be made (the error is in the server's log). Try again; if it "
                "fails again, tell the site's administrator."
            ),
        )

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="report_files")
    format = models.CharField(max_length=4, choices=Format.choices)
    state = models.CharField(max_length=64)  # the digest of the study's exported document
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=8, choices=Stage.choices, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    problem = models.CharField(max_length=8, choices=Problem.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["study", "format", "state"], name="one_report_file_per_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.study_id} {self.format} {self.state[:12]} {self.status}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def is_stale(self) -> bool:
        """A job in progress not heard from for too long: its worker was stopped."""
        if not self.in_progress:
            return False
        limit = STALE_QUEUED if self.status == self.Status.QUEUED else STALE_RUNNING
        return self.updated_at < timezone.now() - limit
