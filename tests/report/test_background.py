"""Work on the other core: the result comes back, a failed child is redone here, and no
child is left behind."""

from __future__ import annotations

import os

import pytest

from anticipe.report.background import in_background


def test_the_result_comes_back_from_the_child() -> None:
    parent = os.getpid()
    with in_background(lambda: (os.getpid(), "svg")) as job:
        pid, value = job.get()
    assert value == "svg"
    if (os.cpu_count() or 1) > 1:
        assert pid != parent  # drawn in the child
    assert job.get() == (pid, value)  # once: the same result


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
