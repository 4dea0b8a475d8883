"""The facilitator's desk: the results of each closed round, the projector, the panel's
decisions, the Delphi feedback and the downloads.

Results are computed by the method core (:mod:`anticipe.workshop.results`, which runs
:func:`anticipe.study.analysis.analyse_study` on the study's closed rounds) once per request;
pages only lay them out, with the parameters used.

Who sees what:

- results pages and their downloads: the study's facilitators, and its observers once the
  study is published (:func:`~anticipe.workshop.access.study_with_results`);
- decisions and the projector: facilitators only
  (:func:`~anticipe.workshop.access.facilitated_study`); once the study is published the
  decisions are shown read-only and every change is refused (403);
- the Delphi feedback: the expert of this browser, for a closed round of their study
  (:func:`~anticipe.workshop.access.expert_of_study`).

Anyone else gets a 404. Nobody, facilitators included, sees an expert's individual answers:
pages and downloads show counts, distributions and statistics; the experts' free texts
(situations, actions, impacts) are shown as material without their authors, sorted by text.

Every decision is one POST that does one thing and is recorded in the audit log
(:meth:`~anticipe.workshop.models.AuditEvent.record`) with who, when and why.
"""

from __future__ import annotations

import string
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anticipe.workshop import downloads
from anticipe.workshop.access import expert_of_study, facilitated_study, study_with_results
from anticipe.workshop.models import (
    Action,
    ActionProposal,
    AuditEvent,
    Competence,
    CrossImpact,
    Factor,
    FactorPoints,
    FactorProposal,
    Hypothesis,
    HypothesisVote,
    Impact,
    ImpactProposal,
    InfluenceScore,
    Round,
    Situation,
    Study,
)
from anticipe.workshop.results import (
    NUMERIC_STEPS,
    StudyResults,
    anonymous_texts,
    feedback_context,
    flatten_parameters,
    hypotheses_page,
    impacts_page,
    iterations_page,
    quadrant_label,
    round_aggregates,
    structure_page,
    study_results,
    vote_page,
)

MAX_HYPOTHESES = 5  # voted hypotheses per key factor (the method core's limit)
MIN_HYPOTHESES = 2
MAX_TEXT = 4000
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
FRAMEWORKS = ("DigComp 2.2", "DigComp 3.0", "DigCompEdu", "CRCN", "ESCO")

ANSWER_MODELS: dict[str, Any] = {
    Round.Step.PROPOSALS: FactorProposal,
    Round.Step.FACTOR_VOTE: FactorPoints,
    Round.Step.INFLUENCE: InfluenceScore,
    Round.Step.SITUATIONS: Situation,
    Round.Step.HYPOTHESIS_VOTE: HypothesisVote,
    Round.Step.ACTIONS: ActionProposal,
    Round.Step.IMPACTS: ImpactProposal,
}

# What each decision recorded by this module means, for the decisions log.
DECISION_LABELS = {
    "key_factors_accepted": gettext_lazy("Key factors of the analysis confirmed"),
    "key_factor_added": gettext_lazy("Key factor added"),
    "key_factor_removed": gettext_lazy("Key factor removed"),
    "key_factor_moved": gettext_lazy("Key factors reordered"),
    "current_situation_edited": gettext_lazy("Current situation written"),
    "hypothesis_added": gettext_lazy("Hypothesis written"),
    "hypothesis_reworded": gettext_lazy("Hypothesis reworded"),
    "hypothesis_deleted": gettext_lazy("Hypothesis deleted"),
    "hypothesis_moved": gettext_lazy("Hypotheses reordered"),
    "hypotheses_merged": gettext_lazy("Hypotheses merged"),
    "reachability_set": gettext_lazy("Can actions reach the most desirable hypothesis?"),
    "hypothesis_retained": gettext_lazy("Hypothesis retained (the rule's proposal)"),
    "retention_overridden": gettext_lazy("Hypothesis retained (override)"),
    "retention_cleared": gettext_lazy("Retained hypothesis withdrawn"),
    "action_added": gettext_lazy("Action added"),
    "action_edited": gettext_lazy("Action edited"),
    "action_deleted": gettext_lazy("Action deleted"),
    "action_moved": gettext_lazy("Actions reordered"),
    "actions_merged": gettext_lazy("Actions merged"),
    "impact_added": gettext_lazy("Impact added"),
    "impact_edited": gettext_lazy("Impact edited"),
    "impact_deleted": gettext_lazy("Impact deleted"),
    "competence_added": gettext_lazy("Competence added"),
    "competence_edited": gettext_lazy("Competence edited"),
    "competence_deleted": gettext_lazy("Competence deleted"),
    "cross_impacts_saved": gettext_lazy("Cross-impacts saved"),
}


# == fetch and authorise =========================================================================


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


# == overview ====================================================================================


def _round_rows(study: Study) -> list[dict[str, Any]]:
    rows = []
    for round_ in study.rounds.order_by("created_at", "id"):
        rows.append(
            {
                "round": round_,
                "numeric": round_.step in NUMERIC_STEPS,
                "closed": round_.status == Round.Status.CLOSED,
            }
        )
    return rows


@require_GET
def desk(request: HttpRequest, study_id: int) -> HttpResponse:
    """The desk's home: the rounds, where the results are, the decisions to take."""
    study = results_study(request, study_id)
    facilitator = study.is_facilitated_by(request.user)
    factors = list(study.factors.key())
    return render(
        request,
        "workshop/desk/desk.html",
        {
            "study": study,
            "facilitator": facilitator,
            "rounds": _round_rows(study),
            "key_factors": factors,
            "retained_count": sum(1 for f in factors if f.retained_id),
            "section": "desk",
        },
    )


# == results pages ===============================================================================


RESULT_PAGES: dict[str, tuple[str, Callable[[StudyResults], dict[str, Any]]]] = {
    "factor-vote": ("workshop/desk/results_vote.html", vote_page),
    "structural-analysis": ("workshop/desk/results_structure.html", structure_page),
    "hypotheses": ("workshop/desk/results_hypotheses.html", hypotheses_page),
    "actions-and-impacts": ("workshop/desk/results_impacts.html", impacts_page),
}


def _results(request: HttpRequest, study_id: int, page: str) -> HttpResponse:
    study = results_study(request, study_id)
    template, build = RESULT_PAGES[page]
    results = study_results(study)
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
def results_vote(request: HttpRequest, study_id: int) -> HttpResponse:
    return _results(request, study_id, "factor-vote")


@require_GET
def results_structure(request: HttpRequest, study_id: int) -> HttpResponse:
    return _results(request, study_id, "structural-analysis")


@require_GET
def results_hypotheses(request: HttpRequest, study_id: int) -> HttpResponse:
    return _results(request, study_id, "hypotheses")


@require_GET
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
def results_map(request: HttpRequest, study_id: int, plane: str) -> HttpResponse:
    """The influence/dependence map as an SVG image (drawn by the report's chart code).

    Served as an image of its own: matplotlib's SVG carries style attributes that the
    pages' Content-Security-Policy would block inline.
    """
    if plane not in ("direct", "indirect"):
        raise Http404
    study = results_study(request, study_id)
    results = study_results(study)
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


# == Delphi iterations: how the answers moved ===================================================


STEP_SLUGS = {
    "factor-vote": Round.Step.FACTOR_VOTE,
    "influence": Round.Step.INFLUENCE,
    "hypothesis-vote": Round.Step.HYPOTHESIS_VOTE,
}


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
def results_download(request: HttpRequest, study_id: int, page: str, fmt: str) -> HttpResponse:
    """Every table of a results page as CSV or XLSX: aggregates only."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    study = results_study(request, study_id)
    if page in RESULT_PAGES:
        tables = RESULT_PAGES[page][1](study_results(study))["tables"]
    elif page.startswith("iterations-") and page.removeprefix("iterations-") in STEP_SLUGS:
        tables = iterations_page(study, STEP_SLUGS[page.removeprefix("iterations-")])["tables"]
    else:
        raise Http404
    name = f"study-{study.pk}-{page}"
    if fmt == "csv":
        return downloads.csv_response(name, tables)
    return downloads.xlsx_response(name, tables)


# == projector ===================================================================================


def answered_experts(round_: Round) -> int:
    """How many experts have given at least one answer in the round (never what)."""
    model = ANSWER_MODELS[round_.step]
    return int(model.objects.filter(round=round_).values("expert_id").distinct().count())


def projector_context(request: HttpRequest, study: Study) -> dict[str, Any]:
    open_round = study.rounds.open().order_by("-opened_at", "-id").first()
    context: dict[str, Any] = {
        "study": study,
        "open_round": open_round,
        "join_address": request.build_absolute_uri(reverse("workshop:join")),
        "experts": study.experts.count(),
    }
    if open_round is not None:
        context["answered"] = answered_experts(open_round)
        return context
    closed = study.rounds.closed().order_by("-closed_at", "-id").first()
    context["closed_round"] = closed
    if closed is not None:
        context["answered"] = answered_experts(closed)
        aggregates = round_aggregates(study, closed)
        context["aggregates"] = aggregates
        if aggregates and aggregates.get("factor_vote"):
            titles = {
                code: reworded or title
                for code, title, reworded in study.factors.values_list(
                    "code", "title", "reworded_title"
                )
            }
            context["ranking"] = [
                {**item, "title": titles.get(item["factor"], item["factor"])}
                for item in aggregates["factor_vote"]["ranking"][:12]
            ]
    return context


@require_GET
def projector(request: HttpRequest, study_id: int) -> HttpResponse:
    """For the room: the open round, the code to join, the answers coming in, then the
    results; the panel refreshes itself every few seconds."""
    study = facilitated_study(request, study_id)
    return render(request, "workshop/desk/projector.html", projector_context(request, study))


@require_GET
def projector_panel(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    return render(
        request, "workshop/desk/partials/projector_panel.html", projector_context(request, study)
    )


# == the expert's feedback (Delphi) =============================================================


@require_GET
def expert_feedback(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """After a round closes: the group's result next to the expert's own answer."""
    expert = expert_of_study(request, study_id)
    round_ = get_object_or_404(Round.objects.closed(), pk=round_id, study_id=expert.study_id)
    context = feedback_context(expert, round_)
    if is_htmx(request):
        return render(request, "workshop/desk/partials/feedback.html", context)
    return render(request, "workshop/desk/expert_feedback.html", context)


# == decisions: key factors ======================================================================


def _structural_codes(results: StudyResults) -> list[str]:
    section = results.document.get("structural_analysis")
    return list(section["factors"]) if section else []


@require_GET
def key_factors(request: HttpRequest, study_id: int) -> HttpResponse:
    """Confirm the key factors: the structural analysis proposes, the panel decides."""
    study = facilitated_study(request, study_id)
    results = study_results(study)
    sa = results.analysis["structural_analysis"]
    codes = _structural_codes(results)
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
            "open": study.decisions_are_open(),
            "section": "key-factors",
            "facilitator": True,
        },
    )


def _next_key_position(study: Study) -> int:
    top = study.factors.exclude(key_origin="").aggregate(top=Max("key_position"))["top"]
    return 0 if top is None else top + 1


@require_POST
def key_factors_accept(request: HttpRequest, study_id: int) -> HttpResponse:
    """Confirm the analysis' selection: its factors become key factors."""
    study = deciding_study(request, study_id)
    results = study_results(study)
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


class KeyFactorAddForm(forms.Form):
    factor = forms.ChoiceField(label=gettext_lazy("Factor"))
    reason = forms.CharField(
        label=gettext_lazy("Why"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required for a factor the analysis did not select."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["factor"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


@require_POST
def key_factor_add(request: HttpRequest, study_id: int) -> HttpResponse:
    """Add a key factor: one of the analysis' selection, or another with a reason."""
    study = deciding_study(request, study_id)
    results = study_results(study)
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


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


@require_POST
def key_factor_remove(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """Remove a key factor, with a reason."""
    study = deciding_study(request, study_id)
    factor = get_object_or_404(study.factors.exclude(key_origin=""), pk=factor_id)
    page = reverse("workshop:key_factors", args=[study.pk])
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


def _move(items: list[Any], item: Any, direction: str, field: str) -> bool:
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


@require_POST
def key_factor_move(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    study = deciding_study(request, study_id)
    factor = get_object_or_404(study.factors.exclude(key_origin=""), pk=factor_id)
    direction = request.POST.get("direction", "")
    with transaction.atomic():
        if _move(list(study.factors.key()), factor, direction, "key_position"):
            AuditEvent.record(
                study, request.user, "key_factor_moved", factor=factor.code, direction=direction
            )
    return redirect("workshop:key_factors", study_id=study.pk)


# == decisions: hypotheses of a key factor ======================================================


def _key_factor(study: Study, factor_id: int) -> Factor:
    return get_object_or_404(study.factors.exclude(key_origin=""), pk=factor_id)


def _factor_block(results: StudyResults, code: str) -> dict[str, Any] | None:
    return next((b for b in results.analysis["hypotheses"] if b["factor"] == code), None)


@require_GET
def factor_decisions(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """One key factor: its current situation, its hypotheses (write, reword, merge,
    order), whether actions can reach the most desirable, and the retained hypothesis."""
    study = facilitated_study(request, study_id)
    factor = _key_factor(study, factor_id)
    results = study_results(study)
    block = _factor_block(results, factor.code)
    hypotheses = list(factor.hypotheses.prefetch_related("merged_from").order_by("position", "id"))
    voted = set(
        HypothesisVote.objects.filter(hypothesis__factor=factor).values_list(
            "hypothesis_id", flat=True
        )
    )
    merged_away = {h.pk for hypothesis in hypotheses for h in hypothesis.merged_from.all()}
    stats = {item["code"]: item for item in block["hypotheses"]} if block else {}
    rows: list[dict[str, Any]] = [
        {
            "hypothesis": h,
            "voted": h.pk in voted,
            "merged_from": [m.label for m in h.merged_from.all()],
            "merged_away": h.pk in merged_away,
            "stats": stats.get(h.code),
        }
        for h in hypotheses
    ]
    situations = Situation.objects.filter(
        factor=factor, round__status__in=[Round.Status.OPEN, Round.Status.CLOSED]
    ).values_list("current", "future")
    keys = list(study.factors.key())
    return render(
        request,
        "workshop/desk/factor.html",
        {
            "study": study,
            "factor": factor,
            "keys": keys,
            "rows": rows,
            "block": block,
            "retention": block["retention"] if block else None,
            "current_texts": anonymous_texts(current for current, _future in situations),
            "future_texts": anonymous_texts(future for _current, future in situations),
            "mergeable": [r for r in rows if not r["hypothesis"].merged_from.all()],
            "voted_count": sum(1 for r in rows if not r["merged_from"]),
            "max_hypotheses": MAX_HYPOTHESES,
            "min_hypotheses": MIN_HYPOTHESES,
            "open": study.decisions_are_open(),
            "section": "factors",
            "facilitator": True,
        },
    )


def _factor_page(study: Study, factor: Factor) -> str:
    return reverse("workshop:factor_decisions", args=[study.pk, factor.pk])


class SituationForm(forms.Form):
    current_situation = forms.CharField(
        label=gettext_lazy("Current situation"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@require_POST
def factor_situation(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    study = deciding_study(request, study_id)
    factor = _key_factor(study, factor_id)
    form = SituationForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), _factor_page(study, factor))
    with transaction.atomic():
        before = factor.current_situation
        factor.current_situation = form.cleaned_data["current_situation"].strip()
        factor.save(update_fields=["current_situation"])
        AuditEvent.record(
            study,
            request.user,
            "current_situation_edited",
            factor=factor.code,
            before=before,
            after=factor.current_situation,
        )
    messages.success(request, _("The current situation is saved."))
    return redirect(_factor_page(study, factor))


class HypothesisForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Hypothesis"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    label = forms.CharField(
        label=gettext_lazy("Label"),
        required=False,
        max_length=16,
        help_text=gettext_lazy("A, B, C... (given automatically when left empty)."),
    )


def _next_label(used: set[str]) -> str:
    for letter in string.ascii_uppercase:
        if letter not in used:
            return letter
    return str(len(used) + 1)


def _hypothesis_code(study: Study, factor: Factor, label: str) -> str:
    """A hypothesis code unique in the study: the factor's code, a dash, the label."""
    suffix = "".join(ch for ch in label if ch.isalnum()) or "H"
    base = f"{factor.code}-{suffix}"[:32]
    taken = set(Hypothesis.objects.filter(factor__study=study).values_list("code", flat=True))
    code, number = base, 2
    while code in taken:
        tail = f"-{number}"
        code, number = base[: 32 - len(tail)] + tail, number + 1
    return code


@require_POST
def hypothesis_add(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """Write a hypothesis of a key factor (2 to 5 are voted on)."""
    study = deciding_study(request, study_id)
    factor = _key_factor(study, factor_id)
    page = _factor_page(study, factor)
    form = HypothesisForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    existing = list(factor.hypotheses.prefetch_related("merged_from"))
    originals = [h for h in existing if not h.merged_from.all()]
    if len(originals) >= MAX_HYPOTHESES:
        return refuse(
            request,
            _("A key factor has at most %(n)s hypotheses to vote on.") % {"n": MAX_HYPOTHESES},
            page,
        )
    labels = {h.label for h in existing}
    label = form.cleaned_data["label"].strip() or _next_label(labels)
    if label in labels:
        return refuse(request, _("Another hypothesis of this factor has this label."), page)
    with transaction.atomic():
        hypothesis = Hypothesis.objects.create(
            factor=factor,
            code=_hypothesis_code(study, factor, label),
            label=label,
            text=form.cleaned_data["text"].strip(),
            position=max((h.position for h in existing), default=-1) + 1,
        )
        AuditEvent.record(
            study,
            request.user,
            "hypothesis_added",
            factor=factor.code,
            hypothesis=hypothesis.code,
            text=hypothesis.text,
        )
    messages.success(request, _("Hypothesis %(label)s added.") % {"label": label})
    return redirect(page)


def _hypothesis(study: Study, hypothesis_id: int) -> Hypothesis:
    return get_object_or_404(
        Hypothesis.objects.select_related("factor").exclude(factor__key_origin=""),
        pk=hypothesis_id,
        factor__study=study,
    )


@require_POST
def hypothesis_edit(request: HttpRequest, study_id: int, hypothesis_id: int) -> HttpResponse:
    """Reword a hypothesis (its votes stay with it)."""
    study = deciding_study(request, study_id)
    hypothesis = _hypothesis(study, hypothesis_id)
    page = _factor_page(study, hypothesis.factor)
    form = HypothesisForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    label = form.cleaned_data["label"].strip() or hypothesis.label
    if hypothesis.factor.hypotheses.exclude(pk=hypothesis.pk).filter(label=label).exists():
        return refuse(request, _("Another hypothesis of this factor has this label."), page)
    with transaction.atomic():
        before = {"label": hypothesis.label, "text": hypothesis.text}
        hypothesis.label = label
        hypothesis.text = form.cleaned_data["text"].strip()
        hypothesis.save(update_fields=["label", "text"])
        AuditEvent.record(
            study,
            request.user,
            "hypothesis_reworded",
            factor=hypothesis.factor.code,
            hypothesis=hypothesis.code,
            before=before,
            after={"label": hypothesis.label, "text": hypothesis.text},
        )
    messages.success(request, _("Hypothesis %(label)s reworded.") % {"label": hypothesis.label})
    return redirect(page)


def hypothesis_deletion_refusal(hypothesis: Hypothesis) -> str | None:
    """Why a hypothesis cannot be deleted (its votes, decisions or links would be lost)."""
    if HypothesisVote.objects.filter(hypothesis=hypothesis).exists():
        return _("Experts voted on this hypothesis: reword it or merge it instead.")
    if Factor.objects.filter(retained=hypothesis).exists():
        return _("This hypothesis is retained: withdraw the retention first.")
    if hypothesis.merged_into.exists():
        return _("This hypothesis is part of a merge: delete the merged hypothesis first.")
    if hypothesis.actions.exists() or hypothesis.impacts.exists():
        return _("This hypothesis has actions or impacts: delete them first.")
    if ActionProposal.objects.filter(hypothesis=hypothesis).exists() or (
        ImpactProposal.objects.filter(hypothesis=hypothesis).exists()
    ):
        return _("Experts proposed actions or impacts for this hypothesis.")
    return None


@require_POST
def hypothesis_delete(request: HttpRequest, study_id: int, hypothesis_id: int) -> HttpResponse:
    """Delete a hypothesis nobody voted on (deleting a merge undoes it)."""
    study = deciding_study(request, study_id)
    hypothesis = _hypothesis(study, hypothesis_id)
    page = _factor_page(study, hypothesis.factor)
    refusal = hypothesis_deletion_refusal(hypothesis)
    if refusal:
        return refuse(request, refusal, page)
    with transaction.atomic():
        AuditEvent.record(
            study,
            request.user,
            "hypothesis_deleted",
            factor=hypothesis.factor.code,
            hypothesis=hypothesis.code,
            text=hypothesis.text,
            merged_from=[h.code for h in hypothesis.merged_from.all()],
        )
        CrossImpact.objects.filter(Q(source=hypothesis) | Q(target=hypothesis)).delete()
        hypothesis.delete()
    messages.success(request, _("Hypothesis deleted."))
    return redirect(page)


@require_POST
def hypothesis_move(request: HttpRequest, study_id: int, hypothesis_id: int) -> HttpResponse:
    study = deciding_study(request, study_id)
    hypothesis = _hypothesis(study, hypothesis_id)
    direction = request.POST.get("direction", "")
    with transaction.atomic():
        items = list(hypothesis.factor.hypotheses.order_by("position", "id"))
        if _move(items, hypothesis, direction, "position"):
            AuditEvent.record(
                study,
                request.user,
                "hypothesis_moved",
                factor=hypothesis.factor.code,
                hypothesis=hypothesis.code,
                direction=direction,
            )
    return redirect(_factor_page(study, hypothesis.factor))


class MergeForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Wording of the merged hypothesis"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@require_POST
def hypotheses_merge(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """Merge two or more hypotheses of a key factor into a new one; their votes stay with
    them, and the merged hypothesis can be retained by a decision with a reason."""
    study = deciding_study(request, study_id)
    factor = _key_factor(study, factor_id)
    page = _factor_page(study, factor)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    ids = [int(v) for v in request.POST.getlist("hypotheses") if v.isdigit()]
    sources = list(
        factor.hypotheses.filter(pk__in=ids, merged_from__isnull=True).order_by("position", "id")
    )
    if len(sources) < 2 or len(sources) != len(set(ids)):
        return refuse(request, _("Choose at least two hypotheses of this factor to merge."), page)
    with transaction.atomic():
        label = "+".join(h.label for h in sources)[:16]
        merged = Hypothesis.objects.create(
            factor=factor,
            code=_hypothesis_code(study, factor, label),
            label=label,
            text=form.cleaned_data["text"].strip(),
            position=(factor.hypotheses.aggregate(top=Max("position"))["top"] or 0) + 1,
        )
        merged.merged_from.set(sources)
        # The merged hypotheses leave the scenario: their cross-impacts go, and a retention
        # of one of them has to be decided again.
        removed = CrossImpact.objects.filter(Q(source__in=sources) | Q(target__in=sources))
        removed_count = removed.count()
        removed.delete()
        cleared = None
        if factor.retained_id in {h.pk for h in sources}:
            cleared = factor.retained.code if factor.retained else None
            factor.retained = None
            factor.retained_override = False
            factor.retained_reason = ""
            factor.save(update_fields=["retained", "retained_override", "retained_reason"])
        AuditEvent.record(
            study,
            request.user,
            "hypotheses_merged",
            factor=factor.code,
            hypothesis=merged.code,
            merged_from=[h.code for h in sources],
            text=merged.text,
            cross_impacts_removed=removed_count,
            retention_withdrawn=cleared,
        )
    messages.success(request, _("Hypotheses merged into %(label)s.") % {"label": merged.label})
    if cleared:
        messages.warning(request, _("The retained hypothesis was merged: retain one again."))
    return redirect(page)


@require_POST
def factor_reachability(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """The panel's judgement: can actions reach the most desirable hypothesis?"""
    study = deciding_study(request, study_id)
    factor = _key_factor(study, factor_id)
    values = {"yes": True, "no": False, "unknown": None}
    answer = request.POST.get("reachable", "")
    if answer not in values:
        return refuse(request, _("Answer yes or no."), _factor_page(study, factor))
    with transaction.atomic():
        before = factor.actions_can_reach_desirable
        factor.actions_can_reach_desirable = values[answer]
        factor.save(update_fields=["actions_can_reach_desirable"])
        AuditEvent.record(
            study,
            request.user,
            "reachability_set",
            factor=factor.code,
            before=before,
            after=factor.actions_can_reach_desirable,
        )
    return redirect(_factor_page(study, factor))


@require_POST
def retention_confirm(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """Retain the hypothesis the rule proposes."""
    study = deciding_study(request, study_id)
    factor = _key_factor(study, factor_id)
    page = _factor_page(study, factor)
    block = _factor_block(study_results(study), factor.code)
    retention = block["retention"] if block else None
    proposal = retention["proposal"] if retention else None
    if not proposal:
        return refuse(
            request,
            _(
                "The rule proposes no hypothesis yet (no votes, a tie, or the panel has not said "
                "whether actions can reach the most desirable): retain one with a reason."
            ),
            page,
        )
    hypothesis = factor.hypotheses.get(code=proposal)
    with transaction.atomic():
        factor.retained = hypothesis
        factor.retained_override = False
        factor.retained_reason = ""
        factor.save(update_fields=["retained", "retained_override", "retained_reason"])
        AuditEvent.record(
            study,
            request.user,
            "hypothesis_retained",
            factor=factor.code,
            hypothesis=hypothesis.code,
            rule=retention["rule"] if retention else None,
        )
    messages.success(request, _("Hypothesis %(label)s retained.") % {"label": hypothesis.label})
    return redirect(page)


class OverrideForm(forms.Form):
    hypothesis = forms.ChoiceField(label=gettext_lazy("Hypothesis to retain"))
    reason = forms.CharField(
        label=gettext_lazy("Why the panel departs from the rule"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["hypothesis"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


@require_POST
def retention_override(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """Retain another hypothesis than the rule's (or a merged one), with a reason."""
    study = deciding_study(request, study_id)
    factor = _key_factor(study, factor_id)
    page = _factor_page(study, factor)
    hypotheses = list(factor.hypotheses.order_by("position", "id"))
    form = OverrideForm(request.POST, choices=[(str(h.pk), h.label) for h in hypotheses])
    if not form.is_valid():
        return refuse(request, _("Choose a hypothesis and say why."), page)
    hypothesis = next(h for h in hypotheses if str(h.pk) == form.cleaned_data["hypothesis"])
    if hypothesis.merged_into.exists():
        return refuse(
            request, _("This hypothesis was merged into another: retain the merge."), page
        )
    reason = form.cleaned_data["reason"].strip()
    with transaction.atomic():
        factor.retained = hypothesis
        factor.retained_override = True
        factor.retained_reason = reason
        factor.save(update_fields=["retained", "retained_override", "retained_reason"])
        AuditEvent.record(
            study,
            request.user,
            "retention_overridden",
            factor=factor.code,
            hypothesis=hypothesis.code,
            reason=reason,
        )
    messages.success(request, _("Hypothesis %(label)s retained.") % {"label": hypothesis.label})
    return redirect(page)


@require_POST
def retention_clear(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    study = deciding_study(request, study_id)
    factor = _key_factor(study, factor_id)
    if factor.retained_id is not None:
        with transaction.atomic():
            AuditEvent.record(
                study,
                request.user,
                "retention_cleared",
                factor=factor.code,
                hypothesis=factor.retained.code if factor.retained else None,
            )
            factor.retained = None
            factor.retained_override = False
            factor.retained_reason = ""
            factor.save(update_fields=["retained", "retained_override", "retained_reason"])
    return redirect(_factor_page(study, factor))


# == decisions: the action plan =================================================================


def _retained_hypotheses(study: Study) -> list[Hypothesis]:
    retained = [f.retained_id for f in study.factors.key() if f.retained_id]
    found = {h.pk: h for h in Hypothesis.objects.select_related("factor").filter(pk__in=retained)}
    return [found[pk] for pk in retained if pk in found]


@require_GET
def action_plan(request: HttpRequest, study_id: int) -> HttpResponse:
    """The actions per retained hypothesis: to provoke a desirable change or prepare for a
    probable one; the experts' proposals as material."""
    study = facilitated_study(request, study_id)
    retained = _retained_hypotheses(study)
    actions: dict[int, list[Action]] = defaultdict(list)
    for action in Action.objects.filter(hypothesis__in=retained).order_by("position", "id"):
        actions[action.hypothesis_id].append(action)
    proposals: dict[int, list[str]] = defaultdict(list)
    for hypothesis_id, text in ActionProposal.objects.filter(
        hypothesis__in=retained, round__status__in=[Round.Status.OPEN, Round.Status.CLOSED]
    ).values_list("hypothesis_id", "text"):
        proposals[hypothesis_id].append(text)
    return render(
        request,
        "workshop/desk/actions.html",
        {
            "study": study,
            "groups": [
                {
                    "hypothesis": h,
                    "actions": actions.get(h.pk, []),
                    "proposals": anonymous_texts(proposals.get(h.pk, [])),
                }
                for h in retained
            ],
            "aims": Action.Aim.choices,
            "open": study.decisions_are_open(),
            "section": "actions",
            "facilitator": True,
        },
    )


class ActionForm(forms.Form):
    aim = forms.ChoiceField(
        label=gettext_lazy("Aim"),
        required=False,
        choices=[("", gettext_lazy("not said")), *Action.Aim.choices],
    )
    text = forms.CharField(
        label=gettext_lazy("Action"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


def _retained_hypothesis(study: Study, hypothesis_id: int) -> Hypothesis:
    hypothesis = _hypothesis(study, hypothesis_id)
    if hypothesis.factor.retained_id != hypothesis.pk:
        raise Http404
    return hypothesis


def _next_action_position(study: Study) -> int:
    top = Action.objects.filter(hypothesis__factor__study=study).aggregate(top=Max("position"))
    return 0 if top["top"] is None else top["top"] + 1


@require_POST
def action_add(request: HttpRequest, study_id: int, hypothesis_id: int) -> HttpResponse:
    study = deciding_study(request, study_id)
    hypothesis = _retained_hypothesis(study, hypothesis_id)
    page = reverse("workshop:action_plan", args=[study.pk])
    form = ActionForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    with transaction.atomic():
        action = Action.objects.create(
            hypothesis=hypothesis,
            aim=form.cleaned_data["aim"],
            text=form.cleaned_data["text"].strip(),
            position=_next_action_position(study),
        )
        AuditEvent.record(
            study,
            request.user,
            "action_added",
            hypothesis=hypothesis.code,
            aim=action.aim,
            text=action.text,
        )
    messages.success(request, _("Action added."))
    return redirect(page)


def _action(study: Study, action_id: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("hypothesis"), pk=action_id, hypothesis__factor__study=study
    )


@require_POST
def action_edit(request: HttpRequest, study_id: int, action_id: int) -> HttpResponse:
    study = deciding_study(request, study_id)
    action = _action(study, action_id)
    page = reverse("workshop:action_plan", args=[study.pk])
    form = ActionForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    with transaction.atomic():
        before = {"aim": action.aim, "text": action.text}
        action.aim = form.cleaned_data["aim"]
        action.text = form.cleaned_data["text"].strip()
        action.save(update_fields=["aim", "text"])
        AuditEvent.record(
            study,
            request.user,
            "action_edited",
            hypothesis=action.hypothesis.code,
            before=before,
            after={"aim": action.aim, "text": action.text},
        )
    messages.success(request, _("Action saved."))
    return redirect(page)


@require_POST
def action_delete(request: HttpRequest, study_id: int, action_id: int) -> HttpResponse:
    study = deciding_study(request, study_id)
    action = _action(study, action_id)
    with transaction.atomic():
        AuditEvent.record(
            study,
            request.user,
            "action_deleted",
            hypothesis=action.hypothesis.code,
            aim=action.aim,
            text=action.text,
        )
        action.delete()
    messages.success(request, _("Action deleted."))
    return redirect("workshop:action_plan", study_id=study.pk)


@require_POST
def action_move(request: HttpRequest, study_id: int, action_id: int) -> HttpResponse:
    study = deciding_study(request, study_id)
    action = _action(study, action_id)
    direction = request.POST.get("direction", "")
    with transaction.atomic():
        # positions are the study's order of actions; swap with the neighbour of the same
        # hypothesis
        siblings = list(
            Action.objects.filter(hypothesis=action.hypothesis).order_by("position", "id")
        )
        index = next(k for k, other in enumerate(siblings) if other.pk == action.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(siblings):
            everything = list(
                Action.objects.filter(hypothesis__factor__study=study).order_by("position", "id")
            )
            for position, other in enumerate(everything):
                other.position = position
            by_pk = {a.pk: a for a in everything}
            first, second = by_pk[siblings[index].pk], by_pk[siblings[target].pk]
            first.position, second.position = second.position, first.position
            Action.objects.bulk_update(everything, ["position"])
            AuditEvent.record(
                study,
                request.user,
                "action_moved",
                hypothesis=action.hypothesis.code,
                text=action.text,
                direction=direction,
            )
    return redirect("workshop:action_plan", study_id=study.pk)


@require_POST
def actions_merge(request: HttpRequest, study_id: int, hypothesis_id: int) -> HttpResponse:
    """Merge two or more actions of a retained hypothesis into one."""
    study = deciding_study(request, study_id)
    hypothesis = _retained_hypothesis(study, hypothesis_id)
    page = reverse("workshop:action_plan", args=[study.pk])
    form = ActionForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    ids = {int(v) for v in request.POST.getlist("actions") if v.isdigit()}
    sources = list(hypothesis.actions.filter(pk__in=ids).order_by("position", "id"))
    if len(sources) < 2 or len(sources) != len(ids):
        return refuse(request, _("Choose at least two actions of this hypothesis to merge."), page)
    with transaction.atomic():
        merged = Action.objects.create(
            hypothesis=hypothesis,
            aim=form.cleaned_data["aim"],
            text=form.cleaned_data["text"].strip(),
            position=sources[0].position,
        )
        AuditEvent.record(
            study,
            request.user,
            "actions_merged",
            hypothesis=hypothesis.code,
            merged_from=[{"aim": a.aim, "text": a.text} for a in sources],
            aim=merged.aim,
            text=merged.text,
        )
        Action.objects.filter(pk__in=[a.pk for a in sources]).delete()
    messages.success(request, _("Actions merged."))
    return redirect(page)


# == decisions: impacts and competences =========================================================


def parse_frameworks(text: str) -> list[dict[str, str]]:
    """Framework references, one a line: "DigComp 2.2 1.1" (the framework, then its id)."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        framework = next(
            (name for name in sorted(FRAMEWORKS, key=len, reverse=True) if line.startswith(name)),
            None,
        )
        identifier = line[len(framework) :].strip(" :-") if framework else ""
        if framework is None or not identifier:
            raise forms.ValidationError(
                _("“%(line)s”: write a framework (%(names)s) then its reference.")
                % {"line": line, "names": ", ".join(FRAMEWORKS)}
            )
        found.append({"framework": framework, "id": identifier})
    return found


class CompetenceForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Code"),
        regex=CODE_PATTERN,
        required=False,
        max_length=32,
        help_text=gettext_lazy("C1, C2... (given automatically when left empty)."),
    )
    text = forms.CharField(
        label=gettext_lazy("Competence"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    frameworks = forms.CharField(
        label=gettext_lazy("Frameworks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("One reference a line, for example: DigComp 2.2 1.1"),
    )

    def clean_frameworks(self) -> list[dict[str, str]]:
        return parse_frameworks(self.cleaned_data["frameworks"])


def frameworks_text(frameworks: list[dict[str, str]]) -> str:
    return "\n".join(f"{f['framework']} {f['id']}" for f in frameworks)


@require_GET
def impacts_table(request: HttpRequest, study_id: int) -> HttpResponse:
    """The retained hypotheses' impacts on the activities, with the competences they call
    for; the experts' impact proposals aggregated, as material."""
    study = facilitated_study(request, study_id)
    retained = _retained_hypotheses(study)
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
    proposals: dict[tuple[int, int], dict[str, Any]] = {}
    for hypothesis_id, activity_id, expert_id, competences in ImpactProposal.objects.filter(
        hypothesis__in=retained, round__status__in=[Round.Status.OPEN, Round.Status.CLOSED]
    ).values_list("hypothesis_id", "activity_id", "expert_id", "competences"):
        entry = proposals.setdefault(
            (hypothesis_id, activity_id), {"experts": set(), "competences": []}
        )
        entry["experts"].add(expert_id)
        entry["competences"] += [line for line in competences.splitlines() if line.strip()]
    hypotheses = {h.pk: h for h in retained}
    activity_by_pk = {a.pk: a for a in activities}
    material = [
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
    study_competences = list(study.competences.order_by("position", "id"))
    return render(
        request,
        "workshop/desk/impacts.html",
        {
            "study": study,
            "retained": retained,
            "activities": activities,
            "grid": grid,
            "impacts": impacts,
            "material": material,
            "competences": [
                {"competence": c, "frameworks": frameworks_text(c.frameworks)}
                for c in study_competences
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
    study = deciding_study(request, study_id)
    page = reverse("workshop:impacts_table", args=[study.pk])
    retained = {str(h.pk): h for h in _retained_hypotheses(study)}
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
    study = deciding_study(request, study_id)
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
    study = deciding_study(request, study_id)
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
    study = deciding_study(request, study_id)
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


def _competence_state(competence: Competence) -> dict[str, Any]:
    return {"code": competence.code, "text": competence.text, "frameworks": competence.frameworks}


@require_POST
def competence_edit(request: HttpRequest, study_id: int, competence_id: int) -> HttpResponse:
    study = deciding_study(request, study_id)
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
    study = deciding_study(request, study_id)
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
    messages.success(request, _("Competence deleted."))
    return redirect(reverse("workshop:impacts_table", args=[study.pk]) + "#competences")


# == decisions: cross-impacts (coherence of the retained scenario) ==============================


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


@require_http_methods(["GET", "POST"])
def cross_impacts(request: HttpRequest, study_id: int) -> HttpResponse:
    """Optional: how much each hypothesis favours (+) or hinders (-) those of the other key
    factors, to check the coherence of the retained scenario (cross-impact balance)."""
    study = facilitated_study(request, study_id)
    groups = scenario_hypotheses(study)
    every = [h for _factor, items in groups for h in items]
    existing = {
        (c.source_id, c.target_id): c
        for c in CrossImpact.objects.filter(source__in=every, target__in=every)
    }
    if request.method == "POST":
        study = deciding_study(request, study_id)
        wanted: dict[tuple[Hypothesis, Hypothesis], int] = {}
        for source in every:
            for target in every:
                raw = request.POST.get(f"ci-{source.pk}-{target.pk}")
                if raw is None or source.factor_id == target.factor_id:
                    continue
                try:
                    value = int(raw or 0)
                except ValueError:
                    value = 99
                if value not in CROSS_VALUES:
                    return refuse(request, _("Cross-impacts go from -3 to +3."), request.path)
                wanted[(source, target)] = value
        changes = []
        with transaction.atomic():
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
            if changes:
                AuditEvent.record(study, request.user, "cross_impacts_saved", changes=changes)
        messages.success(request, _("Cross-impacts saved."))
        return redirect("workshop:cross_impacts", study_id=study.pk)
    results = study_results(study)
    titles = results.factor_titles
    hypotheses_page_context = hypotheses_page(results)
    rows = [
        {
            "hypothesis": source,
            "cells": [
                {
                    "target": target,
                    "same": source.factor_id == target.factor_id,
                    "value": existing[(source.pk, target.pk)].value
                    if (source.pk, target.pk) in existing
                    else 0,
                }
                for target in every
            ],
        }
        for source in every
    ]
    return render(
        request,
        "workshop/desk/cross_impacts.html",
        {
            "study": study,
            "groups": [
                {"factor": f, "title": titles.get(f.code, f.code), "hypotheses": items}
                for f, items in groups
            ],
            "every": every,
            "rows": rows,
            "values": CROSS_VALUES,
            "coherence": hypotheses_page_context["coherence"],
            "scenario": results.analysis["scenario"],
            "open": study.decisions_are_open(),
            "section": "cross-impacts",
            "facilitator": True,
        },
    )


# == the decisions log ===========================================================================


@require_GET
def decisions_log(request: HttpRequest, study_id: int) -> HttpResponse:
    """Who decided what, when and why."""
    study = facilitated_study(request, study_id)
    events = (
        study.audit_events.filter(action__in=list(DECISION_LABELS))
        .select_related("actor")
        .order_by("-created_at", "-id")[:500]
    )
    return render(
        request,
        "workshop/desk/decisions_log.html",
        {
            "study": study,
            "events": [
                {
                    "event": event,
                    "label": DECISION_LABELS.get(event.action, event.action),
                    "details": flatten_parameters(event.detail),
                }
                for event in events
            ],
            "section": "log",
            "facilitator": True,
        },
    )


_STUDY = "studies/<int:study_id>/"

urlpatterns: list[URLPattern] = [
    path(_STUDY + "desk/", desk, name="desk"),
    path(_STUDY + "results/factor-vote/", results_vote, name="results_vote"),
    path(_STUDY + "results/structural-analysis/", results_structure, name="results_structure"),
    path(
        _STUDY + "results/structural-analysis/map-<str:plane>.svg", results_map, name="results_map"
    ),
    path(_STUDY + "results/hypotheses/", results_hypotheses, name="results_hypotheses"),
    path(_STUDY + "results/actions-and-impacts/", results_impacts, name="results_impacts"),
    path(_STUDY + "results/iterations/<str:step>/", results_iterations, name="results_iterations"),
    path(_STUDY + "results/<str:page>.<str:fmt>", results_download, name="results_download"),
    path(_STUDY + "projector/", projector, name="projector"),
    path(_STUDY + "projector/panel/", projector_panel, name="projector_panel"),
    path(_STUDY + "me/rounds/<int:round_id>/feedback/", expert_feedback, name="expert_feedback"),
    path(_STUDY + "decisions/key-factors/", key_factors, name="key_factors"),
    path(_STUDY + "decisions/key-factors/accept/", key_factors_accept, name="key_factors_accept"),
    path(_STUDY + "decisions/key-factors/add/", key_factor_add, name="key_factor_add"),
    path(
        _STUDY + "decisions/key-factors/<int:factor_id>/remove/",
        key_factor_remove,
        name="key_factor_remove",
    ),
    path(
        _STUDY + "decisions/key-factors/<int:factor_id>/move/",
        key_factor_move,
        name="key_factor_move",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/",
        factor_decisions,
        name="factor_decisions",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/situation/",
        factor_situation,
        name="factor_situation",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/hypotheses/add/",
        hypothesis_add,
        name="hypothesis_add",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/hypotheses/merge/",
        hypotheses_merge,
        name="hypotheses_merge",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/reachability/",
        factor_reachability,
        name="factor_reachability",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/retain/",
        retention_confirm,
        name="retention_confirm",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/override/",
        retention_override,
        name="retention_override",
    ),
    path(
        _STUDY + "decisions/factors/<int:factor_id>/withdraw/",
        retention_clear,
        name="retention_clear",
    ),
    path(
        _STUDY + "decisions/hypotheses/<int:hypothesis_id>/edit/",
        hypothesis_edit,
        name="hypothesis_edit",
    ),
    path(
        _STUDY + "decisions/hypotheses/<int:hypothesis_id>/delete/",
        hypothesis_delete,
        name="hypothesis_delete",
    ),
    path(
        _STUDY + "decisions/hypotheses/<int:hypothesis_id>/move/",
        hypothesis_move,
        name="hypothesis_move",
    ),
    path(_STUDY + "decisions/actions/", action_plan, name="action_plan"),
    path(
        _STUDY + "decisions/hypotheses/<int:hypothesis_id>/actions/add/",
        action_add,
        name="action_add",
    ),
    path(
        _STUDY + "decisions/hypotheses/<int:hypothesis_id>/actions/merge/",
        actions_merge,
        name="actions_merge",
    ),
    path(_STUDY + "decisions/actions/<int:action_id>/edit/", action_edit, name="action_edit"),
    path(_STUDY + "decisions/actions/<int:action_id>/delete/", action_delete, name="action_delete"),
    path(_STUDY + "decisions/actions/<int:action_id>/move/", action_move, name="action_move"),
    path(_STUDY + "decisions/impacts/", impacts_table, name="impacts_table"),
    path(_STUDY + "decisions/impacts/add/", impact_add, name="impact_add"),
    path(_STUDY + "decisions/impacts/<int:impact_id>/edit/", impact_edit, name="impact_edit"),
    path(_STUDY + "decisions/impacts/<int:impact_id>/delete/", impact_delete, name="impact_delete"),
    path(_STUDY + "decisions/competences/add/", competence_add, name="competence_add"),
    path(
        _STUDY + "decisions/competences/<int:competence_id>/edit/",
        competence_edit,
        name="competence_edit",
    ),
    path(
        _STUDY + "decisions/competences/<int:competence_id>/delete/",
        competence_delete,
        name="competence_delete",
    ),
    path(_STUDY + "decisions/cross-impacts/", cross_impacts, name="cross_impacts"),
    path(_STUDY + "decisions/log/", decisions_log, name="decisions_log"),
]
