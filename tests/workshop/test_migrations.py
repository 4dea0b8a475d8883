"""Every change of the models has its migration: a model changed without
``anticipe manage makemigrations`` fails here, not on a deployed site."""

from __future__ import annotations

import importlib
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


def test_a_study_published_before_the_snapshot_keeps_its_questions(
    study: Any,
) -> None:
    """Migration 0015 fills the snapshot of a self-assessment published before it from the
    desk as it is, which is how its answers were read until then: nothing changes for it."""
    from django.apps import apps

    from anticipe.workshop.models import SelfAssessment
    from anticipe.workshop.self_assessment import settings_of, study_questionnaire

    fill = importlib.import_module(
        "anticipe.workshop.migrations.0015_self_assessment_questionnaire"
    ).fill_questionnaires
    c1 = study.competences.get(code="C1")
    c1.frameworks = [{"framework": "digcomp-2.2", "id": "1.1", "level": "4"}]
    c1.save()
    # as published before the migration: the codes asked, no snapshot
    SelfAssessment.objects.create(study=study, published=True, competences=["C2", "C1"])
    other = study.__class__.objects.create(
        title="Other", language="en", created_by=study.created_by
    )
    unpublished = SelfAssessment.objects.create(study=other)
    read = {lang: study_questionnaire(study, lang) for lang in ("fr", "en")}
    fill(apps, None)
    fixed = settings_of(study).questionnaire
    assert [c["code"] for c in fixed["competences"]] == ["C2", "C1"]  # as asked
    assert fixed["competences"][1]["frameworks"] == c1.frameworks
    assert fixed["language"] == study.language
    unpublished.refresh_from_db()
    assert unpublished.questionnaire == {}
    # the questions read from the snapshot are those read before, and stay so
    c1.frameworks = [{"framework": "digcompedu", "id": "5.1", "level": "B1"}]
    c1.save()
    assert {lang: study_questionnaire(study, lang) for lang in ("fr", "en")} == read
    fill(apps, None)  # run again: a snapshot already there is kept
    assert settings_of(study).questionnaire == fixed


def test_experts_stored_before_lose_their_direction_controls(study: Any) -> None:
    """Migration 0016 cleans the experts stored before the rule (written here as raw rows:
    ``Expert.save`` would clean them itself)."""
    from django.apps import apps

    from anticipe.workshop.models import Expert

    clean = importlib.import_module(
        "anticipe.workshop.migrations.0016_experts_without_direction_controls"
    ).clean_experts
    reversed_name = study.experts.get(code="E1")
    Expert.objects.filter(pk=reversed_name.pk).update(
        name="\u202eenaJ", organisation="\u2067Forem\u2069", sector="emploi\u202c"
    )
    untouched = study.experts.get(code="E2")
    clean(apps, None)
    reversed_name.refresh_from_db()
    assert (reversed_name.name, reversed_name.organisation, reversed_name.sector) == (
        "enaJ",
        "Forem",
        "emploi",
    )
    before = (untouched.name, untouched.organisation, untouched.sector)
    untouched.refresh_from_db()
    assert (untouched.name, untouched.organisation, untouched.sector) == before
