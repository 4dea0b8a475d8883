"""A study's copy: what is copied (perimeter, factors, hypotheses if asked) and what never
is (panel, rounds, answers, decisions, members, audit, publication)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from anticipe.workshop.models import AuditEvent, Hypothesis, Round, Study, Task
from anticipe.workshop.study_copy import copy_title, duplicate_study
from tests.workshop.support import published


def test_a_copy_takes_the_perimeter_and_factors_and_nothing_of_the_panel(
    study: Study, facilitator: Any
) -> None:
    published(study)
    copier = get_user_model().objects.create_user("copier", password="copier-pw-1")
    copy = duplicate_study(study, copier)
    assert copy.pk != study.pk
    assert copy.title == "Métier d'essai (copie)"  # in the study's language
    assert copy.created_by == copier
    assert list(copy.members.values_list("user__username", "role")) == [("copier", "facilitator")]
    assert copy.status == Study.Status.RUNNING
    assert not copy.is_archived()
    assert copy.join_code != study.join_code
    for name in ("job_description", "horizon_years_min", "horizon_label", "language"):
        assert getattr(copy, name) == getattr(study, name)
    # the perimeter and the factors, in order
    assert list(copy.activities_in_order().values_list("code", "title")) == list(
        study.activities_in_order().values_list("code", "title")
    )
    assert list(
        Task.objects.filter(activity__study=copy).values_list("activity__code", "code", "title")
    ) == list(
        Task.objects.filter(activity__study=study).values_list("activity__code", "code", "title")
    )
    assert list(copy.factors.values_list("code", "title")) == list(
        study.factors.values_list("code", "title")
    )
    # never the panel, the rounds, the decisions or the report's texts
    assert study.experts.exists()
    assert not copy.experts.exists()
    assert study.rounds.exists()
    assert not Round.objects.filter(study=copy).exists()
    assert not copy.factors.filter(shortlisted=True).exists()
    assert not copy.factors.exclude(key_origin="").exists()
    assert not copy.factors.exclude(retained=None).exists()
    assert not copy.competences.exists()
    assert copy.report == {}
    assert not Hypothesis.objects.filter(factor__study=copy).exists()  # not asked
    # the audit log: one entry in each study, none of the source's copied
    assert list(copy.audit_events.values_list("action", flat=True)) == ["study_created_as_copy"]
    entry = study.audit_events.get(action="study_duplicated")
    assert entry.actor == copier
    assert entry.detail["copy"] == copy.pk
    assert AuditEvent.objects.filter(study=copy).count() == 1


def test_a_copy_may_take_the_hypotheses_but_not_their_merges(
    study: Study, facilitator: Any
) -> None:
    copy = duplicate_study(study, facilitator, hypotheses=True)
    copied = set(Hypothesis.objects.filter(factor__study=copy).values_list("code", "text"))
    assert ("F1-B", "L'IA arrive.") in copied
    assert {code for code, _text in copied} == {"F1-A", "F1-B", "F3-A", "F3-B", "F3-C"}
    assert not Hypothesis.objects.filter(factor__study=copy, merged_from__isnull=False).exists()
    assert study.audit_events.get(action="study_duplicated").detail["hypotheses"] is True


def test_a_long_title_keeps_room_for_the_suffix(study: Study) -> None:
    study.title = "x" * 200
    study.language = "en"
    title = copy_title(study)
    assert len(title) == 200
    assert title.endswith(" (copy)")
