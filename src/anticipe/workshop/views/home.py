"""The home page: a facilitator's studies, an expert's open rounds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anticipe.workshop.models import Study


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's studies; archived ones only when asked (``?archived=1``)."""
    visible = Study.objects.visible_to(request.user)
    archived = request.GET.get("archived") == "1"
    studies = visible.archived() if archived else visible.not_archived()
    return render(
        request,
        "workshop/home.html",
        {
            "studies": studies,
            "showing_archived": archived,
            "archived_count": 0 if archived else visible.archived().count(),
        },
    )
