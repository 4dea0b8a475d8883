"""Two Delphi iterations walked in the browser (issue 10, "Done when").

The small test study (3 experts, factors F1-F3, key factors F1 and F3 with their
hypotheses), without its answers to the influence matrix and the hypothesis votes: the
facilitator runs both steps twice in the browser. In iteration 1 every expert answers. In
iteration 2 each expert finds their answers filled in as theirs and revises, confirms or
skips:

- the influence matrix, counting every expert's latest answer: E1 revises F1 -> F2 and
  confirms the rest of F1's row, E2 confirms one cell, E3 skips the iteration;
- the hypothesis votes, asking F1's hypotheses again and counting only this iteration's
  respondents: E1 revises F1-A's probability and confirms the rest of F1, E2 confirms
  F1-B only, E3 skips.

The stored answers, the standing answers, the results pages, the study file exported in
the browser (both iterations, fresh pseudonyms) and the report written from it (read back)
are checked against the method core run on the expected standing answers.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from anticipe.method.hypotheses import hypothesis_statistics
from anticipe.report import build_report_context, render_bytes
from anticipe.study.analysis import analyse_influence_matrices, analyse_study
from anticipe.study.study_file import FORMAT_VERSION, check_study
from anticipe.workshop.models import Expert, HypothesisVote, InfluenceScore, Round, Study
from anticipe.workshop.study_format import import_study
from tests.e2e.conftest import Watched, log_in
from tests.e2e.test_whole_study import (
    DESIRABILITY_LABELS,
    PROBABILITY_LABELS,
    SCALE_LABELS,
    autosave,
    step_section,
    submit,
)
from tests.report.readback import docx_document, docx_text
from tests.studies import small_study
from tests.workshop.support import expert_client_for

# This walk starts from an imported study whose later steps are decided: its rounds are
# prepared and opened on the rounds page (the whole-study walk follows the study page's
# path instead).


def prepare_round(
    page: Page, study_id: int, step: str, settings: dict[str, str] | None = None
) -> None:
    page.goto(f"/studies/{study_id}/rounds/")
    section = step_section(page, step)
    if settings is None:
        submit(page, section.get_by_role("button", name="Prepare the round"))
    else:  # a step with settings: a form page first
        with page.expect_navigation():
            section.get_by_role("link", name="Prepare the round").click()
        for label, value in settings.items():
            page.get_by_label(label).fill(value)
        submit(page, page.get_by_role("button", name="Prepare the round"))
    expect(step_section(page, step).locator(".badge.draft")).to_be_visible()


def open_round(page: Page, study_id: int, step: str) -> None:
    page.goto(f"/studies/{study_id}/rounds/")
    submit(page, step_section(page, step).get_by_role("button", name="Open the round"))
    expect(page.locator(".messages")).to_contain_text("is open: experts can answer")
    expect(step_section(page, step).locator(".badge.open")).to_be_visible()
    page.goto("about:blank")  # the rounds page polls the progress: leave it


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODES = ["F1", "F2", "F3"]
# iteration 1 of the matrix: each expert's matrix (row influences column), as typed
MATRICES = {
    "E1": [[0, 3, 2], [1, 0, 1], [0, 1, 0]],
    "E2": [[0, 2, 3], ["P", 0, 1], [0, "?", 0]],
    "E3": [[0, 3, 3], [0, 0, 2], [1, 0, 0]],
}
# iteration 1 of the hypothesis votes: (probability, desirability), "?" for don't know
VOTES = {
    "E1": {"F1-A": ("2", "1"), "F1-B": ("3", "4"), "F3-A": ("4", "1"), "F3-B": ("2", "4"), "F3-C": ("2", "3")},  # noqa: E501
    "E2": {"F1-A": ("3", "2"), "F1-B": ("3", "3"), "F3-A": ("3", "1"), "F3-B": ("2", "3"), "F3-C": ("1", "4")},  # noqa: E501
    "E3": {"F1-A": ("?", "1"), "F1-B": ("4", "4"), "F3-A": ("3", "?"), "F3-B": ("1", "4"), "F3-C": ("2", "3")},  # noqa: E501
}  # fmt: skip
NAN = math.nan


def phone_of(open_page: Any, live_server: Any, expert: Expert) -> Page:
    """A phone already in the panel as `expert` (the session an invitation gives)."""
    watched: Watched = open_page("phone")
    session = expert_client_for(expert).cookies["sessionid"].value
    watched.page.context.add_cookies(
        [{"name": "sessionid", "value": session, "url": live_server.url}]
    )
    return watched.page


def answer_url(round_: Round, factor: str = "") -> str:
    return f"/studies/{round_.study_id}/me/rounds/{round_.pk}/" + (
        f"?factor={factor}" if factor else ""
    )


def tap_cell(phone: Page, target: str, value: str) -> None:
    cell = phone.locator(f"#cell-{target}")
    autosave(phone, cell.get_by_text(SCALE_LABELS[value], exact=True).tap, "/matrix/cell/")
    expect(cell.locator(".status")).to_contain_text("Saved")


def tap_vote(phone: Page, code: str, question: int, value: str) -> None:
    labels = PROBABILITY_LABELS if question == 0 else DESIRABILITY_LABELS
    form = phone.locator(f"#hypothesis-{code}")
    autosave(
        phone,
        form.locator("fieldset").nth(question).get_by_text(labels[value], exact=True).tap,
        "/hypotheses/",
    )
    expect(form.locator(".status")).to_contain_text("Saved")


def latest(study: Study, step: str) -> Round:
    return study.rounds.filter(step=step).order_by("-iteration").first()  # type: ignore[return-value]


def close_round(page: Page, study_id: int, step: str, closed: int = 1) -> None:
    """Close a step's open iteration: `closed` of its iterations are closed then."""
    page.goto(f"/studies/{study_id}/rounds/")
    submit(page, step_section(page, step).get_by_role("button", name="Close the round"))
    expect(page.locator(".messages")).to_contain_text("is closed: no more answers")
    expect(step_section(page, step).locator(".badge.closed")).to_have_count(closed)


def next_iteration(fac: Page, study_id: int, step: str, n: int) -> None:
    fac.goto(f"/studies/{study_id}/rounds/")
    submit(
        fac,
        step_section(fac, step).get_by_role("button", name=f"Prepare iteration {n} (Delphi)"),
    )
    expect(step_section(fac, step).locator(".badge.draft")).to_be_visible()


def cell(value: Any) -> Any:
    return None if value == "?" else value


def number(value: str) -> float:
    return NAN if value == "?" else float(value)


@dataclass
class Walk:
    """The browsers of the walk: the facilitator's desk and each expert's phone."""

    study: Study
    fac: Page
    phones: dict[str, Page]
    screenshots: Path


def test_two_delphi_iterations(
    open_page: Any, live_server: Any, screenshots: Path, tmp_path: Path
) -> None:
    owner = get_user_model().objects.create_user("facil", password="facil-pw-1")
    study = import_study(small_study(), owner=owner)
    study.rounds.filter(step__in=[Round.Step.INFLUENCE, Round.Step.HYPOTHESIS_VOTE]).delete()
    study.min_answers = 2
    study.save()
    desk: Watched = open_page("desktop")
    log_in(desk.page, "facil", "facil-pw-1")
    phones = {e.code: phone_of(open_page, live_server, e) for e in study.experts.all()}
    walk = Walk(study, desk.page, phones, screenshots)
    matrix_iterations(walk)
    vote_iterations(walk)
    core, f1, f3 = expected_results()
    check_pages(walk, core, f3, f1)
    document = export_in_the_browser(walk, tmp_path)
    check_export_and_report(document, core, f1, f3)


def matrix_iterations(walk: Walk) -> None:
    """The influence matrix: iteration 1, every expert answers every cell; iteration 2, the
    answers filled in, E1 revises one and confirms its row, E2 confirms one cell, E3
    skips the iteration."""
    fac, study, (e1, e2) = walk.fac, walk.study, (walk.phones["E1"], walk.phones["E2"])
    prepare_round(fac, study.pk, "influence")
    open_round(fac, study.pk, "influence")
    first = latest(study, Round.Step.INFLUENCE)
    for code, rows in MATRICES.items():
        phone = walk.phones[code]
        for i, source in enumerate(CODES):
            phone.goto(answer_url(first, source))
            for j, target in enumerate(CODES):
                if i != j:
                    tap_cell(phone, target, str(rows[i][j]))
        expect(phone.locator("#round-progress")).to_contain_text("6 of 6 answers given")
    close_round(fac, study.pk, "influence")
    next_iteration(fac, study.pk, "influence", 2)
    open_round(fac, study.pk, "influence")
    second = latest(study, Round.Step.INFLUENCE)
    e1.goto(answer_url(second, "F1"))
    expect(e1.locator("#cell-F2 input[value='3']")).to_be_checked()
    expect(e1.locator("#cell-F2 .status")).to_contain_text("Answer of iteration 1")
    expect(e1.locator(".delphi-intro")).to_contain_text("still counts as you gave it before")
    shoot(e1, walk.screenshots, "delphi-matrix-iteration-2")
    tap_cell(e1, "F2", "1")
    submit(e1, e1.get_by_role("button", name="Confirm all my earlier answers for F1"))
    expect(e1.locator(".messages")).to_contain_text("confirmed for this iteration")
    expect(e1.locator("#round-progress")).to_contain_text("2 of 6 answers given")
    e2.goto(answer_url(second, "F2"))
    confirm = e2.locator("#cell-F1").get_by_role("button", name="Confirm", exact=True)
    autosave(e2, confirm.tap, "/matrix/cell/")
    expect(e2.locator("#cell-F1 .status")).to_contain_text("Saved")
    close_round(fac, study.pk, "influence", 2)
    stored = InfluenceScore.objects.filter(round__study=study)
    assert stored.filter(round=first).count() == 18  # every answer of iteration 1 kept
    revised = stored.filter(round=second).values_list(
        "expert__code", "source__code", "target__code", "value"
    )
    assert sorted(revised) == [
        ("E1", "F1", "F2", "1"),
        ("E1", "F1", "F3", "2"),
        ("E2", "F2", "F1", "P"),
    ]


def vote_iterations(walk: Walk) -> None:
    """The hypothesis votes: iteration 1, every expert answers every hypothesis; iteration
    2 asks F1's hypotheses again and counts only its respondents: E1 revises F1-A's
    probability and confirms the rest of F1, E2 confirms F1-B only, E3 skips it."""
    fac, study, (e1, e2) = walk.fac, walk.study, (walk.phones["E1"], walk.phones["E2"])
    prepare_round(fac, study.pk, "hypothesis_vote", {})
    open_round(fac, study.pk, "hypothesis_vote")
    first = latest(study, Round.Step.HYPOTHESIS_VOTE)
    for code, answers in VOTES.items():
        phone = walk.phones[code]
        for hypothesis, (probability, desirability) in answers.items():
            if hypothesis.endswith("-A"):  # one key factor per page
                phone.goto(answer_url(first, hypothesis[:2]))
            tap_vote(phone, hypothesis, 0, probability)
            tap_vote(phone, hypothesis, 1, desirability)
    close_round(fac, study.pk, "hypothesis_vote")
    next_iteration(fac, study.pk, "hypothesis_vote", 2)
    ask_again_only_f1_and_its_respondents(fac, study.pk)
    open_round(fac, study.pk, "hypothesis_vote")
    second = latest(study, Round.Step.HYPOTHESIS_VOTE)
    assert second.respondents_only
    e1.goto(answer_url(second))
    expect(e1.locator("#p-F1-A-2")).to_be_checked()  # E1's probability of F1-A, iteration 1
    expect(e1.locator(".delphi-intro")).to_contain_text("only the answers given again count")
    shoot(e1, walk.screenshots, "delphi-hypotheses-iteration-2")
    tap_vote(e1, "F1-A", 0, "4")
    submit(e1, e1.get_by_role("button", name="Confirm all my earlier answers for F1"))
    expect(e1.locator("#round-progress")).to_contain_text("2 of 2 hypotheses answered")
    e2.goto(answer_url(second))
    confirm = e2.locator("#hypothesis-F1-B").get_by_role("button", name="Confirm", exact=True)
    autosave(e2, confirm.tap, "/hypotheses/")
    expect(e2.locator("#round-progress")).to_contain_text("1 of 2 hypotheses answered")
    close_round(fac, study.pk, "hypothesis_vote", 2)
    assert HypothesisVote.objects.filter(round=first).count() == 15
    assert HypothesisVote.objects.filter(round=second).count() == 3


def ask_again_only_f1_and_its_respondents(fac: Page, study_id: int) -> None:
    """On the rounds page: the draft iteration counts only its respondents and asks F1's
    hypotheses only."""
    fac.goto(f"/studies/{study_id}/rounds/")
    section = step_section(fac, "hypothesis_vote")
    section.get_by_label("Count only this iteration's respondents").check()
    submit(fac, section.get_by_role("button", name="Save how this iteration counts"))
    expect(fac.locator(".messages")).to_contain_text("only this iteration's answers will count")
    with fac.expect_navigation():
        step_section(fac, "hypothesis_vote").get_by_role(
            "link", name=re.compile("^Change the settings")
        ).click()
    for code in ("F1-A", "F1-B"):
        fac.locator(f"input[name=hypotheses][value='{code}']").check()
    submit(fac, fac.get_by_role("button", name="Save the settings"))
    expect(step_section(fac, "hypothesis_vote")).to_contain_text(
        "Only the answers given in this iteration count."
    )


def expected_results() -> tuple[Any, Any, Any]:
    """The method core on the expected standing answers: the structural analysis, and the
    statistics of F1's and F3's hypotheses."""
    standing = {code: [list(map(cell, row)) for row in rows] for code, rows in MATRICES.items()}
    standing["E1"][0][1] = 1  # E1's revision in iteration 2; E3 kept iteration 1's
    core = analyse_influence_matrices(
        CODES,
        [{"expert": code, "rows": rows} for code, rows in standing.items()],
        resamples=0,
        min_answers=2,
    )["structural_analysis"]
    # F1's hypotheses: only iteration 2's answers (E1 revised and confirmed, E2 confirmed
    # F1-B); F3's: iteration 1's, not asked again
    answered = np.array([[True, True], [False, True], [False, False]])
    f1 = hypothesis_statistics(
        "F1",
        ["F1-A", "F1-B"],
        ["E1", "E2", "E3"],
        np.array([[4, 3], [NAN, 3], [NAN, NAN]]),
        np.array([[1, 4], [NAN, 3], [NAN, NAN]]),
        probability_answered=answered,
        desirability_answered=answered,
        min_answers=2,
    )
    votes = {code: [VOTES[code][h] for h in ("F3-A", "F3-B", "F3-C")] for code in VOTES}
    f3 = hypothesis_statistics(
        "F3",
        ["F3-A", "F3-B", "F3-C"],
        list(votes),
        np.array([[number(p) for p, _d in votes[code]] for code in votes]),
        np.array([[number(d) for _p, d in votes[code]] for code in votes]),
        min_answers=2,
    )
    assert f1["below_minimum"] == [
        {"hypothesis": "F1-A", "question": "probability", "n_answers": 1},
        {"hypothesis": "F1-A", "question": "desirability", "n_answers": 1},
    ]
    return core, f1, f3


def shown_number(fac: Page, key: str) -> float:
    return float(fac.locator(f"[data-key='{key}']").get_attribute("data-value") or "nan")


def check_pages(walk: Walk, core: Any, f3: Any, f1: Any) -> None:
    """The results pages show the core's numbers, how the answers were counted, and
    withhold what one answer would decide."""
    fac, study = walk.fac, walk.study
    fac.goto(f"/studies/{study.pk}/results/structural-analysis/")
    for code in CODES:
        assert shown_number(fac, f"direct.{code}.influence") == pytest.approx(
            core["direct"]["influence"][code]
        )
    expect(fac.locator("[data-key='standing.1']")).to_have_attribute("data-value", "15")
    expect(fac.locator("[data-key='standing.2']")).to_have_attribute("data-value", "3")
    fac.goto(f"/studies/{study.pk}/results/hypotheses/")
    shoot(fac, walk.screenshots, "delphi-results-hypotheses")
    expect(fac.locator("[data-key='below.p.F1-A']")).to_have_text(
        "1 answer: below the minimum of 2"
    )
    expect(fac.locator("[data-key='mark.F1-B.probable']")).to_have_count(0)
    expect(fac.locator(".round-info").first).to_contain_text("iteration 2")
    expect(fac.locator("main")).to_contain_text("(only its respondents)")
    for stats in f3["hypotheses"]:
        code = stats["hypothesis"]
        assert shown_number(fac, f"p.{code}.median") == stats["probability"]["median"]
    for code in f3["most_probable"]["hypotheses"]:
        expect(fac.locator(f"[data-key='mark.{code}.probable']")).to_have_count(1)
    assert shown_number(fac, "p.F1-B.median") == f1["hypotheses"][1]["probability"]["median"]


def export_in_the_browser(walk: Walk, folder: Path) -> dict[str, Any]:
    """The study file, downloaded from the study's page: both iterations, fresh pseudonyms,
    the sectors as counts."""
    fac = walk.fac
    fac.goto(f"/studies/{walk.study.pk}/")
    with fac.expect_download() as download:
        fac.get_by_role("link", name="Download the study file").click()
    path = folder / "study.json"
    download.value.save_as(path)
    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    check_study(document)
    assert document["anticipe_study"] == FORMAT_VERSION
    codes = set(walk.study.experts.values_list("code", flat=True))
    assert not {e["id"] for e in document["panel"]} & codes
    assert "sector" not in json.dumps(document["panel"])
    assert sum(s["experts"] for s in document["panel_sectors"]) == 3
    matrices = document["structural_analysis"]["matrices"]
    assert [m["iteration"] for m in matrices] == [1, 1, 1, 2, 2]
    assert document["hypotheses"]["iterations"] == [
        {"iteration": 1},
        {"iteration": 2, "respondents_only": True, "hypotheses": ["F1-A", "F1-B"]},
    ]
    return document


def check_export_and_report(document: dict[str, Any], core: Any, f1: Any, f3: Any) -> None:
    """The export's analysis is the core's on the standing answers; the report written
    from it, read back, has Table 3's medians and the method appendix's counts."""
    analysis = analyse_study(document, resamples=0)
    assert analysis["structural_analysis"]["matrix"] == core["matrix"]
    assert analysis["structural_analysis"]["direct"] == core["direct"]
    by_factor = {block["factor"]: block["statistics"] for block in analysis["hypotheses"]}
    for expected in (f1, f3):
        found = by_factor[expected["factor"]]
        assert found["hypotheses"] == expected["hypotheses"]
        assert found["most_probable"] == expected["most_probable"]
        assert found["below_minimum"] == expected["below_minimum"]
    assert analysis["iterations"]["structural_analysis"]["standing"] == [
        {"iteration": 1, "answers": 15},
        {"iteration": 2, "answers": 3},
    ]
    assert analysis["iterations"]["hypotheses"]["standing"] == [
        {"iteration": 1, "answers": 18},
        {"iteration": 2, "answers": 6},
    ]
    context = build_report_context(document, analysis)
    text = docx_text(docx_document(render_bytes(context, "docx")))
    assert "itération 1\u00a0: 15 · itération 2\u00a0: 3" in text
    assert "itération 2\u00a0: 6 (seulement ses répondants)" in text
    assert "à partir de 2 réponses" in text
    median = f3["hypotheses"][0]["probability"]["median"]
    assert f"{median:g}".replace(".", ",") in text


def shoot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True, scale="css")
