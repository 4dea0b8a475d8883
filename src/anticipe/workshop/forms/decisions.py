"""The forms of the facilitator's decisions: the experts' proposals merged into factors,
the shortlist, the key factors, the hypotheses and their retention, the action plan, the
impacts and competences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from anticipe.study.frameworks import Framework, builtin_frameworks, linked_framework
from anticipe.study.frameworks.loading import BUILTIN
from anticipe.workshop import rules
from anticipe.workshop.forms.common import CODE_PATTERN
from anticipe.workshop.models import Action, Factor, FactorProposal, Study

MAX_TEXT = 4000  # characters of a decision's text


class ProposalsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Proposals chosen by their token (:attr:`FactorProposal.token`), never by their id:
    ids follow the order in which the proposals arrived."""

    def _check_values(self, value: Any) -> Any:
        queryset: Any = self.queryset
        by_token = {proposal.token: proposal.pk for proposal in queryset}
        for token in value:
            if str(token) not in by_token:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(token)[:40]},
                )
        return queryset.filter(pk__in=[by_token[str(token)] for token in value])


class ProposalsMergeForm(forms.Form):
    proposals = ProposalsField(
        queryset=FactorProposal.objects.none(),
        label=gettext_lazy("Proposals"),
        error_messages={"required": gettext_lazy("Select at least one proposal.")},
    )
    factor = forms.ModelChoiceField(
        queryset=Factor.objects.none(),
        required=False,
        label=gettext_lazy("Or attach them to an existing factor"),
        empty_label=gettext_lazy("— none: create the new factor above —"),
    )
    title = forms.CharField(
        label=gettext_lazy("Wording of the new factor"), max_length=400, required=False
    )
    description = forms.CharField(
        label=gettext_lazy("Explanation of the new factor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = rules.study_proposals(study)  # type: ignore[attr-defined]
        self.fields["factor"].queryset = study.factors.order_by("position", "id")  # type: ignore[attr-defined]
        self.fields["title"].widget.attrs.update({"data-fill-from": "proposals"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        title = (data.get("title") or "").strip()
        if data.get("factor") and title:
            raise forms.ValidationError(
                _("Either choose an existing factor or write a new one, not both.")
            )
        if not data.get("factor") and not title:
            raise forms.ValidationError(
                _("Write the wording of the new factor, or choose an existing factor.")
            )
        data["title"] = title
        return data


class FactorWordingForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Factor
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ShortlistForm(forms.Form):
    factors = forms.ModelMultipleChoiceField(
        queryset=Factor.objects.none(),
        label=gettext_lazy("Factors kept"),
        error_messages={"required": gettext_lazy("Keep at least one factor.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the choice at the cut (recorded)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factors"].queryset = study.factors.all()  # type: ignore[attr-defined]


class KeyFactorAddForm(forms.Form):
    factor = forms.ChoiceField(label=gettext_lazy("Factor"))
    reason = forms.CharField(
        label=gettext_lazy("Why"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required for a factor the analysis did not select."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["factor"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class SituationForm(forms.Form):
    current_situation = forms.CharField(
        label=gettext_lazy("Current situation"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class HypothesisForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Hypothesis"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    label = forms.CharField(
        label=gettext_lazy("Label"),
        required=False,
        max_length=16,
        help_text=gettext_lazy("A, B, C... (given automatically when left empty)."),
    )


class HypothesesMergeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Wording of the merged hypothesis"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OverrideForm(forms.Form):
    hypothesis = forms.ChoiceField(label=gettext_lazy("Hypothesis to retain"))
    reason = forms.CharField(
        label=gettext_lazy("Why the panel departs from the rule"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["hypothesis"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class ActionForm(forms.Form):
    aim = forms.ChoiceField(
        label=gettext_lazy("Aim"),
        required=False,
        choices=[("", gettext_lazy("not said")), *Action.Aim.choices],
    )
    text = forms.CharField(
        label=gettext_lazy("Action"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


FRAMEWORKS = ("DigComp 2.2", "DigComp 3.0", "DigCompEdu", "CRCN", "ESCO", *BUILTIN)


def _framework_link(line: str) -> dict[str, str]:
    """One framework reference: "DigComp 2.2 1.1" or "digcomp-2.2 2.4 5" (the framework,
    its competence, optionally the target level), checked against the framework."""
    framework = next(
        (name for name in sorted(FRAMEWORKS, key=len, reverse=True) if line.startswith(name)),
        None,
    )
    parts = line[len(framework) :].strip(" :-").split() if framework else []
    if framework is None or not 1 <= len(parts) <= 2:
        raise forms.ValidationError(
            _("“%(line)s”: write a framework (%(names)s), its reference, then a level if any.")
            % {"line": line, "names": ", ".join(FRAMEWORKS)}
        )
    link = {"framework": framework, "id": parts[0]}
    if len(parts) == 2:
        link["level"] = parts[1]
    known = linked_framework(framework, builtin_frameworks())
    if known is not None and known.competence(parts[0]) is None:
        raise forms.ValidationError(
            _("“%(line)s”: %(framework)s has no competence %(id)s.")
            % {"line": line, "framework": known.name, "id": parts[0]}
        )
    if known is not None and len(parts) == 2 and known.level(parts[1]) is None:
        raise forms.ValidationError(
            _("“%(line)s”: the levels of %(framework)s are %(levels)s.")
            % {
                "line": line,
                "framework": known.name,
                "levels": ", ".join(level.id for level in known.levels),
            }
        )
    return link


def parse_frameworks(text: str) -> list[dict[str, str]]:
    """Framework references, one a line (see :func:`_framework_link`)."""
    return [_framework_link(line.strip()) for line in text.splitlines() if line.strip()]


class CompetenceForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Code"),
        regex=CODE_PATTERN,
        required=False,
        max_length=32,
        help_text=gettext_lazy("C1, C2... (given automatically when left empty)."),
    )
    text = forms.CharField(
        label=gettext_lazy("Competence"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    frameworks = forms.CharField(
        label=gettext_lazy("Frameworks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "One reference a line, then the level expected if any, for example: digcomp-2.2 2.4 5"
        ),
    )

    def clean_frameworks(self) -> list[dict[str, str]]:
        return parse_frameworks(self.cleaned_data["frameworks"])


def frameworks_text(frameworks: list[dict[str, str]]) -> str:
    return "\n".join(
        " ".join(part for part in (f["framework"], f["id"], f.get("level", "")) if part)
        for f in frameworks
    )


def framework_competence_choices(
    frameworks: dict[str, Framework],
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The frameworks' competences for a select, grouped by framework: values
    "<framework id> <competence id>"."""
    return [
        (
            framework.name,
            [
                (f"{framework.id} {item.id}", f"{item.id} {item.title.in_language(get_language())}")
                for item in framework.competences
            ],
        )
        for framework in frameworks.values()
    ]


class FrameworkLinkForm(forms.Form):
    """A link of a competence to a framework competence, with the level the job expects."""

    link = forms.CharField(label=gettext_lazy("Framework competence"), max_length=80)
    level = forms.CharField(label=gettext_lazy("Level expected"), required=False, max_length=32)

    def __init__(self, *args: Any, frameworks: dict[str, Framework], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.frameworks = frameworks

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        link = str(data.get("link") or "")
        framework_id, _space, competence_id = link.partition(" ")
        framework = self.frameworks.get(framework_id)
        if framework is None or framework.competence(competence_id) is None:
            raise forms.ValidationError(_("Choose a competence of a framework."))
        level = str(data.get("level") or "").strip()
        if level and framework.level(level) is None:
            raise forms.ValidationError(
                _("The levels of %(framework)s are %(levels)s.")
                % {
                    "framework": framework.name,
                    "levels": ", ".join(item.id for item in framework.levels),
                }
            )
        data["entry"] = {"framework": framework.id, "id": competence_id}
        if level:
            data["entry"]["level"] = level
        return data


class CurrentCompetenceForm(FrameworkLinkForm):
    """A framework competence of today's profile of the job, with the level held today."""

    level = forms.CharField(label=gettext_lazy("Level today"), required=False, max_length=32)


class CurrentSourceForm(forms.Form):
    """Where today's profile comes from (a reference, its date)."""

    source = forms.CharField(
        label=gettext_lazy("Source of today's profile"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("The occupational reference or training it comes from, its date."),
    )


class CatalogueImportForm(forms.Form):
    """A catalogue of training modules (CSV or XLSX), replacing the study's."""

    file = forms.FileField(
        label=gettext_lazy("Training catalogue (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One module per row, under a header: title (titre), provider (opérateur), duration "
            "in hours (durée), covers (couvre) and optionally id. Covers lists competence codes "
            "of the study (C12) or framework competences (DigComp 2.4, DigComp 2.4:5 or "
            "digcomp-2.2:2.4:5 up to level 5), separated by semicolons."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    title = forms.CharField(
        label=gettext_lazy("Title of the catalogue"), required=False, max_length=300
    )
    simulated = forms.BooleanField(
        label=gettext_lazy("Illustrative catalogue (not a real offer): labelled as simulated"),
        required=False,
    )
