"""The results of the closed rounds (factor vote, structural analysis, hypotheses, actions
and impacts), the influence/dependence maps, how the answers moved between Delphi
iterations, and the downloads of every table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from anticipe.workshop import downloads
from anticipe.workshop.models import Round
from anticipe.workshop.results import (
    StudyResults,
    hypotheses_page,
    impacts_page,
    iterations_page,
    structure_page,
    vote_page,
)
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
}


def _results(request: HttpRequest, study_id: int, page: str) -> HttpResponse:
    study = results_study(request, study_id)
    template, build = RESULT_PAGES[page]
    results = checked_results(study)
    context = build(results)
    context.update(
        study=study,
        results=results,
        page=page,
        section=page,
        facilitator=study.is_facilitated_by(request.user),
        key_factors=results.analysis["key_factors"],
    )
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


def _map_chart(results: StudyResults, plane: str) -> tuple[dict[str, Any], dict[str, str]] | None:
    """The data of the report's influence/dependence map for a plane of the analysis."""
    sa = results.analysis["structural_analysis"]
    if sa is None:
        return None
    data = sa[plane]
    titles = results.factor_titles
    keys = {k["code"]: k for k in results.analysis["key_factors"]}
    selected = set(sa["selection"]["selected"])
    points = [
        {
            "code": code,
            "title": titles.get(code, code),
            "influence": float(data["influence"][code]),
            "dependence": float(data["dependence"][code]),
            "quadrant": data["quadrant"][code],
            "selected": (keys[code]["origin"] == "selection")
            if code in keys
            else (code in selected and not keys),
            "added": code in keys and keys[code]["origin"] == "addition",
        }
        for code in sa["factors"]
    ]
    chart = {
        "basis": plane,
        "mean_influence": float(data["means"]["influence"]),
        "mean_dependence": float(data["means"]["dependence"]),
        "points": points,
    }
    labels = {
        "quadrant_driving": _("driving"),
        "quadrant_relay": _("relay"),
        "quadrant_dependent": _("dependent"),
        "quadrant_autonomous": _("autonomous"),
        "influence": _("Influence"),
        "dependence": _("Dependence"),
        "legend_selected": _("key factor (analysis)"),
        "legend_added": _("key factor (added by the panel)"),
        "legend_other": _("other factor"),
        "legend_box": _("box of the selected factors"),
        "mean": _("mean"),
    }
    return chart, labels


@require_GET
@shows_unusable_decisions
def results_map(request: HttpRequest, study_id: int, plane: str) -> HttpResponse:
    """The influence/dependence map as an SVG image (drawn by the report's chart code).

    Served as an image of its own: matplotlib's SVG carries style attributes that the
    pages' Content-Security-Policy would block inline.
    """
    if plane not in ("direct", "indirect"):
        raise Http404
    study = results_study(request, study_id)
    results = checked_results(study)
    name = f"anticipe:map:{results.key}:{plane}:{get_language()}"
    svg = cache.get(name)
    if svg is None:
        found = _map_chart(results, plane)
        if found is None:
            raise Http404
        from anticipe.report.charts import figure_svg, influence_map_figure

        svg = figure_svg(influence_map_figure(*found))
        cache.set(name, svg, 24 * 60 * 60)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="influence-map-{plane}.svg"'
    return response


STEP_SLUGS = {
    "factor-vote": Round.Step.FACTOR_VOTE,
    "influence": Round.Step.INFLUENCE,
    "hypothesis-vote": Round.Step.HYPOTHESIS_VOTE,
}


# == Delphi iterations: how the answers moved ===================================================


@require_GET
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
    if page in RESULT_PAGES:
        tables = RESULT_PAGES[page][1](checked_results(study))["tables"]
    elif page.startswith("iterations-") and page.removeprefix("iterations-") in STEP_SLUGS:
        tables = iterations_page(study, STEP_SLUGS[page.removeprefix("iterations-")])["tables"]
    else:
        raise Http404
    name = f"study-{study.pk}-{page}"
    if fmt == "csv":
        return downloads.csv_response(name, tables)
    return downloads.xlsx_response(name, tables)
