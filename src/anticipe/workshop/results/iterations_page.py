"""The Delphi iterations page: the aggregates of every closed iteration of a step side by
side. What is compared is the step's own (``iterations`` in :data:`.steps.STEPS`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from anticipe.workshop.models import Study
from anticipe.workshop.results.steps import STEPS, round_aggregates
from anticipe.workshop.results.tables import parameter_table
from anticipe.workshop.study_format import iterations


def iterations_page(study: Study, step: str) -> dict[str, Any]:
    """The aggregates of every closed iteration of a step, side by side."""
    rules = STEPS[step]
    rounds = iterations(study, step)
    aggregates = [round_aggregates(study, round_) for round_ in rounds]
    labels = [f"{_('iteration')} {r.iteration}" for r in rounds]
    page: dict[str, Any] = {"rounds": rounds, "step": step}
    page.update(rules.iterations(study, rounds, aggregates, labels))
    page["parameters"] = _iteration_parameters(step, aggregates)
    page["tables"].append(parameter_table(page["parameters"]))
    return page


def _iteration_parameters(
    step: str, aggregates: list[dict[str, Any] | None]
) -> list[tuple[str, str]]:
    """The parameters of the computations behind the iterations (the same for each): those
    of the last iteration that computed something."""
    for found in reversed(aggregates):
        found_parameters = STEPS[step].parameters(found) if found else None
        if found_parameters is not None:
            return found_parameters
    return []
