"""The expert's home: what is open, what they have done, what is closed; and the page of a
round, for its step."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anticipe.workshop.access import expert_of_study, return_code_of
from anticipe.workshop.models import (
    Round,
)
from anticipe.workshop.views.expert.common import (
    STEPS,
    expert_round,
    progress_of,
)


@require_GET
def expert_home(request: HttpRequest, study_id: int) -> HttpResponse:
    """What is open for the expert, what they have done, what is closed."""
    expert = expert_of_study(request, study_id)
    rounds = list(expert.study.rounds.exclude(status=Round.Status.DRAFT).order_by("created_at"))
    items = [(round_, progress_of(round_, expert)) for round_ in rounds]
    return render(
        request,
        "workshop/expert/home.html",
        {
            "expert": expert,
            "study": expert.study,
            "open_rounds": [item for item in items if item[0].is_open()],
            "closed_rounds": [item for item in items if not item[0].is_open()],
            "return_code": return_code_of(request, study_id),
        },
    )


@require_GET
def answer(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """The page of a round: its step's questions, with the expert's answers."""
    expert, round_ = expert_round(request, study_id, round_id)
    return STEPS[round_.step].page(request, expert, round_)
