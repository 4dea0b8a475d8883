"""Work on the other core: the result comes back, a failed child is redone here, and no
child is left behind."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from anticipe.report.background import Background, can_fork, in_background


def test_the_result_comes_back_from_the_child() -> None:
    parent = os.getpid()
    forks = threading.active_count() == 1 and (os.cpu_count() or 1) > 1
    with in_background(lambda: (os.getpid(), "svg")) as job:
        pid, value = job.get()
    assert value == "svg"
    assert (pid != parent) == forks  # drawn in the child when forking is safe
    assert job.get() == (pid, value)  # once: the same result


def test_with_other_threads_running_the_work_is_done_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    with in_background(os.getpid) as job:
        assert job.pid is None  # no child was forked
        assert job.get() == os.getpid()


def test_a_failed_child_is_done_again_here() -> None:
    parent = os.getpid()

    def work() -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return 42

    with in_background(work) as job:
        assert job.get() == 42


def test_an_error_in_the_parent_leaves_no_child() -> None:
    with pytest.raises(ValueError, match="layout"), in_background(lambda: b"png") as job:
        raise ValueError("layout failed")
    assert job.pid is None  # the child was waited for
    assert job.read_end is None


def test_an_error_of_the_work_itself_shows_as_usual() -> None:
    def work() -> None:
        raise KeyError("map")

    with pytest.raises(KeyError, match="map"), in_background(work) as job:
        job.get()


def test_a_child_started_before_its_argument_prepares_then_works_on_it(
    tmp_path: Path,
) -> None:
    parent = os.getpid()
    marker = os.path.join(str(tmp_path), "prepared")

    def prepare() -> None:  # what the child does before the argument exists
        with open(marker, "w") as file:
            file.write(str(os.getpid()))

    context = {"codes": [f"A{i}" for i in range(40_000)]}  # more than a pipe's 64 KiB
    with Background(lambda c: (os.getpid(), len(c["codes"])), prepare=prepare) as job:
        assert job.send(context) is job
        pid, count = job.get()
    assert count == 40_000
    assert (pid != parent) == can_fork()
    if can_fork():  # prepared in the child, not here
        with open(marker) as file:
            assert int(file.read()) == pid


def test_a_child_never_given_its_argument_is_stopped_without_waiting() -> None:
    import time

    def prepare() -> None:  # a long preparation: the error is not kept waiting for it
        time.sleep(30)

    start = time.monotonic()
    with (
        pytest.raises(ValueError, match="input"),
        Background(os.getpid, prepare=prepare) as job,
    ):
        raise ValueError("bad input: the report is not made")
    assert time.monotonic() - start < 10
    assert job.pid is None  # reaped
    assert job.send_end is None


def test_a_child_is_stopped_even_under_a_worker_s_sigterm_handler() -> None:
    """The task worker (``db_worker``) that builds reports on a deployed site handles
    SIGTERM itself (a flag for a graceful stop): the forked child must not inherit that, or
    stopping it waits for its whole preparation."""
    import signal
    import time

    def prepare() -> None:
        time.sleep(30)

    previous = signal.signal(signal.SIGTERM, lambda _signal, _frame: None)
    try:
        start = time.monotonic()
        with pytest.raises(ValueError, match="bad input"), Background(os.getpid, prepare=prepare):
            raise ValueError("bad input")
        assert time.monotonic() - start < 10
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_the_result_needs_the_argument_and_the_argument_goes_once() -> None:
    with Background(lambda n: n + 1) as job:
        with pytest.raises(RuntimeError, match="send"):
            job.get()
        job.send(41)
        with pytest.raises(RuntimeError, match="already"):
            job.send(1)
        assert job.get() == 42


def test_a_failed_preparation_is_redone_here() -> None:
    parent = os.getpid()

    def prepare() -> None:
        if os.getpid() != parent:
            raise ImportError("no matplotlib in the child")

    with Background(lambda n: n * 2, prepare=prepare) as job:
        assert job.send(21).get() == 42


def test_charts_are_drawn_on_two_cores_in_their_order() -> None:
    """Every other chart is drawn in a forked child when forking is safe; the names come
    back in the jobs' order, each with its own chart."""
    from anticipe.report.drawings import _draw_on_two_cores

    jobs = [(f"chart-{i}", lambda i=i: (i, os.getpid())) for i in range(5)]
    drawn = _draw_on_two_cores(jobs)
    assert list(drawn) == [f"chart-{i}" for i in range(5)]
    assert [value[0] for value in drawn.values()] == list(range(5))
    pids = {pid for _i, pid in drawn.values()}
    assert len(pids) == (2 if can_fork() else 1)
    assert drawn["chart-0"][1] == os.getpid()
