"""The site's studies as study files: export, import, export again gives the same study."""

from __future__ import annotations

from typing import Any

import pytest

from anticipe.examples import load_example
from anticipe.study.analysis import analyse_study
from anticipe.study.errors import StudyInputError
from anticipe.study.study_file import FORMAT_VERSION
from anticipe.workshop.models import Expert, HypothesisVote, InfluenceScore, Round, Study
from anticipe.workshop.study_format import export_study, import_study, study_document
from tests.studies import small_study


def test_small_study_round_trips(study: Study, facilitator: Any) -> None:
    exported = export_study(study)
    # importing an export gives a study whose document is that export
    assert study_document(import_study(exported, owner=facilitator)) == exported
    # what the format holds is kept, content for content, under the panel's codes
    document = study_document(study)
    original = small_study()
    for key in ("job", "horizon", "perimeter", "factors", "key_factors", "actions"):
        assert document[key] == original[key], key
    assert document["panel"] == [{"id": e["id"]} for e in original["panel"]]
    assert document["panel_sectors"] == [
        {"sector": "académique", "experts": 1},
        {"sector": "emploi", "experts": 1},
        {"sector": "formation", "experts": 1},
    ]
    assert document["parameters"] == {"min_answers": 1}  # a 1.0 file had no minimum
    assert document["structural_analysis"] == {
        **original["structural_analysis"],
        "iterations": [{"iteration": 1}],
        "matrices": [
            {"expert": m["expert"], "iteration": 1, "rows": m["rows"]}
            for m in original["structural_analysis"]["matrices"]
        ],
    }
    assert document["factor_vote"]["ballots"] == [
        {"expert": b["expert"], "iteration": 1, "scores": b["scores"]}
        for b in original["factor_vote"]["ballots"]
    ]


@pytest.mark.slow  # the example study imported, exported and analysed twice
@pytest.mark.django_db
def test_example_round_trips_and_analyses_the_same(facilitator: Any) -> None:
    example = load_example()
    imported = import_study(example, owner=facilitator)
    exported = export_study(imported)
    assert study_document(import_study(exported, owner=facilitator)) == exported
    before = analyse_study(example, resamples=50)
    after = analyse_study(exported, resamples=50)
    assert after["structural_analysis"]["direct"] == before["structural_analysis"]["direct"]
    # the same bootstrap, under the export's pseudonyms
    bootstrap = [{**a["disagreement"]["bootstrap"], "experts": []} for a in (after, before)]
    assert bootstrap[0] == bootstrap[1]
    assert after["scenario"] == before["scenario"]
    assert after["key_factors"] == before["key_factors"]
    assert [h["retained"] for h in after["hypotheses"]] == [
        h["retained"] for h in before["hypotheses"]
    ]
    assert after["impacts"]["activity_counts"] == before["impacts"]["activity_counts"]


def test_import_creates_closed_rounds_with_the_answers(study: Study) -> None:
    steps = {r.step: r for r in study.rounds.all()}
    assert set(steps) == {
        Round.Step.FACTOR_VOTE,
        Round.Step.INFLUENCE,
        Round.Step.HYPOTHESIS_VOTE,
    }
    assert all(r.status == Round.Status.CLOSED for r in steps.values())
    influence = steps[Round.Step.INFLUENCE]
    # 3 experts x 3 x 2 off-diagonal cells
    assert InfluenceScore.objects.filter(round=influence).count() == 18
    assert InfluenceScore.objects.filter(round=influence, value="P").count() == 1
    assert InfluenceScore.objects.filter(round=influence, value="?").count() == 1


def test_export_is_pseudonymous(study: Study) -> None:
    Expert.objects.filter(study=study, code="E1").update(
        name="Marie Dupont", email="marie@example.org", organisation="EPN de Namur"
    )
    text = str(export_study(study))
    assert "Marie" not in text
    assert "marie@example.org" not in text
    assert "Namur" not in text


def test_an_iteration_answered_by_too_few_experts_is_not_exported(study: Study) -> None:
    """A second influence iteration that one expert answered: the facilitator knows who,
    so its one set of answers (and that pseudonym's first iteration) would be theirs. It is
    left out of the export until the study's minimum of experts have answered it."""
    from anticipe.workshop import rules

    first = study.rounds.get(step=Round.Step.INFLUENCE, iteration=1)
    second = rules.next_iteration(first)
    second.open()
    lone = study.experts.get(code="E1")
    source, target = study.factors.get(code="F1"), study.factors.get(code="F2")
    InfluenceScore.objects.create(
        round=second, expert=lone, source=source, target=target, value="2"
    )
    second.close()
    study.min_answers = 3
    study.save(update_fields=["min_answers"])
    matrices = export_study(study)["structural_analysis"]["matrices"]
    assert {m.get("iteration", 1) for m in matrices} == {1}
    for code in ("E2", "E3"):  # once the minimum have answered, it is exported
        InfluenceScore.objects.create(
            round=second,
            expert=study.experts.get(code=code),
            source=source,
            target=target,
            value="1",
        )
    matrices = export_study(study)["structural_analysis"]["matrices"]
    assert sum(1 for m in matrices if m.get("iteration", 1) == 2) == 3


@pytest.mark.django_db
def test_a_bad_document_creates_nothing(facilitator: Any) -> None:
    document = small_study()
    document["impacts"][0]["activity"] = "99"
    with pytest.raises(StudyInputError):
        import_study(document, owner=facilitator)
    assert Study.objects.count() == 0


def test_a_question_not_answered_round_trips_as_a_missing_key(
    study: Study, facilitator: Any
) -> None:
    vote = HypothesisVote.objects.filter(desirability__isnull=False).first()
    assert vote is not None
    vote.desirability, vote.desirability_answered = None, False
    vote.save()
    code, expert = vote.hypothesis.code, vote.expert.code
    exported = study_document(study)
    [entry] = [
        v
        for v in exported["hypotheses"]["votes"]
        if v["hypothesis"] == code and v["expert"] == expert
    ]
    assert "desirability" not in entry  # not answered: no key (null would be "don't know")
    assert "probability" in entry
    # "don't know" answers keep their key with null
    assert any(
        "probability" in v and v["probability"] is None for v in exported["hypotheses"]["votes"]
    )
    copy = import_study(exported, owner=facilitator)
    again = HypothesisVote.objects.get(
        round__study=copy, hypothesis__code=code, expert__code=expert
    )
    assert (again.desirability_answered, again.probability_answered) == (False, True)
    assert study_document(copy) == exported


@pytest.mark.django_db
def test_competence_links_with_levels_round_trip(facilitator: Any) -> None:
    document = small_study()
    document["anticipe_study"] = "1.2"
    document["parameters"] = {"min_answers": 1}
    document["competences"][1]["frameworks"] = [
        {"framework": "digcompedu", "id": "5.1", "level": "B1"},
        {"framework": "digcomp-2.2", "id": "2.4", "level": "5"},
    ]
    imported = import_study(document, owner=facilitator)
    exported = export_study(imported)
    assert exported["anticipe_study"] == FORMAT_VERSION
    assert exported["competences"] == document["competences"]
    assert study_document(import_study(exported, owner=facilitator)) == exported


@pytest.mark.django_db
def test_a_study_s_own_framework_round_trips(facilitator: Any) -> None:
    own = {
        "anticipe_framework": "1.0",
        "id": "mediation",
        "name": "Médiation",
        "title": {"fr": "Référentiel de la médiation"},
        "licence": {"attribution": "Référentiel interne."},
        "areas": [{"id": "A", "title": {"fr": "Accueil"}}],
        "competences": [{"id": "A.1", "area": "A", "title": {"fr": "Accueillir"}}],
        "levels": [{"id": "1", "title": {"fr": "Débutant"}}],
    }
    document = small_study()
    document["anticipe_study"] = "1.2"
    document["parameters"] = {"min_answers": 1}
    document["reference_frameworks"] = [own]
    document["competences"][1]["frameworks"] = [
        {"framework": "mediation", "id": "A.1", "level": "1"}
    ]
    imported = import_study(document, owner=facilitator)
    assert "mediation" in imported.frameworks()
    exported = export_study(imported)
    assert exported["reference_frameworks"] == [own]
    assert exported["competences"] == document["competences"]


@pytest.mark.django_db
def test_today_s_profile_and_the_training_catalogue_round_trip(facilitator: Any) -> None:
    example = load_example()
    document = small_study()
    document["anticipe_study"] = "1.3"
    document["parameters"] = {"min_answers": 1}
    document["current_profile"] = example["current_profile"]
    catalogue = {
        "title": "Offre",
        "simulated": True,
        "modules": [
            {
                "id": "M1",
                "title": "Atelier",
                "provider": "X (illustratif)",
                "duration_hours": 7.5,
                "covers": [
                    {"competence": document["competences"][0]["code"]},
                    {"framework": "digcomp-2.2", "id": "2.4", "level": "5"},
                ],
            }
        ],
    }
    document["training_catalogue"] = catalogue
    imported = import_study(document, owner=facilitator)
    exported = export_study(imported)
    assert exported["current_profile"] == example["current_profile"]
    assert exported["training_catalogue"] == catalogue
    assert study_document(import_study(exported, owner=facilitator)) == exported
    # a study without them writes neither
    imported.current_profile = imported.training_catalogue = None
    imported.save()
    assert {"current_profile", "training_catalogue"}.isdisjoint(export_study(imported))


def test_a_groups_code_and_label_fit_the_study_files_limits() -> None:
    # one limit: what the site stores is what the study file carries
    from anticipe.study.study_file import study_schema
    from anticipe.workshop.models import RespondentGroup

    group = study_schema()["properties"]["self_assessment"]["properties"]["groups"]["items"]
    fields = group["properties"]
    assert RespondentGroup._meta.get_field("code").max_length == fields["code"]["maxLength"]
    assert RespondentGroup._meta.get_field("label").max_length == fields["label"]["maxLength"]
