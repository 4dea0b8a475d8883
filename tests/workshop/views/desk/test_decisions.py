"""The panel's decisions on the desk: each one recorded (who, when, why), reversible until
the study is published, and the study file stays valid after every one of them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anticipe.examples import load_example
from anticipe.study.analysis import analyse_study
from anticipe.study.study_file import check_study
from anticipe.workshop.models import (
    Action,
    ActionProposal,
    AuditEvent,
    Competence,
    CrossImpact,
    Factor,
    Hypothesis,
    HypothesisVote,
    Impact,
    ImpactProposal,
    Round,
    Situation,
    Study,
)
from anticipe.workshop.results import study_results
from anticipe.workshop.study_format import export_study, import_study, study_document
from tests.workshop.support import shown_values, visible_text


def last_event(study: Study) -> AuditEvent:
    event = study.audit_events.order_by("-id").first()
    assert event is not None
    return event


def url(name: str, *args: Any) -> str:
    return reverse(f"workshop:{name}", args=list(args))


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# -- key factors ------------------------------------------------------------------------------


def test_accepting_the_selection_records_it(
    study: Study, facilitator: Any, facilitator_client: Client
) -> None:
    study.factors.update(key_origin="", key_reason="")
    selection = analyse_study(export_study(study))["structural_analysis"]["selection"]["selected"]
    response = facilitator_client.post(url("key_factors_accept", study.pk))
    assert response.status_code == 302
    assert list(study.factors.key().values_list("code", flat=True)) == selection
    assert set(study.factors.key().values_list("key_origin", flat=True)) == {"selection"}
    event = last_event(study)
    assert (event.action, event.actor, event.detail["factors"]) == (
        "key_factors_accepted",
        facilitator,
        selection,
    )


def test_adding_a_factor_the_analysis_did_not_select_needs_a_reason(
    study: Study, facilitator_client: Client
) -> None:
    events = study.audit_events.count()
    response = facilitator_client.post(
        url("key_factor_add", study.pk), {"factor": "F2", "reason": "  "}, follow=True
    )
    assert any("Say why" in m or "Dites" in m for m in messages_of(response))
    assert not study.factors.get(code="F2").is_key()
    assert study.audit_events.count() == events

    facilitator_client.post(
        url("key_factor_add", study.pk), {"factor": "F2", "reason": "Asked for by the panel."}
    )
    f2 = study.factors.get(code="F2")
    assert (f2.key_origin, f2.key_reason) == ("addition", "Asked for by the panel.")
    assert list(study.factors.key().values_list("code", flat=True)) == ["F1", "F3", "F2"]
    event = last_event(study)
    assert event.action == "key_factor_added"
    assert event.detail == {
        "factor": "F2",
        "origin": "addition",
        "reason": "Asked for by the panel.",
    }
    check_study(export_study(study))


def test_a_factor_outside_the_structural_analysis_cannot_be_key(
    study: Study, facilitator_client: Client
) -> None:
    facilitator_client.post(url("key_factor_add", study.pk), {"factor": "F4", "reason": "Why not"})
    assert not study.factors.get(code="F4").is_key()


def test_removing_a_key_factor_needs_a_reason_and_can_be_undone(
    study: Study, facilitator_client: Client
) -> None:
    f1 = study.factors.get(code="F1")
    # its later decisions go first (see test_decisions_never_break.py)
    Factor.objects.filter(pk=f1.pk).update(retained=None)
    CrossImpact.objects.filter(source__factor__study=study).delete()
    facilitator_client.post(url("key_factor_remove", study.pk, f1.pk), {"reason": ""})
    assert study.factors.get(code="F1").is_key()
    facilitator_client.post(url("key_factor_remove", study.pk, f1.pk), {"reason": "Too vague."})
    assert not study.factors.get(code="F1").is_key()
    assert last_event(study).detail["reason"] == "Too vague."
    # reversible: F1 is in the analysis' selection, so it comes back without a reason
    facilitator_client.post(url("key_factor_add", study.pk), {"factor": "F1", "reason": ""})
    assert study.factors.get(code="F1").key_origin == "selection"


def test_key_factors_can_be_reordered(study: Study, facilitator_client: Client) -> None:
    f3 = study.factors.get(code="F3")
    facilitator_client.post(url("key_factor_move", study.pk, f3.pk), {"direction": "up"})
    assert list(study.factors.key().values_list("code", flat=True)) == ["F3", "F1"]
    assert last_event(study).action == "key_factor_moved"
    events = study.audit_events.count()
    facilitator_client.post(url("key_factor_move", study.pk, f3.pk), {"direction": "up"})
    assert study.audit_events.count() == events  # already first: nothing to record


# -- hypotheses -------------------------------------------------------------------------------


def test_writing_rewording_and_deleting_hypotheses(
    study: Study, facilitator_client: Client
) -> None:
    f1 = study.factors.get(code="F1")
    facilitator_client.post(url("factor_situation", study.pk, f1.pk), {"current_situation": "Now."})
    assert Factor.objects.get(pk=f1.pk).current_situation == "Now."
    assert last_event(study).detail["before"] == "Internet et mobile."

    facilitator_client.post(url("hypothesis_add", study.pk, f1.pk), {"text": "Robots everywhere."})
    new = f1.hypotheses.get(text="Robots everywhere.")
    assert (new.label, new.code) == ("C", "F1-C")
    assert last_event(study).action == "hypothesis_added"

    facilitator_client.post(
        url("hypothesis_edit", study.pk, new.pk), {"text": "Robots in every office.", "label": "R"}
    )
    new.refresh_from_db()
    assert (new.label, new.text) == ("R", "Robots in every office.")
    event = last_event(study)
    assert event.detail["before"] == {"label": "C", "text": "Robots everywhere."}

    facilitator_client.post(url("hypothesis_move", study.pk, new.pk), {"direction": "up"})
    assert list(f1.hypotheses.order_by("position").values_list("code", flat=True)) == [
        "F1-A",
        "F1-C",
        "F1-B",
    ]
    facilitator_client.post(url("hypothesis_delete", study.pk, new.pk))
    assert not Hypothesis.objects.filter(pk=new.pk).exists()
    assert last_event(study).detail["text"] == "Robots in every office."
    check_study(export_study(study))


def test_a_voted_hypothesis_is_reworded_not_deleted(
    study: Study, facilitator_client: Client
) -> None:
    voted = Hypothesis.objects.get(factor__study=study, code="F1-A")
    votes = HypothesisVote.objects.filter(hypothesis=voted).count()
    response = facilitator_client.post(url("hypothesis_delete", study.pk, voted.pk), follow=True)
    assert Hypothesis.objects.filter(pk=voted.pk).exists()
    assert messages_of(response)
    facilitator_client.post(url("hypothesis_edit", study.pk, voted.pk), {"text": "No change."})
    assert HypothesisVote.objects.filter(hypothesis=voted).count() == votes


def test_at_most_five_hypotheses_to_vote_on(study: Study, facilitator_client: Client) -> None:
    f1 = study.factors.get(code="F1")
    for k in range(5):
        facilitator_client.post(url("hypothesis_add", study.pk, f1.pk), {"text": f"Idea {k}."})
    assert f1.hypotheses.count() == 5
    assert sorted(f1.hypotheses.values_list("label", flat=True)) == ["A", "B", "C", "D", "E"]


def test_merging_hypotheses_keeps_their_votes_and_drops_their_cross_impacts(
    study: Study, facilitator_client: Client
) -> None:
    f1 = study.factors.get(code="F1")
    a, b = f1.hypotheses.get(code="F1-A"), f1.hypotheses.get(code="F1-B")
    assert CrossImpact.objects.filter(source=b).exists()
    response = facilitator_client.post(
        url("hypotheses_merge", study.pk, f1.pk),
        {"hypotheses": [a.pk], "text": "Both."},
        follow=True,
    )
    assert messages_of(response)
    assert f1.hypotheses.count() == 2
    # F1-B is retained, with actions and impacts decided for it: they go first
    response = facilitator_client.post(
        url("hypotheses_merge", study.pk, f1.pk),
        {"hypotheses": [a.pk, b.pk], "text": "Both."},
        follow=True,
    )
    assert "delete them first, then change the retention" in " ".join(messages_of(response))
    assert f1.hypotheses.count() == 2
    for action in b.actions.all():
        facilitator_client.post(url("action_delete", study.pk, action.pk))
    for impact in b.impacts.all():
        facilitator_client.post(url("impact_delete", study.pk, impact.pk))
    facilitator_client.post(
        url("hypotheses_merge", study.pk, f1.pk), {"hypotheses": [a.pk, b.pk], "text": "Both."}
    )
    merged = f1.hypotheses.get(code="F1-AB")
    assert merged.label == "A+B"
    assert set(merged.merged_from.values_list("code", flat=True)) == {"F1-A", "F1-B"}
    assert HypothesisVote.objects.filter(hypothesis__in=[a, b]).count() == 6
    assert not CrossImpact.objects.filter(source__in=[a, b]).exists()
    assert not CrossImpact.objects.filter(target__in=[a, b]).exists()
    # F1-B was retained: the merge asks for a new decision
    assert Factor.objects.get(pk=f1.pk).retained is None
    event = last_event(study)
    assert event.action == "hypotheses_merged"
    assert event.detail["merged_from"] == ["F1-A", "F1-B"]
    assert event.detail["retention_withdrawn"] == "F1-B"
    # the merge can be retained by an override with a reason, and the analysis agrees
    facilitator_client.post(
        url("retention_override", study.pk, f1.pk),
        {"hypothesis": str(merged.pk), "reason": "The panel merges them."},
    )
    analysis = analyse_study(export_study(study))
    assert analysis["hypotheses"][0]["retained"] == "F1-AB"
    assert analysis["hypotheses"][0]["retention"]["rule"] == "override"
    # undoing the merge: withdraw the retention, delete the merged hypothesis
    facilitator_client.post(url("retention_clear", study.pk, f1.pk))
    facilitator_client.post(url("hypothesis_delete", study.pk, merged.pk))
    assert not Hypothesis.objects.filter(pk=merged.pk).exists()
    assert f1.hypotheses.count() == 2


# -- retention --------------------------------------------------------------------------------


def test_the_rule_proposes_the_facilitator_confirms(
    study: Study, facilitator: Any, facilitator_client: Client
) -> None:
    f1 = study.factors.get(code="F1")
    Factor.objects.filter(pk=f1.pk).update(retained=None, actions_can_reach_desirable=None)
    page = facilitator_client.get(url("factor_decisions", study.pk, f1.pk))
    assert "proposal" not in shown_values(page.content)
    facilitator_client.post(url("retention_confirm", study.pk, f1.pk))
    assert Factor.objects.get(pk=f1.pk).retained is None  # no proposal yet: refused

    facilitator_client.post(url("factor_reachability", study.pk, f1.pk), {"reachable": "no"})
    assert Factor.objects.get(pk=f1.pk).actions_can_reach_desirable is False
    assert last_event(study).detail == {"factor": "F1", "before": None, "after": False}
    proposal = study_results(study).analysis["hypotheses"][0]["retention"]["proposal"]
    assert proposal == "F1-B"  # the most probable
    page = facilitator_client.get(url("factor_decisions", study.pk, f1.pk))
    assert "proposal" in shown_values(page.content)
    facilitator_client.post(url("retention_confirm", study.pk, f1.pk))
    f1.refresh_from_db()
    assert f1.retained is not None
    assert (f1.retained.code, f1.retained_override, f1.retained_reason) == ("F1-B", False, "")
    event = last_event(study)
    assert (event.action, event.actor, event.detail["hypothesis"]) == (
        "hypothesis_retained",
        facilitator,
        "F1-B",
    )
    # once retained as the rule proposes, the page no longer offers to retain it again
    page = facilitator_client.get(url("factor_decisions", study.pk, f1.pk)).content.decode()
    assert "as the rule proposes" not in page
    assert url("retention_clear", study.pk, f1.pk) in page


def test_an_override_needs_a_reason(study: Study, facilitator_client: Client) -> None:
    f1 = study.factors.get(code="F1")
    a = f1.hypotheses.get(code="F1-A")
    # nothing planned for the retained F1-B yet (else the plan goes first: see
    # test_decisions_never_break.py)
    Action.objects.filter(hypothesis__factor=f1).delete()
    Impact.objects.filter(hypothesis__factor=f1).delete()
    facilitator_client.post(
        url("retention_override", study.pk, f1.pk), {"hypothesis": str(a.pk), "reason": ""}
    )
    assert Factor.objects.get(pk=f1.pk).retained.code == "F1-B"  # type: ignore[union-attr]
    facilitator_client.post(
        url("retention_override", study.pk, f1.pk),
        {"hypothesis": str(a.pk), "reason": "The experts were too optimistic."},
    )
    f1.refresh_from_db()
    assert (f1.retained_id, f1.retained_override) == (a.pk, True)
    assert f1.retained_reason == "The experts were too optimistic."
    assert last_event(study).detail["reason"] == "The experts were too optimistic."
    block = analyse_study(export_study(study))["hypotheses"][0]
    assert block["retention"]["override"] == {
        "hypothesis": "F1-A",
        "reason": "The experts were too optimistic.",
    }


def test_a_hypothesis_of_another_factor_cannot_be_retained(
    study: Study, facilitator_client: Client
) -> None:
    f1 = study.factors.get(code="F1")
    other = Hypothesis.objects.get(factor__study=study, code="F3-A")
    facilitator_client.post(
        url("retention_override", study.pk, f1.pk), {"hypothesis": str(other.pk), "reason": "x"}
    )
    assert Factor.objects.get(pk=f1.pk).retained.code == "F1-B"  # type: ignore[union-attr]


# -- actions, impacts, competences, cross-impacts ---------------------------------------------


def test_actions_are_added_merged_ordered_and_deleted(
    study: Study, facilitator_client: Client
) -> None:
    b = Hypothesis.objects.get(factor__study=study, code="F1-B")
    facilitator_client.post(url("action_add", study.pk, b.pk), {"aim": "provoke", "text": "Train."})
    facilitator_client.post(url("action_add", study.pk, b.pk), {"aim": "", "text": "Equip."})
    assert list(b.actions.order_by("position").values_list("text", flat=True)) == [
        "Former à l'IA.",
        "Train.",
        "Equip.",
    ]
    ids = list(b.actions.filter(text__in=["Train.", "Equip."]).values_list("pk", flat=True))
    facilitator_client.post(
        url("actions_merge", study.pk, b.pk),
        {"actions": ids, "aim": "prepare", "text": "Train and equip."},
    )
    assert list(b.actions.order_by("position").values_list("text", "aim")) == [
        ("Former à l'IA.", "provoke"),
        ("Train and equip.", "prepare"),
    ]
    assert [a["text"] for a in last_event(study).detail["merged_from"]] == ["Train.", "Equip."]
    merged = b.actions.get(text="Train and equip.")
    facilitator_client.post(url("action_move", study.pk, merged.pk), {"direction": "up"})
    assert b.actions.order_by("position").first() == merged
    facilitator_client.post(url("action_edit", study.pk, merged.pk), {"aim": "", "text": "Later."})
    merged.refresh_from_db()
    assert (merged.aim, merged.text) == ("", "Later.")
    facilitator_client.post(url("action_delete", study.pk, merged.pk))
    assert not Action.objects.filter(pk=merged.pk).exists()
    assert last_event(study).detail["text"] == "Later."
    check_study(export_study(study))


def test_actions_only_for_retained_hypotheses(study: Study, facilitator_client: Client) -> None:
    a = Hypothesis.objects.get(factor__study=study, code="F1-A")
    response = facilitator_client.post(url("action_add", study.pk, a.pk), {"text": "No."})
    assert response.status_code == 404
    assert not a.actions.exists()


def test_impacts_and_competences(study: Study, facilitator_client: Client) -> None:
    b = Hypothesis.objects.get(factor__study=study, code="F1-B")
    first = study.activities.get(code="1")
    facilitator_client.post(
        url("competence_add", study.pk),
        {"text": "Explain an algorithm", "frameworks": "DigComp 2.2 1.3\nESCO S1.2"},
    )
    c3 = study.competences.get(code="C3")
    assert c3.frameworks == [
        {"framework": "DigComp 2.2", "id": "1.3"},
        {"framework": "ESCO", "id": "S1.2"},
    ]
    response = facilitator_client.post(
        url("competence_add", study.pk), {"text": "Bad", "frameworks": "Unknown 1"}, follow=True
    )
    assert messages_of(response)
    assert not study.competences.filter(text="Bad").exists()
    for wrong, said in (
        ("digcomp-2.2 9.9", "DigComp 2.2 has no competence 9.9"),
        ("digcompedu 3.2 9", "the levels of DigCompEdu are A1, A2, B1, B2, C1, C2"),
    ):
        response = facilitator_client.post(
            url("competence_add", study.pk), {"text": "Bad", "frameworks": wrong}, follow=True
        )
        assert any(said in message for message in messages_of(response)), wrong
        assert not study.competences.filter(text="Bad").exists()
    facilitator_client.post(
        url("competence_add", study.pk), {"text": "Guide", "frameworks": "digcompedu 3.2 B1"}
    )
    guide = study.competences.get(text="Guide")
    assert guide.frameworks == [{"framework": "digcompedu", "id": "3.2", "level": "B1"}]

    facilitator_client.post(
        url("impact_add", study.pk),
        {"hypothesis": b.pk, "activity": first.pk, "competences": [c3.pk]},
    )
    impact = Impact.objects.get(hypothesis=b, activity=first)
    assert list(impact.competences.values_list("code", flat=True)) == ["C3"]
    assert last_event(study).detail == {
        "hypothesis": "F1-B",
        "activity": "1",
        "competences": ["C3"],
    }
    counts = {
        item["activity"]: item["count"]
        for item in analyse_study(export_study(study))["impacts"]["activity_counts"]
    }
    assert counts == {"1": 1, "2": 1, "3": 2}
    shown = shown_values(facilitator_client.get(url("results_impacts", study.pk)).content)
    assert shown["impacts.1.count"] == "1"

    c1 = study.competences.get(code="C1")
    facilitator_client.post(url("impact_edit", study.pk, impact.pk), {"competences": [c1.pk]})
    assert list(impact.competences.values_list("code", flat=True)) == ["C1"]
    facilitator_client.post(
        url("competence_edit", study.pk, c3.pk),
        {"code": "C1", "text": "Clash", "frameworks": ""},
    )
    assert Competence.objects.get(pk=c3.pk).code == "C3"  # codes stay unique
    facilitator_client.post(url("competence_delete", study.pk, c3.pk))
    facilitator_client.post(url("impact_delete", study.pk, impact.pk))
    assert not Impact.objects.filter(pk=impact.pk).exists()
    check_study(export_study(study))


def test_cross_impacts_are_saved_and_checked(study: Study, facilitator_client: Client) -> None:
    b = Hypothesis.objects.get(factor__study=study, code="F1-B")
    f3_a = Hypothesis.objects.get(factor__study=study, code="F3-A")
    f3_bc = Hypothesis.objects.get(factor__study=study, code="F3-BC")
    page = facilitator_client.get(url("cross_impacts", study.pk))
    assert f'name="ci-{b.pk}-{f3_a.pk}"'.encode() in page.content
    assert f'name="ci-{b.pk}-{b.pk}"'.encode() not in page.content  # same factor
    response = facilitator_client.post(
        url("cross_impacts", study.pk), {f"ci-{b.pk}-{f3_a.pk}": "7"}, follow=True
    )
    assert messages_of(response)
    assert CrossImpact.objects.get(source=b, target=f3_a).value == -2
    facilitator_client.post(
        url("cross_impacts", study.pk),
        {f"ci-{b.pk}-{f3_a.pk}": "0", f"ci-{b.pk}-{f3_bc.pk}": "3"},
    )
    assert not CrossImpact.objects.filter(source=b, target=f3_a).exists()
    assert CrossImpact.objects.get(source=b, target=f3_bc).value == 3
    assert last_event(study).detail["changes"] == [["F1-B", "F3-A", -2, 0], ["F1-B", "F3-BC", 2, 3]]
    assert analyse_study(export_study(study))["scenario"]["coherence"] is not None


def test_the_material_is_anonymous(study: Study, facilitator_client: Client) -> None:
    """The experts' situations, action and impact proposals are shown without their
    authors, sorted by text."""
    e1, e2 = study.experts.get(code="E1"), study.experts.get(code="E2")
    study.experts.filter(pk=e1.pk).update(name="Zoe Canary")
    study.experts.filter(pk=e2.pk).update(name="Yann Canary")
    f1 = study.factors.get(code="F1")
    b = Hypothesis.objects.get(factor__study=study, code="F1-B")
    situations = Round.objects.create(study=study, step=Round.Step.SITUATIONS)
    situations.open()
    Situation.objects.create(round=situations, expert=e1, factor=f1, current="Zulu today.")
    Situation.objects.create(round=situations, expert=e2, factor=f1, current="Alpha today.")
    actions = Round.objects.create(study=study, step=Round.Step.ACTIONS)
    actions.open()
    ActionProposal.objects.create(round=actions, expert=e1, hypothesis=b, text="Zulu action.")
    ActionProposal.objects.create(round=actions, expert=e2, hypothesis=b, text="Alpha action.")
    impacts = Round.objects.create(study=study, step=Round.Step.IMPACTS)
    impacts.open()
    first = study.activities.get(code="1")
    ImpactProposal.objects.create(
        round=impacts, expert=e1, hypothesis=b, activity=first, competences="Zulu skill"
    )
    ImpactProposal.objects.create(
        round=impacts, expert=e2, hypothesis=b, activity=first, competences="Alpha skill"
    )
    pages = (
        (url("factor_decisions", study.pk, f1.pk), ("Alpha today.", "Zulu today.")),
        (url("action_plan", study.pk), ("Alpha action.", "Zulu action.")),
        (url("impacts_table", study.pk), ("Alpha skill", "Zulu skill")),
    )
    for page, texts in pages:  # while their rounds are open: not yet, and the page says why
        html = facilitator_client.get(page).content.decode()
        assert texts[0] not in html
        assert texts[1] not in html
        assert "texts appear here once you close it" in html
    for round_ in (situations, actions, impacts):
        round_.close()
    for page, texts in pages:
        html = facilitator_client.get(page).content.decode()
        first_at, second_at = html.index(texts[0]), html.index(texts[1])
        assert first_at < second_at  # by text, not by expert
        assert "Canary" not in html
        assert not re.search(r"\bE[123]\b", visible_text(html))


def test_decisions_log_lists_who_when_why(
    study: Study, facilitator: Any, facilitator_client: Client
) -> None:
    facilitator_client.post(
        url("key_factor_add", study.pk), {"factor": "F2", "reason": "Because the panel said so."}
    )
    html = facilitator_client.get(url("decisions_log", study.pk)).content.decode()
    assert "Because the panel said so." in html
    assert facilitator.username in html


# -- the example study, walked through its decisions -------------------------------------------


@pytest.mark.slow  # every decision page of the example study
def test_walk_the_example_studys_decisions(facilitator: Any, facilitator_client: Client) -> None:
    """From closed rounds to confirmed key factors (with a manual addition), retained
    hypotheses (with a merge and an override), the action plan and the impact table."""
    study = import_study(load_example(), owner=facilitator)
    # start from the closed rounds only: no decision yet
    Hypothesis.objects.filter(factor__study=study, merged_from__isnull=False).delete()
    CrossImpact.objects.filter(source__factor__study=study).delete()
    Action.objects.filter(hypothesis__factor__study=study).delete()
    Impact.objects.filter(activity__study=study).delete()
    study.competences.all().delete()
    study.factors.update(
        key_origin="", key_reason="", retained=None, actions_can_reach_desirable=None
    )
    check_study(export_study(study))

    # key factors: the analysis' selection, plus A16 at the panel's request
    selection = study_results(study).analysis["structural_analysis"]["selection"]["selected"]
    facilitator_client.post(url("key_factors_accept", study.pk))
    facilitator_client.post(url("key_factor_add", study.pk), {"factor": "A16", "reason": ""})
    assert not study.factors.get(code="A16").is_key()
    facilitator_client.post(
        url("key_factor_add", study.pk), {"factor": "A16", "reason": "Asked for by the experts."}
    )
    assert list(study.factors.key().values_list("code", flat=True)) == [*selection, "A16"]

    # retained hypotheses: the rule's proposal for A1 ...
    a1 = study.factors.get(code="A1")
    facilitator_client.post(url("factor_reachability", study.pk, a1.pk), {"reachable": "yes"})
    facilitator_client.post(url("retention_confirm", study.pk, a1.pk))
    block = next(b for b in study_results(study).analysis["hypotheses"] if b["factor"] == "A1")
    a1.refresh_from_db()
    assert a1.retained is not None
    assert a1.retained.code == block["retention"]["proposal"]

    # ... and for A19, b and c merged, the merge retained with a reason
    a19 = study.factors.get(code="A19")
    b, c = a19.hypotheses.get(code="A19-B"), a19.hypotheses.get(code="A19-C")
    facilitator_client.post(url("factor_reachability", study.pk, a19.pk), {"reachable": "yes"})
    facilitator_client.post(
        url("hypotheses_merge", study.pk, a19.pk),
        {"hypotheses": [b.pk, c.pk], "text": "New forms of consumption and of work."},
    )
    merged = a19.hypotheses.get(merged_from=b)
    facilitator_client.post(
        url("retention_override", study.pk, a19.pk),
        {"hypothesis": merged.pk, "reason": "The panel merges the most probable and desirable."},
    )

    # the action plan and the impact table
    retained = Hypothesis.objects.get(pk=a1.retained_id)
    facilitator_client.post(
        url("action_add", study.pk, retained.pk), {"aim": "provoke", "text": "Train mediators."}
    )
    facilitator_client.post(
        url("action_add", study.pk, merged.pk), {"aim": "prepare", "text": "Watch new uses."}
    )
    facilitator_client.post(url("competence_add", study.pk), {"text": "Explain new uses"})
    competence = study.competences.get()
    activity = study.activities_in_order().first()
    assert activity is not None
    for hypothesis in (retained, merged):
        facilitator_client.post(
            url("impact_add", study.pk),
            {"hypothesis": hypothesis.pk, "activity": activity.pk, "competences": [competence.pk]},
        )

    # the study file is valid and the results pages show the decisions
    document = export_study(study)
    check_study(document)
    analysis = analyse_study(document)
    by_factor = {b["factor"]: b for b in analysis["hypotheses"]}
    assert by_factor["A19"]["retained"] == merged.code
    assert by_factor["A19"]["retention"]["rule"] == "override"
    assert by_factor["A1"]["decision"] == {"hypothesis": retained.code, "decision": "rule"}
    counts = {i["activity"]: i["count"] for i in analysis["impacts"]["activity_counts"]}
    assert counts[activity.code] == 2
    # the desk's analysis is the export's, under the panel's codes (the export's pseudonyms
    # are drawn afresh)
    assert study_results(study).analysis == analyse_study(study_document(study))
    shown = shown_values(facilitator_client.get(url("results_hypotheses", study.pk)).content)
    assert shown["retained.A19"] is None
    assert f"mark.{merged.code}.retained" in shown
    impacts_page = facilitator_client.get(url("results_impacts", study.pk)).content.decode()
    assert "Train mediators." in impacts_page
    assert "Watch new uses." in impacts_page
    assert shown_values(impacts_page)[f"impacts.{activity.code}.count"] == "2"
    actions = list(study.audit_events.values_list("action", flat=True).order_by("id"))
    for action in (
        "key_factors_accepted",
        "key_factor_added",
        "reachability_set",
        "hypothesis_retained",
        "hypotheses_merged",
        "retention_overridden",
        "action_added",
        "competence_added",
        "impact_added",
    ):
        assert action in actions
    assert all(e.actor == facilitator for e in study.audit_events.exclude(action="study_imported"))
