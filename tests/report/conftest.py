"""Shared, expensive fixtures: each study is analysed once and each format rendered once."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest

from anticipe.report import build_report_context, render_bytes
from anticipe.study.analysis import analyse_study
from anticipe.study.study_file import read_study
from tests.report.unusual import unusual_study
from tests.studies import small_study

RESAMPLES = 40  # the bootstrap's figures are not what these tests check


def example_path() -> Any:
    return resources.files("anticipe.examples.mediateur_numerique").joinpath("study.json")


@pytest.fixture(scope="session")
def example_study() -> dict[str, Any]:
    with resources.as_file(example_path()) as path:
        return read_study(path)


@pytest.fixture(scope="session")
def example_context(example_study: dict[str, Any]) -> dict[str, Any]:
    analysis = analyse_study(copy.deepcopy(example_study), resamples=RESAMPLES, seed=1)
    return build_report_context(example_study, analysis, date="2025-03-14")


@pytest.fixture(scope="session")
def small_context() -> dict[str, Any]:
    study = small_study()
    return build_report_context(study, analyse_study(study, resamples=RESAMPLES), date="2025-03-14")


@pytest.fixture(scope="session")
def unusual_context() -> dict[str, Any]:
    study = unusual_study()
    return build_report_context(study, analyse_study(study, resamples=RESAMPLES), date="2025-03-14")


class Rendered:
    """Each (study, format) rendered at most once per test session."""

    def __init__(self, contexts: dict[str, dict[str, Any]]) -> None:
        self.contexts = contexts
        self.cache: dict[tuple[str, str], bytes] = {}

    def __call__(self, which: str, fmt: str) -> bytes:
        key = (which, fmt)
        if key not in self.cache:
            self.cache[key] = render_bytes(self.contexts[which], fmt)
        return self.cache[key]


@pytest.fixture(scope="session")
def rendered(
    example_context: dict[str, Any],
    small_context: dict[str, Any],
    unusual_context: dict[str, Any],
) -> Rendered:
    return Rendered(
        {"example": example_context, "small": small_context, "unusual": unusual_context}
    )
