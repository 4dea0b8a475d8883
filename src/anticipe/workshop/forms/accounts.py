"""The sign-in form, with a limit on failed attempts (by user name and by address)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from anticipe.workshop.models import LoginAttempt


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def login_is_throttled(username: str, address: str) -> bool:
    """Too many failed logins for this user name or from this address in the window."""
    attempts, seconds = settings.LOGIN_RATE_LIMIT
    since = timezone.now() - timedelta(seconds=seconds)
    recent = LoginAttempt.objects.filter(created_at__gte=since)
    return (
        recent.filter(username=username.lower()).count() >= attempts
        or recent.filter(address=address).count() >= attempts * 3
    )


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()
        address = client_address(self.request) if self.request else ""
        if login_is_throttled(username, address):
            raise self.get_invalid_login_error_throttled()
        try:
            return super().clean()
        except Exception:
            LoginAttempt.objects.create(username=username.lower()[:150], address=address)
            raise

    def get_invalid_login_error_throttled(self) -> Exception:
        from django.core.exceptions import ValidationError

        return ValidationError(
            _("Too many failed attempts. Wait a few minutes before trying again."),
            code="throttled",
        )
