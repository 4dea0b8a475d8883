"""The forms of the rounds: the settings of a round, by step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anticipe.workshop import rules
from anticipe.workshop.models import Hypothesis, Round, Study


class RoundSettingsForm(forms.Form):
    """The settings of a round of one step, asked when the round is prepared and editable
    until it opens. ``initial_of`` reads a round's settings back into the form;
    ``round_settings`` writes the form into settings, keeping what the form does not show
    (an imported study's scale labels, for instance) from `previous`."""

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.study = study

    @classmethod
    def initial_of(cls, settings: dict[str, Any]) -> dict[str, Any]:
        return {}

    def round_settings(self, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        return dict(previous or {})


class FactorVoteSettingsForm(RoundSettingsForm):
    """The weighted vote: each expert shares out a budget of points among the factors."""

    points_per_expert = forms.IntegerField(
        label=gettext_lazy("Points per expert"),
        help_text=gettext_lazy("The budget each expert shares out among the factors."),
        min_value=1,
        max_value=1000,
        initial=rules.DEFAULT_POINTS_PER_EXPERT,
    )
    shortlist_size = forms.IntegerField(
        label=gettext_lazy("Number of factors to keep"),
        help_text=gettext_lazy("The shortlist that goes on to the influence matrix."),
        min_value=2,
        max_value=200,
        initial=rules.DEFAULT_SHORTLIST_SIZE,
    )

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, study=study, **kwargs)
        default, self.largest_shortlist = rules.shortlist_size_bounds(study)
        self.fields["shortlist_size"].initial = default
        self.fields["shortlist_size"].widget.attrs["max"] = self.largest_shortlist

    def clean_shortlist_size(self) -> int:
        size = int(self.cleaned_data["shortlist_size"])
        if size > self.largest_shortlist:
            raise forms.ValidationError(
                _("Keep at most %(count)s factors: the study has no more change factors.")
                % {"count": self.largest_shortlist}
            )
        return size

    @classmethod
    def initial_of(cls, settings: dict[str, Any]) -> dict[str, Any]:
        return {
            name: settings[name]
            for name in ("points_per_expert", "shortlist_size")
            if settings.get(name) is not None
        }

    def round_settings(self, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        return {
            **(previous or {}),
            "method": "points",
            "points_per_expert": self.cleaned_data["points_per_expert"],
            "shortlist_size": self.cleaned_data["shortlist_size"],
        }


class HypothesisVoteSettingsForm(RoundSettingsForm):
    probability_min = forms.IntegerField(
        label=gettext_lazy("Probability: lowest value"), min_value=0, max_value=10, initial=1
    )
    probability_max = forms.IntegerField(
        label=gettext_lazy("Probability: highest value"), min_value=1, max_value=10, initial=4
    )
    desirability_min = forms.IntegerField(
        label=gettext_lazy("Desirability: lowest value"), min_value=0, max_value=10, initial=1
    )
    desirability_max = forms.IntegerField(
        label=gettext_lazy("Desirability: highest value"), min_value=1, max_value=10, initial=4
    )
    hypotheses = forms.MultipleChoiceField(
        label=gettext_lazy("Hypotheses asked"),
        help_text=gettext_lazy(
            "None ticked: every hypothesis of the key factors. In a later iteration (Delphi) "
            "you may ask again only some of them, for example those without consensus."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, study=study, **kwargs)
        choices = [
            (h.code, f"{h.code} · {Truncator(h.text).chars(140)}")
            for h in Hypothesis.objects.filter(factor__study=study)
            .exclude(factor__key_origin="")
            .order_by("factor__position", "factor_id", "position", "id")
        ]
        self.hypothesis_codes = [code for code, _label in choices]
        field = self.fields["hypotheses"]
        if choices and isinstance(field, forms.MultipleChoiceField):
            field.choices = choices
        else:  # written after the round is prepared: all of them, then
            del self.fields["hypotheses"]

    @classmethod
    def initial_of(cls, settings: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {"hypotheses": list(settings.get("hypotheses") or [])}
        for scale in ("probability", "desirability"):
            found = settings.get(f"{scale}_scale") or {}
            for end in ("min", "max"):
                if found.get(end) is not None:
                    initial[f"{scale}_{end}"] = found[end]
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for scale in ("probability", "desirability"):
            low, high = data.get(f"{scale}_min"), data.get(f"{scale}_max")
            if low is not None and high is not None and high <= low:
                self.add_error(
                    f"{scale}_max", _("The highest value must be above the lowest value.")
                )
        return data

    def round_settings(self, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        data = self.cleaned_data
        settings = dict(previous or {})
        for scale in ("probability", "desirability"):
            bounds = {"min": data[f"{scale}_min"], "max": data[f"{scale}_max"]}
            before = settings.get(f"{scale}_scale") or {}
            same = {key: before.get(key) for key in ("min", "max")} == bounds
            # the words of the scale's values stay while the values do
            settings[f"{scale}_scale"] = {**before, **bounds} if same else bounds
        if "hypotheses" not in self.fields:  # no hypothesis to choose from: as it was
            return settings
        settings.pop("hypotheses", None)
        if data.get("hypotheses"):  # in the study's order
            ticked = set(data["hypotheses"])
            settings["hypotheses"] = [code for code in self.hypothesis_codes if code in ticked]
        return settings


class RespondentsOnlyForm(forms.Form):
    """How a later iteration (Delphi) counts: every expert's latest answer, or only the
    answers given in this iteration."""

    respondents_only = forms.BooleanField(
        label=gettext_lazy("Count only this iteration's respondents"),
        help_text=gettext_lazy(
            "Ticked: only the answers given in this iteration count for the questions it "
            "asks. Not ticked: an expert who does not answer keeps their earlier answer."
        ),
        required=False,
    )


SETTINGS_FORMS: dict[str, type[RoundSettingsForm]] = {
    Round.Step.FACTOR_VOTE: FactorVoteSettingsForm,
    Round.Step.HYPOTHESIS_VOTE: HypothesisVoteSettingsForm,
}
