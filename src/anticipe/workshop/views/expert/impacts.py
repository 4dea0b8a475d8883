"""Step 7: for each retained hypothesis, the activities it changes the most and the
competences each calls for, one key factor at a time."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from anticipe.workshop.models import (
    Activity,
    Expert,
    Hypothesis,
    ImpactProposal,
    Round,
)
from anticipe.workshop.views.expert.common import (
    STEPS,
    AnswerRefused,
    Progress,
    Step,
    answering,
    clean_text,
    factor_pages,
    hypotheses_answered,
    page_of,
    refused,
    retained_hypotheses,
    retained_hypothesis,
    round_context,
    saved,
    step_endpoint,
)


def impacts_progress(round_: Round, expert: Expert) -> Progress:
    done, total = hypotheses_answered(round_, expert, ImpactProposal)
    text = _("%(done)d of %(total)d hypotheses answered") % {"done": done, "total": total}
    return Progress(done, total, text)


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


@step_endpoint(Round.Step.IMPACTS)
def impact_save(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """Save, for one retained hypothesis, the activities it affects most and, for each, the
    competences it calls for (unticked activities are removed)."""
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
    except AnswerRefused as refusal:
        return refused(
            request, round_, refusal.message, f"hypothesis-{code}", factor=page_of(hypothesis)
        )
    return saved(request, expert, round_, f"hypothesis-{code}", factor=page_of(hypothesis))


STEPS[Round.Step.IMPACTS] = Step(impacts_page, impacts_progress)
