"""The client of the load benchmark (``bench_load.py``): simulated experts answering the
influence matrix from their browsers, kept light so that it is not the bottleneck.

Each simulated expert is a thread with its own keep-alive HTTP connection (standard library
``http.client``) and cookie jar, like one phone's browser. It follows its personal
invitation link, opens its expert page and the matrix page (and, on this first visit, the
stylesheets and scripts the page references), then answers one cell after another, a think
time apart (``plan["pace"]``: 0.5-1 s by default), as htmx does: a POST of the cell's form
with the ``HX-Request`` header and the CSRF token the page put in its ``hx-headers``. After
each factor's last cell it opens the next factor's page. The experts are spread over a few
processes (one Python process cannot keep 100 connections busy without its own lock becoming
the bottleneck).

Only 127.0.0.1 is ever contacted, and every loop stops by itself at the end of the run.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit

HOST = "127.0.0.1"
VALUES = ("0", "1", "2", "3", "P", "?")
REQUEST_TIMEOUT = 30.0  # seconds: a request slower than this is an error
# seconds a person takes between two saves (and before opening the next factor's page),
# drawn uniformly between the two: the default is someone tapping as fast as they can
PACE = (0.5, 1.0)
LOGINS_AT_ONCE = 10  # experts of one client process logging in at the same time
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
ASSET = re.compile(r'<(?:script[^>]* src|link rel="stylesheet" href)="(/static/[^"]+)"')


class BrowserError(Exception):
    """The site did not answer as a browser expects (status, missing token...)."""


@dataclass
class Sample:
    kind: str  # "save" (a matrix cell) or "page" (the next factor's page)
    at: float  # seconds since the start of the run
    latency_ms: float
    status: int  # 0: no answer (exception)
    error: str = ""


@dataclass
class ExpertResult:
    code: str
    samples: list[Sample] = field(default_factory=list)
    # (source, target) -> (last value sent, acknowledged by the server)
    answers: dict[tuple[str, str], tuple[str, bool]] = field(default_factory=dict)
    login_error: str = ""
    first_visit_bytes: dict[str, int] = field(default_factory=dict)
    retries: int = 0


class Browser:
    """One keep-alive connection to the server, with cookies, like a phone's browser."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"http://{HOST}:{port}"
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.retries = 0

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """Send a request and read the whole answer. A keep-alive connection the server
        closed while idle is reopened once, as browsers do."""
        all_headers = {
            "Accept-Language": "fr",
            "User-Agent": "anticipe-bench-load",
            **(headers or {}),
        }
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            reused = self.connection is not None
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    HOST, self.port, timeout=REQUEST_TIMEOUT
                )
            try:
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if reused and attempt == 1:
                    self.retries += 1
                    continue
                raise
            except Exception:
                self.close()
                raise
            for cookie in response.msg.get_all("Set-Cookie") or []:
                parsed = SimpleCookie()
                parsed.load(cookie)
                for name, morsel in parsed.items():
                    self.cookies[name] = morsel.value
            if response.will_close:
                self.close()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, content
        raise AssertionError("unreachable")

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, headers={"Accept": "text/html"})


class SimulatedExpert:
    """One expert answering the matrix: login, then one cell after another."""

    def __init__(self, port: int, plan: dict[str, Any], expert: dict[str, str], seed: int) -> None:
        self.browser = Browser(port)
        self.plan = plan
        self.token = expert["token"]
        self.result = ExpertResult(expert["code"])
        self.random = random.Random(seed)
        self.page = f"/studies/{plan['study']}/me/rounds/{plan['round']}/"
        self.cell_url = self.page + "matrix/cell/"
        self.csrf = ""

    # -- first visit ------------------------------------------------------------------------
    def login(self, fetch_assets: bool) -> None:
        """Follow the personal link, open the home page and the matrix page (its token)."""
        try:
            link = f"/invitation/{self.token}/"
            status, _, invitation = self.browser.get(link)  # a page with a button
            token = CSRF_HEADER.search(invitation.decode("utf-8"))
            if status != 200 or token is None:
                raise BrowserError(f"invitation link answered {status}")
            status, headers, _ = self.browser.request(
                "POST", link, body=urlencode({"csrfmiddlewaretoken": token[1]})
            )
            if status != 302 or "sessionid" not in self.browser.cookies:
                raise BrowserError(f"invitation button answered {status}")
            home = urlsplit(headers.get("location", "")).path
            status, _, _ = self.browser.get(home)
            if status != 200:
                raise BrowserError(f"home page answered {status}")
            status, _, page = self.browser.get(self.page)
            if status != 200:
                raise BrowserError(f"matrix page answered {status}")
            html = page.decode("utf-8")
            found = CSRF_HEADER.search(html)
            if found is None:
                raise BrowserError("no CSRF token in the matrix page")
            self.csrf = found[1]
            self.result.first_visit_bytes["matrix page"] = len(page)
            if fetch_assets:
                for asset in ASSET.findall(html):
                    status, _, content = self.browser.get(asset)
                    if status != 200:
                        raise BrowserError(f"{asset} answered {status}")
                    self.result.first_visit_bytes[asset] = len(content)
        except (BrowserError, OSError, http.client.HTTPException) as error:
            self.result.login_error = f"{type(error).__name__}: {error}"
            self.browser.close()

    # -- answering --------------------------------------------------------------------------
    def cells(self) -> list[tuple[str, str]]:
        factors = self.plan["factors"]
        return [(s, t) for s in factors for t in factors if s != t]

    def timed(
        self, kind: str, start: float, method: str, path: str, body: str | None = None
    ) -> tuple[int, bytes]:
        began = time.perf_counter()
        at = time.time() - start
        headers = {
            "HX-Request": "true",
            "HX-Current-URL": self.browser.origin + self.page,
            "Origin": self.browser.origin,
            "Referer": self.browser.origin + self.page,
            "X-CSRFToken": self.csrf,
            "Accept": "*/*",
        }
        try:
            if method == "GET":
                status, _, content = self.browser.get(path)
            else:
                status, _, content = self.browser.request(method, path, body, headers)
            error = "" if 200 <= status < 300 else f"HTTP {status}"
        except (OSError, http.client.HTTPException) as failure:
            status, content, error = 0, b"", f"{type(failure).__name__}: {failure}"
        latency = (time.perf_counter() - began) * 1000
        self.result.samples.append(Sample(kind, at, latency, status, error))
        return status, content

    def answer(self, start: float, end: float) -> None:
        """Answer cells until `end` (a wall-clock time), then stop."""
        if self.result.login_error:
            return
        cells = self.cells()
        others = len(self.plan["factors"]) - 1
        low, high = self.plan.get("pace", PACE)
        time.sleep(max(0.0, start - time.time()) + self.random.uniform(0.0, high))
        index = 0
        while time.time() < end:
            source, target = cells[index % len(cells)]
            value = self.random.choice(VALUES)
            body = urlencode(
                {
                    "csrfmiddlewaretoken": self.csrf,
                    "source": source,
                    "target": target,
                    "value": value,
                }
            )
            status, content = self.timed("save", start, "POST", self.cell_url, body)
            acknowledged = status == 200 and b'class="saved"' in content
            if status == 200 and not acknowledged:
                self.result.samples[-1].error = "200 without the saved state"
            self.result.answers[source, target] = (value, acknowledged)
            index += 1
            if index % others == 0 and time.time() < end:  # on to the next factor's page
                following = cells[index % len(cells)][0]
                time.sleep(self.random.uniform(low, high))
                if time.time() < end:
                    self.timed("page", start, "GET", f"{self.page}?factor={following}")
            time.sleep(self.random.uniform(low, high))
        self.browser.close()
        self.result.retries = self.browser.retries


def run_process(
    port: int,
    plan: dict[str, Any],
    experts: list[dict[str, str]],
    first: int,
    duration: float,
    outbox: Any,
    inbox: Any,
) -> None:
    """One client process: its experts log in (concurrently), the process says it is
    ready, waits for the start time, answers for `duration` seconds, and sends back what
    every expert measured."""
    simulated = [
        SimulatedExpert(port, plan, expert, seed=first + number)
        for number, expert in enumerate(experts)
    ]
    gate = threading.Semaphore(LOGINS_AT_ONCE)

    def login(expert: SimulatedExpert) -> None:
        with gate:  # people arrive over some seconds, not all in the same instant
            expert.login(True)

    logins = [threading.Thread(target=login, args=(expert,), daemon=True) for expert in simulated]
    for thread in logins:
        thread.start()
    for thread in logins:
        thread.join(timeout=4 * REQUEST_TIMEOUT)
    outbox.put(("ready", first, [e.result.login_error for e in simulated]))
    start = float(inbox.get(timeout=600))
    end = start + duration
    cpu = time.process_time()
    workers = [
        threading.Thread(target=expert.answer, args=(start, end), daemon=True)
        for expert in simulated
    ]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=max(0.0, end - time.time()) + 3 * REQUEST_TIMEOUT)
    cpu = time.process_time() - cpu  # this client's CPU seconds while answering
    outbox.put(("done", first, ([expert.result for expert in simulated], cpu)))
