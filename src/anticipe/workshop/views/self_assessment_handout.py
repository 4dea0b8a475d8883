"""A self-assessment group's handout, to print (one A4 page) or to project in the training
room: the job, the group, a large QR code of the group's link and the link written out, how
long it takes, what the respondent is asked and what happens to their answers, in the
study's language.

Only the study's facilitators open it, as they manage its groups on the desk
(:func:`~anticipe.workshop.views.self_assessment.managed_study`: 404 for anyone else, 403
on an archived study); the link is the desk's (:func:`group_link`). A closed group's
handout says that the group is closed instead of giving a link that no longer works.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from anticipe import presentation
from anticipe.study.self_assessment import SECONDS_PER_QUESTION
from anticipe.workshop.models import RespondentGroup
from anticipe.workshop.qr import qr_svg
from anticipe.workshop.self_assessment import group_questions, settings_of
from anticipe.workshop.views.self_assessment import group_link, managed_study


@require_GET
def respondent_group_handout(request: HttpRequest, study_id: int, group_id: int) -> HttpResponse:
    """The handout of one of the study's groups made on the site (404 for an imported group,
    which has no link, and before the self-assessment is published)."""
    study = managed_study(request, study_id)
    group = get_object_or_404(RespondentGroup, pk=group_id, study=study, imported=False)
    settings = settings_of(study)
    if not settings.published:
        raise Http404
    # a closed group's link no longer works: none is given
    link = group_link(request, group) if group.accepts_answers() else ""
    with translation.override(study.language):  # the handout speaks the study's language
        qr = qr_svg(link, _("QR code of the group's link")) if link else ""
    questions = len(group_questions(group, study.language)["questions"])
    context = {
        "study": study,
        "group": group,
        "link": link,
        "qr": qr,
        "questions": questions,
        "minutes": presentation.minutes_for(questions, SECONDS_PER_QUESTION),
        "seconds": SECONDS_PER_QUESTION,
        "min_group_size": settings.min_group_size,
    }
    return render(request, "workshop/desk/self_assessment_handout.html", context)


urlpatterns: list[URLPattern] = [
    path(
        "studies/<int:study_id>/self-assessment/groups/<int:group_id>/handout/",
        respondent_group_handout,
        name="respondent_group_handout",
    ),
]
