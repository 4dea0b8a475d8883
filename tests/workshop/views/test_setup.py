"""The facilitator's study setup: the study's hub, creation, import and export, perimeter,
change factors, members, audit log, publication; for every persona."""

from __future__ import annotations

import json
import re
import time
from html import escape
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError
from django.test import Client
from django.urls import NoReverseMatch, reverse

from anticipe.examples import load_example
from anticipe.workshop import pseudonyms
from anticipe.workshop.models import (
    Activity,
    AuditEvent,
    Expert,
    Factor,
    Round,
    Study,
    StudyMember,
    Task,
)
from anticipe.workshop.pseudonyms import pseudonymised
from anticipe.workshop.study_format import export_study, study_document
from tests.studies import small_study
from tests.workshop.support import HTMX, NB, expert_client_for, text


def actions(study: Study) -> list[str]:
    return list(study.audit_events.order_by("id").values_list("action", flat=True))


def is_partial(response: Any) -> bool:
    return "<html" not in text(response) and "<body" not in text(response)


# -- who may see what: tests/workshop/test_access.py -------------------------------------------


def test_pages_have_no_inline_script_or_style_and_unique_ids(
    study: Study, facilitator_client: Client
) -> None:
    pages = [
        reverse("workshop:study_edit", args=[study.pk]),
        reverse("workshop:study", args=[study.pk]),
        reverse("workshop:perimeter", args=[study.pk]),
        reverse("workshop:factors", args=[study.pk]),
        reverse("workshop:members", args=[study.pk]),
        reverse("workshop:audit", args=[study.pk]),
        reverse("workshop:study_new"),
        reverse("workshop:study_import"),
        reverse("workshop:home"),
    ]
    for url in pages:
        page = text(facilitator_client.get(url))
        assert "style=" not in page, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert not re.search(r"\son[a-z]+=", page), url
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), (url, sorted(i for i in ids if ids.count(i) > 1))
        assert "setup.css" in page or url == reverse("workshop:home"), url


# -- home, new study, hub -------------------------------------------------------------------------


def test_home_offers_to_create_or_import_a_study(study: Study, facilitator_client: Client) -> None:
    page = text(facilitator_client.get(reverse("workshop:home")))
    assert reverse("workshop:study_new") in page
    assert reverse("workshop:study_import") in page
    assert reverse("workshop:study", args=[study.pk]) in page


def test_create_a_study(facilitator: Any, facilitator_client: Client) -> None:
    response = facilitator_client.post(
        reverse("workshop:study_new"),
        {
            "title": "Digital mediator",
            "job_description": "Helps people with digital tools.",
            "job_code": "K1206",
            "horizon_years_min": "3",
            "horizon_years_max": "5",
            "horizon_label": "2029-2031",
            "language": "en",
        },
    )
    created = Study.objects.get(title="Digital mediator")
    assert response.status_code == 302
    assert response["Location"] == reverse("workshop:study", args=[created.pk])
    assert created.created_by == facilitator
    assert created.is_facilitated_by(facilitator)
    assert (created.horizon_years_min, created.horizon_years_max) == (3, 5)
    assert created.language == "en"
    assert created.status == Study.Status.RUNNING
    assert actions(created) == ["study_created"]
    # the new study exports as a valid (empty) study file
    assert export_study(created)["job"]["code"] == "K1206"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        (
            {"horizon_years_min": "5", "horizon_years_max": "3"},
            "horizon_years_max",
            "The horizon cannot end before it starts",
        ),
        ({"horizon_years_max": "31"}, "horizon_years_max", "less than or equal to 30"),
        ({"horizon_years_min": "0"}, "horizon_years_min", "greater than or equal to 1"),
        ({"language": "de"}, "language", "Select a valid choice"),
    ],
)
def test_create_a_study_says_what_is_wrong(
    data: dict[str, str], field: str, message: str, facilitator_client: Client
) -> None:
    valid = {
        "title": "Job",
        "horizon_years_min": "3",
        "horizon_years_max": "5",
        "language": "fr",
    }
    response = facilitator_client.post(reverse("workshop:study_new"), {**valid, **data})
    assert response.status_code == 200
    assert not Study.objects.exists()
    assert message in text(response)
    assert f'id="id_{field}_error"' in text(response)
    assert 'aria-invalid="true"' in text(response)


def test_new_study_needs_an_account(anonymous_client: Client, expert_client: Client) -> None:
    for client in (anonymous_client, expert_client):
        response = client.post(reverse("workshop:study_new"), {"title": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not Study.objects.filter(title="x").exists()


def test_hub_for_the_facilitator(study: Study, facilitator_client: Client) -> None:
    page = text(facilitator_client.get(reverse("workshop:study", args=[study.pk])))
    assert escape(study.title) in page
    assert study.join_code in page
    assert "3 to 5 years (2029-2031)" in page
    assert "<strong>3</strong> activities" in page
    assert "<strong>1</strong> task" in page
    assert "<strong>4</strong> change factors" in page
    assert "<strong>3</strong> experts" in page
    assert "<strong>3</strong> rounds" in page
    for name in ("perimeter", "factors", "members", "audit", "study_export", "study_edit"):
        assert reverse(f"workshop:{name}", args=[study.pk]) in page, name
    assert reverse("workshop:study_publish", args=[study.pk]) in page
    assert "running" in page


def test_hub_for_an_observer_is_read_only(study: Study, observer_client: Client) -> None:
    page = text(observer_client.get(reverse("workshop:study", args=[study.pk])))
    assert escape(study.title) in page
    assert "You observe this study." in page
    assert study.join_code not in page
    for name in ("perimeter", "factors", "members", "audit", "study_export", "study_publish"):
        assert reverse(f"workshop:{name}", args=[study.pk]) not in page, name
    assert "once the facilitators publish the study" in page
    Study.objects.filter(pk=study.pk).update(status=Study.Status.PUBLISHED)
    page = text(observer_client.get(reverse("workshop:study", args=[study.pk])))
    assert "once the facilitators publish the study" not in page
    assert "its results are open to you" in page
    for name in ("results_vote", "results_structure", "results_hypotheses", "results_impacts"):
        try:
            url = reverse(f"workshop:{name}", args=[study.pk])
        except NoReverseMatch:  # the desk's pages, when they exist
            continue
        assert url in page, name
        assert observer_client.get(url).status_code == 200, name


def test_hub_is_hidden_from_others(
    study: Study,
    outsider_client: Client,
    anonymous_client: Client,
    expert_client: Client,
) -> None:
    url = reverse("workshop:study", args=[study.pk])
    assert outsider_client.get(url).status_code == 404
    assert anonymous_client.get(url).status_code == 302
    response = expert_client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_expert_of_another_study_gets_nothing(other_study: Study, study: Study) -> None:
    stranger = expert_client_for(other_study.experts.get(code="E1"))
    assert stranger.get(reverse("workshop:study", args=[study.pk])).status_code == 302
    assert stranger.get(reverse("workshop:perimeter", args=[study.pk])).status_code == 302


def test_edit_the_study(study: Study, facilitator_client: Client) -> None:
    url = reverse("workshop:study_edit", args=[study.pk])
    form = text(facilitator_client.get(url))
    assert escape(study.title) in form
    response = facilitator_client.post(
        url,
        {
            "title": "Autre métier",
            "job_description": study.job_description,
            "horizon_years_min": "2",
            "horizon_years_max": "4",
            "horizon_label": "2028-2030",
            "language": "en",
        },
    )
    assert response.status_code == 302
    study.refresh_from_db()
    assert (study.title, study.horizon_years_min, study.language) == ("Autre métier", 2, "en")
    event = study.audit_events.get(action="study_edited")
    assert set(event.detail["fields"]) == {
        "title",
        "horizon_years_min",
        "horizon_years_max",
        "horizon_label",
        "language",
    }


# -- publish and reopen ---------------------------------------------------------------------------


def test_publish_then_reopen(study: Study, facilitator_client: Client) -> None:
    response = facilitator_client.post(reverse("workshop:study_publish", args=[study.pk]))
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.is_published()
    assert not study.decisions_are_open()
    hub = text(facilitator_client.get(reverse("workshop:study", args=[study.pk])))
    assert reverse("workshop:study_reopen", args=[study.pk]) in hub
    assert reverse("workshop:study_edit", args=[study.pk]) not in hub
    facilitator_client.post(reverse("workshop:study_reopen", args=[study.pk]))
    study.refresh_from_db()
    assert not study.is_published()
    assert actions(study) == ["study_published", "study_reopened"]


def test_publishing_waits_for_the_open_round(study: Study, facilitator_client: Client) -> None:
    Round.objects.create(study=study, step=Round.Step.ACTIONS).open()
    response = facilitator_client.post(
        reverse("workshop:study_publish", args=[study.pk]), follow=True
    )
    study.refresh_from_db()
    assert not study.is_published()
    assert "Close the open round before publishing" in text(response)
    assert actions(study) == []


def test_a_published_study_is_frozen(study: Study, facilitator_client: Client) -> None:
    Study.objects.filter(pk=study.pk).update(status=Study.Status.PUBLISHED)
    before = study_document(study)
    activity = study.activities.get(code="1")
    factor = study.factors.get(code="F4")
    attempts = [
        (reverse("workshop:activity_add", args=[study.pk]), {"activity-code": "9"}),
        (reverse("workshop:activity_delete", args=[study.pk, activity.pk]), {}),
        (reverse("workshop:factor_delete", args=[study.pk, factor.pk]), {}),
        (reverse("workshop:factor_move", args=[study.pk, factor.pk]), {"direction": "up"}),
        (reverse("workshop:study_edit", args=[study.pk]), {"title": "Changed"}),
    ]
    for url, data in attempts:
        response = facilitator_client.post(url, data)
        assert response.status_code == 403, url
        assert "This study is published: reopen it before changing it." in text(response)
        htmx = facilitator_client.post(url, data, **HTMX)
        assert htmx.status_code == 403, url
        assert "This study is published: reopen it before changing it." in text(htmx)
    assert study_document(study) == before
    page = text(facilitator_client.get(reverse("workshop:perimeter", args=[study.pk])))
    assert reverse("workshop:activity_add", args=[study.pk]) not in page
    assert "reopen it to change its perimeter" in page


# -- export and import ----------------------------------------------------------------------------


def test_export_downloads_the_study_file(
    study: Study, facilitator_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def backwards(codes: Any) -> dict[str, str]:
        codes = list(codes)
        return dict(zip(codes, reversed(codes), strict=True))

    monkeypatch.setattr(pseudonyms, "fresh_pseudonyms", backwards)
    monkeypatch.setattr(pseudonyms, "shuffled", list)  # each step in the panel's order
    response = facilitator_client.get(reverse("workshop:study_export", args=[study.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "m%C3%A9tier-dessai.json" in disposition  # filename*=utf-8''..., from the job
    assert "Métier d'essai".encode() in response.content  # UTF-8, not \u escapes
    names = backwards(sorted(study.experts.values_list("code", flat=True)))
    assert json.loads(response.content) == pseudonymised(study_document(study), names)


def upload(content: bytes, name: str = "study.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/json")


def test_export_import_export_gives_the_same_document(
    study: Study, facilitator: Any, facilitator_client: Client
) -> None:
    first = facilitator_client.get(reverse("workshop:study_export", args=[study.pk])).content
    response = facilitator_client.post(
        reverse("workshop:study_import"), {"file": upload(first, "métier.json")}
    )
    assert response.status_code == 302
    imported = Study.objects.exclude(pk=study.pk).get()
    assert response["Location"] == reverse("workshop:study", args=[imported.pk])
    assert imported.is_facilitated_by(facilitator)
    assert list(imported.members.values_list("role", flat=True)) == ["facilitator"]
    assert actions(imported) == ["study_imported"]
    assert imported.audit_events.get().detail == {
        "file": "métier.json",
        "factors": study.factors.count(),
        "experts": study.experts.count(),
        "rounds": study.rounds.count(),
    }
    # the imported study's document is the file (its pseudonyms are its codes) ...
    assert study_document(imported) == json.loads(first)
    # ... and its export is the same study under new pseudonyms
    second = facilitator_client.get(reverse("workshop:study_export", args=[imported.pk])).content
    assert json.loads(second)["panel"] != json.loads(first)["panel"]


def counts() -> tuple[int, ...]:
    return (
        Study.objects.count(),
        Activity.objects.count(),
        Factor.objects.count(),
        Expert.objects.count(),
        Round.objects.count(),
        StudyMember.objects.count(),
        AuditEvent.objects.count(),
    )


def import_page(client: Client, content: bytes, name: str = "study.json") -> str:
    before = counts()
    response = client.post(reverse("workshop:study_import"), {"file": upload(content, name)})
    assert response.status_code == 200
    assert counts() == before, "nothing is created when the file has a problem"
    page = text(response)
    assert "Traceback" not in page
    assert "nothing was imported" in page
    return page


def test_import_reports_bad_json(facilitator_client: Client) -> None:
    page = import_page(facilitator_client, b'{"anticipe_study": "1.0",\n  "job": }', "bad.json")
    assert "not valid JSON" in page
    assert "line 2" in page
    assert "bad.json" in page


def test_import_reports_every_schema_problem_with_its_field(facilitator_client: Client) -> None:
    document = small_study()
    del document["panel"][1]["sector"]
    document["horizon"]["years_max"] = 99
    page = import_page(facilitator_client, json.dumps(document).encode())
    assert "The file has 2 problems" in page
    assert "field panel[1]" in page
    assert "missing required field &#x27;sector&#x27;" in page
    assert "field horizon.years_max" in page
    assert "out of range" in page


def test_import_reports_broken_references(facilitator_client: Client) -> None:
    document = small_study()
    document["impacts"][0]["activity"] = "99"
    page = import_page(facilitator_client, json.dumps(document).encode())
    assert "unknown activity &#x27;99&#x27;" in page
    assert "field impacts[0].activity" in page


def test_import_reports_a_file_that_is_not_utf8(facilitator_client: Client) -> None:
    page = import_page(facilitator_client, json.dumps(small_study()).encode("utf-16"))
    assert "not a UTF-8 text file" in page
    page = import_page(facilitator_client, '{"job": "Métier"}'.encode("latin-1"))
    assert "not a UTF-8 text file" in page


def test_import_refuses_a_file_too_large(
    facilitator_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anticipe.workshop.forms import setup

    monkeypatch.setattr(setup, "MAX_STUDY_FILE_BYTES", 1024 * 1024)
    big = b" " * (1024 * 1024 + 1)
    before = counts()
    response = facilitator_client.post(reverse("workshop:study_import"), {"file": upload(big)})
    assert "The file is too large (at most 1 MB)." in text(response)
    assert counts() == before


def test_import_refuses_a_file_of_more_answers_than_a_request_may_import(
    facilitator_client: Client,
) -> None:
    """A small file can hold a huge matrix (150 factors x 20 experts in 0.9 MB took 47 s of
    one request): the values are counted first, before the file's checks, and refused."""
    from anticipe.study.limits import MAX_IMPORTED_VALUES

    document = small_study()
    codes = [f"X{i}" for i in range(120)]
    document["structural_analysis"] = {
        "factors": codes,
        "matrices": [
            {"expert": expert["id"], "rows": [[0] * len(codes) for _ in codes]}
            for expert in document["panel"]
        ]
        * 4,
    }
    assert len(codes) ** 2 * 4 * len(document["panel"]) > MAX_IMPORTED_VALUES
    before = counts()
    began = time.process_time()
    page = import_page(facilitator_client, json.dumps(document).encode(), "huge.json")
    assert time.process_time() - began < 2.0
    assert "more than 100,000 values" in page or "more than 100000 values" in page
    assert "the command line reads it" in page
    assert counts() == before
    # the example is far below the limit
    from anticipe.study.study_file import more_values_than

    assert not more_values_than(load_example(), MAX_IMPORTED_VALUES // 10)


def test_import_reports_an_empty_file_or_none(facilitator_client: Client) -> None:
    before = counts()
    response = facilitator_client.post(reverse("workshop:study_import"), {})
    assert response.status_code == 200
    assert "This field is required." in text(response)
    response = facilitator_client.post(
        reverse("workshop:study_import"), {"file": upload(b"", "empty.json")}
    )
    assert "The submitted file is empty." in text(response)
    assert counts() == before


def test_a_failure_midway_leaves_no_half_created_study(
    facilitator_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anticipe.workshop import study_import

    def fail(*args: Any, **kwargs: Any) -> None:
        raise DataError("value too long for type character varying(200)")

    monkeypatch.setattr(study_import, "_import_hypotheses", fail)
    page = import_page(facilitator_client, json.dumps(small_study()).encode())
    assert "The study could not be stored" in page
    assert "varying" not in page  # the database's words stay in the log


def test_import_needs_an_account(anonymous_client: Client, expert_client: Client) -> None:
    before = counts()
    for client in (anonymous_client, expert_client):
        response = client.post(
            reverse("workshop:study_import"), {"file": upload(json.dumps(small_study()).encode())}
        )
        assert response.status_code == 302
    assert counts() == before


def test_export_says_why_a_broken_study_cannot_be_exported(
    study: Study, facilitator_client: Client
) -> None:
    Activity.objects.filter(study=study, code="2").update(code="two words")
    response = facilitator_client.get(
        reverse("workshop:study_export", args=[study.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("workshop:study", args=[study.pk])
    assert "The study cannot be exported" in text(response)
    assert "perimeter.activities[1].code" in text(response)


# -- perimeter: activities and tasks --------------------------------------------------------------


def test_perimeter_page_lists_activities_and_tasks(
    study: Study, facilitator_client: Client
) -> None:
    Activity.objects.filter(study=study, code="2").update(description="Ateliers collectifs.")
    page = text(facilitator_client.get(reverse("workshop:perimeter", args=[study.pk])))
    assert page.index("Accueillir") < page.index("Animer") < page.index("Accompagner")
    assert "Ouvrir" in page
    assert "Ateliers collectifs." in page
    assert 'id="perimeter"' in page
    assert "Codes are unique within the study." in page


def test_add_an_activity_with_htmx(study: Study, facilitator_client: Client) -> None:
    response = facilitator_client.post(
        reverse("workshop:activity_add", args=[study.pk]),
        {"activity-code": "4", "activity-title": "Évaluer", "activity-description": "Bilans."},
        **HTMX,
    )
    assert response.status_code == 200
    assert is_partial(response)
    assert response["HX-Retarget"] == "#perimeter"
    assert response["HX-Reswap"] == "outerHTML"
    assert 'id="perimeter"' in text(response)
    assert "Évaluer" in text(response)
    added = study.activities.get(code="4")
    assert (added.title, added.description) == ("Évaluer", "Bilans.")
    assert list(study.activities_in_order().values_list("code", flat=True)) == ["1", "2", "3", "4"]
    assert study.audit_events.get().action == "activity_added"


def test_add_an_activity_without_javascript(study: Study, facilitator_client: Client) -> None:
    response = facilitator_client.post(
        reverse("workshop:activity_add", args=[study.pk]),
        {"activity-code": "4", "activity-title": "Évaluer"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workshop:perimeter", args=[study.pk])
    assert study.activities.filter(code="4").exists()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("2", "Another activity of this study already has the code “2”"),
        ("two words", "A code is made of letters, digits"),
        ("", "This field is required."),
    ],
)
def test_activity_codes_are_checked(
    code: str, message: str, study: Study, facilitator_client: Client
) -> None:
    for extra in ({}, HTMX):
        response = facilitator_client.post(
            reverse("workshop:activity_add", args=[study.pk]),
            {"activity-code": code, "activity-title": "Évaluer"},
            **extra,
        )
        assert response.status_code == 200
        assert escape(message, quote=False) in text(response) or message in text(response)
        assert 'id="id_activity-code_error"' in text(response)
        described = 'aria-describedby="id_activity-code_helptext id_activity-code_error"'
        assert described in text(response)
    assert study.activities.count() == 3
    assert not AuditEvent.objects.exists()


def test_edit_an_activity_in_place(study: Study, facilitator_client: Client) -> None:
    activity = study.activities.get(code="2")
    url = reverse("workshop:activity_edit", args=[study.pk, activity.pk])
    form = facilitator_client.get(url, **HTMX)
    assert is_partial(form)
    assert f'id="activity-{activity.pk}"' in text(form)
    assert 'value="Animer"' in text(form)
    assert "autofocus" in text(form)
    page = facilitator_client.get(url)
    assert "<html" in text(page)
    # a code taken by another activity: the form comes back with the message
    taken = facilitator_client.post(url, {"activity-code": "3", "activity-title": "Animer"}, **HTMX)
    assert is_partial(taken)
    assert "already has the code" in text(taken)
    assert "HX-Retarget" not in taken  # the form replaces itself
    saved = facilitator_client.post(
        url,
        {
            "activity-code": "2",
            "activity-title": "Animer des ateliers",
            "activity-description": "x",
        },
        **HTMX,
    )
    assert saved["HX-Retarget"] == "#perimeter"
    activity.refresh_from_db()
    assert (activity.title, activity.description) == ("Animer des ateliers", "x")
    event = study.audit_events.get()
    assert (event.action, event.detail["code"]) == ("activity_edited", "2")


def test_delete_an_activity_and_its_tasks(study: Study, facilitator_client: Client) -> None:
    activity = study.activities.get(code="1")
    response = facilitator_client.post(
        reverse("workshop:activity_delete", args=[study.pk, activity.pk]), **HTMX
    )
    assert response.status_code == 200
    assert is_partial(response)
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not Task.objects.filter(activity__study=study).exists()
    event = study.audit_events.get()
    assert event.detail == {"code": "1", "title": "Accueillir", "tasks": 1}


def test_an_activity_with_impacts_is_kept(study: Study, facilitator_client: Client) -> None:
    activity = study.activities.get(code="3")
    url = reverse("workshop:activity_delete", args=[study.pk, activity.pk])
    response = facilitator_client.post(url, **HTMX)
    assert "Activity 3 cannot be deleted" in text(response)
    assert 'role="alert"' in text(response)
    response = facilitator_client.post(url, follow=True)
    assert "Activity 3 cannot be deleted" in text(response)
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert not AuditEvent.objects.exists()


def codes(queryset: Any) -> list[str]:
    return list(queryset.values_list("code", flat=True))


def test_move_activities(study: Study, facilitator_client: Client) -> None:
    third = study.activities.get(code="3")
    url = reverse("workshop:activity_move", args=[study.pk, third.pk])
    response = facilitator_client.post(url, {"direction": "up"}, **HTMX)
    assert is_partial(response)
    assert f'id="move-activity-{third.pk}-up"' in text(response)  # the focus stays there
    assert codes(study.activities_in_order()) == ["1", "3", "2"]
    facilitator_client.post(url, {"direction": "up"})
    assert codes(study.activities_in_order()) == ["3", "1", "2"]
    facilitator_client.post(url, {"direction": "up"})  # already first: nothing changes
    assert codes(study.activities_in_order()) == ["3", "1", "2"]
    facilitator_client.post(url, {"direction": "down"})
    assert codes(study.activities_in_order()) == ["1", "3", "2"]
    assert facilitator_client.post(url, {"direction": "sideways"}).status_code == 400
    assert actions(study) == ["activity_moved"] * 3


def test_tasks(study: Study, facilitator_client: Client) -> None:
    first, second = study.activities.get(code="1"), study.activities.get(code="2")
    add = reverse("workshop:task_add", args=[study.pk, first.pk])
    prefix = f"task-{first.pk}"
    response = facilitator_client.post(
        add, {f"{prefix}-code": "1.2", f"{prefix}-title": "Fermer"}, **HTMX
    )
    assert is_partial(response)
    assert "Fermer" in text(response)
    assert codes(first.tasks.all()) == ["1.1", "1.2"]
    # task codes are unique in the whole study
    other = f"task-{second.pk}"
    response = facilitator_client.post(
        reverse("workshop:task_add", args=[study.pk, second.pk]),
        {f"{other}-code": "1.1", f"{other}-title": "Doublon"},
        **HTMX,
    )
    assert "Another task of this study already has the code “1.1”" in text(response)
    assert f'id="id_{other}-code_error"' in text(response)
    assert not second.tasks.exists()
    # move, edit (to another activity), delete
    task = first.tasks.get(code="1.2")
    facilitator_client.post(
        reverse("workshop:task_move", args=[study.pk, task.pk]), {"direction": "up"}
    )
    assert codes(first.tasks.order_by("position")) == ["1.2", "1.1"]
    edit = reverse("workshop:task_edit", args=[study.pk, task.pk])
    form = facilitator_client.get(edit, **HTMX)
    assert is_partial(form)
    assert f'id="task-{task.pk}"' in text(form)
    facilitator_client.post(
        edit, {"task-code": "2.1", "task-title": "Préparer", "task-activity": second.pk}, **HTMX
    )
    task.refresh_from_db()
    assert (task.activity, task.code, task.title) == (second, "2.1", "Préparer")
    facilitator_client.post(reverse("workshop:task_delete", args=[study.pk, task.pk]), **HTMX)
    assert not Task.objects.filter(pk=task.pk).exists()
    assert actions(study) == ["task_added", "task_moved", "task_edited", "task_deleted"]


def test_a_task_of_another_study_is_not_found(
    study: Study, other_study: Study, facilitator_client: Client
) -> None:
    foreign = Task.objects.get(activity__study=other_study)
    for name in ("task_edit", "task_delete", "task_move"):
        response = facilitator_client.post(
            reverse(f"workshop:{name}", args=[study.pk, foreign.pk]), {"direction": "up"}
        )
        assert response.status_code == 404, name
    assert Task.objects.filter(pk=foreign.pk).exists()


# -- change factors -------------------------------------------------------------------------------


def test_factors_page(study: Study, facilitator_client: Client) -> None:
    page = text(facilitator_client.get(reverse("workshop:factors", args=[study.pk])))
    assert page.index("Évolution technologique") < page.index("Réseau local")
    assert 'value="F5"' in page  # the next code is suggested
    assert "answered or decided on" in page


def test_a_new_study_suggests_a1(facilitator_client: Client) -> None:
    facilitator_client.post(
        reverse("workshop:study_new"),
        {"title": "Job", "horizon_years_min": "3", "horizon_years_max": "5", "language": "fr"},
    )
    created = Study.objects.get(title="Job")
    page = text(facilitator_client.get(reverse("workshop:factors", args=[created.pk])))
    assert 'value="A1"' in page
    assert "No factor yet." in page
    page = text(facilitator_client.get(reverse("workshop:perimeter", args=[created.pk])))
    assert "No activity yet." in page


def test_add_a_factor(study: Study, facilitator_client: Client) -> None:
    response = facilitator_client.post(
        reverse("workshop:factor_add", args=[study.pk]),
        {"factor-code": "F5", "factor-title": "Télétravail", "factor-description": "Plus."},
        **HTMX,
    )
    assert is_partial(response)
    assert response["HX-Retarget"] == "#factors"
    assert "Télétravail" in text(response)
    assert 'value="F6"' in text(response)
    factor = study.factors.get(code="F5")
    assert factor.position > study.factors.get(code="F4").position
    assert study.audit_events.get().detail == {"code": "F5"}
    taken = facilitator_client.post(
        reverse("workshop:factor_add", args=[study.pk]),
        {"factor-code": "F1", "factor-title": "Doublon"},
        **HTMX,
    )
    assert "Another factor of this study already has the code “F1”" in text(taken)
    assert not study.factors.filter(title="Doublon").exists()


def test_reword_a_factor_that_experts_answered_about(
    study: Study, facilitator_client: Client
) -> None:
    factor = study.factors.get(code="F1")
    url = reverse("workshop:factor_edit", args=[study.pk, factor.pk])
    form = facilitator_client.get(url, **HTMX)
    assert "Its code stays as it is" in text(form)
    assert 'name="factor-code"' not in text(form)
    response = facilitator_client.post(
        url,
        {
            "factor-code": "ZZ",
            "factor-title": factor.title,
            "factor-reworded_title": "Intelligence artificielle",
        },
        **HTMX,
    )
    assert response["HX-Retarget"] == "#factors"
    factor.refresh_from_db()
    assert (factor.code, factor.reworded_title) == ("F1", "Intelligence artificielle")
    assert "First wording:" in text(response)
    assert study.audit_events.get().detail == {"code": "F1", "fields": ["reworded_title"]}


def test_a_free_factor_can_change_its_code(study: Study, facilitator_client: Client) -> None:
    voted = study.factors.get(code="F4")  # not shortlisted, but it has points in the vote
    url = reverse("workshop:factor_edit", args=[study.pk, voted.pk])
    assert 'name="factor-code"' not in text(facilitator_client.get(url))
    free = Factor.objects.create(study=study, code="F9", title="Libre", position=9)
    url = reverse("workshop:factor_edit", args=[study.pk, free.pk])
    assert 'name="factor-code"' in text(facilitator_client.get(url))
    facilitator_client.post(url, {"factor-code": "F5", "factor-title": "Libre"})
    free.refresh_from_db()
    assert free.code == "F5"


def test_a_factor_with_answers_cannot_be_deleted(study: Study, facilitator_client: Client) -> None:
    factor = study.factors.get(code="F1")
    url = reverse("workshop:factor_delete", args=[study.pk, factor.pk])
    response = facilitator_client.post(url, **HTMX)
    page = text(response)
    assert "Factor F1 cannot be deleted" in page
    assert "answers to the weighted vote" in page
    assert "answers to the influence matrix" in page
    assert "its evolution hypotheses" in page
    assert "Edit its wording instead." in page
    response = facilitator_client.post(url, follow=True)
    assert "Factor F1 cannot be deleted" in text(response)
    assert Factor.objects.filter(pk=factor.pk).exists()
    assert not AuditEvent.objects.exists()


def test_delete_a_factor_nothing_refers_to(study: Study, facilitator_client: Client) -> None:
    free = Factor.objects.create(study=study, code="F9", title="Libre", position=9)
    response = facilitator_client.post(
        reverse("workshop:factor_delete", args=[study.pk, free.pk]), **HTMX
    )
    assert is_partial(response)
    assert "Libre" not in text(response)
    assert not Factor.objects.filter(pk=free.pk).exists()
    assert study.audit_events.get().detail == {"code": "F9", "title": "Libre"}


def test_a_factor_fixed_in_a_round_cannot_be_deleted(
    study: Study, facilitator_client: Client
) -> None:
    free = Factor.objects.create(study=study, code="F9", title="Libre", position=9)
    Round.objects.create(
        study=study, step=Round.Step.INFLUENCE, iteration=2, settings={"factors": ["F9"]}
    )
    response = facilitator_client.post(
        reverse("workshop:factor_delete", args=[study.pk, free.pk]), **HTMX
    )
    assert "a round of the influence matrix" in text(response)
    assert Factor.objects.filter(pk=free.pk).exists()


def test_move_factors(study: Study, facilitator_client: Client) -> None:
    last = study.factors.get(code="F4")
    url = reverse("workshop:factor_move", args=[study.pk, last.pk])
    facilitator_client.post(url, {"direction": "down"})  # already last
    assert codes(study.factors.order_by("position", "id")) == ["F1", "F2", "F3", "F4"]
    response = facilitator_client.post(url, {"direction": "up"}, **HTMX)
    assert is_partial(response)
    assert codes(study.factors.order_by("position", "id")) == ["F1", "F2", "F4", "F3"]
    assert actions(study) == ["factor_moved"]


# -- members --------------------------------------------------------------------------------------


def members_post(client: Client, study: Study, name: str, *args: Any, **data: Any) -> Any:
    return client.post(reverse(f"workshop:{name}", args=[study.pk, *args]), data, **HTMX)


def test_add_a_co_facilitator(study: Study, outsider: Any, facilitator_client: Client) -> None:
    response = facilitator_client.post(
        reverse("workshop:member_add", args=[study.pk]),
        {"member-username": "OUTSIDER", "member-role": "facilitator"},
        **HTMX,
    )
    assert is_partial(response)
    assert response["HX-Retarget"] == "#members"
    assert "outsider" in text(response)
    assert study.is_facilitated_by(outsider)
    event = study.audit_events.get()
    assert (event.action, event.detail) == (
        "member_added",
        {"user": "outsider", "role": "facilitator"},
    )
    # the co-facilitator now runs the study
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("workshop:perimeter", args=[study.pk])).status_code == 200


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody", "No account has the user name “nobody”"),
        ("observer", "observer is already a member of this study"),
        ("facilitator", "facilitator is already a member of this study"),
    ],
)
def test_add_a_member_says_what_is_wrong(
    username: str, message: str, study: Study, facilitator_client: Client
) -> None:
    response = facilitator_client.post(
        reverse("workshop:member_add", args=[study.pk]),
        {"member-username": username, "member-role": "observer"},
    )
    assert response.status_code == 200
    assert message in text(response)
    assert study.members.count() == 2
    assert not AuditEvent.objects.exists()


def test_change_a_role_and_remove(study: Study, observer: Any, facilitator_client: Client) -> None:
    member = study.members.get(user=observer)
    response = facilitator_client.post(
        reverse("workshop:member_role", args=[study.pk, member.pk]),
        {f"member-{member.pk}-role": "facilitator"},
        **HTMX,
    )
    assert is_partial(response)
    assert study.is_facilitated_by(observer)
    facilitator_client.post(reverse("workshop:member_remove", args=[study.pk, member.pk]), **HTMX)
    assert not study.members.filter(user=observer).exists()
    assert [(e.action, e.detail) for e in study.audit_events.order_by("id")] == [
        (
            "member_role_changed",
            {"user": "observer", "previous": "observer", "role": "facilitator"},
        ),
        ("member_removed", {"user": "observer", "role": "facilitator"}),
    ]


def test_the_last_facilitator_stays(
    study: Study, facilitator: Any, facilitator_client: Client
) -> None:
    me = study.members.get(user=facilitator)
    for name, data in (
        ("member_role", {f"member-{me.pk}-role": "observer"}),
        ("member_remove", {}),
    ):
        response = facilitator_client.post(
            reverse(f"workshop:{name}", args=[study.pk, me.pk]), data, **HTMX
        )
        assert "A study always keeps at least one facilitator" in text(response)
        response = facilitator_client.post(
            reverse(f"workshop:{name}", args=[study.pk, me.pk]), data, follow=True
        )
        assert "A study always keeps at least one facilitator" in text(response)
    assert study.is_facilitated_by(facilitator)
    assert not AuditEvent.objects.exists()


def test_a_facilitator_may_leave_when_another_stays(
    study: Study, facilitator: Any, outsider: Any, facilitator_client: Client
) -> None:
    StudyMember.objects.create(study=study, user=outsider, role=StudyMember.Role.FACILITATOR)
    me = study.members.get(user=facilitator)
    response = facilitator_client.post(
        reverse("workshop:member_remove", args=[study.pk, me.pk]), **HTMX
    )
    assert response["HX-Redirect"] == reverse("workshop:home")
    assert not study.is_facilitated_by(facilitator)
    assert facilitator_client.get(reverse("workshop:study", args=[study.pk])).status_code == 404


def test_a_facilitator_who_becomes_observer_sees_the_hub_read_only(
    study: Study, facilitator: Any, outsider: Any, facilitator_client: Client
) -> None:
    StudyMember.objects.create(study=study, user=outsider, role=StudyMember.Role.FACILITATOR)
    me = study.members.get(user=facilitator)
    response = facilitator_client.post(
        reverse("workshop:member_role", args=[study.pk, me.pk]),
        {f"member-{me.pk}-role": "observer"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("workshop:study", args=[study.pk])
    assert "You are now an observer of this study." in text(response)
    assert "You observe this study." in text(response)
    assert study.is_observed_by(facilitator)


def test_a_member_of_another_study_is_not_found(
    study: Study, other_study: Study, facilitator_client: Client
) -> None:
    foreign = other_study.members.get()
    response = facilitator_client.post(
        reverse("workshop:member_remove", args=[study.pk, foreign.pk])
    )
    assert response.status_code == 404
    assert StudyMember.objects.filter(pk=foreign.pk).exists()


def test_members_page_lists_roles(study: Study, facilitator_client: Client) -> None:
    page = text(facilitator_client.get(reverse("workshop:members", args=[study.pk])))
    assert "facilitator" in page
    assert "observer" in page
    assert "Role of observer" in page
    assert 'id="members"' in page
    partial = facilitator_client.get(reverse("workshop:members", args=[study.pk]), **HTMX)
    assert is_partial(partial)


# -- audit log ------------------------------------------------------------------------------------


def test_audit_log_shows_who_when_what(
    study: Study, facilitator: Any, facilitator_client: Client
) -> None:
    """Each action a sentence in the study's language (French here, the site in English):
    who did what, when, why; settings in words; an unknown action still readable."""
    get_user_model().objects.filter(pk=facilitator.pk).update(first_name="Ana", last_name="Lima")
    AuditEvent.record(study, facilitator, "factor_deleted", code="F9", title="Libre")
    settings = {"method": "points", "points_per_expert": 20, "shortlist_size": 6}
    AuditEvent.record(study, facilitator, "round_opened", step="factor_vote", settings=settings)
    AuditEvent.record(study, facilitator, "invitation_issued", expert="E1", emailed=False)
    AuditEvent.record(study, facilitator, "key_factor_added", factor="F2", reason="Vu en atelier")
    AuditEvent.record(study, facilitator, "something_new", code="F1")
    page = text(facilitator_client.get(reverse("workshop:audit", args=[study.pk])))
    assert f"Ana Lima a supprimé le facteur de changement F9 «{NB}Libre{NB}»." in page
    assert f"Ana Lima a ouvert «{NB}Facteurs de changement{NB}: vote pondéré{NB}»" in page
    assert "répartition de points" in page  # the settings in words
    assert "points_per_expert" not in page
    assert "{&#x27;method" not in page
    assert "emailed" not in page
    assert "Vu en atelier" in page  # why
    assert "something new" in page  # another feature's action, readable
    assert page.index("something new") < page.index("F9")  # newest first
    assert "<time datetime=" in page


def test_audit_log_pages(study: Study, facilitator: Any, facilitator_client: Client) -> None:
    for number in range(105):
        AuditEvent.record(study, facilitator, "factor_moved", code=f"X{number}", direction="up")
    first = text(facilitator_client.get(reverse("workshop:audit", args=[study.pk])))
    assert "X104 vers" in first
    assert "X5 vers" in first
    assert "X4 vers" not in first
    second = text(facilitator_client.get(reverse("workshop:audit", args=[study.pk]) + "?page=2"))
    assert "Page 2 of 2" in second
    assert "X0 vers" in second


def test_a_file_name_keeps_the_words_of_inclusive_writing_apart(study: Study) -> None:
    from anticipe.workshop.views.setup import study_file_name

    study.title = "Conseiller·ère en insertion"
    assert study_file_name(study, "html") == "conseiller-ère-en-insertion.html"
    study.title = "Médiateur numérique"
    assert study_file_name(study) == "médiateur-numérique.json"
