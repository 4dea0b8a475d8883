"""Work done on the second core while the report is being laid out.

Drawing the charts needs matplotlib (its import alone is a third of a second, more on a
busy machine); laying out the PDF or the Word document needs Typst or python-docx.
On a machine with two cores the charts are drawn in a forked child while this process
imports and lays out the rest, which takes them off the report's wall-clock time.

The child can be started before its work's input exists (``prepare``: it imports what
the work needs meanwhile): ``anticipe report`` starts it first thing, so that matplotlib
is imported while this process reads the study and runs the analysis, and gives it the
report's context with :meth:`Background.send` (pickled through a pipe). Where forking is
not safe (no ``fork``, one core, other threads running) or the child fails, the work is
done here instead, so that an error shows as it would without the child.

>>> with in_background(draw_chart) as chart:  # doctest: +SKIP
...     layout(..., chart=chart.get)
>>> with Background(draw, prepare=import_matplotlib) as charts:  # doctest: +SKIP
...     context = ...  # meanwhile the child imports matplotlib
...     charts.send(context)
...     layout(..., charts=charts.get)
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Whether a forked child can work beside this process: ``fork`` exists, no other
    thread runs (a fork copies only the calling thread, and the locks the others hold)
    and there is a second core."""
    return hasattr(os, "fork") and threading.active_count() == 1 and (os.cpu_count() or 1) > 1


class Background(Generic[T]):
    """``work(argument)`` running in a forked child (or here, when forking is not safe),
    the argument given by :meth:`send`; ``prepare`` runs in the child meanwhile."""

    def __init__(
        self, work: Callable[[Any], T], *, prepare: Callable[[], object] | None = None
    ) -> None:
        self.work = work
        self.prepare = prepare
        self.argument: Any = None
        self.sent = False
        self.pid: int | None = None
        self.read_end: int | None = None  # the child's result
        self.send_end: int | None = None  # the work's argument, to the child
        self.done = False
        self.value: T | None = None
        if can_fork():
            self._start()

    def _start(self) -> None:
        read_end, write_end = os.pipe()
        receive_end, send_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: prepare, wait for the argument, work, send the result
            status = 1
            try:
                os.close(read_end)
                os.close(send_end)
                if self.prepare is not None:
                    self.prepare()
                with os.fdopen(receive_end, "rb") as source:
                    received = source.read()
                if received:  # nothing when the parent gave up (an input error)
                    # our parent's bytes, never outside input
                    data = pickle.dumps(
                        self.work(pickle.loads(received)), protocol=pickle.HIGHEST_PROTOCOL
                    )
                    with os.fdopen(write_end, "wb") as out:
                        out.write(data)
                    status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        os.close(receive_end)
        self.pid, self.read_end, self.send_end = pid, read_end, send_end

    def send(self, argument: Any) -> Background[T]:
        """Give the work its argument (once); the child starts working on it."""
        if self.sent:
            raise RuntimeError("the background work was already given its argument")
        self.argument, self.sent = argument, True
        if self.send_end is not None:
            data = pickle.dumps(argument, protocol=pickle.HIGHEST_PROTOCOL)
            _make_room(self.send_end, len(data))
            try:
                with os.fdopen(self.send_end, "wb") as out:
                    out.write(data)
            except BrokenPipeError:  # the child has died: the work is done here
                pass
            self.send_end = None
        return self

    def _collect(self) -> bytes | None:
        """The child's bytes once it has finished (None when it failed or never ran)."""
        if self.send_end is not None:  # never sent (an input error): no work to wait for
            os.close(self.send_end)
            self.send_end = None
            if self.pid is not None:  # still preparing, perhaps: stopped, not waited for
                # SIGKILL, not SIGTERM: the child inherits its parent's handlers, and a task
                # worker's (db_worker) only sets a flag on SIGTERM; it holds nothing to save
                os.kill(self.pid, signal.SIGKILL)
        if self.pid is None or self.read_end is None:
            return None
        with os.fdopen(self.read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = self.read_end = None
        return data if status == 0 and data else None

    def get(self) -> T:
        """The work's result (waiting for the child; computed here if it failed)."""
        if not self.sent:
            raise RuntimeError("the background work has no argument yet: send() it first")
        if not self.done:
            data = self._collect()
            # our own child's bytes, never outside input
            self.value = pickle.loads(data) if data is not None else self.work(self.argument)
            self.done = True
        return self.value  # type: ignore[return-value]

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._collect()  # no child is left behind, whatever happened


def _make_room(pipe: int, size: int) -> None:
    """Grow the pipe (Linux) so that `size` bytes fit without waiting for the child to
    read them: it may still be preparing. Where it cannot grow, writing waits."""
    import fcntl

    grow = getattr(fcntl, "F_SETPIPE_SZ", None)
    if grow is None or size <= 65536:  # what a pipe holds at least
        return
    try:
        with open("/proc/sys/fs/pipe-max-size") as limit:
            ceiling = int(limit.read())
        fcntl.fcntl(pipe, grow, min(size, ceiling))
    except (OSError, ValueError):
        pass


def in_background(work: Callable[[], T]) -> Background[T]:
    """Start `work` on the other core; ``.get()`` waits for its result."""
    return Background(lambda _nothing: work()).send(None)
