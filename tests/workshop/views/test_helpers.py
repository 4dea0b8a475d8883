"""The rules the views share, each written once: the next factor code, the move of an item
of an ordered list (up or down, nothing else), the refusal of a change to a published study
(a 403 page that says so, in every page family), and the answer of a list edited in place."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from anticipe.workshop import rules
from anticipe.workshop.models import Factor, Round, Study
from anticipe.workshop.views.helpers import is_htmx, move_in_order, neighbour

HTMX = {"HTTP_HX_REQUEST": "true"}
PUBLISHED = "This study is published: reopen it before changing it."


def text(response: Any) -> str:
    return str(response.content.decode())


def with_factors(study: Study, codes: list[str]) -> Study:
    study.factors.all().delete()
    for position, code in enumerate(codes):
        Factor.objects.create(study=study, code=code, title=f"Factor {code}", position=position)
    return study


# -- the next factor code ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([], "A1"),
        (["A1", "A2", "B5"], "A3"),  # the study's series, not the stray code's (B6)
        (["F1", "F2", "F3", "F4"], "F5"),
        (["A1", "A3"], "A4"),  # after the highest of the series, gaps stay gaps
        (["F1", "F2", "A9"], "F3"),
        (["x-1", "A1"], "A2"),  # codes outside any series are ignored
    ],
)
def test_next_factor_code(study: Study, codes: list[str], expected: str) -> None:
    assert rules.next_factor_code(with_factors(study, codes)) == expected


def test_the_factors_page_suggests_the_same_code(study: Study, facilitator_client: Client) -> None:
    with_factors(study, ["A1", "A2", "B5"])
    page = text(facilitator_client.get(reverse("workshop:factors", args=[study.pk])))
    assert 'value="A3"' in page
    assert 'value="B6"' not in page


# -- ordered lists -------------------------------------------------------------------------------


def test_neighbour_and_move_in_order(study: Study) -> None:
    factors = list(with_factors(study, ["A1", "A2", "A3"]).factors.order_by("position"))
    first, second, third = factors
    assert neighbour(factors, first, "up") is None
    assert neighbour(factors, first, "down") == (0, 1)
    assert neighbour(factors, third, "down") is None
    with pytest.raises(KeyError):
        neighbour(factors, second, "sideways")
    assert move_in_order(list(factors), third, "up")
    assert list(study.factors.order_by("position").values_list("code", flat=True)) == [
        "A1",
        "A3",
        "A2",
    ]
    assert not move_in_order(list(study.factors.order_by("position")), first, "up")


def test_move_among_a_part_of_the_list(study: Study) -> None:
    """An item moves past its group's neighbour, whatever lies between them."""
    factors = list(with_factors(study, ["A1", "B1", "A2", "B2"]).factors.order_by("position"))
    group = [f for f in factors if f.code.startswith("A")]
    assert move_in_order(factors, group[1], "up", among=group)
    assert list(study.factors.order_by("position").values_list("code", flat=True)) == [
        "A2",
        "B1",
        "A1",
        "B2",
    ]


def move_urls(study: Study) -> list[str]:
    pk = study.pk
    activity = study.activities.get(code="1")
    task = activity.tasks.first()
    assert task is not None
    f1 = study.factors.get(code="F1")
    hypothesis = f1.hypotheses.get(code="F1-A")
    action = f1.hypotheses.get(code="F1-B").actions.get()
    return [
        reverse("workshop:activity_move", args=[pk, activity.pk]),
        reverse("workshop:task_move", args=[pk, task.pk]),
        reverse("workshop:factor_move", args=[pk, f1.pk]),
        reverse("workshop:key_factor_move", args=[pk, f1.pk]),
        reverse("workshop:hypothesis_move", args=[pk, hypothesis.pk]),
        reverse("workshop:action_move", args=[pk, action.pk]),
    ]


@pytest.mark.parametrize("direction", ["sideways", "", "UP", "Down"])
def test_every_move_refuses_another_direction(
    study: Study, facilitator_client: Client, direction: str
) -> None:
    events = study.audit_events.count()
    for url in move_urls(study):
        response = facilitator_client.post(url, {"direction": direction})
        assert response.status_code == 400, url
    missing = facilitator_client.post(move_urls(study)[-1], {})
    assert missing.status_code == 400
    assert study.audit_events.count() == events


def test_every_move_takes_up_and_down(study: Study, facilitator_client: Client) -> None:
    for url in move_urls(study):
        for direction in ("down", "up"):
            response = facilitator_client.post(url, {"direction": direction})
            assert response.status_code in (200, 302), url


# -- a published study is read-only ----------------------------------------------------------------


def changes(study: Study) -> list[tuple[str, dict[str, Any]]]:
    """One change of each page family: setup, rounds, syntheses, decisions."""
    pk = study.pk
    f1 = study.factors.get(code="F1")
    draft = Round.objects.create(study=study, step=Round.Step.PROPOSALS, iteration=9)
    return [
        (reverse("workshop:factor_add", args=[pk]), {"factor-code": "Z1", "factor-title": "Z"}),
        (reverse("workshop:study_edit", args=[pk]), {"title": "Changed"}),
        (reverse("workshop:round_create", args=[pk, "impacts"]), {}),
        (reverse("workshop:round_open", args=[pk, draft.pk]), {}),
        (reverse("workshop:proposals_merge", args=[pk]), {"proposals": [], "title": "New"}),
        (reverse("workshop:proposals_factor_edit", args=[pk, f1.pk]), {"title": "New"}),
        (reverse("workshop:shortlist_confirm", args=[pk]), {"factors": [f1.pk]}),
        (reverse("workshop:key_factor_move", args=[pk, f1.pk]), {"direction": "down"}),
        (reverse("workshop:factor_situation", args=[pk, f1.pk]), {"current_situation": "Now."}),
    ]


def test_a_published_study_is_refused_with_one_page(
    study: Study, facilitator_client: Client
) -> None:
    attempts = changes(study)
    Study.objects.filter(pk=study.pk).update(status=Study.Status.PUBLISHED)
    events = study.audit_events.count()
    for url, data in attempts:
        for extra in ({}, HTMX):
            response = facilitator_client.post(url, data, **extra)
            assert response.status_code == 403, url
            assert PUBLISHED in text(response), url
    assert study.audit_events.count() == events


def test_the_refusal_is_in_the_page_language(study: Study, facilitator_client: Client) -> None:
    Study.objects.filter(pk=study.pk).update(status=Study.Status.PUBLISHED)
    url = reverse("workshop:factor_add", args=[study.pk])
    response = facilitator_client.post(url, {}, headers={"Accept-Language": "fr"})
    assert response.status_code == 403
    assert "Cette étude est publiée" in text(response)


def test_reading_a_published_study_is_not_refused(study: Study, facilitator_client: Client) -> None:
    Study.objects.filter(pk=study.pk).update(status=Study.Status.PUBLISHED)
    f1 = study.factors.get(code="F1")
    for url in (
        reverse("workshop:factors", args=[study.pk]),
        reverse("workshop:proposals", args=[study.pk]),
        reverse("workshop:proposals_factor_edit", args=[study.pk, f1.pk]),
        reverse("workshop:key_factors", args=[study.pk]),
    ):
        assert facilitator_client.get(url).status_code == 200, url


# -- htmx and the lists edited in place ----------------------------------------------------------


def test_is_htmx() -> None:
    from django_htmx.middleware import HtmxMiddleware

    factory = RequestFactory()
    middleware = HtmxMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    plain, htmx = factory.get("/"), factory.get("/", **HTMX)  # type: ignore[arg-type]
    middleware(plain)
    middleware(htmx)
    assert not is_htmx(plain)
    assert is_htmx(htmx)
    assert not is_htmx(factory.get("/"))  # without the middleware


@pytest.mark.parametrize(
    ("name", "element"),
    [("perimeter", "#perimeter"), ("factors", "#factors"), ("members", "#members")],
)
def test_a_list_answers_its_partial_for_htmx(
    study: Study, facilitator_client: Client, name: str, element: str
) -> None:
    url = reverse(f"workshop:{name}", args=[study.pk])
    partial = facilitator_client.get(url, **HTMX)  # type: ignore[arg-type]
    assert partial["HX-Retarget"] == element
    assert partial["HX-Reswap"] == "outerHTML"
    assert "<html" not in text(partial)
    page = facilitator_client.get(url)
    assert "<html" in text(page)
    assert "HX-Retarget" not in page
