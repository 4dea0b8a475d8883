"""Joining by code is rate-limited per client address and per study (issue: 300 wrong study
codes in 6 s were all answered, 50 fake experts joined in 2 s)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anticipe.workshop import rate_limits
from anticipe.workshop.models import Expert, Study
from anticipe.workshop.panel_rules import issue_invitation
from anticipe.workshop.rate_limits import Limit, over_limit
from tests.workshop.support import text as page

JOIN = reverse("workshop:join")
BACK = reverse("workshop:join_back")


@pytest.fixture(autouse=True)
def limits(settings: Any, monkeypatch: Any) -> None:
    """The site's defaults (whatever the environment of the test run says), and a clock
    that stays at the start of a window (a test never straddles two windows)."""
    settings.JOIN_LIMIT_PER_ADDRESS = (30, 600)
    settings.JOIN_LIMIT_PER_STUDY = (40, 600)
    settings.CLIENT_ADDRESS_HEADER = "REMOTE_ADDR"
    monkeypatch.setattr(rate_limits, "clock", lambda: 1_800_000.0)


def test_a_flood_of_wrong_codes_is_refused_after_the_limit(db: None) -> None:
    client = Client()
    started = time.monotonic()
    statuses = [
        client.post(JOIN, {"code": f"W{n:05d}", "name": "x", "sector": "y"}).status_code
        for n in range(300)
    ]
    assert time.monotonic() - started < 60
    assert statuses[:30] == [200] * 30  # the form again: no such study
    assert statuses[30:] == [429] * 270
    refused = client.post(JOIN, {"code": "ZZZZZZ", "name": "x", "sector": "y"})
    assert "Too many tries" in page(refused)
    assert refused["Retry-After"] == "600"
    # reading the page is not limited
    assert client.get(JOIN).status_code == 200


def test_fake_joins_from_one_address_are_limited(study: Study) -> None:
    client = Client()
    statuses = [
        client.post(JOIN, {"code": study.join_code, "name": f"Fake {n}", "sector": "x"}).status_code
        for n in range(50)
    ]
    assert statuses.count(302) == 30
    assert statuses[30:] == [429] * 20
    assert study.experts.filter(name__startswith="Fake").count() == 30


def test_fake_joins_from_many_addresses_are_limited_per_study(
    study: Study, other_study: Study, settings: Any
) -> None:
    """Behind the trusted proxy every client has its own address: the study's limit holds."""
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    statuses = [
        Client()
        .post(
            JOIN,
            {"code": study.join_code, "name": f"Fake {n}", "sector": "x"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )
        .status_code
        for n in range(50)
    ]
    assert statuses.count(302) == 40
    assert study.experts.filter(name__startswith="Fake").count() == 40
    # another study is not affected
    other = Client().post(
        JOIN,
        {"code": other_study.join_code, "name": "Real", "sector": "x"},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert other.status_code == 302


def test_without_a_trusted_header_a_client_cannot_choose_its_address(study: Study) -> None:
    statuses = [
        Client()
        .post(
            JOIN,
            {"code": "WRONG1", "name": "x", "sector": "y"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )
        .status_code
        for n in range(31)
    ]
    assert statuses[-1] == 429  # one address (the connection's), whatever the header says


def test_guessing_return_codes_is_limited(study: Study) -> None:
    client = Client()
    statuses = [
        client.post(
            BACK, {"back-code": study.join_code, "back-return_code": f"AAAA-AAAA-{n:04d}"}
        ).status_code
        for n in range(35)
    ]
    assert statuses[:30] == [200] * 30
    assert statuses[30:] == [429] * 5


def test_a_personal_link_is_not_limited(study: Study) -> None:
    client = Client()
    for _n in range(31):
        client.post(JOIN, {"code": "WRONG1", "name": "x", "sector": "y"})
    assert client.post(JOIN, {"code": "WRONG1", "name": "x", "sector": "y"}).status_code == 429
    newcomer = Expert.objects.create(study=study, code="E04", name="Dana", sector="x")
    _, token = issue_invitation(newcomer)
    assert client.post(reverse("workshop:invitation", args=[token])).status_code == 302


def test_the_limit_holds_for_its_window_only(db: None, monkeypatch: Any) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(rate_limits, "clock", lambda: now[0])
    limit = Limit(3, 60)
    assert [over_limit("test", "a", limit) for _ in range(4)] == [False, False, False, True]
    assert not over_limit("test", "b", limit)  # another address counts on its own
    now[0] += 60
    assert not over_limit("test", "a", limit)
