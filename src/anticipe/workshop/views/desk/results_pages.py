"""The results of the closed rounds (factor vote, structural analysis, hypotheses, actions
and impacts), the influence/dependence maps, how the answers moved between Delphi
iterations, and the downloads of every table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from anticipe.workshop import downloads
from anticipe.workshop.models import Round
from anticipe.workshop.results import (
    StudyResults,
    hypotheses_page,
    impacts_page,
    influence_graphs,
    iterations_page,
    profile_page,
    structure_page,
    training_page,
    vote_page,
)
from anticipe.workshop.results.tables import simulation_notice
from anticipe.workshop.self_assessment import study_file_block
from anticipe.workshop.views.desk.common import (
    checked_results,
    results_study,
    shows_unusable_decisions,
)

RESULT_PAGES: dict[str, tuple[str, Callable[[StudyResults], dict[str, Any]]]] = {
    "factor-vote": ("workshop/desk/results_vote.html", vote_page),
    "structural-analysis": ("workshop/desk/results_structure.html", structure_page),
    "hypotheses": ("workshop/desk/results_hypotheses.html", hypotheses_page),
    "actions-and-impacts": ("workshop/desk/results_impacts.html", impacts_page),
    "competence-profile": ("workshop/desk/results_profile.html", profile_page),
    "training-needs": ("workshop/desk/results_training.html", training_page),
}


def _results(request: HttpRequest, study_id: int, page: str) -> HttpResponse:
    study = results_study(request, study_id)
    template, build = RESULT_PAGES[page]
    results = checked_results(study, wait=False)  # never the bootstrap in a request
    if page == "training-needs":  # for a group of the self-assessment when one is chosen
        context = training_page(results, request.GET.get("group"), study_file_block(study))
    else:
        context = build(results)
    context.update(
        study=study,
        results=results,
        page=page,
        section=page,
        facilitator=study.is_facilitated_by(request.user),
        key_factors=results.analysis["key_factors"],
    )
    if page == "structural-analysis" and context.get("structural"):
        context.update(influence_graphs.potential_context(results))
        choice = influence_graphs.graph_choice(request.GET)
        context.update(influence_graphs.graph_context(results, *choice))
    if page == "hypotheses" and context["facilitator"] and study.decisions_are_open():
        ids = dict(study.factors.exclude(key_origin="").values_list("code", "pk"))
        for block in context["blocks"]:
            if block["factor"] in ids:
                block["decide_url"] = reverse(
                    "workshop:factor_decisions", args=[study.pk, ids[block["factor"]]]
                )
    return render(request, template, context)


@require_GET
@shows_unusable_decisions
def results_vote(request: HttpRequest, study_id: int) -> HttpResponse:
    return _results(request, study_id, "factor-vote")


@require_GET
@shows_unusable_decisions
def results_structure(request: HttpRequest, study_id: int) -> HttpResponse:
    return _results(request, study_id, "structural-analysis")


@require_GET
@shows_unusable_decisions
def results_hypotheses(request: HttpRequest, study_id: int) -> HttpResponse:
    return _results(request, study_id, "hypotheses")


@require_GET
@shows_unusable_decisions
def results_impacts(request: HttpRequest, study_id: int) -> HttpResponse:
    return _results(request, study_id, "actions-and-impacts")


@require_GET
@shows_unusable_decisions
def results_profile(request: HttpRequest, study_id: int) -> HttpResponse:
    """The job's competence profile: facilitators, and observers once published."""
    return _results(request, study_id, "competence-profile")


@require_GET
@shows_unusable_decisions
def results_training(request: HttpRequest, study_id: int) -> HttpResponse:
    """The training needs (``?group=`` a self-assessment group): facilitators, and observers
    once published."""
    return _results(request, study_id, "training-needs")


# == the structural analysis' charts (SVG images) ================================================


def _chart(
    request: HttpRequest, study_id: int, kind: str, plane: str, percent: int = 0
) -> HttpResponse:
    """One chart of the structural analysis as an SVG image, drawn by the report's chart
    code (``?size=narrow`` for a phone, ``?download=1`` to save it).

    Served as an image of its own: matplotlib's SVG carries style attributes that the
    pages' Content-Security-Policy would block inline.
    """
    if plane not in influence_graphs.CHARTS[kind]:
        raise Http404
    study = results_study(request, study_id)
    size = request.GET.get("size", "wide")
    if size not in influence_graphs.SIZES:
        raise Http404
    svg = influence_graphs.chart_svg(checked_results(study), kind, plane, percent, size)
    if svg is None:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    if request.GET.get("download"):
        name = f"{kind}-{plane}" + (f"-{percent}" if kind == "graph" else "")
        response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
    return response


@require_GET
@shows_unusable_decisions
def results_map(request: HttpRequest, study_id: int, plane: str) -> HttpResponse:
    """The influence/dependence map of a plane (direct, indirect, potential...)."""
    return _chart(request, study_id, "map", plane)


@require_GET
@shows_unusable_decisions
def results_displacement(request: HttpRequest, study_id: int, plane: str) -> HttpResponse:
    """The displacement from the direct plane to another (indirect, potential indirect)."""
    return _chart(request, study_id, "displacement", plane)


@require_GET
@shows_unusable_decisions
def results_graph(request: HttpRequest, study_id: int, plane: str, percent: int) -> HttpResponse:
    """The graph of influences of a plane, its strongest `percent` % of the links."""
    if percent not in influence_graphs.GRAPH_PERCENTS:
        raise Http404
    return _chart(request, study_id, "graph", plane, percent)


STEP_SLUGS = {
    "factor-vote": Round.Step.FACTOR_VOTE,
    "influence": Round.Step.INFLUENCE,
    "hypothesis-vote": Round.Step.HYPOTHESIS_VOTE,
}


# == Delphi iterations: how the answers moved ===================================================


@require_GET
@shows_unusable_decisions
def results_iterations(request: HttpRequest, study_id: int, step: str) -> HttpResponse:
    """How the answers moved from one iteration of a step to the next (aggregates only)."""
    if step not in STEP_SLUGS:
        raise Http404
    study = results_study(request, study_id)
    context = iterations_page(study, STEP_SLUGS[step])
    context.update(
        study=study,
        slug=step,
        section="iterations",
        facilitator=study.is_facilitated_by(request.user),
    )
    return render(request, "workshop/desk/results_iterations.html", context)


# == downloads ===================================================================================


@require_GET
@shows_unusable_decisions
def results_download(request: HttpRequest, study_id: int, page: str, fmt: str) -> HttpResponse:
    """Every table of a results page as CSV or XLSX: aggregates only."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    study = results_study(request, study_id)
    services = False
    if page == "training-needs":
        groups = study_file_block(study)
        training = training_page(checked_results(study), request.GET.get("group"), groups)
        tables, services = training["tables"], bool(training["needs"]["simulated"])
    elif page in RESULT_PAGES:
        tables = RESULT_PAGES[page][1](checked_results(study))["tables"]
    elif page.startswith("iterations-") and page.removeprefix("iterations-") in STEP_SLUGS:
        tables = iterations_page(study, STEP_SLUGS[page.removeprefix("iterations-")])["tables"]
    else:
        raise Http404
    notice = simulation_notice(bool(study.simulation), services)  # as the page says it
    if notice is not None:
        tables = [notice, *tables]
    name = f"study-{study.pk}-{page}"
    if fmt == "csv":
        return downloads.csv_response(name, tables)
    return downloads.xlsx_response(name, tables)
