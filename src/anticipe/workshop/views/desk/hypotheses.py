"""Decisions on the hypotheses of a key factor: the current situation, the 2-5 evolution
hypotheses written, reworded, ordered, deleted or merged.

Every edit goes back to the factor's page with a message, from plain forms (not htmx and the
one list-edit answer, :class:`~anticipe.workshop.views.helpers.EditableList`): an edit of
the hypotheses changes more of the page than their list (the vote's results per hypothesis,
the retention rule's proposal, the count of hypotheses to vote on), so the whole page is
shown again."""

from __future__ import annotations

import string
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anticipe.workshop import rules
from anticipe.workshop.access import editable_study, facilitated_study
from anticipe.workshop.forms.decisions import HypothesesMergeForm, HypothesisForm, SituationForm
from anticipe.workshop.models import (
    AuditEvent,
    CrossImpact,
    Factor,
    Hypothesis,
    HypothesisVote,
    Round,
    Situation,
    Study,
)
from anticipe.workshop.results import (
    StudyResults,
    anonymous_texts,
)
from anticipe.workshop.views.desk.common import (
    form_errors,
    refuse,
    shows_unusable_decisions,
    usable_results,
)
from anticipe.workshop.views.helpers import moved

MAX_HYPOTHESES = 5  # voted hypotheses per key factor (the method core's limit)
MIN_HYPOTHESES = 2


def key_factor_of(study: Study, factor_id: int) -> Factor:
    return get_object_or_404(study.factors.exclude(key_origin=""), pk=factor_id)


def factor_block(results: StudyResults, code: str) -> dict[str, Any] | None:
    return next((b for b in results.analysis["hypotheses"] if b["factor"] == code), None)


@require_GET
@shows_unusable_decisions
def factor_decisions(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """One key factor: its current situation, its hypotheses (write, reword, merge,
    order), whether actions can reach the most desirable, and the retained hypothesis."""
    study = facilitated_study(request, study_id)
    factor = key_factor_of(study, factor_id)
    results, problems = usable_results(study)
    block = factor_block(results, factor.code) if results else None
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
    texts = rules.shown_texts(study, Round.Step.SITUATIONS)
    situations = Situation.objects.filter(factor=factor, round__in=texts.rounds).values_list(
        "current", "future"
    )
    keys = list(study.factors.key())
    return render(
        request,
        "workshop/desk/factor.html",
        {
            "study": study,
            "factor": factor,
            "keys": keys,
            "texts_waiting": rules.texts_waiting(study, Round.Step.SITUATIONS),
            "texts_withheld": texts.withheld,
            "rows": rows,
            "block": block,
            "retention": block["retention"] if block else None,
            "problems": problems,
            "current_texts": anonymous_texts(current for current, _future in situations),
            "future_texts": anonymous_texts(future for _current, future in situations),
            "mergeable": [r for r in rows if not r["merged_from"] and not r["merged_away"]],
            "voted_count": sum(1 for r in rows if not r["merged_from"]),
            "max_hypotheses": MAX_HYPOTHESES,
            "min_hypotheses": MIN_HYPOTHESES,
            "open": study.decisions_are_open(),
            "section": "factors",
            "facilitator": True,
        },
    )


def factor_page_url(study: Study, factor: Factor) -> str:
    return reverse("workshop:factor_decisions", args=[study.pk, factor.pk])


@require_POST
def factor_situation(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    study = editable_study(request, study_id)
    factor = key_factor_of(study, factor_id)
    form = SituationForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), factor_page_url(study, factor))
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
    return redirect(factor_page_url(study, factor))


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
    study = editable_study(request, study_id)
    factor = key_factor_of(study, factor_id)
    page = factor_page_url(study, factor)
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


def hypothesis_of(study: Study, hypothesis_id: int) -> Hypothesis:
    return get_object_or_404(
        Hypothesis.objects.select_related("factor").exclude(factor__key_origin=""),
        pk=hypothesis_id,
        factor__study=study,
    )


@require_POST
def hypothesis_edit(request: HttpRequest, study_id: int, hypothesis_id: int) -> HttpResponse:
    """Reword a hypothesis (its votes stay with it)."""
    study = editable_study(request, study_id)
    hypothesis = hypothesis_of(study, hypothesis_id)
    page = factor_page_url(study, hypothesis.factor)
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


@require_POST
def hypothesis_delete(request: HttpRequest, study_id: int, hypothesis_id: int) -> HttpResponse:
    """Delete a hypothesis nobody voted on (deleting a merge undoes it)."""
    study = editable_study(request, study_id)
    hypothesis = hypothesis_of(study, hypothesis_id)
    page = factor_page_url(study, hypothesis.factor)
    refusal = rules.hypothesis_deletion_refusal(hypothesis)
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
    study = editable_study(request, study_id)
    hypothesis = hypothesis_of(study, hypothesis_id)
    items = list(hypothesis.factor.hypotheses.order_by("position", "id"))
    moved(
        request,
        study,
        items,
        hypothesis,
        "hypothesis_moved",
        factor=hypothesis.factor.code,
        hypothesis=hypothesis.code,
    )
    return redirect(factor_page_url(study, hypothesis.factor))


def _merge_label(factor: Factor, sources: list[Hypothesis]) -> str:
    """The label of a merge: its hypotheses' labels ("B+C"), made unique in the factor."""
    label = base = "+".join(h.label for h in sources)[:16]
    taken = set(factor.hypotheses.values_list("label", flat=True))
    number = 2
    while label in taken:
        label, number = f"{base[:13]}-{number}", number + 1
    return label


@require_POST
def hypotheses_merge(request: HttpRequest, study_id: int, factor_id: int) -> HttpResponse:
    """Merge two or more hypotheses of a key factor into a new one; their votes stay with
    them, and the merged hypothesis can be retained by a decision with a reason."""
    study = editable_study(request, study_id)
    factor = key_factor_of(study, factor_id)
    page = factor_page_url(study, factor)
    form = HypothesesMergeForm(request.POST)
    if not form.is_valid():
        return refuse(request, form_errors(form), page)
    ids = {int(v) for v in request.POST.getlist("hypotheses") if v.isdigit()}
    sources = list(factor.hypotheses.filter(pk__in=ids).order_by("position", "id"))
    refusal = rules.merge_refusal(factor, sources, len(ids))
    if refusal:
        return refuse(request, refusal, page)
    with transaction.atomic():
        label = _merge_label(factor, sources)
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
            factor.retain(None)
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
