"""Failed logins slow down the account and the client's address, never anyone else; the
counts are made atomically, before the password is checked, and forgotten after their
window."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from anticipe.workshop.client import client_address, normalised_address
from anticipe.workshop.models import Throttle, ThrottleLimit

LIMITS = {
    "account": {"free": 3, "delay": 1, "max_delay": 60, "window": 900},
    "address": {"free": 8, "delay": 1, "max_delay": 900, "window": 900},
}
PASSWORD = "facilitator-pw-1"


@pytest.fixture(autouse=True)
def limits(settings: Any) -> None:
    settings.LOGIN_THROTTLE = LIMITS
    settings.CLIENT_ADDRESS_HEADER = "REMOTE_ADDR"


class Clock:
    """timezone.now() of the throttle, moved by hand."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    moved = Clock()
    with mock.patch("anticipe.workshop.models.throttling.timezone.now", moved):
        yield moved


@pytest.fixture
def second_user(db: Any) -> Any:
    return get_user_model().objects.create_user("second", password="second-pw-1")


def login(username: str, password: str, address: str = "198.51.100.1", **meta: str) -> Any:
    return Client(REMOTE_ADDR=address, **meta).post(
        reverse("login"), {"username": username, "password": password}
    )


def signed_in(response: Any) -> bool:
    return response.status_code == 302


# -- per account -------------------------------------------------------------------------------


def test_failed_logins_slow_the_account_down_then_let_its_owner_in(
    facilitator: Any, clock: Clock
) -> None:
    for _ in range(3):
        assert login("facilitator", "wrong").status_code == 200
    refused = login("Facilitator", PASSWORD, address="203.0.113.9")  # any case, any address
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"
    assert "Too many failed attempts. Try again in 1 second." in refused.content.decode()
    clock.advance(1)
    assert signed_in(login("facilitator", PASSWORD))
    assert not Throttle.objects.filter(key="login-account:facilitator").exists()


def test_delays_double_and_stop_at_the_maximum(facilitator: Any, clock: Clock) -> None:
    waits: list[int] = []
    for _ in range(12):
        clock.advance(waits[-1] if waits else 0)
        response = login("facilitator", "wrong", address=f"198.51.100.{len(waits) + 10}")
        assert response.status_code == 200  # checked: the delay had passed
        row = Throttle.objects.get(key="login-account:facilitator")
        waits.append(round((row.wait_until - clock.now).total_seconds()))
    assert waits == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60, 60]
    # an attacker keeps the owner out for at most the maximum delay after their last try
    clock.advance(59)
    assert login("facilitator", PASSWORD).status_code == 429
    clock.advance(1)
    assert signed_in(login("facilitator", PASSWORD))


def test_refused_attempts_are_not_counted_and_do_not_extend_the_wait(
    facilitator: Any, clock: Clock
) -> None:
    for _ in range(3):
        login("facilitator", "wrong")
    for _ in range(50):
        assert login("facilitator", "wrong", address="192.0.2.7").status_code == 429
    assert Throttle.objects.get(key="login-account:facilitator").attempts == 3
    assert Throttle.objects.get(key="login-address:192.0.2.7").attempts == 0
    clock.advance(1)
    assert signed_in(login("facilitator", PASSWORD))


def test_failed_logins_for_one_account_never_block_another(
    facilitator: Any, second_user: Any, clock: Clock
) -> None:
    # from many addresses (no address limit reached): only the attacked account slows down
    for attempt in range(40):
        login("facilitator", "wrong", address=f"198.51.100.{attempt}")
        clock.advance(0.5)
    assert signed_in(login("second", "second-pw-1", address="198.51.100.1"))
    # from one address, up to its limit: the other account still gets in from there
    clock.advance(3600)
    for _ in range(7):
        login("facilitator", "wrong", address="192.0.2.50")
        clock.advance(60)
    assert signed_in(login("second", "second-pw-1", address="192.0.2.50"))
    # beyond the address's limit only that address waits; the other account, from any
    # other address, is not concerned
    for _ in range(20):
        login("facilitator", "wrong", address="192.0.2.50")
        clock.advance(60)
    assert login("second", "second-pw-1", address="192.0.2.50").status_code == 429
    assert signed_in(login("second", "second-pw-1", address="192.0.2.51"))


def test_a_success_does_not_clear_its_address(facilitator: Any, clock: Clock) -> None:
    """An attacker with one valid account cannot wipe their address's failures."""
    get_user_model().objects.create_user("mine", password="mine-pw-1")
    for name in ("a", "b", "c", "d", "e"):
        login(name, "wrong", address="192.0.2.60")
    assert signed_in(login("mine", "mine-pw-1", address="192.0.2.60"))
    assert Throttle.objects.get(key="login-address:192.0.2.60").attempts == 5


# -- the client's address behind a proxy ------------------------------------------------------

PROXY = {"REMOTE_ADDR": "10.0.0.2"}  # every request comes from the reverse proxy


def test_behind_the_proxy_one_client_does_not_lock_everyone(
    settings: Any, facilitator: Any, second_user: Any, clock: Clock
) -> None:
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    for name in [f"user{n}" for n in range(30)]:
        login(name, "wrong", address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert Throttle.objects.get(key="login-address:203.0.113.66").attempts == 8
    assert not Throttle.objects.filter(key="login-address:10.0.0.2").exists()
    blocked = login(
        "second", "second-pw-1", address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66"
    )
    assert blocked.status_code == 429
    other = login("second", "second-pw-1", address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.67")
    assert signed_in(other)


def request_from(remote: str, forwarded: str | None = None) -> Any:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_the_client_address_is_remote_addr_by_default() -> None:
    assert client_address(request_from("192.0.2.1", "203.0.113.5")) == "192.0.2.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        # a client that sends its own header cannot choose its address: the proxy appends
        (1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        (2, "1.2.3.4, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.2"),  # fewer entries than proxies: not through them
        (1, "", "10.0.0.2"),  # not through the proxy
        (1, "unknown", "10.0.0.2"),
        (1, "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        (1, "::ffff:203.0.113.5", "203.0.113.5"),
    ],
)
def test_the_client_address_behind_trusted_proxies(
    settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    settings.CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.TRUSTED_PROXIES = proxies
    assert client_address(request_from("10.0.0.2", forwarded)) == expected


def test_addresses_of_one_ipv6_network_count_together() -> None:
    assert normalised_address("2001:db8::1") == normalised_address("2001:db8::ffff:1")
    assert normalised_address("not an address") == ""


# -- atomic counting ---------------------------------------------------------------------------


def test_the_attempt_is_counted_before_the_password_is_checked(db: Any, clock: Clock) -> None:
    """Attempts in flight (counted, not yet checked) count: a burst cannot pass the limit
    while earlier checks are still running."""
    limit = ThrottleLimit(free=3, delay=1, max_delay=60, window=900)
    outcomes = [Throttle.objects.reserve([("k", limit)]) for _ in range(12)]
    assert [outcome is None for outcome in outcomes] == [True] * 3 + [False] * 9
    assert Throttle.objects.get(key="k").attempts == 3


def test_a_free_attempt_stamped_later_does_not_refuse_an_earlier_one(db: Any) -> None:
    """Parallel attempts take their time before they lock the rows, so they may be counted
    out of order: a free attempt (which sets no delay) counted at t + 1 ms must not make
    the attempt stamped t wait (the CI run where 2 of 3 free attempts passed)."""
    limit = ThrottleLimit(free=3, delay=1, max_delay=60, window=900)
    start = timezone.now()
    assert Throttle.objects.reserve([("k", limit)], now=start + timedelta(milliseconds=1)) is None
    assert Throttle.objects.reserve([("k", limit)], now=start) is None
    assert Throttle.objects.reserve([("k", limit)], now=start) is None
    assert Throttle.objects.reserve([("k", limit)], now=start) is not None


def test_a_refusal_on_one_key_counts_on_none(db: Any, clock: Clock) -> None:
    tight = ThrottleLimit(free=1, delay=5, max_delay=5, window=900)
    loose = ThrottleLimit(free=100, delay=1, max_delay=1, window=900)
    assert Throttle.objects.reserve([("a", tight), ("b", loose)]) is None
    refused = Throttle.objects.reserve([("a", tight), ("b", loose)])
    assert refused is not None
    assert (refused.key, refused.wait_seconds) == ("a", 5)
    assert Throttle.objects.get(key="b").attempts == 1


def test_the_wait_grows_from_the_free_attempts() -> None:
    limit = ThrottleLimit(free=2, delay=1, max_delay=10, window=60)
    assert [limit.wait_after(n) for n in range(1, 8)] == [0, 1, 2, 4, 8, 10, 10]
    assert limit.wait_after(10**6) == 10


# -- retention ----------------------------------------------------------------------------------


def test_counts_are_forgotten_after_their_window(facilitator: Any, clock: Clock) -> None:
    login("facilitator", "wrong")
    assert Throttle.objects.count() == 2  # the account and the address
    clock.advance(899)
    assert Throttle.objects.purge_expired(clock.now) == 0
    clock.advance(1)
    output = io.StringIO()
    with mock.patch("django.utils.timezone.now", clock):
        call_command("purge_login_attempts", stdout=output)
    assert "2 expired" in output.getvalue()
    assert not Throttle.objects.exists()


def test_each_attempt_purges_the_expired_counts(facilitator: Any, clock: Clock) -> None:
    login("someone", "wrong", address="192.0.2.1")
    clock.advance(900)
    login("facilitator", "wrong", address="192.0.2.2")
    assert set(Throttle.objects.values_list("key", flat=True)) == {
        "login-account:facilitator",
        "login-address:192.0.2.2",
    }


def test_a_login_without_a_password_is_not_counted(facilitator: Any) -> None:
    response = Client().post(reverse("login"), {"username": "facilitator", "password": ""})
    assert response.status_code == 200
    assert not Throttle.objects.exists()


PARALLEL_LOGINS = """
import json, os, sys, threading
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.management import call_command
from django.db import connection
from django.test import Client

call_command("migrate", verbosity=0)
get_user_model().objects.create_user("facilitator", password="right-password-1")
connection.close()
checks = []
user_login_failed.connect(lambda **kwargs: checks.append(1), weak=False)
start = threading.Barrier(int(sys.argv[1]))
statuses = []

def attempt():
    client = Client()
    start.wait()
    response = client.post("/login/", {"username": "facilitator", "password": "wrong"})
    statuses.append(response.status_code)
    connection.close()

threads = [threading.Thread(target=attempt) for _ in range(int(sys.argv[1]))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"checks": len(checks), "statuses": sorted(statuses)}))
"""


@pytest.mark.slow
def test_parallel_attempts_cannot_pass_the_limit(tmp_path: Any) -> None:
    """12 password checks at once on a file database, each in its own thread and
    connection, with a limit of 3: 3 checks are made, 9 are refused before checking."""
    import json
    import os
    import subprocess
    import sys

    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ANTICIPE_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "anticipe.site.settings",
        "ANTICIPE_DEBUG": "1",
        "ANTICIPE_DATA_DIR": str(tmp_path),
        "ANTICIPE_LOGIN_ACCOUNT_ATTEMPTS": "3",
        "ANTICIPE_ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", PARALLEL_LOGINS, "12"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"checks": 3, "statuses": [200] * 3 + [429] * 9}


def test_the_admin_sign_in_is_counted_on_the_same_keys(facilitator: Any, clock: Clock) -> None:
    facilitator.is_staff = True
    facilitator.save()
    client = Client(REMOTE_ADDR="198.51.100.1")
    for _ in range(3):
        client.post(reverse("admin:login"), {"username": "facilitator", "password": "wrong"})
    refused = client.post(reverse("admin:login"), {"username": "facilitator", "password": PASSWORD})
    assert "Too many failed attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert login("facilitator", PASSWORD).status_code == 429  # the site's sign-in too
    clock.advance(1)
    answer = client.post(reverse("admin:login"), {"username": "facilitator", "password": PASSWORD})
    assert answer.status_code == 302
