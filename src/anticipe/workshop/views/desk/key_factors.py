"""Decisions on the key factors: the structural analysis proposes, the panel confirms, adds
(with a reason), removes (with a reason) and orders.

Every decision goes back to the page with a message, from plain forms (not htmx and the one
list-edit answer, :class:`~anticipe.workshop.views.helpers.EditableList`): a change of the
key factors changes two lists at once (the key factors, and the analysis' candidates beside
them) and the desk's navigation (the hypotheses of each key factor), so the whole page is
shown again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anticipe.workshop import rules
from anticipe.workshop.access import editable_study, facilitated_study
from anticipe.workshop.forms.decisions import KeyFactorAddForm, ReasonForm
from anticipe.workshop.models import (
    AuditEvent,
    Factor,
    Study,
)
from anticipe.workshop.results import (
    StudyResults,
    quadrant_label,
)
from anticipe.workshop.views.desk.common import (
    checked_results,
    form_errors,
    refuse,
    shows_unusable_decisions,
    usable_results,
)
from anticipe.workshop.views.helpers import moved


def _structural_codes(results: StudyResults) -> list[str]:
    section = results.document.get("structural_analysis")
    return list(section["factors"]) if section else []


@require_GET
@shows_unusable_decisions
def key_factors(request: HttpRequest, study_id: int) -> HttpResponse:
    """Confirm the key factors: the structural analysis proposes, the panel decides."""
    study = facilitated_study(request, study_id)
    results, problems = usable_results(study)
    sa = results.analysis["structural_analysis"] if results else None
    codes = _structural_codes(results) if results else []
    factors = {f.code: f for f in study.factors.filter(code__in=codes)}
    proposed = set(sa["selection"]["selected"]) if sa else set()
    rows: list[dict[str, Any]] = []
    for code in codes:
        factor = factors[code]
        rows.append(
            {
                "factor": factor,
                "proposed": code in proposed,
                "quadrant": quadrant_label(sa["direct"]["quadrant"][code]) if sa else None,
                "influence": sa["direct"]["influence"][code] if sa else None,
                "dependence": sa["direct"]["dependence"][code] if sa else None,
                "score": sa["selection"]["scores"].get(code) if sa else None,
            }
        )
    keys = list(study.factors.key())
    return render(
        request,
        "workshop/desk/key_factors.html",
        {
            "study": study,
            "structural": sa,
            "rows": rows,
            "keys": keys,
            "missing_proposals": [
                r["factor"] for r in rows if r["proposed"] and not r["factor"].is_key()
            ],
            "candidates": [r for r in rows if not r["factor"].is_key()],
            "problems": problems,
            "open": study.decisions_are_open(),
            "section": "key-factors",
            "facilitator": True,
        },
    )


def _next_key_position(study: Study) -> int:
    top = study.factors.exclude(key_origin="").aggregate(top=Max("key_position"))["top"]
    return 0 if top is None else top + 1


@require_POST
@shows_unusable_decisions
def key_factors_accept(request: HttpRequest, study_id: int) -> HttpResponse:
    """Confirm the analysis' selection: its factors become key factors."""
    study = editable_study(request, study_id)
    results = checked_results(study)
    sa = results.analysis["structural_analysis"]
    page = reverse("workshop:key_factors", args=[study.pk])
    if sa is None:
        return refuse(request, _("No structural analysis yet: close the influence round."), page)
    added = []
    with transaction.atomic():
        position = _next_key_position(study)
        for code in sa["selection"]["selected"]:
            factor = study.factors.get(code=code)
            if factor.is_key():
                continue
            factor.key_origin = Factor.KeyOrigin.SELECTION
            factor.key_reason = ""
            factor.key_position = position
            position += 1
            factor.save(update_fields=["key_origin", "key_reason", "key_position"])
            added.append(code)
        AuditEvent.record(
            study,
            request.user,
            "key_factors_accepted",
            factors=added,
            selection=sa["selection"]["selected"],
            rule=sa["selection"]["parameters"],
        )
    messages.success(request, _("The analysis' key factors are confirmed."))
    return redirect(page)


@require_POST
@shows_unusable_decisions
def key_factor_add(request: HttpRequest, study_id: int) -> HttpResponse:
    """Add a key factor: one of the analysis' selection, or another with a reason."""
    study = editable_study(request, study_id)
    results = checked_results(study)
    page = reverse("workshop:key_factors", args=[study.pk])
    codes = _structural_codes(results)
    sa = results.analysis["structural_analysis"]
    form = KeyFactorAddForm(request.POST, choices=[(c, c) for c in codes])
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    factor = study.factors.get(code=form.cleaned_data["factor"])
    if factor.is_key():
        return refuse(request, _("This factor is already a key factor."), page)
    reason = form.cleaned_data["reason"].strip()
    selected = sa is not None and factor.code in sa["selection"]["selected"]
    if not selected and not reason:
        return refuse(
            request,
            _("Say why the panel adds a factor that the analysis did not select."),
            page,
        )
    with transaction.atomic():
        factor.key_origin = Factor.KeyOrigin.SELECTION if selected else Factor.KeyOrigin.ADDITION
        factor.key_reason = reason
        factor.key_position = _next_key_position(study)
        factor.save(update_fields=["key_origin", "key_reason", "key_position"])
        AuditEvent.record(
            study,
            request.user,
            "key_factor_added",
            factor=factor.code,
            origin=factor.key_origin,
            reason=reason,
        )
    messages.success(request, _("%(code)s is a key factor.") % {"code": factor.code})
    return redirect(page)


@require_POST
def key_factor_remove(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """Remove a key factor, with a reason."""
    study = editable_study(request, study_id)
    factor = get_object_or_404(study.factors.exclude(key_origin=""), pk=factor_id)
    page = reverse("workshop:key_factors", args=[study.pk])
    refusal = rules.key_factor_removal_refusal(factor)
    if refusal:
        return refuse(request, refusal, page)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return refuse(request, _("Say why this factor is no longer a key factor."), page)
    with transaction.atomic():
        AuditEvent.record(
            study,
            request.user,
            "key_factor_removed",
            factor=factor.code,
            origin=factor.key_origin,
            reason=form.cleaned_data["reason"].strip(),
        )
        factor.key_origin = Factor.KeyOrigin.NONE
        factor.key_reason = ""
        factor.key_position = 0
        factor.save(update_fields=["key_origin", "key_reason", "key_position"])
    messages.success(request, _("%(code)s is no longer a key factor.") % {"code": factor.code})
    return redirect(page)


@require_POST
def key_factor_move(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    factor = get_object_or_404(study.factors.exclude(key_origin=""), pk=factor_id)
    items = list(study.factors.key())
    moved(request, study, items, factor, "key_factor_moved", "key_position", factor=factor.code)
    return redirect("workshop:key_factors", study_id=study.pk)
