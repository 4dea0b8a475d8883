"""The expert's own list items (proposed factors in step 1, proposed actions in step 6):
changed on a page of their own, or deleted, while the round is open. One implementation,
parametrised by the model and its form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise

from anticipe.workshop.models import Expert, Round
from anticipe.workshop.views.expert.common import answering, round_context, round_url, still_open


@dataclass(frozen=True)
class OwnAnswers:
    """An expert's list of answers: its `model` (with ``round`` and ``expert``) and `form`,
    the heading of its edit page, the messages after a change and a deletion, the anchor of
    an item on the round's page and the anchor to go back to once an item is deleted."""

    model: type[Model]
    form: type[forms.ModelForm]  # type: ignore[type-arg]
    heading: Promise
    saved: Promise
    deleted: Promise
    anchor: Callable[[Any], str]
    after_delete: Callable[[Any], str]

    def own(self, expert: Expert, round_: Round, item_id: int) -> Any:
        """One of the expert's items in this round (404 for anyone else's)."""
        return get_object_or_404(self.model, pk=item_id, round=round_, expert=expert)

    def edit(
        self, request: HttpRequest, expert: Expert, round_: Round, item_id: int
    ) -> HttpResponse:
        """The item's form (GET), or its change saved (POST) and back to it on the round's
        page; the form again with its errors (400) when invalid."""
        item = self.own(expert, round_, item_id)
        still_open(round_)
        form = self.form(request.POST or None, instance=item)
        if request.method == "POST" and form.is_valid():
            with answering(round_):
                form.save()
            messages.success(request, str(self.saved))
            return redirect(round_url(round_, self.anchor(item)))
        context = round_context(
            expert,
            round_,
            form=form,
            heading=self.heading,
            back=round_url(round_, self.anchor(item)),
        )
        status = 400 if form.is_bound else 200
        return render(request, "workshop/expert/edit_answer.html", context, status=status)

    def delete(
        self, request: HttpRequest, expert: Expert, round_: Round, item_id: int
    ) -> HttpResponse:
        """Delete the item, and back to where it was on the round's page."""
        item = self.own(expert, round_, item_id)
        anchor = self.after_delete(item)
        with answering(round_):
            item.delete()
        messages.success(request, str(self.deleted))
        return redirect(round_url(round_, anchor))
