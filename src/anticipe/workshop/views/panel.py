"""The panel (facilitator side): who the experts are, how they get in, reminders, and
merging two entries of one person.

The panel's composition is not secret (the facilitator sees names); its answers are: the
panel page shows who has answered an open round and how much, never what, and never a
pseudonym. Only the expert opens the expert's answers: once an expert has answered, a new
link goes to their e-mail address only and is never shown here
(:mod:`anticipe.workshop.panel_rules`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.constants import DEFAULT_TAGS
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from anticipe.workshop import panel_rules, rules
from anticipe.workshop.access import changeable_study, facilitated_study, refuse_if_published
from anticipe.workshop.forms.panel import ExpertForm, MergeForm
from anticipe.workshop.invitations import (
    Delivery,
    invitation_link,
    join_url,
    mail_is_delivered,
    not_yet_invited,
    send_letter,
    site_address,
)
from anticipe.workshop.models import AuditEvent, Expert, MassMailing, Round, Study
from anticipe.workshop.models.panel import INVITATION_LIFETIME
from anticipe.workshop.tasks.mailings import start_mailing
from anticipe.workshop.views.helpers import is_htmx, posted

# -- helpers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PanelRow:
    """An expert of the panel page: who, their link, whether they have answered (then a new
    link is e-mailed only), how far they are in each open round."""

    expert: Expert
    invitation: rules.InvitationState
    progress: list[tuple[Round, rules.ExpertProgress]]
    answered: bool = False

    @property
    def to_remind(self) -> bool:
        """Whether the expert has an open round not answered yet (the reminders' rule:
        :func:`anticipe.workshop.rules.experts_to_remind`)."""
        return any(not mine.answered for _round, mine in self.progress)


def panel_context(request: HttpRequest, study: Study, **extra: Any) -> dict[str, Any]:
    """The panel by name (never by pseudonym, nor in the order the pseudonyms were given)."""
    experts = list(study.experts.prefetch_related("invitations").order_by("name", "pk"))
    open_progress = [rules.round_progress(r) for r in study.rounds.open().order_by("created_at")]
    answered = panel_rules.answered_experts(study)
    rows = [
        PanelRow(
            expert,
            rules.invitation_state(expert, expert.pk in answered),
            [(p.round, p.of(expert)) for p in open_progress],
            expert.pk in answered,
        )
        for expert in experts
    ]
    return {
        "study": study,
        "rows": rows,
        "open_rounds": [p.round for p in open_progress],
        "to_remind": [row for row in rows if row.to_remind and row.expert.email],
        "to_invite": not_yet_invited(study),
        "mail_delivered": mail_is_delivered(),
        "outbox_count": study.outbox.count(),
        "join_url": join_url(request, study),
        "invitation": None,
        "invitation_lifetime_days": INVITATION_LIFETIME.days,
        "can_merge": len(experts) > 1,
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
    study = changeable_study(request, study_id)
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
        messages.success(request, _("%(name)s joins the panel.") % {"name": expert.name})
        return redirect("workshop:panel", study_id=study.pk)
    return render(
        request,
        "workshop/panel/expert_form.html",
        {"study": study, "form": form, "sectors": rules.sector_suggestions(study)},
    )


@login_required
def expert_edit(request: HttpRequest, study_id: int, expert_id: int) -> HttpResponse:
    study = changeable_study(request, study_id)
    expert = study_expert(study, expert_id)
    form = ExpertForm(
        *posted(request), instance=expert, email_locked=rules.expert_has_answers(expert)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        AuditEvent.record(
            study, request.user, "expert_edited", expert=expert.code, fields=form.changed_data
        )
        messages.success(request, _("%(name)s is updated.") % {"name": expert.display_name()})
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
    study = changeable_study(request, study_id)
    expert = study_expert(study, expert_id)
    if rules.expert_has_answers(expert):
        messages.error(
            request,
            _("%(name)s has already answered: an expert with answers cannot be removed.")
            % {"name": expert.display_name()},
        )
        return redirect("workshop:panel", study_id=study.pk)
    code, name = expert.code, expert.display_name()
    expert.delete()
    AuditEvent.record(study, request.user, "expert_removed", expert=code)
    messages.success(request, _("%(name)s is removed from the panel.") % {"name": name})
    return redirect("workshop:panel", study_id=study.pk)


@login_required
@require_POST
def expert_invite(request: HttpRequest, study_id: int, expert_id: int) -> HttpResponse:
    """A new personal link. Before the expert's first answer: e-mailed when they have an
    address, and shown once here, to hand over in the room. Once they have answered: only
    e-mailed, never shown (without an address, refused: they come back with their return
    code). Only its digest is stored."""
    study = changeable_study(request, study_id)
    expert = study_expert(study, expert_id)
    answered = rules.expert_has_answers(expert)
    if expert.access_closed or (answered and not expert.email):
        return render_panel(request, study, invitation={"expert": expert, "refused": True})
    _invitation, token = panel_rules.issue_invitation(expert)
    link = invitation_link(request, token)
    delivery = (
        send_letter(expert, link, reply_to=getattr(request.user, "email", "") or "")
        if expert.email
        else None
    )
    emailed = delivery is Delivery.SENT
    AuditEvent.record(study, request.user, "invitation_issued", expert=expert.code, emailed=emailed)
    return render_panel(
        request,
        study,
        invitation={
            "expert": expert,
            "link": "" if answered else link,
            "answered": answered,
            "emailed": emailed,
            "kept": delivery is Delivery.KEPT,
            "failed": delivery is Delivery.FAILED,
        },
    )


@login_required
@require_POST
def join_code_renew(request: HttpRequest, study_id: int) -> HttpResponse:
    study = changeable_study(request, study_id)
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
    """E-mail a fresh link to every expert with an address who has not answered an open
    round yet, in the background (the audit log keeps the counts, never who)."""
    study = changeable_study(request, study_id)
    kind = MassMailing.Kind.REMINDERS
    return mailing_started(request, start_mailing(study, kind, request.user, site_address(request)))


def mailing_started(request: HttpRequest, mailing: MassMailing) -> HttpResponse:
    """After "invite all" or "remind all": the panel with what was done when it is done
    already (tasks run at once), else the mailing's page, which shows how far it is."""
    if not mailing.is_finished():
        return redirect("workshop:panel_mailing", study_id=mailing.study_id, mailing_id=mailing.pk)
    for level, text in mailing_report(mailing):
        messages.add_message(request, level, text)
    return redirect("workshop:panel", study_id=mailing.study_id)


def mailing_report(mailing: MassMailing) -> list[tuple[int, str]]:
    """What a finished mailing did, truly, as (message level, sentence): sent, kept in the
    outbox (no mail server), failed and to whom, left for another mailing."""
    reminders = mailing.kind == MassMailing.Kind.REMINDERS
    said: list[tuple[int, str]] = []
    if mailing.status == MassMailing.Status.FAILED:
        said.append((messages.ERROR, _("The mailing stopped on an error (in the server's log).")))
    if not mailing.total and not mailing.left and mailing.status == MassMailing.Status.DONE:
        nobody = (
            _("Nobody to remind: every expert with an e-mail has answered the open rounds.")
            if reminders
            else _("Nobody to invite: every expert with an e-mail has a link.")
        )
        said.append((messages.INFO, nobody))
    if sent := mailing.sent:
        text = (
            translation.ngettext(
                "A reminder was sent to %(count)d expert.",
                "A reminder was sent to %(count)d experts.",
                sent,
            )
            if reminders
            else translation.ngettext(
                "An invitation was sent to %(count)d expert.",
                "An invitation was sent to %(count)d experts.",
                sent,
            )
        )
        said.append((messages.SUCCESS, text % {"count": sent}))
    if kept := mailing.kept:
        said.append(
            (
                messages.WARNING,
                translation.ngettext(
                    "This site has no mail server: %(count)d message was not sent, it is in "
                    "the outbox.",
                    "This site has no mail server: %(count)d messages were not sent, they are "
                    "in the outbox.",
                    kept,
                )
                % {"count": kept},
            )
        )
    if mailing.failed_names:
        said.append(
            (
                messages.ERROR,
                _("The message could not be sent to: %(names)s.")
                % {"names": ", ".join(mailing.failed_names)},
            )
        )
    if mailing.left:
        said.append(
            (
                messages.INFO,
                translation.ngettext(
                    "%(count)d more expert is left: click again to continue.",
                    "%(count)d more experts are left: click again to continue.",
                    mailing.left,
                )
                % {"count": mailing.left},
            )
        )
    return said


@login_required
def panel_mailing(request: HttpRequest, study_id: int, mailing_id: int) -> HttpResponse:
    """A mailing's page: how far it is (polled while it is being sent), then what it did.
    Answered alone to htmx while it polls."""
    study = facilitated_study(request, study_id)
    mailing = get_object_or_404(study.mailings, pk=mailing_id)
    report = [(DEFAULT_TAGS[level], text) for level, text in mailing_report(mailing)]
    context = {"study": study, "mailing": mailing, "report": report}
    if is_htmx(request):
        return render(request, "workshop/panel/partials/mailing.html", context)
    return render(request, "workshop/panel/mailing.html", context)


# -- merging two entries of one person ------------------------------------------------------------


MERGE_ADDRESS_REMOVED = gettext_lazy(
    "The entry's e-mail address is removed: the answers were given on the device that joined "
    "with the code, and a new link mailed to that address would open them; the expert comes "
    "back with their return code."
)
MERGE_ACCESS_MESSAGES = {
    "source": gettext_lazy("The device that joined with the study code keeps opening them."),
    "target": gettext_lazy("The expert's own device keeps opening them."),
    "closed": gettext_lazy(
        "Both entries held answers: no device opens them any more, since either device could "
        "be someone else's. The answers are kept and counted; for the next rounds, the expert "
        "joins with the study code again."
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def expert_merge(request: HttpRequest, study_id: int, expert_id: int) -> HttpResponse:
    """Merge an entry made by joining with the study code into another entry of the same
    person (an invited expert who joined with the code instead): its answers move there, when
    the two never answered in the same round; the panel then counts one person."""
    study = facilitated_study(request, study_id)
    source = study_expert(study, expert_id)
    form = MergeForm(*posted(request), source=source)
    if request.method == "POST":
        refuse_if_published(study)
        if form.is_valid():
            target = form.cleaned_data["target"]
            refusal = panel_rules.merge_refusal(source, target)
            if refusal is None:
                return merged(request, study, source, target)
            form.add_error("target", refusal)
    context = {
        "study": study,
        "source": source,
        "form": form,
        "refusal": panel_rules.source_refusal(source),
    }
    return render(request, "workshop/panel/merge.html", context)


def merged(request: HttpRequest, study: Study, source: Expert, target: Expert) -> HttpResponse:
    """Merge `source` into `target` (allowed), record it without any answer, and say which
    device opens the answers now."""
    source_name, source_code = source.display_name(), source.code
    outcome = panel_rules.merge_experts(source, target)
    AuditEvent.record(
        study,
        request.user,
        "experts_merged",
        expert=target.code,
        merged=source_code,
        access=outcome.access,
    )
    messages.success(
        request,
        _("%(merged)s is merged into %(name)s: the panel counts one person.")
        % {"merged": source_name, "name": target.display_name()}
        + " "
        + str(MERGE_ACCESS_MESSAGES[outcome.access])
        + (" " + str(MERGE_ADDRESS_REMOVED) if outcome.address_removed else ""),
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
    path(
        "studies/<int:study_id>/panel/experts/<int:expert_id>/merge/",
        expert_merge,
        name="expert_merge",
    ),
    path("studies/<int:study_id>/panel/join-code/", join_code_renew, name="join_code_renew"),
    path("studies/<int:study_id>/panel/remind/", panel_remind, name="panel_remind"),
    path(
        "studies/<int:study_id>/panel/mailings/<int:mailing_id>/",
        panel_mailing,
        name="panel_mailing",
    ),
]
