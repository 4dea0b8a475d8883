"""A progress bar on standard error for long computations (bootstrap, CIB search).

rich is imported only when a bar is drawn, and a bar is drawn only once the work has
lasted ``delay`` seconds: a quick command never pays rich's import.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager


@contextmanager
def progress_bar(
    description: str, *, enabled: bool = True, delay: float = 0.0
) -> Iterator[Callable[[int, int], None] | None]:
    """Yield a ``progress(done, total)`` callback drawing a bar on standard error.

    Yields None (no callback) when disabled or when standard error is not a terminal,
    so logs and pipes stay clean. The bar appears at the first call made ``delay``
    seconds or more after the start.
    """
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    started = time.monotonic()
    with ExitStack() as stack:
        shown: list[Callable[[int, int], None]] = []

        def update(done: int, total: int) -> None:
            if not shown:
                if time.monotonic() - started < delay:
                    return
                shown.append(_bar(stack, description))
            shown[0](done, total)

        yield update


def _bar(stack: ExitStack, description: str) -> Callable[[int, int], None]:
    """Start a rich bar that closes with ``stack``; return its update function."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    bar = stack.enter_context(
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeRemainingColumn(),
            transient=True,
        )
    )
    task = bar.add_task(description, total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    return update
