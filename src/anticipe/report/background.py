"""Work done on the second core while the report is being laid out.

Drawing Graph 1 needs matplotlib (its import alone is a third of a second); laying out
the PDF or the Word document needs WeasyPrint or python-docx. On a machine with two
cores the chart is drawn in a forked child while this process imports and lays out the
rest, which takes the chart off the report's wall-clock time. Where forking is not safe
(no ``fork``, one core, other threads running) or the child fails, the work is done here
instead, so that an error shows as it would without the child.

>>> with in_background(draw_chart) as chart:  # doctest: +SKIP
...     layout(..., chart=chart.get)
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """`work` running in a forked child (or here, when forking is not safe)."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        self.pid: int | None = None
        self.read_end: int | None = None
        self.done = False
        self.value: T | None = None
        if hasattr(os, "fork") and threading.active_count() == 1 and (os.cpu_count() or 1) > 1:
            self._start()

    def _start(self) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, send the result, leave without cleanup
            status = 1
            try:
                os.close(read_end)
                data = pickle.dumps(self.work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self.pid, self.read_end = pid, read_end

    def _collect(self) -> bytes | None:
        """The child's bytes once it has finished (None when it failed or never ran)."""
        if self.pid is None or self.read_end is None:
            return None
        with os.fdopen(self.read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = self.read_end = None
        return data if status == 0 and data else None

    def get(self) -> T:
        """The work's result (waiting for the child; computed here if it failed)."""
        if not self.done:
            data = self._collect()
            # our own child's bytes, never outside input
            self.value = pickle.loads(data) if data is not None else self.work()
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


def in_background(work: Callable[[], T]) -> Background[T]:
    """Start `work` on the other core; ``.get()`` waits for its result."""
    return Background(work)
