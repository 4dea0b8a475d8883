"""The questionnaire as published, kept on the self-assessment: a study published before
this migration gets the snapshot of its questions as they are now on the desk, which is how
its answers were read until now, so nothing changes for it."""

from typing import Any

from django.db import migrations, models

from anticipe.study.self_assessment import snapshot


def fill_questionnaires(apps: Any, schema_editor: Any) -> None:
    """Each published self-assessment without a snapshot gets one, from its study's
    competences, links and own frameworks as they are now."""
    SelfAssessment = apps.get_model("workshop", "SelfAssessment")
    Competence = apps.get_model("workshop", "Competence")
    for settings in SelfAssessment.objects.filter(published=True).select_related("study"):
        if settings.questionnaire:
            continue
        study = settings.study
        competences = Competence.objects.filter(study=study).order_by("position", "id")
        document = {
            "language": study.language,
            "reference_frameworks": study.reference_frameworks,
            "competences": [
                {"code": c.code, "text": c.text, "frameworks": c.frameworks} for c in competences
            ],
        }
        settings.questionnaire = snapshot(document, settings.competences)
        settings.save(update_fields=["questionnaire"])


class Migration(migrations.Migration):

    dependencies = [
        ("workshop", "0014_self_assessment"),
    ]

    operations = [
        migrations.AddField(
            model_name="selfassessment",
            name="questionnaire",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(fill_questionnaires, migrations.RunPython.noop),
    ]
