"""Linking the study's competences to the European reference frameworks: for each
competence, its links (framework competence and level expected) and the framework
competences suggested from its text; the facilitator accepts a suggestion, or chooses
another competence, with the level the job expects.

Plain forms, one action per endpoint, back to the page at the competence's card with a
message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anticipe.presentation import typography
from anticipe.study.frameworks import Framework, linked_framework
from anticipe.study.frameworks.suggestions import suggest
from anticipe.workshop.access import editable_study, facilitated_study
from anticipe.workshop.forms.decisions import FrameworkLinkForm, framework_competence_choices
from anticipe.workshop.models import AuditEvent, Competence, Study
from anticipe.workshop.views.desk.common import form_errors, refuse

SUGGESTED = 3
"""How many framework competences are suggested for each competence."""


def _levels(framework: Framework, language: str) -> list[dict[str, str]]:
    return [
        {"id": level.id, "title": level.title.in_language(language)} for level in framework.levels
    ]


def _link(link: dict[str, Any], frameworks: dict[str, Framework], language: str) -> dict[str, Any]:
    """A link as the page shows it: the framework's name, the competence's title, the level."""
    framework = linked_framework(link["framework"], frameworks)
    item = framework.competence(link["id"]) if framework is not None else None
    level = framework.level(link.get("level", "")) if framework is not None else None
    return {
        "framework": link["framework"],
        "id": link["id"],
        "name": framework.name if framework is not None else link["framework"],
        "title": item.title.in_language(language) if item is not None else "",
        "level": level.title.in_language(language) if level is not None else "",
    }


def _card(
    competence: Competence, frameworks: dict[str, Framework], language: str
) -> dict[str, Any]:
    linked = {
        (getattr(linked_framework(f["framework"], frameworks), "id", f["framework"]), f["id"])
        for f in competence.frameworks
    }
    suggestions = []
    for found in suggest(competence.text, list(frameworks.values()), SUGGESTED + len(linked)):
        if (found.framework, found.competence) in linked:
            continue
        framework = frameworks[found.framework]
        item = framework.competence(found.competence)
        assert item is not None
        suggestions.append(
            {
                "value": f"{framework.id} {item.id}",
                "name": framework.name,
                "id": item.id,
                "title": item.title.in_language(language),
                "levels": _levels(framework, language),
            }
        )
    return {
        "competence": competence,
        "links": [_link(f, frameworks, language) for f in competence.frameworks],
        "suggestions": suggestions[:SUGGESTED],
    }


@require_GET
def framework_links(request: HttpRequest, study_id: int) -> HttpResponse:
    """Each competence with its links and the suggested framework competences."""
    study = facilitated_study(request, study_id)
    frameworks = study.frameworks()
    language = get_language() or "fr"
    return render(
        request,
        "workshop/desk/framework_links.html",
        {
            "study": study,
            "cards": [
                _card(c, frameworks, language) for c in study.competences.order_by("position", "id")
            ],
            "choices": framework_competence_choices(frameworks),
            "level_choices": [
                (framework.name, _levels(framework, language)) for framework in frameworks.values()
            ],
            "credits": [
                (framework.name, typography(framework.attribution.in_language(language), language))
                for framework in frameworks.values()
            ],
            "uses_esco": any(framework.uses_esco for framework in frameworks.values()),
            "open": study.decisions_are_open(),
            "section": "impacts",
            "facilitator": True,
        },
    )


def _page(study: Study, competence: Competence) -> str:
    return reverse("workshop:framework_links", args=[study.pk]) + f"#competence-{competence.pk}"


@require_POST
def framework_link_add(request: HttpRequest, study_id: int, competence_id: int) -> HttpResponse:
    """Link a competence to a framework competence (a suggestion accepted, or another
    competence chosen), with the level the job expects."""
    study = editable_study(request, study_id)
    competence = get_object_or_404(study.competences, pk=competence_id)
    page = _page(study, competence)
    frameworks = study.frameworks()
    form = FrameworkLinkForm(request.POST, frameworks=frameworks)
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    entry = form.cleaned_data["entry"]
    if any(
        getattr(linked_framework(f["framework"], frameworks), "id", None) == entry["framework"]
        and f["id"] == entry["id"]
        for f in competence.frameworks
    ):
        return refuse(request, _("This competence is already linked to it."), page)
    with transaction.atomic():
        competence.frameworks = [*competence.frameworks, entry]
        competence.save(update_fields=["frameworks"])
        AuditEvent.record(
            study, request.user, "framework_link_added", competence=competence.code, link=entry
        )
    messages.success(request, _("%(code)s linked.") % {"code": competence.code})
    return redirect(page)


@require_POST
def framework_link_remove(request: HttpRequest, study_id: int, competence_id: int) -> HttpResponse:
    """Remove one link of a competence (named by its framework and competence)."""
    study = editable_study(request, study_id)
    competence = get_object_or_404(study.competences, pk=competence_id)
    page = _page(study, competence)
    framework, code = request.POST.get("framework", ""), request.POST.get("id", "")
    kept = [f for f in competence.frameworks if (f["framework"], f["id"]) != (framework, code)]
    if len(kept) == len(competence.frameworks):
        return refuse(request, _("This link no longer exists."), page)
    with transaction.atomic():
        competence.frameworks = kept
        competence.save(update_fields=["frameworks"])
        AuditEvent.record(
            study,
            request.user,
            "framework_link_removed",
            competence=competence.code,
            link={"framework": framework, "id": code},
        )
    messages.success(request, _("Link removed."))
    return redirect(page)
