"""What the desk's views share: fetch and authorise the study for its results, answer a
refusal, the retained hypotheses in order."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from anticipe.workshop.access import study_with_results
from anticipe.workshop.models import (
    Hypothesis,
    Study,
)
from anticipe.workshop.views.helpers import is_htmx as is_htmx  # the results pages use it from here


def results_study(request: HttpRequest, study_id: int) -> Study:
    """Facilitators, and observers of a published study (403 before; 404 for others)."""
    return study_with_results(request, study_id)


def back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was on (a local path only), else to `default`."""
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)


def refuse(request: HttpRequest, message: str, default: str) -> HttpResponse:
    messages.error(request, message)
    return back(request, default)


def form_errors(form: forms.Form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def retained_hypotheses_in_order(study: Study) -> list[Hypothesis]:
    """The hypothesis retained for each key factor, in the key factors' order."""
    retained = [f.retained_id for f in study.factors.key() if f.retained_id]
    found = {h.pk: h for h in Hypothesis.objects.select_related("factor").filter(pk__in=retained)}
    return [found[pk] for pk in retained if pk in found]
