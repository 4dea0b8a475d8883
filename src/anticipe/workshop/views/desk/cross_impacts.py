"""Decisions on the cross-impacts between hypotheses of different key factors, and the
coherence of the retained scenario (cross-impact balance)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from anticipe.workshop.access import editable_study, facilitated_study
from anticipe.workshop.models import (
    AuditEvent,
    CrossImpact,
    Factor,
    Hypothesis,
    Study,
)
from anticipe.workshop.results import hypotheses_page
from anticipe.workshop.results.cache import study_factor_titles
from anticipe.workshop.views.desk.common import (
    refuse,
    shows_unusable_decisions,
    usable_results,
)


def scenario_hypotheses(study: Study) -> list[tuple[Factor, list[Hypothesis]]]:
    """The key factors' hypotheses that make up scenarios (a merge replaces its sources)."""
    keys = list(study.factors.key())
    hypotheses = list(
        Hypothesis.objects.filter(factor__in=keys)
        .select_related("factor")
        .prefetch_related("merged_from")
        .order_by("position", "id")
    )
    replaced = {h.pk for hypothesis in hypotheses for h in hypothesis.merged_from.all()}
    by_factor: dict[int, list[Hypothesis]] = defaultdict(list)
    for hypothesis in hypotheses:
        if hypothesis.pk not in replaced:
            by_factor[hypothesis.factor_id].append(hypothesis)
    return [(f, by_factor[f.pk]) for f in keys if by_factor.get(f.pk)]


CROSS_VALUES = [-3, -2, -1, 0, 1, 2, 3]


def posted_cross_impacts(
    request: HttpRequest, every: list[Hypothesis]
) -> dict[tuple[Hypothesis, Hypothesis], int] | None:
    """The cross-impacts posted (``ci-<source>-<target>``) between hypotheses of different
    factors; None when one is outside -3..+3."""
    wanted: dict[tuple[Hypothesis, Hypothesis], int] = {}
    for source in every:
        for target in every:
            raw = request.POST.get(f"ci-{source.pk}-{target.pk}")
            if raw is None or source.factor_id == target.factor_id:
                continue
            try:
                value = int(raw or 0)
            except ValueError:
                return None
            if value not in CROSS_VALUES:
                return None
            wanted[(source, target)] = value
    return wanted


def save_cross_impacts(
    wanted: dict[tuple[Hypothesis, Hypothesis], int],
    existing: dict[tuple[int, int], CrossImpact],
) -> list[list[Any]]:
    """Write the wanted values (0: none); the changes as [source, target, before, after]."""
    changes: list[list[Any]] = []
    for (source, target), value in wanted.items():
        current = existing.get((source.pk, target.pk))
        before = current.value if current is not None else 0
        if value == before:
            continue
        changes.append([source.code, target.code, before, value])
        if value == 0 and current is not None:
            current.delete()
        elif current is None:
            CrossImpact.objects.create(source=source, target=target, value=value)
        else:
            current.value = value
            current.save(update_fields=["value"])
    return changes


def cross_impacts_save(
    request: HttpRequest, study_id: int, every: list[Hypothesis], existing: Any
) -> HttpResponse:
    """Save the cells posted (a key factor's page posts its own: the others are left as they
    are), then back to that key factor's page."""
    study = editable_study(request, study_id)
    wanted = posted_cross_impacts(request, every)
    page = cross_impacts_url(study.pk, request.POST.get("factor", ""))
    if wanted is None:
        return refuse(request, _("Cross-impacts go from -3 to +3."), page)
    with transaction.atomic():
        changes = save_cross_impacts(wanted, existing)
        if changes:
            AuditEvent.record(study, request.user, "cross_impacts_saved", changes=changes)
    messages.success(request, _("Cross-impacts saved."))
    return redirect(page)


def signed(value: int) -> str:
    """A cross-impact as its drop-down shows and posts it: "-2", "0", "+1"."""
    return f"{value:+d}" if value else "0"


def cross_impacts_url(study_id: int, factor: str = "") -> str:
    url = reverse("workshop:cross_impacts", args=[study_id])
    return f"{url}?{urlencode({'factor': factor})}" if factor else url


def cross_impact_page(
    groups: list[tuple[Factor, list[Hypothesis]]],
    existing: dict[tuple[int, int], CrossImpact],
    index: int,
    titles: dict[str, str],
) -> dict[str, Any]:
    """One key factor's page: its hypotheses (the columns) acting on each hypothesis of the
    other key factors (the rows, by key factor), each cell with its value (0: none). A
    phone scrolls down the rows, never across the ~30 columns of the whole grid."""
    factor, sources = groups[index]
    return {
        "factor": factor,
        "title": titles.get(factor.code, factor.code),
        "sources": sources,
        "targets": [
            {
                "factor": other,
                "title": titles.get(other.code, other.code),
                "rows": [
                    {
                        "target": target,
                        "cells": [
                            {
                                "source": source,
                                "value": signed(
                                    existing[source.pk, target.pk].value
                                    if (source.pk, target.pk) in existing
                                    else 0
                                ),
                            }
                            for source in sources
                        ],
                    }
                    for target in hypotheses
                ],
            }
            for other, hypotheses in groups
            if other.pk != factor.pk
        ],
    }


@require_http_methods(["GET", "POST"])
@shows_unusable_decisions
def cross_impacts(request: HttpRequest, study_id: int) -> HttpResponse:
    """Optional: how much each hypothesis favours (+) or hinders (-) those of the other key
    factors, to check the coherence of the retained scenario (cross-impact balance). One key
    factor's hypotheses at a time (``?factor=<code>``, else the first key factor)."""
    study = facilitated_study(request, study_id)
    groups = scenario_hypotheses(study)
    every = [h for _factor, items in groups for h in items]
    existing = {
        (c.source_id, c.target_id): c
        for c in CrossImpact.objects.filter(source__in=every, target__in=every)
    }
    if request.method == "POST":
        return cross_impacts_save(request, study_id, every, existing)
    results, problems = usable_results(study)
    titles = study_factor_titles(study)
    wanted = request.GET.get("factor", "")
    index = next((i for i, (f, _items) in enumerate(groups) if f.code == wanted), 0)
    return render(
        request,
        "workshop/desk/cross_impacts.html",
        {
            "study": study,
            "groups": [
                {"factor": f, "title": titles.get(f.code, f.code), "hypotheses": items}
                for f, items in groups
            ],
            "page": cross_impact_page(groups, existing, index, titles) if len(groups) > 1 else None,
            "values": [signed(v) for v in CROSS_VALUES],
            "coherence": hypotheses_page(results)["coherence"] if results else None,
            "scenario": results.analysis["scenario"] if results else None,
            "problems": problems,
            "open": study.decisions_are_open(),
            "section": "cross-impacts",
            "facilitator": True,
        },
    )
