"""Example studies shipped with Anticipe.

Each example is a folder of this package holding a ``study.json`` (and a README saying
where it comes from). Read them through :func:`example_path` or :func:`load_example_text`
so that they are found wherever the package is installed.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

EXAMPLES: dict[str, str] = {"mediateur-numerique": "mediateur_numerique"}
"""Example name (as on the command line) -> package folder."""

DEFAULT_EXAMPLE = "mediateur-numerique"


def example_names() -> list[str]:
    """The names of the examples, e.g. ``["mediateur-numerique"]``."""
    return sorted(EXAMPLES)


def _folder(name: str) -> str:
    try:
        return EXAMPLES[name]
    except KeyError:
        known = ", ".join(example_names())
        raise ValueError(f"unknown example {name!r}; the examples are: {known}") from None


def example_path(name: str = DEFAULT_EXAMPLE) -> Path:
    """The path of the example's study file (``.../mediateur_numerique/study.json``).

    Raises
    ------
    ValueError
        When `name` is not an example.
    """
    resource = resources.files(__name__).joinpath(_folder(name), "study.json")
    return Path(str(resource))


def load_example_text(name: str = DEFAULT_EXAMPLE) -> str:
    """The example's study file as JSON text."""
    resource = resources.files(__name__).joinpath(_folder(name), "study.json")
    return resource.read_text(encoding="utf-8")


def load_example(name: str = DEFAULT_EXAMPLE) -> dict[str, Any]:
    """The example's study as plain Python values (the parsed JSON, not checked)."""
    study: dict[str, Any] = json.loads(load_example_text(name))
    return study
