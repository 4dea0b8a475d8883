"""The panel (facilitator side): who the experts are, how they get in, reminders.

The panel's composition is not secret (the facilitator sees names); its answers are: the
panel page shows who has answered an open round and how much, never what.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anticipe.workshop import rules
from anticipe.workshop.access import facilitated_study
from anticipe.workshop.forms.panel import ExpertForm
from anticipe.workshop.models import AuditEvent, Expert, Invitation, Round, Study
from anticipe.workshop.models.panel import INVITATION_LIFETIME
from anticipe.workshop.views.helpers import is_htmx

logger = logging.getLogger(__name__)


# -- helpers ----------------------------------------------------------------------------------


def join_url(request: HttpRequest, study: Study) -> str:
    """The address experts open in the room, with the study code filled in."""
    return (
        request.build_absolute_uri(reverse("workshop:join"))
        + "?"
        + urlencode({"code": study.join_code})
    )


def invitation_link(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("workshop:invitation", args=[token]))


def send_invitation(
    study: Study, expert: Expert, link: str, *, rounds: Sequence[Round] = ()
) -> bool:
    """E-mail the expert their personal link, in the study's language (a reminder when
    `rounds` lists the open rounds they have not finished). False if it could not be sent."""
    with translation.override(study.language):
        context = {
            "study": study,
            "expert": expert,
            "link": link,
            "rounds": [str(round_) for round_ in rounds],
            "lifetime_days": INVITATION_LIFETIME.days,
        }
        if rounds:
            subject = _("Reminder: your answers for the study “%(title)s”") % {"title": study.title}
        else:
            subject = _("Your invitation to the study “%(title)s”") % {"title": study.title}
        body = render_to_string("workshop/panel/invitation_email.txt", context)
    subject = " ".join(subject.split())  # a header: one line
    try:
        send_mail(subject, body, None, [expert.email])
    except (OSError, smtplib.SMTPException):
        logger.warning("could not send the invitation of expert %s of study %s", expert, study.pk)
        return False
    return True


@dataclass(frozen=True)
class PanelRow:
    """An expert of the panel page: who, their link, how far they are in each open round."""

    expert: Expert
    invitation: rules.InvitationState
    progress: list[tuple[Round, rules.ExpertProgress]]

    @property
    def unfinished(self) -> bool:
        return any(not mine.finished for _round, mine in self.progress)


def panel_context(request: HttpRequest, study: Study, **extra: Any) -> dict[str, Any]:
    experts = list(study.experts.prefetch_related("invitations").order_by("code"))
    open_progress = [rules.round_progress(r) for r in study.rounds.open().order_by("created_at")]
    rows = [
        PanelRow(
            expert,
            rules.invitation_state(expert),
            [(p.round, p.of(expert)) for p in open_progress],
        )
        for expert in experts
    ]
    return {
        "study": study,
        "rows": rows,
        "open_rounds": [p.round for p in open_progress],
        "to_remind": [row for row in rows if row.unfinished and row.expert.email],
        "join_url": join_url(request, study),
        "invitation": None,
        "invitation_lifetime_days": INVITATION_LIFETIME.days,
        **extra,
    }


def render_panel(request: HttpRequest, study: Study, **extra: Any) -> HttpResponse:
    """The panel page, or only its content for htmx (the same partial)."""
    template = "workshop/panel/content.html" if is_htmx(request) else "workshop/panel/panel.html"
    return render(request, template, panel_context(request, study, **extra))


def study_expert(study: Study, expert_id: int) -> Expert:
    return get_object_or_404(Expert, pk=expert_id, study=study)


# -- views ------------------------------------------------------------------------------------


@login_required
def panel(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    return render_panel(request, study)


@login_required
def expert_add(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    form = ExpertForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        expert = form.save(commit=False)
        expert.study = study
        # The code is given under the study's lock, like joining with the study code.
        with transaction.atomic():
            Study.objects.select_for_update().get(pk=study.pk)
            expert.code = study.next_expert_code()
            expert.save()
        AuditEvent.record(study, request.user, "expert_added", expert=expert.code)
        messages.success(
            request,
            _("%(name)s joins the panel as %(code)s.") % {"name": expert.name, "code": expert.code},
        )
        return redirect("workshop:panel", study_id=study.pk)
    return render(
        request,
        "workshop/panel/expert_form.html",
        {"study": study, "form": form, "sectors": rules.sector_suggestions(study)},
    )


@login_required
def expert_edit(request: HttpRequest, study_id: int, expert_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    expert = study_expert(study, expert_id)
    form = ExpertForm(request.POST if request.method == "POST" else None, instance=expert)
    if request.method == "POST" and form.is_valid():
        form.save()
        AuditEvent.record(
            study, request.user, "expert_edited", expert=expert.code, fields=form.changed_data
        )
        messages.success(request, _("%(code)s is updated.") % {"code": expert.code})
        return redirect("workshop:panel", study_id=study.pk)
    return render(
        request,
        "workshop/panel/expert_form.html",
        {
            "study": study,
            "form": form,
            "expert": expert,
            "sectors": rules.sector_suggestions(study),
        },
    )


@login_required
@require_POST
def expert_remove(request: HttpRequest, study_id: int, expert_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    expert = study_expert(study, expert_id)
    if rules.expert_has_answers(expert):
        messages.error(
            request,
            _("%(code)s has already answered: an expert with answers cannot be removed.")
            % {"code": expert.code},
        )
        return redirect("workshop:panel", study_id=study.pk)
    code = expert.code
    expert.delete()
    AuditEvent.record(study, request.user, "expert_removed", expert=code)
    messages.success(request, _("%(code)s is removed from the panel.") % {"code": code})
    return redirect("workshop:panel", study_id=study.pk)


@login_required
@require_POST
def expert_invite(request: HttpRequest, study_id: int, expert_id: int) -> HttpResponse:
    """A new personal link: e-mailed when the expert has an address, and shown once here
    (only its digest is stored)."""
    study = facilitated_study(request, study_id)
    expert = study_expert(study, expert_id)
    _invitation, token = Invitation.issue(expert)
    link = invitation_link(request, token)
    emailed = send_invitation(study, expert, link) if expert.email else False
    AuditEvent.record(study, request.user, "invitation_issued", expert=expert.code, emailed=emailed)
    return render_panel(
        request,
        study,
        invitation={
            "expert": expert,
            "link": link,
            "emailed": emailed,
            "failed": bool(expert.email) and not emailed,
        },
    )


@login_required
@require_POST
def join_code_renew(request: HttpRequest, study_id: int) -> HttpResponse:
    study = facilitated_study(request, study_id)
    rules.renew_join_code(study)
    AuditEvent.record(study, request.user, "join_code_renewed")
    messages.success(
        request,
        _("The study has a new code: %(code)s. The old one no longer works.")
        % {"code": study.join_code},
    )
    return redirect("workshop:panel", study_id=study.pk)


@login_required
@require_POST
def panel_remind(request: HttpRequest, study_id: int) -> HttpResponse:
    """E-mail a fresh link to every expert with an address who has not finished an open
    round."""
    study = facilitated_study(request, study_id)
    sent: list[str] = []
    failed: list[str] = []
    for expert, rounds in rules.experts_to_remind(study):
        _invitation, token = Invitation.issue(expert)
        if send_invitation(study, expert, invitation_link(request, token), rounds=rounds):
            sent.append(expert.code)
        else:
            failed.append(expert.code)
    AuditEvent.record(study, request.user, "reminders_sent", experts=sent, failed=failed)
    if not sent and not failed:
        messages.info(request, _("Nobody to remind: every expert with an e-mail has finished."))
    if sent:
        messages.success(
            request,
            translation.ngettext(
                "A reminder was sent to %(count)d expert.",
                "A reminder was sent to %(count)d experts.",
                len(sent),
            )
            % {"count": len(sent)},
        )
    if failed:
        messages.error(
            request,
            _("The reminder could not be sent to: %(codes)s.") % {"codes": ", ".join(failed)},
        )
    return redirect("workshop:panel", study_id=study.pk)


urlpatterns: list[URLPattern] = [
    path("studies/<int:study_id>/panel/", panel, name="panel"),
    path("studies/<int:study_id>/panel/experts/add/", expert_add, name="expert_add"),
    path(
        "studies/<int:study_id>/panel/experts/<int:expert_id>/edit/",
        expert_edit,
        name="expert_edit",
    ),
    path(
        "studies/<int:study_id>/panel/experts/<int:expert_id>/remove/",
        expert_remove,
        name="expert_remove",
    ),
    path(
        "studies/<int:study_id>/panel/experts/<int:expert_id>/invite/",
        expert_invite,
        name="expert_invite",
    ),
    path("studies/<int:study_id>/panel/join-code/", join_code_renew, name="join_code_renew"),
    path("studies/<int:study_id>/panel/remind/", panel_remind, name="panel_remind"),
]
