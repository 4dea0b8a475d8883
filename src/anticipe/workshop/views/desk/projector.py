"""The projector view for the room: the open round, the study code and the answers coming
in, then the round's results; it refreshes by itself."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from anticipe.workshop import rules
from anticipe.workshop.access import facilitated_study
from anticipe.workshop.models import (
    Round,
    Study,
)
from anticipe.workshop.qr import join_qr
from anticipe.workshop.results.cache import study_factor_titles
from anticipe.workshop.results.steps import round_aggregates


def answered_experts(round_: Round) -> int:
    """How many experts have given at least one answer in the round (never what)."""
    model = rules.ANSWER_MODELS[round_.step]
    return int(model._default_manager.filter(round=round_).values("expert_id").distinct().count())


def projector_context(request: HttpRequest, study: Study) -> dict[str, Any]:
    open_round = study.rounds.open().order_by("-opened_at", "-id").first()
    context: dict[str, Any] = {
        "study": study,
        "open_round": open_round,
        "join_address": request.build_absolute_uri(reverse("workshop:join")),
        "experts": study.experts.count(),
        **join_qr(request, study),
    }
    if open_round is not None:
        context["answered"] = answered_experts(open_round)
        return context
    closed = study.rounds.closed().order_by("-closed_at", "-id").first()
    context["closed_round"] = closed
    if closed is not None:
        context["answered"] = answered_experts(closed)
        # the selection and the ranking need no bootstrap: never waited for in the room
        aggregates = round_aggregates(study, closed, bootstrap=False)
        context["aggregates"] = aggregates
        if aggregates and aggregates.get("hypotheses"):
            context["hypothesis_blocks"] = [
                {**block, "lines": _hypothesis_lines(block)} for block in aggregates["hypotheses"]
            ]
        if aggregates and aggregates.get("factor_vote"):
            titles = study_factor_titles(study)
            context["ranking"] = [
                {**item, "title": titles.get(item["factor"], item["factor"])}
                for item in aggregates["factor_vote"]["ranking"][:12]
            ]
    return context


def _hypothesis_lines(block: dict[str, Any]) -> list[dict[str, Any]]:
    """A key factor's most probable and most desirable hypotheses as the room reads them:
    the mark in words, whether it is a tie, the label and the text (none when too few
    experts answered for the panel to have a result)."""
    probable = sum(1 for h in block["hypotheses"] if h["most_probable"])
    desirable = sum(1 for h in block["hypotheses"] if h["most_desirable"])
    lines = []
    for h in block["hypotheses"]:
        if h["most_probable"] and h["most_desirable"]:
            mark = _("most probable and most desirable")
        elif h["most_probable"]:
            mark = _("most probable")
        elif h["most_desirable"]:
            mark = _("most desirable")
        else:
            continue
        tie = (h["most_probable"] and probable > 1) or (h["most_desirable"] and desirable > 1)
        lines.append({"mark": mark, "tie": tie, "label": h["label"], "text": h["text"]})
    return lines


@require_GET
def projector(request: HttpRequest, study_id: int) -> HttpResponse:
    """For the room: the open round, the code to join, the answers coming in, then the
    results; the panel refreshes itself every few seconds."""
    study = facilitated_study(request, study_id)
    return render(request, "workshop/desk/projector.html", projector_context(request, study))


@require_GET
def projector_panel(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    return render(
        request, "workshop/desk/partials/projector_panel.html", projector_context(request, study)
    )
