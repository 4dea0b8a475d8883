"""Benchmark of the desk's results pages with a big study: 40 experts x 30 factors.

Builds a simulated study (labelled as such: ``tests/workshop/support.py``),
imports it into a fresh test database (SQLite, or PostgreSQL when ``DATABASE_URL`` is set),
signs a facilitator in with Django's test client, visits every page once (a server already
running: its templates compiled), then, as a facilitator does:

- closes the study's rounds (each reopened first), through the site: closing a round
  enqueues the analysis (the structural analysis with its 1,000 bootstrap resamples) as a
  background task; tasks run here in the process, as in ``anticipe demo`` (with a worker,
  the same work runs there), so each close is timed with the analysis it started;
- renders every results page: the first visit after the rounds closed (what the first
  visitor pays: the pages never compute the bootstrap in a request) and the median of the
  next renders, wall-clock time through the whole Django stack.

Target: every page under 300 ms, on its first visit after closing as on later ones. Timings
depend on the machine's load, printed beside them.

Usage::

    uv run python benchmarks/bench_results_pages.py           # full run (7 warm renders)
    uv run python benchmarks/bench_results_pages.py --smoke   # quick run for CI
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anticipe_bench_pages \\
        uv run python benchmarks/bench_results_pages.py     # (creates test_<name>)

Exit code 1 if a page does not answer 200.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.3
PAGES = (
    "results_vote",
    "results_structure",
    "results_hypotheses",
    "results_impacts",
    "desk",
    "key_factors",
    "projector_panel",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="quick run for CI")
    parser.add_argument("--repeat", type=int, default=None, help="warm renders per page")
    parser.add_argument("--experts", type=int, default=40)
    parser.add_argument("--factors", type=int, default=30)
    args = parser.parse_args()
    repeat = args.repeat if args.repeat is not None else (2 if args.smoke else 7)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from tests.workshop.support import simulated_study

    from anticipe.workshop.study_format import import_study

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    failed = False
    try:
        document = simulated_study(args.experts, args.factors)
        if args.smoke:
            document["parameters"] = {"disagreement": {"resamples": 100}}
        user = get_user_model().objects.create_user("bench-facilitator")
        started = time.perf_counter()
        study = import_study(document, owner=user)
        print(
            f"database: {connection.vendor}; study: {args.experts} experts x {args.factors} "
            f"factors (simulated), imported in {time.perf_counter() - started:.1f} s"
        )
        from anticipe.workshop.models import Round

        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"machine: {os.cpu_count()} cores, load average {load}")
        client = Client()
        client.force_login(user)
        key = study.factors.key().first()
        urls = [(name, reverse(f"workshop:{name}", args=[study.pk])) for name in PAGES]
        if key is not None:
            urls.append(
                ("factor_decisions", reverse("workshop:factor_decisions", args=[study.pk, key.pk]))
            )
        for _name, url in urls:  # a server already running: its templates compiled
            client.get(url)
        latest = [
            study.rounds.filter(step=step).order_by("-iteration").first()
            for step in Round.Step.values
        ]
        for round_ in [r for r in latest if r is not None and r.status == Round.Status.CLOSED]:
            round_.open()
            begin = time.perf_counter()
            response = client.post(reverse("workshop:round_close", args=[study.pk, round_.pk]))
            closing = time.perf_counter() - begin
            failed |= response.status_code != 302
            print(f"closing {round_} (with the analysis it starts): {closing:.2f} s")
        print(f"\n{'page':20} {'first ms':>9} {'warm ms':>9} {'target ms':>10}")
        for name, url in urls:
            begin = time.perf_counter()
            response = client.get(url)
            first = time.perf_counter() - begin
            pending = b'id="results-pending"' in response.content
            walls = []
            for _ in range(repeat):
                begin = time.perf_counter()
                response = client.get(url)
                walls.append(time.perf_counter() - begin)
            warm = statistics.median(walls)
            ok = response.status_code == 200
            failed |= not ok
            failed |= pending
            verdict = "" if max(first, warm) < TARGET_SECONDS else "  (over target)"
            print(
                f"{name:20} {first * 1000:9.0f} {warm * 1000:9.0f} "
                f"{TARGET_SECONDS * 1000:10.0f}{verdict}"
                + ("" if ok else f"  HTTP {response.status_code}")
                + ("  (still being computed)" if pending else "")
            )
        load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"load average after the runs: {load}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
