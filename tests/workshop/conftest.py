"""Personas of the workshop's tests: a facilitator, an expert, an observer, an outsider.

`study` is the small test study imported from the study file format, so every test
starts from the same data as the command line would.

Pages are in English, the source strings, unless a test says otherwise: the site's default
language is French (`tests/workshop/test_i18n.py` checks the French pages and catalogue).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django_tasks import task_backends

from anticipe.examples import load_example
from anticipe.workshop.models import Expert, Study, StudyMember
from anticipe.workshop.study_format import import_study
from tests.studies import small_study
from tests.workshop.support import expert_client_for


@pytest.fixture(autouse=True)
def site_language(settings: Any) -> None:
    """Pages in English (the source strings), whatever translations exist: a browser that
    sends no language preference gets settings.LANGUAGE_CODE. test_i18n.py overrides this
    fixture to keep the site's French default."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Every test starts with an empty cache (the site caches a study's analysis)."""
    cache.clear()


@pytest.fixture
def queued_only(settings: Any) -> Iterator[Any]:
    """Background tasks are queued and never run (as before a worker picks them up): the
    task backend, whose ``results`` are the queued tasks."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    yield backend
    backend.clear()


@pytest.fixture
def facilitator(db: Any) -> Any:
    return get_user_model().objects.create_user("facilitator", password="facilitator-pw-1")


@pytest.fixture
def observer(db: Any) -> Any:
    return get_user_model().objects.create_user("observer", password="observer-pw-1")


@pytest.fixture
def outsider(db: Any) -> Any:
    return get_user_model().objects.create_user("outsider", password="outsider-pw-1")


@pytest.fixture
def study(facilitator: Any, observer: Any) -> Study:
    created = import_study(small_study(), owner=facilitator)
    StudyMember.objects.create(study=created, user=observer, role=StudyMember.Role.OBSERVER)
    return created


@pytest.fixture
def example(facilitator: Any) -> Study:
    """The example study (20 factors, its closed rounds and decisions), owned by the
    facilitator."""
    return import_study(load_example(), owner=facilitator)


@pytest.fixture
def other_study(outsider: Any) -> Study:
    return import_study(small_study(), owner=outsider)


@pytest.fixture
def facilitator_client(facilitator: Any) -> Client:
    client = Client()
    client.force_login(facilitator)
    return client


@pytest.fixture
def observer_client(observer: Any) -> Client:
    client = Client()
    client.force_login(observer)
    return client


@pytest.fixture
def outsider_client(outsider: Any) -> Client:
    client = Client()
    client.force_login(outsider)
    return client


@pytest.fixture
def expert(study: Study) -> Expert:
    return study.experts.get(code="E1")


@pytest.fixture
def expert_client(expert: Expert) -> Client:
    return expert_client_for(expert)


@pytest.fixture
def anonymous_client() -> Client:
    return Client()
