"""The forms of the panel: an expert added by the facilitator, or joining with the study
code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anticipe.workshop.models import Expert, Study


class ExpertForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Expert
        fields = ["name", "organisation", "sector", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].help_text = _("Only facilitators see it; answers stay anonymous.")
        self.fields["sector"].help_text = _("Pick a suggestion or type another sector.")
        self.fields["sector"].widget.attrs.update({"list": "sector-suggestions"})
        self.fields["email"].help_text = _(
            "Optional: to send the personal invitation link and reminders."
        )
        for name in ("name", "organisation", "email"):
            self.fields[name].widget.attrs.update({"autocomplete": "off"})


class JoinForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Study code"),
        max_length=12,
        help_text=gettext_lazy("The code shown on the screen in the room."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=150,
        help_text=gettext_lazy("Only the facilitator sees it; your answers stay anonymous."),
    )
    sector = forms.CharField(
        label=gettext_lazy("Your sector"),
        max_length=150,
        help_text=gettext_lazy("For example: training body, public digital space, university."),
    )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().upper().replace(" ", "")
        if not Study.objects.filter(join_code=code, status=Study.Status.RUNNING).exists():
            raise forms.ValidationError(_("No open study has this code. Check it on the screen."))
        return code
