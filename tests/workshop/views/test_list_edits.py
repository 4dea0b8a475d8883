"""The desk's lists edited through the one list-edit answer
(:class:`anticipe.workshop.views.helpers.EditableList`): with htmx every edit answers the list
alone (no message kept for the next page); without JavaScript it goes back to the page with
the same message as before."""

from __future__ import annotations

from typing import Any

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import Action, Hypothesis, Study

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def url(name: str, *args: Any) -> str:
    return reverse(f"workshop:{name}", args=list(args))


def text(response: Any) -> str:
    return str(response.content.decode())


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def edits(study: Study) -> list[tuple[str, dict[str, Any], str]]:
    """Every edit of the action plan, in an order that works: (URL, data, message without
    JavaScript)."""
    b = Hypothesis.objects.get(factor__study=study, code="F1-B")
    first = b.actions.order_by("position").first()
    assert first is not None
    return [
        (url("action_add", study.pk, b.pk), {"aim": "prepare", "text": "Equip."}, "Action added."),
        (url("action_edit", study.pk, first.pk), {"aim": "", "text": "Train."}, "Action saved."),
        (url("action_move", study.pk, first.pk), {"direction": "down"}, ""),
    ]


def test_the_action_plan_page_includes_its_list(study: Study, facilitator_client: Client) -> None:
    page = text(facilitator_client.get(url("action_plan", study.pk)))
    assert '<div id="action-plan">' in page
    assert (
        f'hx-post="{url("action_add", study.pk, Hypothesis.objects.get(code="F1-B").pk)}"' in page
    )
    partial = facilitator_client.get(url("action_plan", study.pk), **HTMX)
    assert partial["HX-Retarget"] == "#action-plan"
    assert text(partial).lstrip().startswith('<div id="action-plan">')


def test_an_action_plan_edit_answers_the_list_to_htmx(
    study: Study, facilitator_client: Client
) -> None:
    for target, data, _message in edits(study):
        response = facilitator_client.post(target, data, **HTMX)
        assert response.status_code == 200, target
        assert response["HX-Retarget"] == "#action-plan"
        assert response["HX-Reswap"] == "outerHTML"
        assert "<html" not in text(response)
        assert messages_of(response) == [], target  # nothing left for the next page
    page = text(facilitator_client.get(url("action_plan", study.pk), **HTMX))
    assert page.index("Equip.") < page.index("Train.")  # added, reworded, moved down


def test_without_javascript_an_action_plan_edit_goes_back_with_its_message(
    study: Study, facilitator_client: Client
) -> None:
    for target, data, message in edits(study):
        response = facilitator_client.post(target, data)
        assert response.status_code == 302, target
        assert response["Location"] == url("action_plan", study.pk)
        assert messages_of(response) == ([message] if message else [])
        facilitator_client.get(response["Location"])  # the page shows, and so uses, them


def test_a_refused_action_plan_edit_says_why_in_the_list_or_as_a_message(
    study: Study, facilitator_client: Client
) -> None:
    b = Hypothesis.objects.get(factor__study=study, code="F1-B")
    merge = url("actions_merge", study.pk, b.pk)
    data = {"actions": [b.actions.first().pk], "text": "One."}  # type: ignore[union-attr]
    response = facilitator_client.post(merge, data, **HTMX)
    assert response["HX-Retarget"] == "#action-plan"
    assert "Choose at least two actions of this hypothesis to merge." in text(response)
    response = facilitator_client.post(merge, data)
    assert response.status_code == 302
    assert messages_of(response) == ["Choose at least two actions of this hypothesis to merge."]
    count = Action.objects.count()
    response = facilitator_client.post(url("action_add", study.pk, b.pk), {"text": ""}, **HTMX)
    assert 'class="message error"' in text(response)
    assert Action.objects.count() == count
