"""A self-assessment group's counts downloaded as CSV and XLSX: the page's numbers and nothing
more (closed groups with at least the smallest group shown, a competence fewer answered
withheld), simulated groups flagged, refused for an open or too small group and for anyone
who may not see the page (the persona rows are in tests/workshop/test_access.py)."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import Respondent, RespondentGroup, SelfAssessment, Study
from tests.workshop.support import published, text


def counts_url(group: RespondentGroup, fmt: str, study: Study | None = None) -> str:
    study_id = study.pk if study is not None else group.study_id
    return reverse("workshop:respondent_group_download", args=[study_id, group.pk, fmt])


def page_url(study: Study) -> str:
    return reverse("workshop:self_assessment", args=[study.pk])


def csv_tables(response: Any, delimiter: str = ",") -> list[list[list[str]]]:
    """The CSV's tables (split on their empty lines)."""
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=delimiter))
    tables: list[list[list[str]]] = [[]]
    for row in rows:
        if row:
            tables[-1].append(row)
        else:
            tables.append([])
    return tables


@pytest.fixture
def group(study: Study) -> RespondentGroup:
    """A closed group of three (smallest group shown: 3): C1 (DigComp 1.1, level 4 expected)
    answered by all three, C2 (the generic scale) by two only, so withheld."""
    c1 = study.competences.get(code="C1")
    c1.frameworks = [{"framework": "digcomp-2.2", "id": "1.1", "level": "4"}]
    c1.save()
    SelfAssessment.objects.create(
        study=study, published=True, competences=["C1", "C2"], min_group_size=3
    )
    made = RespondentGroup.objects.create(study=study, code="TRAIN-A", label="Groupe A")
    for n, answers in enumerate(
        [{"C1": "1", "C2": "2"}, {"C1": "2", "C2": "?"}, {"C1": "4"}, {}]  # one pressed Start
    ):
        Respondent.objects.create(group=made, secret_digest=f"{n}".ljust(64, "s"), answers=answers)
    made.closed = True
    made.save()
    return made


def test_the_csv_holds_the_pages_counts_and_nothing_more(
    group: RespondentGroup, facilitator_client: Client
) -> None:
    page = text(facilitator_client.get(page_url(group.study)))
    assert "2 / 3 (67%)" in page  # levels 1 and 2 below the expected 4
    response = facilitator_client.get(counts_url(group, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    name = f"study-{group.study_id}-self-assessment-TRAIN-A.csv"
    assert name in response["Content-Disposition"]
    about, competences, levels = csv_tables(response)
    assert about == [
        [
            "group code",
            "label",
            "respondents",
            "state",
            "smallest group shown",
            "simulated answers",
        ],
        ["TRAIN-A", "Groupe A", "3", "closed", "3", "no"],
    ]
    assert competences[0] == [
        "Distribution per competence and share below the level the job expects"
    ]
    assert competences[1] == [
        "code",
        "competence",
        "framework",
        "framework competence",
        "level expected",
        "below the level expected",
        "placed themselves on a level",
        "share below the expected level (%)",
        "I don't know",
        "note",
    ]
    c1, c2 = competences[2:]
    assert c1[0] == "C1"
    assert c1[2:] == ["DigComp 2.2", "1.1", "4 – Intermediate", "2", "3", "66.7", "0", ""]
    # C2 was answered by two: withheld, as on the page
    assert c2[0] == "C2"
    assert c2[5:] == ["", "", "", "", "fewer than 3 answered: not shown"]
    assert "fewer than 3 answered: not shown" in page
    # the levels of C1 only, lowest first, as the page lists them
    assert levels[0] == ["Respondents per level (lowest first)"]
    assert levels[1] == ["code", "competence", "level", "respondents", "below the level expected"]
    rows = levels[2:]
    assert {row[0] for row in rows} == {"C1"}
    counts = [(row[2].split(" – ")[0], row[3], row[4]) for row in rows]
    assert counts[:5] == [
        ("1", "1", "yes"),
        ("2", "1", "yes"),
        ("3", "0", "yes"),
        ("4", "1", "no"),
        ("5", "0", "no"),
    ]
    assert sum(int(row[3]) for row in rows) == 3
    # nothing of a respondent: no secret's digest, no answer outside the counts
    body = response.content.decode("utf-8-sig")
    for respondent in Respondent.objects.filter(group=group):
        assert respondent.secret_digest not in body


def test_the_xlsx_has_a_sheet_per_table_with_numbers(
    group: RespondentGroup, facilitator_client: Client
) -> None:
    response = facilitator_client.get(counts_url(group, "xlsx"))
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert "self-assessment-TRAIN-A.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 3
    about, competences, levels = (workbook[name] for name in workbook.sheetnames)
    assert [c.value for c in about[2]] == ["TRAIN-A", "Groupe A", 3, "closed", 3, "no"]
    c1 = [c.value for c in competences[2]]
    assert c1[0] == "C1"
    assert c1[5:9] == [2, 3, 66.7, 0]
    assert competences.max_row == 3
    assert levels.max_row == 1 + 8  # the header, DigComp's eight levels of C1


def test_the_french_csv_has_semicolons_a_decimal_comma_and_french_words(
    group: RespondentGroup, facilitator_client: Client
) -> None:
    response = facilitator_client.get(counts_url(group, "csv"), HTTP_ACCEPT_LANGUAGE="fr")
    about, competences, _levels = csv_tables(response, ";")
    assert about[0][:4] == ["code du groupe", "libellé", "répondants", "état"]
    assert about[1][-1] == "non"
    assert competences[2][7] == "66,7"
    assert competences[3][-1] == "moins de 3 réponses\u00a0: non affiché"


def test_an_open_a_too_small_or_another_study_s_group_is_refused(
    group: RespondentGroup, facilitator_client: Client, other_study: Study
) -> None:
    study = group.study
    open_group = RespondentGroup.objects.create(study=study, code="OPEN")
    for n in range(3):
        Respondent.objects.create(
            group=open_group, secret_digest=f"o{n}".ljust(64, "o"), answers={"C1": "1"}
        )
    for fmt in ("csv", "xlsx"):
        assert facilitator_client.get(counts_url(open_group, fmt)).status_code == 404
    assert facilitator_client.get(counts_url(group, "json")).status_code == 404
    # another study's group, even a shown one, under this study's address
    elsewhere = RespondentGroup.objects.create(study=other_study, code="X", closed=True)
    assert facilitator_client.get(counts_url(elsewhere, "csv", study)).status_code == 404
    # a smallest group raised above the group hides its counts and their download
    SelfAssessment.objects.filter(study=study).update(min_group_size=4)
    assert facilitator_client.get(counts_url(group, "csv")).status_code == 404
    page = facilitator_client.get(page_url(study)).content.decode()
    assert "counts.csv" not in page


def test_the_page_links_the_downloads_of_the_groups_it_shows_only(
    group: RespondentGroup, facilitator_client: Client
) -> None:
    RespondentGroup.objects.create(study=group.study, code="OPEN")
    page = facilitator_client.get(page_url(group.study)).content.decode()
    assert page.count("/counts.csv") == 1
    assert counts_url(group, "csv") in page
    assert counts_url(group, "xlsx") in page


def test_each_persona(
    group: RespondentGroup,
    facilitator_client: Client,
    observer_client: Client,
    outsider_client: Client,
    expert_client: Client,
    anonymous_client: Client,
) -> None:
    url = counts_url(group, "csv")
    answers = {
        "facilitator": facilitator_client.get(url).status_code,
        "observer": observer_client.get(url).status_code,
        "outsider": outsider_client.get(url).status_code,
        "expert": expert_client.get(url).status_code,
        "anonymous": anonymous_client.get(url).status_code,
    }
    assert answers == {
        "facilitator": 200,
        "observer": 403,  # until the study is published, as the page
        "outsider": 404,
        "expert": 404,
        "anonymous": 404,
    }
    published(group.study)
    assert observer_client.get(url).status_code == 200
    assert observer_client.get(url.replace(".csv", ".xlsx")).status_code == 200
    for client in (outsider_client, expert_client, anonymous_client):
        assert client.get(url).status_code == 404


def test_the_examples_simulated_group_is_flagged_in_the_file(
    example: Study, facilitator_client: Client
) -> None:
    group = example.respondent_groups.get()
    response = facilitator_client.get(counts_url(group, "csv"))
    assert response.status_code == 200
    about, competences, levels = csv_tables(response)
    assert about[1][0] == "SIM-1"
    assert about[1][-1] == "yes"  # simulated answers, on the file's first lines
    assert competences[0][0].endswith("(simulated)")
    assert levels[0][0].endswith("(simulated)")
    assert len(competences) == 2 + 42  # every competence of the profile, as the page
    workbook = openpyxl.load_workbook(
        io.BytesIO(facilitator_client.get(counts_url(group, "xlsx")).content)
    )
    assert workbook[workbook.sheetnames[0]]["F2"].value == "yes"
