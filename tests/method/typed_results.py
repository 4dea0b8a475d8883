"""Support for the tests of the results' types: a result against its TypedDict.

:func:`check` walks a result (plain JSON-like values) along a type annotation and
returns the problems: a key the TypedDict does not declare, a required key missing, a
value of another type. :class:`KeysSeen` records, per TypedDict, the keys met, so a
test can assert that every declared key (``NotRequired`` ones included) exists in some
real result.
"""

from __future__ import annotations

import types
import typing
from collections import defaultdict
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict


class KeysSeen:
    """Keys met in results, per TypedDict."""

    def __init__(self) -> None:
        self.keys: dict[type, set[str]] = defaultdict(set)

    def never_seen(self) -> dict[str, set[str]]:
        """Declared keys no checked result had, by TypedDict name."""
        missing = {}
        for typed, seen in self.keys.items():
            unseen = set(get_type_hints(typed)) - seen
            if unseen:
                missing[typed.__name__] = unseen
        return missing


def check(value: Any, annotation: Any, seen: KeysSeen | None = None, path: str = "$") -> list[str]:
    """Problems of ``value`` against ``annotation`` (empty when it matches)."""
    if annotation is Any:
        return []
    if is_typeddict(annotation):
        return _check_typeddict(value, annotation, seen, path)
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = get_args(annotation)
        attempts = [check(value, option, None, path) for option in options]
        for option, problems in zip(options, attempts, strict=True):
            if not problems:
                return check(value, option, seen, path) if seen is not None else []
        return [f"{path}: {value!r:.60} matches none of {annotation}"]
    if origin is Literal:
        return [] if value in get_args(annotation) else [f"{path}: {value!r} not in {annotation}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        (item,) = get_args(annotation)
        return [p for k, v in enumerate(value) for p in check(v, item, seen, f"{path}[{k}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{path}: expected a dict, got {type(value).__name__}"]
        key_type, item = get_args(annotation)
        problems = [
            f"{path}: key {k!r} is not {key_type}" for k in value if not isinstance(k, key_type)
        ]
        return problems + [p for k, v in value.items() for p in check(v, item, seen, f"{path}.{k}")]
    return _check_plain(value, annotation, path)


def _check_typeddict(value: Any, typed: Any, seen: KeysSeen | None, path: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path}: expected a dict ({typed.__name__}), got {type(value).__name__}"]
    hints = get_type_hints(typed, include_extras=True)
    problems = [
        f"{path}: key {key!r} is not declared in {typed.__name__}"
        for key in value
        if key not in hints
    ]
    # not ``__required_keys__``: under ``from __future__ import annotations`` Python 3.11
    # does not see NotRequired there
    problems += [
        f"{path}: required key {key!r} of {typed.__name__} is missing"
        for key, hint in hints.items()
        if key not in value and get_origin(hint) is not typing.NotRequired
    ]
    if seen is not None:
        seen.keys[typed].update(key for key in value if key in hints)
    for key, item in value.items():
        if key in hints:
            problems += check(item, _strip_required(hints[key]), seen, f"{path}.{key}")
    return problems


def _strip_required(annotation: Any) -> Any:
    if get_origin(annotation) in (typing.NotRequired, typing.Required):
        return get_args(annotation)[0]
    return annotation


def _check_plain(value: Any, annotation: Any, path: str) -> list[str]:
    if annotation is None or annotation is type(None):
        ok = value is None
    elif annotation is bool:
        ok = isinstance(value, bool)
    elif annotation is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif annotation is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif annotation is str:
        ok = isinstance(value, str)
    else:
        raise TypeError(f"{path}: no check for {annotation!r}")
    return (
        []
        if ok
        else [f"{path}: {value!r:.60} is not {getattr(annotation, '__name__', annotation)}"]
    )
