"""A study's copy: what is copied (perimeter, factors, hypotheses if asked) and what never
is (panel, rounds, answers, decisions, members, audit, publication)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from anticipe.study.study_file import check_study
from anticipe.workshop.models import (
    AuditEvent,
    Hypothesis,
    Respondent,
    RespondentGroup,
    Round,
    SelfAssessment,
    Study,
    Task,
)
from anticipe.workshop.study_copy import copy_title, duplicate_study
from anticipe.workshop.study_format import export_study
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


OWN_FRAMEWORK = {
    "anticipe_framework": "1.0",
    "id": "mediation",
    "name": "Médiation",
    "title": {"fr": "Référentiel de la médiation"},
    "licence": {"attribution": "Référentiel interne."},
    "areas": [{"id": "A", "title": {"fr": "Accueil"}}],
    "competences": [{"id": "A.1", "area": "A", "title": {"fr": "Accueillir"}}],
    "levels": [{"id": "1", "title": {"fr": "Débutant"}}],
}


def test_a_copy_keeps_today_s_profile_and_the_catalogue_never_the_self_assessment(
    study: Study, facilitator: Any
) -> None:
    study.reference_frameworks = [OWN_FRAMEWORK]
    study.current_profile = {
        "source": "Référentiel métier 2011",
        "competences": [
            {"framework": "digcomp-2.2", "id": "1.1", "level": "3"},
            {"framework": "mediation", "id": "A.1", "level": "1"},
        ],
    }
    study.training_catalogue = {
        "title": "Offre 2026",
        "modules": [
            {"id": "M01", "title": "Only C1", "covers": [{"competence": "C1"}]},
            {
                "id": "M02",
                "title": "C2 and DigComp",
                "provider": "Centre A",
                "duration_hours": 12,
                "covers": [
                    {"competence": "C2"},
                    {"framework": "digcomp-2.2", "id": "2.4", "level": "5"},
                ],
            },
            {"id": "M03", "title": "Own", "covers": [{"framework": "mediation", "id": "A.1"}]},
        ],
        "simulated": True,
    }
    study.save()
    settings = SelfAssessment.objects.create(
        study=study, published=True, competences=["C1", "C2"], min_group_size=2
    )
    group = RespondentGroup.objects.create(study=study, code="G1", closed=True)
    for level in ("1", "2"):
        Respondent.objects.create(group=group, secret_digest=level * 64, answers={"C1": level})
    copy = duplicate_study(study, facilitator)
    copy.refresh_from_db()
    assert copy.current_profile == study.current_profile
    assert copy.reference_frameworks == [OWN_FRAMEWORK]
    # next year's C1 is another competence: what a module covered through this study's
    # competences is left out, a module that covered nothing else is not copied
    assert copy.training_catalogue == {
        "title": "Offre 2026",
        "modules": [
            {
                "id": "M02",
                "title": "C2 and DigComp",
                "provider": "Centre A",
                "duration_hours": 12,
                "covers": [{"framework": "digcomp-2.2", "id": "2.4", "level": "5"}],
            },
            {"id": "M03", "title": "Own", "covers": [{"framework": "mediation", "id": "A.1"}]},
        ],
        "simulated": True,
    }
    # the source keeps its own, untouched
    study.refresh_from_db()
    assert [m["id"] for m in study.training_catalogue["modules"]] == ["M01", "M02", "M03"]
    # nothing of the self-assessment: no questions, groups, respondents or answers
    assert not SelfAssessment.objects.filter(study=copy).exists()
    assert not RespondentGroup.objects.filter(study=copy).exists()
    assert Respondent.objects.filter(group__study=copy).count() == 0
    assert settings.study_id == study.pk
    # the copy's study file holds together, with what it took
    document = export_study(copy)
    check_study(document)
    assert document["training_catalogue"] == copy.training_catalogue
    assert document["current_profile"] == copy.current_profile
    assert "self_assessment" not in document


def test_a_catalogue_left_without_a_module_is_not_copied(study: Study, facilitator: Any) -> None:
    study.training_catalogue = {
        "modules": [{"id": "M01", "title": "Only C1", "covers": [{"competence": "C1"}]}]
    }
    study.save()
    copy = duplicate_study(study, facilitator)
    assert copy.training_catalogue is None
    assert copy.current_profile is None
    assert "training_catalogue" not in export_study(copy)
