"""Inviting the panel: the study's letters and sectors (with a preview), inviting everyone
not yet invited, importing a list of experts, the outbox (when the site has no mail server)
and the printable handout with the QR code of the join address."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anticipe.workshop.access import facilitated_study, refuse_if_published
from anticipe.workshop.expert_import import MAX_LISTED, ImportRefused, import_experts
from anticipe.workshop.forms.panel import ExpertImportForm, PanelSettingsForm
from anticipe.workshop.invitations import Kind, letter, mail_is_delivered, site_address
from anticipe.workshop.models import AuditEvent, MassMailing, PanelSettings
from anticipe.workshop.models.panel import MAX_OUTBOX_MESSAGES
from anticipe.workshop.qr import join_qr
from anticipe.workshop.tasks.mailings import start_mailing
from anticipe.workshop.views.panel import mailing_started

EXAMPLE_LINK = "https://…/invitation/…/"


def previews(letters: PanelSettings) -> list[dict[str, Any]]:
    """Both letters as an example expert would read them."""
    with translation.override(letters.study.language):
        example_name = _("Camille Example")
        example_rounds = [_("Round 1: weighted vote")]
    return [
        {
            "kind": kind,
            "letter": letter(
                kind,
                letters,
                name=example_name,
                link=EXAMPLE_LINK,
                rounds=example_rounds if kind is Kind.REMINDER else (),
            ),
        }
        for kind in Kind
    ]


@login_required
@require_http_methods(["GET", "POST"])
def panel_letters(request: HttpRequest, study_id: int) -> HttpResponse:
    """The study's sectors and its letters of invitation and reminder, with a preview."""
    study = facilitated_study(request, study_id)
    letters = PanelSettings.of(study)
    form = PanelSettingsForm(request.POST or None, instance=letters)
    if request.method == "POST":
        refuse_if_published(study)
        if form.is_valid():
            form.save()
            AuditEvent.record(study, request.user, "letters_edited", fields=form.changed_data)
            messages.success(request, _("The letters and sectors are saved."))
            return redirect("workshop:panel_letters", study_id=study.pk)
    context = {"study": study, "form": form, "previews": previews(letters)}
    return render(request, "workshop/panel/letters.html", context)


@login_required
@require_GET
def panel_letters_preview(request: HttpRequest, study_id: int) -> HttpResponse:
    """The letters as typed, not saved (the form's fields sent with GET)."""
    study = facilitated_study(request, study_id)
    form = PanelSettingsForm(request.GET, instance=PanelSettings.of(study))
    letters = form.save(commit=False) if form.is_valid() else PanelSettings.of(study)
    context = {"study": study, "form": form, "previews": previews(letters), "typed": True}
    return render(request, "workshop/panel/letters_preview.html", context)


@login_required
@require_POST
def panel_invite_all(request: HttpRequest, study_id: int) -> HttpResponse:
    """A personal link to every expert with an address who was never invited, sent in the
    background (the audit log keeps the counts, never who)."""
    study = facilitated_study(request, study_id)
    refuse_if_published(study)
    kind = MassMailing.Kind.INVITATIONS
    return mailing_started(request, start_mailing(study, kind, request.user, site_address(request)))


@login_required
@require_http_methods(["GET", "POST"])
def panel_import(request: HttpRequest, study_id: int) -> HttpResponse:
    """Add experts from a CSV or XLSX list: all of them, or none with every problem shown."""
    study = facilitated_study(request, study_id)
    form = ExpertImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST":
        refuse_if_published(study)
        if form.is_valid():
            try:
                outcome = import_experts(study, form.cleaned_data["file"], get_language())
            except ImportRefused as refused:
                problems = refused.problems
            else:
                AuditEvent.record(
                    study,
                    request.user,
                    "experts_imported",
                    added=len(outcome.created),
                    already=outcome.already,
                )
                messages.success(
                    request,
                    translation.ngettext(
                        "%(count)d expert joins the panel.",
                        "%(count)d experts join the panel.",
                        len(outcome.created),
                    )
                    % {"count": len(outcome.created)},
                )
                if outcome.already:
                    messages.info(
                        request,
                        translation.ngettext(
                            "%(count)d address was already in the panel: left as it is.",
                            "%(count)d addresses were already in the panel: left as they are.",
                            outcome.already,
                        )
                        % {"count": outcome.already},
                    )
                return redirect("workshop:panel", study_id=study.pk)
    context = {
        "study": study,
        "form": form,
        "problems": problems[:MAX_LISTED],
        "more_problems": max(0, len(problems) - MAX_LISTED),
    }
    return render(request, "workshop/panel/import.html", context)


@login_required
@require_GET
def panel_outbox(request: HttpRequest, study_id: int) -> HttpResponse:
    """The messages the site would have e-mailed, when it has no mail server."""
    study = facilitated_study(request, study_id)
    context = {
        "study": study,
        "outbox": study.outbox.all()[:MAX_OUTBOX_MESSAGES],
        "limit": MAX_OUTBOX_MESSAGES,
        "mail_delivered": mail_is_delivered(),
    }
    return render(request, "workshop/panel/outbox.html", context)


@login_required
@require_GET
def panel_handout(request: HttpRequest, study_id: int) -> HttpResponse:
    """A page to print (A4) for the room: the QR code, the address and the study code."""
    study = facilitated_study(request, study_id)
    letters = PanelSettings.of(study)
    context = {"study": study, "letters": letters, **join_qr(request, study)}
    return render(request, "workshop/panel/handout.html", context)


urlpatterns: list[URLPattern] = [
    path("studies/<int:study_id>/panel/letters/", panel_letters, name="panel_letters"),
    path(
        "studies/<int:study_id>/panel/letters/preview/",
        panel_letters_preview,
        name="panel_letters_preview",
    ),
    path("studies/<int:study_id>/panel/invite-all/", panel_invite_all, name="panel_invite_all"),
    path("studies/<int:study_id>/panel/import/", panel_import, name="panel_import"),
    path("studies/<int:study_id>/panel/outbox/", panel_outbox, name="panel_outbox"),
    path("studies/<int:study_id>/panel/handout/", panel_handout, name="panel_handout"),
]
