"""The glossary: the method's words and the statistics' terms the results pages use, each
explained in a sentence (in the page's language). Open to everyone: experts and observers
read the same words. The results pages link each term to its entry (``glossary#iqr``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

# (anchor, term, explanation). The method's words follow the seed report's glossary
# (Le Forem, Abilitic2Perform: one word per idea, the same in the site and the report).
METHOD = [
    (
        "job",
        _("Job"),
        _("The occupation the study looks at, for example digital mediator."),
    ),
    (
        "perimeter",
        _("Perimeter"),
        _("The job's activities and their tasks, as they are today."),
    ),
    (
        "panel",
        _("Expert, panel"),
        _("The people who answer the study's rounds, about ten."),
    ),
    (
        "round",
        _("Round"),
        _("One step of the method put to the experts: open, answered, closed."),
    ),
    (
        "delphi",
        _("Iteration (Delphi)"),
        _(
            "A step asked again after the experts have seen the panel's answers, so that each may "
            "keep or change their own."
        ),
    ),
    (
        "change-factor",
        _("Change factor"),
        _("Something that will shape the job over the horizon (A1, A2…)."),
    ),
    (
        "weighted-vote",
        _("Weighted vote"),
        _(
            "Each expert distributes points (or ranks) among the change factors; the factors with "
            "the most points form the shortlist."
        ),
    ),
    (
        "influence-matrix",
        _("Influence matrix"),
        _(
            "For each pair of factors, how strongly the first influences the second: 0 none, 1 "
            "weak, 2 medium, 3 strong, P potential (a possible influence, not yet felt)."
        ),
    ),
    (
        "influence",
        _("Influence, dependence"),
        _(
            "A factor's influence is the sum of its row of the matrix (how much it acts on the "
            "others); its dependence, the sum of its column (how much the others act on it)."
        ),
    ),
    (
        "micmac",
        _("Structural analysis (MICMAC)"),
        _(
            "The method that turns the influence matrix into a map of the factors by influence and "
            "dependence, directly and through chains of influences."
        ),
    ),
    (
        "planes",
        _("Direct, indirect and potential planes"),
        _(
            "The direct plane places each factor by the experts' scores; the indirect plane counts "
            "the influences passed on through other factors (powers of the matrix); the potential "
            "planes also count the potential (P) influences."
        ),
    ),
    (
        "quadrants",
        _("Quadrants"),
        _(
            "The map's four parts, split at the mean influence and the mean dependence: driving "
            "(influential, little dependent), relay (influential and dependent), dependent "
            "(dependent, little influential), autonomous (neither)."
        ),
    ),
    (
        "key-factors",
        _("Key factors"),
        _(
            "The factors kept for the next steps: those the structural analysis selects (by "
            "default, the driving quadrant), and those the panel adds, with a reason."
        ),
    ),
    (
        "displacement",
        _("Displacement"),
        _(
            "How a factor's place moves from one plane to another: a factor that climbs acts more "
            "through others than directly."
        ),
    ),
    (
        "hypothesis",
        _("Evolution hypothesis"),
        _("One possible future of a key factor over the horizon."),
    ),
    (
        "probability-desirability",
        _("Probability, desirability"),
        _(
            "The two votes on each hypothesis: how likely it is, how desirable it is (1 to 4, or "
            "don't know)."
        ),
    ),
    (
        "retained-hypothesis",
        _("Retained hypothesis"),
        _(
            "One per key factor: by the rule, the most desirable if actions can reach it, "
            "otherwise the most probable."
        ),
    ),
    (
        "arbitration",
        _("Arbitration"),
        _("A retention that departs from the rule, recorded with its reason."),
    ),
    (
        "cross-impacts",
        _("Coherence (cross-impact balance)"),
        _(
            "Whether the retained hypotheses fit together: each hypothesis' push on the "
            "others is added up, and a scenario is consistent when no factor would rather "
            "move to another of its hypotheses."
        ),
    ),
    (
        "action-plan",
        _("Action plan"),
        _(
            "For each retained hypothesis, the actions to provoke a desirable change or to "
            "prepare for a probable one."
        ),
    ),
    (
        "impacts",
        _("Impacts, competences"),
        _(
            "Which activities each retained hypothesis changes, and the competences the job "
            "will need."
        ),
    ),
]
STATISTICS = [
    (
        "median",
        _("Median"),
        _("The middle answer: half of the experts answered less, half more."),
    ),
    (
        "iqr",
        _("Interquartile range (IQR)"),
        _(
            "The spread of the middle half of the answers (from the first to the third quartile): "
            "0 when the experts agree, larger when they disagree."
        ),
    ),
    (
        "consensus",
        _("Consensus"),
        _(
            "The panel agrees on a hypothesis when the interquartile range of its votes is at most "
            "the threshold shown in the parameters."
        ),
    ),
    (
        "kendall-w",
        _("Kendall's W (concordance)"),
        _(
            "How much the experts rank the factors the same way: 0 no agreement, 1 the same "
            "ranking for all."
        ),
    ),
    (
        "p-value",
        _("p-value"),
        _(
            "The chance of a concordance at least this high if the experts had answered at random: "
            "below 0.05, the agreement is unlikely to be chance."
        ),
    ),
    (
        "bootstrap",
        _("Resampling the experts (bootstrap)"),
        _(
            "The analysis redone many times on panels drawn at random from the experts (some "
            "counted twice, some left out), to see how much the results depend on who answered."
        ),
    ),
    (
        "probability-of-selection",
        _("Probability of selection"),
        _(
            "The share of the resampled panels in which a factor is a key factor: close to all "
            "of them, it is a key factor whoever answers; around half, it depends on the panel."
        ),
    ),
    (
        "rank-interval",
        _("Rank interval"),
        _(
            "The range of ranks a factor takes over the resampled panels: a narrow interval means "
            "a stable rank."
        ),
    ),
    (
        "seed",
        _("Random seed"),
        _(
            "The number that starts the random draws of the resampling: with the same seed, the "
            "same study gives exactly the same figures again."
        ),
    ),
    (
        "leave-one-out",
        _("Leaving one expert out"),
        _(
            "The analysis redone without each expert in turn: “the selection changes for N "
            "experts” counts the experts without whom the key factors would not be the same (0: no "
            "single expert decides the selection)."
        ),
    ),
    (
        "minimum-answers",
        _("Minimum number of answers"),
        _(
            "Below this number of experts a result is not shown, so that no answer can be traced "
            "back to one person."
        ),
    ),
    (
        "simulated",
        _("Simulated answers"),
        _(
            "Answers generated to show how the method works (the example study), not given by real "
            "experts."
        ),
    ),
]


@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workshop/glossary.html",
        {"sections": [(_("The method's words"), METHOD), (_("The statistics"), STATISTICS)]},
    )


urlpatterns: list[URLPattern] = [path("glossary/", glossary, name="glossary")]
