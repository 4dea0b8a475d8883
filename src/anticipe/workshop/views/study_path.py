"""The method's path on the study page: each step with its status and the one action that
moves it on (the page's primary button is the next step's). The statuses and refusals are
:func:`anticipe.workshop.rules.study_path`'s; this module only words them and links them
to the pages that act."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from anticipe.workshop import rules
from anticipe.workshop.forms.rounds import SETTINGS_FORMS
from anticipe.workshop.models import Round, Study
from anticipe.workshop.rules import PathStatus, PathStep

STEP_LABELS: dict[str, Promise] = {
    rules.PERIMETER: _("The job's perimeter: activities and tasks"),
    Round.Step.PROPOSALS: _("Change factors: proposals"),
    Round.Step.FACTOR_VOTE: _("Weighted vote and shortlist"),
    Round.Step.INFLUENCE: _("Influence matrix and key factors"),
    Round.Step.SITUATIONS: _("Current and future situations"),
    Round.Step.HYPOTHESIS_VOTE: _("Hypothesis votes and retention"),
    Round.Step.ACTIONS: _("Actions"),
    Round.Step.IMPACTS: _("Impacts on activities and competences"),
    rules.REPORT: _("Report"),
}

STATUS_LABELS: dict[str, Promise] = {
    PathStatus.NOT_STARTED: _("not started"),
    PathStatus.DRAFT: _("prepared, not opened"),
    PathStatus.OPEN: _("open"),
    PathStatus.CLOSED: _("closed: your decision next"),
    PathStatus.DECIDED: _("done"),
}

# The facilitator's decision after each step's round: (page, what the button says).
DECISIONS: dict[str, tuple[str, Promise]] = {
    rules.PERIMETER: ("workshop:perimeter", _("Describe the job's activities and tasks")),
    Round.Step.PROPOSALS: ("workshop:proposals", _("Merge the proposals into change factors")),
    Round.Step.FACTOR_VOTE: ("workshop:shortlist", _("Confirm the shortlist")),
    Round.Step.INFLUENCE: ("workshop:key_factors", _("Choose the key factors")),
    Round.Step.SITUATIONS: ("workshop:key_factors", _("Write the key factors' hypotheses")),
    Round.Step.HYPOTHESIS_VOTE: (
        "workshop:results_hypotheses",
        _("Retain one hypothesis per key factor"),
    ),
    Round.Step.ACTIONS: ("workshop:action_plan", _("Write the action plan")),
    Round.Step.IMPACTS: ("workshop:impacts_table", _("Fill in the impact table")),
    rules.REPORT: ("workshop:report", _("Make the report")),
}


@dataclass(frozen=True)
class PathAction:
    """A step's action: a link (GET) or a form's button (POST); `disabled` with its reason."""

    label: str
    url: str
    post: bool = False
    refusal: str | None = None


@dataclass(frozen=True)
class PathRow:
    number: int
    step: PathStep
    label: str
    status_label: str
    action: PathAction | None


def step_action(study: Study, step: PathStep, running: bool) -> PathAction | None:
    """What moves the step on now (None: nothing to do from the study page)."""
    key, status = step.key, step.status
    args = [study.pk]
    if step.is_round and running:
        if status == PathStatus.NOT_STARTED:
            url = reverse("workshop:round_create", args=[*args, key])
            post = key not in SETTINGS_FORMS
            return PathAction(str(_("Prepare the round")), url, post=post, refusal=step.refusal)
        if status == PathStatus.DRAFT and step.round is not None:
            url = reverse("workshop:round_open", args=[*args, step.round.pk])
            return PathAction(str(_("Open the round")), url, post=True, refusal=step.refusal)
    if step.is_round and status == PathStatus.OPEN:
        url = reverse("workshop:rounds", args=args) + f"#step-{key}"
        return PathAction(str(_("Follow the answers")), url)
    if key == rules.REPORT and not (step.is_next or status == PathStatus.DECIDED):
        return None  # the report comes once the steps before it are done
    if status in (PathStatus.CLOSED, PathStatus.DECIDED) or not step.is_round:
        page, label = DECISIONS[key]
        if key == rules.REPORT and status == PathStatus.DECIDED:
            return PathAction(str(_("Download the report")), reverse(page, args=args))
        return PathAction(str(label), reverse(page, args=args))
    return None


def path_rows(study: Study) -> list[PathRow]:
    """The method's path for the study page, in order."""
    running = study.decisions_are_open()
    return [
        PathRow(
            number,
            step,
            str(STEP_LABELS[step.key]),
            str(STATUS_LABELS[step.status]),
            step_action(study, step, running),
        )
        for number, step in enumerate(rules.study_path(study), start=1)
    ]
