"""Signing in, with a limit on failed attempts."""

from __future__ import annotations

from html import escape
from typing import Any

from django.test import Client
from django.urls import reverse


def test_login_and_home(facilitator: Any, study: Any) -> None:
    client = Client()
    response = client.post(
        reverse("login"), {"username": "facilitator", "password": "facilitator-pw-1"}
    )
    assert response.status_code == 302
    home = client.get(reverse("workshop:home"))
    assert home.status_code == 200
    assert escape("Métier d'essai") in home.content.decode()


def test_home_requires_login(anonymous_client: Client) -> None:
    response = anonymous_client.get(reverse("workshop:home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_pages_send_a_strict_content_security_policy(anonymous_client: Client) -> None:
    response = anonymous_client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()
    assert "style=" not in response.content.decode()
