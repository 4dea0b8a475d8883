"""The form of the report's own texts: its cover, Part 1 and the facilitator's chapters
(Markdown, each placed in the structure of the published reports), and a remark before
each key factor's actions. What the form holds is the study file's ``report`` and
``synthesis`` (:mod:`anticipe.report.chapters`)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy

from anticipe.report.chapters import CHAPTERS, COVER_FIELDS, join_sections, split_sections
from anticipe.workshop.forms.common import DescribedForm
from anticipe.workshop.models import Study

MAX_CHAPTER = 100_000  # characters of one text

# Where each chapter goes in the report (the help under its field).
CHAPTER_FIELDS: dict[str, tuple[Any, Any]] = {
    "introduction": (
        gettext_lazy("Introduction"),
        gettext_lazy("Before Part 1: the context, why this job, the method and its origin."),
    ),
    "method": (
        gettext_lazy("Part 2's opening"),
        gettext_lazy("How the workshops ran; replaces the report's standard description."),
    ),
    "job": (
        gettext_lazy("1. The job: definitions and profiles"),
        gettext_lazy(
            "Before Table 1: the job's definitions, profiles, how its activities were agreed."
        ),
    ),
    "frameworks": (
        gettext_lazy("1. Reference frameworks"),
        gettext_lazy("After Table 1: the competence frameworks and what the panel said of them."),
    ),
    "factors": (
        gettext_lazy("2. The change factors"),
        gettext_lazy("Before Table 2: how the factors were proposed and voted on."),
    ),
    "selection": (
        gettext_lazy("3. The selection of the key factors"),
        gettext_lazy("Before Graph 1: the influence matrix and the selection."),
    ),
    "hypotheses": (
        gettext_lazy("4. The evolution hypotheses"),
        gettext_lazy("Before Table 3: how the hypotheses were written, voted on and retained."),
    ),
    "actions": (
        gettext_lazy("4. The action plan"),
        gettext_lazy("Before Table 4: how the actions were proposed."),
    ),
    "impacts": (
        gettext_lazy("5. The impacts on the activities"),
        gettext_lazy("Before Table 5: which activities change most, and why."),
    ),
    "recommendations": (
        gettext_lazy("5. Recommendations"),
        gettext_lazy("After Table 5: training, support and the means to build the competences."),
    ),
    "references": (
        gettext_lazy("References"),
        gettext_lazy("After Part 2: the sources and documents the report refers to."),
    ),
}
assert tuple(CHAPTER_FIELDS) == CHAPTERS

DATE_VALIDATOR = RegexValidator(
    r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$",
    message=gettext_lazy("Write the date as YYYY, YYYY-MM or YYYY-MM-DD, for example 2018-05."),
)


def _text(label: Any, help_text: Any, *, rows: int = 8) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=MAX_CHAPTER,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows, "spellcheck": "true"}),
    )


class ReportTextsForm(DescribedForm, forms.Form):
    """The cover, Part 1, every chapter and a remark per key factor; empty ones are left
    out of the report."""

    title = forms.CharField(
        label=gettext_lazy("Title of the report"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("As published; by default the job's title."),
    )
    organisation = forms.CharField(
        label=gettext_lazy("Organisation"), required=False, max_length=300
    )
    authors = forms.CharField(label=gettext_lazy("Authors"), required=False, max_length=500)
    date = forms.CharField(
        label=gettext_lazy("Publication date"),
        required=False,
        max_length=10,
        validators=[DATE_VALIDATOR],
        help_text=gettext_lazy("YYYY, YYYY-MM or YYYY-MM-DD; by default the day of the report."),
    )
    licence = forms.CharField(label=gettext_lazy("Licence"), required=False, max_length=500)
    synthesis = _text(
        gettext_lazy("Part 1 – Summary of the results"),
        gettext_lazy("Markdown. Start each section with a line '# Title'."),
        rows=14,
    )

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, (label, help_text) in CHAPTER_FIELDS.items():
            self.fields[f"chapter_{key}"] = _text(label, help_text)
        self.key_factors = list(study.factors.key())
        for factor in self.key_factors:
            self.fields[f"note_{factor.code}"] = _text(
                f"{factor.code} – {factor.current_title()}",
                gettext_lazy("A remark shown before this factor's actions in Table 4."),
                rows=3,
            )
        self.describe_fields()

    @staticmethod
    def initial_for(study: Study) -> dict[str, Any]:
        """The form's values from the study's ``report`` and ``synthesis``."""
        report = study.report or {}
        initial: dict[str, Any] = {key: report.get(key, "") for key in COVER_FIELDS}
        initial["synthesis"] = join_sections(study.synthesis or [])
        for key, text in (report.get("chapters") or {}).items():
            initial[f"chapter_{key}"] = text
        for code, text in (report.get("action_notes") or {}).items():
            initial[f"note_{code}"] = text
        return initial

    def report(self) -> dict[str, Any]:
        """The study file's ``report``: only what is written."""
        data = self.cleaned_data
        report: dict[str, Any] = {key: data[key] for key in COVER_FIELDS if data[key]}
        chapters = {key: data[f"chapter_{key}"] for key in CHAPTERS if data[f"chapter_{key}"]}
        notes = {f.code: data[f"note_{f.code}"] for f in self.key_factors if data[f"note_{f.code}"]}
        if chapters:
            report["chapters"] = chapters
        if notes:
            report["action_notes"] = notes
        return report

    def synthesis_sections(self) -> list[dict[str, str]]:
        return split_sections(self.cleaned_data["synthesis"])

    def groups(self) -> list[dict[str, Any]]:
        """The page's parts, each laid out by the shared form partial: the cover, Part 1,
        the chapters in the report's order, the remarks of Table 4."""
        names = [
            (gettext_lazy("Cover"), list(COVER_FIELDS)),
            (gettext_lazy("Part 1 – Summary of the results"), ["synthesis"]),
            (gettext_lazy("Chapters"), [f"chapter_{key}" for key in CHAPTERS]),
            (
                gettext_lazy("Remarks before the actions (Table 4)"),
                [f"note_{f.code}" for f in self.key_factors],
            ),
        ]
        groups = []
        for k, (title, fields) in enumerate(names):
            part = SimpleNamespace(
                visible_fields=[self[name] for name in fields],
                hidden_fields=[],
                non_field_errors=self.non_field_errors() if k == 0 else [],
            )
            if fields:
                groups.append({"title": title, "form": part})
        return groups
