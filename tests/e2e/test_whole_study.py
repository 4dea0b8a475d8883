"""A whole study walked in the browser, the way a facilitator runs one without a terminal
(issue 3, then issue 12's "Done when").

A facilitator signs in and creates the study; from then on every step is opened from the
study page's method's path, by its one primary action (never an address typed by the test):
the perimeter, then each round prepared, opened, followed and closed, and the decision that
follows it. The panel: two experts imported from a CSV list on the panel's import page and
invited all at once ("Invite all not yet invited", the site's mail server delivering the
letters); they join by their personal links, a third in the room by the address the
projector's QR code encodes (the code filled in); one expert answers the influence matrix
by uploading the filled XLSX template. The rounds: proposals (merged into factors),
weighted vote (shortlist confirmed), influence matrix (one factor at a time, autosaved;
key factors confirmed), situations (then the facilitator writes the hypotheses), hypothesis
votes (then the retention of a hypothesis per key factor), actions (then the action plan)
and impacts (then the impact table). The database is then checked for every answer, a
closed round refuses a late answer with its message, and the report is made on the desk's
report page in its four formats (PDF, DOCX, HTML, XLSX), downloaded and read back.

The expert's answers go through a few small helpers at the top (their pages' selectors in
one place).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from docx import Document as DocxDocument
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

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
from anticipe.workshop.qr import qr_svg
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


# -- the expert's answers: their selectors in one place (the answer pages change) ------------


def points_left(phone: Page) -> Locator:
    return phone.locator(".points-left strong")


def vote_tap_more(phone: Page, code: str) -> None:
    """One more point to the factor, with its + button (autosaved)."""
    autosave(phone, phone.locator(f"#more-{code}").tap, "/vote/")


def vote_type_points(phone: Page, code: str, points: int, status: int = 200) -> None:
    """Type the factor's points and leave the box (autosaved)."""
    field = phone.locator(f"#points-{code}")
    form = phone.locator("#vote").element_handle()
    field.fill(str(points))
    autosave(phone, lambda: field.press("Tab"), "/vote/", status=status)
    if status == 200:
        # the saved form replaces this one (htmx, outerHTML) just after the response:
        # typing into the next field before that would type into the old form
        phone.wait_for_function(SWAPPED_AND_SETTLED, arg=form)


def matrix_answer(phone: Page, target: str, value: str) -> None:
    """Tap the influence on `target` of the factor on the page (autosaved)."""
    cell = phone.locator(f"#cell-{target}")
    autosave(phone, cell.get_by_text(SCALE_LABELS[value], exact=True).tap, "/matrix/cell/")
    expect(cell.locator(".status")).to_contain_text("Saved")


def hypothesis_answer(phone: Page, code: str, probability: str, desirability: str) -> None:
    """Tap the hypothesis' probability, then its desirability (each autosaved)."""
    form = phone.locator(f"#hypothesis-{code}")
    for index, label in (
        (0, PROBABILITY_LABELS[probability]),
        (1, DESIRABILITY_LABELS[desirability]),
    ):
        choice = form.locator("fieldset").nth(index).get_by_text(label, exact=True)
        autosave(phone, choice.tap, "/hypotheses/")
    expect(form.locator(".status")).to_contain_text("Saved")


def step_section(page: Page, step: str) -> Locator:
    return page.locator(f"#step-{step}")


def next_action(page: Page, study_id: int, label: str) -> None:
    """On the study page, follow the method's path: its one primary action (a link, or a
    form's button) must say `label`; click it and wait for the page it leads to."""
    page.goto(f"/studies/{study_id}/")
    primary = page.locator("main .path .primary")
    expect(primary).to_have_count(1)
    expect(primary).to_contain_text(label)
    expect(primary).to_be_enabled()
    submit(page, primary)


def prepare_round(
    page: Page, study_id: int, step: str, settings: dict[str, str] | None = None
) -> None:
    """The path's "Prepare the round" (a form page first for a step with settings)."""
    next_action(page, study_id, "Prepare the round")
    if settings is not None:
        for label, value in settings.items():
            page.get_by_label(label).fill(value)
        submit(page, page.get_by_role("button", name="Prepare the round"))
    expect(step_section(page, step).locator(".badge.draft")).to_be_visible()


def open_round(page: Page, study_id: int, step: str) -> None:
    """The path's "Open the round"."""
    next_action(page, study_id, "Open the round")
    expect(page.locator(".messages")).to_contain_text("is open: experts can answer")
    expect(step_section(page, step).locator(".badge.open")).to_be_visible()
    # The rounds page refreshes the open round's progress every few seconds: leave it while
    # the experts answer (the test's in-memory SQLite database has one connection, shared
    # by the live server's threads: two requests at once can fail with "table is locked").
    page.goto("about:blank")


def close_round(page: Page, study_id: int, step: str) -> None:
    """The path's "Follow the answers" (the rounds page), then the round's Close button."""
    next_action(page, study_id, "Follow the answers")
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


def svg_drawing(svg: str) -> list[str]:
    """The drawing of a QR code's SVG (every path: the light background, the dark
    modules), to compare two codes."""
    paths = re.findall(r'<path[^>]* d="([^"]+)"', svg)
    assert len(paths) >= 2, svg[:300]
    return paths


def shoot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True, scale="css")


# -- the walk --------------------------------------------------------------------------------


def test_whole_study(
    open_page: Any,
    live_server: Any,
    screenshots: Path,
    mail_server: None,
    mailoutbox: Any,
    tmp_path: Path,
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

    next_action(fac, study_id, "Describe the job's activities and tasks")
    expect(fac).to_have_url(re.compile(rf"/studies/{study_id}/perimeter/"))
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
        # htmx puts the cursor back in the new form's Code field when it settles (about 20 ms
        # after the swap): wait for it, or the next fill can land in the field it moves to.
        expect(
            fac.locator("form[aria-labelledby='activity-add-title']").get_by_label("Code")
        ).to_be_focused()
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

    # 2. The panel: two experts imported from a CSV list and invited all at once (the
    # site's mail server delivers the letters); a third joins in the room by the projector's
    # QR code (the join address with the study code filled in).
    fac.goto(f"/studies/{study_id}/")
    submit(fac, fac.get_by_role("link", name="Panel of experts"))
    submit(fac, fac.get_by_role("link", name="Import a list (CSV, XLSX)"))
    experts_csv = tmp_path / "experts.csv"
    experts_csv.write_text(
        "name,e-mail,organisation,sector\n"
        "Alice Martin,alice@example.org,Fab lab of the city,digital fabrication laboratory\n"
        "Chloé Petit,chloe@example.org,Employment service,employment service\n",
        encoding="utf-8",
    )
    fac.get_by_label("List of experts (CSV or XLSX)").set_input_files(str(experts_csv))
    submit(fac, fac.get_by_role("button", name="Import", exact=True))
    expect(fac.locator(".messages")).to_contain_text("2 experts join the panel.")
    expect(fac.locator("#panel-content")).to_contain_text(
        "2 experts with an e-mail address have not been invited yet."
    )
    assert not mailoutbox
    submit(fac, fac.get_by_role("button", name="Invite all not yet invited"))  # confirmed
    expect(fac.locator(".messages")).to_contain_text("An invitation was sent to 2 experts.")
    expect(fac.get_by_role("button", name="Invite all not yet invited")).to_be_disabled()
    expect(fac.locator("#mail-notice")).to_have_count(0)  # a mail server: no outbox notice
    letters = {mail.to[0]: mail.body for mail in mailoutbox}
    assert set(letters) == {"alice@example.org", "chloe@example.org"}
    personal_links = {}
    for address, body in letters.items():
        found = re.search(r"https?://\S+/invitation/\S+/", body)
        assert found, body
        personal_links[address] = found[0]
    assert len(set(personal_links.values())) == 2  # a link of one's own
    join_address = f"{live_server.url}/join/?{urlencode({'code': study.join_code})}"
    expect(fac.locator("#join-url")).to_have_value(join_address)
    shoot(fac, screenshots, "facilitator-panel")

    fac.goto(f"/studies/{study_id}/")
    submit(fac, fac.get_by_role("link", name="Projector"))
    join_code = fac.locator("#projector-panel [data-key=join-code]").inner_text().strip()
    assert join_code == study.join_code
    qr = fac.locator("#projector-panel .projector-qr svg")
    expect(qr).to_have_attribute("role", "img")
    assert svg_drawing(qr.evaluate("svg => svg.outerHTML")) == svg_drawing(
        qr_svg(join_address, "the join address")
    )
    shoot(fac, screenshots, "projector")
    fac.goto("about:blank")  # the projector refreshes itself: leave it (one database)

    watched = {who: open_page("phone") for who in ("alice", "bruno", "chloe")}
    alice, bruno, chloe = (watched[who].page for who in ("alice", "bruno", "chloe"))
    link = personal_links["alice@example.org"]
    alice.goto(link)  # a page with a button: opening the link does not use it
    submit(alice, alice.get_by_role("button", name="Join the study"))
    expect(alice.locator("h1")).to_have_text("Digital mediator")
    expect(alice.locator("main")).to_contain_text("You take part as Alice Martin")
    shoot(alice, screenshots, "expert-home-empty")

    chloe.goto(personal_links["chloe@example.org"])
    submit(chloe, chloe.get_by_role("button", name="Join the study"))
    expect(chloe.locator("main")).to_contain_text("You take part as Chloé Petit")

    bruno.goto(join_address)  # what the QR code opens: the code is filled in
    expect(bruno.get_by_label("Study code")).to_have_value(join_code)
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
    assert experts["Chloé Petit"].organisation == "Employment service"

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

    next_action(fac, study_id, "Merge the proposals into change factors")
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
                    vote_tap_more(phone, code)
                    left -= 1
                    expect(points_left(phone)).to_have_text(re.compile(rf"^{left} points? left$"))
            else:  # typing the number
                vote_type_points(phone, code, points)
                left -= points
                expect(points_left(phone)).to_have_text(re.compile(rf"^{left} points? left$"))
        if who == "chloe":  # a point too many is refused, the ballot stays as it was
            watched["chloe"].expected.append(re.compile(r"status of 400 .*/vote/\)$"))
            vote_type_points(chloe, "A5", 1, status=400)
            expect(chloe.locator("#vote .message.error")).to_contain_text("you have 10")
            expect(chloe.locator("#points-A5")).to_have_value("0")
    shoot(alice, screenshots, "expert-vote")
    close_round(fac, study_id, "factor_vote")

    next_action(fac, study_id, "Confirm the shortlist")
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
                matrix_answer(phone, "A2", "1")
            for target, value in row.items():
                matrix_answer(phone, target, value)
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
    next_action(fac, study_id, "Choose the key factors")
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
    next_action(fac, study_id, "Write the key factors' hypotheses")
    for code, texts in hypotheses.items():
        if code == "A1":  # from the key factors' page to the first one
            submit(
                fac,
                fac.locator(f"#key-{code}").get_by_role(
                    "link", name="Current situation, hypotheses and retained hypothesis"
                ),
            )
        else:  # then from one key factor to the next
            submit(fac, fac.get_by_role("link", name=code, exact=True))
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
            hypothesis_answer(phone, code, probability, desirability)
        expect(phone.locator("#round-progress")).to_contain_text("4 of 4 hypotheses answered")
    shoot(chloe, screenshots, "expert-hypothesis-votes")
    close_round(fac, study_id, "hypothesis_vote")

    # 10. The retained hypothesis of each key factor, decided on the desk by the rule.
    for code, reachable, retained in (
        ("A1", "Yes: retain the most desirable", "A1-A"),
        ("A2", "No: retain the most probable", "A2-A"),
    ):
        if code == "A1":  # the hypotheses' results first, then each key factor's page
            next_action(fac, study_id, "Retain one hypothesis per key factor")
            submit(fac, fac.get_by_role("link", name="Decide for this factor").first)
        else:
            submit(fac, fac.get_by_role("link", name=code, exact=True))
        expect(fac.locator("h1")).to_contain_text(code)
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

    # The facilitator's action plan, on the desk.
    next_action(fac, study_id, "Write the action plan")
    plan = fac.locator("#actions-A1-A")
    expect(plan.locator("details.material summary")).to_contain_text("(4, anonymous)")
    plan.locator("details.panel summary").first.click()
    plan.get_by_label("Aim").select_option("provoke")
    plan.get_by_label("Action").fill("AI literacy workshops in every digital space")
    plan.get_by_role("button", name="Add", exact=True).click()  # htmx: the plan is swapped
    expect(fac.locator("#actions-A1-A .decision-list")).to_contain_text("AI literacy workshops")

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

    # 13. The facilitator's impact table, on the desk.
    next_action(fac, study_id, "Fill in the impact table")
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

    # 15. The report, from the path's last step: the four files made on the desk's report
    # page and read back, each with the study's title, a key factor and a retained hypothesis.
    next_action(fac, study_id, "Make the report")
    expect(fac.get_by_role("heading", name="The study's report")).to_be_visible()
    texts: dict[str, str] = {}
    for fmt in ("PDF", "DOCX", "HTML", "XLSX"):
        texts[fmt] = report_text(fac, fmt, tmp_path)
    shoot(fac, screenshots, "facilitator-report")
    for fmt, text in texts.items():
        words = " ".join(text.split())
        for expected in (
            "Digital mediator",
            "AI in everyday tools",
            "AI assistants answer most simple requests",
        ):
            assert expected in words, (fmt, expected, words[:1000])


def report_text(page: Page, fmt: str, folder: Path) -> str:
    """Make one of the report's files on the report page (htmx; in the tests the job runs
    at once), download it and read its text back."""
    page.get_by_role("button", name=f"Make the {fmt} file").click()
    link = page.get_by_role("link", name=f"Download the {fmt} file")
    expect(link).to_be_visible(timeout=180_000)
    with page.expect_download() as download:
        link.click()
    saved = folder / f"report.{fmt.lower()}"
    download.value.save_as(saved)
    assert download.value.suggested_filename.endswith(f".{fmt.lower()}")
    if fmt == "PDF":
        return " ".join(str(page_.extract_text()) for page_ in PdfReader(saved).pages)
    if fmt == "DOCX":
        document = DocxDocument(str(saved))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    if fmt == "XLSX":
        workbook = load_workbook(saved, read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return " ".join(saved.read_text("utf-8").split())  # the HTML's text, tags and all


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
