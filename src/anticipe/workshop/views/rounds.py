"""The rounds (facilitator side): the seven steps of the method, their rounds opened and
closed by the facilitator, live progress (who and how much, never what), and the
facilitator's synthesis between rounds: merging the experts' proposals into change
factors, and confirming the shortlist of the weighted vote.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anticipe.method.errors import MethodInputError
from anticipe.study.analysis import analyse_factor_vote
from anticipe.study.errors import StudyInputError
from anticipe.workshop import rules
from anticipe.workshop.access import facilitated_study
from anticipe.workshop.models import (
    AuditEvent,
    Factor,
    FactorProposal,
    Hypothesis,
    Round,
    Study,
)
from anticipe.workshop.study_format import answered_round, export_study

# -- round settings -----------------------------------------------------------------------------


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


SETTINGS_FORMS: dict[str, type[RoundSettingsForm]] = {
    Round.Step.FACTOR_VOTE: FactorVoteSettingsForm,
    Round.Step.HYPOTHESIS_VOTE: HypothesisVoteSettingsForm,
}


def settings_summary(study: Study, round_: Round) -> list[str]:
    """The round's settings in words, for the rounds page."""
    settings = round_.settings
    if round_.step == Round.Step.FACTOR_VOTE:
        points = int(settings.get("points_per_expert", rules.DEFAULT_POINTS_PER_EXPERT))
        lines = [
            ngettext("%(points)s point per expert.", "%(points)s points per expert.", points)
            % {"points": points}
        ]
        if settings.get("shortlist_size"):
            lines.append(_("Keep %(size)s factors.") % {"size": settings["shortlist_size"]})
        return lines
    if round_.step == Round.Step.INFLUENCE:
        codes = rules.influence_factors(study, round_)
        if settings.get("factors"):
            return [_("Factors: %(codes)s.") % {"codes": ", ".join(codes)}]
        return [
            _("Factors fixed at opening: the shortlist (now %(count)s: %(codes)s).")
            % {"count": len(codes), "codes": ", ".join(codes) or "—"}
        ]
    if round_.step == Round.Step.HYPOTHESIS_VOTE:
        p = settings.get("probability_scale", rules.DEFAULT_SCALE)
        d = settings.get("desirability_scale", rules.DEFAULT_SCALE)
        lines = [
            _("Probability from %(min)s to %(max)s.") % p,
            _("Desirability from %(min)s to %(max)s.") % d,
        ]
        if settings.get("hypotheses"):
            lines.append(
                _("Hypotheses asked: %(codes)s.") % {"codes": ", ".join(settings["hypotheses"])}
            )
        return lines
    return []


# -- helpers ------------------------------------------------------------------------------------


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def study_round(study: Study, round_id: int) -> Round:
    return get_object_or_404(Round.objects.select_related("study"), pk=round_id, study=study)


def to_rounds(study: Study, round_: Round | None = None) -> HttpResponse:
    url = reverse("workshop:rounds", args=[study.pk])
    return redirect(f"{url}#step-{round_.step}" if round_ else url)


# -- the rounds page ----------------------------------------------------------------------------


@login_required
def rounds(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    by_step: dict[str, list[Round]] = {}
    for round_ in study.rounds.order_by("iteration", "id"):
        by_step.setdefault(round_.step, []).append(round_)
    steps = []
    for number, (value, label) in enumerate(Round.Step.choices, start=1):
        step_rounds = by_step.get(value, [])
        steps.append(
            {
                "number": number,
                "value": value,
                "label": label,
                "has_settings": value in SETTINGS_FORMS,
                "latest": step_rounds[-1] if step_rounds else None,
                "answered": any(r.status != Round.Status.DRAFT for r in step_rounds),
                "rounds": [
                    {
                        "round": r,
                        "settings": settings_summary(study, r),
                        "progress": (
                            rules.round_progress(r) if r.status != Round.Status.DRAFT else None
                        ),
                        "can_next": r is step_rounds[-1] and r.status == Round.Status.CLOSED,
                    }
                    for r in step_rounds
                ],
            }
        )
    return render(
        request,
        "workshop/rounds/rounds.html",
        {"study": study, "steps": steps, "running": study.decisions_are_open()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, study_id: int, step: str) -> HttpResponse:
    study = facilitated_study(request, study_id)
    if step not in Round.Step.values:
        raise Http404
    label = Round.Step(step).label
    if not study.decisions_are_open():
        messages.error(request, _("The study is published: no new round can be created."))
        return to_rounds(study)
    if study.rounds.filter(step=step).exists():
        messages.error(
            request,
            _("This step already has a round: start its next iteration instead."),
        )
        return to_rounds(study)
    form_class = SETTINGS_FORMS.get(step, RoundSettingsForm)
    form = form_class(request.POST if request.method == "POST" else None, study=study)
    if request.method == "POST" and form.is_valid():
        settings = form.round_settings()
        try:
            with transaction.atomic():
                round_ = Round.objects.create(study=study, step=step, settings=settings)
        except IntegrityError:
            messages.error(request, _("This step already has a round."))
            return to_rounds(study)
        AuditEvent.record(
            study, request.user, "round_created", step=step, iteration=1, settings=settings
        )
        messages.success(request, _("The round “%(round)s” is ready to open.") % {"round": label})
        return to_rounds(study, round_)
    return render(
        request,
        "workshop/rounds/round_form.html",
        {"study": study, "form": form, "step": step, "step_label": label},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_settings_edit(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Change the settings of a round not opened yet (for a Delphi iteration: ask again only
    some hypotheses, for instance)."""
    study = facilitated_study(request, study_id)
    round_ = study_round(study, round_id)
    form_class = SETTINGS_FORMS.get(round_.step)
    if form_class is None:
        raise Http404
    refusal = rules.refusal_to_change_settings(round_)
    if refusal:
        messages.error(request, refusal)
        return to_rounds(study, round_)
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial=form_class.initial_of(round_.settings),
        study=study,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = Round.objects.select_for_update().get(pk=round_.pk)
            refusal = rules.refusal_to_change_settings(locked)
            if refusal is None:
                locked.settings = form.round_settings(locked.settings)
                locked.save(update_fields=["settings"])
        if refusal:
            messages.error(request, refusal)
            return to_rounds(study, round_)
        AuditEvent.record(
            study,
            request.user,
            "round_settings_changed",
            step=locked.step,
            iteration=locked.iteration,
            settings=locked.settings,
        )
        messages.success(request, _("The settings of “%(round)s” are saved.") % {"round": locked})
        return to_rounds(study, locked)
    return render(
        request,
        "workshop/rounds/round_form.html",
        {
            "study": study,
            "form": form,
            "step": round_.step,
            "step_label": str(round_),
            "round": round_,
        },
    )


@login_required
@require_POST
def round_open(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    round_ = study_round(study, round_id)
    refusal = rules.refusal_to_open(round_)
    if refusal:
        messages.error(request, refusal)
        return to_rounds(study, round_)
    rules.open_round(round_)
    AuditEvent.record(
        study,
        request.user,
        "round_opened",
        step=round_.step,
        iteration=round_.iteration,
        settings=round_.settings,
    )
    messages.success(request, _("“%(round)s” is open: experts can answer.") % {"round": round_})
    return to_rounds(study, round_)


@login_required
@require_POST
def round_close(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    round_ = study_round(study, round_id)
    refusal = rules.refusal_to_close(round_)
    if refusal:
        messages.error(request, refusal)
        return to_rounds(study, round_)
    round_.close()  # under the round's lock: a save in progress is either kept or refused
    progress = rules.round_progress(round_)
    AuditEvent.record(
        study,
        request.user,
        "round_closed",
        step=round_.step,
        iteration=round_.iteration,
        answered=progress.answered_count,
        finished=progress.finished_count,
    )
    messages.success(request, _("“%(round)s” is closed: no more answers.") % {"round": round_})
    return to_rounds(study, round_)


@login_required
@require_POST
def round_reopen(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    round_ = study_round(study, round_id)
    refusal = rules.refusal_to_reopen(round_)
    if refusal:
        messages.error(request, refusal)
        return to_rounds(study, round_)
    round_.open()
    AuditEvent.record(
        study, request.user, "round_reopened", step=round_.step, iteration=round_.iteration
    )
    messages.success(request, _("“%(round)s” is open again.") % {"round": round_})
    return to_rounds(study, round_)


@login_required
@require_POST
def round_next_iteration(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """A Delphi round: iteration n+1 of the step, with the same settings."""
    study = facilitated_study(request, study_id)
    round_ = study_round(study, round_id)
    refusal = rules.refusal_of_next_iteration(round_)
    if refusal:
        messages.error(request, refusal)
        return to_rounds(study, round_)
    try:
        with transaction.atomic():
            new = rules.next_iteration(round_)
    except IntegrityError:
        messages.error(request, _("A later iteration of this step already exists."))
        return to_rounds(study, round_)
    AuditEvent.record(
        study,
        request.user,
        "round_iteration_created",
        step=new.step,
        iteration=new.iteration,
        settings=new.settings,
    )
    messages.success(request, _("“%(round)s” is ready to open.") % {"round": new})
    return to_rounds(study, new)


@login_required
def round_progress(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Who has answered the round and how much (never what); polled while it is open."""
    study = facilitated_study(request, study_id)
    round_ = study_round(study, round_id)
    if round_.status == Round.Status.DRAFT:
        raise Http404
    context = {"study": study, "progress": rules.round_progress(round_)}
    template = (
        "workshop/rounds/progress.html"
        if is_htmx(request)
        else "workshop/rounds/progress_page.html"
    )
    return render(request, template, context)


# -- synthesis 1: the experts' proposals merged into change factors ----------------------------


class MergeForm(forms.Form):
    proposals = forms.ModelMultipleChoiceField(
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


def proposals_context(study: Study, form: MergeForm | None = None) -> dict[str, Any]:
    proposals = list(rules.study_proposals(study))
    grouped: dict[int, dict[str, Any]] = {}
    for proposal in proposals:
        if proposal.factor is not None:
            grouped.setdefault(proposal.factor.pk, {"factor": proposal.factor, "proposals": []})[
                "proposals"
            ].append(proposal)
    return {
        "study": study,
        "form": form or MergeForm(study=study),
        "loose": [p for p in proposals if p.factor_id is None],
        "factors": sorted(grouped.values(), key=lambda g: (g["factor"].position, g["factor"].pk)),
        "proposal_count": len(proposals),
        "vote_open": study.rounds.open().filter(step=Round.Step.FACTOR_VOTE).exists(),
    }


@login_required
def proposals(request: HttpRequest, study_id: int) -> HttpResponse:
    """The experts' proposals, anonymous (no expert next to a proposal), to merge."""
    study = facilitated_study(request, study_id)
    return render(request, "workshop/rounds/proposals.html", proposals_context(study))


@login_required
@require_POST
def proposals_merge(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    form = MergeForm(request.POST, study=study)
    if not form.is_valid():
        return render(
            request, "workshop/rounds/proposals.html", proposals_context(study, form), status=400
        )
    chosen = list(form.cleaned_data["proposals"])
    factor = form.cleaned_data["factor"]
    created = factor is None
    if not study.decisions_are_open():
        messages.error(request, _("The study is published: its factors cannot change."))
        return redirect("workshop:proposals", study_id=study.pk)
    if created and study.rounds.open().filter(step=Round.Step.FACTOR_VOTE).exists():
        messages.error(
            request, _("The vote on the factors is open: close it before adding a factor.")
        )
        return redirect("workshop:proposals", study_id=study.pk)
    if created:
        factor = rules.factor_from_proposals(
            study,
            chosen,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )
    else:
        FactorProposal.objects.filter(pk__in=[p.pk for p in chosen]).update(factor=factor)
    AuditEvent.record(
        study,
        request.user,
        "proposals_merged",
        factor=factor.code,
        created=created,
        proposals=sorted(p.pk for p in chosen),
    )
    messages.success(
        request,
        ngettext(
            "%(count)s proposal makes up the factor %(code)s.",
            "%(count)s proposals make up the factor %(code)s.",
            len(chosen),
        )
        % {"count": len(chosen), "code": factor.code},
    )
    return redirect("workshop:proposals", study_id=study.pk)


@login_required
@require_POST
def proposal_detach(request: HttpRequest, study_id: int, proposal_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    proposal = get_object_or_404(rules.study_proposals(study), pk=proposal_id)
    if proposal.factor is not None:
        code = proposal.factor.code
        proposal.factor = None
        proposal.save(update_fields=["factor", "updated_at"])
        AuditEvent.record(
            study, request.user, "proposal_detached", factor=code, proposal=proposal.pk
        )
        messages.success(request, _("The proposal is no longer part of %(code)s.") % {"code": code})
    return redirect("workshop:proposals", study_id=study.pk)


@login_required
def proposals_factor_edit(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """Edit the wording of a factor made of proposals."""
    study = facilitated_study(request, study_id)
    factor = get_object_or_404(Factor, pk=factor_id, study=study)
    before = factor.title
    form = FactorWordingForm(request.POST if request.method == "POST" else None, instance=factor)
    if request.method == "POST":
        if not study.decisions_are_open():
            messages.error(request, _("The study is published: its factors cannot change."))
            return redirect("workshop:proposals", study_id=study.pk)
        if form.is_valid():
            form.save()
            AuditEvent.record(
                study,
                request.user,
                "factor_wording_edited",
                factor=factor.code,
                before=before,
                after=factor.title,
            )
            messages.success(
                request, _("The wording of %(code)s is saved.") % {"code": factor.code}
            )
            return redirect("workshop:proposals", study_id=study.pk)
    return render(
        request,
        "workshop/rounds/factor_form.html",
        {
            "study": study,
            "factor": factor,
            "form": form,
            "proposals": rules.study_proposals(study).filter(factor=factor),
        },
    )


# -- synthesis 2: the ranking of the weighted vote and the shortlist -----------------------------


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


def vote_analysis(study: Study) -> tuple[Mapping[str, Any] | None, str | None]:
    """The core's analysis of the latest factor vote (ranking, shortlist cut with ties),
    or the reason it cannot be computed."""
    try:
        return analyse_factor_vote(export_study(study)), None
    except StudyInputError as error:
        return None, error.text_in(get_language())
    except MethodInputError as error:
        return None, str(error)


def core_state(code: str, selected: set[str], tied: set[str]) -> str:
    """Where the method's cut puts a factor: "selected", "tied" (at the cut) or ""."""
    if code in selected:
        return "selected"
    return "tied" if code in tied else ""


def shortlist_context(study: Study, form: ShortlistForm | None = None) -> dict[str, Any]:
    analysis, problem = vote_analysis(study)
    factors = {f.code: f for f in study.factors.all()}
    confirmed = any(f.shortlisted for f in factors.values())
    cut = (analysis or {}).get("shortlist") or {}
    selected = set(cut.get("selected", []))
    tied = set(cut.get("tied_at_cut", [])) - selected
    chosen: set[int] | None = None
    if form is not None and form.is_bound:
        chosen = {int(pk) for pk in form["factors"].value() or [] if str(pk).isdigit()}
    rows = []
    for item in (analysis or {}).get("ranking", []):
        factor = factors[item["factor"]]
        if chosen is not None:
            checked = factor.pk in chosen
        elif confirmed:
            checked = factor.shortlisted
        else:
            checked = factor.code in selected
        rows.append(
            {
                **item,
                "factor": factor,
                "core": "selected"
                if factor.code in selected
                else "tied"
                if factor.code in tied
                else "",
                "checked": checked,
            }
        )
    round_ = answered_round(study, Round.Step.FACTOR_VOTE)
    influence = answered_round(study, Round.Step.INFLUENCE)
    return {
        "study": study,
        "analysis": analysis,
        "problem": problem,
        "rows": rows,
        "cut": cut,
        "tied_count": len(tied),
        "confirmed": confirmed,
        "vote_round": round_,
        "influence_round": influence,
        "form": form or ShortlistForm(study=study),
    }


@login_required
def shortlist(request: HttpRequest, study_id: int) -> HttpResponse:
    """The ranking computed by the method core, and the shortlist to confirm."""
    study = facilitated_study(request, study_id)
    return render(request, "workshop/rounds/shortlist.html", shortlist_context(study))


@login_required
@require_POST
def shortlist_confirm(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    if not study.decisions_are_open():
        messages.error(request, _("The study is published: its decisions cannot change."))
        return redirect("workshop:shortlist", study_id=study.pk)
    if study.rounds.open().filter(step=Round.Step.FACTOR_VOTE).exists():
        messages.error(request, _("The vote is still open: close it before confirming."))
        return redirect("workshop:shortlist", study_id=study.pk)
    form = ShortlistForm(request.POST, study=study)
    if not form.is_valid():
        return render(
            request, "workshop/rounds/shortlist.html", shortlist_context(study, form), status=400
        )
    kept = sorted(form.cleaned_data["factors"], key=lambda f: (f.position, f.pk))
    analysis, _problem = vote_analysis(study)
    cut = (analysis or {}).get("shortlist") or {}
    with transaction.atomic():
        study.factors.exclude(pk__in=[f.pk for f in kept]).update(shortlisted=False)
        study.factors.filter(pk__in=[f.pk for f in kept]).update(shortlisted=True)
    codes = [f.code for f in kept]
    AuditEvent.record(
        study,
        request.user,
        "shortlist_confirmed",
        factors=codes,
        core_selected=cut.get("selected", []),
        tied_at_cut=cut.get("tied_at_cut", []),
        seats_left=cut.get("seats_left", 0),
        reason=form.cleaned_data["reason"],
    )
    messages.success(
        request, _("%(count)s factors are kept for the influence matrix.") % {"count": len(codes)}
    )
    influence = answered_round(study, Round.Step.INFLUENCE)
    if influence is not None:
        messages.warning(
            request,
            _(
                "The influence matrix round already fixed its factors when it opened: "
                "this shortlist applies to a new iteration only."
            ),
        )
    return redirect("workshop:shortlist", study_id=study.pk)


urlpatterns: list[URLPattern] = [
    path("studies/<int:study_id>/rounds/", rounds, name="rounds"),
    path("studies/<int:study_id>/rounds/new/<str:step>/", round_create, name="round_create"),
    path(
        "studies/<int:study_id>/rounds/<int:round_id>/settings/",
        round_settings_edit,
        name="round_settings_edit",
    ),
    path("studies/<int:study_id>/rounds/<int:round_id>/open/", round_open, name="round_open"),
    path("studies/<int:study_id>/rounds/<int:round_id>/close/", round_close, name="round_close"),
    path("studies/<int:study_id>/rounds/<int:round_id>/reopen/", round_reopen, name="round_reopen"),
    path(
        "studies/<int:study_id>/rounds/<int:round_id>/next/",
        round_next_iteration,
        name="round_next_iteration",
    ),
    path(
        "studies/<int:study_id>/rounds/<int:round_id>/progress/",
        round_progress,
        name="round_progress",
    ),
    path("studies/<int:study_id>/rounds/proposals/", proposals, name="proposals"),
    path("studies/<int:study_id>/rounds/proposals/merge/", proposals_merge, name="proposals_merge"),
    path(
        "studies/<int:study_id>/rounds/proposals/<int:proposal_id>/detach/",
        proposal_detach,
        name="proposal_detach",
    ),
    path(
        "studies/<int:study_id>/rounds/proposals/factors/<int:factor_id>/",
        proposals_factor_edit,
        name="proposals_factor_edit",
    ),
    path("studies/<int:study_id>/rounds/shortlist/", shortlist, name="shortlist"),
    path(
        "studies/<int:study_id>/rounds/shortlist/confirm/",
        shortlist_confirm,
        name="shortlist_confirm",
    ),
]
