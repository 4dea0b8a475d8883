"""What every page family's views share, each rule once: whether a request comes from htmx,
a form's posted data, moving an item of an ordered list up or down, and the answer of a list
edited in place (perimeter, factors, members, the action plan).

The refusal of a change to a published study is a fetch-and-authorise step:
:func:`anticipe.workshop.access.editable_study`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from anticipe.workshop.models import AuditEvent, Study

# A move's direction, as posted by the up and down buttons, and the step it takes in a list.
DIRECTIONS = {"up": -1, "down": 1}


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (django-htmx's middleware sets ``request.htmx``)."""
    return bool(getattr(request, "htmx", False))


def posted(request: HttpRequest, *, files: bool = False) -> tuple[Any, ...]:
    """A form's data: what was posted (even nothing), or none on GET (an unbound form)."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def leave_for(request: HttpRequest, url: str) -> HttpResponse:
    """Go to `url` (the whole page, also from htmx)."""
    if is_htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


# -- ordered lists ---------------------------------------------------------------------------


def posted_direction(request: HttpRequest) -> str:
    """The direction of a move, "up" or "down"; anything else is a bad request (400)."""
    direction = request.POST.get("direction", "")
    if direction not in DIRECTIONS:
        raise BadRequest("direction must be up or down")
    return direction


def neighbour(items: Sequence[Model], item: Model, direction: str) -> tuple[int, int] | None:
    """The index of `item` in `items` and of its neighbour in `direction`, or None when it
    is not in the list or already at that end."""
    step = DIRECTIONS[direction]  # KeyError: a direction that was not checked
    index = next((k for k, other in enumerate(items) if other.pk == item.pk), None)
    if index is None or not 0 <= index + step < len(items):
        return None
    return index, index + step


def move_in_order(
    items: list[Any],
    item: Model,
    direction: str,
    field: str = "position",
    among: Sequence[Model] | None = None,
) -> bool:
    """Swap `item` with its neighbour in `items` (already in order), or with its neighbour
    in `among` (a part of `items`: the actions of one hypothesis in the study's order of
    actions), and renumber `field` 0, 1, 2...; False when it is already at that end."""
    group = list(items if among is None else among)
    found = neighbour(group, item, direction)
    if found is None:
        return False
    index = {candidate.pk: k for k, candidate in enumerate(items)}
    first, second = index[group[found[0]].pk], index[group[found[1]].pk]
    items[first], items[second] = items[second], items[first]
    changed = []
    for position, candidate in enumerate(items):
        if getattr(candidate, field) != position:
            setattr(candidate, field, position)
            changed.append(candidate)
    type(item)._default_manager.bulk_update(changed, [field])
    return True


def moved(
    request: HttpRequest,
    study: Study,
    items: list[Any],
    item: Model,
    action: str,
    field: str = "position",
    among: Sequence[Model] | None = None,
    **detail: Any,
) -> bool:
    """Move `item` of `items` (in order) up or down as posted (400 for another direction;
    `field` and `among` as for :func:`move_in_order`), recorded in the audit log as
    `action` with `detail` when it moved."""
    direction = posted_direction(request)
    with transaction.atomic():
        if not move_in_order(items, item, direction, field, among):
            return False
        AuditEvent.record(study, request.user, action, **detail, direction=direction)
    return True


def next_position(items: QuerySet[Any], field: str = "position") -> int:
    """The position after the last of `items` (0 for none)."""
    highest = items.aggregate(highest=Max(field))["highest"]
    return 0 if highest is None else highest + 1


# -- lists edited in place (htmx partials) ------------------------------------------------------

# What a list shows: (request, study, state after an action or None, problem to show).
ListContext = Callable[[HttpRequest, Study, Any, str], dict[str, Any]]


@dataclass(frozen=True)
class EditableList:
    """A list edited in place (perimeter, factors, members, the action plan): its page, the
    partial the page includes and that every add/edit/delete/move endpoint answers alone for
    htmx, the partial's element id, the page's URL name (where an endpoint goes back to without
    JavaScript) and what the list shows."""

    page: str
    partial: str
    element: str
    url_name: str
    context: ListContext

    def response(
        self, request: HttpRequest, study: Study, state: Any = None, problem: str = ""
    ) -> HttpResponse:
        """The list alone for htmx (swapped in as a whole, whatever the form's target),
        else the page."""
        context = self.context(request, study, state, problem)
        if is_htmx(request):
            response = render(request, self.partial, context)
            return reswap(retarget(response, f"#{self.element}"), "outerHTML")
        return render(request, self.page, context)

    def back(
        self, request: HttpRequest, study: Study, problem: str = "", *, done: str = ""
    ) -> HttpResponse:
        """After an action: the refreshed list for htmx (the problem, if any, in it), else
        back to the page with the problem, or else what was `done`, as a message (the list
        itself shows what changed: htmx gets no message)."""
        if is_htmx(request):
            return self.response(request, study, problem=problem)
        if problem:
            messages.error(request, problem)
        elif done:
            messages.success(request, done)
        return redirect(self.url_name, study_id=study.pk)

    def added(self, request: HttpRequest, study: Study, state: Any) -> HttpResponse:
        """After an item is added: the list in `state` (its add form ready for the next
        one) for htmx, else back to the page."""
        if is_htmx(request):
            return self.response(request, study, state)
        return redirect(self.url_name, study_id=study.pk)


def item_form_response(
    request: HttpRequest, partial: str, page: str, context: dict[str, Any]
) -> HttpResponse:
    """The form editing one item of a list: in place for htmx (`partial`), else its own
    `page`; the cursor in its title."""
    context["form"].fields["title"].widget.attrs["autofocus"] = True
    return render(request, partial if is_htmx(request) else page, context)
