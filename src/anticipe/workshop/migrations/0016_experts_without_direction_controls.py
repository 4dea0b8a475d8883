"""The experts stored before their one-line fields lost the controls that change the text's
direction (U+202A-202E, U+2066-2069): their name, organisation and sector cleaned as a form
or an import now cleans them (:func:`anticipe.study.characters.one_line`)."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Q

from anticipe.study.characters import DIRECTION_CONTROLS, one_line

FIELDS = ("name", "organisation", "sector")
# the controls one_line removes (its rule, looked up where they are: general punctuation)
CONTROLS = [chr(code) for code in range(0x2000, 0x2070) if DIRECTION_CONTROLS.match(chr(code))]


def clean_experts(apps: Any, schema_editor: Any) -> None:
    Expert = apps.get_model("workshop", "Expert")
    holding = Q()
    for field in FIELDS:
        for control in CONTROLS:
            holding |= Q(**{f"{field}__contains": control})
    for expert in Expert.objects.filter(holding).only("pk", *FIELDS).iterator():
        for field in FIELDS:
            setattr(expert, field, one_line(getattr(expert, field)).strip())
        expert.save(update_fields=list(FIELDS))


class Migration(migrations.Migration):
    dependencies = [
        ("workshop", "0015_self_assessment_questionnaire"),
    ]

    operations = [
        migrations.RunPython(clean_experts, migrations.RunPython.noop),
    ]
