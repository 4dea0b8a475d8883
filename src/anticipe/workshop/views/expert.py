"""The expert's pages: every round answered from a phone.

Experts have no account: :func:`~anticipe.workshop.access.expert_of_study` finds the expert
of this browser (404 for anyone else, facilitators included). :func:`expert_home` lists what
is open and what is closed, with the expert's progress; :func:`answer` is the page of one
round, for its step of the method (one section of this module per step); small endpoints save
one answer each. Every form works without JavaScript (POST, then back to the page); with htmx
the same endpoints answer with a small partial (saved state and progress).

Every save runs in a transaction that first locks the round
(:meth:`~anticipe.workshop.models.Round.lock_for_answer`): an answer that arrives after the
round closed is refused (409 for htmx) and nothing is half-saved; answers are written with
``update_or_create`` on their unique keys, so concurrent saves never lose one. Answers can be
revised until the round closes; a closed round shows the expert's own answers, read-only.
An expert only ever sees their own answers.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from anticipe.study.errors import StudyInputError, StudyInputErrors
from anticipe.study.matrices import CODE_PATTERN, read_matrix_xlsx
from anticipe.study.messages import translate
from anticipe.study.template import write_matrix_template
from anticipe.workshop import rules
from anticipe.workshop.access import expert_of_study
from anticipe.workshop.models import (
    ActionProposal,
    Activity,
    Expert,
    Factor,
    FactorPoints,
    FactorProposal,
    Hypothesis,
    HypothesisVote,
    ImpactProposal,
    InfluenceScore,
    Round,
    RoundClosed,
    Situation,
    Study,
)
from anticipe.workshop.results import DelphiFeedback, delphi_feedback
from anticipe.workshop.study_format import influence_factor_codes

DEFAULT_POINTS_PER_EXPERT = 10
DEFAULT_SCALE = {"min": 1, "max": 4}
MAX_TEXT = 5000  # characters of one free-text answer
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


# == common: who answers which round, and how a save is made ====================================


class AnswerRefused(Exception):  # noqa: N818 (said to the expert)
    """An answer the expert has to correct, in plain words; nothing was saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Progress:
    """How far an expert is in a round: `done` of `total` (no total for free proposals)."""

    done: int
    total: int | None
    text: str

    @property
    def complete(self) -> bool:
        return self.total is not None and self.total > 0 and self.done >= self.total


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def expert_round(
    request: HttpRequest, study_id: int, round_id: int, step: str | None = None
) -> tuple[Expert, Round]:
    """The expert of this browser and a round of their study that was opened (404 otherwise,
    and for a round of another step)."""
    expert = expert_of_study(request, study_id)
    round_ = get_object_or_404(
        Round.objects.exclude(status=Round.Status.DRAFT), pk=round_id, study_id=expert.study_id
    )
    if Expert.study.is_cached(expert):
        round_.study = expert.study  # the same row, already read with the expert
    if step is not None and round_.step != step:
        raise Http404
    return expert, round_


@contextmanager
def answering(round_: Round) -> Iterator[None]:
    """A transaction in which the round still takes answers (raises RoundClosed)."""
    with transaction.atomic():
        round_.lock_for_answer()
        yield


def round_url(round_: Round, anchor: str = "", factor: str = "") -> str:
    """The round's page (at `factor`'s page for the steps asked one factor per page), at
    `anchor`."""
    url = reverse("workshop:expert_answer", args=[round_.study_id, round_.pk])
    if factor:
        url += "?" + urlencode({"factor": factor})
    return url + (f"#{anchor}" if anchor else "")


def round_closed(request: HttpRequest, round_: Round) -> HttpResponse:
    """The answer came after the round closed: said plainly, the earlier answers are kept."""
    if is_htmx(request):
        response = render(
            request, "workshop/expert/partials/round_closed.html", {"round": round_}, status=409
        )
        return reswap(retarget(response, "#round-notice"), "innerHTML")
    messages.error(request, _("This round is closed; your earlier answers are kept."))
    return redirect(round_url(round_))


def refused(
    request: HttpRequest, round_: Round, message: str, anchor: str = "", factor: str = ""
) -> HttpResponse:
    """An answer to correct: a partial for htmx (400), else a message back on the page."""
    if is_htmx(request):
        return render(
            request, "workshop/expert/partials/refused.html", {"message": message}, status=400
        )
    messages.error(request, message)
    return redirect(round_url(round_, anchor, factor))


def saved(
    request: HttpRequest,
    expert: Expert,
    round_: Round,
    anchor: str = "",
    *,
    extra: dict[str, Any] | None = None,
    progress: Progress | None = None,
    factor: str = "",
) -> HttpResponse:
    """An answer was saved: for htmx the saved state and the new progress (computed here
    unless the endpoint already counted it), else back to the page, at the answer."""
    if is_htmx(request):
        context = {
            "progress": progress or progress_of(round_, expert),
            "round": round_,
            **(extra or {}),
        }
        return render(request, "workshop/expert/partials/saved.html", context)
    return redirect(round_url(round_, anchor, factor))


@dataclass(frozen=True)
class FactorPages:
    """A step asked one factor per page, so that a phone loads little at a time (the
    influence matrix, the hypothesis votes, the impacts): each factor with the number of its
    questions the expert answered and asked, and the page shown."""

    pages: list[tuple[Factor, int, int]]
    index: int

    @property
    def factor(self) -> Factor | None:
        return self.pages[self.index][0] if self.pages else None

    @property
    def position(self) -> int:
        return self.index + 1

    @property
    def previous(self) -> Factor | None:
        return self.pages[self.index - 1][0] if self.index > 0 else None

    @property
    def next(self) -> Factor | None:
        return self.pages[self.index + 1][0] if self.index + 1 < len(self.pages) else None


def factor_pages(request: HttpRequest, pages: list[tuple[Factor, int, int]]) -> FactorPages:
    """The page of the factor asked for (``?factor=<code>``), else of the first factor with
    something left to answer, else of the first factor."""
    wanted = request.GET.get("factor", "")
    index = next((i for i, (f, _done, _asked) in enumerate(pages) if f.code == wanted), None)
    if index is None:
        index = next((i for i, (_f, done, asked) in enumerate(pages) if done < asked), 0)
    return FactorPages(pages, index)


def clean_text(value: str | None, label: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise AnswerRefused(
            _("%(label)s is too long: %(length)d characters, at most %(max)d.")
            % {"label": label, "length": len(text), "max": MAX_TEXT}
        )
    return text


def round_context(expert: Expert, round_: Round, **more: Any) -> dict[str, Any]:
    return {
        "expert": expert,
        "study": expert.study,
        "round": round_,
        "editable": round_.is_open(),
        "progress": progress_of(round_, expert),
        **more,
    }


def before(delphi: DelphiFeedback | None, key: Any) -> Any:
    """The previous iteration's feedback on one question (None in a first iteration)."""
    return delphi.items.get(key) if delphi else None


# == the expert's home ==========================================================================


@require_GET
def expert_home(request: HttpRequest, study_id: int) -> HttpResponse:
    """What is open for the expert, what they have done, what is closed."""
    expert = expert_of_study(request, study_id)
    rounds = list(expert.study.rounds.exclude(status=Round.Status.DRAFT).order_by("created_at"))
    items = [(round_, progress_of(round_, expert)) for round_ in rounds]
    return render(
        request,
        "workshop/expert/home.html",
        {
            "expert": expert,
            "study": expert.study,
            "open_rounds": [item for item in items if item[0].is_open()],
            "closed_rounds": [item for item in items if not item[0].is_open()],
        },
    )


@require_GET
def answer(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """The page of a round: its step's questions, with the expert's answers."""
    expert, round_ = expert_round(request, study_id, round_id)
    return STEPS[round_.step].page(request, expert, round_)


# == step 1: proposals of change factors =======================================================


class ProposalForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = FactorProposal
        fields = ["title", "explanation"]
        labels = {
            "title": gettext_lazy("A factor"),
            "explanation": gettext_lazy("Why? In a few words"),
        }
        help_texts = {
            "title": gettext_lazy("One factor per proposal, in a short sentence."),
        }
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "explanation": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT}),
        }

    def clean_explanation(self) -> str:
        return clean_form_text(self.cleaned_data.get("explanation"))


def clean_form_text(value: str | None) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise forms.ValidationError(
            _("At most %(max)d characters (you wrote %(length)d).")
            % {"max": MAX_TEXT, "length": len(text)}
        )
    return text


def own_proposals(round_: Round, expert: Expert) -> QuerySet[FactorProposal]:
    return FactorProposal.objects.filter(round=round_, expert=expert).order_by("id")


def proposals_progress(round_: Round, expert: Expert) -> Progress:
    count = own_proposals(round_, expert).count()
    text = ngettext("%(count)d factor proposed", "%(count)d factors proposed", count) % {
        "count": count
    }
    return Progress(count, None, text)


def proposals_page(
    request: HttpRequest,
    expert: Expert,
    round_: Round,
    form: ProposalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = round_context(
        expert,
        round_,
        form=form or ProposalForm(),
        proposals=own_proposals(round_, expert),
    )
    return render(request, "workshop/expert/proposals.html", context, status=status)


@require_POST
def proposal_add(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.PROPOSALS)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        return proposals_page(request, expert, round_, form, status=400)
    try:
        with answering(round_):
            proposal = FactorProposal.objects.create(
                round=round_,
                expert=expert,
                title=form.cleaned_data["title"].strip(),
                explanation=form.cleaned_data["explanation"],
            )
    except RoundClosed:
        return round_closed(request, round_)
    messages.success(request, _("Your proposal is saved. You can add another one."))
    return redirect(round_url(round_, f"proposal-{proposal.pk}"))


@require_http_methods(["GET", "POST"])
def proposal_edit(
    request: HttpRequest, study_id: int, round_id: int, proposal_id: int
) -> HttpResponse:
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.PROPOSALS)
    proposal = get_object_or_404(FactorProposal, pk=proposal_id, round=round_, expert=expert)
    if not round_.is_open():
        return round_closed(request, round_)
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            with answering(round_):
                form.save()
        except RoundClosed:
            return round_closed(request, round_)
        messages.success(request, _("Your proposal is saved."))
        return redirect(round_url(round_, f"proposal-{proposal.pk}"))
    return render(
        request,
        "workshop/expert/edit_answer.html",
        round_context(
            expert,
            round_,
            form=form,
            heading=_("Change your proposal"),
            back=round_url(round_, f"proposal-{proposal.pk}"),
        ),
        status=400 if form.is_bound else 200,
    )


@require_POST
def proposal_delete(
    request: HttpRequest, study_id: int, round_id: int, proposal_id: int
) -> HttpResponse:
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.PROPOSALS)
    proposal = get_object_or_404(FactorProposal, pk=proposal_id, round=round_, expert=expert)
    try:
        with answering(round_):
            proposal.delete()
    except RoundClosed:
        return round_closed(request, round_)
    messages.success(request, _("Your proposal is deleted."))
    return redirect(round_url(round_, "proposals"))


# == step 2: weighted vote on the factors ======================================================


def points_per_expert(round_: Round) -> int:
    try:
        budget = int(round_.settings.get("points_per_expert") or DEFAULT_POINTS_PER_EXPERT)
    except (TypeError, ValueError):
        budget = DEFAULT_POINTS_PER_EXPERT
    return max(budget, 1)


def vote_factors(round_: Round) -> list[Factor]:
    """The factors of the vote: the round's (settings["factors"]) or all the study's."""
    factors = list(round_.study.factors.order_by("position", "id"))
    codes = round_.settings.get("factors")
    if codes:
        by_code = {factor.code: factor for factor in factors}
        return [by_code[code] for code in codes if code in by_code]
    return factors


def own_points(round_: Round, expert: Expert) -> dict[int, int]:
    return dict(
        FactorPoints.objects.filter(round=round_, expert=expert).values_list("factor_id", "points")
    )


def vote_progress(round_: Round, expert: Expert) -> Progress:
    budget = points_per_expert(round_)
    given = (
        FactorPoints.objects.filter(round=round_, expert=expert).aggregate(total=Sum("points"))[
            "total"
        ]
        or 0
    )
    text = _("%(given)d of %(budget)d points given") % {"given": given, "budget": budget}
    return Progress(given, budget, text)


def vote_context(
    expert: Expert, round_: Round, *, error: str = "", focus: str = ""
) -> dict[str, Any]:
    budget = points_per_expert(round_)
    points = own_points(round_, expert)
    delphi = delphi_feedback(expert, round_)
    rows = [
        (factor, points.get(factor.pk, 0), before(delphi, factor.code))
        for factor in vote_factors(round_)
    ]
    given = sum(p for _, p, _before in rows)
    points_of = {factor.code: p for factor, p, _before in rows}
    code, _sep, step = focus.rpartition(":")
    if code in points_of and (
        (step == "-1" and points_of[code] == 0) or (step == "1" and given >= budget)
    ):
        focus = f"points-{code}"  # the button just pressed is now disabled
    return round_context(
        expert,
        round_,
        rows=rows,
        delphi=delphi,
        budget=budget,
        given=given,
        left=budget - given,
        error=error,
        focus=focus,
    )


def vote_page(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    return render(request, "workshop/expert/vote.html", vote_context(expert, round_))


def read_ballot(
    data: QueryDict, factors: list[Factor], current: dict[int, int]
) -> tuple[dict[int, int], str]:
    """The ballot after this POST: `points-<code>` fields (missing: unchanged) and an optional
    `adjust=<code>:+1|-1` (the +/- buttons). Returns the points by factor id and the code of
    the factor the expert acted on."""
    by_code = {factor.code: factor for factor in factors}
    ballot = {factor.pk: current.get(factor.pk, 0) for factor in factors}
    touched = ""
    for name in data:
        if not name.startswith("points-"):
            continue
        code = name.removeprefix("points-")
        factor = by_code.get(code)
        if factor is None:
            raise AnswerRefused(_("“%(code)s” is not a factor of this vote.") % {"code": code})
        raw = data.get(name, "").strip()
        try:
            value = int(raw) if raw else 0
        except ValueError:
            raise AnswerRefused(
                _("Points for %(code)s must be a whole number, like 0, 1 or 2.") % {"code": code}
            ) from None
        if value < 0:
            raise AnswerRefused(_("Points for %(code)s cannot be below zero.") % {"code": code})
        ballot[factor.pk] = value
        touched = code
    adjust = data.get("adjust", "")
    if adjust:
        code, _sep, step = adjust.rpartition(":")
        factor = by_code.get(code)
        if factor is None or step not in {"1", "+1", "-1"}:
            raise AnswerRefused(_("“%(code)s” is not a factor of this vote.") % {"code": code})
        ballot[factor.pk] = max(0, ballot[factor.pk] + int(step))
        touched = code
    return ballot, touched


@require_POST
def vote_save(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Save the expert's points: the whole form, one factor, or one +/- press."""
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.FACTOR_VOTE)
    factors = vote_factors(round_)
    budget = points_per_expert(round_)
    touched = ""
    try:
        with answering(round_):
            ballot, touched = read_ballot(request.POST, factors, own_points(round_, expert))
            total = sum(ballot.values())
            if total > budget:
                raise AnswerRefused(
                    _(
                        "That makes %(total)d points, but you have %(budget)d. "
                        "Take points from another factor first."
                    )
                    % {"total": total, "budget": budget}
                )
            for factor in factors:
                points = ballot[factor.pk]
                if points:
                    FactorPoints.objects.update_or_create(
                        round=round_, expert=expert, factor=factor, defaults={"points": points}
                    )
                else:
                    FactorPoints.objects.filter(round=round_, expert=expert, factor=factor).delete()
    except RoundClosed:
        return round_closed(request, round_)
    except AnswerRefused as refusal:
        context = vote_context(expert, round_, error=refusal.message)
        return render(request, "workshop/expert/vote.html", context, status=400)
    if is_htmx(request):
        focus = request.POST.get("adjust", "") or (f"points-{touched}" if touched else "")
        context = vote_context(expert, round_, focus=focus)
        # the form and, out of band, the round's progress at the top of the page
        return render(request, "workshop/expert/partials/vote_saved.html", context)
    messages.success(request, _("Your vote is saved."))
    return redirect(round_url(round_, f"vote-{touched}" if touched else "vote"))


# == step 3: influence matrix ==================================================================

INFLUENCE_CHOICES = [
    ("0", gettext_lazy("none")),
    ("1", gettext_lazy("weak")),
    ("2", gettext_lazy("medium")),
    ("3", gettext_lazy("strong")),
    ("P", gettext_lazy("potential")),
    ("?", gettext_lazy("don't know")),
]
INFLUENCE_VALUES = {value for value, _label in INFLUENCE_CHOICES}


def influence_choices() -> list[tuple[str, str]]:
    """The buttons of the influence scale: "0 none" ... "? don't know"."""
    return [(value, f"{value} {label}") for value, label in INFLUENCE_CHOICES]


def matrix_factors(round_: Round) -> list[Factor]:
    """The factors of the matrix, in the round's order (fixed when it opened)."""
    codes = influence_factor_codes(round_.study, round_)
    by_code = {f.code: f for f in round_.study.factors.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]


def own_scores(round_: Round, expert: Expert) -> dict[tuple[int, int], str]:
    return {
        (source, target): value
        for source, target, value in InfluenceScore.objects.filter(
            round=round_, expert=expert
        ).values_list("source_id", "target_id", "value")
    }


def matrix_factor_ids(round_: Round) -> dict[str, int]:
    """The factors of the matrix as code -> id, in the round's order: all that saving a cell
    needs (a lighter query than :func:`matrix_factors`, run on every answer)."""
    codes = influence_factor_codes(round_.study, round_)
    ids = dict(
        Factor.objects.filter(study_id=round_.study_id, code__in=codes).values_list("code", "pk")
    )
    return {code: ids[code] for code in codes if code in ids}


def answered_cells(
    round_: Round, expert: Expert, factor_ids: Collection[int], source_id: int | None = None
) -> tuple[int, int]:
    """How many cells of the matrix of these factors the expert has answered (the diagonal
    is not asked), and how many of them in the row of `source_id`. One query on the
    answers' index, counted here (the save endpoint runs it after every answer; filtering
    on both lists of factors in SQL makes SQLite probe the index once per pair)."""
    inside = set(factor_ids)
    cells = [
        (source, target)
        for source, target in InfluenceScore.objects.filter(
            round=round_, expert=expert
        ).values_list("source_id", "target_id")
        if source != target and source in inside and target in inside
    ]
    return len(cells), sum(1 for source, _target in cells if source == source_id)


def cells_progress(done: int, factors: int) -> Progress:
    total = factors * (factors - 1)
    text = _("%(done)d of %(total)d answers given") % {"done": done, "total": total}
    return Progress(done, total, text)


def matrix_progress(round_: Round, expert: Expert) -> Progress:
    ids = matrix_factor_ids(round_)
    return cells_progress(answered_cells(round_, expert, ids.values())[0], len(ids))


def store_influence(
    round_: Round, expert: Expert, source_id: int, target_id: int, value: str
) -> None:
    """Save one cell in one statement, an upsert on the cell's unique key (INSERT ... ON
    CONFLICT DO UPDATE): like ``update_or_create`` it never loses or duplicates an answer
    when saves of the same cell race, with one query instead of four (select for update,
    savepoints, then insert or update) while the round is locked."""
    InfluenceScore.objects.bulk_create(
        [
            InfluenceScore(
                round=round_, expert=expert, source_id=source_id, target_id=target_id, value=value
            )
        ],
        update_conflicts=True,
        unique_fields=["round", "expert", "source", "target"],
        update_fields=["value", "updated_at"],
    )


def parse_influence(value: str) -> str:
    cleaned = value.strip().upper()
    if cleaned not in INFLUENCE_VALUES:
        raise AnswerRefused(
            _("“%(value)s” is not an answer: choose 0, 1, 2, 3, P (potential) or ? (don't know).")
            % {"value": value.strip()[:20]}
        )
    return cleaned


def matrix_page(
    request: HttpRequest,
    expert: Expert,
    round_: Round,
    *,
    upload_errors: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """One factor at a time: how strongly it influences each of the others."""
    factors = matrix_factors(round_)
    scores = own_scores(round_, expert)
    others = len(factors) - 1
    pages = factor_pages(
        request,
        [
            (f, sum(1 for t in factors if t.pk != f.pk and (f.pk, t.pk) in scores), others)
            for f in factors
        ],
    )
    source = pages.factor
    delphi = delphi_feedback(expert, round_)
    targets = (
        [
            (t, scores.get((source.pk, t.pk), ""), before(delphi, (source.code, t.code)))
            for t in factors
            if t.pk != source.pk
        ]
        if source
        else []
    )
    context = round_context(
        expert,
        round_,
        pages=pages,
        delphi=delphi,
        source=source,
        done=pages.pages[pages.index][1] if source else 0,
        others=others,
        targets=targets,
        choices=influence_choices(),
        upload_errors=upload_errors or [],
    )
    return render(request, "workshop/expert/matrix.html", context, status=status)


def matrix_factor_pair(data: QueryDict, ids: dict[str, int]) -> tuple[str, str]:
    """The codes of the cell's factors (`source`, `target`), checked against the matrix."""
    source, target = data.get("source", ""), data.get("target", "")
    if source not in ids or target not in ids or source == target:
        raise AnswerRefused(_("This pair of factors is not in the matrix of this round."))
    return source, target


@require_POST
def matrix_cell_save(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Save one cell: how strongly `source` influences `target` (one POST per answer).

    The busiest endpoint of a workshop (every expert, every few seconds; see
    ``benchmarks/bench_load.py``): it reads the factors' ids only, writes the cell in one
    statement while the round is locked, and counts the progress once."""
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.INFLUENCE)
    ids = matrix_factor_ids(round_)
    source_code = request.POST.get("source", "")
    try:
        source, target = matrix_factor_pair(request.POST, ids)
        value = parse_influence(request.POST.get("value", ""))
        with answering(round_):
            store_influence(round_, expert, ids[source], ids[target], value)
    except RoundClosed:
        return round_closed(request, round_)
    except AnswerRefused as refusal:
        return refused(request, round_, refusal.message, factor=source_code)
    done, row_done = answered_cells(round_, expert, ids.values(), ids[source])
    return saved(
        request,
        expert,
        round_,
        f"cell-{target}",
        extra={"factor_done": row_done, "factor_total": len(ids) - 1},
        progress=cells_progress(done, len(ids)),
        factor=source,
    )


GRID_CELL = re.compile(r"c(\d+)-(\d+)")  # a cell of the grid form: c<row>-<column>


def grid_context(
    expert: Expert,
    round_: Round,
    posted: dict[tuple[int, int], str] | None = None,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    factors = matrix_factors(round_)
    scores = own_scores(round_, expert)
    values = {
        (i, j): (posted or {}).get((i, j), scores.get((s.pk, t.pk), ""))
        for i, s in enumerate(factors)
        for j, t in enumerate(factors)
    }
    rows = [
        (i, s, [(j, t, values[i, j]) for j, t in enumerate(factors)]) for i, s in enumerate(factors)
    ]
    return round_context(
        expert,
        round_,
        factors=factors,
        codes=" ".join(f.code for f in factors),
        rows=rows,
        choices=influence_choices(),
        errors=errors or [],
    )


@require_GET
def matrix_grid(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """The whole matrix at once, for large screens (each cell saved like on the main page)."""
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.INFLUENCE)
    return render(request, "workshop/expert/matrix_grid.html", grid_context(expert, round_))


@require_POST
def matrix_save(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Save the cells of the grid form (`c<row>-<column>`; empty cells are left as they are)."""
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.INFLUENCE)
    factors = matrix_factors(round_)
    posted: dict[tuple[int, int], str] = {}
    cells: list[tuple[Factor, Factor, str]] = []
    errors: list[str] = []
    for name in request.POST:
        place = GRID_CELL.fullmatch(name)
        if place is None:
            continue
        i, j = int(place[1]), int(place[2])
        if i >= len(factors) or j >= len(factors):
            errors.append(_("This pair of factors is not in the matrix of this round."))
            continue
        source, target = factors[i], factors[j]
        raw = request.POST.get(name, "").strip()
        posted[i, j] = raw
        if not raw or i == j:
            continue
        try:
            cells.append((source, target, parse_influence(raw)))
        except AnswerRefused as refusal:
            errors.append(f"{source.code} → {target.code}: {refusal.message}")
    if errors:
        context = grid_context(expert, round_, posted, errors)
        return render(request, "workshop/expert/matrix_grid.html", context, status=400)
    try:
        with answering(round_):
            for source, target, value in cells:
                InfluenceScore.objects.update_or_create(
                    round=round_,
                    expert=expert,
                    source=source,
                    target=target,
                    defaults={"value": value},
                )
    except RoundClosed:
        return round_closed(request, round_)
    messages.success(request, _("Your matrix is saved."))
    return redirect(reverse("workshop:expert_matrix_grid", args=[study_id, round_id]))


def template_expert_id(expert: Expert) -> str | None:
    """The expert's code as the workbook's sheet name, if it can be one."""
    code = expert.code
    if (
        CODE_PATTERN.match(code)
        and len(code) <= 31
        and code.casefold()
        not in {
            "instructions",
            "facteurs",
            "factors",
        }
    ):
        return code
    return None


@require_GET
def matrix_template(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """The blank XLSX matrix for this expert, to fill offline and upload."""
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.INFLUENCE)
    study = expert.study
    factors = [(f.code, f.current_title()) for f in matrix_factors(round_)]
    if not factors:
        raise Http404
    with tempfile.TemporaryDirectory(prefix="anticipe-") as folder:
        target = Path(folder) / "matrix.xlsx"
        write_matrix_template(
            target,
            factors,
            expert=template_expert_id(expert),
            language=study.language if study.language in {"fr", "en"} else "fr",
            study_title=study.title,
        )
        content = target.read_bytes()
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"anticipe-matrix-{template_expert_id(expert) or 'expert'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def problem_location(error: StudyInputError, language: str) -> str:
    """Where a problem is in the expert's workbook, in `language`, without the server's file
    name: ``feuille « E1 », cellule C4``."""
    return error.location_in(language, include_file=False)


def upload_problems(error: StudyInputError, language: str) -> list[dict[str, str]]:
    """Every problem of an uploaded workbook as the page lists them, in `language` (the
    study layer's catalogue has the words, in French and English)."""
    listed = error.errors if isinstance(error, StudyInputErrors) else [error]
    colon = translate(language, "separator.colon")
    return [
        {
            "location": problem_location(problem, language),
            "colon": colon,
            "message": problem.message_in(language),
        }
        for problem in listed
    ]


def read_uploaded_matrix(upload: Any, codes: list[str]) -> list[list[Any]]:
    """The rows of an uploaded workbook (written to a temporary file to be read)."""
    with tempfile.TemporaryDirectory(prefix="anticipe-") as folder:
        target = Path(folder) / "upload.xlsx"
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        matrix = read_matrix_xlsx(target, expert="expert", factors=codes)
    rows: list[list[Any]] = matrix["rows"]
    return rows


@require_POST
def matrix_upload(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Read the XLSX matrix filled offline: every problem is shown by cell and nothing is
    saved; otherwise all its answers are saved at once. Empty cells mean "don't know" where
    the expert has not answered yet here, and leave their earlier answers as they are."""
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.INFLUENCE)
    factors = matrix_factors(round_)
    if not round_.is_open():
        return round_closed(request, round_)
    upload = request.FILES.get("matrix")
    problems: list[dict[str, str]] = []
    rows: list[list[Any]] = []
    if upload is None:
        problems.append({"location": "", "message": _("Choose the file to send first.")})
    elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        problems.append({"location": "", "message": _("This file is too big for a matrix.")})
    else:
        try:
            rows = read_uploaded_matrix(upload, [f.code for f in factors])
        except StudyInputError as error:
            problems = upload_problems(error, get_language())
    if problems:
        return matrix_page(request, expert, round_, upload_errors=problems, status=400)
    written = 0
    try:
        with answering(round_):
            answered = set(
                InfluenceScore.objects.filter(round=round_, expert=expert).values_list(
                    "source_id", "target_id"
                )
            )
            for i, source in enumerate(factors):
                for j, target in enumerate(factors):
                    if i == j:
                        continue
                    cell = rows[i][j]
                    if cell is None and (source.pk, target.pk) in answered:
                        continue
                    InfluenceScore.objects.update_or_create(
                        round=round_,
                        expert=expert,
                        source=source,
                        target=target,
                        defaults={"value": "?" if cell is None else str(cell)},
                    )
                    written += 1
    except RoundClosed:
        return round_closed(request, round_)
    messages.success(
        request,
        ngettext(
            "Your file is read: %(count)d answer saved.",
            "Your file is read: %(count)d answers saved.",
            written,
        )
        % {"count": written},
    )
    return redirect(round_url(round_))


# == step 4: current situation and possible futures ============================================


def key_factors(study: Study) -> list[Factor]:
    return list(Factor.objects.filter(study=study).key())


def situation_factors(round_: Round) -> list[Factor]:
    """The factors asked: the round's (settings["factors"]), else the key factors."""
    codes = round_.settings.get("factors")
    if codes:
        by_code = {f.code: f for f in round_.study.factors.filter(code__in=codes)}
        return [by_code[code] for code in codes if code in by_code]
    return key_factors(round_.study)


def situations_progress(round_: Round, expert: Expert) -> Progress:
    keys = situation_factors(round_)
    done = (
        Situation.objects.filter(round=round_, expert=expert, factor__in=keys)
        .exclude(current="", future="")
        .count()
    )
    text = _("%(done)d of %(total)d factors described") % {"done": done, "total": len(keys)}
    return Progress(done, len(keys), text)


def situations_page(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    keys = situation_factors(round_)
    answers = {s.factor_id: s for s in Situation.objects.filter(round=round_, expert=expert)}
    items = [(factor, answers.get(factor.pk)) for factor in keys]
    return render(
        request, "workshop/expert/situations.html", round_context(expert, round_, items=items)
    )


@require_POST
def situation_save(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Save the situation today and the possible futures of one key factor."""
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.SITUATIONS)
    code = request.POST.get("factor", "")
    factor = next((f for f in situation_factors(round_) if f.code == code), None)
    try:
        if factor is None:
            raise AnswerRefused(_("This factor is not asked in this round."))
        current = clean_text(request.POST.get("current"), _("The situation today"))
        future = clean_text(request.POST.get("future"), _("The possible futures"))
        with answering(round_):
            Situation.objects.update_or_create(
                round=round_,
                expert=expert,
                factor=factor,
                defaults={"current": current, "future": future},
            )
    except RoundClosed:
        return round_closed(request, round_)
    except AnswerRefused as refusal:
        return refused(request, round_, refusal.message, f"situation-{code}")
    return saved(request, expert, round_, f"situation-{factor.code}")


# == step 5: probability and desirability of the hypotheses ====================================

PROBABILITY_WORDS = {
    1: gettext_lazy("very unlikely"),
    2: gettext_lazy("unlikely"),
    3: gettext_lazy("likely"),
    4: gettext_lazy("very likely"),
}
DESIRABILITY_WORDS = {
    1: gettext_lazy("not desirable"),
    2: gettext_lazy("hardly desirable"),
    3: gettext_lazy("desirable"),
    4: gettext_lazy("very desirable"),
}


def round_scale(round_: Round, key: str) -> tuple[int, int]:
    scale = round_.settings.get(key) or DEFAULT_SCALE
    try:
        low, high = int(scale["min"]), int(scale["max"])
    except (TypeError, KeyError, ValueError):
        low, high = DEFAULT_SCALE["min"], DEFAULT_SCALE["max"]
    return (low, high) if low < high else (DEFAULT_SCALE["min"], DEFAULT_SCALE["max"])


def scale_choices(low: int, high: int, words: dict[int, Any]) -> list[tuple[str, str]]:
    """The buttons of a scale: each value with its words (only the ends when the scale is
    not 1-4), then "don't know"."""
    named = words if (low, high) == (1, 4) else {low: words[1], high: words[4]}
    choices = [
        (str(value), f"{value} {named[value]}" if value in named else str(value))
        for value in range(low, high + 1)
    ]
    return [*choices, ("?", str(_("? don't know")))]


def votable_hypotheses(round_: Round) -> QuerySet[Hypothesis]:
    """The hypotheses voted on in the round (:func:`anticipe.workshop.rules.voted_hypotheses`)."""
    return rules.voted_hypotheses(round_.study, round_).select_related("factor")


def hypothesis_votes_progress(round_: Round, expert: Expert) -> Progress:
    hypotheses = list(votable_hypotheses(round_).values_list("pk", flat=True))
    done = HypothesisVote.objects.filter(
        round=round_, expert=expert, hypothesis_id__in=hypotheses
    ).count()
    text = _("%(done)d of %(total)d hypotheses answered") % {
        "done": done,
        "total": len(hypotheses),
    }
    return Progress(done, len(hypotheses), text)


def vote_value(value: int | None) -> str:
    return "?" if value is None else str(value)


def hypothesis_votes_page(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """One key factor at a time: the probability and desirability of each of its hypotheses."""
    hypotheses = list(votable_hypotheses(round_).order_by("position", "id"))
    votes = {v.hypothesis_id: v for v in HypothesisVote.objects.filter(round=round_, expert=expert)}
    keys = key_factors(round_.study)
    others = sorted(
        {h.factor for h in hypotheses if h.factor not in keys}, key=lambda f: (f.position, f.pk)
    )
    groups = [
        (factor, [h for h in hypotheses if h.factor_id == factor.pk]) for factor in [*keys, *others]
    ]
    pages = factor_pages(
        request,
        [
            (factor, sum(1 for h in asked if h.pk in votes), len(asked))
            for factor, asked in groups
            if asked
        ],
    )
    delphi = delphi_feedback(expert, round_)
    items = []
    for hypothesis in dict(groups).get(pages.factor, []) if pages.factor else []:
        vote = votes.get(hypothesis.pk)
        items.append(
            (
                hypothesis,
                vote_value(vote.probability) if vote else "",
                vote_value(vote.desirability) if vote else "",
                before(delphi, hypothesis.code),
            )
        )
    context = round_context(
        expert,
        round_,
        pages=pages,
        delphi=delphi,
        items=items,
        probability_choices=scale_choices(
            *round_scale(round_, "probability_scale"), PROBABILITY_WORDS
        ),
        desirability_choices=scale_choices(
            *round_scale(round_, "desirability_scale"), DESIRABILITY_WORDS
        ),
    )
    return render(request, "workshop/expert/hypothesis_votes.html", context)


def page_of(hypothesis: Hypothesis | None) -> str:
    """The factor of the page where `hypothesis` is asked (its key factor)."""
    return hypothesis.factor.code if hypothesis else ""


def parse_scale_answer(raw: str, scale: tuple[int, int], what: str) -> int | None:
    if raw.strip() == "?":
        return None
    low, high = scale
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise AnswerRefused(
            _("The %(what)s must be from %(low)d to %(high)d, or “don't know”.")
            % {"what": what, "low": low, "high": high}
        )
    return value


@require_POST
def hypothesis_vote_save(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Save the probability and/or desirability of one hypothesis (those sent)."""
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.HYPOTHESIS_VOTE)
    code = request.POST.get("hypothesis", "")
    hypothesis = votable_hypotheses(round_).filter(code=code).first()
    try:
        if hypothesis is None:
            raise AnswerRefused(_("This hypothesis is not asked in this round."))
        answers: dict[str, int | None] = {}
        if "probability" in request.POST:
            answers["probability"] = parse_scale_answer(
                request.POST["probability"],
                round_scale(round_, "probability_scale"),
                _("probability"),
            )
        if "desirability" in request.POST:
            answers["desirability"] = parse_scale_answer(
                request.POST["desirability"],
                round_scale(round_, "desirability_scale"),
                _("desirability"),
            )
        if not answers:
            raise AnswerRefused(_("Choose an answer first."))
        with answering(round_):
            HypothesisVote.objects.update_or_create(
                round=round_, expert=expert, hypothesis=hypothesis, defaults=answers
            )
    except RoundClosed:
        return round_closed(request, round_)
    except AnswerRefused as refusal:
        return refused(
            request, round_, refusal.message, f"hypothesis-{code}", factor=page_of(hypothesis)
        )
    return saved(request, expert, round_, f"hypothesis-{code}", factor=page_of(hypothesis))


# == step 6: actions for the retained hypotheses ===============================================


def retained_hypotheses(study: Study) -> list[tuple[Factor, Hypothesis]]:
    return [
        (factor, factor.retained)
        for factor in Factor.objects.filter(study=study)
        .key()
        .exclude(retained=None)
        .select_related("retained")
        if factor.retained is not None
    ]


def retained_hypothesis(study: Study, code: str) -> Hypothesis:
    for _factor, hypothesis in retained_hypotheses(study):
        if hypothesis.code == code:
            return hypothesis
    raise AnswerRefused(_("This hypothesis is not asked in this round."))


class ActionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ActionProposal
        fields = ["text"]
        labels = {"text": gettext_lazy("An action")}
        help_texts = {
            "text": gettext_lazy("What should be done, by whom? One action per proposal.")
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT})}
        error_messages = {"text": {"required": gettext_lazy("Write the action first.")}}

    def clean_text(self) -> str:
        text = clean_form_text(self.cleaned_data.get("text"))
        if not text:
            raise forms.ValidationError(_("Write the action first."))
        return text


def actions_progress(round_: Round, expert: Expert) -> Progress:
    retained = [h.pk for _f, h in retained_hypotheses(round_.study)]
    done = (
        ActionProposal.objects.filter(round=round_, expert=expert, hypothesis_id__in=retained)
        .values("hypothesis_id")
        .distinct()
        .count()
    )
    text = _("Actions proposed for %(done)d of %(total)d hypotheses") % {
        "done": done,
        "total": len(retained),
    }
    return Progress(done, len(retained), text)


def actions_page(
    request: HttpRequest,
    expert: Expert,
    round_: Round,
    invalid: tuple[str, ActionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    own: dict[int, list[ActionProposal]] = {}
    for action in ActionProposal.objects.filter(round=round_, expert=expert).order_by("id"):
        own.setdefault(action.hypothesis_id, []).append(action)
    items = [
        (
            factor,
            hypothesis,
            own.get(hypothesis.pk, []),
            invalid[1]
            if invalid and invalid[0] == hypothesis.code
            else ActionForm(auto_id=f"id_{hypothesis.code}_%s"),
        )
        for factor, hypothesis in retained_hypotheses(round_.study)
    ]
    return render(
        request,
        "workshop/expert/actions.html",
        round_context(expert, round_, items=items),
        status=status,
    )


@require_POST
def action_add(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.ACTIONS)
    code = request.POST.get("hypothesis", "")
    form = ActionForm(request.POST, auto_id=f"id_{code}_%s")
    try:
        hypothesis = retained_hypothesis(round_.study, code)
        if not form.is_valid():
            return actions_page(request, expert, round_, (code, form), status=400)
        with answering(round_):
            action = ActionProposal.objects.create(
                round=round_, expert=expert, hypothesis=hypothesis, text=form.cleaned_data["text"]
            )
    except RoundClosed:
        return round_closed(request, round_)
    except AnswerRefused as refusal:
        return refused(request, round_, refusal.message)
    messages.success(request, _("Your action is saved. You can add another one."))
    return redirect(round_url(round_, f"action-{action.pk}"))


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, study_id: int, round_id: int, action_id: int) -> HttpResponse:
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.ACTIONS)
    action = get_object_or_404(ActionProposal, pk=action_id, round=round_, expert=expert)
    if not round_.is_open():
        return round_closed(request, round_)
    form = ActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            with answering(round_):
                form.save()
        except RoundClosed:
            return round_closed(request, round_)
        messages.success(request, _("Your action is saved."))
        return redirect(round_url(round_, f"action-{action.pk}"))
    return render(
        request,
        "workshop/expert/edit_answer.html",
        round_context(
            expert,
            round_,
            form=form,
            heading=_("Change your action"),
            back=round_url(round_, f"action-{action.pk}"),
        ),
        status=400 if form.is_bound else 200,
    )


@require_POST
def action_delete(
    request: HttpRequest, study_id: int, round_id: int, action_id: int
) -> HttpResponse:
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.ACTIONS)
    action = get_object_or_404(ActionProposal, pk=action_id, round=round_, expert=expert)
    code = action.hypothesis.code
    try:
        with answering(round_):
            action.delete()
    except RoundClosed:
        return round_closed(request, round_)
    messages.success(request, _("Your action is deleted."))
    return redirect(round_url(round_, f"hypothesis-{code}"))


# == step 7: impacts on activities and competences =============================================


def impacts_progress(round_: Round, expert: Expert) -> Progress:
    retained = [h.pk for _f, h in retained_hypotheses(round_.study)]
    done = (
        ImpactProposal.objects.filter(round=round_, expert=expert, hypothesis_id__in=retained)
        .values("hypothesis_id")
        .distinct()
        .count()
    )
    text = _("%(done)d of %(total)d hypotheses answered") % {"done": done, "total": len(retained)}
    return Progress(done, len(retained), text)


def impacts_page(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """One key factor at a time: the activities its retained hypothesis changes the most, and
    the competences each calls for."""
    own = {
        (p.hypothesis_id, p.activity_id): p
        for p in ImpactProposal.objects.filter(round=round_, expert=expert)
    }
    answered = {hypothesis_id for hypothesis_id, _activity_id in own}
    retained = dict(retained_hypotheses(round_.study))
    pages = factor_pages(
        request, [(factor, int(h.pk in answered), 1) for factor, h in retained.items()]
    )
    hypothesis = retained[pages.factor] if pages.factor else None
    activities = (
        [
            (activity, own.get((hypothesis.pk, activity.pk)))
            for activity in round_.study.activities_in_order()
        ]
        if hypothesis
        else []
    )
    context = round_context(
        expert, round_, pages=pages, hypothesis=hypothesis, activities=activities
    )
    return render(request, "workshop/expert/impacts.html", context)


def competence_lines(text: str) -> str:
    """The competences, one per line, without empty lines."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


@require_POST
def impact_save(request: HttpRequest, study_id: int, round_id: int) -> HttpResponse:
    """Save, for one retained hypothesis, the activities it affects most and, for each, the
    competences it calls for (unticked activities are removed)."""
    expert, round_ = expert_round(request, study_id, round_id, Round.Step.IMPACTS)
    code = request.POST.get("hypothesis", "")
    activities = {a.code: a for a in round_.study.activities_in_order()}
    hypothesis: Hypothesis | None = None
    try:
        hypothesis = retained_hypothesis(round_.study, code)
        chosen: dict[Activity, str] = {}
        for activity_code in request.POST.getlist("activities"):
            activity = activities.get(activity_code)
            if activity is None:
                raise AnswerRefused(
                    _("“%(code)s” is not an activity of this job.") % {"code": activity_code}
                )
            chosen[activity] = competence_lines(
                clean_text(request.POST.get(f"competences-{activity_code}"), _("Competences"))
            )
        with answering(round_):
            for activity, competences in chosen.items():
                ImpactProposal.objects.update_or_create(
                    round=round_,
                    expert=expert,
                    hypothesis=hypothesis,
                    activity=activity,
                    defaults={"competences": competences},
                )
            ImpactProposal.objects.filter(
                round=round_, expert=expert, hypothesis=hypothesis
            ).exclude(activity__in=list(chosen)).delete()
    except RoundClosed:
        return round_closed(request, round_)
    except AnswerRefused as refusal:
        return refused(
            request, round_, refusal.message, f"hypothesis-{code}", factor=page_of(hypothesis)
        )
    return saved(request, expert, round_, f"hypothesis-{code}", factor=page_of(hypothesis))


# == the steps ==================================================================================


@dataclass(frozen=True)
class Step:
    page: Callable[[HttpRequest, Expert, Round], HttpResponse]
    progress: Callable[[Round, Expert], Progress]


STEPS: dict[str, Step] = {
    Round.Step.PROPOSALS: Step(proposals_page, proposals_progress),
    Round.Step.FACTOR_VOTE: Step(vote_page, vote_progress),
    Round.Step.INFLUENCE: Step(matrix_page, matrix_progress),
    Round.Step.SITUATIONS: Step(situations_page, situations_progress),
    Round.Step.HYPOTHESIS_VOTE: Step(hypothesis_votes_page, hypothesis_votes_progress),
    Round.Step.ACTIONS: Step(actions_page, actions_progress),
    Round.Step.IMPACTS: Step(impacts_page, impacts_progress),
}


def progress_of(round_: Round, expert: Expert) -> Progress:
    return STEPS[round_.step].progress(round_, expert)


_ROUND = "studies/<int:study_id>/me/rounds/<int:round_id>/"

urlpatterns: list[URLPattern] = [
    path("studies/<int:study_id>/me/", expert_home, name="expert_home"),
    path(_ROUND, answer, name="expert_answer"),
    path(_ROUND + "proposals/", proposal_add, name="expert_proposal_add"),
    path(_ROUND + "proposals/<int:proposal_id>/", proposal_edit, name="expert_proposal_edit"),
    path(
        _ROUND + "proposals/<int:proposal_id>/delete/",
        proposal_delete,
        name="expert_proposal_delete",
    ),
    path(_ROUND + "vote/", vote_save, name="expert_vote_save"),
    path(_ROUND + "matrix/cell/", matrix_cell_save, name="expert_matrix_cell_save"),
    path(_ROUND + "matrix/grid/", matrix_grid, name="expert_matrix_grid"),
    path(_ROUND + "matrix/", matrix_save, name="expert_matrix_save"),
    path(_ROUND + "matrix/template.xlsx", matrix_template, name="expert_matrix_template"),
    path(_ROUND + "matrix/upload/", matrix_upload, name="expert_matrix_upload"),
    path(_ROUND + "situations/", situation_save, name="expert_situation_save"),
    path(_ROUND + "hypotheses/", hypothesis_vote_save, name="expert_hypothesis_vote_save"),
    path(_ROUND + "actions/", action_add, name="expert_action_add"),
    path(_ROUND + "actions/<int:action_id>/", action_edit, name="expert_action_edit"),
    path(_ROUND + "actions/<int:action_id>/delete/", action_delete, name="expert_action_delete"),
    path(_ROUND + "impacts/", impact_save, name="expert_impact_save"),
]
