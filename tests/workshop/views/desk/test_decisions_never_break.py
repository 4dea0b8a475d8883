"""No decision the desk allows can break a study: every page still answers, and the study
file still validates, analyses and reports.

The random-decision test applies seeded random sequences of the desk's decisions (the
forms each page offers, and crafted requests with invalid parameters: see
``decision_walk.py``) to the example study and to generated small studies. The CI runs a
few sequences; ``ANTICIPE_DECISION_SEQUENCES=200`` runs 200 (and
``ANTICIPE_DECISION_SEED`` starts from another seed).
"""

from __future__ import annotations

import copy
import os
import random
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from anticipe.examples import load_example
from anticipe.workshop.models import Action, CrossImpact, Factor, Hypothesis, Impact, Study
from anticipe.workshop.study_format import import_study
from tests.workshop.support import shown_values, simulated_study
from tests.workshop.views.desk.decision_walk import check_study_still_works, desk_pages, walk

SEQUENCES = int(os.environ.get("ANTICIPE_DECISION_SEQUENCES", "8"))
FIRST_SEED = int(os.environ.get("ANTICIPE_DECISION_SEED", "2018"))


def url(name: str, *args: Any) -> str:
    return reverse(f"workshop:{name}", args=list(args))


def said(response: Any) -> str:
    """The messages a refused decision left for the page it goes back to."""
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# -- the example's A19: b and c merged into BC ------------------------------------------------


def test_retaining_the_rules_proposal_on_a_merged_hypothesis_retains_the_merge(
    example: Study, facilitator_client: Client
) -> None:
    """The rule points to A19-C (the most desirable), merged into A19-BC: the rule proposes
    A19-BC and retaining its proposal retains A19-BC, not A19-C; every page still answers
    and the study file still analyses and reports."""
    a19 = example.factors.get(code="A19")
    page = facilitator_client.get(url("factor_decisions", example.pk, a19.pk))
    assert shown_values(page.content)["proposal"] is None  # the element's text is the code
    assert 'data-key="proposal">A19-BC<' in page.content.decode()
    assert "Retain A19-BC, as the rule proposes" in page.content.decode()
    facilitator_client.post(url("retention_confirm", example.pk, a19.pk))
    a19.refresh_from_db()
    assert a19.retained is not None
    assert (a19.retained.code, a19.retained_override) == ("A19-BC", False)
    check_study_still_works(facilitator_client, example, [])
    # with the retention withdrawn first (after A19-BC's plan), the same
    Action.objects.filter(hypothesis=a19.retained).delete()
    Impact.objects.filter(hypothesis=a19.retained).delete()
    facilitator_client.post(url("retention_clear", example.pk, a19.pk))
    assert Factor.objects.get(pk=a19.pk).retained is None
    facilitator_client.post(url("retention_confirm", example.pk, a19.pk))
    assert Factor.objects.get(pk=a19.pk).retained == a19.hypotheses.get(code="A19-BC")
    check_study_still_works(facilitator_client, example, [])


def test_a_merged_hypothesis_is_never_retained(example: Study, facilitator_client: Client) -> None:
    a19 = example.factors.get(code="A19")
    c = a19.hypotheses.get(code="A19-C")
    Action.objects.filter(hypothesis__factor=a19).delete()
    Impact.objects.filter(hypothesis__factor=a19).delete()
    response = facilitator_client.post(
        url("retention_override", example.pk, a19.pk),
        {"hypothesis": str(c.pk), "reason": "The panel prefers C."},
        follow=True,
    )
    assert "Hypothesis C is merged into BC: retain the merge." in said(response)
    assert Factor.objects.get(pk=a19.pk).retained == a19.hypotheses.get(code="A19-BC")
    page = facilitator_client.get(url("factor_decisions", example.pk, a19.pk)).content.decode()
    assert f'<option value="{c.pk}">' not in page  # not offered
    with pytest.raises(ValueError, match="cannot be the retained hypothesis"):
        a19.retain(c, override=True, reason="by hand")
    other = example.factors.get(code="A1").hypotheses.first()
    with pytest.raises(ValueError, match="cannot be the retained hypothesis"):
        a19.retain(other)


def test_merges_the_desk_refuses(example: Study, facilitator_client: Client) -> None:
    """A hypothesis is part of one merge at most, a merge is not merged again, a merge stays
    within one factor, and a retained hypothesis with a plan is not merged away."""
    a19 = example.factors.get(code="A19")
    a, b, bc = (a19.hypotheses.get(code=f"A19-{x}") for x in ("A", "B", "BC"))
    a1 = example.factors.get(code="A1")
    foreign = a1.hypotheses.get(code="A1-A")
    merge = url("hypotheses_merge", example.pk, a19.pk)
    cases = [
        ([a.pk, b.pk], "B is already part of the merge BC: undo that merge first."),
        ([a.pk, bc.pk], "BC is itself a merge: merge the hypotheses it is made of."),
        ([a.pk, foreign.pk], "Choose at least two hypotheses of this factor to merge."),
        ([a.pk], "Choose at least two hypotheses of this factor to merge."),
    ]
    count = Hypothesis.objects.filter(factor__study=example).count()
    for chosen, message in cases:
        response = facilitator_client.post(merge, {"hypotheses": chosen, "text": "M."}, follow=True)
        assert message in said(response)
    retained = a1.retained
    assert retained is not None
    assert retained.has_plan()
    others = [h.pk for h in a1.hypotheses.exclude(pk=retained.pk)[:1]]
    response = facilitator_client.post(
        url("hypotheses_merge", example.pk, a1.pk),
        {"hypotheses": [retained.pk, *others], "text": "M."},
        follow=True,
    )
    assert "delete them first, then change the retention" in said(response)
    assert Hypothesis.objects.filter(factor__study=example).count() == count
    page = facilitator_client.get(url("factor_decisions", example.pk, a19.pk)).content.decode()
    assert f'id="merge-{b.pk}"' not in page  # merged already: not offered to merge again
    assert f'id="merge-{a.pk}"' not in page  # alone, nothing left to merge it with


def test_the_plan_goes_before_the_retention_changes(
    example: Study, facilitator_client: Client
) -> None:
    """The actions and impacts decided for a retained hypothesis are not left behind: the
    retention is withdrawn or replaced, and the factor removed from the key factors, once
    they are deleted."""
    a1 = example.factors.get(code="A1")
    retained = a1.retained
    assert retained is not None
    other = a1.hypotheses.exclude(pk=retained.pk).first()
    assert other is not None
    refused = "delete them first, then change the retention"
    for name, data in (
        ("retention_clear", {}),
        ("retention_override", {"hypothesis": str(other.pk), "reason": "Changed our mind."}),
    ):
        response = facilitator_client.post(url(name, example.pk, a1.pk), data, follow=True)
        assert refused in said(response)
        assert Factor.objects.get(pk=a1.pk).retained_id == retained.pk
    response = facilitator_client.post(
        url("key_factor_remove", example.pk, a1.pk), {"reason": "Not key."}, follow=True
    )
    assert "A1 has a retained hypothesis: withdraw the retention first" in said(response)
    assert Factor.objects.get(pk=a1.pk).is_key()
    Action.objects.filter(hypothesis=retained).delete()
    Impact.objects.filter(hypothesis=retained).delete()
    facilitator_client.post(url("retention_clear", example.pk, a1.pk))
    assert Factor.objects.get(pk=a1.pk).retained is None
    response = facilitator_client.post(
        url("key_factor_remove", example.pk, a1.pk), {"reason": "Not key."}, follow=True
    )
    assert "The hypotheses of A1 have cross-impacts: set them to 0 first." in said(response)
    CrossImpact.objects.filter(source__factor=a1).delete()
    CrossImpact.objects.filter(target__factor=a1).delete()
    facilitator_client.post(url("key_factor_remove", example.pk, a1.pk), {"reason": "Not key."})
    assert not Factor.objects.get(pk=a1.pk).is_key()
    check_study_still_works(facilitator_client, example, [])


def test_a_state_the_analysis_cannot_use_shows_a_message_not_a_500(
    example: Study, facilitator_client: Client
) -> None:
    """Older data retaining A19-C (merged into A19-BC), as the bug left it: the results
    pages and downloads say why and where to fix it (409), the decision pages still work
    and offer the way back, and once it is withdrawn everything answers again."""
    a19 = example.factors.get(code="A19")
    c = a19.hypotheses.get(code="A19-C")
    Action.objects.filter(hypothesis__factor=a19).delete()
    Impact.objects.filter(hypothesis__factor=a19).delete()
    Factor.objects.filter(pk=a19.pk).update(retained=c, retained_override=False)
    fix = url("factor_decisions", example.pk, a19.pk)
    for path, _htmx in desk_pages(example):
        response = facilitator_client.get(path)
        assert response.status_code in (200, 302, 409), path
        if response.status_code == 409:
            assert "The retained hypothesis of A19 is merged into another one" in (
                response.content.decode()
            ), path
            assert fix in response.content.decode()
    page = facilitator_client.get(fix).content.decode()
    assert 'data-key="decisions-unusable"' in page
    assert url("retention_clear", example.pk, a19.pk) in page
    assert facilitator_client.get(url("results_hypotheses", example.pk)).status_code == 409
    response = facilitator_client.post(url("retention_confirm", example.pk, a19.pk), follow=True)
    assert "The retained hypothesis of A19 is merged into another one" in said(response)
    facilitator_client.post(url("retention_clear", example.pk, a19.pk))
    assert Factor.objects.get(pk=a19.pk).retained is None
    check_study_still_works(facilitator_client, example, [])


# -- random sequences of decisions ------------------------------------------------------------


def at_a_stage(document: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The study as it was at a random stage of the panel's decisions: all of them, before
    the action plan and impacts, before the retention, or before the key factors (so walks
    also retain, merge and plan, not only undo)."""
    stage = rng.choice(["all", "all", "retained", "voted", "structural"])
    later = {
        "all": (),
        "retained": ("actions", "impacts", "competences"),
        "voted": ("actions", "impacts", "competences", "cross_impacts"),
        "structural": ("actions", "impacts", "competences", "cross_impacts", "key_factors"),
    }[stage]
    if "competences" in later:  # the self-assessment's groups count the competences' answers
        later += ("self_assessment",)
    document = copy.deepcopy(document)
    for section in later:
        document.pop(section, None)
    if "competences" in later:  # a catalogue covers the competences, made with them
        document.pop("training_catalogue", None)
    if stage == "structural":
        document.pop("hypotheses", None)
    elif stage == "voted":
        for block in document["hypotheses"]["factors"]:
            block.pop("retained", None)
            if rng.random() < 0.5:
                block.pop("actions_can_reach_desirable", None)
    return document


def a_study(seed: int, rng: random.Random) -> dict[str, Any]:
    """The example study (even seeds) or a small generated one (3 to 6 experts, 6 to 9
    factors), at a random stage of its decisions."""
    if seed % 2 == 0:
        return at_a_stage(load_example(), rng)
    generated = simulated_study(rng.randint(3, 6), rng.randint(6, 9), seed=rng.randrange(10**6))
    return at_a_stage(generated, rng)


def test_random_sequences_of_decisions_never_break_a_study(
    facilitator: Any, facilitator_client: Client
) -> None:
    for number in range(SEQUENCES):
        seed = FIRST_SEED + number
        rng = random.Random(seed)
        cache.clear()  # the ids of a study rolled back are given again
        with transaction.atomic():
            study = import_study(a_study(seed, rng), owner=facilitator)
            done = walk(facilitator_client, study, rng, rng.randint(5, 25), f"seed {seed}")
            check_study_still_works(facilitator_client, study, done.log)
            transaction.set_rollback(True)
