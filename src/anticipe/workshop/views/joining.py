"""Experts get in without a password: a personal invitation link, or the study code
shown on the projector plus their name."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from anticipe.workshop.access import remember_expert
from anticipe.workshop.forms.panel import JoinForm
from anticipe.workshop.models import Expert, Invitation, Study, token_digest


def join(request: HttpRequest) -> HttpResponse:
    """Join a study live in the room with its code and a name."""
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            study = Study.objects.select_for_update().get(join_code=form.cleaned_data["code"])
            expert = Expert.objects.create(
                study=study,
                code=study.next_expert_code(),
                name=form.cleaned_data["name"],
                sector=form.cleaned_data["sector"],
            )
            remember_expert(request, expert)
        messages.success(request, _("Welcome! You have joined the panel."))
        return redirect("workshop:expert_home", study_id=study.pk)
    return render(request, "workshop/joining/join.html", {"form": form})


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A personal invitation link: single use, expiring; no password to remember."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("expert__study")
            .filter(digest=token_digest(token))
            .first()
        )
        if invitation is None or not invitation.is_usable():
            return render(
                request,
                "workshop/joining/invitation_invalid.html",
                {"used": invitation is not None and invitation.used_at is not None},
                status=410 if invitation is not None else 404,
            )
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        remember_expert(request, invitation.expert)
    return redirect("workshop:expert_home", study_id=invitation.expert.study_id)


urlpatterns = [
    path("join/", join, name="join"),
    path("invitation/<str:token>/", accept_invitation, name="invitation"),
]
