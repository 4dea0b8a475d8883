"""Load benchmark of the site: experts autosaving influence-matrix answers concurrently.

What it does, for each database asked (SQLite, PostgreSQL):

1. prepares a fresh data folder (and, for PostgreSQL, a fresh database of its own, dropped
   at the end) with the site's production settings (``ANTICIPE_DEBUG=0``, a secret key,
   ``ANTICIPE_SECURE=0`` as there is no HTTPS here): migrate, collectstatic, the example
   study imported, ``--experts`` experts added, an influence round opened on its 20
   shortlisted factors (``benchmarks/load_site.py``);
2. starts the site the way production does: gunicorn ``anticipe.site.wsgi`` on 127.0.0.1
   (a free port), ``--workers`` processes of ``--threads`` threads (1: the sync worker, the
   default, as recommended: on 2 cores, threads made the tail worse, as they share each
   process's interpreter lock and, on SQLite, wait for each other's write lock in sleeps),
   static files through WhiteNoise;
3. every simulated expert follows their personal invitation link, opens the matrix page
   (and its stylesheets and scripts) like a browser, then for ``--duration`` seconds saves
   one cell after another as htmx does, 0.5-1 s apart (a person tapping as fast as they can;
   ``--pace`` sets another think time), opening the next factor's page after each factor
   (``benchmarks/load_client.py``: threads with keep-alive ``http.client`` connections
   spread over ``--clients`` processes);
4. measures each request's latency from the client, counts errors (non-2xx, exceptions, a
   save without the saved state), stops the server, then checks in the database that every
   answer the server acknowledged is stored (no lost answer).

Target (issue 3): p95 of the saves under 100 ms with no error, on a 2-core machine.

Scale-out (issue 16), ``--servers 2 --kill-one``: PostgreSQL only; two gunicorn servers on
two ports share the database, the cache in Redis (``--redis``, a database number of its own,
emptied before and after) and the task queue, with a task worker (``db_worker``) beside them,
as two app servers behind a load balancer would; the experts are spread over both (each
client process talks to one server); halfway through, the first server is killed with
``SIGKILL`` (its master and workers at once). Its experts' requests fail from then on (the
"killed server's window", counted apart); the other server must keep serving without error,
and every answer either server acknowledged must be stored. Target: p95 < 150 ms, 0 errors
outside the window, 0 acknowledged answers lost, at a person's pace (``--pace 2-6``: the
site estimates an answer at about 4 s); the default pace (0.5-1 s, someone tapping as fast
as they can: about 667 saves/s for 500 experts) measures the servers' capacity, beyond what
2 cores serve.

Usage::

    uv run python benchmarks/bench_load.py --smoke                   # CI: a few experts, seconds
    uv run python benchmarks/bench_load.py --experts 100 --duration 60 --database sqlite
    uv run python benchmarks/bench_load.py --experts 100 --duration 60 --database postgres
    uv run python benchmarks/bench_load.py --database both
    uv run python benchmarks/bench_load.py --database postgres --servers 2 --kill-one \\
        --experts 500 --duration 60

PostgreSQL: the server of ``DATABASE_URL`` (else postgres://postgres@127.0.0.1:5432/anticipe_bench);
the benchmark creates a database of its own on it (the URL's name + ``_load_<pid>``) and
drops it at the end.

Exit code 1 when a request failed or an acknowledged answer is not stored; latency never
fails the run (the figures are printed, and judged by whoever reads them).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import load_client
import redis

HERE = Path(__file__).resolve().parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/anticipe_bench"
TARGET_P95_MS = 100.0
TARGET_SCALE_OUT_P95_MS = 150.0  # two servers sharing PostgreSQL and Redis (issue 16)
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"


# == the database and the data folder ===========================================================


def postgres_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_POSTGRES


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this run (its URL), dropped afterwards."""
    import psycopg
    from psycopg import sql

    url = postgres_url()
    name = f"{urlsplit(url).path.lstrip('/') or 'anticipe_bench'}_load_{os.getpid()}"
    admin = with_database(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_database(url, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def site_environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of a production deployment, on this machine, without HTTPS."""
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "anticipe.site.settings",
            "ANTICIPE_DEBUG": "0",
            "ANTICIPE_SECRET_KEY": secrets.token_urlsafe(50),
            "ANTICIPE_SECURE": "0",
            "ANTICIPE_DATA_DIR": str(data_dir),
            "ANTICIPE_ALLOWED_HOSTS": "127.0.0.1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_site_command(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(HERE / "load_site.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"load_site.py {args[0]} failed:\n{result.stderr[-4000:]}")
    return result.stdout


# == the server =================================================================================


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def process_tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its children (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def machine_cpu_seconds() -> tuple[float, float]:
    """CPU seconds the whole machine has spent busy (every process), and those the
    hypervisor gave to other machines ("steal"), from Linux's /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    ticks = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / ticks, steal / ticks


@contextmanager
def gunicorn(
    env: dict[str, str], folder: Path, workers: int, threads: int, name: str = "gunicorn"
) -> Iterator[Any]:
    """The site served by gunicorn on 127.0.0.1; stopped (its process group) at the end."""
    port = free_port()
    log = folder / f"{name}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "anticipe.site.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--keep-alive",
        "5",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    server = subprocess.Popen(
        command,
        env=env,
        cwd=folder,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches the benchmark, which stops the server
    )
    server.port = port  # type: ignore[attr-defined]
    server.log = log  # type: ignore[attr-defined]
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{log.read_text()[-4000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/join/", timeout=5) as page:
                    if page.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer within 60 s")
            time.sleep(0.2)
        yield server
    finally:
        stop(server)


@contextmanager
def task_worker(env: dict[str, str], folder: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The task worker (``db_worker``) beside the servers, with their environment; Redis's
    database emptied before and after."""
    redis_client = redis.Redis.from_url(env["ANTICIPE_REDIS_URL"])
    redis_client.flushdb()
    with (folder / "worker.log").open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "django", "db_worker", "--no-reload", "--no-startup-delay"],
            env=env,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield worker
        finally:
            stop(worker)
            redis_client.flushdb()


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


# == the run ====================================================================================


def drive(
    ports: list[int],
    plan: dict[str, Any],
    duration: float,
    clients: int,
    server_pids: list[int],
    kill_first: bool = False,
) -> dict[str, Any]:
    """Log the experts in (client process i on server i modulo the servers), then let them
    answer for `duration` seconds, the first server killed halfway when `kill_first`; their
    results."""
    context = multiprocessing.get_context("spawn")
    outbox = context.Queue()
    experts = plan["experts"]
    size = -(-len(experts) // clients)
    chunks = [(first, experts[first : first + size]) for first in range(0, len(experts), size)]
    inboxes = [context.Queue() for _ in chunks]
    port_of = {first: ports[number % len(ports)] for number, (first, _) in enumerate(chunks)}
    processes = [
        context.Process(
            target=load_client.run_process,
            args=(port_of[first], plan, chunk, first, duration, outbox, inbox),
            daemon=True,
        )
        for (first, chunk), inbox in zip(chunks, inboxes, strict=True)
    ]
    killer: threading.Timer | None = None
    killed_at = [float("nan")]
    try:
        for process in processes:
            process.start()
        login_errors: list[str] = []
        for _ in processes:
            kind, _first, errors = outbox.get(timeout=600)
            assert kind == "ready"
            login_errors += [error for error in errors if error]
        start = time.time() + 1.0
        for inbox in inboxes:
            inbox.put(start)
        if kill_first:

            def kill() -> None:
                killed_at[0] = time.time() - start
                os.killpg(server_pids[0], signal.SIGKILL)

            killer = threading.Timer(start + duration / 2 - time.time(), kill)
            killer.start()
        load_before = os.getloadavg()
        # the CPU of the servers still running at the end (a killed one's is gone with it)
        measured = server_pids[1:] if kill_first else server_pids
        cpu_before = sum(process_tree_cpu(pid) for pid in measured)
        busy_before, steal_before = machine_cpu_seconds()
        results: list[load_client.ExpertResult] = []
        client_cpu = 0.0
        on_killed: set[str] = set()
        for _ in processes:
            kind, first, (part, cpu) = outbox.get(
                timeout=duration + 4 * load_client.REQUEST_TIMEOUT + 60
            )
            assert kind == "done"
            results += part
            client_cpu += cpu
            if kill_first and port_of[first] == ports[0]:
                on_killed |= {result.code for result in part}
        wall = max(time.time() - start, 1e-9)
        server_cpu = sum(process_tree_cpu(pid) for pid in measured) - cpu_before
        busy_after, steal_after = machine_cpu_seconds()
        machine_busy, steal = busy_after - busy_before, steal_after - steal_before
        load_after = os.getloadavg()
        for process in processes:
            process.join(timeout=30)
    finally:
        if killer is not None:
            killer.cancel()
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join(timeout=10)
    return {
        "results": results,
        "killed_at": killed_at[0],
        "on_killed": on_killed if kill_first else set(),
        "login_errors": login_errors,
        "wall": wall,
        "server_cpu": server_cpu,
        "client_cpu": client_cpu,
        "machine_busy": machine_busy,
        "steal": steal,
        "load_before": load_before,
        "load_after": load_after,
    }


def percentile(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def run(database: str, args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix=f"anticipe-bench-load-{database}-"))
    try:
        with postgres_database() if database == "postgres" else _no_database() as database_url:
            env = site_environment(folder / "data", database_url)
            plan_file = folder / "plan.json"
            began = time.perf_counter()
            quick = ["--without-admin-static"] if args.smoke else []
            run_site_command(
                env, "prepare", "--experts", str(args.experts), "--out", str(plan_file), *quick
            )
            plan = json.loads(plan_file.read_text(encoding="utf-8"))
            plan["pace"] = args.pace
            print(
                f"[{database}] prepared in {time.perf_counter() - began:.1f} s: "
                f"{len(plan['experts'])} experts, {len(plan['factors'])} factors "
                f"({len(plan['factors']) * (len(plan['factors']) - 1)} cells each)",
                flush=True,
            )
            if args.servers > 1:
                env.update({"ANTICIPE_REDIS_URL": args.redis, "ANTICIPE_TASKS": "database"})
            with ExitStack() as stack:
                if args.servers > 1:
                    stack.enter_context(task_worker(env, folder))
                servers = [
                    stack.enter_context(
                        gunicorn(env, folder, args.workers, args.threads, f"gunicorn-{number}")
                    )
                    for number in range(args.servers)
                ]
                print(
                    f"[{database}] gunicorn on 127.0.0.1:"
                    f"{', '.join(str(server.port) for server in servers)}: {args.workers} "
                    f"workers x {args.threads} threads each; {args.experts} experts for "
                    f"{args.duration:g} s (load average {os.getloadavg()[0]:.2f})"
                    + (f"; Redis {args.redis}, a task worker" if args.servers > 1 else ""),
                    flush=True,
                )
                outcome = drive(
                    [server.port for server in servers],
                    plan,
                    args.duration,
                    args.clients,
                    [server.pid for server in servers],
                    kill_first=args.kill_one,
                )
                server_log = "".join(
                    server.log.read_text() for server in servers if server.log.exists()
                )
            answers_file = folder / "answers.json"
            answers = {
                result.code: [[s, t, v, ok] for (s, t), (v, ok) in result.answers.items()]
                for result in outcome["results"]
            }
            answers_file.write_text(json.dumps(answers), encoding="utf-8")
            check = json.loads(
                run_site_command(
                    env, "verify", "--plan", str(plan_file), "--answers", str(answers_file)
                )
            )
    finally:
        if args.keep:
            print(f"[{database}] kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return summarise(database, outcome, check, server_log)


@contextmanager
def _no_database() -> Iterator[None]:
    yield None


def summarise(
    database: str, outcome: dict[str, Any], check: dict[str, int], server_log: str
) -> dict[str, Any]:
    results: list[load_client.ExpertResult] = outcome["results"]
    samples = [sample for result in results for sample in result.samples]
    killed_at, on_killed = outcome.get("killed_at", float("nan")), outcome.get("on_killed", set())
    # the killed server's window: its experts' requests still running or sent after the kill
    in_window = [
        sample
        for result in results
        if result.code in on_killed
        for sample in result.samples
        if sample.error and sample.at + sample.latency_ms / 1000 >= killed_at
    ]
    window_ids = {id(sample) for sample in in_window}
    # latencies of the requests a server answered (outside the killed server's window)
    saves = sorted(s.latency_ms for s in samples if s.kind == "save" and id(s) not in window_ids)
    pages = sorted(s.latency_ms for s in samples if s.kind == "page" and id(s) not in window_ids)
    failed = [s for s in samples if s.error and id(s) not in window_ids]
    errors_by_kind: dict[str, int] = {}
    for sample in failed:
        errors_by_kind[sample.error[:80]] = errors_by_kind.get(sample.error[:80], 0) + 1
    weights = max((r.first_visit_bytes for r in results), key=len, default={})
    # the saves' p95 over each tenth of the run, by the time they were sent
    slices: dict[int, list[float]] = {}
    tenth = outcome["wall"] / 10
    for sample in samples:
        if sample.kind == "save" and id(sample) not in window_ids:
            slices.setdefault(min(int(sample.at / tenth), 9), []).append(sample.latency_ms)
    return {
        "database": database,
        "experts": len(results),
        "saves": len(saves),
        "pages": len(pages),
        "throughput": len(saves) / outcome["wall"],
        "p50": percentile(saves, 50),
        "p95": percentile(saves, 95),
        "p99": percentile(saves, 99),
        "max": saves[-1] if saves else float("nan"),
        "page_p95": percentile(pages, 95),
        "p95_over_time": [
            (index * tenth, percentile(sorted(slices.get(index, [])), 95)) for index in range(10)
        ],
        "errors": len(failed) + len(outcome["login_errors"]),
        "window_errors": len(in_window),
        "killed_at": killed_at,
        "on_killed": len(on_killed),
        "errors_by_kind": errors_by_kind,
        "login_errors": outcome["login_errors"],
        "check": check,
        "retries": sum(r.retries for r in results),
        "server_cpu": outcome["server_cpu"] / outcome["wall"],
        "client_cpu": outcome["client_cpu"] / outcome["wall"],
        "machine_busy": outcome["machine_busy"] / outcome["wall"],
        "steal": outcome["steal"] / outcome["wall"],
        # the CPU of the servers measured (the surviving one after a kill) by their requests
        "cpu_per_request_ms": 1000
        * outcome["server_cpu"]
        / max(sum(1 for r in results if r.code not in on_killed for _ in r.samples), 1),
        "load_before": outcome["load_before"],
        "load_after": outcome["load_after"],
        "weights": weights,
        "server_log": server_log,
    }


def report(rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print()
    low, high = args.pace
    print(
        f"{args.experts} experts x {args.duration:g} s, one save every {low:g}-{high:g} s each "
        f"(about {args.experts / ((low + high) / 2):.0f} saves/s asked at zero latency), "
        f"{args.servers} server(s) of {args.workers} gunicorn workers x {args.threads} threads, "
        f"{os.cpu_count()} CPUs"
    )
    header = (
        f"{'database':9} {'saves':>6} {'saves/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'errors':>6} {'lost':>5} {'pages':>6} {'page p95':>9}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['database']:9} {row['saves']:6d} {row['throughput']:8.1f} {row['p50']:7.1f} "
            f"{row['p95']:7.1f} {row['p99']:7.1f} {row['max']:7.1f} {row['errors']:6d} "
            f"{row['check']['lost']:5d} {row['pages']:6d} {row['page_p95']:9.1f}"
        )
    print()
    for row in rows:
        before, after = row["load_before"], row["load_after"]
        check = row["check"]
        print(
            f"{row['database']}: load average {before[0]:.2f} at start, {after[0]:.2f} "
            f"(1 min) / {after[1]:.2f} (5 min) at end"
        )
        print(
            f"  CPU busy: {row['machine_busy']:.2f} of {os.cpu_count()} cores in all, of which "
            f"server {row['server_cpu']:.2f} ({row['cpu_per_request_ms']:.1f} ms a request"
            f"{'; the surviving server only' if row['on_killed'] else ''}), "
            f"client {row['client_cpu']:.2f}, the rest (database, other users) "
            f"{max(0.0, row['machine_busy'] - row['server_cpu'] - row['client_cpu']):.2f}; "
            f"taken by the hypervisor (steal) {row['steal']:.2f}"
        )
        print(
            "  p95 of the saves sent in each tenth of the run: "
            + ", ".join(
                f"{at:.{0 if args.duration >= 100 else 1}f} s {p95:.0f} ms"
                for at, p95 in row["p95_over_time"]
            )
        )
        print(
            f"  {check['checked']} acknowledged answers checked in the database, "
            f"{check['lost']} lost, {check['unsure']} unsure, {check['stored']} stored; "
            f"{row['retries']} idle keep-alive reconnections"
        )
        if row["on_killed"]:
            print(
                f"  the first server killed (SIGKILL) at {row['killed_at']:.1f} s: "
                f"{row['on_killed']} experts on it, {row['window_errors']} failed requests in "
                f"its window (not counted above); errors elsewhere: {row['errors']}"
            )
        target = TARGET_P95_MS if args.servers == 1 else TARGET_SCALE_OUT_P95_MS
        verdict = "met" if row["p95"] < target and not row["errors"] else "NOT met"
        print(
            f"  target p95 < {target:.0f} ms with no error, a save every "
            f"{args.pace[0]:g}-{args.pace[1]:g} s each: {verdict}"
        )
        for error, count in row["errors_by_kind"].items():
            print(f"  error x{count}: {error}")
        for error in row["login_errors"][:5]:
            print(f"  login error: {error}")
        if row["weights"]:
            total = sum(row["weights"].values())
            print(f"  first visit of the matrix page as served: {total / 1024:.1f} KB in all")
        if row["errors"] and row["server_log"].strip():
            print("  server log (end):\n" + row["server_log"][-2000:])


def stop_on_signals() -> None:
    """Ctrl-C (even when started in the background, where SIGINT is ignored) and SIGTERM
    end the run through its cleanup: the server stopped, the database dropped."""

    def terminated(number: int, _frame: Any) -> None:
        raise SystemExit(128 + number)

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, terminated)


def _pace(text: str) -> tuple[float, float]:
    """``LOW-HIGH`` seconds (``2-6``) as a pair, LOW <= HIGH."""
    try:
        low, high = (float(part) for part in text.split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: seconds as LOW-HIGH, e.g. 2-6") from None
    if not 0 <= low <= high:
        raise argparse.ArgumentTypeError(f"{text!r}: 0 <= LOW <= HIGH")
    return low, high


def main() -> int:
    stop_on_signals()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a few experts for a few seconds (CI)")
    parser.add_argument("--experts", type=int, default=None, help="simulated experts (100)")
    parser.add_argument("--duration", type=float, default=None, help="seconds of answers (60)")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgres", "both"],
        default="postgres" if os.environ.get("DATABASE_URL") else "sqlite",
        help="SQLite in a fresh data folder, PostgreSQL (DATABASE_URL's server), or both",
    )
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (3)")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (1: gunicorn's sync worker)"
    )
    parser.add_argument("--clients", type=int, default=2, help="client processes (2)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    parser.add_argument(
        "--servers", type=int, default=1, help="gunicorn servers sharing PostgreSQL and Redis (1)"
    )
    parser.add_argument(
        "--kill-one", action="store_true", help="kill the first server (SIGKILL) halfway"
    )
    parser.add_argument(
        "--pace",
        type=_pace,
        default=load_client.PACE,
        metavar="LOW-HIGH",
        help="seconds a person takes between two saves, drawn between the two (0.5-1)",
    )
    parser.add_argument(
        "--redis",
        default=DEFAULT_REDIS,
        help=f"Redis for several servers, a database of its own, emptied ({DEFAULT_REDIS})",
    )
    args = parser.parse_args()
    if args.servers > 1 and args.database != "postgres":
        parser.error("several servers share PostgreSQL: use --database postgres")
    if args.kill_one and args.servers < 2:
        parser.error("--kill-one needs --servers 2 or more")
    args.experts = args.experts or (5 if args.smoke else 100)
    args.duration = args.duration or (5.0 if args.smoke else 60.0)
    args.clients = max(1, args.servers, min(args.clients, args.experts))
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    try:
        rows = [run(database, args) for database in databases]
    except KeyboardInterrupt:
        print("interrupted: the server is stopped and the data removed", file=sys.stderr)
        return 130
    report(rows, args)
    failed = any(row["errors"] or row["check"]["lost"] for row in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
