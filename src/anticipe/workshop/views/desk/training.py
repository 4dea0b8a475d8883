"""The services' side of a study on the desk: today's profile of the job (framework
competences with the level held today) and the catalogue of training modules, imported from
a CSV or XLSX list (all of it, replacing the previous one, or nothing with every problem by
row and column); the training-needs page itself is a results page
(:mod:`anticipe.workshop.results.training_page`).

Plain forms, one action per endpoint, back to the page with a message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anticipe.study.frameworks import Framework, linked_framework
from anticipe.study.table_import import MAX_LISTED, ImportRefused, Problem, read_upload
from anticipe.study.training_needs import module_covers_text, new_catalogue, read_catalogue
from anticipe.workshop.access import editable_study, facilitated_study
from anticipe.workshop.forms.decisions import (
    CatalogueImportForm,
    CurrentCompetenceForm,
    CurrentSourceForm,
    framework_competence_choices,
)
from anticipe.workshop.models import AuditEvent, Study
from anticipe.workshop.views.desk.common import form_errors, refuse

EXAMPLE_LIST = (
    "titre;opérateur;durée;couvre\n"
    'Atelier numérique;Centre A;12;"C8; DigCompEdu 3.1:B1"\n'
    "Dépannage;Centre B;30;digcomp-2.2:5.1:4"
)
"""The example of a catalogue list the page shows (data, not words to translate)."""
MAX_TODAY = 500
"""Framework competences of today's profile (as the study file's schema)."""


def _page(study: Study, anchor: str = "") -> str:
    return reverse("workshop:training_catalogue", args=[study.pk]) + anchor


def _today_rows(study: Study, frameworks: dict[str, Framework], lang: str) -> list[dict[str, Any]]:
    rows = []
    for entry in (study.current_profile or {}).get("competences", []):
        framework = linked_framework(entry["framework"], frameworks)
        item = framework.competence(entry["id"]) if framework is not None else None
        level = framework.level(entry.get("level", "")) if framework is not None else None
        rows.append(
            {
                "framework": entry["framework"],
                "id": entry["id"],
                "name": framework.name if framework is not None else entry["framework"],
                "title": item.title.in_language(lang) if item is not None else "",
                "level": level.title.in_language(lang) if level is not None else "",
            }
        )
    return rows


def _names(study: Study) -> dict[str, Any]:
    """What a catalogue's covers may name: the study's competences and frameworks."""
    return {
        "competences": [
            {"code": code} for code in study.competences.values_list("code", flat=True)
        ],
        "reference_frameworks": study.reference_frameworks,
    }


def _context(study: Study, form: CatalogueImportForm, problems: list[Problem]) -> dict[str, Any]:
    frameworks = study.frameworks()
    lang = get_language() or "fr"
    catalogue = study.training_catalogue or {}
    return {
        "study": study,
        "form": form,
        "problems": problems[:MAX_LISTED],
        "more_problems": max(0, len(problems) - MAX_LISTED),
        "catalogue": catalogue,
        "modules": [
            {**m, "covers_text": module_covers_text(m, frameworks)}
            for m in catalogue.get("modules", [])
        ],
        "today": _today_rows(study, frameworks, lang),
        "source_form": CurrentSourceForm(
            initial={"source": (study.current_profile or {}).get("source", "")}
        ),
        "choices": framework_competence_choices(frameworks),
        "level_choices": [
            (f.name, [{"id": lv.id, "title": lv.title.in_language(lang)} for lv in f.levels])
            for f in frameworks.values()
        ],
        "example_list": EXAMPLE_LIST,
        "open": study.decisions_are_open(),
        "section": "training",
        "facilitator": True,
    }


@require_http_methods(["GET", "POST"])
def training_catalogue(request: HttpRequest, study_id: int) -> HttpResponse:
    """Today's profile and the catalogue; a POST imports a catalogue, replacing the study's:
    all of it or nothing, every problem shown by row and column."""
    if request.method == "POST":
        study = editable_study(request, study_id)
    else:
        study = facilitated_study(request, study_id)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        language = get_language() or "fr"
        try:
            table = read_upload(form.cleaned_data["file"], language, "catalogue")
            modules = read_catalogue(table, _names(study), language)
        except ImportRefused as refused:
            problems = refused.problems
        else:
            catalogue = new_catalogue(
                modules,
                title=form.cleaned_data["title"],
                simulated=form.cleaned_data["simulated"],
            )
            with transaction.atomic():
                replaced = bool(study.training_catalogue)
                study.training_catalogue = catalogue
                study.save(update_fields=["training_catalogue", "updated_at"])
                AuditEvent.record(
                    study,
                    request.user,
                    "training_catalogue_imported",
                    modules=len(modules),
                    replaced=replaced,
                )
            messages.success(
                request,
                ngettext(
                    "The catalogue has %(count)d module.",
                    "The catalogue has %(count)d modules.",
                    len(modules),
                )
                % {"count": len(modules)},
            )
            return redirect(_page(study, "#catalogue"))
    return render(request, "workshop/desk/training.html", _context(study, form, problems))


@require_POST
def training_catalogue_remove(request: HttpRequest, study_id: int) -> HttpResponse:
    """Remove the study's catalogue (the training-needs page then shows no coverage)."""
    study = editable_study(request, study_id)
    if not study.training_catalogue:
        return refuse(request, _("The study has no catalogue."), _page(study))
    with transaction.atomic():
        study.training_catalogue = None
        study.save(update_fields=["training_catalogue", "updated_at"])
        AuditEvent.record(study, request.user, "training_catalogue_removed")
    messages.success(request, _("Catalogue removed."))
    return redirect(_page(study, "#catalogue"))


def _today(study: Study) -> dict[str, Any]:
    return dict(study.current_profile or {"competences": []})


@require_POST
def today_add(request: HttpRequest, study_id: int) -> HttpResponse:
    """Add a framework competence to today's profile, with the level held today."""
    study = editable_study(request, study_id)
    page = _page(study, "#today")
    frameworks = study.frameworks()
    form = CurrentCompetenceForm(request.POST, frameworks=frameworks)
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    entry = form.cleaned_data["entry"]
    today = _today(study)
    if any(
        (e["framework"], e["id"]) == (entry["framework"], entry["id"]) for e in today["competences"]
    ):
        return refuse(request, _("Today's profile already has this competence."), page)
    if len(today["competences"]) >= MAX_TODAY:
        return refuse(
            request,
            _("Today's profile has at most %(limit)d competences.") % {"limit": MAX_TODAY},
            page,
        )
    with transaction.atomic():
        study.current_profile = {**today, "competences": [*today["competences"], entry]}
        study.save(update_fields=["current_profile", "updated_at"])
        AuditEvent.record(study, request.user, "current_profile_added", link=entry)
    messages.success(request, _("Added to today's profile."))
    return redirect(page)


@require_POST
def today_remove(request: HttpRequest, study_id: int) -> HttpResponse:
    """Remove a framework competence from today's profile."""
    study = editable_study(request, study_id)
    page = _page(study, "#today")
    today = _today(study)
    key = (request.POST.get("framework", ""), request.POST.get("id", ""))
    kept = [e for e in today["competences"] if (e["framework"], e["id"]) != key]
    if len(kept) == len(today["competences"]):
        return refuse(request, _("This competence is no longer in today's profile."), page)
    with transaction.atomic():
        study.current_profile = (
            {**today, "competences": kept} if kept or today.get("source") else None
        )
        study.save(update_fields=["current_profile", "updated_at"])
        AuditEvent.record(
            study, request.user, "current_profile_removed", link={"framework": key[0], "id": key[1]}
        )
    messages.success(request, _("Removed from today's profile."))
    return redirect(page)


@require_POST
def today_source(request: HttpRequest, study_id: int) -> HttpResponse:
    """Say where today's profile comes from."""
    study = editable_study(request, study_id)
    page = _page(study, "#today")
    form = CurrentSourceForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    today = _today(study)
    source = form.cleaned_data["source"].strip()
    if source:
        today["source"] = source
    else:
        today.pop("source", None)
    with transaction.atomic():
        study.current_profile = today if today["competences"] or source else None
        study.save(update_fields=["current_profile", "updated_at"])
        AuditEvent.record(study, request.user, "current_profile_source")
    messages.success(request, _("Source saved."))
    return redirect(page)
