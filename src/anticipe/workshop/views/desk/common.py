"""What the desk's views share: fetch and authorise the study for its results, its results
when the decisions allow them, answer a refusal, the retained hypotheses in order."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from anticipe.method.errors import MethodInputError
from anticipe.study.errors import StudyInputError
from anticipe.workshop.access import study_with_results
from anticipe.workshop.models import (
    Hypothesis,
    StructuralResult,
    Study,
)
from anticipe.workshop.results import ResultsPending, StudyResults, study_results
from anticipe.workshop.rules import DecisionProblem, decision_problems
from anticipe.workshop.tasks.results import request_structural_results
from anticipe.workshop.views.helpers import is_htmx as is_htmx  # the results pages use it from here


def results_study(request: HttpRequest, study_id: int) -> Study:
    """Facilitators, and observers of a published study (403 before; 404 for others)."""
    return study_with_results(request, study_id)


class UnusableDecisions(Exception):  # noqa: N818 (a state, not a failure of the code)
    """The study's decisions are in a state the analysis cannot use: its problems."""

    def __init__(self, study: Study, problems: list[DecisionProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.study = study
        self.problems = problems


def usable_results(
    study: Study, *, wait: bool = False
) -> tuple[StudyResults | None, list[DecisionProblem]]:
    """The study's results, or None and why the decisions do not allow them (the desk's
    rules never leave such a state; older data may). :class:`ResultsPending` when the
    structural analysis is still being computed in the background (a page never computes
    it: decorated with :func:`shows_unusable_decisions`, it says so and polls); ``wait``
    computes it here (for the background job and tests only)."""
    problems = decision_problems(study)
    if problems:
        return None, problems
    try:
        return study_results(study, wait=wait), []
    except StudyInputError as error:
        return None, [DecisionProblem(error.text_in(get_language()))]
    except MethodInputError as error:
        return None, [DecisionProblem(str(error))]


def checked_results(study: Study, *, wait: bool = False) -> StudyResults:
    """The study's results; :class:`UnusableDecisions` when the decisions do not allow them
    (a page decorated with :func:`shows_unusable_decisions` then says so);
    :class:`ResultsPending` while the structural analysis is being computed (the decorated
    page then says so and polls; an action is refused, nothing done)."""
    results, problems = usable_results(study, wait=wait)
    if results is None:
        raise UnusableDecisions(study, problems)
    return results


def shows_unusable_decisions(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """A results page, download or decision that needs the results answers, when the
    decisions do not allow them, a page that says why and where to fix it (never a 500).
    The view has fetched and authorised the study before it asks for the results."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return _when_computed(request, view(request, *args, **kwargs))
        except ResultsPending as pending:
            # a failed job is tried again when the page is loaded, not at every poll
            row = request_structural_results(
                pending.study, pending.key, retry=not _polling(request)
            )
            if row.status == StructuralResult.Status.READY:  # the task ran at once
                return _when_computed(request, view(request, *args, **kwargs))
            if request.method == "POST":  # an action needs the results: refused, not done
                return refuse(
                    request,
                    _(
                        "The results are still being computed, so nothing was changed: "
                        "try again in a moment."
                    ),
                    reverse("workshop:study", args=[pending.study.pk]),
                )
            return _pending(request, pending.study, row.status == StructuralResult.Status.FAILED)
        except UnusableDecisions as unusable:
            context = {
                "study": unusable.study,
                "problems": unusable.problems,
                "open": unusable.study.decisions_are_open(),
                "facilitator": unusable.study.is_facilitated_by(request.user),
                "section": "",
            }
            return render(request, "workshop/desk/decisions_unusable.html", context, status=409)

    return answer


#: the id of the element that polls while the analysis is being computed (htmx sends it)
PENDING_ID = "results-pending"


def _polling(request: HttpRequest) -> bool:
    return is_htmx(request) and request.headers.get("HX-Trigger") == PENDING_ID


def _when_computed(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The page, or, to the waiting page's poll, the order to reload it (the results are
    ready)."""
    if _polling(request) and response.status_code == 200:
        return HttpResponse(headers={"HX-Refresh": "true"})
    return response


def _pending(request: HttpRequest, study: Study, failed: bool) -> HttpResponse:
    """The results being computed in the background: the page (or, to its poll, the part)
    that says so and asks again every few seconds; never a wait in the request."""
    context = {
        "study": study,
        "failed": failed,
        "facilitator": study.is_facilitated_by(request.user),
        "section": "",
    }
    if _polling(request):
        return render(request, "workshop/desk/partials/results_pending.html", context)
    return render(request, "workshop/desk/results_pending.html", context)


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
