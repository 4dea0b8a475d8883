"""The desk's training side (issue 15): importing or replacing the training catalogue (all or
nothing, problems by row and column), today's profile edited as a list, and the
training-needs page (needs no module covers visible, a group selector when the study file
carries self-assessment groups, downloads)."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import AuditEvent, Study
from anticipe.workshop.results import study_results, training_page
from anticipe.workshop.study_format import export_study
from tests.study.test_limits import zip_bomb
from tests.workshop.support import visible_text


def url(name: str, *args: Any) -> str:
    return reverse(f"workshop:{name}", args=list(args))


def text_of(response: Any) -> str:
    return " ".join(visible_text(response.content.decode()).split())


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


CATALOGUE = (
    "titre;opérateur;durée;couvre\n"
    'Atelier;Centre A;12;"C1; DigComp 2.4:5"\n'
    "Recherche;Centre B;7,5;DigComp 1.1\n"
).encode()


def test_importing_a_catalogue_replaces_the_study_s(
    study: Study, facilitator_client: Client
) -> None:
    response = facilitator_client.post(
        url("training_catalogue", study.pk),
        {"file": upload("c.csv", CATALOGUE), "title": "Offre", "simulated": "on"},
    )
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.training_catalogue == {
        "title": "Offre",
        "simulated": True,
        "modules": [
            {
                "id": "M01",
                "title": "Atelier",
                "provider": "Centre A",
                "duration_hours": 12,
                "covers": [
                    {"competence": "C1"},
                    {"framework": "digcomp-2.2", "id": "2.4", "level": "5"},
                ],
            },
            {
                "id": "M02",
                "title": "Recherche",
                "provider": "Centre B",
                "duration_hours": 7.5,
                "covers": [{"framework": "digcomp-2.2", "id": "1.1"}],
            },
        ],
    }
    assert AuditEvent.objects.get(study=study, action="training_catalogue_imported").detail == {
        "modules": 2,
        "replaced": False,
    }
    log = text_of(facilitator_client.get(url("decisions_log", study.pk)))
    assert "a importé un catalogue de formation de 2 modules." in log  # the study's language
    # the study file carries it
    assert export_study(study)["training_catalogue"]["modules"][1]["id"] == "M02"
    page = text_of(facilitator_client.get(url("training_catalogue", study.pk)))
    assert "M01 Atelier Centre A 12 C1; DigComp 2.2 2.4:5" in page
    assert "Simulated catalogue." in page


def test_a_list_with_problems_changes_nothing(study: Study, facilitator_client: Client) -> None:
    facilitator_client.post(
        url("training_catalogue", study.pk), {"file": upload("c.csv", CATALOGUE)}
    )
    study.refresh_from_db()
    before = study.training_catalogue
    bad = b"title;covers;duration\nOne;C99;3\n;C1;x\n"
    response = facilitator_client.post(
        url("training_catalogue", study.pk), {"file": upload("c.csv", bad)}
    )
    assert response.status_code == 200  # the page again, with the problems
    page = text_of(response)
    assert "Nothing was imported." in page
    assert "2 B “C99” is neither a competence of the study nor a framework competence" in page
    assert "3 A The title is missing." in page
    assert "3 C “x” is not a duration in hours" in page
    study.refresh_from_db()
    assert study.training_catalogue == before


def test_a_zip_bomb_is_refused_with_a_message(study: Study, facilitator_client: Client) -> None:
    response = facilitator_client.post(
        url("training_catalogue", study.pk), {"file": upload("c.xlsx", zip_bomb())}
    )
    assert "Nothing was imported." in text_of(response)
    study.refresh_from_db()
    assert study.training_catalogue is None


def test_today_s_profile_as_a_list(study: Study, facilitator_client: Client) -> None:
    add = url("today_add", study.pk)
    assert (
        facilitator_client.post(add, {"link": "digcomp-2.2 1.1", "level": "4"}).status_code == 302
    )
    facilitator_client.post(add, {"link": "digcomp-2.2 2.1", "level": ""})
    refused = facilitator_client.post(add, {"link": "digcomp-2.2 1.1", "level": "9"}, follow=True)
    shown = [str(m) for m in refused.context["messages"]]
    assert shown[-1] == "The levels of DigComp 2.2 are 1, 2, 3, 4, 5, 6, 7, 8."
    facilitator_client.post(url("today_source", study.pk), {"source": "Référentiel 2011"})
    study.refresh_from_db()
    assert study.current_profile == {
        "competences": [
            {"framework": "digcomp-2.2", "id": "1.1", "level": "4"},
            {"framework": "digcomp-2.2", "id": "2.1"},
        ],
        "source": "Référentiel 2011",
    }
    facilitator_client.post(
        url("today_remove", study.pk), {"framework": "digcomp-2.2", "id": "2.1"}
    )
    study.refresh_from_db()
    assert [c["id"] for c in study.current_profile["competences"]] == ["1.1"]
    log = text_of(facilitator_client.get(url("decisions_log", study.pk)))
    assert "a retiré digcomp-2.2 2.1 du profil actuel." in log
    assert export_study(study)["current_profile"] == study.current_profile


def test_the_example_s_needs_page(example: Study, facilitator_client: Client) -> None:
    response = facilitator_client.get(url("results_training", example.pk))
    assert response.status_code == 200
    page = text_of(response)
    assert "20 of 42 needs are covered" in page
    assert "22 needs no module covers" in page
    assert "Simulated catalogue." in page
    # C12 expects DigComp 5.1 at level 5; the only module on 5.1 stops at level 4
    html = response.content.decode()
    row = html.split('id="need-C12"')[1].split("</tr>")[0]
    assert "not covered" in row
    assert "M04" not in row
    # what is new: the DigCompEdu areas, DigComp 5.1 raised from 4 to 5
    assert "What is new compared with today's profile" in page
    assert "DigCompEdu 5." in page
    assert "style=" not in html.split('id="needs"')[1]  # CSP: no inline style
    # the example's simulated self-assessment group, kept by the site (not in the analysis's
    # document), is offered; chosen, its share below the level expected shows, flagged
    assert 'name="group"' in html
    assert '<option value="SIM-1"' in html
    chosen = facilitator_client.get(url("results_training", example.pk) + "?group=SIM-1")
    shown = text_of(chosen)
    assert "Simulated group." in shown
    assert 'data-key="below.C12"' in chosen.content.decode()
    download = facilitator_client.get(
        url("results_download", example.pk, "training-needs", "csv") + "?group=SIM-1"
    )
    body = b"".join(download.streaming_content) if download.streaming else download.content
    assert "share below the expected level" in body.decode("utf-8-sig")


def test_a_group_selector_and_the_share_below(example: Study, facilitator_client: Client) -> None:
    results = study_results(example)
    results.document["self_assessment"] = {
        "simulated": True,
        "groups": [
            {
                "code": "G1",
                "label": "Groupe A",
                "respondents": 4,
                "competences": [{"competence": "C12", "levels": {"3": 3, "6": 1}}],
            }
        ],
    }
    context = training_page(results, "G1")
    assert context["group"] == "G1"
    assert context["rows"][0]["code"] == "C12"
    assert context["rows"][0]["below_text"] == "75%"
    (needs, new) = context["tables"]
    assert needs.headers[-2:] == [
        "share below the expected level (%)",
        "placed themselves on a level",
    ]
    assert needs.rows[0][-2:] == [75.0, 4]
    assert "(simulated)" in needs.title
    assert new.key == "new"
    # an unknown group is the profile alone
    assert training_page(results, "G9")["group"] is None


def test_the_downloads(example: Study, facilitator_client: Client) -> None:
    response = facilitator_client.get(url("results_download", example.pk, "training-needs", "xlsx"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    wb = openpyxl.load_workbook(io.BytesIO(content))
    values = [
        str(c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    assert "C12" in values
    assert "not covered" in values
    csv = facilitator_client.get(url("results_download", example.pk, "training-needs", "csv"))
    assert csv.status_code == 200
    # the example's catalogue is illustrative: the file says so on its first lines, as the
    # page says it beside the table (a CSV's first table has no title line)
    body = b"".join(csv.streaming_content) if csv.streaming else csv.content
    first = body.decode("utf-8-sig").splitlines()[:3]
    assert first[0] == '"Simulated data"'
    assert "The training catalogue or the group's counts are simulated" in "".join(first)


def test_a_study_without_catalogue_says_so(study: Study, facilitator_client: Client) -> None:
    page = text_of(facilitator_client.get(url("results_training", study.pk)))
    assert "The study has no training catalogue: every need is shown uncovered." in page


def test_the_catalogue_follows_a_competence_renamed_or_deleted(
    study: Study, facilitator_client: Client
) -> None:
    facilitator_client.post(
        url("training_catalogue", study.pk), {"file": upload("c.csv", CATALOGUE)}
    )
    c1 = study.competences.get(code="C1")
    facilitator_client.post(
        url("competence_edit", study.pk, c1.pk), {"code": "C9", "text": c1.text, "frameworks": ""}
    )
    study.refresh_from_db()
    assert study.training_catalogue["modules"][0]["covers"][0] == {"competence": "C9"}
    facilitator_client.post(url("competence_delete", study.pk, c1.pk))
    study.refresh_from_db()
    # M01 still covers DigComp 2.4; M02 is untouched
    assert study.training_catalogue["modules"][0]["covers"] == [
        {"framework": "digcomp-2.2", "id": "2.4", "level": "5"}
    ]
    assert len(export_study(study)["training_catalogue"]["modules"]) == 2


def test_a_groups_share_below_is_read_on_the_questions_published(
    example: Study, facilitator_client: Client
) -> None:
    """A link changed on the desk after the answers does not change the training needs'
    share of a group: its counts are read on the scale the questions were asked on."""
    from anticipe.workshop.models import RespondentGroup
    from anticipe.workshop.self_assessment import settings_of, study_file_block

    publish = facilitator_client.post(
        url("self_assessment_publish", example.pk), {"competences": ["C12"]}
    )
    assert publish.status_code == 302
    facilitator_client.post(url("respondent_group_add", example.pk), {"code": "G1"})
    group = RespondentGroup.objects.get(study=example, code="G1")
    settings = settings_of(example)
    settings.min_group_size = 2
    settings.save()
    for level in ("2", "6"):  # C12 expects DigComp's 5: one below, one above
        respondent = Client()
        respondent.post(url("respond", group.token))
        respondent.post(url("respond_answer", group.token), {"competence": "C12", "level": level})
    facilitator_client.post(url("respondent_group_close", example.pk, group.pk))

    def share() -> tuple[str, int]:
        page = training_page(study_results(example), "G1", study_file_block(example))
        row = next(r for r in page["rows"] if r["code"] == "C12")
        return row["below_text"], row["answered"]

    assert share() == ("50%", 2)
    c12 = example.competences.get(code="C12")
    c12.frameworks = [{"framework": "digcompedu", "id": "5.1", "level": "B1"}]  # A1 … C2
    c12.save()
    assert share() == ("50%", 2)
