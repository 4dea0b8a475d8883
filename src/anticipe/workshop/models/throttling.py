"""Throttles: failed attempts counted per key (an account, a client address), with growing
delays, counted atomically and forgotten once their window has passed."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone


@dataclass(frozen=True)
class ThrottleLimit:
    """How a key slows down: `free` attempts without delay, then a delay before each next
    attempt that starts at `delay` seconds and doubles, up to `max_delay`; a key is forgotten
    `window` seconds after its last counted attempt (and once its delay is over)."""

    free: int
    delay: float
    max_delay: float
    window: float

    def wait_after(self, attempts: int) -> float:
        """Seconds to wait after the `attempts`-th counted attempt (0 while within `free`)."""
        if attempts < self.free:
            return 0.0
        steps = attempts - self.free
        if steps >= 64:  # 2**64 seconds: far beyond any max_delay
            return self.max_delay
        return min(self.delay * 2.0**steps, self.max_delay)


@dataclass(frozen=True)
class Refused:
    """An attempt refused before it was checked: the key that refused it and how long to
    wait, in whole seconds (at least 1)."""

    key: str
    wait_seconds: int


class ThrottleQuerySet(models.QuerySet["Throttle"]):
    def expired(self, now: datetime | None = None) -> ThrottleQuerySet:
        return self.filter(expires_at__lte=now or timezone.now())

    def purge_expired(self, now: datetime | None = None) -> int:
        """Delete the keys whose window has passed; returns how many."""
        deleted, _ = self.expired(now).delete()
        return deleted

    def reserve(
        self, keys: Sequence[tuple[str, ThrottleLimit]], now: datetime | None = None
    ) -> Refused | None:
        """Count one attempt on every key, or refuse it (counted on none) when a key is still
        waiting. The check and the count are one transaction that locks the keys' rows (the
        whole database on SQLite, whose writing transactions are IMMEDIATE): parallel
        attempts are counted one after the other and cannot pass a limit together. The
        attempt counts as failed until :meth:`release` says it succeeded, so the count is
        made before the password is checked."""
        now = now or timezone.now()
        with transaction.atomic():
            self.purge_expired(now)
            rows = {
                key: self.select_for_update().get_or_create(
                    key=key, defaults={"wait_until": now, "expires_at": now}
                )[0]
                for key, _limit in sorted(keys, key=lambda item: item[0])
            }
            # Only a key past its free attempts waits: a free attempt sets no delay, and
            # parallel attempts may take their `now` in another order than they lock the
            # rows, so a free attempt stamped later must not make an earlier one wait.
            limits = dict(keys)
            waits = [
                Refused(key, math.ceil((row.wait_until - now).total_seconds()))
                for key, row in rows.items()
                if row.wait_until > now and limits[key].wait_after(row.attempts) > 0
            ]
            if waits:
                return max(waits, key=lambda refused: refused.wait_seconds)
            for key, limit in keys:
                rows[key].count_attempt(limit, now)
        return None

    def release(self, forget: Sequence[str], uncount: Sequence[str]) -> None:
        """An attempt succeeded: the keys of `forget` start again from nothing (an account
        whose owner signed in), those of `uncount` no longer count it (an address: a success
        does not clear the failures made from it)."""
        self.filter(key__in=forget).delete()
        self.filter(key__in=uncount, attempts__gt=0).update(attempts=F("attempts") - 1)


class Throttle(models.Model):
    """The attempts counted on one key (``login-account:<user name>``,
    ``login-address:<address>``) within its window. Kept in the database so that every
    worker shares it."""

    key = models.CharField(max_length=255, unique=True)
    attempts = models.PositiveIntegerField(default=0)
    wait_until = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    objects = ThrottleQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.key}: {self.attempts}"

    def count_attempt(self, limit: ThrottleLimit, now: datetime) -> None:
        """One more attempt (the row is locked by the caller's transaction)."""
        if self.expires_at <= now:
            self.attempts = 0
        self.attempts += 1
        self.wait_until = now + timedelta(seconds=limit.wait_after(self.attempts))
        self.expires_at = max(now + timedelta(seconds=limit.window), self.wait_until)
        self.save(update_fields=["attempts", "wait_until", "expires_at"])
