"""Checks of the input shared by the method's steps: tables of numbers and unique codes.

Every check raises :class:`~anticipe.method.errors.MethodInputError` with a message in the
caller's terms (the subject and the words are the caller's).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from anticipe.method.errors import MethodInputError

__all__ = ["numeric_table", "unique_codes"]


def numeric_table(values: ArrayLike, subject: str, verb: str, axes: str) -> NDArray[np.float64]:
    """``values`` as a two-dimensional float array.

    ``subject`` and ``verb`` name the table in the messages ("the vote", "is"), ``axes``
    its two dimensions ("experts x factors").
    """
    try:
        table = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise MethodInputError(f"{subject} {verb} not a table of numbers ({exc})") from exc
    if table.ndim != 2:
        raise MethodInputError(f"{subject} must be a table {axes}, got {table.ndim} dimension(s)")
    return table


def unique_codes(codes: Iterable[object], what: str, *, article: str | None) -> list[str]:
    """The codes as strings, each once.

    A repeated code raises "``what`` 'X' appears twice"; an empty one raises
    "``article`` ``what`` code is empty", unless ``article`` is None (empty codes allowed).
    """
    out = [str(code) for code in codes]
    seen: set[str] = set()
    for code in out:
        if article is not None and not code.strip():
            raise MethodInputError(f"{article} {what} code is empty")
        if code in seen:
            raise MethodInputError(f"{what} '{code}' appears twice")
        seen.add(code)
    return out
