"""Decisions on the impacts: which activities each retained hypothesis changes, and the
competences it calls for, tied to the European frameworks.

Every decision goes back to the table with a message, from plain forms (not htmx and the one
list-edit answer, :class:`~anticipe.workshop.views.helpers.EditableList`): an impact changes
its cell of the hypothesis x activity table and the competences' list below it, and a
competence appears in every cell that calls for it, so the whole page is shown again."""

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

from anticipe.study.training_needs import catalogue_with_codes
from anticipe.workshop import rules
from anticipe.workshop.access import editable_study, facilitated_study
from anticipe.workshop.forms.decisions import CompetenceForm, frameworks_text
from anticipe.workshop.models import (
    Activity,
    AuditEvent,
    Competence,
    Hypothesis,
    Impact,
    ImpactProposal,
    Round,
    Study,
)
from anticipe.workshop.results import anonymous_texts
from anticipe.workshop.views.desk.common import (
    form_errors,
    refuse,
    retained_hypotheses_in_order,
)


def proposed_impacts(
    retained: list[Hypothesis], activities: list[Activity], rounds: list[int]
) -> list[dict[str, Any]]:
    """The experts' impact proposals, aggregated (how many experts, which competences,
    without their authors), most proposed first, as material for the decisions; of the
    impact rounds shown (`rounds`, :func:`~anticipe.workshop.rules.shown_texts`)."""
    proposals: dict[tuple[int, int], dict[str, Any]] = {}
    for hypothesis_id, activity_id, expert_id, competences in ImpactProposal.objects.filter(
        hypothesis__in=retained, round__in=rounds
    ).values_list("hypothesis_id", "activity_id", "expert_id", "competences"):
        entry = proposals.setdefault(
            (hypothesis_id, activity_id), {"experts": set(), "competences": []}
        )
        entry["experts"].add(expert_id)
        entry["competences"] += [line for line in competences.splitlines() if line.strip()]
    hypotheses = {h.pk: h for h in retained}
    activity_by_pk = {a.pk: a for a in activities}
    return [
        {
            "hypothesis": hypotheses[h],
            "activity": activity_by_pk[a],
            "experts": len(entry["experts"]),
            "competences": anonymous_texts(entry["competences"]),
        }
        for (h, a), entry in sorted(
            proposals.items(), key=lambda kv: (-len(kv[1]["experts"]), kv[0])
        )
        if a in activity_by_pk
    ]


@require_GET
def impacts_table(request: HttpRequest, study_id: int) -> HttpResponse:
    """The retained hypotheses' impacts on the activities, with the competences they call
    for; the experts' impact proposals aggregated, as material."""
    study = facilitated_study(request, study_id)
    retained = retained_hypotheses_in_order(study)
    activities = list(study.activities_in_order())
    impacts = list(
        Impact.objects.filter(activity__study=study)
        .select_related("hypothesis", "activity")
        .prefetch_related("competences")
        .order_by("position", "id")
    )
    linked = {(i.hypothesis_id, i.activity_id): i for i in impacts}
    grid = [
        {
            "activity": activity,
            "cells": [linked.get((h.pk, activity.pk)) for h in retained],
            "count": sum(1 for h in retained if (h.pk, activity.pk) in linked),
        }
        for activity in activities
    ]
    texts = rules.shown_texts(study, Round.Step.IMPACTS)
    return render(
        request,
        "workshop/desk/impacts.html",
        {
            "study": study,
            "retained": retained,
            "activities": activities,
            "grid": grid,
            "impacts": impacts,
            "material": proposed_impacts(retained, activities, texts.rounds),
            "texts_waiting": rules.texts_waiting(study, Round.Step.IMPACTS),
            "texts_withheld": texts.withheld,
            "competences": [
                {"competence": c, "frameworks": frameworks_text(c.frameworks)}
                for c in study.competences.order_by("position", "id")
            ],
            "open": study.decisions_are_open(),
            "section": "impacts",
            "facilitator": True,
        },
    )


def _competences_from_post(request: HttpRequest, study: Study) -> list[Competence]:
    ids = {int(v) for v in request.POST.getlist("competences") if v.isdigit()}
    return list(study.competences.filter(pk__in=ids))


@require_POST
def impact_add(request: HttpRequest, study_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    page = reverse("workshop:impacts_table", args=[study.pk])
    retained = {str(h.pk): h for h in retained_hypotheses_in_order(study)}
    hypothesis = retained.get(request.POST.get("hypothesis", ""))
    activity = study.activities.filter(pk=request.POST.get("activity") or 0).first()
    if hypothesis is None or activity is None:
        return refuse(request, _("Choose a retained hypothesis and an activity."), page)
    if Impact.objects.filter(hypothesis=hypothesis, activity=activity).exists():
        return refuse(request, _("This impact is already in the table."), page)
    competences = _competences_from_post(request, study)
    with transaction.atomic():
        top = Impact.objects.filter(activity__study=study).aggregate(top=Max("position"))["top"]
        impact = Impact.objects.create(
            hypothesis=hypothesis, activity=activity, position=0 if top is None else top + 1
        )
        impact.competences.set(competences)
        AuditEvent.record(
            study,
            request.user,
            "impact_added",
            hypothesis=hypothesis.code,
            activity=activity.code,
            competences=[c.code for c in competences],
        )
    messages.success(request, _("Impact added."))
    return redirect(page)


def _impact(study: Study, impact_id: int) -> Impact:
    return get_object_or_404(
        Impact.objects.select_related("hypothesis", "activity"),
        pk=impact_id,
        activity__study=study,
    )


@require_POST
def impact_edit(request: HttpRequest, study_id: int, impact_id: int) -> HttpResponse:
    """The competences an impact calls for."""
    study = editable_study(request, study_id)
    impact = _impact(study, impact_id)
    competences = _competences_from_post(request, study)
    with transaction.atomic():
        before = sorted(impact.competences.values_list("code", flat=True))
        impact.competences.set(competences)
        AuditEvent.record(
            study,
            request.user,
            "impact_edited",
            hypothesis=impact.hypothesis.code,
            activity=impact.activity.code,
            before=before,
            after=sorted(c.code for c in competences),
        )
    messages.success(request, _("Impact saved."))
    return redirect("workshop:impacts_table", study_id=study.pk)


@require_POST
def impact_delete(request: HttpRequest, study_id: int, impact_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    impact = _impact(study, impact_id)
    with transaction.atomic():
        AuditEvent.record(
            study,
            request.user,
            "impact_deleted",
            hypothesis=impact.hypothesis.code,
            activity=impact.activity.code,
            competences=sorted(impact.competences.values_list("code", flat=True)),
        )
        impact.delete()
    messages.success(request, _("Impact deleted."))
    return redirect("workshop:impacts_table", study_id=study.pk)


def _next_competence_code(study: Study) -> str:
    taken = set(study.competences.values_list("code", flat=True))
    number = len(taken) + 1
    while f"C{number}" in taken:
        number += 1
    return f"C{number}"


@require_POST
def competence_add(request: HttpRequest, study_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    page = reverse("workshop:impacts_table", args=[study.pk]) + "#competences"
    form = CompetenceForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    code = form.cleaned_data["code"] or _next_competence_code(study)
    if study.competences.filter(code=code).exists():
        return refuse(request, _("Another competence has this code."), page)
    with transaction.atomic():
        top = study.competences.aggregate(top=Max("position"))["top"]
        competence = Competence.objects.create(
            study=study,
            code=code,
            text=form.cleaned_data["text"].strip(),
            frameworks=form.cleaned_data["frameworks"],
            position=0 if top is None else top + 1,
        )
        AuditEvent.record(
            study,
            request.user,
            "competence_added",
            competence=competence.code,
            text=competence.text,
            frameworks=competence.frameworks,
        )
    messages.success(request, _("Competence %(code)s added.") % {"code": code})
    return redirect(page)


@require_POST
def competence_edit(request: HttpRequest, study_id: int, competence_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    competence = get_object_or_404(study.competences, pk=competence_id)
    page = reverse("workshop:impacts_table", args=[study.pk]) + "#competences"
    form = CompetenceForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    code = form.cleaned_data["code"] or competence.code
    if study.competences.exclude(pk=competence.pk).filter(code=code).exists():
        return refuse(request, _("Another competence has this code."), page)
    with transaction.atomic():
        before = {
            "code": competence.code,
            "text": competence.text,
            "frameworks": competence.frameworks,
        }
        competence.code = code
        competence.text = form.cleaned_data["text"].strip()
        competence.frameworks = form.cleaned_data["frameworks"]
        competence.save(update_fields=["code", "text", "frameworks"])
        if before["code"] != code and study.training_catalogue:  # the catalogue names it anew
            study.training_catalogue = catalogue_with_codes(
                study.training_catalogue,
                list(study.competences.values_list("code", flat=True)),
                {before["code"]: code},
            )
            study.save(update_fields=["training_catalogue", "updated_at"])
        AuditEvent.record(
            study,
            request.user,
            "competence_edited",
            competence=competence.code,
            before=before,
            after={
                "code": competence.code,
                "text": competence.text,
                "frameworks": competence.frameworks,
            },
        )
    messages.success(request, _("Competence %(code)s saved.") % {"code": code})
    return redirect(page)


@require_POST
def competence_delete(request: HttpRequest, study_id: int, competence_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    competence = get_object_or_404(study.competences, pk=competence_id)
    with transaction.atomic():
        AuditEvent.record(
            study,
            request.user,
            "competence_deleted",
            competence=competence.code,
            text=competence.text,
            impacts=competence.impacts.count(),
        )
        competence.delete()
        if study.training_catalogue:  # no module covers a competence no longer there
            study.training_catalogue = catalogue_with_codes(
                study.training_catalogue, list(study.competences.values_list("code", flat=True))
            )
            study.save(update_fields=["training_catalogue", "updated_at"])
    messages.success(request, _("Competence deleted."))
    return redirect(reverse("workshop:impacts_table", args=[study.pk]) + "#competences")
