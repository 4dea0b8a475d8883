"""The panel, facilitator side: experts, invitations by e-mail, the study code, reminders."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import (
    Expert,
    FactorProposal,
    Invitation,
    PanelSettings,
    Round,
    Study,
    token_digest,
)
from anticipe.workshop.panel_rules import issue_invitation
from tests.workshop.support import text as page


def link_in(text: str) -> str:
    """The invitation link of an e-mail or a page."""
    match = re.search(r"https?://[^\s\"<]+/invitation/[^\s\"</]+/", text)
    assert match, text
    return match.group(0)


@pytest.fixture
def named_panel(study: Study) -> dict[str, Expert]:
    """The study's experts with names; E2 has an e-mail address. The study is in English
    (e-mails are in the study's language)."""
    study.language = Study.Language.ENGLISH
    study.save()
    experts = {e.code: e for e in study.experts.all()}
    for code, name, organisation in [
        ("E1", "Alice Martin", "Université de Liège"),
        ("E2", "Bruno Lambert", "EPN de Namur"),
        ("E3", "Chloé Dubois", ""),
    ]:
        experts[code].name = name
        experts[code].organisation = organisation
        experts[code].save()
    experts["E2"].email = "bruno@example.org"
    experts["E2"].save()
    return experts


@pytest.fixture
def newcomers(named_panel: dict[str, Expert], study: Study) -> dict[str, Expert]:
    """Two experts added since, who have not answered yet: Dana has an e-mail address, Eve
    has none (their links may be shown, to hand over in the room)."""
    return {
        "dana": Expert.objects.create(
            study=study, code="E04", name="Dana Petit", sector="emploi", email="dana@example.org"
        ),
        "eve": Expert.objects.create(study=study, code="E05", name="Eve Roux", sector="emploi"),
    }


def row_of(content: str, name: str) -> str:
    """The panel's table row of an expert, by name."""
    start = content.index(f'<th scope="row">{name}')
    return content[start : content.index("</tr>", start)]


# -- who may see what: tests/workshop/test_access.py -------------------------------------------


def test_an_expert_of_another_study_is_not_found(
    study: Study, other_study: Study, facilitator_client: Client
) -> None:
    foreign = other_study.experts.get(code="E2")
    for name in ("workshop:expert_edit", "workshop:expert_remove", "workshop:expert_invite"):
        response = facilitator_client.post(
            reverse(name, args=[study.pk, foreign.pk]), {"name": "X", "sector": "y"}
        )
        assert response.status_code == 404
    assert Expert.objects.filter(pk=foreign.pk, name="").exists()
    assert not Invitation.objects.exists()


# -- the panel page -------------------------------------------------------------------------------


def test_panel_lists_the_experts_and_how_to_join(
    study: Study, named_panel: dict[str, Expert], facilitator_client: Client
) -> None:
    named_panel["E1"].grant_access()  # E1 has joined
    issue_invitation(named_panel["E2"])  # E2 has a link waiting
    content = page(facilitator_client.get(reverse("workshop:panel", args=[study.pk])))
    for text in ("Alice Martin", "Université de Liège", "Bruno Lambert", "EPN de Namur"):
        assert text in content
    assert "bruno@example.org" in content
    for sector in ("académique", "formation", "emploi"):
        assert sector in content
    rows = {code: row_of(content, expert.name) for code, expert in named_panel.items()}
    assert "joined" in rows["E1"]
    assert "not yet" in rows["E2"]
    assert "link valid until" in rows["E2"]
    assert "not invited" in rows["E3"]
    # the study code and the address to join with it
    assert study.join_code in content
    join = f"http://testserver{reverse('workshop:join')}?code={study.join_code}"
    assert f'data-copy="{join}"' in content


def test_panel_shows_progress_in_open_rounds_but_no_answer(
    study: Study, named_panel: dict[str, Expert], facilitator_client: Client
) -> None:
    round_ = Round.objects.create(study=study, step=Round.Step.PROPOSALS)
    round_.open()
    FactorProposal.objects.create(round=round_, expert=named_panel["E1"], title="Zebra factor")
    content = page(facilitator_client.get(reverse("workshop:panel", args=[study.pk])))
    assert "Zebra" not in content
    e1 = row_of(content, "Alice Martin")
    assert "has answered" in e1
    assert "1 proposal" not in e1
    assert "finished" not in e1
    e2 = row_of(content, "Bruno Lambert")
    assert "not yet" in e2
    # E2 has an e-mail and has not answered: one expert to remind
    assert "1 expert with an e-mail address has not answered an open round yet" in content


# -- adding, editing, removing experts ------------------------------------------------------------


def test_add_an_expert(study: Study, facilitator_client: Client) -> None:
    url = reverse("workshop:expert_add", args=[study.pk])
    form = page(facilitator_client.get(url))
    assert 'list="sector-suggestions"' in form
    assert "espace public numérique" not in form  # no other study's sectors
    assert '<option value="emploi">' in form  # the panel's own
    PanelSettings.objects.create(study=study, sectors=["centre de compétence"])
    form = page(facilitator_client.get(url))
    assert '<option value="centre de compétence">' in form  # the study's sectors first
    assert form.index("centre de compétence") < form.index('<option value="emploi">')
    response = facilitator_client.post(
        url,
        {
            "name": "Dana Petit",
            "organisation": "Forem",
            "sector": "service de l'emploi",
            "email": "dana@example.org",
        },
    )
    assert response.status_code == 302
    expert = study.experts.get(name="Dana Petit")
    assert expert.code == "E04"
    assert (expert.organisation, expert.sector, expert.email) == (
        "Forem",
        "service de l'emploi",
        "dana@example.org",
    )
    assert expert.joined_at is None
    assert study.audit_events.get(action="expert_added").detail == {"expert": "E04"}


def test_name_and_sector_are_required(study: Study, facilitator_client: Client) -> None:
    url = reverse("workshop:expert_add", args=[study.pk])
    response = facilitator_client.post(url, {"name": "", "sector": "", "email": "not-an-email"})
    assert response.status_code == 200
    assert page(response).count('class="error"') == 3
    assert study.experts.count() == 3


def test_edit_an_expert(
    study: Study, named_panel: dict[str, Expert], facilitator_client: Client
) -> None:
    expert = named_panel["E3"]
    url = reverse("workshop:expert_edit", args=[study.pk, expert.pk])
    assert "Chloé Dubois" in page(facilitator_client.get(url))
    facilitator_client.post(
        url, {"name": "Chloé Dubois-Leroy", "sector": "centre de compétence", "email": ""}
    )
    expert.refresh_from_db()
    assert (expert.code, expert.name, expert.sector) == (
        "E3",
        "Chloé Dubois-Leroy",
        "centre de compétence",
    )
    event = study.audit_events.get(action="expert_edited")
    assert event.detail == {"expert": "E3", "fields": ["name", "sector"]}


def test_an_expert_with_answers_cannot_be_removed(study: Study, facilitator_client: Client) -> None:
    expert = study.experts.get(code="E1")  # voted in the imported study
    response = facilitator_client.post(
        reverse("workshop:expert_remove", args=[study.pk, expert.pk]), follow=True
    )
    assert "cannot be removed" in page(response)
    assert Expert.objects.filter(pk=expert.pk).exists()
    assert not study.audit_events.exists()


def test_remove_an_expert_without_answers(study: Study, facilitator_client: Client) -> None:
    newcomer = Expert.objects.create(study=study, code="E04", name="Eve", sector="x")
    issue_invitation(newcomer)
    facilitator_client.post(reverse("workshop:expert_remove", args=[study.pk, newcomer.pk]))
    assert not Expert.objects.filter(pk=newcomer.pk).exists()
    assert not Invitation.objects.exists()
    assert study.audit_events.get(action="expert_removed").detail == {"expert": "E04"}


# -- invitations --------------------------------------------------------------------------------


def test_invitation_by_e_mail_with_a_working_link(
    study: Study, newcomers: dict[str, Expert], facilitator_client: Client, mail_server: None
) -> None:
    expert = newcomers["dana"]
    response = facilitator_client.post(
        reverse("workshop:expert_invite", args=[study.pk, expert.pk])
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.org"]
    assert study.title in message.subject
    assert "Dana Petit" in message.body
    link = link_in(message.body)
    # before any answer the page shows the same link once, with a copy button, and says it
    # was e-mailed
    content = page(response)
    assert f'data-copy="{link}"' in content
    assert "Sent by e-mail to dana@example.org" in content
    # only the token's digest is stored
    token = urlsplit(link).path.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get(expert=expert)
    assert invitation.digest == token_digest(token)
    assert token not in str(list(Invitation.objects.values_list()))
    event = study.audit_events.get(action="invitation_issued")
    assert event.detail == {"expert": "E04", "emailed": True}
    assert token not in str(event.detail)
    # follow the link in a new browser and press the button: the expert's home
    browser = Client()
    assert browser.get(urlsplit(link).path).status_code == 200
    arrival = browser.post(urlsplit(link).path, follow=True)
    assert arrival.redirect_chain[-1][0] == reverse("workshop:expert_home", args=[study.pk])
    assert arrival.status_code == 200
    assert "Dana Petit" in page(arrival)
    expert.refresh_from_db()
    assert expert.joined_at is not None


def test_invitation_without_e_mail_is_shown_to_give_another_way(
    study: Study, newcomers: dict[str, Expert], facilitator_client: Client
) -> None:
    expert = newcomers["eve"]
    response = facilitator_client.post(
        reverse("workshop:expert_invite", args=[study.pk, expert.pk]),
        headers={"HX-Request": "true"},
    )
    assert mail.outbox == []
    content = page(response)
    assert "<html" not in content  # the panel's content alone, for htmx
    assert "no e-mail address" in content
    link = link_in(content)
    assert f'data-copy="{link}"' in content
    assert Client().post(urlsplit(link).path).status_code == 302
    assert study.audit_events.get(action="invitation_issued").detail == {
        "expert": "E05",
        "emailed": False,
    }
    # shown once: the panel page does not show it again
    assert link not in page(facilitator_client.get(reverse("workshop:panel", args=[study.pk])))


def test_the_e_mail_is_in_the_study_language(
    study: Study, named_panel: dict[str, Expert], facilitator_client: Client
) -> None:
    study.language = Study.Language.FRENCH
    study.save()
    facilitator_client.post(
        reverse("workshop:expert_invite", args=[study.pk, named_panel["E2"].pk]),
        headers={"Accept-Language": "en"},
    )
    (message,) = mail.outbox
    assert message.subject.startswith("Votre invitation")
    assert message.body.startswith("Bonjour Bruno Lambert,")


def test_a_failed_e_mail_still_shows_the_link_before_any_answer(
    study: Study, newcomers: dict[str, Expert], facilitator_client: Client, monkeypatch: Any
) -> None:
    from anticipe.workshop import invitations

    def broken(*args: Any, **kwargs: Any) -> int:
        raise OSError("connection refused")

    monkeypatch.setattr(invitations.EmailMessage, "send", broken)
    response = facilitator_client.post(
        reverse("workshop:expert_invite", args=[study.pk, newcomers["dana"].pk])
    )
    content = page(response)
    assert "could not be sent" in content
    link_in(content)
    assert study.audit_events.get(action="invitation_issued").detail["emailed"] is False


# -- the study code -------------------------------------------------------------------------------


def test_renew_the_study_code(study: Study, facilitator_client: Client) -> None:
    old = study.join_code
    facilitator_client.post(reverse("workshop:join_code_renew", args=[study.pk]))
    study.refresh_from_db()
    assert study.join_code != old
    assert len(study.join_code) == 6
    assert study.audit_events.filter(action="join_code_renewed").count() == 1
    refused = Client().post(reverse("workshop:join"), {"code": old, "name": "A", "sector": "b"})
    assert refused.status_code == 200  # the form again: the old code is unknown
    assert not study.experts.filter(name="A").exists()
    joined = Client().post(
        reverse("workshop:join"), {"code": study.join_code, "name": "A", "sector": "b"}
    )
    assert joined.status_code == 302
    assert study.experts.filter(name="A").exists()


# -- reminders ------------------------------------------------------------------------------------


def test_remind_the_experts_who_have_not_finished(
    study: Study, named_panel: dict[str, Expert], facilitator_client: Client, mail_server: None
) -> None:
    named_panel["E1"].email = "alice@example.org"
    named_panel["E1"].save()
    round_ = Round.objects.create(study=study, step=Round.Step.PROPOSALS)
    round_.open()
    # E1 has answered; E2 has not (e-mail); E3 has not (no e-mail: cannot be reminded)
    FactorProposal.objects.create(round=round_, expert=named_panel["E1"], title="Secret idea")
    response = facilitator_client.post(
        reverse("workshop:panel_remind", args=[study.pk]), follow=True
    )
    assert "A reminder was sent to 1 expert." in page(response)
    assert [m.to for m in mail.outbox] == [["bruno@example.org"]]
    body = mail.outbox[0].body
    assert "Change factors: proposals" in body
    assert "Secret idea" not in body
    assert Client().post(urlsplit(link_in(body)).path).status_code == 302
    # counts only: never who (nor, then, who has answered)
    assert study.audit_events.get(action="reminders_sent").detail == {
        "sent": 1,
        "kept": 0,
        "failed": 0,
        "left": 0,
    }


def test_no_reminder_without_an_open_round(
    study: Study, named_panel: dict[str, Expert], facilitator_client: Client
) -> None:
    response = facilitator_client.post(
        reverse("workshop:panel_remind", args=[study.pk]), follow=True
    )
    assert "Nobody to remind" in page(response)
    assert mail.outbox == []
    assert not Invitation.objects.exists()


# -- an archived study --------------------------------------------------------------------------


def test_an_archived_study_s_panel_and_members_do_not_change_and_nobody_joins(
    study: Study, named_panel: dict[str, Expert], facilitator_client: Client
) -> None:
    expert = named_panel["E2"]
    _invitation, token = issue_invitation(expert)  # a link made before the archiving
    facilitator_client.post(reverse("workshop:study_archive", args=[study.pk]))
    study.refresh_from_db()
    assert study.is_archived()
    experts_before = study.experts.count()
    members_before = study.members.count()
    changes = [
        ("workshop:expert_add", [study.pk], {"name": "Zoé", "sector": "formation"}),
        ("workshop:expert_edit", [study.pk, expert.pk], {"name": "Renamed", "sector": "x"}),
        ("workshop:expert_remove", [study.pk, expert.pk], {}),
        ("workshop:expert_invite", [study.pk, expert.pk], {}),
        ("workshop:join_code_renew", [study.pk], {}),
        ("workshop:panel_remind", [study.pk], {}),
        ("workshop:member_add", [study.pk], {"username": "observer", "role": "observer"}),
    ]
    code = study.join_code
    for name, args, data in changes:
        response = facilitator_client.post(reverse(name, args=args), data)
        assert response.status_code == 403, name
        assert "unarchive it before changing it" in page(response), name
    study.refresh_from_db()
    assert study.join_code == code
    assert study.experts.count() == experts_before
    assert study.members.count() == members_before
    assert not study.audit_events.filter(action__startswith="expert_").exists()
    assert not study.audit_events.filter(action="invitation_issued").exists()
    # nobody joins it: neither with its code nor with a link made before
    joined = Client().post(reverse("workshop:join"), {"code": code, "name": "A", "sector": "b"})
    assert joined.status_code == 200  # the form again, with its error
    assert "No open study has this code" in page(joined)
    link = Client().post(reverse("workshop:invitation", args=[token]))
    assert link.status_code == 410
    assert "archived" in page(link)
    assert study.experts.count() == experts_before
    # the panel itself is still there to read
    assert facilitator_client.get(reverse("workshop:panel", args=[study.pk])).status_code == 200
