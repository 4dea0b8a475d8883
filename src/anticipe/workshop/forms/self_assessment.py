"""The forms of the self-assessment: publishing it (the competences asked), the smallest
group shown, a group of respondents, and one respondent's answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anticipe.study.limits import MAX_SELF_ASSESSMENT_GROUPS
from anticipe.study.self_assessment import Question, Questionnaire, accepts
from anticipe.workshop.forms.common import CODE_VALIDATOR, DescribedForm
from anticipe.workshop.models import RespondentGroup, SelfAssessment, Study


class PublishForm(DescribedForm, forms.Form):
    """The competences the self-assessment asks (those of the profile, checked)."""

    competences = forms.MultipleChoiceField(
        label=gettext_lazy("Competences asked"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Each is one question. Once published, the questions no longer change."
        ),
        error_messages={
            "required": gettext_lazy("Choose at least one competence to ask."),
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not one of the study's competences: reload the page."
            ),
        },
    )

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["competences"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (c.code, f"{c.code} {c.text}") for c in study.competences.order_by("position", "id")
        ]


class MinGroupSizeForm(DescribedForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = SelfAssessment
        fields = ["min_group_size"]
        widgets = {"min_group_size": forms.NumberInput(attrs={"min": 2, "max": 1000})}
        error_messages = {
            "min_group_size": {
                "min_value": gettext_lazy(
                    "At least %(limit_value)s: one person's counts are their answers."
                ),
                "max_value": gettext_lazy("At most %(limit_value)s."),
                "invalid": gettext_lazy("Type a whole number, such as 5."),
            }
        }


MAX_GROUPS = MAX_SELF_ASSESSMENT_GROUPS  # the study file carries at most this many


class GroupForm(DescribedForm, forms.ModelForm):  # type: ignore[type-arg]
    """A new group: its code (unique in the study) and its label."""

    class Meta:
        model = RespondentGroup
        fields = ["code", "label"]
        help_texts = {
            "code": gettext_lazy("Letters, digits, '.', '_' or '-', such as TRAIN-2027-A."),
            "label": gettext_lazy("Optional, such as “Training group, spring 2027”."),
        }

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.study = study
        self.fields["code"].validators.append(CODE_VALIDATOR)
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.study.respondent_groups.count() >= MAX_GROUPS:
            raise forms.ValidationError(
                _("A study has at most %(limit)d groups.") % {"limit": MAX_GROUPS}
            )
        return cleaned

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if self.study.respondent_groups.filter(code=code).exists():
            raise forms.ValidationError(
                _("The group “%(code)s” exists already: choose another code.") % {"code": code}
            )
        return code


class AnswerRefused(ValueError):  # noqa: N818 (said to the respondent)
    """An answer that cannot be saved, said plainly."""


def checked_answer(questions: Questionnaire, data: Any) -> tuple[Question, str]:
    """The question answered and the level chosen, from what was posted (``competence``,
    ``level``); :class:`AnswerRefused` with what is wrong otherwise."""
    code = data.get("competence", "")
    question = next((q for q in questions["questions"] if q["competence"] == code), None)
    if question is None:
        raise AnswerRefused(
            _("This question is not part of this self-assessment: reload the page.")
        )
    level = data.get("level", "")
    if not level:
        raise AnswerRefused(_("Choose one of the answers first."))
    if not isinstance(level, str) or not accepts(question, level):
        raise AnswerRefused(
            _("This answer is not one of the levels of the question: choose one of those shown.")
        )
    return question, level
