"""No page, fragment or download places an expert's name beside a pseudonym, a return code
or an individual answer, whoever asks (issue 10: "the panel and progress pages print the
same pseudonym beside each name").

The example study is imported, its experts are given names and free-text answers (factor
proposals, situations, action proposals), one round is left open; then every GET URL of the
workshop, with every argument the study offers, is opened as each persona, as a page and as
an htmx fragment; every downloaded table is read row by row. In each element of a page (a
table row, a list item, a paragraph, an option...) and each row of a download, no expert's
name may stand beside an expert's pseudonym (E01...), a return code or an answer's text.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, reverse

from anticipe.workshop.access import RETURN_CODES_KEY
from anticipe.workshop.models import (
    ActionProposal,
    FactorProposal,
    Round,
    Situation,
    Study,
    StudyMember,
)
from anticipe.workshop.panel_rules import issue_invitation
from anticipe.workshop.urls import urlpatterns
from anticipe.workshop.views.desk.results_pages import RESULT_PAGES, STEP_SLUGS
from tests.workshop.support import HTMX, expert_client_for, open_round, published

pytestmark = pytest.mark.slow

FIRST_NAMES = ["Aurélie", "Bastien", "Céleste", "Dorian", "Elouan", "Faustine", "Gaspard"]
FIRST_NAMES += ["Héloïse", "Ismaël", "Joséphine", "Kilian", "Léonie", "Maxence", "Noémie"]
PSEUDONYM = re.compile(r"\bE\d{2}\b")
# The elements of a page whose whole text is one "place": a row, an item, a sentence.
PLACES = {"tr", "li", "p", "dt", "dd", "option", "label", "button", "summary", "caption"}
PLACES |= {"h1", "h2", "h3", "h4", "title", "a", "td", "th", "legend", "figcaption"}
SHOWN_ATTRIBUTES = {"value", "title", "aria-label", "alt", "placeholder", "data-confirm"}
SHOWN_ATTRIBUTES |= {"data-copy"}


@dataclass
class Panel:
    """Who the experts are, and what they wrote (to look for beside their names)."""

    study: Study
    names: dict[str, str] = field(default_factory=dict)  # pseudonym -> name
    answers: list[str] = field(default_factory=list)  # every expert's free texts
    return_codes: list[str] = field(default_factory=list)


# -- the study -------------------------------------------------------------------------------


def written_answers(study: Study) -> list[str]:
    """A free text of every expert in three rounds: proposals and situations (closed), action
    proposals (open: the progress is live)."""
    texts = []
    proposals = open_round(study, Round.Step.PROPOSALS)
    situations = open_round(study, Round.Step.SITUATIONS)
    actions = open_round(study, Round.Step.ACTIONS)
    key = study.factors.key().first()
    retained = study.factors.key().exclude(retained=None).first()
    assert key is not None
    assert retained is not None
    assert retained.retained is not None
    for n, expert in enumerate(study.experts.order_by("code")):
        idea, today, act = (f"quokka{n} idea", f"quokka{n} today", f"quokka{n} action")
        FactorProposal.objects.create(round=proposals, expert=expert, title=idea)
        Situation.objects.create(round=situations, expert=expert, factor=key, current=today)
        ActionProposal.objects.create(
            round=actions, expert=expert, hypothesis=retained.retained, text=act
        )
        texts += [idea, today, act]
    proposals.close()
    situations.close()
    return texts


@pytest.fixture
def panel(example: Study) -> Panel:
    found = Panel(example)
    for name, expert in zip(FIRST_NAMES, example.experts.order_by("code"), strict=False):
        expert.name = f"{name} Quenneville"
        expert.organisation = f"Organisation of {name}"
        expert.email = f"{name.lower()}@example.org"
        expert.save()
        found.names[expert.code] = expert.name
    assert len(found.names) == example.experts.count()
    found.answers = written_answers(example)
    return found


@pytest.fixture
def personas(panel: Panel, facilitator_client: Client, other_study: Study) -> dict[str, Client]:
    study = panel.study
    user_model = get_user_model()
    clients = {"facilitator": facilitator_client, "anonymous": Client()}
    for role, username in (("facilitator", "co-facilitator"), ("observer", "observer-2")):
        user = user_model.objects.create_user(username, password="pw-not-used-1")
        StudyMember.objects.create(study=study, user=user, role=role)
        clients[username] = Client()
        clients[username].force_login(user)
    outsider = user_model.objects.create_user("outsider-2", password="pw-not-used-1")
    clients["outsider"] = Client()
    clients["outsider"].force_login(outsider)
    expert = expert_client_for(study.experts.get(code="E01"))
    clients["expert"] = expert
    panel.return_codes.append(expert.session[RETURN_CODES_KEY][str(study.pk)])
    clients["other expert"] = expert_client_for(other_study.experts.get(code="E1"))
    return clients


# -- every GET URL, with every argument the study offers -------------------------------------------


def argument_values(panel: Panel) -> dict[str, list[Any]]:
    """The values of each URL argument of the workshop, for the study."""
    study = panel.study
    first = study.factors.key().first()
    assert first is not None
    newcomer = study.experts.create(code="E99", name="Newcomer Quenneville", sector="x")
    panel.names[newcomer.code] = newcomer.name  # no answers yet: a link can be shown
    proposal = FactorProposal.objects.filter(round__study=study).first()
    action = ActionProposal.objects.filter(round__study=study).first()
    activity = study.activities.first()
    assert proposal is not None
    assert action is not None
    assert activity is not None
    return {
        "study_id": [study.pk],
        "round_id": list(study.rounds.values_list("pk", flat=True)),
        "expert_id": list(study.experts.values_list("pk", flat=True)),
        "factor_id": list(study.factors.key().values_list("pk", flat=True)),
        "hypothesis_id": list(first.hypotheses.values_list("pk", flat=True)),
        "activity_id": [activity.pk],
        "proposal_id": [proposal.pk],
        "action_id": [action.pk],
        "plane": ["direct", "indirect"],
        "token": [issue_invitation(newcomer)[1]],
        "group_id": list(study.respondent_groups.values_list("pk", flat=True)),
        "fmt": ["csv", "xlsx"],
        "page": [*RESULT_PAGES, *(f"iterations-{slug}" for slug in STEP_SLUGS)],
    }


def every_url(panel: Panel) -> list[str]:
    """Every URL of the workshop with every set of arguments the study offers."""
    values = argument_values(panel)
    urls = []
    for pattern in urlpatterns:
        if not isinstance(pattern, URLPattern):
            continue
        names = list(pattern.pattern.converters)  # type: ignore[attr-defined]
        steps = list(Round.Step.values) if pattern.name == "round_create" else list(STEP_SLUGS)
        choices = [values.get(name, steps if name == "step" else [1]) for name in names]
        for combination in itertools.product(*choices):
            kwargs = dict(zip(names, combination, strict=True))
            urls.append(reverse(f"workshop:{pattern.name}", kwargs=kwargs))
    assert len(urls) > 150
    return urls


# -- reading what a response shows ------------------------------------------------------------


class Places(HTMLParser):
    """The text of every place of a page (nested places each get the text of what they
    hold), with the attributes a reader or a screen reader is shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, list[str]]] = []
        self.places: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = [value for key, value in attrs if key in SHOWN_ATTRIBUTES and value]
        if tag in PLACES:
            self.open.append((tag, []))
        for _tag, texts in self.open:
            texts.extend(shown)

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, _texts in self.open):
            return
        while self.open:
            open_tag, texts = self.open.pop()
            self.places.append(" ".join(texts))
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for _tag, texts in self.open:
            texts.append(data)


def places_of(response: Any) -> list[str]:
    """The places of a response: elements of a page, rows of a CSV or XLSX table, a JSON file
    as one place (it must not hold a name at all)."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return [
            " ".join(str(cell) for cell in row if cell is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        ]
    text = body.decode("utf-8-sig", errors="replace")
    if "text/csv" in kind:
        return [" ".join(row) for row in csv.reader(io.StringIO(text))]
    if "json" in kind or "svg" in kind:
        return [text]
    parser = Places()
    parser.feed(text)
    parser.close()
    return parser.places


def problems_in(places: list[str], panel: Panel) -> list[str]:
    """A name beside a pseudonym, a return code or an answer, in one place."""
    found = []
    for place in places:
        names = [name for name in panel.names.values() if name in place]
        if not names:
            continue
        beside = PSEUDONYM.findall(place)
        beside += [text for text in panel.answers + panel.return_codes if text in place]
        if beside:
            found.append(f"{names} beside {beside}: {place[:200]!r}")
    return found


def walk(clients: dict[str, Client], urls: list[str], panel: Panel) -> dict[str, int]:
    """Open every URL as every persona (and as htmx where it answers); the problems found."""
    problems: list[str] = []
    seen: dict[str, int] = {}
    for persona, client in clients.items():
        for url in urls:
            for headers in ({}, HTMX):
                response = client.get(url, **headers)
                if response.status_code != 200:
                    break
                seen[persona] = seen.get(persona, 0) + 1
                found = problems_in(places_of(response), panel)
                problems += [f"{persona} {url}: {problem}" for problem in found]
    assert problems == []
    return seen


# -- the walk --------------------------------------------------------------------------------


def test_no_page_places_a_name_beside_a_pseudonym_or_an_answer(
    panel: Panel, personas: dict[str, Client]
) -> None:
    study = panel.study
    urls = every_url(panel)
    seen = walk(personas, urls, panel)
    # the walk reached the pages that show names: the panel, the progress, the experts' forms
    facilitator = personas["facilitator"]
    for name in ("panel", "rounds", "audit", "desk", "proposals", "action_plan"):
        assert facilitator.get(reverse(f"workshop:{name}", args=[study.pk])).status_code == 200
    assert seen["facilitator"] > 100
    assert seen["expert"] > 10
    panel_page = facilitator.get(reverse("workshop:panel", args=[study.pk])).content.decode()
    assert all(name in panel_page for name in panel.names.values())
    open_actions = study.rounds.get(step=Round.Step.ACTIONS, status=Round.Status.OPEN)
    progress = facilitator.get(
        reverse("workshop:round_progress", args=[study.pk, open_actions.pk])
    ).content.decode()
    assert all(name in progress for name in panel.names.values())
    # the study file export holds no name at all
    export = facilitator.get(reverse("workshop:study_export", args=[study.pk]))
    assert not [name for name in panel.names.values() if name in export.content.decode()]
    # once published, observers read the results, experts' pages close
    published(study)
    walk({k: personas[k] for k in ("observer-2", "expert")}, urls, panel)


def test_the_walk_finds_a_name_beside_a_pseudonym(panel: Panel) -> None:
    """The walk's reading can fail: a row with a name and a pseudonym, or a name and an
    answer, is reported; a name alone is not."""
    name = panel.names["E01"]
    html = (
        f"<table><tr><th>{name}</th><td>E01</td></tr>"
        f"<tr><th>{name}</th><td>3 proposals</td></tr></table>"
        f'<ul><li title="{panel.answers[0]}">{name}</li></ul><p>{name}</p>'
    )

    class Response(dict[str, str]):
        streaming = False
        content = html.encode()

    found = problems_in(places_of(Response({"Content-Type": "text/html"})), panel)
    assert len(found) == 2  # the first row, the list item
    assert "E01" in found[0]
