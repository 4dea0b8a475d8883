"""Support for the workshop's tests (no test here): clients, rounds and pages shared by
several test modules, reading the numbers a page shows, and a large simulated study (40
experts x 30 factors) for the query-count tests and the benchmark
``benchmarks/bench_results_pages.py``.

Fixtures (personas, the test study) are in ``tests/workshop/conftest.py``; plain helpers are
here so that a test module never imports another test module.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from anticipe.study.study_file import check_study
from anticipe.workshop.access import remember_expert
from anticipe.workshop.models import Expert, Round, Study

HTMX = {"HTTP_HX_REQUEST": "true"}  # the header htmx sends with its requests
ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]
NB = "\u00a0"  # French typography

# -- clients ---------------------------------------------------------------------------------


def expert_client_for(expert: Expert) -> Client:
    """A browser signed in as `expert` (as after following an invitation link)."""
    client = Client()
    request = HttpRequest()
    request.session = client.session
    remember_expert(request, expert)
    request.session.save()
    client.cookies["sessionid"] = request.session.session_key
    return client


# -- studies and rounds ----------------------------------------------------------------------


def published(study: Study) -> Study:
    study.status = Study.Status.PUBLISHED
    study.save(update_fields=["status"])
    return study


def round_of(study: Study, step: str, iteration: int = 1) -> Round:
    return study.rounds.get(step=step, iteration=iteration)


def open_round(study: Study, step: str, settings: dict[str, Any] | None = None) -> Round:
    """A new open round of `step` (the next iteration if the study already had one)."""
    iteration = study.rounds.filter(step=step).count() + 1
    round_ = Round.objects.create(
        study=study, step=step, iteration=iteration, settings=settings or {}
    )
    round_.open()
    return round_


def first_round(study: Study, step: str, settings: dict[str, Any] | None = None) -> Round:
    """An open first iteration of `step`, the expert starting from nothing: the step's
    rounds the study was imported with are removed, with their answers (an open later
    iteration would fill in each expert's earlier answers: docs/delphi.md)."""
    study.rounds.filter(step=step).delete()
    return open_round(study, step, settings)


def draft_iteration(study: Study, step: str) -> Round:
    """The next iteration of a step, prepared and not opened."""
    latest = study.rounds.filter(step=step).order_by("-iteration").first()
    iteration = latest.iteration + 1 if latest else 1
    settings = dict(latest.settings) if latest else {}
    return Round.objects.create(study=study, step=step, iteration=iteration, settings=settings)


def page_url(round_: Round) -> str:
    """The expert's page of a round."""
    return reverse("workshop:expert_answer", args=[round_.study_id, round_.pk])


def url(name: str, round_: Round, *more: int) -> str:
    """An expert's URL of a round: ``url("expert_vote_save", round_)``."""
    return reverse(f"workshop:{name}", args=[round_.study_id, round_.pk, *more])


# -- reading pages ---------------------------------------------------------------------------


def text(response: Any) -> str:
    """A response's body as text."""
    return str(response.content.decode())


class _Assets(HTMLParser):
    """The stylesheets and scripts a page references."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("src"):
            self.paths.append(str(values["src"]))
        if tag == "link" and values.get("rel") == "stylesheet" and values.get("href"):
            self.paths.append(str(values["href"]))


def page_weight(html: str) -> tuple[int, list[str]]:
    """Bytes of the page and of the static files it references (a first visit), and
    those files."""
    parser = _Assets()
    parser.feed(html)
    total = len(html.encode("utf-8"))
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    for address in parser.paths:
        assert address.startswith(prefix), address  # no external request
        found = finders.find(address.removeprefix(prefix))
        assert found, address
        total += Path(str(found)).stat().st_size
    return total, parser.paths


class _Values(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "data-key" in found and found["data-key"] is not None:
            self.values[found["data-key"]] = found.get("data-value")


def shown_values(html: bytes | str) -> dict[str, str | None]:
    """Every ``data-key`` of a page and its ``data-value`` (the exact number shown)."""
    parser = _Values()
    parser.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    return parser.values


def visible_text(html: bytes | str) -> str:
    """The text of a page's main content, without its markup (nor tokens in attributes)."""
    text = html.decode("utf-8") if isinstance(html, bytes) else html
    if "<main" in text:
        text = text.split("<main", 1)[1]
    return re.sub(r"<[^>]*>", " ", text)


def shown_float(values: dict[str, str | None], key: str) -> float:
    value = values[key]
    assert value is not None, key
    return float(value)


# -- a large simulated study -----------------------------------------------------------------

SIMULATION_NOTE = (
    "Simulated study for tests and benchmarks: a generated panel, generated ballots, "
    "influence matrices and hypothesis votes. Not the answers of real experts."
)


def simulated_study(n_experts: int = 40, n_factors: int = 30, *, seed: int = 7) -> dict[str, Any]:
    """A complete, valid study file document with a simulated panel (labelled as such):
    ballots, an influence matrix per expert over every factor, six key factors with four
    hypotheses each and everyone's votes, actions, competences, impacts and cross-impacts."""
    rng = np.random.default_rng(seed)
    codes = [f"F{i + 1:02d}" for i in range(n_factors)]
    experts = [f"E{i + 1:02d}" for i in range(n_experts)]
    activities = [f"{i + 1}" for i in range(8)]
    document: dict[str, Any] = {
        "anticipe_study": "1.0",
        "language": "en",
        "job": {"title": f"Simulated job ({n_experts} experts, {n_factors} factors)"},
        "horizon": {"years_min": 3, "years_max": 5, "label": "2030"},
        "simulation": {
            "simulated": ["panel", "factor_vote", "influence_matrices", "hypothesis_votes"],
            "seed": seed,
            "generator": "tests.workshop.support.simulated_study",
            "note": SIMULATION_NOTE,
        },
        "perimeter": {"activities": [{"code": a, "title": f"Activity {a}"} for a in activities]},
        "panel": [
            {
                "id": e,
                "sector": ("academic", "training", "employment", "public")[k % 4],
                "simulated": True,
            }
            for k, e in enumerate(experts)
        ],
        "factors": [{"code": c, "title": f"Change factor {c}"} for c in codes],
    }
    ballots = []
    for expert in experts:
        chosen = rng.choice(n_factors, size=4, replace=False)
        scores = {codes[i]: p for i, p in zip(chosen, (4, 3, 2, 1), strict=True)}
        ballots.append({"expert": expert, "scores": scores})
    document["factor_vote"] = {
        "method": "points",
        "points_per_expert": 10,
        "shortlist_size": n_factors,
        "ballots": ballots,
        "shortlist": codes,
    }
    base = rng.uniform(0, 3, size=(n_factors, n_factors))
    matrices = []
    for expert in experts:
        noisy = np.clip(np.rint(base + rng.normal(0, 0.7, size=base.shape)), 0, 3).astype(int)
        rows: list[list[Any]] = noisy.tolist()
        for i in range(n_factors):
            rows[i][i] = 0
            j = int(rng.integers(n_factors))
            if j != i and rng.random() < 0.05:
                rows[i][j] = "P"
        matrices.append({"expert": expert, "rows": rows})
    document["structural_analysis"] = {"factors": codes, "matrices": matrices}
    keys = codes[:6]
    document["key_factors"] = [{"code": c, "origin": "selection"} for c in keys[:5]] + [
        {"code": keys[5], "origin": "addition", "reason": "Asked for by the panel."}
    ]
    blocks = []
    votes = []
    for key in keys:
        hypotheses = [
            {"code": f"{key}-{label}", "label": label, "text": f"Hypothesis {label} of {key}."}
            for label in "ABCD"
        ]
        blocks.append(
            {
                "factor": key,
                "current_situation": f"Today, {key} is stable.",
                "hypotheses": hypotheses,
                "actions_can_reach_desirable": bool(rng.random() < 0.5),
            }
        )
        for expert in experts:
            for hypothesis in hypotheses:
                votes.append(
                    {
                        "expert": expert,
                        "hypothesis": hypothesis["code"],
                        "probability": int(rng.integers(1, 5)),
                        "desirability": None if rng.random() < 0.03 else int(rng.integers(1, 5)),
                    }
                )
    document["hypotheses"] = {
        "probability_scale": {"min": 1, "max": 4},
        "desirability_scale": {"min": 1, "max": 4},
        "factors": blocks,
        "votes": votes,
    }
    retained = [f"{key}-A" for key in keys]
    for block, code in zip(blocks, retained, strict=True):
        block["retained"] = {"hypothesis": code, "decision": "override", "reason": "Simulated."}
    document["cross_impacts"] = {
        "judgements": [
            {"source": f"{a}-A", "target": f"{b}-B", "value": int(rng.integers(-3, 4))}
            for a in keys
            for b in keys
            if a != b
        ]
    }
    document["actions"] = [
        {"hypothesis": code, "aim": ("provoke", "prepare")[k % 2], "text": f"Action {k} on {code}."}
        for k, code in enumerate(retained * 2)
    ]
    document["competences"] = [{"code": f"C{k}", "text": f"Competence {k}"} for k in range(1, 11)]
    document["impacts"] = [
        {
            "hypothesis": code,
            "activity": activities[(k + j) % len(activities)],
            "competences": [f"C{(k + j) % 10 + 1}", f"C{(k + 2 * j) % 10 + 1}"],
        }
        for k, code in enumerate(retained)
        for j in range(3)
    ]
    for impact in document["impacts"]:
        impact["competences"] = sorted(set(impact["competences"]), key=lambda c: int(c[1:]))
    check_study(document)
    return document
