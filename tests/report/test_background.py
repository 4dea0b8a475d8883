"""Work on the other core: the result comes back, a failed child is redone here, and no
child is left behind."""

from __future__ import annotations

import os
import threading

import pytest

from anticipe.report.background import in_background


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
