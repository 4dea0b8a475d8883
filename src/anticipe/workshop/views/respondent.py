"""The self-assessment as a respondent answers it: no account, no name. A group's link
shows a page with a start button (opening the link, as a mail scanner does, creates
nothing); the button makes an anonymous respondent whose secret only this browser holds
(a cookie limited to the group's pages; the database keeps its digest). Then one
competence per screen, each answer saved at once, and the respondent's own result, shown
and downloaded as a PDF, to the holder of the secret only.

Starting is rate-limited per client address (:mod:`anticipe.workshop.rate_limits`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anticipe import presentation
from anticipe.study.self_assessment import SECONDS_PER_QUESTION, Questionnaire, score
from anticipe.workshop.forms.self_assessment import AnswerRefused, checked_answer
from anticipe.workshop.models import Respondent, RespondentGroup
from anticipe.workshop.rate_limits import Limit, client_address, over_limit, seconds_left
from anticipe.workshop.self_assessment import settings_of, study_questionnaire
from anticipe.workshop.views.helpers import is_htmx

COOKIE = "anticipe_respondent"
SECURE_COOKIE = "__Secure-" + COOKIE
COOKIE_AGE = 60 * 60 * 24 * 180  # 180 days: time to come back to one's result
MAX_RESPONDENTS_PER_GROUP = 1000  # a training group, a cohort: far below; bounds a flood
PDF_LIMIT = Limit(20, 3600)  # result PDFs per respondent, and per address, in an hour


def open_group(token: str) -> RespondentGroup:
    """The group of a link: one made on the site, of a published self-assessment (404
    otherwise: an imported group has no link)."""
    group = (
        RespondentGroup.objects.select_related("study").filter(token=token, imported=False).first()
    )
    if group is None or not settings_of(group.study).published:
        raise Http404
    return group


def cookie_name() -> str:
    """The name of the respondent's cookie: with the ``__Secure-`` prefix when the site
    runs with secure cookies (``ANTICIPE_SECURE``: ``SESSION_COOKIE_SECURE``), so that a
    browser takes it only from an HTTPS response with the Secure flag (a sibling
    subdomain over plain HTTP cannot plant one); without it in development and tests over
    HTTP, where a browser would refuse a prefixed cookie."""
    return SECURE_COOKIE if settings.SESSION_COOKIE_SECURE else COOKIE


def holder(request: HttpRequest, group: RespondentGroup) -> Respondent | None:
    """The respondent whose secret this browser holds for the group (None otherwise)."""
    return Respondent.holding(group, request.COOKIES.get(cookie_name()))


def questions_for(group: RespondentGroup) -> Questionnaire:
    return study_questionnaire(group.study, get_language() or group.study.language)


def not_started(request: HttpRequest, group: RespondentGroup) -> HttpResponse:
    """403: this browser has not started the self-assessment of the group."""
    return render(request, "workshop/respondent/not_started.html", {"group": group}, status=403)


def respondent_of(request: HttpRequest, token: str) -> tuple[RespondentGroup, Respondent | None]:
    group = open_group(token)
    return group, holder(request, group)


def question_url(group: RespondentGroup, number: int) -> str:
    return reverse("workshop:respond_question", args=[group.token, number])


def first_unanswered(questions: Questionnaire, respondent: Respondent) -> int:
    for number, question in enumerate(questions["questions"], start=1):
        if question["competence"] not in respondent.answers:
            return number
    return 0


def too_many(request: HttpRequest, limit: Limit) -> HttpResponse:
    wait = seconds_left(limit)
    context = {"minutes": max(1, (wait + 59) // 60)}
    response = render(request, "workshop/respondent/too_many.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def respond(request: HttpRequest, token: str) -> HttpResponse:
    """A group's link: GET shows the start button (creates nothing); POST starts."""
    group, respondent = respondent_of(request, token)
    questions = questions_for(group)
    if respondent is not None:
        number = first_unanswered(questions, respondent)
        if number and group.accepts_answers():
            return redirect(question_url(group, number))
        return redirect("workshop:respond_result", token=group.token)
    count = len(questions["questions"])
    minutes = presentation.minutes_for(count, SECONDS_PER_QUESTION)
    context = {"group": group, "study": group.study, "count": count, "minutes": minutes}
    if not group.accepts_answers():
        return render(request, "workshop/respondent/start.html", context, status=410)
    if request.method != "POST":
        return render(request, "workshop/respondent/start.html", context)
    limit = Limit(*settings.SELF_ASSESSMENT_LIMIT_PER_ADDRESS)
    if over_limit("respondent-address", client_address(request), limit):
        return too_many(request, limit)
    if group.respondents.count() >= MAX_RESPONDENTS_PER_GROUP:
        context["full"] = True
        return render(request, "workshop/respondent/start.html", context, status=410)
    respondent, secret = Respondent.create_in(group)
    response = redirect(question_url(group, 1))
    response.set_cookie(
        cookie_name(),
        secret,
        max_age=COOKIE_AGE,
        path=reverse("workshop:respond", args=[group.token]),
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def question_context(
    group: RespondentGroup, questions: Questionnaire, respondent: Respondent, number: int
) -> dict[str, Any]:
    question = questions["questions"][number - 1]
    total = len(questions["questions"])
    return {
        "group": group,
        "study": group.study,
        "question": question,
        "number": number,
        "total": total,
        "answered": len(
            [q for q in questions["questions"] if q["competence"] in respondent.answers]
        ),
        "current": respondent.answers.get(question["competence"], ""),
        "editable": group.accepts_answers(),
        "previous": number - 1 if number > 1 else 0,
        "next": number + 1 if number < total else 0,
    }


@never_cache
@require_GET
def respond_question(request: HttpRequest, token: str, number: int) -> HttpResponse:
    """One competence per screen: its levels, "I don't know", previous and next."""
    group, respondent = respondent_of(request, token)
    if respondent is None:
        return not_started(request, group)
    questions = questions_for(group)
    if not 1 <= number <= len(questions["questions"]):
        raise Http404
    context = question_context(group, questions, respondent, number)
    return render(request, "workshop/respondent/question.html", context)


@require_POST
def respond_answer(request: HttpRequest, token: str) -> HttpResponse:
    """Save one answer (htmx: its status beside it; otherwise on to the next question)."""
    group, respondent = respondent_of(request, token)
    if respondent is None:
        return not_started(request, group)
    questions = questions_for(group)
    codes = [q["competence"] for q in questions["questions"]]
    try:
        if not group.accepts_answers():
            raise AnswerRefused(_("This group is closed: answers can no longer be changed."))
        question, level = checked_answer(questions, request.POST)
    except AnswerRefused as refusal:
        code = str(request.POST.get("competence", ""))
        number = codes.index(code) + 1 if code in codes else 1
        status = 409 if not group.accepts_answers() else 400
        if is_htmx(request):
            context = {"message": str(refusal)}
            return render(request, "workshop/expert/partials/refused.html", context, status=status)
        context = question_context(group, questions, respondent, number) | {"error": str(refusal)}
        return render(request, "workshop/respondent/question.html", context, status=status)
    with transaction.atomic():
        locked = Respondent.objects.select_for_update().get(pk=respondent.pk)
        locked.answers = {**locked.answers, question["competence"]: level}
        locked.save(update_fields=["answers"])
    number = codes.index(question["competence"]) + 1
    if is_htmx(request):
        done = {"answered": len(set(codes) & set(locked.answers)), "total": len(codes)}
        return render(request, "workshop/respondent/saved.html", done)
    if number < len(codes):
        return redirect(question_url(group, number + 1))
    return redirect("workshop:respond_result", token=group.token)


def result_context(group: RespondentGroup, respondent: Respondent) -> dict[str, Any]:
    questions = questions_for(group)
    return {
        "group": group,
        "study": group.study,
        "result": score(questions, respondent.answers),
        "editable": group.accepts_answers(),
    }


@never_cache
@require_GET
def respond_result(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's own result: strengths, gaps, what they did not place."""
    group, respondent = respondent_of(request, token)
    if respondent is None:
        return not_started(request, group)
    return render(request, "workshop/respondent/result.html", result_context(group, respondent))


@never_cache
@require_GET
def respond_result_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's result as a PDF, to keep (made for them only, stored nowhere)."""
    group, respondent = respondent_of(request, token)
    if respondent is None:
        return not_started(request, group)
    # a PDF is a few tenths of a second of work: bounded per respondent and per address
    for kind, who in (
        ("respondent-pdf", str(respondent.pk)),
        ("respondent-pdf-address", client_address(request)),
    ):
        if over_limit(kind, who, PDF_LIMIT):
            return too_many(request, PDF_LIMIT)
    from anticipe.report.pdf import render_typst  # Jinja and Typst, for this page only

    language = get_language() or group.study.language  # the page's, as its questions
    pdf = render_typst("self_assessment_result.typ", language, **result_context(group, respondent))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = _("my-self-assessment")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def respond_leave(request: HttpRequest, token: str) -> HttpResponse:
    """Finish on a shared device (a training room's computer): this browser forgets the
    respondent's secret, so that the next person starts their own self-assessment instead
    of opening this one's. The answers stay, counted in the group."""
    group = open_group(token)
    response = redirect("workshop:respond", token=group.token)
    path = reverse("workshop:respond", args=[group.token])
    # a prefixed cookie is only replaced by a Secure one (delete_cookie adds the flag then)
    response.delete_cookie(cookie_name(), path=path, samesite="Lax")
    return response


_GROUP = "self-assessment/<str:token>/"

urlpatterns: list[URLPattern] = [
    path(_GROUP, respond, name="respond"),
    path(_GROUP + "questions/<int:number>/", respond_question, name="respond_question"),
    path(_GROUP + "answer/", respond_answer, name="respond_answer"),
    path(_GROUP + "result/", respond_result, name="respond_result"),
    path(_GROUP + "result.pdf", respond_result_pdf, name="respond_result_pdf"),
    path(_GROUP + "leave/", respond_leave, name="respond_leave"),
]
