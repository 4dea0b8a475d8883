"""Who may do what: the fetch-and-authorise step of every view.

Facilitators and observers are Django users with a role in a study
(:class:`~anticipe.workshop.models.StudyMember`). Experts have no account: a browser is an
expert of a study when its session holds that expert's secret, given by a personal
invitation link or by joining with the study code.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from anticipe.workshop.models import Expert, Study, token_digest

SESSION_KEY = "anticipe_experts"


def facilitated_study(request: HttpRequest, study_id: int) -> Study:
    """The study, if the signed-in user facilitates it (404 otherwise: its existence is
    not disclosed)."""
    study = get_object_or_404(Study, pk=study_id)
    if not study.is_facilitated_by(request.user):
        raise Http404
    return study


class StudyIsPublished(PermissionDenied):
    """A change asked of a published study: its content and decisions are read-only until a
    facilitator reopens it (a 403 page that says so)."""

    def __init__(self) -> None:
        super().__init__(_("This study is published: reopen it before changing it."))


def editable_study(request: HttpRequest, study_id: int) -> Study:
    """The study, if the user facilitates it (404 otherwise) and it is not published (403:
    :class:`StudyIsPublished`). Every change to a study's content or decisions starts here."""
    study = facilitated_study(request, study_id)
    refuse_if_published(study)
    return study


def refuse_if_published(study: Study) -> None:
    """Raise :class:`StudyIsPublished` when the study is published (for a view that has
    fetched the study already, or that refuses only some of its methods)."""
    if not study.decisions_are_open():
        raise StudyIsPublished


def visible_study(request: HttpRequest, study_id: int) -> Study:
    """The study, if the user facilitates or observes it."""
    study = get_object_or_404(Study, pk=study_id)
    if not (study.is_facilitated_by(request.user) or study.is_observed_by(request.user)):
        raise Http404
    return study


def study_with_results(request: HttpRequest, study_id: int) -> Study:
    """The study, if the user may see its (aggregated) results."""
    study = visible_study(request, study_id)
    if not study.results_are_visible_to(request.user):
        raise PermissionDenied
    return study


def remember_expert(request: HttpRequest, expert: Expert) -> None:
    """Let this browser act as `expert` (a new secret; older browsers are signed out)."""
    secret = expert.grant_access()
    known: dict[str, Any] = dict(request.session.get(SESSION_KEY, {}))
    known[str(expert.study_id)] = secret
    request.session[SESSION_KEY] = known
    request.session.cycle_key()


def current_expert(request: HttpRequest, study_id: int) -> Expert | None:
    """The expert this browser is in the study, if any."""
    secret = request.session.get(SESSION_KEY, {}).get(str(study_id))
    if not secret:
        return None
    return (
        Expert.objects.select_related("study")
        .filter(study_id=study_id, access_digest=token_digest(secret))
        .first()
    )


def expert_of_study(request: HttpRequest, study_id: int) -> Expert:
    """The expert this browser is in the study, or 404."""
    expert = current_expert(request, study_id)
    if expert is None:
        raise Http404
    return expert
