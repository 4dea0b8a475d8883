"""The projector view for the room, and the pages' compliance with the Content-Security-
Policy (no inline script, style or event handler) and accessibility basics."""

from __future__ import annotations

import re
from typing import Any

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anticipe.workshop.models import FactorPoints, Round, Study
from anticipe.workshop.views.desk.projector import _hypothesis_lines
from tests.workshop.support import shown_values


def test_the_projector_refreshes_itself(study: Study, facilitator_client: Client) -> None:
    response = facilitator_client.get(reverse("workshop:projector", args=[study.pk]))
    html = response.content.decode()
    assert re.search(r'<body class="projector"', html)
    panel = reverse("workshop:projector_panel", args=[study.pk])
    assert f'hx-get="{panel}"' in html
    assert 'hx-trigger="every 5s"' in html
    assert 'hx-swap="outerHTML"' in html


def test_the_projector_shows_the_open_round_and_the_answers_coming_in(
    study: Study, facilitator_client: Client
) -> None:
    first = study.rounds.get(step=Round.Step.FACTOR_VOTE)
    second = Round.objects.create(
        study=study, step=first.step, iteration=2, settings=dict(first.settings)
    )
    second.open()
    panel = reverse("workshop:projector_panel", args=[study.pk])
    shown = shown_values(facilitator_client.get(panel).content)
    assert shown["join-code"] is None
    assert shown["answered"] == "0"
    html = facilitator_client.get(panel).content.decode()
    assert study.join_code in html
    assert reverse("workshop:join") in html
    factor = study.factors.get(code="F1")
    for expert in study.experts.filter(code__in=["E1", "E2"]):
        FactorPoints.objects.create(round=second, expert=expert, factor=factor, points=4)
    FactorPoints.objects.create(
        round=second,
        expert=study.experts.get(code="E1"),
        factor=study.factors.get(code="F2"),
        points=6,
    )
    response = facilitator_client.get(panel)
    assert shown_values(response.content)["answered"] == "2"  # experts, not answers
    assert "<html" not in response.content.decode()
    # once closed: its results, for the room
    second.close()
    html = facilitator_client.get(panel).content.decode()
    assert "Financement" in html  # F2 leads the ranking now
    assert 'data-key="answered"' not in html


def test_the_projector_is_for_facilitators(
    study: Study, observer_client: Client, expert_client: Client
) -> None:
    study.status = Study.Status.PUBLISHED
    study.save()
    for name in ("projector", "projector_panel"):
        url = reverse(f"workshop:{name}", args=[study.pk])
        assert observer_client.get(url).status_code == 404
        assert expert_client.get(url).status_code == 404


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(r"<style", re.I),
    re.compile(r"javascript:", re.I),
]


def desk_pages(study: Study) -> list[str]:
    pk = study.pk
    factor = study.factors.get(code="F1")
    names = [
        "desk",
        "results_vote",
        "results_structure",
        "results_hypotheses",
        "results_impacts",
        "key_factors",
        "action_plan",
        "impacts_table",
        "cross_impacts",
        "decisions_log",
        "projector",
    ]
    urls = [reverse(f"workshop:{name}", args=[pk]) for name in names]
    urls.append(reverse("workshop:factor_decisions", args=[pk, factor.pk]))
    urls += [
        reverse("workshop:results_iterations", args=[pk, step])
        for step in ("factor-vote", "influence", "hypothesis-vote")
    ]
    return urls


def test_no_inline_script_style_or_handler(
    study: Study, facilitator_client: Client, expert_client: Client
) -> None:
    pages: list[tuple[Client, str]] = [(facilitator_client, url) for url in desk_pages(study)]
    pages += [
        (expert_client, reverse("workshop:expert_feedback", args=[study.pk, r.pk]))
        for r in study.rounds.all()
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"]
        html = response.content.decode()
        for pattern in INLINE:
            assert not pattern.search(html), (url, pattern.pattern)


def test_form_controls_have_labels(study: Study, facilitator_client: Client) -> None:
    for url in desk_pages(study):
        html = facilitator_client.get(url).content.decode()
        labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        for tag, attributes in re.findall(r"<(input|select|textarea)\b([^>]*)>", html):
            if re.search(r'type="(hidden|submit)"', attributes):
                continue
            # Or named by visible headers (the cross-impacts' drop-downs: column and row).
            by = re.search(r'\saria-labelledby="([^"]+)"', attributes)
            if by is not None:
                assert set(by.group(1).split()) <= ids, (url, tag, attributes)
                continue
            found = re.search(r'\sid="([^"]+)"', attributes)
            assert found is not None, (url, tag, attributes)
            assert found.group(1) in labelled, (url, tag, attributes)


def test_marks_do_not_rely_on_colour(study: Study, facilitator_client: Client) -> None:
    """Most probable, most desirable and retained are written out, not only coloured."""
    html = facilitator_client.get(reverse("workshop:results_hypotheses", args=[study.pk]))
    text = html.content.decode()
    start = text.index('id="hypothesis-F1-B"')
    marks: Any = re.search(r'<p class="marks">(.*?)</p>', text[start:], re.S)
    assert marks is not None
    words = re.sub(r"<[^>]+>", " ", marks.group(1))
    assert "P " in words
    assert "S " in words
    assert "★" in words
    start = text.index('id="hypothesis-F1-A"')
    marks = re.search(r'<p class="marks">(.*?)</p>', text[start:], re.S)
    assert marks is not None
    assert not re.sub(r"<[^>]+>", "", marks.group(1)).strip()


def test_a_closed_hypothesis_vote_shows_the_hypotheses_in_words(
    study: Study, facilitator_client: Client
) -> None:
    """The room reads what the most probable and most desirable hypotheses say, not a
    letter alone."""
    vote = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    vote.closed_at = timezone.now()  # the last round closed
    vote.save(update_fields=["closed_at"])
    panel = reverse("workshop:projector_panel", args=[study.pk])
    html = facilitator_client.get(panel).content.decode()
    f1 = html[html.index('id="projector-F1"') :]
    f1 = f1[: f1.index("</ul>")]
    # F1-B is the most probable and the most desirable (E1: 3, 4; E2: 3, 3 ...)
    assert "Most probable and most desirable:</span> <strong>B.</strong> L&#x27;IA arrive." in f1
    assert "Rien ne change." not in f1


def test_a_key_factor_without_a_result_says_so_and_a_tie_is_said() -> None:
    lines = _hypothesis_lines(
        {
            "hypotheses": [
                {"label": "A", "text": "a", "most_probable": True, "most_desirable": False},
                {"label": "B", "text": "b", "most_probable": True, "most_desirable": True},
                {"label": "C", "text": "c", "most_probable": False, "most_desirable": False},
            ]
        }
    )
    assert [(line["label"], str(line["mark"]), line["tie"]) for line in lines] == [
        ("A", "most probable", True),
        ("B", "most probable and most desirable", True),
    ]
    empty = {
        "hypotheses": [{"label": "A", "text": "a", "most_probable": False, "most_desirable": False}]
    }
    assert _hypothesis_lines(empty) == []


def test_the_room_reads_that_a_key_factor_has_no_result_yet(study: Study) -> None:
    html = render_to_string(
        "workshop/desk/partials/projector_panel.html",
        {
            "study": study,
            "closed_round": study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE),
            "answered": 1,
            "hypothesis_blocks": [
                {"factor": "F1", "title": "Évolution", "lines": []},
                {
                    "factor": "F3",
                    "title": "Public",
                    "lines": [{"mark": "most probable", "tie": True, "label": "A", "text": "a"}],
                },
            ],
        },
    )
    assert "<li>Nothing: too few answers</li>" in html
    assert "Most probable (tie):</span> <strong>A.</strong> a" in html
