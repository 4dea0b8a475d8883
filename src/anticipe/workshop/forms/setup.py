"""The forms of the study's setup: the study, a study file to import, the perimeter
(activities and tasks), the change factors and the members."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anticipe.workshop.forms.common import DescribedForm, code_field
from anticipe.workshop.models import Activity, Factor, Study, StudyMember, Task

MAX_STUDY_FILE_BYTES = 20 * 1024 * 1024


class OptionalIntegerField(forms.IntegerField):
    """A whole number that may be left out of the form: then it is not a change."""

    def has_changed(self, initial: Any, data: Any) -> bool:
        return data not in (None, "") and super().has_changed(initial, data)


class StudyForm(DescribedForm, forms.ModelForm):  # type: ignore[type-arg]
    horizon_years_min = forms.IntegerField(
        label=gettext_lazy("Horizon from (years)"), min_value=1, max_value=30, initial=3
    )
    horizon_years_max = forms.IntegerField(
        label=gettext_lazy("Horizon to (years)"), min_value=1, max_value=30, initial=5
    )
    min_answers = OptionalIntegerField(
        label=gettext_lazy("Minimum number of answers"),
        help_text=Study._meta.get_field("min_answers").help_text,
        min_value=1,
        max_value=100,
        initial=3,
        required=False,  # left empty: as it was (3 for a new study)
    )

    class Meta:
        model = Study
        fields = [
            "title",
            "job_description",
            "job_code",
            "horizon_years_min",
            "horizon_years_max",
            "horizon_label",
            "language",
            "min_answers",
        ]
        labels = {
            "title": gettext_lazy("Job title"),
            "job_description": gettext_lazy("Description of the job"),
            "job_code": gettext_lazy("Occupation code"),
            "horizon_label": gettext_lazy("Horizon label"),
            "language": gettext_lazy("Language of the study"),
        }
        help_texts = {
            "title": gettext_lazy("The job under study, for example: digital mediator."),
            "job_code": gettext_lazy("Optional: an ESCO or ROME code, for example."),
            "horizon_label": gettext_lazy(
                "Optional: the years the study looks at, e.g. 2029-2031."
            ),
            "language": gettext_lazy("The language of the study's texts and of its report."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["job_description"].widget.attrs["rows"] = 4

    def clean_min_answers(self) -> int:
        value = self.cleaned_data.get("min_answers")
        if value is None:
            return int(self.instance.min_answers)
        lowest = self.instance.lowest_min_answers()
        if int(value) < lowest:
            raise forms.ValidationError(
                _(
                    "Answers have been collected: the minimum can be raised, not lowered "
                    "below %(lowest)s (results of fewer experts could tell who answered)."
                )
                % {"lowest": lowest}
            )
        return int(value)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        low, high = cleaned.get("horizon_years_min"), cleaned.get("horizon_years_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "horizon_years_max",
                _("The horizon cannot end before it starts: give a number of years ≥ %(low)s.")
                % {"low": low},
            )
        return cleaned


class ImportForm(DescribedForm, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Study file (.json)"),
        help_text=gettext_lazy(
            "A study file exported from Anticipe or written with the anticipe command. "
            "The import creates a new study; you become its facilitator."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_STUDY_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(megabytes)s MB).")
                % {"megabytes": MAX_STUDY_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class ActivityForm(DescribedForm, forms.ModelForm):  # type: ignore[type-arg]
    code = code_field(gettext_lazy("Unique within the study, for example 1, 2, 3."))

    class Meta:
        model = Activity
        fields = ["code", "title", "description"]
        labels = {
            "title": gettext_lazy("Activity"),
            "description": gettext_lazy("Explanatory content"),
        }

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.study = study
        self.fields["description"].widget.attrs["rows"] = 3

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        taken = self.study.activities.filter(code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _(
                    "Another activity of this study already has the code “%(code)s”: "
                    "each activity needs its own code."
                )
                % {"code": code}
            )
        return code


class TaskForm(DescribedForm, forms.ModelForm):  # type: ignore[type-arg]
    code = code_field(gettext_lazy("Unique within the study, for example 1.1, 1.2."))

    class Meta:
        model = Task
        fields = ["code", "title"]
        labels = {"title": gettext_lazy("Task")}

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.study = study

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        taken = Task.objects.filter(activity__study=self.study, code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _(
                    "Another task of this study already has the code “%(code)s”: "
                    "task codes are unique within the study."
                )
                % {"code": code}
            )
        return code


class TaskEditForm(TaskForm):
    """A task's wording, and the activity it belongs to."""

    activity = forms.ModelChoiceField(
        queryset=Activity.objects.none(), label=gettext_lazy("Activity"), empty_label=None
    )

    class Meta(TaskForm.Meta):
        fields = ["code", "title", "activity"]

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, study=study, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = study.activities_in_order()


class FactorForm(DescribedForm, forms.ModelForm):  # type: ignore[type-arg]
    code = code_field(gettext_lazy("Unique within the study, for example A1, A2."))

    class Meta:
        model = Factor
        fields = ["code", "title", "description", "reworded_title"]
        labels = {
            "title": gettext_lazy("Factor"),
            "description": gettext_lazy("Description"),
            "reworded_title": gettext_lazy("Reworded title"),
        }
        help_texts = {
            "reworded_title": gettext_lazy(
                "Optional: a rewording agreed later in the study; it is shown instead of "
                "the first wording."
            ),
        }

    def __init__(self, *args: Any, study: Study, code_editable: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.study = study
        if not code_editable:
            del self.fields["code"]
        self.fields["description"].widget.attrs["rows"] = 3

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if self.study.factors.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _(
                    "Another factor of this study already has the code “%(code)s”: "
                    "factor codes are unique within the study."
                )
                % {"code": code}
            )
        return code


class MemberForm(DescribedForm, forms.Form):
    username = forms.CharField(
        label=gettext_lazy("User name"),
        max_length=150,
        help_text=gettext_lazy(
            "An existing account: the site administrator creates accounts in the "
            "administration pages."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=StudyMember.Role.choices,
        help_text=gettext_lazy(
            "A facilitator runs the study with you; an observer reads its results once "
            "it is published."
        ),
    )

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.study = study

    def clean_username(self) -> Any:
        username = str(self.cleaned_data["username"]).strip()
        user = get_user_model().objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _(
                    "No account has the user name “%(username)s”. Check the spelling, or ask "
                    "the site administrator to create the account."
                )
                % {"username": username}
            )
        if self.study.members.filter(user=user).exists():
            raise forms.ValidationError(
                _("%(username)s is already a member of this study; change their role below.")
                % {"username": user.get_username()}
            )
        return user


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=StudyMember.Role.choices)


class DuplicateForm(forms.Form):
    """What a study's copy takes besides its perimeter and factors."""

    hypotheses = forms.BooleanField(
        label=gettext_lazy("Copy the evolution hypotheses too"),
        help_text=gettext_lazy("Their text only: never the experts' votes on them."),
        required=False,
    )


class DeleteStudyForm(forms.Form):
    """Deleting a study is confirmed by typing its title."""

    title = forms.CharField(label=gettext_lazy("The study's title"), max_length=200)

    def __init__(self, *args: Any, study: Study, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.study = study
        self.fields["title"].widget.attrs["autocomplete"] = "off"

    def clean_title(self) -> str:
        typed = " ".join(str(self.cleaned_data["title"]).split())
        if typed != " ".join(self.study.title.split()):
            raise forms.ValidationError(
                _("Type the study's title exactly as it is written above to delete it.")
            )
        return typed
