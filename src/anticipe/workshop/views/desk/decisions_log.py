"""The decisions log: who decided what, when and why."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from anticipe.workshop.access import facilitated_study
from anticipe.workshop.results import flatten_parameters

# What each decision recorded by this module means, for the decisions log.
DECISION_LABELS = {
    "key_factors_accepted": gettext_lazy("Key factors of the analysis confirmed"),
    "key_factor_added": gettext_lazy("Key factor added"),
    "key_factor_removed": gettext_lazy("Key factor removed"),
    "key_factor_moved": gettext_lazy("Key factors reordered"),
    "current_situation_edited": gettext_lazy("Current situation written"),
    "hypothesis_added": gettext_lazy("Hypothesis written"),
    "hypothesis_reworded": gettext_lazy("Hypothesis reworded"),
    "hypothesis_deleted": gettext_lazy("Hypothesis deleted"),
    "hypothesis_moved": gettext_lazy("Hypotheses reordered"),
    "hypotheses_merged": gettext_lazy("Hypotheses merged"),
    "reachability_set": gettext_lazy("Can actions reach the most desirable hypothesis?"),
    "hypothesis_retained": gettext_lazy("Hypothesis retained (the rule's proposal)"),
    "retention_overridden": gettext_lazy("Hypothesis retained (override)"),
    "retention_cleared": gettext_lazy("Retained hypothesis withdrawn"),
    "action_added": gettext_lazy("Action added"),
    "action_edited": gettext_lazy("Action edited"),
    "action_deleted": gettext_lazy("Action deleted"),
    "action_moved": gettext_lazy("Actions reordered"),
    "actions_merged": gettext_lazy("Actions merged"),
    "impact_added": gettext_lazy("Impact added"),
    "impact_edited": gettext_lazy("Impact edited"),
    "impact_deleted": gettext_lazy("Impact deleted"),
    "competence_added": gettext_lazy("Competence added"),
    "competence_edited": gettext_lazy("Competence edited"),
    "competence_deleted": gettext_lazy("Competence deleted"),
    "framework_link_added": gettext_lazy("Competence linked to a framework"),
    "framework_link_removed": gettext_lazy("Framework link removed"),
    "cross_impacts_saved": gettext_lazy("Cross-impacts saved"),
}


@require_GET
def decisions_log(request: HttpRequest, study_id: int) -> HttpResponse:
    """Who decided what, when and why."""
    study = facilitated_study(request, study_id)
    events = (
        study.audit_events.filter(action__in=list(DECISION_LABELS))
        .select_related("actor")
        .order_by("-created_at", "-id")[:500]
    )
    return render(
        request,
        "workshop/desk/decisions_log.html",
        {
            "study": study,
            "events": [
                {
                    "event": event,
                    "label": DECISION_LABELS.get(event.action, event.action),
                    "details": flatten_parameters(event.detail),
                }
                for event in events
            ],
            "section": "log",
            "facilitator": True,
        },
    )
