"""Inviting the panel (``views/invitations.py``): the study's letters and sectors, inviting
and reminding everyone at once, the outbox when the site has no mail server, importing a
list of experts, the QR code of the join address on the projector and the handout."""

from __future__ import annotations

import datetime
import html
import io
import re
import time
from typing import Any

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anticipe.workshop import invitations
from anticipe.workshop.models import (
    Expert,
    FactorProposal,
    Invitation,
    MassMailing,
    OutboxMessage,
    PanelSettings,
    Round,
    Study,
)
from anticipe.workshop.qr import qr_svg
from anticipe.workshop.tasks.mailings import send_mass_mailing
from tests.study.test_limits import zip_bomb
from tests.workshop.support import text as page

LINK = re.compile(r"https?://[^\s\"<]+/invitation/[^\s\"</]+/")


@pytest.fixture
def english(study: Study) -> Study:
    study.language = Study.Language.ENGLISH
    study.save()
    return study


@pytest.fixture
def newcomers(english: Study) -> list[Expert]:
    """Three experts who have not answered: two with an address, one without."""
    return [
        Expert.objects.create(study=english, code=code, name=name, sector="x", email=email)
        for code, name, email in [
            ("E04", "Dana Petit", "dana@example.org"),
            ("E05", "Eve Roux", ""),
            ("E06", "Fanny Blanc", "fanny@example.org"),
        ]
    ]


def url(name: str, study: Study) -> str:
    return reverse(f"workshop:{name}", args=[study.pk])


# -- the letters ------------------------------------------------------------------------------


def test_the_letters_page_shows_the_defaults_in_the_study_language(
    study: Study, facilitator_client: Client
) -> None:
    assert study.language == Study.Language.FRENCH
    content = html.unescape(page(facilitator_client.get(url("panel_letters", study))))
    assert "Votre invitation à l'étude" in content  # the letter: the study's language
    assert "{link}" in content
    assert "Camille Exemple" in content  # the preview of the saved letters


def test_save_a_letter_with_a_deadline_and_a_signature(
    english: Study, newcomers: list[Expert], facilitator_client: Client, facilitator: Any
) -> None:
    facilitator.email = "facilitator@example.org"
    facilitator.save()
    response = facilitator_client.post(
        url("panel_letters", english),
        {
            "facilitator_name": "Claire Dupont",
            "organisation": "Le Forem",
            "deadline": "2027-01-15",
            "sectors_text": "training provider\n\u00a0employment\u00a0service \ntraining provider",
            "invitation_subject": "Join {study} by {deadline}",
            "invitation_text": "Dear {name},\n{facilitator} ({organisation}) asks you: {link}",
            "reminder_subject": "",
            "reminder_text": "",
        },
    )
    assert response.status_code == 302
    settings = PanelSettings.objects.get(study=english)
    assert settings.sectors == ["training provider", "employment service"]
    assert settings.reminder_text == ""  # blank: the default, in the study's language
    assert english.audit_events.filter(action="letters_edited").exists()
    # the sectors are the suggestions of the expert form
    form = page(facilitator_client.get(url("expert_add", english)))
    assert '<option value="employment service">' in form
    # an invitation follows the letter
    facilitator_client.post(reverse("workshop:expert_invite", args=[english.pk, newcomers[0].pk]))
    (message,) = mail.outbox
    assert message.subject == f"Join {english.title} by 15 January 2027"
    assert message.body.startswith("Dear Dana Petit,\nClaire Dupont (Le Forem) asks you: http")
    assert LINK.search(message.body)
    assert message.from_email == "Claire Dupont <anticipe@localhost>"
    assert message.reply_to == ["facilitator@example.org"]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("invitation_text", "Hello {nom}: {link}", "“{nom}” is not a placeholder"),
        ("invitation_text", "Hello {name}", "The text must hold {link}"),
        ("reminder_text", "By {deadline}: {link}", "Set the deadline, or remove {deadline}."),
        ("invitation_text", "{rounds} {link}", "{rounds} is for reminders only"),
    ],
)
def test_a_letter_with_wrong_placeholders_is_refused(
    study: Study, facilitator_client: Client, field: str, value: str, error: str
) -> None:
    response = facilitator_client.post(url("panel_letters", study), {field: value})
    assert response.status_code == 200
    assert error in page(response)
    assert not PanelSettings.objects.filter(study=study).exists()


def test_the_preview_shows_the_letters_as_typed_without_saving(
    english: Study, facilitator_client: Client
) -> None:
    response = facilitator_client.get(
        url("panel_letters_preview", english),
        {"invitation_text": "Hi {name}, see {link}", "facilitator_name": "Claire"},
        headers={"HX-Request": "true"},
    )
    content = page(response)
    assert "<html" not in content
    assert "Hi Camille Example, see https://…/invitation/…/" in content
    assert "Claire &lt;anticipe@localhost&gt;" in content
    assert not PanelSettings.objects.filter(study=english).exists()


# -- invite all, remind all, and the outbox ---------------------------------------------------


def test_invite_all_not_yet_invited_once_with_a_mail_server(
    english: Study, newcomers: list[Expert], facilitator_client: Client, mail_server: None
) -> None:
    panel = page(facilitator_client.get(url("panel", english)))
    assert "2 experts with an e-mail address have not been invited yet." in panel
    assert "mail-notice" not in panel  # mail is delivered: no notice
    response = facilitator_client.post(url("panel_invite_all", english), follow=True)
    assert "An invitation was sent to 2 experts." in page(response)
    assert sorted(m.to[0] for m in mail.outbox) == ["dana@example.org", "fanny@example.org"]
    assert Invitation.objects.filter(expert__in=newcomers).count() == 2
    assert not OutboxMessage.objects.exists()  # delivered: nothing kept
    # counts only in the audit log
    event = english.audit_events.get(action="invitations_sent")
    assert event.detail == {"sent": 2, "kept": 0, "failed": 0, "left": 0}
    # a second click invites nobody
    again = facilitator_client.post(url("panel_invite_all", english), follow=True)
    assert "Nobody to invite" in page(again)
    assert len(mail.outbox) == 2


def test_without_a_mail_server_the_site_says_so_and_keeps_the_messages(
    english: Study, newcomers: list[Expert], facilitator_client: Client
) -> None:
    panel = page(facilitator_client.get(url("panel", english)))
    assert "This site has no mail server" in panel
    response = facilitator_client.post(url("panel_invite_all", english), follow=True)
    content = page(response)
    assert "2 messages were not sent, they are in the outbox." in content
    assert "was sent" not in content
    assert english.audit_events.get(action="invitations_sent").detail["kept"] == 2
    # one expert's own link: "not sent", never "sent by e-mail"
    single = facilitator_client.post(
        reverse("workshop:expert_invite", args=[english.pk, newcomers[0].pk])
    )
    assert "Not sent to dana@example.org: this site has no mail server." in page(single)
    assert "Sent by e-mail" not in page(single)
    # the outbox shows the messages, without the personal links
    outbox = page(facilitator_client.get(url("panel_outbox", english)))
    assert outbox.count('class="letter-preview"') == 3
    assert "fanny@example.org" in outbox
    assert "/invitation/" not in outbox
    assert "[…]" in outbox
    for message in mail.outbox:  # the links themselves went to the (console) backend only
        link = LINK.search(message.body)
        assert link
        assert not OutboxMessage.objects.filter(body__contains=link.group(0)).exists()


def test_the_outbox_is_bounded_and_forgets_an_erased_expert(
    english: Study, newcomers: list[Expert], facilitator_client: Client, monkeypatch: Any
) -> None:
    monkeypatch.setattr(invitations, "MAX_OUTBOX_MESSAGES", 2)
    for _time in range(3):
        facilitator_client.post(
            reverse("workshop:expert_invite", args=[english.pk, newcomers[0].pk])
        )
    assert english.outbox.count() == 2
    newcomers[0].erase()
    assert not english.outbox.exists()


def test_remind_those_who_have_not_answered_keeps_counts_only(
    english: Study, newcomers: list[Expert], facilitator_client: Client
) -> None:
    round_ = Round.objects.create(study=english, step=Round.Step.PROPOSALS)
    round_.open()
    FactorProposal.objects.create(round=round_, expert=newcomers[0], title="Secret idea")
    panel = page(facilitator_client.get(url("panel", english)))
    assert "1 expert with an e-mail address has not answered an open round yet" in panel
    response = facilitator_client.post(url("panel_remind", english), follow=True)
    assert "1 message was not sent, it is in the outbox." in page(response)
    (message,) = mail.outbox
    assert message.to == ["fanny@example.org"]
    assert "Secret idea" not in message.body
    assert english.audit_events.get(action="reminders_sent").detail == {
        "sent": 0,
        "kept": 1,
        "failed": 0,
        "left": 0,
    }


def test_invite_all_is_bounded_per_click(
    english: Study, newcomers: list[Expert], facilitator_client: Client, monkeypatch: Any
) -> None:
    monkeypatch.setattr(invitations, "MAX_LETTERS_PER_ACTION", 1)
    response = facilitator_client.post(url("panel_invite_all", english), follow=True)
    assert "1 more expert is left: click again to continue." in page(response)
    assert len(mail.outbox) == 1
    facilitator_client.post(url("panel_invite_all", english))
    assert len(mail.outbox) == 2


def test_nobody_is_invited_in_a_published_study(
    english: Study, newcomers: list[Expert], facilitator_client: Client
) -> None:
    english.status = Study.Status.PUBLISHED
    english.save()
    assert facilitator_client.post(url("panel_invite_all", english)).status_code == 403
    assert mail.outbox == []


# -- importing a list of experts --------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def workbook(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def test_import_a_csv_pasted_from_a_word_processor(
    study: Study, facilitator_client: Client
) -> None:
    csv = (
        "\ufeffNom;Courriel;Organisme;Secteur d\u2019activit\u00e9\n"
        "Alice\u00a0Martin;\u201calice@example.org\u201d;"
        "Universit\u00e9 de Li\u00e8ge;acad\u00e9mique\n"
        "\n"
        "Bruno Lambert ; <bruno@example.org> ;;espace public num\u00e9rique\n"
    ).encode()
    response = facilitator_client.post(
        url("panel_import", study), {"file": upload("experts.csv", csv)}
    )
    assert response.status_code == 302
    alice = study.experts.get(name="Alice Martin")
    assert (alice.email, alice.organisation, alice.sector) == (
        "alice@example.org",
        "Université de Liège",
        "académique",
    )
    bruno = study.experts.get(email="bruno@example.org")
    assert (bruno.name, bruno.code) == ("Bruno Lambert", "E05")
    event = study.audit_events.get(action="experts_imported")
    assert event.detail == {"added": 2, "already": 0}
    # importing the same list again adds nobody
    again = facilitator_client.post(
        url("panel_import", study), {"file": upload("experts.csv", csv)}, follow=True
    )
    assert "2 addresses were already in the panel" in page(again)
    assert study.experts.count() == 5


def test_a_name_cannot_be_made_to_show_as_another(study: Study, facilitator_client: Client) -> None:
    """A right-to-left override makes "\u202eenaJ" show as "Jane" while it sorts,
    searches and exports as "enaJ": imported, typed or given when joining, it is removed."""
    csv = (
        "Nom;Courriel;Organisme;Secteur\n"
        "\u202enitraM ecilA;a@example.org;\u2067Forem\u2069;emploi\n"
    )
    response = facilitator_client.post(
        url("panel_import", study), {"file": upload("experts.csv", csv.encode())}
    )
    assert response.status_code == 302
    imported = study.experts.get(email="a@example.org")
    assert (imported.name, imported.organisation) == ("nitraM ecilA", "Forem")
    facilitator_client.post(
        url("expert_add", study),
        {"name": "\u202dZoé\u202c", "organisation": "", "sector": "\u202eemploi", "email": ""},
    )
    typed = study.experts.get(name="Zoé")
    assert typed.sector == "iolpme"[::-1]
    # a name of such controls alone is a missing name, not an empty one stored
    experts = study.experts.count()
    response = facilitator_client.post(
        url("expert_add", study),
        {"name": "\u202e", "organisation": "", "sector": "emploi", "email": ""},
    )
    assert response.status_code == 200
    assert "This field is required." in page(response)
    assert study.experts.count() == experts


def test_import_an_xlsx_with_english_headers(study: Study, facilitator_client: Client) -> None:
    data = workbook(
        [
            ["First name", "Last name", "E-mail address", "Organization", "Sector", "Notes"],
            ["Chloé", "Dubois", "chloe@example.org", None, "employment service", "x"],
        ]
    )
    response = facilitator_client.post(
        url("panel_import", study), {"file": upload("experts.xlsx", data)}
    )
    assert response.status_code == 302
    assert study.experts.get(email="chloe@example.org").name == "Chloé Dubois"


def test_a_list_with_problems_imports_nothing_and_lists_them_by_row_and_column(
    study: Study, facilitator_client: Client
) -> None:
    data = workbook(
        [
            ["name", "e-mail", "organisation", "sector"],
            ["Ann", "ann@example.org", "", "x"],
            ["", "nobody@example.org", "", "x"],
            ["Bob", "not an address", "", "x"],
            ["Cid", "ANN@example.org", "", ""],
        ]
    )
    response = facilitator_client.post(
        url("panel_import", study), {"file": upload("experts.xlsx", data)}
    )
    assert response.status_code == 200
    content = page(response)
    assert "Nothing was imported" in content
    rows = re.findall(
        r"<tr><td>(\d+|—)</td><td>([A-Z]+|—)</td><td>([^<]*)</td></tr>",
        content.replace("&#x27;", "'"),
    )
    assert rows == [
        ("3", "A", "The name is missing."),
        ("4", "B", "“not an address” is not an e-mail address."),
        ("5", "B", "This address is already on row 2."),
        ("5", "D", "The sector is missing."),
    ]
    assert study.experts.count() == 3  # nothing half-imported
    assert not study.audit_events.filter(action="experts_imported").exists()


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"nom;courriel\nAnn;ann@example.org\n", "The header has no column “sector”"),
        (b"name;sector\n", "The list has a header but no expert."),
        (b"%PDF-1.4 binary\x00\x01", "not a CSV"),
        (b"", "The submitted file is empty."),
    ],
)
def test_an_unreadable_list_is_refused_with_a_message(
    study: Study, facilitator_client: Client, content: bytes, error: str
) -> None:
    response = facilitator_client.post(
        url("panel_import", study), {"file": upload("experts.csv", content)}
    )
    assert response.status_code == 200
    assert error in page(response).replace("&#x27;", "'")
    assert study.experts.count() == 3


# -- the QR code of the join address ----------------------------------------------------------


def join_address(study: Study) -> str:
    return f"http://testserver/join/?code={study.join_code}"


def test_the_projector_shows_the_qr_code_of_the_join_address(
    study: Study, facilitator_client: Client
) -> None:
    assert reverse("workshop:join") == "/join/"
    Round.objects.create(study=study, step=Round.Step.PROPOSALS, iteration=2).open()
    content = page(facilitator_client.get(url("projector", study)))
    svg = qr_svg(join_address(study), "QR code of the address to join")
    assert '<svg role="img" aria-label="QR code of the address to join"' in svg
    assert str(svg) in content  # the QR code of exactly this address
    assert "style=" not in svg  # the CSP holds
    assert "<script" not in svg
    panel = page(facilitator_client.get(url("projector_panel", study)))
    assert str(svg) in panel  # the part that refreshes keeps it


def test_the_handout_to_print(study: Study, facilitator_client: Client) -> None:
    PanelSettings.objects.create(
        study=study, deadline=datetime.date(2027, 1, 15), organisation="Le Forem"
    )
    content = page(facilitator_client.get(url("panel_handout", study)))
    assert str(qr_svg(join_address(study), "QR code of the address to join")) in content
    assert join_address(study) in content
    assert f'<p class="handout-code">{study.join_code}</p>' in content
    assert "Le Forem" in content
    assert "workshop/handout.css" in content
    # for the experts: in the study's language, whatever the facilitator's pages
    assert "Merci de répondre au plus tard le 15 janvier 2027." in content
    assert "Scannez le code" in content


def test_a_zip_bomb_uploaded_as_a_list_is_refused_quickly(
    study: Study, facilitator_client: Client
) -> None:
    bomb = upload("experts.xlsx", zip_bomb())
    started = time.process_time()
    response = facilitator_client.post(url("panel_import", study), {"file": bomb})
    elapsed = time.process_time() - started
    assert response.status_code == 200
    assert "unpacks to 308 MB" in page(response)
    assert elapsed < 1.0  # CPU time: the limit is checked before unpacking
    assert study.experts.count() == 3


def test_a_list_longer_than_the_table_limit_is_refused(
    study: Study, facilitator_client: Client
) -> None:
    rows = "".join(f"E{i};e{i}@example.org;x\n" for i in range(2_100))
    response = facilitator_client.post(
        url("panel_import", study),
        {"file": upload("experts.csv", ("name;email;sector\n" + rows).encode())},
    )
    assert "Nothing was imported" in page(response)
    assert "2,000" in page(response) or "2000" in page(response)
    assert study.experts.count() == 3


def test_the_outbox_is_in_an_experts_personal_data(
    english: Study, newcomers: list[Expert], facilitator_client: Client
) -> None:
    facilitator_client.post(reverse("workshop:expert_invite", args=[english.pk, newcomers[0].pk]))
    (message,) = newcomers[0].personal_data()["messages"]
    assert message["subject"] == f"Your invitation to the study “{english.title}”"


def test_invite_all_skips_an_expert_invited_since_the_list_was_read(
    english: Study, newcomers: list[Expert], facilitator: Any, monkeypatch: Any
) -> None:
    listed = invitations.not_yet_invited(english)
    monkeypatch.setattr(invitations, "recipients_of", lambda mailing: [(e, ()) for e in listed])
    Invitation.issue(listed[0], before_answers=True)  # another mailing got there first
    mailing = MassMailing.objects.create(
        study=english,
        kind=MassMailing.Kind.INVITATIONS,
        requested_by=facilitator,
        base_url="http://testserver",
    )
    invitations.send_mailing_letters(mailing)
    assert mailing.total == 1
    assert [m.to for m in mail.outbox] == [[listed[1].email]]


def test_a_mailing_runs_in_the_background_and_its_page_follows_it(
    english: Study,
    newcomers: list[Expert],
    facilitator_client: Client,
    settings: Any,
    mail_server: None,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = facilitator_client.post(url("panel_invite_all", english))
    mailing = MassMailing.objects.get(study=english)
    where = reverse("workshop:panel_mailing", args=[english.pk, mailing.pk])
    assert response["Location"] == where  # not sent yet: its page, which polls
    waiting = page(facilitator_client.get(where))
    assert 'hx-trigger="every 2s"' in waiting
    assert "Waiting for the worker to start sending." in waiting
    assert mail.outbox == []
    again = facilitator_client.post(url("panel_invite_all", english))
    assert again["Location"] == where  # a second click finds the mailing being sent
    assert MassMailing.objects.filter(study=english).count() == 1
    send_mass_mailing.call(mailing.pk)  # the worker's turn
    done = page(facilitator_client.get(where, headers={"HX-Request": "true"}))
    assert "every 2s" not in done  # finished: the fragment stops polling
    assert "An invitation was sent to 2 experts." in done
    assert len(mail.outbox) == 2
    event = english.audit_events.get(action="invitations_sent")
    assert event.detail == {"sent": 2, "kept": 0, "failed": 0, "left": 0}
    assert event.actor is not None


def test_a_mailing_whose_worker_stopped_says_so_and_another_can_start(
    english: Study, newcomers: list[Expert], facilitator_client: Client, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    facilitator_client.post(url("panel_invite_all", english))
    mailing = MassMailing.objects.get(study=english)
    stopped = timezone.now() - MassMailing.STALE_AFTER - datetime.timedelta(minutes=1)
    MassMailing.objects.filter(pk=mailing.pk).update(
        status=MassMailing.Status.RUNNING, updated_at=stopped
    )
    where = reverse("workshop:panel_mailing", args=[english.pk, mailing.pk])
    assert "its worker has stopped" in page(facilitator_client.get(where))
    facilitator_client.post(url("panel_invite_all", english))
    assert MassMailing.objects.filter(study=english).count() == 2


def test_a_deadline_set_with_the_default_text_gets_its_line(
    english: Study, facilitator_client: Client
) -> None:
    form = html.unescape(page(facilitator_client.get(url("panel_letters", english))))
    default = re.search(r'name="invitation_text"[^>]*>\n?(.*?)</textarea>', form, re.S)
    assert default
    assert "{deadline}" not in default.group(1)
    facilitator_client.post(
        url("panel_letters", english),
        {"deadline": "2027-01-15", "invitation_text": default.group(1)},
    )
    letters = PanelSettings.objects.get(study=english)
    assert letters.invitation_text == ""  # the default, which now names the deadline
    preview = page(facilitator_client.get(url("panel_letters", english)))
    assert "Please answer by 15 January 2027." in preview


def test_a_letter_has_a_bounded_length(english: Study, facilitator_client: Client) -> None:
    response = facilitator_client.post(
        url("panel_letters", english), {"invitation_text": "{link} " + "x" * 6000}
    )
    assert "at most 5000 characters" in page(response)
    assert not PanelSettings.objects.filter(study=english).exists()
