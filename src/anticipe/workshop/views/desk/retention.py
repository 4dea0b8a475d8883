"""The retained hypothesis of each key factor: whether actions can reach the most desirable
one, the rule's proposal confirmed, or an override with a reason, or withdrawn."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anticipe.workshop import rules
from anticipe.workshop.access import editable_study
from anticipe.workshop.forms.decisions import OverrideForm
from anticipe.workshop.models import AuditEvent
from anticipe.workshop.views.desk.common import (
    refuse,
    shows_unusable_decisions,
    usable_results,
)
from anticipe.workshop.views.desk.hypotheses import factor_block, factor_page_url, key_factor_of


@require_POST
def factor_reachability(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """The panel's judgement: can actions reach the most desirable hypothesis?"""
    study = editable_study(request, study_id)
    factor = key_factor_of(study, factor_id)
    values = {"yes": True, "no": False, "unknown": None}
    answer = request.POST.get("reachable", "")
    if answer not in values:
        return refuse(request, _("Answer yes or no."), factor_page_url(study, factor))
    with transaction.atomic():
        before = factor.actions_can_reach_desirable
        factor.actions_can_reach_desirable = values[answer]
        factor.save(update_fields=["actions_can_reach_desirable"])
        AuditEvent.record(
            study,
            request.user,
            "reachability_set",
            factor=factor.code,
            before=before,
            after=factor.actions_can_reach_desirable,
        )
    return redirect(factor_page_url(study, factor))


@require_POST
@shows_unusable_decisions
def retention_confirm(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """Retain the hypothesis the rule proposes."""
    study = editable_study(request, study_id)
    factor = key_factor_of(study, factor_id)
    page = factor_page_url(study, factor)
    results, problems = usable_results(study)
    if results is None:
        return refuse(request, " ".join(p.message for p in problems), page)
    block = factor_block(results, factor.code)
    retention = block["retention"] if block else None
    proposal = retention["proposal"] if retention else None
    if not proposal:
        return refuse(
            request,
            _(
                "The rule proposes no hypothesis yet (no votes, a tie, or the panel has not said "
                "whether actions can reach the most desirable): retain one with a reason."
            ),
            page,
        )
    hypothesis = factor.hypotheses.filter(code=proposal).first()
    refusal = rules.retention_refusal(factor, hypothesis)
    if hypothesis is None or refusal:
        return refuse(request, refusal or "", page)
    with transaction.atomic():
        factor.retain(hypothesis)
        AuditEvent.record(
            study,
            request.user,
            "hypothesis_retained",
            factor=factor.code,
            hypothesis=hypothesis.code,
            rule=retention["rule"] if retention else None,
        )
    messages.success(request, _("Hypothesis %(label)s retained.") % {"label": hypothesis.label})
    return redirect(page)


@require_POST
def retention_override(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """Retain another hypothesis than the rule's (or a merged one), with a reason."""
    study = editable_study(request, study_id)
    factor = key_factor_of(study, factor_id)
    page = factor_page_url(study, factor)
    hypotheses = list(factor.hypotheses.order_by("position", "id"))
    form = OverrideForm(request.POST, choices=[(str(h.pk), h.label) for h in hypotheses])
    if not form.is_valid():
        return refuse(request, _("Choose a hypothesis and say why."), page)
    hypothesis = next(h for h in hypotheses if str(h.pk) == form.cleaned_data["hypothesis"])
    refusal = rules.retention_refusal(factor, hypothesis)
    if refusal:
        return refuse(request, refusal, page)
    reason = form.cleaned_data["reason"].strip()
    with transaction.atomic():
        factor.retain(hypothesis, override=True, reason=reason)
        AuditEvent.record(
            study,
            request.user,
            "retention_overridden",
            factor=factor.code,
            hypothesis=hypothesis.code,
            reason=reason,
        )
    messages.success(request, _("Hypothesis %(label)s retained.") % {"label": hypothesis.label})
    return redirect(page)


@require_POST
def retention_clear(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    factor = key_factor_of(study, factor_id)
    refusal = rules.retention_change_refusal(factor)
    if refusal:
        return refuse(request, refusal, factor_page_url(study, factor))
    if factor.retained_id is not None:
        with transaction.atomic():
            AuditEvent.record(
                study,
                request.user,
                "retention_cleared",
                factor=factor.code,
                hypothesis=factor.retained.code if factor.retained else None,
            )
            factor.retain(None)
    return redirect(factor_page_url(study, factor))
