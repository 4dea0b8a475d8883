"""Text as it is typed: the characters a study may not hold are removed from every posted
field before any view or form sees it.

A vertical tab or a form feed pasted from Word, a stray control character or a lone
surrogate cannot be written into XLSX, DOCX or XML: stored in a factor's title, it would
break every download and every expert's offline template. The site removes them where
text enters it — every POSTed form field, whatever the view — with
:func:`anticipe.study.characters.clean_text` (the same rule the study file applies, where
such a character is refused with its field instead). Uploaded files are not touched here:
their readers check them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

from anticipe.study.characters import FORBIDDEN_CHARACTERS, clean_text


def cleaned_post(post: QueryDict) -> QueryDict | None:
    """A copy of `post` without the forbidden characters, or None when there are none."""
    if not any(
        FORBIDDEN_CHARACTERS.search(value) for values in post.lists() for value in values[1]
    ):
        return None
    cleaned = QueryDict(mutable=True, encoding=post.encoding)
    for key, values in post.lists():
        cleaned.setlist(clean_text(key), [clean_text(value) for value in values])
    cleaned._mutable = False
    return cleaned


class CleanTextMiddleware:
    """Removes the characters a study may not hold from every posted field."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            cleaned = cleaned_post(request.POST)
            if cleaned is not None:
                request.POST = cleaned  # type: ignore[assignment]  # immutable, as Django's
        return self.get_response(request)
