"""The study's members (co-facilitators and observers) and its audit log: who runs the
study, who reads its results once published, and every facilitator action."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from anticipe.workshop import audit
from anticipe.workshop.access import changeable_study, facilitated_study
from anticipe.workshop.forms.setup import MemberForm, RoleForm
from anticipe.workshop.models import AuditEvent, Study, StudyMember
from anticipe.workshop.views.helpers import EditableList, leave_for

AUDIT_PAGE_SIZE = 100


# -- members ------------------------------------------------------------------------------------


def keeps_a_facilitator(member: StudyMember) -> bool:
    """Whether the study still has a facilitator without `member` as one."""
    if member.role != StudyMember.Role.FACILITATOR:
        return True
    return (
        member.study.members.filter(role=StudyMember.Role.FACILITATOR)
        .exclude(pk=member.pk)
        .exists()
    )


LAST_FACILITATOR = gettext_lazy(
    "A study always keeps at least one facilitator: add another facilitator first."
)


def members_context(
    request: HttpRequest, study: Study, form: MemberForm | None, problem: str
) -> dict[str, Any]:
    members = list(study.members.select_related("user").order_by("role", "user__username"))
    return {
        "study": study,
        "members": [
            (member, RoleForm(initial={"role": member.role}, prefix=f"member-{member.pk}"))
            for member in members
        ],
        "form": form or MemberForm(study=study, prefix="member"),
        "problem": problem,
        "me": request.user,
    }


MEMBERS = EditableList(
    page="workshop/setup/members.html",
    partial="workshop/setup/partials/members.html",
    element="members",
    url_name="workshop:members",
    context=members_context,
)


@login_required
def members(request: HttpRequest, study_id: int) -> HttpResponse:
    """Who runs the study (facilitators) and who reads its results (observers)."""
    return MEMBERS.response(request, facilitated_study(request, study_id))


@login_required
@require_POST
def member_add(request: HttpRequest, study_id: int) -> HttpResponse:
    study = changeable_study(request, study_id)
    form = MemberForm(request.POST, study=study, prefix="member")
    if not form.is_valid():
        return MEMBERS.response(request, study, form)
    user = form.cleaned_data["username"]
    with transaction.atomic():
        StudyMember.objects.create(study=study, user=user, role=form.cleaned_data["role"])
        AuditEvent.record(
            study,
            request.user,
            "member_added",
            user=user.get_username(),
            role=form.cleaned_data["role"],
        )
    return MEMBERS.back(request, study)


def member_of_study(study: Study, member_id: int) -> StudyMember:
    return get_object_or_404(
        StudyMember.objects.select_related("user", "study"), pk=member_id, study=study
    )


@login_required
@require_POST
def member_role(request: HttpRequest, study_id: int, member_id: int) -> HttpResponse:
    study = changeable_study(request, study_id)
    with transaction.atomic():
        Study.objects.select_for_update().filter(pk=study.pk).first()  # one change at a time
        member = member_of_study(study, member_id)
        form = RoleForm(request.POST, prefix=f"member-{member.pk}")
        if not form.is_valid():
            return HttpResponseBadRequest("unknown role")
        role = form.cleaned_data["role"]
        if role == member.role:
            return MEMBERS.back(request, study)
        if not keeps_a_facilitator(member):
            return MEMBERS.back(request, study, str(LAST_FACILITATOR))
        previous = member.role
        member.role = role
        member.save(update_fields=["role"])
        AuditEvent.record(
            study,
            request.user,
            "member_role_changed",
            user=member.user.get_username(),
            previous=previous,
            role=role,
        )
    if member.user == request.user and role != StudyMember.Role.FACILITATOR:
        messages.info(request, _("You are now an observer of this study."))
        return leave_for(request, reverse("workshop:study", args=[study.pk]))
    return MEMBERS.back(request, study)


@login_required
@require_POST
def member_remove(request: HttpRequest, study_id: int, member_id: int) -> HttpResponse:
    study = changeable_study(request, study_id)
    with transaction.atomic():
        Study.objects.select_for_update().filter(pk=study.pk).first()  # one change at a time
        member = member_of_study(study, member_id)
        if not keeps_a_facilitator(member):
            return MEMBERS.back(request, study, str(LAST_FACILITATOR))
        AuditEvent.record(
            study,
            request.user,
            "member_removed",
            user=member.user.get_username(),
            role=member.role,
        )
        member.delete()
    if member.user == request.user:
        messages.info(request, _("You have left the study “%(title)s”.") % {"title": study.title})
        return leave_for(request, reverse("workshop:home"))
    return MEMBERS.back(request, study)


# -- audit log ----------------------------------------------------------------------------------


@login_required
def audit_log(request: HttpRequest, study_id: int) -> HttpResponse:
    """Every facilitator action on the study: who, when, what and the detail."""
    study = facilitated_study(request, study_id)
    events = study.audit_events.select_related("actor").order_by("-created_at", "-id")
    page = Paginator(events, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = audit.entries(list(page.object_list), study.language)
    return render(
        request, "workshop/setup/audit.html", {"study": study, "page": page, "rows": rows}
    )


urlpatterns: list[URLPattern] = [
    path("studies/<int:study_id>/members/", members, name="members"),
    path("studies/<int:study_id>/members/add/", member_add, name="member_add"),
    path("studies/<int:study_id>/members/<int:member_id>/role/", member_role, name="member_role"),
    path(
        "studies/<int:study_id>/members/<int:member_id>/remove/",
        member_remove,
        name="member_remove",
    ),
    path("studies/<int:study_id>/audit/", audit_log, name="audit"),
]
