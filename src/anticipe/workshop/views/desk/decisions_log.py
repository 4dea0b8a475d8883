"""The decisions log: who decided what, when and why."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from anticipe.workshop import audit
from anticipe.workshop.access import facilitated_study

# The actions that are decisions on the results (their sentences: anticipe.workshop.audit).
DECISIONS = (
    "key_factors_accepted",
    "key_factor_added",
    "key_factor_removed",
    "key_factor_moved",
    "current_situation_edited",
    "hypothesis_added",
    "hypothesis_reworded",
    "hypothesis_deleted",
    "hypothesis_moved",
    "hypotheses_merged",
    "reachability_set",
    "hypothesis_retained",
    "retention_overridden",
    "retention_cleared",
    "action_added",
    "action_edited",
    "action_deleted",
    "action_moved",
    "actions_merged",
    "impact_added",
    "impact_edited",
    "impact_deleted",
    "competence_added",
    "competence_edited",
    "competence_deleted",
    "framework_link_added",
    "framework_link_removed",
    "current_profile_added",
    "current_profile_removed",
    "current_profile_source",
    "training_catalogue_imported",
    "training_catalogue_removed",
    "cross_impacts_saved",
)


@require_GET
def decisions_log(request: HttpRequest, study_id: int) -> HttpResponse:
    """Who decided what, when and why."""
    study = facilitated_study(request, study_id)
    events = (
        study.audit_events.filter(action__in=DECISIONS)
        .select_related("actor")
        .order_by("-created_at", "-id")[:500]
    )
    return render(
        request,
        "workshop/desk/decisions_log.html",
        {
            "study": study,
            "events": audit.entries(list(events), study.language),
            "section": "log",
            "facilitator": True,
        },
    )
