"""The workshop's middleware: an expert whose access ended gets a page that says why."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from anticipe.workshop.access import ExpertAccessEnded
from anticipe.workshop.views.joining import access_ended


class ExpertAccessMiddleware:
    """Answer :class:`~anticipe.workshop.access.ExpertAccessEnded`, raised by any expert's
    page or endpoint, with the page of :func:`anticipe.workshop.views.joining.access_ended`
    (a 403 that says why and how to come back: never a bare 404)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ExpertAccessEnded):
            return None
        return access_ended(request, exception)
