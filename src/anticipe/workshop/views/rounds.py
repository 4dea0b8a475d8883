"""The rounds (facilitator side): the method's seven steps the panel answers, their rounds
prepared, opened and closed by the facilitator, and live progress (who has answered and the
panel's amount, never what).
A later iteration (Delphi) of the vote, the matrix or the hypothesis votes counts every
expert's latest answer, or only its own respondents (:func:`round_respondents`).

The facilitator's syntheses between rounds (the experts' proposals merged into change
factors, the shortlist of the weighted vote) are decisions: :mod:`.desk.factor_proposals`
and :mod:`.desk.shortlist`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from anticipe.workshop import rules
from anticipe.workshop.access import editable_study, facilitated_study
from anticipe.workshop.forms.rounds import SETTINGS_FORMS, RespondentsOnlyForm, RoundSettingsForm
from anticipe.workshop.models import AuditEvent, Round, Study
from anticipe.workshop.results.steps import NUMERIC_STEPS
from anticipe.workshop.views.helpers import is_htmx, posted

# -- round settings in words ---------------------------------------------------------------------


def factor_vote_summary(study: Study, settings: dict[str, Any], round_: Round) -> list[str]:
    points = int(settings.get("points_per_expert", rules.DEFAULT_POINTS_PER_EXPERT))
    lines = [
        ngettext("%(points)s point per expert.", "%(points)s points per expert.", points)
        % {"points": points}
    ]
    if settings.get("shortlist_size"):
        lines.append(_("Keep %(size)s factors.") % {"size": settings["shortlist_size"]})
    return lines


def influence_summary(study: Study, settings: dict[str, Any], round_: Round) -> list[str]:
    codes = rules.influence_factors(study, round_)
    if settings.get("factors"):
        return [_("Factors: %(codes)s.") % {"codes": ", ".join(codes)}]
    return [
        _("Factors fixed at opening: the shortlist (now %(count)s: %(codes)s).")
        % {"count": len(codes), "codes": ", ".join(codes) or "—"}
    ]


def hypothesis_vote_summary(study: Study, settings: dict[str, Any], round_: Round) -> list[str]:
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


# The settings of a round in words, for the steps that have settings.
SETTINGS_SUMMARIES: dict[str, Callable[[Study, dict[str, Any], Round], list[str]]] = {
    Round.Step.FACTOR_VOTE: factor_vote_summary,
    Round.Step.INFLUENCE: influence_summary,
    Round.Step.HYPOTHESIS_VOTE: hypothesis_vote_summary,
}


def settings_summary(study: Study, round_: Round) -> list[str]:
    """The round's settings in words, for the rounds page; for a later iteration of a step
    the method core computes on, how its answers count."""
    summary = SETTINGS_SUMMARIES.get(round_.step)
    lines = summary(study, round_.settings, round_) if summary else []
    if is_delphi_iteration(round_):
        lines.append(
            _("Only the answers given in this iteration count.")
            if round_.respondents_only
            else _("Every expert's latest answer counts: one who does not answer keeps theirs.")
        )
    return lines


def is_delphi_iteration(round_: Round) -> bool:
    """A later iteration of a step whose answers the method core computes on: its answers
    count with the experts' earlier ones (standing answers) or alone."""
    return round_.iteration > 1 and round_.step in NUMERIC_STEPS


# -- helpers ------------------------------------------------------------------------------------


def study_round(study: Study, round_id: int) -> Round:
    return get_object_or_404(Round.objects.select_related("study"), pk=round_id, study=study)


def to_rounds(study: Study, round_: Round | None = None) -> HttpResponse:
    url = reverse("workshop:rounds", args=[study.pk])
    return redirect(f"{url}#step-{round_.step}" if round_ else url)


def refused(request: HttpRequest, study: Study, round_: Round, refusal: str) -> HttpResponse:
    """Why the round cannot do that now, said on the rounds page at its step."""
    messages.error(request, refusal)
    return to_rounds(study, round_)


def recorded(
    request: HttpRequest, study: Study, round_: Round, action: str, done: str, **detail: Any
) -> HttpResponse:
    """A change to a round done: recorded in the audit log (with the round's step and
    iteration), said, and back to the rounds page at its step."""
    AuditEvent.record(
        study, request.user, action, step=round_.step, iteration=round_.iteration, **detail
    )
    messages.success(request, done)
    return to_rounds(study, round_)


# -- the rounds page ----------------------------------------------------------------------------


def step_row(
    study: Study, number: int, value: str, label: str, rounds: list[Round], next_step: str
) -> dict[str, Any]:
    """One step of the method on the rounds page, with its rounds (iterations) and their
    settings and progress; a step without a round says why it cannot start yet, and only
    the method's next step offers its round as the primary action."""
    return {
        "number": number,
        "value": value,
        "label": label,
        "is_next": value == next_step,
        "refusal": None if rounds else rules.step_refusal(study, value),
        "has_settings": value in SETTINGS_FORMS,
        "latest": rounds[-1] if rounds else None,
        "answered": any(r.status != Round.Status.DRAFT for r in rounds),
        "rounds": [
            {
                "round": r,
                "settings": settings_summary(study, r),
                "progress": rules.round_progress(r) if r.status != Round.Status.DRAFT else None,
                "can_next": r is rounds[-1] and r.status == Round.Status.CLOSED,
                "refusal": rules.refusal_to_open(r) if r.status == Round.Status.DRAFT else None,
                "respondents_form": RespondentsOnlyForm(
                    initial={"respondents_only": r.respondents_only}, prefix=f"r{r.pk}"
                )
                if is_delphi_iteration(r) and r.status == Round.Status.DRAFT
                else None,
            }
            for r in rounds
        ],
    }


@login_required
def rounds(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    by_step: dict[str, list[Round]] = {}
    for round_ in study.rounds.order_by("iteration", "id"):
        by_step.setdefault(round_.step, []).append(round_)
    next_step = next((step.key for step in rules.study_path(study) if step.is_next), "")
    steps = [
        # numbered as on the study's path (1 is the job's perimeter, which has no round)
        step_row(
            study,
            rules.PATH_STEPS.index(value) + 1,
            value,
            str(label),
            by_step.get(value, []),
            next_step,
        )
        for value, label in Round.Step.choices
    ]
    return render(
        request,
        "workshop/rounds/rounds.html",
        {"study": study, "steps": steps, "running": study.decisions_are_open()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, study_id: int, step: str) -> HttpResponse:
    study = editable_study(request, study_id)
    if step not in Round.Step.values:
        raise Http404
    label = Round.Step(step).label
    if study.rounds.filter(step=step).exists():
        messages.error(
            request,
            _("This step already has a round: start its next iteration instead."),
        )
        return to_rounds(study)
    form_class = SETTINGS_FORMS.get(step, RoundSettingsForm)
    form = form_class(*posted(request), study=study)
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


def save_settings(round_: Round, form: RoundSettingsForm) -> tuple[Round, str | None]:
    """Write the form into the round's settings, under the round's lock (unless it opened in
    the meantime): the round as saved, and why it was not, if it was not."""
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        refusal = rules.refusal_to_change_settings(locked)
        if refusal is None:
            locked.settings = form.round_settings(locked.settings)
            locked.save(update_fields=["settings"])
    return locked, refusal


@login_required
@require_http_methods(["GET", "POST"])
def round_settings_edit(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Change the settings of a round not opened yet (for a Delphi iteration: ask again only
    some hypotheses, for instance)."""
    study = editable_study(request, study_id)
    round_ = study_round(study, round_id)
    form_class = SETTINGS_FORMS.get(round_.step)
    if form_class is None:
        raise Http404
    if refusal := rules.refusal_to_change_settings(round_):
        return refused(request, study, round_, refusal)
    form = form_class(*posted(request), initial=form_class.initial_of(round_.settings), study=study)
    if request.method == "POST" and form.is_valid():
        locked, refusal = save_settings(round_, form)
        if refusal:
            return refused(request, study, round_, refusal)
        return recorded(
            request,
            study,
            locked,
            "round_settings_changed",
            _("The settings of “%(round)s” are saved.") % {"round": locked},
            settings=locked.settings,
        )
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
def round_respondents(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Whether a later iteration counts only its respondents (until it opens); recorded."""
    study = editable_study(request, study_id)
    round_ = study_round(study, round_id)
    if not is_delphi_iteration(round_):
        raise Http404
    if refusal := rules.refusal_to_change_settings(round_):
        return refused(request, study, round_, refusal)
    form = RespondentsOnlyForm(request.POST, prefix=f"r{round_.pk}")
    form.is_valid()  # a checkbox: always valid
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if (refusal := rules.refusal_to_change_settings(locked)) is not None:
            return refused(request, study, round_, refusal)
        locked.respondents_only = bool(form.cleaned_data.get("respondents_only"))
        locked.save(update_fields=["respondents_only"])
    return recorded(
        request,
        study,
        locked,
        "round_respondents_changed",
        _("“%(round)s”: only this iteration's answers will count.") % {"round": locked}
        if locked.respondents_only
        else _("“%(round)s”: every expert's latest answer will count.") % {"round": locked},
        respondents_only=locked.respondents_only,
    )


@login_required
@require_POST
def round_open(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    round_ = study_round(study, round_id)
    if refusal := rules.refusal_to_open(round_):
        return refused(request, study, round_, refusal)
    rules.open_round(round_)
    return recorded(
        request,
        study,
        round_,
        "round_opened",
        _("“%(round)s” is open: experts can answer.") % {"round": round_},
        settings=round_.settings,
    )


@login_required
@require_POST
def round_close(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    round_ = study_round(study, round_id)
    if refusal := rules.refusal_to_close(round_):
        return refused(request, study, round_, refusal)
    round_.close()  # under the round's lock: a save in progress is either kept or refused
    progress = rules.round_progress(round_)
    return recorded(
        request,
        study,
        round_,
        "round_closed",
        _("“%(round)s” is closed: no more answers.") % {"round": round_},
        answered=progress.answered_count,
    )


@login_required
@require_POST
def round_reopen(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    round_ = study_round(study, round_id)
    if refusal := rules.refusal_to_reopen(round_):
        return refused(request, study, round_, refusal)
    round_.open()
    return recorded(
        request,
        study,
        round_,
        "round_reopened",
        _("“%(round)s” is open again.") % {"round": round_},
    )


@login_required
@require_POST
def round_next_iteration(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """A Delphi round: iteration n+1 of the step, with the same settings."""
    study = editable_study(request, study_id)
    round_ = study_round(study, round_id)
    if refusal := rules.refusal_of_next_iteration(round_):
        return refused(request, study, round_, refusal)
    try:
        with transaction.atomic():
            new = rules.next_iteration(round_)
    except IntegrityError:
        return refused(request, study, round_, _("A later iteration of this step already exists."))
    return recorded(
        request,
        study,
        new,
        "round_iteration_created",
        _("“%(round)s” is ready to open.") % {"round": new},
        settings=new.settings,
    )


@login_required
@require_POST
def round_delete(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Delete a round prepared by mistake (never opened: no expert has seen it)."""
    study = editable_study(request, study_id)
    round_ = study_round(study, round_id)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if refusal := rules.refusal_to_delete(locked):
            return refused(request, study, round_, refusal)
        locked.delete()
    AuditEvent.record(
        study,
        request.user,
        "round_deleted",
        step=round_.step,
        iteration=round_.iteration,
        settings=round_.settings,
    )
    messages.success(request, _("The round “%(round)s” is deleted.") % {"round": round_})
    return to_rounds(study)


@login_required
def round_progress(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Who has answered the round, and the panel's amount (never what); polled while it is
    open."""
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


urlpatterns: list[URLPattern] = [
    path("studies/<int:study_id>/rounds/", rounds, name="rounds"),
    path("studies/<int:study_id>/rounds/new/<str:step>/", round_create, name="round_create"),
    path(
        "studies/<int:study_id>/rounds/<int:round_id>/settings/",
        round_settings_edit,
        name="round_settings_edit",
    ),
    path(
        "studies/<int:study_id>/rounds/<int:round_id>/respondents/",
        round_respondents,
        name="round_respondents",
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
        "studies/<int:study_id>/rounds/<int:round_id>/delete/",
        round_delete,
        name="round_delete",
    ),
    path(
        "studies/<int:study_id>/rounds/<int:round_id>/progress/",
        round_progress,
        name="round_progress",
    ),
]
