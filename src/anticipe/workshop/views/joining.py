"""Experts get in without a password: a personal invitation link (opened, then confirmed with
a button: a mail scanner that opens the link does not use it), the study code shown on the
projector plus their name, or, on another device, the study code and their return code.
They sign out with a button on their pages.

Joining and coming back by code are rate-limited per client address and per study
(:mod:`anticipe.workshop.rate_limits`; 429 with a page beyond). A browser signed in as one of
the study's facilitators never becomes one of its experts.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from anticipe.workshop import panel_rules
from anticipe.workshop.access import (
    ExpertAccessEnded,
    current_expert,
    expert_of_study,
    facilitates,
    forget_expert,
    has_expert_secret,
    remember_expert,
    remember_return_code,
)
from anticipe.workshop.forms.panel import ComeBackForm, JoinForm
from anticipe.workshop.models import Expert, Invitation, Study, token_digest
from anticipe.workshop.rate_limits import Limit, client_address, over_limit, seconds_left
from anticipe.workshop.views.helpers import posted

JOIN_PAGE = "workshop/joining/join.html"
BACK_PREFIX = "back"


# -- rate limits --------------------------------------------------------------------------------


def too_many(request: HttpRequest, limit: Limit) -> HttpResponse:
    """429: too many tries; the page says when to try again."""
    wait = seconds_left(limit)
    response = render(
        request,
        "workshop/joining/too_many.html",
        {"minutes": max(1, (wait + 59) // 60)},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def address_over_limit(request: HttpRequest) -> HttpResponse | None:
    """Count a join or return from this client address: a 429 page when over the limit."""
    limit = Limit(*settings.JOIN_LIMIT_PER_ADDRESS)
    if over_limit("join-address", client_address(request), limit):
        return too_many(request, limit)
    return None


def study_over_limit(request: HttpRequest, study: Study) -> HttpResponse | None:
    """Count a join or return into `study`: a 429 page when over the limit."""
    limit = Limit(*settings.JOIN_LIMIT_PER_STUDY)
    if over_limit("join-study", str(study.pk), limit):
        return too_many(request, limit)
    return None


# -- joining with the study code, coming back with a return code ---------------------------------


def join_page(
    request: HttpRequest, form: JoinForm, back_form: ComeBackForm, status: int = 200
) -> HttpResponse:
    return render(request, JOIN_PAGE, {"form": form, "back_form": back_form}, status=status)


def refused_to_facilitator(
    request: HttpRequest, form: JoinForm | ComeBackForm, back: bool
) -> HttpResponse:
    """A browser signed in as the study's facilitator does not become one of its experts."""
    form.add_error(
        None,
        _(
            "You are signed in as a facilitator of this study: an expert joins on their own "
            "device, never in a facilitator's browser."
        ),
    )
    code = {"code": request.GET.get("code", "")}
    if back:
        assert isinstance(form, ComeBackForm)
        return join_page(request, JoinForm(initial=code), form, status=403)
    assert isinstance(form, JoinForm)
    return join_page(request, form, ComeBackForm(prefix=BACK_PREFIX, initial=code), status=403)


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """Join a study live in the room with its code and a name."""
    if request.method == "POST" and (refusal := address_over_limit(request)):
        return refusal
    code = {"code": request.GET.get("code", "")}
    form = JoinForm(data=posted(request)[0], initial=code)
    back_form = ComeBackForm(prefix=BACK_PREFIX, initial=code)
    if request.method != "POST" or not form.is_valid():
        return join_page(request, form, back_form)
    if refusal := study_over_limit(request, form.study):
        return refusal
    if facilitates(request, form.study):
        return refused_to_facilitator(request, form, back=False)
    with transaction.atomic():
        study = Study.objects.select_for_update().get(pk=form.study.pk)
        expert = Expert.objects.create(
            study=study,
            code=study.next_expert_code(),
            name=form.cleaned_data["name"],
            sector=form.cleaned_data["sector"],
            joined_with_code=True,
        )
        remember_expert(request, expert)
    messages.success(request, _("Welcome! You have joined the panel."))
    return redirect("workshop:expert_home", study_id=study.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def come_back(request: HttpRequest) -> HttpResponse:
    """Come back on another device: the study code and the return code shown on the
    expert's pages (the other device is signed out, and the expert gets a new return code)."""
    if request.method == "POST" and (refusal := address_over_limit(request)):
        return refusal
    code = {"code": request.GET.get("code", "")}
    back_form = ComeBackForm(data=posted(request)[0], prefix=BACK_PREFIX, initial=code)
    if request.method != "POST":
        return join_page(request, JoinForm(initial=code), back_form)
    valid = back_form.is_valid()
    study = getattr(back_form, "study", None)  # the study code was right
    if study is not None and (refusal := study_over_limit(request, study)):
        return refusal
    if study is None or not valid:
        return join_page(request, JoinForm(initial=code), back_form)
    if facilitates(request, study):
        return refused_to_facilitator(request, back_form, back=True)
    remember_expert(request, back_form.expert)
    messages.success(request, _("Welcome back! This device now opens your answers."))
    return redirect("workshop:expert_home", study_id=study.pk)


# -- personal invitation links ----------------------------------------------------------------


def invitation_unusable(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request,
        "workshop/joining/invitation_invalid.html",
        {"reason": reason},
        status=404 if reason == panel_rules.UNKNOWN else 410,
    )


def find_invitation(token: str, *, lock: bool = False) -> Invitation | None:
    invitations = Invitation.objects.select_related("expert__study")
    if lock:
        invitations = invitations.select_for_update()
    return invitations.filter(digest=token_digest(token)).first()


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A personal invitation link: opening it (GET or HEAD, as a mail scanner does) shows a
    page with a button; only that button (POST) uses the link, once."""
    invitation = find_invitation(token)
    if (reason := panel_rules.invitation_refusal(invitation)) is not None:
        return invitation_unusable(request, reason)
    assert invitation is not None
    study = invitation.expert.study
    if facilitates(request, study):
        context = {"study": study, "facilitator": True}
        return render(request, "workshop/joining/invitation.html", context, status=403)
    if request.method != "POST":
        return render(request, "workshop/joining/invitation.html", {"study": study})
    with transaction.atomic():
        invitation = find_invitation(token, lock=True)
        if (reason := panel_rules.invitation_refusal(invitation)) is not None:
            return invitation_unusable(request, reason)  # used meanwhile, in another tab
        assert invitation is not None
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        remember_expert(request, invitation.expert)
    return redirect("workshop:expert_home", study_id=study.pk)


# -- the expert's session ---------------------------------------------------------------------


@require_POST
def expert_sign_out(request: HttpRequest, study_id: int) -> HttpResponse:
    """This browser stops being the expert (and no browser is, until the expert comes back
    with a link or their return code); the page shows the return code one last time."""
    if not has_expert_secret(request, study_id):
        raise Http404
    expert = current_expert(request, study_id)
    if expert is not None:
        expert.sign_out()
    return_code = forget_expert(request, study_id)
    study = Study.objects.filter(pk=study_id).first()
    return render(
        request, "workshop/joining/signed_out.html", {"study": study, "return_code": return_code}
    )


@require_POST
def expert_return_code(request: HttpRequest, study_id: int) -> HttpResponse:
    """A new return code for the expert (the previous one stops working)."""
    expert = expert_of_study(request, study_id)
    remember_return_code(request, expert, expert.renew_return_code())
    messages.success(request, _("You have a new return code: the previous one no longer works."))
    return redirect("workshop:expert_home", study_id=study_id)


def access_ended(request: HttpRequest, ended: ExpertAccessEnded) -> HttpResponse:
    """The page of a browser that was an expert of the study and no longer is: why, and how
    to come back (through :class:`anticipe.workshop.middleware.ExpertAccessMiddleware`)."""
    study = Study.objects.filter(pk=ended.study_id).first()
    context = {"study": study, "reason": ended.reason, "expert_study_id": ended.study_id}
    return render(request, "workshop/joining/access_ended.html", context, status=403)


urlpatterns: list[URLPattern] = [
    path("join/", join, name="join"),
    path("join/back/", come_back, name="join_back"),
    path("invitation/<str:token>/", accept_invitation, name="invitation"),
    path("studies/<int:study_id>/me/sign-out/", expert_sign_out, name="expert_sign_out"),
    path("studies/<int:study_id>/me/return-code/", expert_return_code, name="expert_return_code"),
]
