"""Step 4: for each key factor, the situation today and the possible futures at the study's
horizon."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from anticipe.workshop import rules
from anticipe.workshop.models import (
    Expert,
    Factor,
    Round,
    Situation,
)
from anticipe.workshop.views.expert.common import (
    STEPS,
    AnswerRefused,
    Progress,
    Step,
    answering,
    clean_text,
    refused,
    round_context,
    saved,
    step_endpoint,
)


def situation_factors(round_: Round) -> list[Factor]:
    """The factors asked (:func:`anticipe.workshop.rules.situation_factors`), in order."""
    codes = rules.situation_factors(round_.study, round_)
    by_code = {f.code: f for f in round_.study.factors.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]


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


@step_endpoint(Round.Step.SITUATIONS)
def situation_save(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """Save the situation today and the possible futures of one key factor."""
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
    except AnswerRefused as refusal:
        return refused(request, round_, refusal.message, f"situation-{code}")
    return saved(request, expert, round_, f"situation-{factor.code}")


STEPS[Round.Step.SITUATIONS] = Step(situations_page, situations_progress)
