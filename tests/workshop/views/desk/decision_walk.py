"""Random walks through the facilitator's decisions, for the test that no decision breaks a
study (``test_decisions_never_break.py``).

A walk is a sequence of requests a facilitator could send with the Django test client: it
opens a desk page, then either submits one of the decision forms the page offers (filled
with values taken from the form, sometimes emptied, too long or replaced by the id of
something else of the study), follows a link of the desk, or sends a crafted request to a
decision endpoint with random, often invalid, parameters (ids of other factors, merged
hypotheses, values out of range, unknown ids). Everything is drawn from one seeded
``random.Random``: a failing walk is replayed from its seed.

After each decision the state must be consistent (:func:`check_decisions_consistent`: what
the study file counts is what the desk shows) and no request may answer 500, nor 409 (the
page that says the decisions cannot be analysed). After a walk,
:func:`check_study_still_works` asks every desk page, fragment and download, and each
expert's feedback on the closed rounds, and exports the study file, which must validate,
analyse and report (HTML).
"""

from __future__ import annotations

import random
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from anticipe.report import build_report_context, render_bytes
from anticipe.study.analysis import analyse_study
from anticipe.workshop.models import (
    Action,
    Activity,
    Competence,
    CrossImpact,
    Factor,
    FactorProposal,
    Hypothesis,
    Impact,
    Study,
)
from anticipe.workshop.rules import decision_problems
from anticipe.workshop.study_format import export_study
from tests.workshop.support import expert_client_for

# The decisions a walk may send (the desk's POST endpoints; publication and the rounds are
# other features).
DECISIONS = frozenset(
    {
        "key_factors_accept",
        "key_factor_add",
        "key_factor_remove",
        "key_factor_move",
        "factor_situation",
        "hypothesis_add",
        "hypotheses_merge",
        "hypothesis_edit",
        "hypothesis_delete",
        "hypothesis_move",
        "factor_reachability",
        "retention_confirm",
        "retention_override",
        "retention_clear",
        "action_add",
        "actions_merge",
        "action_edit",
        "action_delete",
        "action_move",
        "impact_add",
        "impact_edit",
        "impact_delete",
        "competence_add",
        "competence_edit",
        "competence_delete",
        "cross_impacts",
        "proposals_merge",
        "proposal_detach",
        "proposals_factor_edit",
        "shortlist_confirm",
    }
)

# The desk's pages a walk moves between (GET).
PAGES = frozenset(
    {
        "desk",
        "key_factors",
        "factor_decisions",
        "action_plan",
        "impacts_table",
        "cross_impacts",
        "decisions_log",
        "proposals",
        "proposals_factor_edit",
        "shortlist",
        "results_vote",
        "results_structure",
        "results_hypotheses",
        "results_impacts",
    }
)

START_PAGES = ("key_factors", "action_plan", "impacts_table", "cross_impacts", "proposals")

TEXTS = (
    "A new wording.",
    "Les espaces de médiation s'ouvrent aux nouveaux usages.",
    "<script>alert(1)</script>",
    "DigComp 2.2 1.1",
    "C1",
    "A",
)
ODD_TEXTS = ("", "   ", "x" * 17, "y" * 4001, "DigComp 9 nothing")


# -- the forms of a page ----------------------------------------------------------------------


@dataclass
class Form:
    """A POST form of a page: where it goes, its fields, whether htmx sends it."""

    action: str
    htmx: bool
    hidden: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)  # select, radio
    multiple: dict[str, list[str]] = field(default_factory=dict)  # checkboxes, select multiple
    selected: dict[str, list[str]] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons


class _PageParser(HTMLParser):
    """The POST forms and the links of a page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page  # a form without action posts to its page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: tuple[str, bool] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"].split("#")[0])
        elif tag == "form" and a.get("method", "").lower() == "post":
            self._form = Form(a.get("action") or self.page, "hx-post" in a)
        elif self._form is not None:
            self._field(tag, a)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        form, name = self._form, a.get("name", "")
        assert form is not None
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind == "hidden":
                form.hidden[name] = a.get("value", "")
            elif kind == "checkbox":
                form.multiple.setdefault(name, []).append(a.get("value", "on"))
            elif kind == "radio":
                form.choices.setdefault(name, []).append(a.get("value", ""))
            else:
                form.texts[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select = (name, "multiple" in a)
            (form.multiple if "multiple" in a else form.choices).setdefault(name, [])
        elif tag == "option" and self._select is not None:
            name, many = self._select
            (form.multiple if many else form.choices)[name].append(a.get("value", ""))
            if "selected" in a:
                form.selected.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            form.texts[name] = ""
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            form.buttons.append((name, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form.texts[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def url_name(path: str) -> str | None:
    try:
        return resolve(path.split("?")[0]).url_name
    except Resolver404:
        return None


def page_forms(page: str, html: str) -> tuple[list[Form], list[str]]:
    """The decision forms and the desk links of a page."""
    parser = _PageParser(page)
    parser.feed(html)
    forms = [f for f in parser.forms if url_name(f.action) in DECISIONS]
    links = [link for link in parser.links if url_name(link) in PAGES]
    return forms, links


# -- what a walk sends ------------------------------------------------------------------------


@dataclass
class Walk:
    """One random sequence of decisions on one study, and what it sent."""

    client: Client
    study: Study
    rng: random.Random
    log: list[str] = field(default_factory=list)
    page: str = ""

    def any_id(self, model: type[Any], **where: Any) -> str:
        """The id of something of the study (any of them), or sometimes an unknown one."""
        ids = list(model.objects.filter(**where).values_list("pk", flat=True))
        if not ids or self.rng.random() < 0.1:
            return str(self.rng.choice([0, 999999]))
        return str(self.rng.choice(ids))

    def some_ids(self, model: type[Any], **where: Any) -> list[str]:
        return [self.any_id(model, **where) for _ in range(self.rng.randint(0, 4))]

    def some_proposals(self) -> list[str]:
        """Proposals' tokens (their names on the desk), sometimes an id or an unknown one."""
        tokens = [p.token for p in FactorProposal.objects.filter(round__study=self.study)]
        return [
            self.rng.choice(tokens)
            if tokens and self.rng.random() < 0.9
            else self.any_id(FactorProposal)
            for _ in range(self.rng.randint(0, 4))
        ]

    def text(self) -> str:
        """A text to type: mostly one a facilitator would, sometimes empty or too long."""
        return self.rng.choice(TEXTS if self.rng.random() < 0.8 else ODD_TEXTS)

    def factor(self) -> str:
        return self.any_id(Factor, study=self.study)

    def hypothesis(self) -> str:
        return self.any_id(Hypothesis, factor__study=self.study)


def fill(form: Form, walk: Walk) -> dict[str, Any]:
    """Values for a form: mostly those it offers, sometimes emptied, odd or foreign."""
    rng = walk.rng
    data: dict[str, Any] = dict(form.hidden)
    for name, value in form.texts.items():
        data[name] = value if value and rng.random() < 0.3 else walk.text()
    for name, options in form.choices.items():
        if options and rng.random() < 0.9:
            data[name] = rng.choice(options)
        elif rng.random() < 0.5:
            data[name] = walk.hypothesis()
    for name, options in form.multiple.items():
        count = rng.choice([0, 1, *[min(len(options), 2)] * 3, len(options)])
        data[name] = rng.sample(options, min(count, len(options)))
        if rng.random() < 0.1:
            data[name] = [*data[name], walk.hypothesis()]
    cells = [name for name in form.choices if name.startswith("ci-")]
    for name in cells:  # the cross-impact grid: a few cells changed, the others as they are
        data[name] = (form.selected.get(name) or ["0"])[0]
    for name in rng.sample(cells, min(len(cells), rng.randint(0, 6))):
        data[name] = str(rng.choice([-3, -2, -1, 0, 1, 2, 3, 4, "x"]))
    if form.buttons:
        name, value = rng.choice(form.buttons)
        data[name] = value
    if rng.random() < 0.05 and data:
        del data[rng.choice(sorted(data))]
    return data


Crafted = Callable[[Walk], tuple[list[str], dict[str, Any]]]

# Decision endpoints with random arguments and parameters (valid-looking or not): the ids of
# any factor, hypothesis, action... of the study (merged, of another factor, not key) or
# unknown ones, values out of range.
CRAFTED: dict[str, Crafted] = {
    "retention_override": lambda w: (
        [w.factor()],
        {"hypothesis": w.hypothesis(), "reason": w.text()},
    ),
    "retention_confirm": lambda w: ([w.factor()], {}),
    "retention_clear": lambda w: ([w.factor()], {}),
    "factor_reachability": lambda w: (
        [w.factor()],
        {"reachable": w.rng.choice(["yes", "no", "unknown", "maybe"])},
    ),
    "hypotheses_merge": lambda w: (
        [w.factor()],
        {"hypotheses": w.some_ids(Hypothesis, factor__study=w.study), "text": w.text()},
    ),
    "hypothesis_add": lambda w: ([w.factor()], {"text": w.text(), "label": w.text()}),
    "hypothesis_edit": lambda w: (
        [w.hypothesis()],
        {"text": w.text(), "label": w.rng.choice(["", "A", "B", "BC", "A+B", "Z"])},
    ),
    "hypothesis_delete": lambda w: ([w.hypothesis()], {}),
    "hypothesis_move": lambda w: ([w.hypothesis()], {"direction": w.rng.choice(["up", "x"])}),
    "key_factor_add": lambda w: (
        [],
        {
            "factor": w.rng.choice(list(w.study.factors.values_list("code", flat=True))),
            "reason": w.text(),
        },
    ),
    "key_factor_remove": lambda w: ([w.factor()], {"reason": w.text()}),
    "key_factor_move": lambda w: ([w.factor()], {"direction": w.rng.choice(["up", "down"])}),
    "action_add": lambda w: (
        [w.hypothesis()],
        {"aim": w.rng.choice(["provoke", "prepare", "", "other"]), "text": w.text()},
    ),
    "actions_merge": lambda w: (
        [w.hypothesis()],
        {
            "actions": w.some_ids(Action, hypothesis__factor__study=w.study),
            "aim": "",
            "text": w.text(),
        },
    ),
    "action_delete": lambda w: ([w.any_id(Action, hypothesis__factor__study=w.study)], {}),
    "impact_add": lambda w: (
        [],
        {
            "hypothesis": w.hypothesis(),
            "activity": w.any_id(Activity, study=w.study),
            "competences": w.some_ids(Competence, study=w.study),
        },
    ),
    "impact_edit": lambda w: (
        [w.any_id(Impact, activity__study=w.study)],
        {"competences": w.some_ids(Competence, study=w.study)},
    ),
    "competence_delete": lambda w: ([w.any_id(Competence, study=w.study)], {}),
    "cross_impacts": lambda w: ([], _crafted_cross_impacts(w)),
    "proposals_merge": lambda w: (
        [],
        {
            "proposals": w.some_proposals(),
            "factor": w.rng.choice(["", w.factor()]),
            "title": w.text(),
        },
    ),
    "shortlist_confirm": lambda w: (
        [],
        {"factors": w.some_ids(Factor, study=w.study), "reason": w.text()},
    ),
}


def _crafted_cross_impacts(walk: Walk) -> dict[str, str]:
    """Cross-impact cells between any hypotheses of the study (merged ones, one factor's)."""
    ids = list(Hypothesis.objects.filter(factor__study=walk.study).values_list("pk", flat=True))
    if not ids:
        return {}
    return {
        f"ci-{walk.rng.choice(ids)}-{walk.rng.choice(ids)}": str(
            walk.rng.choice([-3, -1, 0, 2, 3, 5])
        )
        for _ in range(walk.rng.randint(1, 5))
    }


def _start_page(walk: Walk) -> str:
    keys = list(walk.study.factors.key().values_list("pk", flat=True))
    if keys and walk.rng.random() < 0.5:
        return reverse("workshop:factor_decisions", args=[walk.study.pk, walk.rng.choice(keys)])
    return reverse(f"workshop:{walk.rng.choice(START_PAGES)}", args=[walk.study.pk])


def _short(value: Any) -> Any:
    """A posted value as the log shows it (long texts cut)."""
    if isinstance(value, str) and len(value) > 40:
        return f"{value[:20]}...({len(value)} characters)"
    return value


def _send(walk: Walk, method: str, path: str, data: dict[str, Any], htmx: bool = False) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    if method == "GET":
        response = walk.client.get(path, headers=headers)
    else:
        response = walk.client.post(path, data, headers=headers)
    shown = {k: _short(v) for k, v in data.items() if k != "csrfmiddlewaretoken"}
    said = [str(m) for m in get_messages(response.wsgi_request)] if method == "POST" else []
    walk.log.append(
        f"{method} {path} {shown}{' (htmx)' if htmx else ''} -> {response.status_code}"
        + "".join(f"\n    {m}" for m in said)
    )
    # 409: the decisions left a state the analysis cannot use (the desk must refuse first)
    assert response.status_code < 500, walk.log[-1]
    assert response.status_code != 409, walk.log[-1]
    return response


def _any_form(walk: Walk, forms: list[Form]) -> Form:
    """A form of the page: first a kind of decision, then one of its forms (a page has a
    reword form per hypothesis, one merge form)."""
    kinds = sorted({url_name(f.action) or "" for f in forms})
    kind = walk.rng.choice(kinds)
    return walk.rng.choice([f for f in forms if url_name(f.action) == kind])


def step(walk: Walk) -> bool:
    """One move of the walk: a form of the page, a link, or a crafted request; whether it
    sent a decision."""
    if not walk.page:
        walk.page = _start_page(walk)
    response = _send(walk, "GET", walk.page, {})
    if response.status_code != 200:
        walk.page = ""
        return False
    forms, links = page_forms(walk.page, response.content.decode())
    choice = walk.rng.random()
    if forms and choice < 0.7:
        form = _any_form(walk, forms)
        response = _send(walk, "POST", form.action, fill(form, walk), form.htmx and choice < 0.3)
    elif links and choice < 0.8:
        walk.page = walk.rng.choice(links)
        return False
    else:
        name = walk.rng.choice(sorted(CRAFTED))
        args, data = CRAFTED[name](walk)
        path = reverse(f"workshop:{name}", args=[walk.study.pk, *[int(a) for a in args]])
        response = _send(walk, "POST", path, data)
    location = response.get("Location", "") if response.status_code == 302 else ""
    if url_name(location) in PAGES:
        walk.page = location
    return True


def walk(client: Client, study: Study, rng: random.Random, decisions: int, label: str) -> Walk:
    """A walk that sends `decisions` decisions; an exception in a view or an inconsistent
    state fails with the walk's `label` (its seed) and the requests sent."""
    done = Walk(client, study, rng, [label])
    sent = 0
    while sent < decisions:
        try:
            if step(done):
                sent += 1
                check_decisions_consistent(study)
        except Exception as error:
            raise AssertionError(
                "a decision broke the study:\n  "
                + "\n  ".join(done.log)
                + "\n"
                + "".join(traceback.format_exception(error))
            ) from error
    return done


# -- after a walk: every page answers, the study file analyses and reports ---------------------


def desk_pages(study: Study) -> Iterator[tuple[str, bool]]:
    """Every desk page, fragment and download of the study (and whether htmx asks for it)."""
    pk = study.pk
    for name in (
        "desk",
        "results_vote",
        "results_structure",
        "results_hypotheses",
        "results_impacts",
        "projector",
        "projector_panel",
        "key_factors",
        "action_plan",
        "impacts_table",
        "cross_impacts",
        "decisions_log",
        "proposals",
        "shortlist",
        "study_export",
    ):
        yield reverse(f"workshop:{name}", args=[pk]), False
    yield reverse("workshop:action_plan", args=[pk]), True
    for plane in ("direct", "indirect"):
        yield reverse("workshop:results_map", args=[pk, plane]), False
    for step_slug in ("factor-vote", "influence", "hypothesis-vote"):
        yield reverse("workshop:results_iterations", args=[pk, step_slug]), False
    for page in ("factor-vote", "structural-analysis", "hypotheses", "actions-and-impacts"):
        for fmt in ("csv", "xlsx"):
            yield reverse("workshop:results_download", args=[pk, page, fmt]), False
    for factor in study.factors.key():
        yield reverse("workshop:factor_decisions", args=[pk, factor.pk]), False
    for factor in study.factors.all():
        yield reverse("workshop:proposals_factor_edit", args=[pk, factor.pk]), False


def check_decisions_consistent(study: Study) -> None:
    """What the study file counts is what the desk shows: each retained hypothesis is one of
    its key factor's and stands in the scenario (not merged into another), actions and
    impacts are those of retained hypotheses, and cross-impacts link hypotheses standing in
    the scenario of two different key factors."""
    assert decision_problems(study) == []
    key = set(study.factors.key().values_list("pk", flat=True))
    merged = set(
        Hypothesis.objects.filter(factor__study=study, merged_into__isnull=False).values_list(
            "pk", flat=True
        )
    )
    retained = {}
    for factor in study.factors.exclude(retained=None).select_related("retained"):
        assert factor.retained is not None
        assert factor.pk in key, f"{factor.code} is not a key factor"
        assert factor.retained.factor_id == factor.pk, factor.code
        assert factor.retained_id not in merged, f"{factor.retained.code} is merged"
        retained[factor.retained.pk] = factor.pk
    for model, where in ((Action, "hypothesis__factor__study"), (Impact, "activity__study")):
        planned = set(model.objects.filter(**{where: study}).values_list("hypothesis", flat=True))
        assert planned <= set(retained), f"{model.__name__} of a hypothesis not retained"
    cells = CrossImpact.objects.filter(source__factor__study=study)
    for source, target, source_factor, target_factor in cells.values_list(
        "source", "target", "source__factor", "target__factor"
    ):
        assert source_factor != target_factor
        assert {source_factor, target_factor} <= key, "a cross-impact of a factor not key"
        assert not {source, target} & merged, "a cross-impact of a merged hypothesis"


def check_study_still_works(client: Client, study: Study, log: list[str]) -> None:
    """Every desk page answers (200; a map without structural analysis: 404), and an
    expert's feedback on every closed round, the decisions are consistent, and the study
    file exports, validates, analyses and reports."""
    try:
        check_decisions_consistent(study)
    except AssertionError as error:
        raise AssertionError(f"inconsistent decisions: {error}\n" + "\n".join(log)) from error
    expert = study.experts.order_by("pk").first()
    if expert is not None:
        own = expert_client_for(expert)
        for round_ in study.rounds.closed():
            path = reverse("workshop:expert_feedback", args=[study.pk, round_.pk])
            assert own.get(path).status_code == 200, path
    for path, htmx in desk_pages(study):
        response = client.get(path, headers={"HX-Request": "true"} if htmx else {})
        allowed = (200, 404) if url_name(path) == "results_map" else (200,)
        assert response.status_code in allowed, f"{path} -> {response.status_code}\n" + "\n".join(
            log
        )
        assert b'data-key="decisions-unusable"' not in response.content, path
    document = export_study(study)  # checked against the schema and the references
    analysis = analyse_study(document, resamples=20)
    context = build_report_context(document, analysis)
    assert render_bytes(context, "html")
