"""A whole study walked in the browser (issue 3, "Done when").

A facilitator signs in and creates the study and its perimeter; three experts join on
their phones - one by a personal invitation link, one with the study code and a name, one
who answers the influence matrix by uploading the filled XLSX template - and every round
is prepared, opened, answered and closed in the browser: proposals (merged into factors),
weighted vote (shortlist confirmed), influence matrix (one factor at a time, autosaved),
situations (after the key factors are confirmed on the desk), hypothesis votes (after the
facilitator writes the hypotheses on the desk), actions and impacts (after the retention
of a hypothesis per key factor). The database is then checked for every answer, and a
closed round refuses a late answer with its message.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect

from anticipe.study.analysis import analyse_study
from anticipe.workshop.models import (
    Action,
    ActionProposal,
    Expert,
    Factor,
    FactorPoints,
    FactorProposal,
    Hypothesis,
    HypothesisVote,
    Impact,
    ImpactProposal,
    InfluenceScore,
    Round,
    Situation,
    Study,
)
from anticipe.workshop.study_format import export_study
from tests.e2e.conftest import Watched, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


SCALE_LABELS = {
    "0": "0 none",
    "1": "1 weak",
    "2": "2 medium",
    "3": "3 strong",
    "P": "P potential",
    "?": "? don't know",
}
PROBABILITY_LABELS = {
    "1": "1 very unlikely",
    "2": "2 unlikely",
    "3": "3 likely",
    "4": "4 very likely",
    "?": "? don't know",
}
DESIRABILITY_LABELS = {
    "1": "1 not desirable",
    "2": "2 hardly desirable",
    "3": "3 desirable",
    "4": "4 very desirable",
    "?": "? don't know",
}


# -- helpers ---------------------------------------------------------------------------------


def submit(page: Page, button: Locator) -> None:
    """Click a button that submits a form by a full page load, and wait for the new page."""
    with page.expect_navigation():
        button.click()


def autosave(page: Page, action: Any, path_part: str, status: int = 200, *, saves: int = 1) -> None:
    """Do `action` (a tap, a key press...) and wait for the `saves` htmx requests it
    triggers to be answered. Tapping a form's Save button just after typing in a box
    sends two: the box's "change" (as it loses the focus), then the form's "submit".

    Waiting for every answer matters: the test's SQLite database lives in memory and
    the live server's threads share its one connection, so two requests in flight at
    once (from two forms of a page) fail with "database table is locked" - which a
    real server on a database file (or PostgreSQL) does not do."""
    answered: list[Any] = []

    def listen(response: Any) -> None:
        if path_part in response.url and response.request.method == "POST":
            answered.append(response)

    page.on("response", listen)
    try:
        action()
        while len(answered) < saves:
            page.wait_for_event("response")
    finally:
        page.remove_listener("response", listen)
    assert len(answered) == saves, [r.url for r in answered]
    for response in answered:
        assert response.status == status, (response.status, response.text()[:500])


# The vote form is replaced by the saved one (htmx, outerHTML) just after the response, and
# htmx binds its triggers to the new form when it settles: a change typed before that would
# go to the old form, or to a form that does not save yet.
SWAPPED_AND_SETTLED = """form => {
    const now = document.querySelector("#vote");
    return !form.isConnected && now !== null && now["htmx-internal-data"] !== undefined
        && !now.classList.contains("htmx-settling") && !now.classList.contains("htmx-added");
}"""


def step_section(page: Page, step: str) -> Locator:
    return page.locator(f"#step-{step}")


def prepare_round(
    page: Page, study_id: int, step: str, settings: dict[str, str] | None = None
) -> None:
    page.goto(f"/studies/{study_id}/rounds/")
    section = step_section(page, step)
    prepare = section.get_by_role("button", name="Prepare the round")
    if settings is not None:  # a step with settings: a form page first
        with page.expect_navigation():
            section.get_by_role("link", name="Prepare the round").click()
        for label, value in settings.items():
            page.get_by_label(label).fill(value)
        submit(page, page.get_by_role("button", name="Prepare the round"))
    else:
        submit(page, prepare)
    expect(step_section(page, step).locator(".badge.draft")).to_be_visible()


def open_round(page: Page, study_id: int, step: str) -> None:
    page.goto(f"/studies/{study_id}/rounds/")
    submit(page, step_section(page, step).get_by_role("button", name="Open the round"))
    expect(page.locator(".messages")).to_contain_text("is open: experts can answer")
    expect(step_section(page, step).locator(".badge.open")).to_be_visible()
    # The rounds page refreshes the open round's progress every few seconds: leave it while
    # the experts answer (the test's in-memory SQLite database has one connection, shared
    # by the live server's threads: two requests at once can fail with "table is locked").
    page.goto("about:blank")


def close_round(page: Page, study_id: int, step: str) -> None:
    page.goto(f"/studies/{study_id}/rounds/")
    submit(page, step_section(page, step).get_by_role("button", name="Close the round"))
    expect(page.locator(".messages")).to_contain_text("is closed: no more answers")
    expect(step_section(page, step).locator(".badge.closed")).to_be_visible()


def go_answer(phone: Page, study_id: int, round_name: str) -> None:
    """From the expert's home, follow the open round's Answer (or Continue) button."""
    phone.goto(f"/studies/{study_id}/me/")
    link = phone.get_by_role(
        "link", name=re.compile(rf"^(Answer|Continue) ?: {re.escape(round_name)}$")
    )
    with phone.expect_navigation():
        link.click()
    expect(phone.locator("h1")).to_have_text(round_name)


def next_factor(phone: Page, code: str) -> None:
    """Follow "Next factor" on a step asked one key factor per page."""
    with phone.expect_navigation():
        phone.get_by_role("link", name=re.compile("Next factor")).tap()
    expect(phone.locator("a[aria-current=page]")).to_contain_text(code)


def add_expert(
    page: Page, study_id: int, name: str, organisation: str, sector: str, email: str = ""
) -> None:
    page.goto(f"/studies/{study_id}/panel/experts/add/")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Organisation").fill(organisation)
    page.get_by_label("Sector").fill(sector)
    page.get_by_label("E-mail").fill(email)
    submit(page, page.get_by_role("button", name="Add", exact=True))
    expect(page.locator(".messages")).to_contain_text(f"{name} joins the panel")


def shoot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True, scale="css")


# -- the walk --------------------------------------------------------------------------------


def test_whole_study(
    open_page: Any, live_server: Any, screenshots: Path, mailoutbox: Any, tmp_path: Path
) -> None:
    get_user_model().objects.create_user("facil", password="facil-pw-1", first_name="Fanny")
    desk: Watched = open_page("desktop")
    fac = desk.page

    # 1. The facilitator signs in and creates the study and its perimeter.
    log_in(fac, "facil", "facil-pw-1")
    fac.goto("/studies/new/")
    fac.get_by_label("Job title").fill("Digital mediator")
    fac.get_by_label("Description of the job").fill("Helps people use digital services.")
    fac.get_by_label("Horizon from (years)").fill("3")
    fac.get_by_label("Horizon to (years)").fill("5")
    fac.get_by_label("Language of the study").select_option("en")
    submit(fac, fac.get_by_role("button", name="Create the study"))
    match = re.search(r"/studies/(\d+)/$", fac.url)
    assert match, fac.url
    study_id = int(match[1])
    expect(fac.locator("h1")).to_have_text("Digital mediator")

    fac.goto(f"/studies/{study_id}/perimeter/")
    activities = [
        ("1", "Welcome and diagnose", "Listen to the person's needs."),
        ("2", "Train in digital skills", "Workshops and one-to-one help."),
        ("3", "Lead a digital space", "Run the place and its partners."),
    ]
    add_form = fac.locator("form[aria-labelledby='activity-add-title']")
    for code, title, description in activities:
        add_form = fac.locator("form[aria-labelledby='activity-add-title']")
        add_form.get_by_label("Code").fill(code)
        add_form.get_by_label("Activity").fill(title)
        add_form.get_by_label("Explanatory content").fill(description)
        autosave(
            fac, add_form.get_by_role("button", name="Add the activity").click, "/activities/add/"
        )
        expect(fac.locator("#perimeter .setup-item").filter(has_text=title)).to_be_visible()
    first = fac.locator("#perimeter .setup-item").filter(has_text="Welcome and diagnose")
    first.locator("summary").click()
    task_form = first.locator("details.add-task form")
    task_form.get_by_label("Code").fill("1.1")
    task_form.get_by_label("Task").fill("Assess the person's digital autonomy")
    autosave(fac, task_form.get_by_role("button", name="Add the task").click, "/tasks/add/")
    expect(fac.locator("#perimeter .sublist")).to_contain_text(
        "Assess the person's digital autonomy"
    )
    shoot(fac, screenshots, "facilitator-perimeter")

    study = Study.objects.get(pk=study_id)
    assert study.language == "en"
    assert list(study.activities_in_order().values_list("code", "title")) == [
        (code, title) for code, title, _d in activities
    ]

    # 2. Three experts join: by a personal link shown on the panel page, by a personal
    # link e-mailed to them, and with the study code and a name on the join page.
    fac.goto(f"/studies/{study_id}/panel/")
    join_code = fac.locator(".join-code .code").inner_text().strip()
    assert join_code == study.join_code
    add_expert(
        fac, study_id, "Alice Martin", "Fab lab of the city", "digital fabrication laboratory"
    )
    add_expert(
        fac,
        study_id,
        "Chloé Petit",
        "Employment service",
        "employment service",
        "chloe@example.org",
    )
    alice_row = fac.locator("table.experts tbody tr").filter(has_text="Alice Martin")
    autosave(fac, alice_row.get_by_role("button", name=re.compile("^New link")).click, "/invite/")
    link = fac.locator("#invitation-link").input_value()
    assert "/invitation/" in link
    chloe_row = fac.locator("table.experts tbody tr").filter(has_text="Chloé Petit")
    autosave(
        fac, chloe_row.get_by_role("button", name=re.compile("^Send a link")).click, "/invite/"
    )
    expect(fac.locator("#panel-content .invitation")).to_contain_text(
        "Not sent to chloe@example.org: this site has no mail server."
    )
    assert [mail.to for mail in mailoutbox] == [["chloe@example.org"]]
    mailed_link = re.search(r"https?://\S+/invitation/\S+/", mailoutbox[0].body)
    assert mailed_link, mailoutbox[0].body

    watched = {who: open_page("phone") for who in ("alice", "bruno", "chloe")}
    alice, bruno, chloe = (watched[who].page for who in ("alice", "bruno", "chloe"))
    alice.goto(link)  # a page with a button: opening the link does not use it
    submit(alice, alice.get_by_role("button", name="Join the study"))
    expect(alice.locator("h1")).to_have_text("Digital mediator")
    expect(alice.locator("main")).to_contain_text("You take part as Alice Martin")
    shoot(alice, screenshots, "expert-home-empty")

    chloe.goto(mailed_link[0])
    submit(chloe, chloe.get_by_role("button", name="Join the study"))
    expect(chloe.locator("main")).to_contain_text("You take part as Chloé Petit")

    bruno.goto("/join/")
    bruno.get_by_label("Study code").fill(join_code.lower())
    bruno.get_by_label("Your name").fill("Bruno Leroy")
    bruno.get_by_label("Your sector").fill("training provider")
    shoot(bruno, screenshots, "expert-join")
    submit(bruno, bruno.get_by_role("button", name="Join"))
    expect(bruno.locator(".messages")).to_contain_text("Welcome! You have joined the panel.")
    expect(bruno.locator("main")).to_contain_text("You take part as Bruno Leroy")

    # A personal link works once.
    stranger = open_page("phone")
    stranger.expected.append(re.compile(r"status of 410"))
    response = stranger.page.goto(link)
    assert response is not None
    assert response.status == 410

    experts = {e.name: e for e in Expert.objects.filter(study=study)}
    assert set(experts) == {"Alice Martin", "Bruno Leroy", "Chloé Petit"}
    assert all(e.joined_at is not None for e in experts.values())
    assert experts["Bruno Leroy"].sector == "training provider"

    phones = {"alice": alice, "bruno": bruno, "chloe": chloe}

    # 3. Round 1: factor proposals, then the facilitator merges them into factors.
    prepare_round(fac, study_id, "proposals")
    open_round(fac, study_id, "proposals")
    proposals = {
        "alice": [
            ("AI assistants in every tool", "Chatbots answer the public's questions."),
            ("Public services online only", "Counters close."),
            ("Ageing population", ""),
        ],
        "bruno": [
            ("Artificial intelligence in daily software", ""),
            ("Dematerialised public services", "Everything goes online."),
            ("Funding of digital inclusion", "Calls for projects, short-lived."),
        ],
        "chloe": [
            ("Cyber-attacks on the public", "Scams by SMS and phone."),
            ("Unstable public funding", ""),
        ],
    }
    for who, items in proposals.items():
        phone = phones[who]
        go_answer(phone, study_id, "Change factors: proposals")
        for title, explanation in items:
            phone.get_by_label("A factor").fill(title)
            phone.get_by_label("Why? In a few words").fill(explanation)
            submit(phone, phone.get_by_role("button", name="Add this factor"))
            expect(phone.locator(".messages")).to_contain_text("Your proposal is saved.")
        expect(phone.locator("ol.answers > li")).to_have_count(len(items))
    shoot(alice, screenshots, "expert-proposals")
    close_round(fac, study_id, "proposals")

    fac.goto(f"/studies/{study_id}/rounds/proposals/")
    merges = [
        (
            "AI in everyday tools",
            ["AI assistants in every tool", "Artificial intelligence in daily software"],
        ),
        (
            "Public services online only",
            ["Public services online only", "Dematerialised public services"],
        ),
        (
            "Funding of digital inclusion",
            ["Funding of digital inclusion", "Unstable public funding"],
        ),
        ("Cyber-attacks on the public", ["Cyber-attacks on the public"]),
        ("Ageing population", ["Ageing population"]),
    ]
    for number, (title, titles) in enumerate(merges, start=1):
        for proposal in titles:
            fac.locator(".choice-list li").filter(has_text=proposal).get_by_role("checkbox").check()
        fac.get_by_label("Wording of the new factor").fill(title)
        submit(fac, fac.get_by_role("button", name="Merge the selected proposals"))
        made = "proposal makes" if len(titles) == 1 else "proposals make"
        expect(fac.locator(".messages")).to_contain_text(
            f"{len(titles)} {made} up the factor A{number}."
        )
    expect(fac.locator("main")).to_contain_text("Every proposal is part of a factor.")
    factors = {f.title: f.code for f in Factor.objects.filter(study=study)}
    assert factors == {
        "AI in everyday tools": "A1",
        "Public services online only": "A2",
        "Funding of digital inclusion": "A3",
        "Cyber-attacks on the public": "A4",
        "Ageing population": "A5",
    }

    # 4. Round 2: the weighted vote, then the facilitator confirms the shortlist.
    prepare_round(
        fac,
        study_id,
        "factor_vote",
        {"Points per expert": "10", "Number of factors to keep": "4"},
    )
    open_round(fac, study_id, "factor_vote")
    ballots = {
        "alice": {"A1": 4, "A2": 3, "A3": 2, "A4": 1},
        "bruno": {"A1": 3, "A2": 3, "A3": 2, "A5": 1},
        "chloe": {"A1": 3, "A2": 2, "A4": 3, "A3": 2},
    }
    for who, ballot in ballots.items():
        phone = phones[who]
        go_answer(phone, study_id, "Change factors: weighted vote")
        left = 10
        for code, points in ballot.items():
            if who == "alice":  # with the + buttons, one tap at a time
                for _tap in range(points):
                    autosave(phone, phone.locator(f"#more-{code}").tap, "/vote/")
                    left -= 1
                    expect(phone.locator(".points-left strong")).to_have_text(
                        re.compile(rf"^{left} points? left$")
                    )
            else:  # typing the number
                field = phone.locator(f"#points-{code}")
                form = phone.locator("#vote").element_handle()
                field.fill(str(points))
                autosave(phone, lambda field=field: field.press("Tab"), "/vote/")
                # the saved form replaces this one (htmx, outerHTML) just after the response:
                # typing into the next field before that would type into the old form
                phone.wait_for_function(SWAPPED_AND_SETTLED, arg=form)
                left -= points
                expect(phone.locator(".points-left strong")).to_have_text(
                    re.compile(rf"^{left} points? left$")
                )
        if who == "chloe":  # a point too many is refused, the ballot stays as it was
            watched["chloe"].expected.append(re.compile(r"status of 400 .*/vote/\)$"))
            chloe.locator("#points-A5").fill("1")
            autosave(chloe, lambda: chloe.locator("#points-A5").press("Tab"), "/vote/", status=400)
            expect(chloe.locator("#vote .message.error")).to_contain_text("you have 10")
            expect(chloe.locator("#points-A5")).to_have_value("0")
    shoot(alice, screenshots, "expert-vote")
    close_round(fac, study_id, "factor_vote")

    fac.goto(f"/studies/{study_id}/rounds/shortlist/")
    ranking = fac.locator("table.ranking tbody tr")
    expect(ranking).to_have_count(5)
    expect(ranking.first).to_contain_text("AI in everyday tools")
    kept = [f"A{n}" for n in range(1, 5)]
    for code in kept:
        expect(fac.get_by_role("checkbox", name=re.compile(rf"^{code} "))).to_be_checked()
    expect(fac.get_by_role("checkbox", name=re.compile(r"^A5 "))).not_to_be_checked()
    submit(fac, fac.get_by_role("button", name="Confirm the shortlist"))
    expect(fac.locator(".messages")).to_contain_text("4 factors are kept for the influence matrix.")
    assert list(study.factors.shortlisted().values_list("code", flat=True)) == kept

    # 5. Round 3: the influence matrix. Alice and Bruno answer one factor at a time with
    # the scale's buttons (each answer autosaved); Chloé fills the XLSX template offline.
    prepare_round(fac, study_id, "influence")
    open_round(fac, study_id, "influence")
    matrices = {
        "alice": {
            "A1": {"A2": "3", "A3": "3", "A4": "3"},
            "A2": {"A1": "1", "A3": "3", "A4": "2"},
            "A3": {"A1": "0", "A2": "0", "A4": "P"},
            "A4": {"A1": "0", "A2": "?", "A3": "1"},
        },
        "bruno": {
            "A1": {"A2": "3", "A3": "2", "A4": "3"},
            "A2": {"A1": "0", "A3": "3", "A4": "3"},
            "A3": {"A1": "0", "A2": "1", "A4": "1"},
            "A4": {"A1": "0", "A2": "0", "A3": "1"},
        },
    }
    for who, matrix in matrices.items():
        phone = phones[who]
        go_answer(phone, study_id, "Influence matrix")
        for number, (source, row) in enumerate(matrix.items(), start=1):
            expect(phone.locator("#question")).to_contain_text(f"How strongly does {source} ")
            expect(phone.locator(".question")).to_contain_text(f"Factor {number} of 4")
            if who == "bruno" and source == "A1":  # a revision: the last answer counts
                cell = phone.locator("#cell-A2")
                autosave(
                    phone, cell.get_by_text(SCALE_LABELS["1"], exact=True).tap, "/matrix/cell/"
                )
            for target, value in row.items():
                cell = phone.locator(f"#cell-{target}")
                autosave(
                    phone, cell.get_by_text(SCALE_LABELS[value], exact=True).tap, "/matrix/cell/"
                )
                expect(cell.locator(".status")).to_contain_text("Saved")
            expect(phone.locator("#round-progress")).to_contain_text(
                f"{3 * number} of 12 answers given"
            )
            if who == "alice" and number == 1:
                shoot(phone, screenshots, "expert-matrix")
            if number < 4:
                with phone.expect_navigation():
                    phone.get_by_role("link", name=re.compile("Next factor")).tap()
        with phone.expect_navigation():
            phone.get_by_role("link", name="Done: back to my rounds").tap()
        expect(phone.locator(".rounds").first).to_contain_text("12 of 12 answers given")

    go_answer(chloe, study_id, "Influence matrix")
    chloe.locator("#offline > summary").tap()  # the other ways to answer, folded
    with chloe.expect_download() as download:
        chloe.get_by_role("link", name="Download the matrix to fill in Excel").tap()
    template = tmp_path / "chloe-matrix.xlsx"
    download.value.save_as(template)
    chloe_code = Expert.objects.get(study=study, name="Chloé Petit").code
    workbook = load_workbook(template)
    sheet = workbook[chloe_code]
    codes = [sheet.cell(row=1, column=3 + j).value for j in range(4)]
    assert codes == ["A1", "A2", "A3", "A4"]
    assert [sheet.cell(row=2 + i, column=1).value for i in range(4)] == codes
    chloe_matrix = {
        "A1": {"A2": 3, "A3": 3, "A4": 2},
        "A2": {"A1": 1, "A3": 2, "A4": 3},
        "A3": {"A1": 0, "A2": 0, "A4": 0},
        "A4": {"A1": 0, "A2": None, "A3": 1},  # an empty cell: "don't know"
    }
    for i, source in enumerate(codes):
        for j, target in enumerate(codes):
            if source != target:
                sheet.cell(row=2 + i, column=3 + j).value = chloe_matrix[source][target]
    sheet.cell(row=3, column=3).value = 7  # A2 -> A1: not on the scale
    workbook.save(template)
    chloe.locator("#matrix-file").set_input_files(str(template))
    watched["chloe"].expected.append(re.compile(r"status of 400 .*/matrix/upload/(#offline)?\)$"))
    submit(chloe, chloe.get_by_role("button", name="Send the file"))
    expect(chloe.locator("#upload-errors")).to_contain_text("Nothing was saved")
    expect(chloe.locator("#upload-errors li")).to_have_count(1)
    expect(chloe.locator("#upload-errors li")).to_contain_text("C3")
    shoot(chloe, screenshots, "expert-matrix-upload-error")
    assert not InfluenceScore.objects.filter(expert__name="Chloé Petit").exists()
    sheet.cell(row=3, column=3).value = 1
    workbook.save(template)
    chloe.locator("#matrix-file").set_input_files(str(template))
    submit(chloe, chloe.get_by_role("button", name="Send the file"))
    expect(chloe.locator(".messages")).to_contain_text("Your file is read: 12 answers saved.")
    expect(chloe.locator("#round-progress")).to_contain_text("12 of 12 answers given")
    close_round(fac, study_id, "influence")

    # 6. The key factors, confirmed on the facilitator's desk from the structural analysis.
    fac.goto(f"/studies/{study_id}/decisions/key-factors/")
    expect(fac.locator("main")).to_contain_text(
        "Proposed by the analysis and not confirmed yet: A1 AI in everyday tools, "
        "A2 Public services online only"
    )
    submit(fac, fac.get_by_role("button", name="Confirm the analysis' selection"))
    expect(fac.locator("#key-A1")).to_be_visible()
    expect(fac.locator("#key-A2")).to_be_visible()
    assert list(study.factors.key().values_list("code", flat=True)) == ["A1", "A2"]

    # 7. Round 4: situations of the key factors (autosaved when a box is left).
    prepare_round(fac, study_id, "situations")
    open_round(fac, study_id, "situations")
    situations = {
        who: {
            code: (f"{name} sees {code} today.", f"{name} imagines {code} in five years.")
            for code in ("A1", "A2")
        }
        for who, name in (("alice", "Alice"), ("bruno", "Bruno"), ("chloe", "Chloé"))
    }
    for who, texts in situations.items():
        phone = phones[who]
        go_answer(phone, study_id, "Current and future situations")
        for code, (current, future) in texts.items():
            form = phone.locator(f"#situation-{code}")
            form.get_by_label("The situation today").fill(current)
            autosave(
                phone,
                lambda form=form: form.get_by_label("The situation today").press("Tab"),
                "/situations/",
            )
            form.get_by_label("The possible futures").fill(future)
            autosave(phone, form.get_by_role("button", name="Save").tap, "/situations/", saves=2)
            expect(form.locator(".status")).to_contain_text("Saved")
        expect(phone.locator("#round-progress")).to_contain_text("2 of 2 factors described")
    shoot(bruno, screenshots, "expert-situations")
    close_round(fac, study_id, "situations")

    # 8. The facilitator synthesises the situations into hypotheses, on the desk.
    hypotheses = {
        "A1": ["AI assistants answer most simple requests", "AI stays a niche tool"],
        "A2": ["Every public service is online only", "Counters stay open beside online services"],
    }
    for code, texts in hypotheses.items():
        fac.goto(f"/studies/{study_id}/decisions/key-factors/")
        with fac.expect_navigation():
            fac.locator(f"#key-{code}").get_by_role(
                "link", name="Current situation, hypotheses and retained hypothesis"
            ).click()
        expect(fac.locator("#situation .material")).to_contain_text(f"Chloé sees {code} today.")
        fac.locator("#current-situation").fill(f"The panel's view of {code} today.")
        submit(fac, fac.get_by_role("button", name="Save the current situation"))
        expect(fac.locator(".messages")).to_contain_text("The current situation is saved.")
        for text in texts:
            fac.locator("#new-text").fill(text)
            submit(fac, fac.get_by_role("button", name="Add the hypothesis"))
            expect(fac.locator("#hypotheses")).to_contain_text(text)
    assert Factor.objects.get(study=study, code="A2").current_situation == (
        "The panel's view of A2 today."
    )
    assert list(
        Hypothesis.objects.filter(factor__study=study).order_by("code").values_list("code", "label")
    ) == [("A1-A", "A"), ("A1-B", "B"), ("A2-A", "A"), ("A2-B", "B")]

    # 9. Round 5: probability and desirability of each hypothesis (scale 1-4 or "?").
    prepare_round(
        fac,
        study_id,
        "hypothesis_vote",
        {"Probability: lowest value": "1", "Probability: highest value": "4"},
    )
    open_round(fac, study_id, "hypothesis_vote")
    votes = {
        "alice": {"A1-A": ("4", "3"), "A1-B": ("1", "2"), "A2-A": ("3", "1"), "A2-B": ("2", "4")},
        "bruno": {"A1-A": ("3", "3"), "A1-B": ("2", "1"), "A2-A": ("4", "2"), "A2-B": ("2", "3")},
        "chloe": {"A1-A": ("4", "4"), "A1-B": ("?", "2"), "A2-A": ("3", "1"), "A2-B": ("1", "4")},
    }
    for who, answers in votes.items():
        phone = phones[who]
        go_answer(phone, study_id, "Hypotheses: probability and desirability")
        for code, (probability, desirability) in answers.items():
            if code == "A2-A":  # one key factor per page: on to A2's hypotheses
                next_factor(phone, "A2")
            form = phone.locator(f"#hypothesis-{code}")
            autosave(
                phone,
                form.locator("fieldset")
                .nth(0)
                .get_by_text(PROBABILITY_LABELS[probability], exact=True)
                .tap,
                "/hypotheses/",
            )
            autosave(
                phone,
                form.locator("fieldset")
                .nth(1)
                .get_by_text(DESIRABILITY_LABELS[desirability], exact=True)
                .tap,
                "/hypotheses/",
            )
            expect(form.locator(".status")).to_contain_text("Saved")
        expect(phone.locator("#round-progress")).to_contain_text("4 of 4 hypotheses answered")
    shoot(chloe, screenshots, "expert-hypothesis-votes")
    close_round(fac, study_id, "hypothesis_vote")

    # 10. The retained hypothesis of each key factor, decided on the desk by the rule.
    for code, reachable, retained in (
        ("A1", "Yes: retain the most desirable", "A1-A"),
        ("A2", "No: retain the most probable", "A2-A"),
    ):
        factor = Factor.objects.get(study=study, code=code)
        fac.goto(f"/studies/{study_id}/decisions/factors/{factor.pk}/")
        reachability = fac.locator("#retention form").first
        reachability.get_by_label(reachable).check()
        submit(fac, reachability.get_by_role("button", name="Save"))
        expect(fac.locator("[data-key=proposal]")).to_have_text(retained)
        submit(fac, fac.get_by_role("button", name=f"Retain {retained}, as the rule proposes"))
        expect(fac.locator("[data-key=retained]")).to_contain_text(hypotheses[code][0])
    shoot(fac, screenshots, "facilitator-factor-decisions")
    assert dict(Factor.objects.filter(study=study).key().values_list("code", "retained__code")) == {
        "A1": "A1-A",
        "A2": "A2-A",
    }

    # 11. Round 6: actions for the retained hypotheses.
    prepare_round(fac, study_id, "actions")
    open_round(fac, study_id, "actions")
    actions = {
        "alice": {
            "A1-A": ["Train mediators to check AI answers"],
            "A2-A": ["Open help desks in libraries"],
        },
        "bruno": {
            "A1-A": ["Build an AI literacy workshop", "Share prompts that work"],
            "A2-A": ["Keep a phone line for forms"],
        },
        "chloe": {"A1-A": ["Warn about AI scams"]},
    }
    for who, by_hypothesis in actions.items():
        phone = phones[who]
        go_answer(phone, study_id, "Actions")
        for code, texts in by_hypothesis.items():
            for text in texts:
                section = phone.locator(f"#hypothesis-{code}")
                section.get_by_label("An action").fill(text)
                submit(phone, section.get_by_role("button", name="Add this action"))
                expect(phone.locator(".messages")).to_contain_text("Your action is saved.")
                expect(phone.locator(f"#hypothesis-{code} ol.answers")).to_contain_text(text)
    shoot(bruno, screenshots, "expert-actions")
    close_round(fac, study_id, "actions")

    # 12. Round 7: impacts on the activities, with the competences they call for.
    prepare_round(fac, study_id, "impacts")
    open_round(fac, study_id, "impacts")
    impacts = {
        "alice": {
            "A1-A": {"1": "Explain AI answers\nCheck sources", "2": "Teach prompting"},
            "A2-A": {"1": "Use online public services"},
        },
        "bruno": {
            "A1-A": {"2": "Teach prompting"},
            "A2-A": {"1": "Help with online forms", "3": ""},
        },
        "chloe": {"A1-A": {"1": "Check sources"}, "A2-A": {"1": "Help with online forms"}},
    }
    for who, by_hypothesis in impacts.items():
        phone = phones[who]
        go_answer(phone, study_id, "Impacts on activities and competences")
        for code, chosen in by_hypothesis.items():
            if code == "A2-A":  # one key factor per page: on to A2's retained hypothesis
                next_factor(phone, "A2")
            form = phone.locator(f"#hypothesis-{code}")
            for activity, competences in chosen.items():
                autosave(phone, phone.locator(f"#a-{code}-{activity}").tap, "/impacts/")
                if competences:
                    phone.locator(f"#c-{code}-{activity}").fill(competences)
                    autosave(
                        phone, form.get_by_role("button", name="Save").tap, "/impacts/", saves=2
                    )
            expect(form.locator(".status")).to_contain_text("Saved")
        expect(phone.locator("#round-progress")).to_contain_text("2 of 2 hypotheses answered")
    shoot(alice, screenshots, "expert-impacts")
    alice.goto(f"/studies/{study_id}/me/")
    expect(alice.locator(".rounds").first).to_contain_text("Impacts on activities and competences")
    expect(alice.locator(".rounds").nth(1).locator(".card")).to_have_count(6)
    shoot(alice, screenshots, "expert-home")

    # A late answer: Bruno's page is still open when the round closes; his next answer is
    # refused with the round's message and nothing he saved before is lost.
    watched["bruno"].expected.append(re.compile(r"status of 409 .*/impacts/\)$"))
    with bruno.expect_navigation():
        bruno.get_by_role("link", name="Previous factor").tap()
    close_round(fac, study_id, "impacts")
    autosave(bruno, bruno.locator("#a-A1-A-3").tap, "/impacts/", status=409)
    expect(bruno.locator("#round-notice")).to_contain_text(
        "This round is closed; your earlier answers are kept."
    )
    expect(bruno.locator("#a-A1-A-1")).to_be_disabled()
    shoot(bruno, screenshots, "expert-late-answer")
    bruno.reload()
    expect(bruno.locator("#round-notice")).to_contain_text("This round is closed")
    expect(bruno.locator("#a-A1-A-2")).to_be_checked()
    expect(bruno.locator("#a-A1-A-3")).not_to_be_checked()

    # 13. The facilitator's decisions on the desk: an action of the plan and an impact.
    fac.goto(f"/studies/{study_id}/decisions/actions/")
    plan = fac.locator("#actions-A1-A")
    expect(plan.locator("details.material summary")).to_contain_text("(4, anonymous)")
    plan.locator("details.panel summary").first.click()
    plan.get_by_label("Aim").select_option("provoke")
    plan.get_by_label("Action").fill("AI literacy workshops in every digital space")
    plan.get_by_role("button", name="Add", exact=True).click()  # htmx: the plan is swapped
    expect(fac.locator("#actions-A1-A .decision-list")).to_contain_text("AI literacy workshops")
    fac.goto(f"/studies/{study_id}/decisions/impacts/")
    fac.get_by_label("Retained hypothesis").select_option(
        label="A1 A — AI assistants answer most simple requests"
    )
    fac.get_by_label("Activity", exact=True).select_option(label="2. Train in digital skills")
    submit(fac, fac.get_by_role("button", name="Add the impact"))
    expect(fac.locator(".messages")).to_contain_text("Impact added.")
    shoot(fac, screenshots, "facilitator-impacts")

    # 14. Everything is in the database: every round closed, every answer of every expert.
    assert_answers_saved(
        study, {"alice": "Alice Martin", "bruno": "Bruno Leroy", "chloe": "Chloé Petit"}
    )


def assert_answers_saved(study: Study, names: dict[str, str]) -> None:
    experts = {who: Expert.objects.get(study=study, name=name) for who, name in names.items()}
    alice, bruno, chloe = experts["alice"], experts["bruno"], experts["chloe"]
    rounds = {r.step: r for r in Round.objects.filter(study=study)}
    assert set(rounds) == set(Round.Step.values)
    assert all(r.status == Round.Status.CLOSED for r in rounds.values())
    assert study.audit_events.filter(action="round_opened").count() == 7
    assert study.audit_events.filter(action="round_closed").count() == 7

    # 1. Proposals: 3 + 3 + 2, all merged into a factor.
    proposals = FactorProposal.objects.filter(round=rounds["proposals"])
    assert [proposals.filter(expert=e).count() for e in (alice, bruno, chloe)] == [3, 3, 2]
    assert not proposals.filter(factor=None).exists()
    assert proposals.get(title="Unstable public funding").factor.code == "A3"
    assert proposals.get(title="Public services online only").explanation == "Counters close."

    # 2. The weighted vote: 10, 9 and 10 points; the refused ballot left no trace.
    points = FactorPoints.objects.filter(round=rounds["factor_vote"])
    assert points.count() == 12
    assert [sum(p.points for p in points.filter(expert=e)) for e in (alice, bruno, chloe)] == [
        10,
        9,
        10,
    ]
    assert not points.filter(expert=chloe, factor__code="A5").exists()
    assert points.get(expert=alice, factor__code="A1").points == 4

    # 3. The influence matrix: 12 cells each, the scale's P and "don't know" kept.
    scores = InfluenceScore.objects.filter(round=rounds["influence"])
    assert [scores.filter(expert=e).count() for e in (alice, bruno, chloe)] == [12, 12, 12]

    def score(expert: Expert, source: str, target: str) -> str:
        return scores.get(expert=expert, source__code=source, target__code=target).value

    assert score(alice, "A3", "A4") == "P"
    assert score(alice, "A4", "A2") == "?"
    assert score(bruno, "A1", "A2") == "3"  # revised from 1
    assert score(chloe, "A2", "A1") == "1"  # the corrected upload
    assert score(chloe, "A4", "A2") == "?"  # the empty cell of the workbook
    assert rounds["influence"].settings["factors"] == ["A1", "A2", "A3", "A4"]

    # 4. Situations: both key factors, by each expert.
    situations = Situation.objects.filter(round=rounds["situations"])
    assert situations.count() == 6
    chloe_a2 = situations.get(expert=chloe, factor__code="A2")
    assert (chloe_a2.current, chloe_a2.future) == (
        "Chloé sees A2 today.",
        "Chloé imagines A2 in five years.",
    )

    # 5. Hypothesis votes: 4 hypotheses by 3 experts; "don't know" stored as no value.
    votes = HypothesisVote.objects.filter(round=rounds["hypothesis_vote"])
    assert votes.count() == 12
    dont_know = votes.get(expert=chloe, hypothesis__code="A1-B")
    assert (dont_know.probability, dont_know.desirability) == (None, 2)
    assert (votes.get(expert=bruno, hypothesis__code="A2-A").probability) == 4

    # 6. Actions: 2 + 3 + 1.
    actions = ActionProposal.objects.filter(round=rounds["actions"])
    assert [actions.filter(expert=e).count() for e in (alice, bruno, chloe)] == [2, 3, 1]
    assert actions.filter(hypothesis__code="A1-A").count() == 4

    # 7. Impacts: 3 + 3 + 2 activities; the late answer was refused.
    impacts = ImpactProposal.objects.filter(round=rounds["impacts"])
    assert [impacts.filter(expert=e).count() for e in (alice, bruno, chloe)] == [3, 3, 2]
    assert impacts.get(expert=alice, hypothesis__code="A1-A", activity__code="1").competences == (
        "Explain AI answers\nCheck sources"
    )
    assert not impacts.filter(expert=bruno, hypothesis__code="A1-A", activity__code="3").exists()

    # The facilitator's decisions.
    assert list(
        Action.objects.filter(hypothesis__factor__study=study).values_list("aim", "text")
    ) == [("provoke", "AI literacy workshops in every digital space")]
    assert list(
        Impact.objects.filter(activity__study=study).values_list(
            "hypothesis__code", "activity__code"
        )
    ) == [("A1-A", "2")]

    # The method core reads the whole study back from its study file.
    analysis = analyse_study(export_study(study))
    assert [(r["factor"], r["points"]) for r in analysis["factor_vote"]["ranking"]] == [
        ("A1", 10),
        ("A2", 8),
        ("A3", 6),
        ("A4", 4),
        ("A5", 1),
    ]
    assert analysis["structural_analysis"]["selection"]["selected"] == ["A1", "A2"]
    assert {b["factor"]: b["retention"]["proposal"] for b in analysis["hypotheses"]} == {
        "A1": "A1-A",
        "A2": "A2-A",
    }
