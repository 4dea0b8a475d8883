"""The home page: a facilitator's studies, an expert's open rounds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anticipe.workshop.models import Study


@login_required
def home(request: HttpRequest) -> HttpResponse:
    studies = Study.objects.visible_to(request.user)
    return render(request, "workshop/home.html", {"studies": studies})
