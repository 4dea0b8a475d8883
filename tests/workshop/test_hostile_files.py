"""Hostile files through the site, as the command line refuses them (issue 11): a zip bomb
uploaded as an expert's matrix and a study file whose hypothesis scale is absurd are
refused with a message, quickly, and nothing is stored. "Quickly" is the process's CPU time,
not the wall clock: the work done is what is bounded, whatever else the machine runs."""

from __future__ import annotations

import json
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from anticipe.examples import load_example
from anticipe.workshop.models import InfluenceScore, Round, Study
from tests.study.test_limits import zip_bomb
from tests.workshop.support import first_round, url


def test_a_zip_bomb_uploaded_as_a_matrix_is_refused_in_under_a_second(
    study: Study, expert_client: Client
) -> None:
    matrix = first_round(study, Round.Step.INFLUENCE, {"factors": ["F1", "F2", "F3"]})
    bomb = SimpleUploadedFile(
        "matrice.xlsx",
        zip_bomb(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    started = time.process_time()
    response = expert_client.post(url("expert_matrix_upload", matrix), {"matrix": bomb})
    elapsed = time.process_time() - started
    assert response.status_code == 400
    assert elapsed < 1.0
    assert not InfluenceScore.objects.filter(round=matrix).exists()


def test_a_study_file_with_a_huge_scale_is_refused_in_under_a_second(
    facilitator_client: Client,
) -> None:
    document = load_example()
    document["hypotheses"]["probability_scale"] = {"min": -1e20, "max": 4}
    upload = SimpleUploadedFile(
        "huge.json", json.dumps(document).encode("utf-8"), content_type="application/json"
    )
    before = Study.objects.count()
    started = time.process_time()
    response = facilitator_client.post(reverse("workshop:study_import"), {"file": upload})
    elapsed = time.process_time() - started
    assert response.status_code == 200  # the import page again, with the problem listed
    assert "probability_scale" in response.content.decode()
    assert elapsed < 1.0
    assert Study.objects.count() == before
