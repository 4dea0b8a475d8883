"""What the expert's pages share: who answers which round (:func:`step_endpoint`, the
fetch-and-authorise of every endpoint of a step), how a save is made (locked, refused once
the round closes), the steps asked one factor per page, and the registry of the steps (each
step's module registers its page and its progress)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, Concatenate, ParamSpec

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from anticipe import presentation
from anticipe.workshop.access import expert_of_study
from anticipe.workshop.forms.expert import MAX_TEXT
from anticipe.workshop.models import (
    ActionProposal,
    Expert,
    Factor,
    Hypothesis,
    ImpactProposal,
    Round,
    RoundClosed,
    Study,
)
from anticipe.workshop.results import DelphiFeedback
from anticipe.workshop.views.helpers import is_htmx

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
    estimate: str = ""  # the time left, and how it is estimated (see :func:`time_left`)

    @property
    def complete(self) -> bool:
        return self.total is not None and self.total > 0 and self.done >= self.total


def time_left(questions: int, seconds_each: int) -> str:
    """The time the `questions` left should take at `seconds_each`, in whole minutes rounded
    up, saying how it is estimated ("" when nothing is left)."""
    if questions <= 0:
        return ""
    minutes = presentation.minutes_for(questions, seconds_each)
    return ngettext(
        "about %(minutes)d min left (%(left)d answer × about %(seconds)d s)",
        "about %(minutes)d min left (%(left)d answers × about %(seconds)d s)",
        questions,
    ) % {"minutes": minutes, "left": questions, "seconds": seconds_each}


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


P = ParamSpec("P")
# An endpoint of a step, once its expert and round are known (then its own URL arguments).
StepView = Callable[Concatenate[HttpRequest, Expert, Round, P], HttpResponse]
# The same endpoint as the URL resolver calls it: the request, then ``study_id``,
# ``round_id`` and the view's own URL arguments by name.
StepEndpoint = Callable[..., HttpResponse]


def step_endpoint(
    step: str, methods: tuple[str, ...] = ("POST",)
) -> Callable[[StepView[P]], StepEndpoint]:
    """An endpoint of one step of the method: only `methods` (405 otherwise); the expert of
    this browser and an opened round of their study for `step`
    (:func:`expert_round`: 404 otherwise); an answer that arrives after the round closed
    (:class:`~anticipe.workshop.models.RoundClosed`, raised by :func:`answering` or by the
    view) answered by :func:`round_closed`, nothing saved."""

    def decorate(view: StepView[P]) -> StepEndpoint:
        @require_http_methods(list(methods))
        @wraps(view)
        def endpoint(
            request: HttpRequest, study_id: int, round_id: int, *args: P.args, **kwargs: P.kwargs
        ) -> HttpResponse:
            expert, round_ = expert_round(request, study_id, round_id, step)
            try:
                return view(request, expert, round_, *args, **kwargs)
            except RoundClosed:
                return round_closed(request, round_)

        return endpoint

    return decorate


def still_open(round_: Round) -> None:
    """Raise :class:`~anticipe.workshop.models.RoundClosed` when the round no longer takes
    answers (before showing a form or reading a file; the save checks again, locked)."""
    if not round_.is_open():
        raise RoundClosed


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
    """The answer came after the round closed: said plainly, the earlier answers are kept.
    For htmx, beside the answer (in the target of the form answered: its status) and, out
    of band, at the top of the page; expert.js then disables the page's answers."""
    if is_htmx(request):
        return render(
            request, "workshop/expert/partials/late_answer.html", {"round": round_}, status=409
        )
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


# == the key factors and retained hypotheses (asked about in several steps) ========================


def key_factors(study: Study) -> list[Factor]:
    return list(Factor.objects.filter(study=study).key())


def retained_hypotheses(study: Study) -> list[tuple[Factor, Hypothesis]]:
    """Each key factor with its retained hypothesis (which knows its factor: no query)."""
    found = []
    for factor in Factor.objects.filter(study=study).key().select_related("retained"):
        hypothesis = factor.retained
        if hypothesis is None:
            continue
        if hypothesis.factor_id == factor.pk:
            hypothesis.factor = factor
        found.append((factor, hypothesis))
    return found


def hypotheses_answered(
    round_: Round, expert: Expert, answers: type[ActionProposal | ImpactProposal]
) -> tuple[int, int]:
    """How many retained hypotheses have at least one of the expert's `answers` in the round
    (actions, impacts), and how many are asked."""
    retained = [h.pk for _f, h in retained_hypotheses(round_.study)]
    done = (
        answers.objects.filter(round=round_, expert=expert, hypothesis_id__in=retained)
        .values("hypothesis_id")
        .distinct()
        .count()
    )
    return done, len(retained)


def retained_hypothesis(study: Study, code: str) -> Hypothesis:
    for _factor, hypothesis in retained_hypotheses(study):
        if hypothesis.code == code:
            return hypothesis
    raise AnswerRefused(_("This hypothesis is not asked in this round."))


def page_of(hypothesis: Hypothesis | None) -> str:
    """The factor of the page where `hypothesis` is asked (its key factor)."""
    return hypothesis.factor.code if hypothesis else ""


# == the steps ==================================================================================


@dataclass(frozen=True)
class Step:
    """A step's page and the expert's progress in it (registered by each step's module)."""

    page: Callable[[HttpRequest, Expert, Round], HttpResponse]
    progress: Callable[[Round, Expert], Progress]


STEPS: dict[str, Step] = {}


def progress_of(round_: Round, expert: Expert) -> Progress:
    return STEPS[round_.step].progress(round_, expert)
