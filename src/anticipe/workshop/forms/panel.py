"""The forms of the panel: an expert added by the facilitator, joining with the study code,
coming back with a return code, and merging two entries of one person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anticipe.study.characters import one_line
from anticipe.study.table_import import tidy_cell
from anticipe.workshop.invitations import (
    PLACEHOLDERS,
    Kind,
    placeholder_problems,
    subject_and_text,
    tidy,
)
from anticipe.workshop.models import Expert, PanelSettings, Study
from anticipe.workshop.models.panel import MAX_SECTORS, normalised_return_code, token_digest
from anticipe.workshop.panel_rules import come_back_expert


class OneLineField(forms.CharField):
    """A name, an organisation, a sector: one line, without the controls that change the
    text's direction (:func:`anticipe.study.characters.one_line`), removed before the
    field is checked, so that a name of such controls alone is a missing name."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        return one_line(text).strip() if isinstance(text, str) else text


class ExpertForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Expert
        fields = ["name", "organisation", "sector", "email"]
        field_classes = {"name": OneLineField, "organisation": OneLineField, "sector": OneLineField}

    def __init__(self, *args: Any, email_locked: bool = False, **kwargs: Any) -> None:
        """`email_locked`: the expert has answered, so the address new links go to can no
        longer be changed here (the field shows it, disabled, and ignores what is posted)."""
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].help_text = _("Only facilitators see it; answers stay anonymous.")
        self.fields["sector"].help_text = _("Pick a suggestion or type another sector.")
        self.fields["sector"].widget.attrs.update({"list": "sector-suggestions"})
        self.fields["email"].help_text = _(
            "Optional: to send the personal invitation link and reminders."
        )
        if email_locked:
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _(
                "This expert has answered: new links go only to this address, which can no "
                "longer be changed here, so that only the expert opens their answers."
            )
        for name in ("name", "organisation", "email"):
            self.fields[name].widget.attrs.update({"autocomplete": "off"})


STUDY_CODE_HELP = gettext_lazy("The code shown on the screen in the room.")


def typed_code_field(label: Any, help_text: Any, max_length: int) -> forms.CharField:
    """A code typed by hand (the study code, a return code): no autocompletion, capitals."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class StudyCodeForm(forms.Form):
    """A form that starts with the study code: the running study it opens is ``self.study``."""

    study: Study

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().upper().replace(" ", "")
        study = Study.objects.filter(
            join_code=code, status=Study.Status.RUNNING, archived_at__isnull=True
        ).first()
        if study is None:
            raise forms.ValidationError(_("No open study has this code. Check it on the screen."))
        self.study = study
        return code


class JoinForm(StudyCodeForm):
    code = typed_code_field(gettext_lazy("Study code"), STUDY_CODE_HELP, 12)
    name = OneLineField(
        label=gettext_lazy("Your name"),
        max_length=150,
        help_text=gettext_lazy("Only the facilitator sees it; your answers stay anonymous."),
    )
    sector = OneLineField(
        label=gettext_lazy("Your sector"),
        max_length=150,
        help_text=gettext_lazy("For example: training body, public digital space, university."),
    )


class ComeBackForm(StudyCodeForm):
    """An expert who has joined already, on another device: the study code and the return
    code shown on their pages. The expert found is ``self.expert``."""

    code = typed_code_field(gettext_lazy("The study's code"), STUDY_CODE_HELP, 12)
    return_code = typed_code_field(
        gettext_lazy("Your return code"),
        gettext_lazy("Shown on your page in this study, for example ABCD-EFGH-JKLM."),
        40,
    )
    expert: Expert

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        typed = normalised_return_code(str(cleaned.get("return_code", "")))
        if getattr(self, "study", None) is None or not typed:
            return cleaned
        expert = come_back_expert(self.study, token_digest(typed))
        if expert is None:
            self.add_error(
                "return_code",
                _("This return code does not open this study. Check it on your page."),
            )
        else:
            self.expert = expert
        return cleaned


class EntryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        """An entry as the merge form lists it: the name and the organisation."""
        return " · ".join(part for part in (obj.display_name(), obj.organisation) if part)


class MergeForm(forms.Form):
    """The entry of the panel to merge an entry joined with the study code into."""

    target = EntryChoiceField(
        queryset=Expert.objects.none(),
        label=gettext_lazy("Merge into"),
        help_text=gettext_lazy("The entry of the same person, usually the one you invited."),
        empty_label=None,
    )

    def __init__(self, *args: Any, source: Expert, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, EntryChoiceField)
        field.queryset = (
            Expert.objects.filter(study_id=source.study_id).exclude(pk=source.pk).order_by("name")
        )


MAX_LETTER_CHARACTERS = 5_000


class PanelSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    """The study's sectors and its letters of invitation and reminder. A subject or text
    left as the default is stored blank, so that it keeps following the study's language
    and deadline."""

    sectors_text = forms.CharField(
        label=gettext_lazy("Sectors of the panel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("One per line: suggested when you add or edit an expert."),
    )

    class Meta:
        model = PanelSettings
        fields = [
            "facilitator_name",
            "organisation",
            "deadline",
            "invitation_subject",
            "invitation_text",
            "reminder_subject",
            "reminder_text",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "invitation_text": forms.Textarea(attrs={"rows": 14}),
            "reminder_text": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["sectors_text"] = "\n".join(self.instance.sectors)
        self.fields["facilitator_name"].help_text = _("Signs the letters and is the sender's name.")
        for kind, (subject, text) in defaults(self.instance).items():
            # a blank letter is the default one: shown as such, to edit
            self.initial[f"{kind.value}_subject"] = subject
            self.initial[f"{kind.value}_text"] = text
        for name in ("invitation_text", "reminder_text"):
            self.fields[name].validators.append(MaxLengthValidator(MAX_LETTER_CHARACTERS))
        self.fields["invitation_text"].help_text = _(
            "Placeholders: %(list)s. {link} is required."
        ) % {"list": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)}

    def clean_sectors_text(self) -> list[str]:
        sectors: list[str] = []
        for line in str(self.cleaned_data.get("sectors_text") or "").splitlines():
            sector = tidy_cell(line)
            if sector and sector not in sectors:
                sectors.append(sector[:150])
        if len(sectors) > MAX_SECTORS:
            raise forms.ValidationError(
                _("At most %(limit)d sectors, please.") % {"limit": MAX_SECTORS}
            )
        return sectors

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for kind in Kind:
            for part in ("subject", "text"):
                name = f"{kind.value}_{part}"
                value = str(cleaned.get(name) or "")
                for problem in placeholder_problems(value, kind=kind, body=part == "text"):
                    self.add_error(name, problem)
                if "{deadline}" in value and cleaned.get("deadline") is None:
                    self.add_error(name, _("Set the deadline, or remove {deadline}."))
        return cleaned

    def save(self, commit: bool = True) -> PanelSettings:
        settings: PanelSettings = super().save(commit=False)
        settings.sectors = self.cleaned_data["sectors_text"]
        # a letter left as its default is stored blank (the default follows the study)
        # (with or without the deadline's line: a deadline set with the default text left
        # as shown gets its line)
        with_deadline = defaults(PanelSettings(study=settings.study, deadline=settings.deadline))
        without = defaults(PanelSettings(study=settings.study))
        for kind in Kind:
            subject_field, text_field = f"{kind.value}_subject", f"{kind.value}_text"
            subjects = {with_deadline[kind][0].strip(), without[kind][0].strip()}
            if getattr(settings, subject_field).strip() in subjects:
                setattr(settings, subject_field, "")
            texts = {tidy(with_deadline[kind][1]), tidy(without[kind][1])}
            if tidy(getattr(settings, text_field)) in texts:
                setattr(settings, text_field, "")
        if commit:
            settings.save()
        return settings


def defaults(letters: PanelSettings) -> dict[Kind, tuple[str, str]]:
    """Each letter's subject and text (the defaults for blank ones), in the study's
    language."""
    with translation.override(letters.study.language):
        return {kind: subject_and_text(kind, letters) for kind in Kind}


class ExpertImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("List of experts (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One expert per row, under a header: name (nom), e-mail (courriel), organisation "
            "(organisme), sector (secteur). Name and sector are required."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
