"""The self-assessment on the site: publishing, groups, respondents without an account, their
own result, the refusals, the rate limit, what the facilitator sees of a group (counts of a
closed group big enough only) and the study file's block."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from anticipe.study.self_assessment import SECONDS_PER_QUESTION
from anticipe.study.study_file import check_study
from anticipe.workshop.forms import self_assessment as self_assessment_forms
from anticipe.workshop.models import (
    Respondent,
    RespondentGroup,
    SelfAssessment,
    Study,
    token_digest,
)
from anticipe.workshop.rate_limits import Limit
from anticipe.workshop.self_assessment import settings_of, study_file_block, study_questionnaire
from anticipe.workshop.study_format import export_study
from anticipe.workshop.study_import import import_study
from anticipe.workshop.views import respondent as respondent_views
from anticipe.workshop.views.respondent import cookie_name
from tests.report import readback
from tests.workshop.support import HTMX, text


def publish(client: Client, study: Study, codes: tuple[str, ...] = ("C1", "C2")) -> None:
    url = reverse("workshop:self_assessment_publish", args=[study.pk])
    assert client.post(url, {"competences": list(codes)}).status_code == 302


def make_group(client: Client, study: Study, code: str = "TRAIN-A") -> RespondentGroup:
    url = reverse("workshop:respondent_group_add", args=[study.pk])
    response = client.post(url, {"code": code, "label": "Training group A"})
    assert response.status_code == 302, text(response)
    return RespondentGroup.objects.get(study=study, code=code)


@pytest.fixture
def linked(study: Study) -> Study:
    """The small study with C1 linked to DigComp 2.2 1.1 at level 4 (C2 has no link)."""
    c1 = study.competences.get(code="C1")
    c1.frameworks = [{"framework": "digcomp-2.2", "id": "1.1", "level": "4"}]
    c1.save()
    return study


@pytest.fixture
def group(linked: Study, facilitator_client: Client) -> RespondentGroup:
    publish(facilitator_client, linked)
    return make_group(facilitator_client, linked)


def start(group: RespondentGroup, client: Client | None = None) -> Client:
    client = client or Client()
    response = client.post(reverse("workshop:respond", args=[group.token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("workshop:respond_question", args=[group.token, 1])
    return client


def answer(client: Client, group: RespondentGroup, code: str, level: str, **extra: Any) -> Any:
    url = reverse("workshop:respond_answer", args=[group.token])
    return client.post(url, {"competence": code, "level": level}, **extra)


def test_opening_the_link_creates_nothing(group: RespondentGroup) -> None:
    client = Client()
    url = reverse("workshop:respond", args=[group.token])
    for method in (client.get, client.head):
        assert method(url).status_code == 200
    assert Respondent.objects.count() == 0
    assert cookie_name() not in client.cookies
    assert "Start" in text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))
    # how long it takes, said as the group's handout says it (about 20 s a competence)
    asked = len(study_questionnaire(group.study, "en")["questions"])
    minutes = -(-asked * SECONDS_PER_QUESTION // 60)
    assert f"It takes about {minutes} min." in text(client.get(url, HTTP_ACCEPT_LANGUAGE="en"))


def test_a_respondent_answers_and_sees_their_own_result(group: RespondentGroup) -> None:
    client = start(group)
    respondent = Respondent.objects.get()
    cookie = client.cookies[cookie_name()]
    # the secret lives in this browser only: the database keeps its digest, nothing else
    assert respondent.secret_digest == token_digest(cookie.value)
    assert cookie["httponly"]
    assert cookie["path"] == reverse("workshop:respond", args=[group.token])
    fields = {f.name for f in Respondent._meta.get_fields()}
    assert fields == {"id", "group", "secret_digest", "answers"}
    page = client.get(reverse("workshop:respond_question", args=[group.token, 1]))
    assert page.status_code == 200
    assert "4 – Intermediate" in text(page)  # C1 on DigComp's levels
    assert answer(client, group, "C1", "2", **HTMX).status_code == 200
    response = answer(client, group, "C2", "4")  # without htmx: on to the result
    assert response["Location"] == reverse("workshop:respond_result", args=[group.token])
    respondent.refresh_from_db()
    assert respondent.answers == {"C1": "2", "C2": "4"}
    result = text(client.get(response["Location"]))
    assert "To work on" in result
    assert "Your strengths" in result
    pdf = client.get(reverse("workshop:respond_result_pdf", args=[group.token]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    # coming back to the link: on to the result, no second respondent
    assert client.get(reverse("workshop:respond", args=[group.token])).status_code == 302
    assert Respondent.objects.count() == 1


def test_only_the_holder_of_the_secret_opens_answers_or_result(
    group: RespondentGroup, facilitator_client: Client
) -> None:
    start(group)
    forged = Client()
    forged.cookies[cookie_name()] = "not-the-secret"
    for client in (Client(), facilitator_client, forged):
        for name, args in (
            ("respond_question", [group.token, 1]),
            ("respond_result", [group.token]),
            ("respond_result_pdf", [group.token]),
        ):
            assert client.get(reverse(f"workshop:{name}", args=args)).status_code == 403
        assert answer(client, group, "C1", "2").status_code == 403
    assert Respondent.objects.get().answers == {}


@pytest.mark.parametrize(
    ("code", "level", "said"),
    [
        ("C1", "9", "is not one of the levels"),
        ("C1", "", "Choose one of the answers"),
        ("C9", "1", "is not part of this self-assessment"),
        ("C2", "B1", "is not one of the levels"),
        ("C1", "<script>", "is not one of the levels"),
    ],
)
def test_a_bad_answer_is_refused_with_a_message(
    group: RespondentGroup, code: str, level: str, said: str
) -> None:
    client = start(group)
    for extra in ({}, HTMX):
        response = answer(client, group, code, level, **extra)
        assert response.status_code == 400
        assert said in text(response)
    assert Respondent.objects.get().answers == {}


def test_a_closed_group_takes_no_answer(group: RespondentGroup, facilitator_client: Client) -> None:
    client = start(group)
    close = reverse("workshop:respondent_group_close", args=[group.study_id, group.pk])
    assert facilitator_client.post(close).status_code == 302
    response = answer(client, group, "C1", "2", **HTMX)
    assert response.status_code == 409
    assert "This group is closed" in text(response)
    assert Client().post(reverse("workshop:respond", args=[group.token])).status_code == 410
    assert Respondent.objects.count() == 1
    # the respondent still reads their result
    assert client.get(reverse("workshop:respond_result", args=[group.token])).status_code == 200


def test_starting_is_rate_limited_per_address(group: RespondentGroup, settings: Any) -> None:
    settings.SELF_ASSESSMENT_LIMIT_PER_ADDRESS = (2, 600)
    url = reverse("workshop:respond", args=[group.token])
    assert [Client().post(url).status_code for _ in range(3)] == [302, 302, 429]
    assert Respondent.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.9")
    assert other.post(url).status_code == 302


def test_result_pdfs_are_bounded_and_a_full_group_takes_nobody(
    group: RespondentGroup, monkeypatch: Any
) -> None:
    monkeypatch.setattr(respondent_views, "PDF_LIMIT", Limit(2, 600))
    client = start(group)
    answer(client, group, "C1", "2")
    pdf = reverse("workshop:respond_result_pdf", args=[group.token])
    assert [client.get(pdf).status_code for _ in range(3)] == [200, 200, 429]
    monkeypatch.setattr(respondent_views, "MAX_RESPONDENTS_PER_GROUP", 1)
    refused = Client().post(reverse("workshop:respond", args=[group.token]))
    assert refused.status_code == 410
    assert "This group is full" in text(refused)
    assert group.respondents.count() == 1


def test_a_study_holds_at_most_the_groups_its_file_can_carry(
    group: RespondentGroup, facilitator_client: Client, monkeypatch: Any
) -> None:
    monkeypatch.setattr(self_assessment_forms, "MAX_GROUPS", 1)
    url = reverse("workshop:respondent_group_add", args=[group.study.pk])
    response = facilitator_client.post(url, {"code": "TRAIN-B"})
    assert response.status_code == 400
    assert "A study has at most 1 groups." in text(response)
    assert not RespondentGroup.objects.filter(code="TRAIN-B").exists()


def group_page(client: Client, study: Study) -> str:
    return text(client.get(reverse("workshop:self_assessment", args=[study.pk])))


def test_counts_only_of_a_closed_group_with_enough_respondents(
    group: RespondentGroup, facilitator_client: Client
) -> None:
    study = group.study
    settings = settings_of(study)
    settings.min_group_size = 3
    settings.save()
    for level in ("1", "2", "4"):
        answer(start(group), group, "C1", level)
    page = group_page(facilitator_client, study)
    assert "shown once the group is closed" in page
    assert "Respondents" not in page
    assert "1 / 3" not in page
    assert export_study(study)["self_assessment"]["groups"] == []
    close = reverse("workshop:respondent_group_close", args=[study.pk, group.pk])
    facilitator_client.post(close)
    page = group_page(facilitator_client, study)
    assert "2 / 3 (67" in page  # levels 1 and 2 are below the expected 4
    block = export_study(study)["self_assessment"]
    assert block["groups"][0]["competences"][0] == {
        "competence": "C1",
        "levels": {"1": 1, "2": 1, "4": 1},
    }
    # a minimum above the group hides it again, on the page and in the study file
    settings.min_group_size = 4
    settings.save()
    assert "2 / 3" not in group_page(facilitator_client, study)
    assert export_study(study)["self_assessment"]["groups"] == []


def test_empty_respondents_do_not_fill_a_group_and_a_question_few_answered_is_withheld(
    group: RespondentGroup, facilitator_client: Client
) -> None:
    # one real answer and four who only pressed Start: not a group of five
    study = group.study
    settings = settings_of(study)
    settings.min_group_size = 3
    settings.save()
    answer(start(group), group, "C1", "2")
    for _ in range(4):
        start(group)
    assert group.respondent_count() == 1
    close = reverse("workshop:respondent_group_close", args=[study.pk, group.pk])
    # two more real respondents, who answer C2 only: C1 was answered by one person
    for level in ("1", "3"):
        answer(start(group), group, "C2", level)
    facilitator_client.post(close)
    assert group.respondent_count() == 3
    response = facilitator_client.get(reverse("workshop:self_assessment", args=[study.pk]))
    html = response.content.decode()
    c1 = html.split(f'data-key="below.{group.code}.C1"')[1].split("</tr>")[0]
    assert "fewer than 3 answered" in text(response)
    assert "1 / 1" not in c1
    assert "2 – " not in c1  # no level of C1 is shown with its count
    block = export_study(study)["self_assessment"]["groups"][0]["competences"]
    assert {c["competence"]: c["levels"] for c in block}["C1"] == {}


def test_the_facilitator_never_reads_a_secret(
    group: RespondentGroup, facilitator_client: Client
) -> None:
    secret = start(group).cookies[cookie_name()].value
    for name in ("self_assessment", "study_export", "audit"):
        page = facilitator_client.get(reverse(f"workshop:{name}", args=[group.study_id]))
        assert secret not in page.content.decode()


@pytest.mark.parametrize(
    ("url_name", "data", "said"),
    [
        ("self_assessment_publish", {}, "Choose at least one competence"),
        ("self_assessment_publish", {"competences": ["C9"]}, "is not one of the study"),
        ("self_assessment_min_group", {"min_group_size": "1"}, "At least 2"),
        ("self_assessment_min_group", {"min_group_size": "x"}, "whole number"),
        ("respondent_group_add", {"code": "", "label": "x"}, "required"),
        ("respondent_group_add", {"code": "a b", "label": "x"}, "A code is made of"),
    ],
)
def test_the_facilitators_inputs_are_refused_with_a_message(
    linked: Study, facilitator_client: Client, url_name: str, data: dict[str, Any], said: str
) -> None:
    if url_name == "respondent_group_add":
        publish(facilitator_client, linked)
    response = facilitator_client.post(reverse(f"workshop:{url_name}", args=[linked.pk]), data)
    assert response.status_code == 400
    assert said in text(response)
    assert RespondentGroup.objects.count() == 0


def test_a_group_code_once_and_groups_only_once_published(
    linked: Study, facilitator_client: Client
) -> None:
    url = reverse("workshop:respondent_group_add", args=[linked.pk])
    response = facilitator_client.post(url, {"code": "G1"})
    assert response.status_code == 400
    assert "Publish the self-assessment before" in text(response)
    publish(facilitator_client, linked)
    make_group(facilitator_client, linked, "G1")
    response = facilitator_client.post(url, {"code": "G1"})
    assert response.status_code == 400
    assert "exists already" in text(response)


def test_the_study_file_round_trip(
    group: RespondentGroup, facilitator_client: Client, facilitator: Any
) -> None:
    study = group.study
    for level in ("1", "2", "4", "?", "3"):
        answer(start(group), group, "C1", level)
    facilitator_client.post(reverse("workshop:respondent_group_close", args=[study.pk, group.pk]))
    exported = export_study(study)
    assert exported["self_assessment"]["groups"][0]["respondents"] == 5
    again = import_study(exported, owner=facilitator)
    imported = again.respondent_groups.get()
    assert imported.imported
    assert imported.closed
    assert export_study(again)["self_assessment"] == exported["self_assessment"]
    page = group_page(facilitator_client, again)
    assert "imported from a study file" in page
    assert "3 / 4 (75" in page
    # an imported group has no link to answer
    assert Client().get(reverse("workshop:respond", args=[imported.token])).status_code == 404


def test_the_examples_simulated_group_is_shown_as_simulated(
    example: Study, facilitator_client: Client
) -> None:
    group = example.respondent_groups.get()
    assert (group.code, group.imported, group.simulated, group.respondent_count()) == (
        "SIM-1",
        True,
        True,
        12,
    )
    page = group_page(facilitator_client, example)
    assert "simulated answers" in page
    assert "Simulated answers: these counts illustrate the method" in page
    assert page.count('data-key="below.SIM-1.') == 42  # every competence of the profile
    assert "(simulated)</caption>" in page


def test_opening_the_facilitators_page_writes_nothing(
    study: Study, facilitator_client: Client
) -> None:
    assert "Publish the self-assessment" in group_page(facilitator_client, study)
    assert not SelfAssessment.objects.exists()
    assert "self_assessment" not in export_study(study)


def test_a_competence_deleted_after_the_answers_keeps_its_counts_and_the_export_valid(
    group: RespondentGroup, facilitator_client: Client, facilitator: Any
) -> None:
    study = group.study
    for level in ("1", "2"):
        client = start(group)
        answer(client, group, "C1", level)
        answer(client, group, "C2", "3")
    settings = settings_of(study)
    settings.min_group_size = 2
    settings.save()
    facilitator_client.post(reverse("workshop:respondent_group_close", args=[study.pk, group.pk]))
    again = import_study(export_study(study), owner=facilitator)
    for copy in (study, again):
        copy.competences.filter(code="C2").delete()
        exported = export_study(copy)
        counted = exported["self_assessment"]["groups"][0]["competences"]
        assert counted == [
            {"competence": "C1", "levels": {"1": 1, "2": 1}},
            {"competence": "C2", "levels": {"3": 2}},  # the published question's answers stay
        ]
        check_study(exported)  # the block's questionnaire carries C2
        reread = export_study(import_study(exported, owner=facilitator))
        assert reread["self_assessment"] == exported["self_assessment"]


def test_a_competence_linked_to_the_crcn_names_pix_in_the_result(
    linked: Study, facilitator_client: Client
) -> None:
    c2 = linked.competences.get(code="C2")
    c2.frameworks = [{"framework": "crcn-pix", "id": "4.2", "level": "3"}]
    c2.save()
    publish(facilitator_client, linked)
    group = make_group(facilitator_client, linked)
    client = start(group)
    answer(client, group, "C2", "5")
    page = text(client.get(reverse("workshop:respond_result", args=[group.token])))
    assert "Certified by Pix" in page
    assert "Pix certifies some of these competences" in page
    assert 'href="https://pix.fr"' in page


RESULT_PDF_WORDS = {
    "fr": [
        "Votre résultat\u00a0: Métier d'essai",
        "Autoévaluation · Training group A",
        "2 questions répondues sur 2\u00a0: 1 au niveau attendu par le métier ou au-dessus, "
        "1 à travailler.",
        "À travailler",
        "Comprendre l'IA",
        "Vous\u00a0: 2 – Fondamental · Le métier attend\u00a0: 4 – Intermédiaire",
        "Vos points forts",
        "Accompagner un public fragile",
        "Certifiée par Pix",
        "Certifications",
        "Pix certifie certaines de ces compétences\u00a0: https://pix.fr",
        "1 / 1",
    ],
    "en": [
        "Your result: Métier d'essai",
        "Self-assessment · Training group A",
        "2 of 2 questions answered: 1 at or above the level the job expects, 1 to work on.",
        "To work on",
        "Comprendre l'IA",
        "You: 2 – Foundation · The job expects: 4 – Intermediate",
        "Your strengths",
        "Accompagner un public fragile",
        "Certified by Pix",
        "Certifications",
        "Pix certifies some of these competences: https://pix.fr",
        "1 / 1",
    ],
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_result_pdf_says_the_result_in_the_page_language(
    linked: Study, facilitator_client: Client, language: str
) -> None:
    """The PDF (Typst) reads back with the result page's words, in its order, in the
    language the page is shown in (French spacing before the colons)."""
    c2 = linked.competences.get(code="C2")
    c2.frameworks = [{"framework": "crcn-pix", "id": "4.2", "level": "3"}]
    c2.save()
    publish(facilitator_client, linked)
    group = make_group(facilitator_client, linked)
    client = start(group)
    answer(client, group, "C1", "2")  # below DigComp's 4: to work on
    answer(client, group, "C2", "5")  # above the CRCN's 3: a strength, certified by Pix
    url = reverse("workshop:respond_result_pdf", args=[group.token])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = {"fr": "mon-autoevaluation", "en": "my-self-assessment"}[language]
    assert response["Content-Disposition"] == f'attachment; filename="{name}.pdf"'
    assert response["Cache-Control"].startswith("private, no-store")
    found, pages = readback.pdf_text(response.content)
    assert pages == 1
    flat = readback.squash(found)
    places = [flat.find(readback.squash(words)) for words in RESULT_PDF_WORDS[language]]
    assert -1 not in places, list(zip(RESULT_PDF_WORDS[language], places, strict=True))
    assert places == sorted(places)
    # French spacing: the colon of the title and of the sentences keeps to its word
    title = RESULT_PDF_WORDS[language][0]
    assert title in found
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata is not None
    assert reader.metadata.title == title


def test_the_result_pdf_prints_typst_syntax_in_the_texts_literally(
    linked: Study, facilitator_client: Client
) -> None:
    """A study's title, a competence and a group's label with Typst syntax (a call that
    reads a file, strong, math, a comment, a label, a heading) are printed as they are."""
    hostile = '#read("/etc/passwd") *x* $y$ _z_ // no <l> @r = h [b] `c` \\'
    linked.title = "Job " + hostile
    linked.save()
    c1 = linked.competences.get(code="C1")
    c1.text = "= " + hostile
    c1.save()
    publish(facilitator_client, linked)
    group = make_group(facilitator_client, linked)
    group.label = "1. " + hostile
    group.save()
    client = start(group)
    answer(client, group, "C1", "2")
    answer(client, group, "C2", "?")  # not placed
    response = client.get(
        reverse("workshop:respond_result_pdf", args=[group.token]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    found, pages = readback.pdf_text(response.content)
    assert pages == 1
    flat = readback.squash(found)
    for shown in (
        "Your result: Job " + hostile,
        "Self-assessment · 1. " + hostile,
        "= " + hostile,
        "You: I don't know",
        "Not placed",
    ):
        assert readback.squash(shown) in flat, shown
    assert "root:" not in found


def test_coming_back_by_the_link_goes_on_where_the_respondent_stopped(
    group: RespondentGroup,
) -> None:
    client = start(group)
    answer(client, group, "C1", "3")
    link = reverse("workshop:respond", args=[group.token])
    assert client.get(link)["Location"] == reverse(
        "workshop:respond_question", args=[group.token, 2]
    )
    answer(client, group, "C2", "?")
    assert client.get(link)["Location"] == reverse("workshop:respond_result", args=[group.token])
    assert client.post(link).status_code == 302  # no second respondent for this browser
    assert Respondent.objects.count() == 1


def test_finishing_on_a_shared_device_lets_the_next_person_start(group: RespondentGroup) -> None:
    device = start(group)
    answer(device, group, "C1", "2")
    result = reverse("workshop:respond_result", args=[group.token])
    assert device.get(result).status_code == 200
    left = device.post(reverse("workshop:respond_leave", args=[group.token]))
    assert left.status_code == 302
    assert device.get(result).status_code == 403  # this device no longer opens it
    start(group, device)  # the next person starts their own
    assert group.respondents.count() == 2
    assert group.respondent_count() == 1  # the first one's answers stay, counted


def without_tokens(html: str) -> str:
    """A page's main part without its CSRF tokens (new on each response)."""
    main = html.split("<main")[1].split("</main>")[0]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def pdf_text(response: Any) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def what_is_read(
    group: RespondentGroup, respondent: Client, facilitator_client: Client
) -> dict[str, Any]:
    """Everything a published questionnaire's answers are read by: the respondent's questions,
    result and PDF, the facilitator's questions and counts, the study file's block."""
    study = group.study
    pages = {
        f"question {n}": respondent.get(reverse("workshop:respond_question", args=[group.token, n]))
        for n in (1, 2)
    }
    pages["result"] = respondent.get(reverse("workshop:respond_result", args=[group.token]))
    desk = text(facilitator_client.get(reverse("workshop:self_assessment", args=[study.pk])))
    found: dict[str, Any] = {name: without_tokens(text(page)) for name, page in pages.items()}
    found["pdf"] = pdf_text(
        respondent.get(reverse("workshop:respond_result_pdf", args=[group.token]))
    )
    found["desk questions"] = desk.split('id="questions-title"')[1].split("</section>")[0]
    found["desk counts"] = desk.split(f'id="group-{group.code}"')[1].split("</article>")[0]
    found["study file"] = study_file_block(study)
    return found


def test_a_link_changed_and_a_competence_renamed_after_publication_change_no_reading(
    group: RespondentGroup, facilitator_client: Client
) -> None:
    study = group.study
    settings = settings_of(study)
    settings.min_group_size = 2
    settings.save()
    respondents = []
    for c1, c2 in (("2", "3"), ("5", "1")):  # C1 on DigComp (4 expected), C2 generic
        client = start(group)
        answer(client, group, "C1", c1)
        answer(client, group, "C2", c2)
        respondents.append(client)
    facilitator_client.post(reverse("workshop:respondent_group_close", args=[study.pk, group.pk]))
    before = what_is_read(group, respondents[0], facilitator_client)
    assert "1 / 2 (50" in before["desk counts"]  # C1: "2" below DigComp's 4, "5" above
    assert "4 – Intermediate" in before["question 1"]
    assert {c["competence"] for c in before["study file"]["groups"][0]["competences"]} == {
        "C1",
        "C2",
    }
    # on the desk, after the answers: C1 linked to DigCompEdu (other level ids: "2" and "5"
    # are not on its scale), C2 renamed
    c1 = study.competences.get(code="C1")
    c1.frameworks = [{"framework": "digcompedu", "id": "5.1", "level": "B1"}]
    c1.save()
    study.competences.filter(code="C2").update(code="C2-NEW", text="Another text")
    after = what_is_read(group, respondents[0], facilitator_client)
    for name, value in before.items():
        assert after[name] == value, name
    assert "questions are fixed since the self-assessment was published" in after["desk questions"]
    exported = export_study(study)
    check_study(exported)  # the renamed C2's counts, with the questionnaire they answered
    assert exported["self_assessment"] == before["study file"]


def test_the_respondents_cookie_is_prefixed_when_the_site_runs_with_secure_cookies(
    group: RespondentGroup, settings: Any
) -> None:
    assert cookie_name() == "anticipe_respondent"  # development and tests over http
    settings.SESSION_COOKIE_SECURE = True
    assert cookie_name() == "__Secure-anticipe_respondent"
    client = Client()
    started = client.post(reverse("workshop:respond", args=[group.token]), secure=True)
    assert started.status_code == 302
    cookie = started.cookies["__Secure-anticipe_respondent"]
    assert cookie["secure"]
    assert "anticipe_respondent" not in started.cookies
    question = reverse("workshop:respond_question", args=[group.token, 1])
    assert client.get(question, secure=True).status_code == 200
    # a cookie without the prefix (one a sibling subdomain could plant) is not read
    planted = Client()
    planted.cookies["anticipe_respondent"] = cookie.value
    assert planted.get(question, secure=True).status_code == 403
    left = client.post(reverse("workshop:respond_leave", args=[group.token]), secure=True)
    forgotten = left.cookies["__Secure-anticipe_respondent"]
    assert (forgotten.value, forgotten["max-age"], forgotten["secure"]) == ("", 0, True)


def test_an_archived_studys_page_gives_no_link_that_no_longer_works(
    group: RespondentGroup, facilitator_client: Client
) -> None:
    from django.utils import timezone

    page = reverse("workshop:self_assessment", args=[group.study.pk])
    link = reverse("workshop:respond", args=[group.token])
    assert link in text(facilitator_client.get(page, HTTP_ACCEPT_LANGUAGE="en"))
    group.study.archived_at = timezone.now()
    group.study.save(update_fields=["archived_at"])
    shown = text(facilitator_client.get(page, HTTP_ACCEPT_LANGUAGE="en"))
    assert link not in shown
    assert "takes no answers (archived study)" in shown
    assert Client().get(link).status_code == 410  # the link indeed takes no answers
