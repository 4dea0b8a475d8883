"""What the site's forms share: the rule of a code (factor, activity, task, competence),
and the accessible description of each field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy

# A code is made of letters, digits, '.', '_' or '-', starts with a letter or a digit and has
# at most 32 characters (factors, activities, tasks, competences).
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"

CODE_VALIDATOR = RegexValidator(
    CODE_PATTERN,
    message=gettext_lazy(
        "A code is made of letters, digits, '.', '_' or '-', starts with a letter or a digit "
        "and has at most 32 characters."
    ),
)


def code_field(help_text: Any) -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        validators=[CODE_VALIDATOR],
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class DescribedForm(forms.BaseForm):
    """Ties each field to its help text and error message, with the ids the shared form
    partial gives them (workshop/partials/form_fields.html): Django's own (``<id>_helptext``,
    ``<id>_error``, which every form's field refers to by itself)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.describe_fields()

    def full_clean(self) -> None:
        super().full_clean()
        self.describe_fields()

    def describe_fields(self) -> None:
        errors = getattr(self, "_errors", None) or {}
        pattern = self.auto_id if isinstance(self.auto_id, str) else "%s"
        for name, bound in self.fields.items():
            widget_id = pattern % self.add_prefix(name)
            ids = [f"{widget_id}_helptext"] if bound.help_text else []
            if name in errors:
                ids.append(f"{widget_id}_error")
            if ids:
                bound.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                bound.widget.attrs.pop("aria-describedby", None)
