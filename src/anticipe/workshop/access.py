"""Who may do what: the fetch-and-authorise step of every view.

Facilitators and observers are Django users with a role in a study
(:class:`~anticipe.workshop.models.StudyMember`). Experts have no account: a browser is an
expert of a study when its session holds that expert's secret, given by a personal
invitation link, by joining with the study code or by coming back with the study code and
the expert's return code. A browser signed in as one of the study's facilitators is never
one of its experts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from anticipe.workshop.models import Expert, Study, token_digest

SESSION_KEY = "anticipe_experts"  # study id -> the expert's access secret
RETURN_CODES_KEY = "anticipe_return_codes"  # study id -> the expert's return code


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


class StudyIsArchived(PermissionDenied):
    """A change asked of an archived study: it is read-only until a facilitator unarchives
    it (a 403 page that says so)."""

    def __init__(self) -> None:
        super().__init__(_("This study is archived: unarchive it before changing it."))


def editable_study(request: HttpRequest, study_id: int) -> Study:
    """The study, if the user facilitates it (404 otherwise) and it is not published (403:
    :class:`StudyIsPublished`). Every change to a study's content or decisions starts here."""
    study = facilitated_study(request, study_id)
    refuse_if_published(study)
    return study


def refuse_if_archived(study: Study) -> None:
    """Raise :class:`StudyIsArchived` when the study is archived: nothing of it changes,
    its panel and its members included, until a facilitator unarchives it."""
    if study.is_archived():
        raise StudyIsArchived


def changeable_study(request: HttpRequest, study_id: int) -> Study:
    """The study, if the user facilitates it (404 otherwise) and it is not archived (403:
    :class:`StudyIsArchived`): for the changes still allowed once a study is published (its
    panel, its members)."""
    study = facilitated_study(request, study_id)
    refuse_if_archived(study)
    return study


def refuse_if_published(study: Study) -> None:
    """Raise :class:`StudyIsPublished` when the study is published (for a view that has
    fetched the study already, or that refuses only some of its methods); an archived study
    is refused the same way (:class:`StudyIsArchived`)."""
    refuse_if_archived(study)
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


# -- experts: a browser that holds an expert's secret -----------------------------------------


class ExpertAccessEnded(Exception):  # noqa: N818 (a state, said to the expert)
    """This browser was an expert of the study and no longer is: a page says why and how to
    come back (:func:`anticipe.workshop.views.joining.access_ended`, through
    :class:`anticipe.workshop.middleware.ExpertAccessMiddleware`)."""

    REPLACED = "replaced"  # another device was given the expert's access
    PUBLISHED = "published"  # the study is published: experts' sessions end
    FACILITATOR = "facilitator"  # the browser is signed in as a facilitator of the study

    def __init__(self, study_id: int, reason: str) -> None:
        super().__init__(reason)
        self.study_id = study_id
        self.reason = reason


def facilitates(request: HttpRequest, study: Study) -> bool:
    """Whether the browser is signed in as a facilitator of `study` (then it may not be one
    of its experts: the facilitator never opens an expert's answers)."""
    user = getattr(request, "user", None)
    return user is not None and study.is_facilitated_by(user)


def remember_expert(request: HttpRequest, expert: Expert) -> None:
    """Let this browser act as `expert`: a new secret and a new return code (older browsers
    are signed out, the older return code stops working)."""
    secret, return_code = expert.grant_access()
    for key, value in ((SESSION_KEY, secret), (RETURN_CODES_KEY, return_code)):
        known: dict[str, Any] = dict(request.session.get(key, {}))
        known[str(expert.study_id)] = value
        request.session[key] = known
    request.session.cycle_key()
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:  # a facilitator's login keeps its own age
        request.session.set_expiry(settings.EXPERT_SESSION_AGE)


def remember_return_code(request: HttpRequest, expert: Expert, return_code: str) -> None:
    """Keep the expert's new return code in this browser's session (to show it)."""
    known: dict[str, Any] = dict(request.session.get(RETURN_CODES_KEY, {}))
    known[str(expert.study_id)] = return_code
    request.session[RETURN_CODES_KEY] = known


def return_code_of(request: HttpRequest, study_id: int) -> str:
    """The return code this browser was given for the study ("" if none)."""
    return str(request.session.get(RETURN_CODES_KEY, {}).get(str(study_id), ""))


def has_expert_secret(request: HttpRequest, study_id: int) -> bool:
    """Whether this browser was made an expert of the study (valid or not any more)."""
    return bool(request.session.get(SESSION_KEY, {}).get(str(study_id)))


def forget_expert(request: HttpRequest, study_id: int) -> str:
    """This browser is no longer an expert of the study; returns the return code it had."""
    known = dict(request.session.get(SESSION_KEY, {}))
    codes = dict(request.session.get(RETURN_CODES_KEY, {}))
    known.pop(str(study_id), None)
    return_code = str(codes.pop(str(study_id), ""))
    request.session[SESSION_KEY] = known
    request.session[RETURN_CODES_KEY] = codes
    request.session.cycle_key()
    return return_code


def expert_of_study(request: HttpRequest, study_id: int) -> Expert:
    """The expert this browser is in the study: 404 for a browser that never was one;
    :class:`ExpertAccessEnded` (a page that says why) when its access was given to another
    device, when the study is published, or when the browser is signed in as one of the
    study's facilitators."""
    secret = request.session.get(SESSION_KEY, {}).get(str(study_id))
    if not secret:
        raise Http404
    expert = (
        Expert.objects.select_related("study")
        .defer(*(f"study__{name}" for name in Study.DOCUMENTS))  # read on every answer
        .filter(study_id=study_id, access_digest=token_digest(secret))
        .first()
    )
    if expert is None:
        if not Study.objects.filter(pk=study_id).exists():
            raise Http404
        raise ExpertAccessEnded(study_id, ExpertAccessEnded.REPLACED)
    if facilitates(request, expert.study):
        raise ExpertAccessEnded(study_id, ExpertAccessEnded.FACILITATOR)
    if expert.study.is_published():
        raise ExpertAccessEnded(study_id, ExpertAccessEnded.PUBLISHED)
    return expert


def current_expert(request: HttpRequest, study_id: int) -> Expert | None:
    """The expert this browser is in the study, if any (and if its access still holds)."""
    try:
        return expert_of_study(request, study_id)
    except (Http404, ExpertAccessEnded):
        return None


def expert_pages(request: HttpRequest) -> dict[str, Any]:
    """Context processor: on an expert's pages, the study whose expert this browser is (its
    pages show a button to sign out)."""
    match = getattr(request, "resolver_match", None)
    if match is None or not str(match.url_name or "").startswith("expert_"):
        return {}
    study_id = match.kwargs.get("study_id")
    if study_id is None or not has_expert_secret(request, int(study_id)):
        return {}
    return {"expert_study_id": int(study_id)}
