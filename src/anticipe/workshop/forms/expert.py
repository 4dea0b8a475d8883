"""The forms of the expert's answers: proposals of change factors and of actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anticipe.workshop.models import ActionProposal, FactorProposal

MAX_TEXT = 5000  # characters of one free-text answer


def clean_form_text(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise forms.ValidationError(
            _("At most %(max)d characters (you wrote %(length)d).")
            % {"max": MAX_TEXT, "length": len(text)}
        )
    return text


class ProposalForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = FactorProposal
        fields = ["title", "explanation"]
        labels = {
            "title": gettext_lazy("A factor"),
            "explanation": gettext_lazy("Why? In a few words"),
        }
        help_texts = {
            "title": gettext_lazy("One factor per proposal, in a short sentence."),
        }
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "explanation": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT}),
        }

    def clean_explanation(self) -> str:
        return clean_form_text(self.cleaned_data.get("explanation"))


class ActionProposalForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ActionProposal
        fields = ["text"]
        labels = {"text": gettext_lazy("An action")}
        help_texts = {
            "text": gettext_lazy("What should be done, by whom? One action per proposal.")
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT})}
        error_messages = {"text": {"required": gettext_lazy("Write the action first.")}}

    def clean_text(self) -> str:
        text = clean_form_text(self.cleaned_data.get("text"))
        if not text:
            raise forms.ValidationError(_("Write the action first."))
        return text
