"""The expert's pages: what is open for them and what they have done."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from anticipe.workshop.access import expert_of_study
from anticipe.workshop.models import Round


def expert_home(request: HttpRequest, study_id: int) -> HttpResponse:
    expert = expert_of_study(request, study_id)
    rounds = expert.study.rounds.exclude(status=Round.Status.DRAFT).order_by("created_at")
    return render(
        request,
        "workshop/expert/home.html",
        {"expert": expert, "study": expert.study, "rounds": rounds},
    )


urlpatterns: list[URLPattern] = [
    path("studies/<int:study_id>/me/", expert_home, name="expert_home"),
]
