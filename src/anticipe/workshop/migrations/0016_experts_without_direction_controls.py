"""The experts stored before their one-line fields lost the controls that change the text's
direction (U+202A-202E, U+2066-2069): their name, organisation and sector cleaned as a form
or an import now cleans them (:func:`anticipe.study.characters.one_line`)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from anticipe.study.characters import one_line

FIELDS = ("name", "organisation", "sector")


def clean_experts(apps: Any, schema_editor: Any) -> None:
    Expert = apps.get_model("workshop", "Expert")
    for expert in Expert.objects.only("pk", *FIELDS).iterator():  # a few hundred at most
        values = [getattr(expert, field) for field in FIELDS]
        if any(one_line(value) != value for value in values):  # holds a control
            cleaned = {field: one_line(value).strip() for field, value in zip(FIELDS, values)}
            Expert.objects.filter(pk=expert.pk).update(**cleaned)


class Migration(migrations.Migration):
    dependencies = [
        ("workshop", "0015_self_assessment_questionnaire"),
    ]

    operations = [
        migrations.RunPython(clean_experts, migrations.RunPython.noop),
    ]
