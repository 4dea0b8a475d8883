"""No page, fragment or download gives anyone but a respondent their answers, and nobody a
respondent's secret; a group's counts appear only once it is closed and when it has the
minimum of respondents, and only such a group's counts are downloaded.

Three groups of the small study's self-assessment (minimum 2): one open (two respondents),
one closed with one respondent, one closed with two. Every GET URL of the workshop, with
the arguments the study offers, is opened by each persona (facilitator, observer, outsider,
expert, anonymous), as a page and as an htmx fragment, before and after the study is
published. No response may hold a respondent's secret or the counts of the open or the
small group (their ``below.<group>.`` cells); the big group's counts are found (the walk
can see counts when they are there).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from anticipe.workshop.models import RespondentGroup, SelfAssessment, Study
from anticipe.workshop.urls import urlpatterns
from anticipe.workshop.views.respondent import cookie_name
from tests.workshop.support import HTMX, published

pytestmark = pytest.mark.slow


def respond(group: RespondentGroup, levels: dict[str, str]) -> tuple[Client, str]:
    client = Client()
    assert client.post(reverse("workshop:respond", args=[group.token])).status_code == 302
    for code, level in levels.items():
        url = reverse("workshop:respond_answer", args=[group.token])
        assert client.post(url, {"competence": code, "level": level}).status_code == 302
    return client, client.cookies[cookie_name()].value


@pytest.fixture
def groups(study: Study) -> dict[str, Any]:
    SelfAssessment.objects.create(
        study=study, published=True, competences=["C1", "C2"], min_group_size=2
    )
    made = {
        code: RespondentGroup.objects.create(study=study, code=code)
        for code in ("OPEN", "SMALL", "BIG")
    }
    secrets = []
    holders = []
    for code, count in (("OPEN", 2), ("SMALL", 1), ("BIG", 2)):
        for n in range(count):
            client, secret = respond(made[code], {"C1": str(n + 1), "C2": "?"})
            secrets.append(secret)
            holders.append((client, made[code]))
    for code in ("SMALL", "BIG"):
        made[code].closed = True
        made[code].save()
    return {"groups": made, "secrets": secrets, "holders": holders}


def every_url(study: Study, groups: dict[str, RespondentGroup]) -> list[str]:
    values: dict[str, list[Any]] = {
        "study_id": [study.pk],
        "token": [g.token for g in groups.values()],
        "group_id": [g.pk for g in groups.values()],
        "number": [1, 2],
        "fmt": ["csv", "xlsx", "json"],
    }
    urls = []
    for pattern in urlpatterns:
        if not isinstance(pattern, URLPattern):
            continue
        names = list(pattern.pattern.converters)  # type: ignore[attr-defined]
        for combination in itertools.product(*(values.get(name, [1]) for name in names)):
            kwargs = dict(zip(names, combination, strict=True))
            urls.append(reverse(f"workshop:{pattern.name}", kwargs=kwargs))
    return urls


def walk(clients: dict[str, Client], urls: list[str], secrets: list[str]) -> str:
    """Every URL as every persona; the problems found, and every body read (joined)."""
    problems = []
    bodies = []
    for persona, client in clients.items():
        for url in urls:
            for headers in ({}, HTMX):
                response = client.get(url, **headers)
                if response.status_code != 200:
                    break
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                ).decode("utf-8", errors="replace")
                # a download names its group in its file name
                named = response.get("Content-Disposition", "")
                bodies.append(body + named)
                found = [s for s in secrets if s in body or s in str(response.cookies)]
                found += [key for key in ("below.OPEN.", "below.SMALL.") if key in body]
                found += [g for g in ("-OPEN.", "-SMALL.") if g in named]
                found += [f'"code": "{g}"' for g in ("OPEN", "SMALL") if f'"code": "{g}"' in body]
                problems += [f"{persona} {url}: {item}" for item in found]
    assert problems == []
    return "\n".join(bodies)


def test_no_response_gives_an_answer_or_a_secret_to_anyone_else(
    study: Study,
    groups: dict[str, Any],
    facilitator_client: Client,
    observer_client: Client,
    outsider_client: Client,
    expert_client: Client,
) -> None:
    urls = every_url(study, groups["groups"])
    clients = {
        "facilitator": facilitator_client,
        "outsider": outsider_client,
        "expert": expert_client,
        "anonymous": Client(),
    }
    read = walk(clients, urls, groups["secrets"])
    assert "below.BIG.C1" in read  # the walk reads counts where they are shown
    assert "self-assessment-BIG.xlsx" in read  # and downloads them
    published(study)
    read = walk({"observer": observer_client, **clients}, urls, groups["secrets"])
    assert "below.BIG.C1" in read
    assert "self-assessment-BIG.csv" in read
    # each holder reads their own result, and theirs only
    for client, group in groups["holders"]:
        page = client.get(reverse("workshop:respond_result", args=[group.token]))
        assert page.status_code == 200
        others = [g for g in groups["groups"].values() if g != group]
        for other in others:
            url = reverse("workshop:respond_result", args=[other.token])
            assert client.get(url).status_code == 403


def test_the_walk_finds_a_secret(db: Any) -> None:
    """The walk's reading can fail: a page that printed a "secret" is reported."""
    with pytest.raises(AssertionError):
        walk({"anonymous": Client()}, [reverse("workshop:glossary")], ["Glossary"])
