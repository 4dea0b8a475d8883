"""``anticipe manage purge_login_attempts``: forget the failed logins whose window has passed.

Every login attempt already deletes them; this command is for a scheduler (cron, a systemd
timer) so that a user name or an address is never kept longer than ``LOGIN_WINDOW`` after
the last attempt, even when nobody signs in afterwards.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from anticipe.workshop.models import Throttle


class Command(BaseCommand):
    help = "Delete the counts of failed logins (user names, addresses) whose window has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = Throttle.objects.purge_expired()
        self.stdout.write(f"{deleted} expired login attempt count(s) deleted")
