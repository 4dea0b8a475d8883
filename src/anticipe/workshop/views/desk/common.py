"""What the desk's views share: fetch and authorise the study, answer a refusal, the
limits of the texts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from anticipe.workshop.access import facilitated_study, study_with_results
from anticipe.workshop.models import (
    Hypothesis,
    Study,
)

MAX_TEXT = 4000
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"


def results_study(request: HttpRequest, study_id: int) -> Study:
    """Facilitators, and observers of a published study (403 before; 404 for others)."""
    return study_with_results(request, study_id)


def deciding_study(request: HttpRequest, study_id: int) -> Study:
    """A study whose decisions the user may change: a facilitator's, not published."""
    study = facilitated_study(request, study_id)
    if not study.decisions_are_open():
        raise PermissionDenied(_("The study is published: its decisions can no longer change."))
    return study


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


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


def move_in_order(items: list[Any], item: Any, direction: str, field: str) -> bool:
    """Move `item` one place up or down in `items` (renumbering `field` 0, 1, 2...)."""
    index = next((k for k, other in enumerate(items) if other.pk == item.pk), None)
    if index is None:
        return False
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items):
        if getattr(other, field) != position:
            setattr(other, field, position)
            other.save(update_fields=[field])
    return True


def retained_hypotheses_in_order(study: Study) -> list[Hypothesis]:
    """The hypothesis retained for each key factor, in the key factors' order."""
    retained = [f.retained_id for f in study.factors.key() if f.retained_id]
    found = {h.pk: h for h in Hypothesis.objects.select_related("factor").filter(pk__in=retained)}
    return [found[pk] for pk in retained if pk in found]
