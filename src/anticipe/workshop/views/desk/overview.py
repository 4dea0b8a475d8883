"""The desk's overview: the rounds of the study and where each stands."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anticipe.workshop.models import (
    Round,
    Study,
)
from anticipe.workshop.results import NUMERIC_STEPS
from anticipe.workshop.views.desk.common import results_study


def _round_rows(study: Study) -> list[dict[str, Any]]:
    rows = []
    for round_ in study.rounds.order_by("created_at", "id"):
        rows.append(
            {
                "round": round_,
                "numeric": round_.step in NUMERIC_STEPS,
                "closed": round_.status == Round.Status.CLOSED,
            }
        )
    return rows


@require_GET
def desk(request: HttpRequest, study_id: int) -> HttpResponse:
    """The desk's home: the rounds, where the results are, the decisions to take."""
    study = results_study(request, study_id)
    facilitator = study.is_facilitated_by(request.user)
    factors = list(study.factors.key())
    return render(
        request,
        "workshop/desk/desk.html",
        {
            "study": study,
            "facilitator": facilitator,
            "rounds": _round_rows(study),
            "key_factors": factors,
            "retained_count": sum(1 for f in factors if f.retained_id),
            "section": "desk",
        },
    )
