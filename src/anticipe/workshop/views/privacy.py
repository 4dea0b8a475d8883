"""Personal data: a page for everyone on what the site keeps, who sees what and for how
long; and an expert's rights over their own data, exercised by the expert from their pages
or by a facilitator from the panel: take them away (a JSON file) and erase them (name,
e-mail and organisation blanked, every way in revoked; the answers stay under the
pseudonym, so the study's results do not change)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anticipe.workshop.access import SESSION_KEY, expert_of_study, facilitated_study
from anticipe.workshop.models import AuditEvent, Expert
from anticipe.workshop.views.panel import study_expert

# -- shared by the expert's and the facilitator's endpoints ------------------------------------


def personal_data_download(expert: Expert) -> HttpResponse:
    """The expert's personal data as a JSON file."""
    text = json.dumps(expert.personal_data(), ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")
    # Named after the person, never the pseudonym (a file name is one more place where a
    # name could stand beside the code under which the answers are kept).
    name = slugify(expert.name) or "expert"
    response["Content-Disposition"] = content_disposition_header(
        True, f"anticipe-personal-data-{name}.json"
    )
    return response


def erase_expert(request: HttpRequest, expert: Expert, *, by: str) -> None:
    """Erase the expert's personal data and record it in the study's audit log, by code
    only (the erased data appear nowhere)."""
    already = expert.is_erased()
    expert.erase()
    if not already:
        AuditEvent.record(expert.study, request.user, "expert_erased", expert=expert.code, by=by)


def personal_data_page(
    request: HttpRequest, expert: Expert, *, export_url: str, erase_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "workshop/privacy/personal_data.html",
        {
            "study": expert.study,
            "expert": expert,
            "export_url": export_url,
            "erase_url": erase_url,
            **extra,
        },
    )


# -- everyone ---------------------------------------------------------------------------------


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """What the site keeps, who sees what, for how long."""
    return render(
        request,
        "workshop/privacy/privacy.html",
        {
            "login_window_minutes": max(1, round(settings.LOGIN_WINDOW / 60)),
            "session_days": round(settings.SESSION_COOKIE_AGE / 86400),
            "contact": settings.PRIVACY_CONTACT,
        },
    )


# -- the facilitator, from the panel --------------------------------------------------------------


@login_required
@require_GET
def expert_personal_data(request: HttpRequest, study_id: int, expert_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    expert = study_expert(study, expert_id)
    return personal_data_page(
        request,
        expert,
        export_url=reverse("workshop:expert_personal_data_export", args=[study.pk, expert.pk]),
        erase_url=reverse("workshop:expert_erase", args=[study.pk, expert.pk]),
        by_facilitator=True,
    )


@login_required
@require_GET
def expert_personal_data_export(
    request: HttpRequest, study_id: int, expert_id: int
) -> HttpResponse:
    study = facilitated_study(request, study_id)
    return personal_data_download(study_expert(study, expert_id))


@login_required
@require_POST
def expert_erase(request: HttpRequest, study_id: int, expert_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    expert = study_expert(study, expert_id)
    erase_expert(request, expert, by="facilitator")
    messages.success(
        request,
        _("The personal data of %(code)s are erased; their answers stay under %(code)s.")
        % {"code": expert.code},
    )
    return redirect("workshop:panel", study_id=study.pk)


# -- the expert, from their pages -------------------------------------------------------------


@require_GET
def my_personal_data(request: HttpRequest, study_id: int) -> HttpResponse:
    expert = expert_of_study(request, study_id)
    return personal_data_page(
        request,
        expert,
        export_url=reverse("workshop:my_personal_data_export", args=[expert.study_id]),
        erase_url=reverse("workshop:my_erase", args=[expert.study_id]),
        by_facilitator=False,
    )


@require_GET
def my_personal_data_export(request: HttpRequest, study_id: int) -> HttpResponse:
    return personal_data_download(expert_of_study(request, study_id))


@require_POST
def my_erase(request: HttpRequest, study_id: int) -> HttpResponse:
    """The expert erases their own data: this browser is signed out of the study too."""
    expert = expert_of_study(request, study_id)
    erase_expert(request, expert, by="expert")
    known = dict(request.session.get(SESSION_KEY, {}))
    known.pop(str(study_id), None)
    request.session[SESSION_KEY] = known
    messages.success(
        request,
        _(
            "Your name, e-mail address and organisation are erased, and this device is "
            "signed out of the study. Your answers stay, anonymous."
        ),
    )
    return redirect("workshop:privacy")


urlpatterns: list[URLPattern] = [
    path("privacy/", privacy, name="privacy"),
    path(
        "studies/<int:study_id>/panel/experts/<int:expert_id>/personal-data/",
        expert_personal_data,
        name="expert_personal_data",
    ),
    path(
        "studies/<int:study_id>/panel/experts/<int:expert_id>/personal-data.json",
        expert_personal_data_export,
        name="expert_personal_data_export",
    ),
    path(
        "studies/<int:study_id>/panel/experts/<int:expert_id>/erase/",
        expert_erase,
        name="expert_erase",
    ),
    path("studies/<int:study_id>/me/personal-data/", my_personal_data, name="my_personal_data"),
    path(
        "studies/<int:study_id>/me/personal-data.json",
        my_personal_data_export,
        name="my_personal_data_export",
    ),
    path("studies/<int:study_id>/me/erase/", my_erase, name="my_erase"),
]
