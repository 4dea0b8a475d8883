"""The expert's feedback after a round closes (Delphi): the group's result next to their own
answers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from anticipe.workshop.access import expert_of_study
from anticipe.workshop.models import Round
from anticipe.workshop.results import feedback_context
from anticipe.workshop.views.desk.common import is_htmx


@require_GET
def expert_feedback(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """After a round closes: the group's result next to the expert's own answer."""
    expert = expert_of_study(request, study_id)
    round_ = get_object_or_404(Round.objects.closed(), pk=round_id, study_id=expert.study_id)
    context = feedback_context(expert, round_)
    if is_htmx(request):
        return render(request, "workshop/desk/partials/feedback.html", context)
    return render(request, "workshop/desk/expert_feedback.html", context)
