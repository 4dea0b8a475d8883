"""The sign-in form, with growing delays after failed attempts, per account and per client
address (:class:`~anticipe.workshop.models.Throttle`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

from anticipe.workshop.client import client_address
from anticipe.workshop.models import Throttle, ThrottleLimit

__all__ = [
    "ThrottledAdminAuthenticationForm",
    "ThrottledAuthenticationForm",
    "client_address",
    "login_keys",
]

THROTTLED = "throttled"


def login_keys(username: str, address: str) -> tuple[str, str]:
    """The throttle keys of a login: the account (user names compare without case) and the
    client's address."""
    return f"login-account:{username.strip().lower()}", f"login-address:{address}"


def login_limit(kind: str) -> ThrottleLimit:
    """The limit of `kind` ("account" or "address") from ``settings.LOGIN_THROTTLE``."""
    return ThrottleLimit(**settings.LOGIN_THROTTLE[kind])


def wait_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext(
            "Too many failed attempts. Try again in %(count)d second.",
            "Too many failed attempts. Try again in %(count)d seconds.",
            seconds,
        ) % {"count": seconds}
    minutes = -(-seconds // 60)
    return ngettext(
        "Too many failed attempts. Try again in %(count)d minute.",
        "Too many failed attempts. Try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}


class ThrottledAuthenticationForm(AuthenticationForm):
    """Each password check is counted, before it is made, on the account and on the client's
    address; a check that a key's delay forbids is not made (and not counted)."""

    wait_seconds = 0

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username") or "")
        if not (username.strip() and self.data.get("password")):
            return super().clean()  # nothing is checked: "this field is required"
        account, address = login_keys(
            username, client_address(self.request) if self.request else ""
        )
        refused = Throttle.objects.reserve(
            [(account, login_limit("account")), (address, login_limit("address"))]
        )
        if refused is not None:
            self.wait_seconds = refused.wait_seconds
            raise ValidationError(wait_message(refused.wait_seconds), code=THROTTLED)
        cleaned = super().clean()  # a failed check stays counted
        Throttle.objects.release(forget=[account], uncount=[address])
        return cleaned

    def is_throttled(self) -> bool:
        return self.wait_seconds > 0


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin site's sign-in (staff only), counted on the same keys as the site's."""
