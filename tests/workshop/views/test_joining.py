"""Experts join without a password: by the study code, a personal invitation link (opened,
then confirmed with a button), or, on another device, the study code and their return code.
They sign out; a device whose access was replaced gets a page that says so."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from anticipe.workshop.access import RETURN_CODES_KEY, current_expert
from anticipe.workshop.models import Expert, FactorProposal, Invitation, Round, Study
from anticipe.workshop.panel_rules import issue_invitation
from tests.workshop.support import expert_client_for, published
from tests.workshop.support import text as page


@pytest.fixture
def newcomer(study: Study) -> Expert:
    """An expert added by the facilitator who has not answered yet."""
    return Expert.objects.create(study=study, code="E04", name="Dana Petit", sector="emploi")


def who(client: Client, study: Study) -> Expert | None:
    """The expert this browser is in the study (None if none, or no longer)."""
    request = HttpRequest()
    request.session = client.session
    return current_expert(request, study.pk)


def return_code(client: Client, study: Study) -> str:
    return str(client.session[RETURN_CODES_KEY][str(study.pk)])


def home(study: Study) -> str:
    return reverse("workshop:expert_home", args=[study.pk])


def invitation_url(token: str) -> str:
    return reverse("workshop:invitation", args=[token])


# -- the study code ---------------------------------------------------------------------------


def test_join_with_the_study_code(study: Study) -> None:
    client = Client()
    response = client.post(
        reverse("workshop:join"),
        {"code": study.join_code.lower(), "name": "Ana", "sector": "formation"},
    )
    assert response.status_code == 302
    expert = Expert.objects.get(study=study, name="Ana")
    assert expert.code == "E04"
    assert expert.joined_at is not None
    assert expert.joined_with_code
    assert who(client, study) == expert


def test_a_name_given_when_joining_shows_as_typed(study: Study) -> None:
    """The controls that reverse a text are removed from a name given with the code."""
    response = Client().post(
        reverse("workshop:join"),
        {"code": study.join_code, "name": "\u202eanA", "sector": "\u2067formation\u2069"},
    )
    assert response.status_code == 302
    assert Expert.objects.filter(study=study, name="anA", sector="formation").exists()


def test_join_with_a_wrong_code_says_so(study: Study) -> None:
    response = Client().post(
        reverse("workshop:join"), {"code": "ZZZZZZ", "name": "Ana", "sector": "x"}
    )
    assert response.status_code == 200
    assert Expert.objects.filter(name="Ana").count() == 0
    assert "No open study has this code" in page(response)


def test_the_code_page_says_to_use_ones_personal_link(db: None) -> None:
    content = page(Client().get(reverse("workshop:join")))
    assert 'id="personal-link-first"' in content
    assert "personal link" in content
    assert "Open it instead" in content


# -- personal links: a page with a button; only the button uses the link ------------------------


def test_opening_an_invitation_shows_a_button_and_leaves_it_usable(
    study: Study, newcomer: Expert
) -> None:
    _invitation, token = issue_invitation(newcomer)
    scanner = Client()
    opened = scanner.get(invitation_url(token))
    assert opened.status_code == 200
    assert '<button type="submit" class="primary big">Join the study</button>' in page(opened)
    assert escape(study.title) in page(opened)
    head = scanner.head(invitation_url(token))
    assert head.status_code == 200
    assert head.content == b""
    for _again in range(3):  # a scanner that retries
        assert Client().get(invitation_url(token)).status_code == 200
        assert Client().head(invitation_url(token)).status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.used_at is None
    newcomer.refresh_from_db()
    assert newcomer.joined_at is None
    assert newcomer.access_digest == ""
    assert who(scanner, study) is None
    # the expert presses the button: the link is used, once
    expert_browser = Client()
    assert expert_browser.get(invitation_url(token)).status_code == 200
    joined = expert_browser.post(invitation_url(token))
    assert joined.status_code == 302
    assert joined["Location"] == home(study)
    assert who(expert_browser, study) == newcomer
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert Client().post(invitation_url(token)).status_code == 410
    used = Client().get(invitation_url(token))
    assert used.status_code == 410
    assert "already been used" in page(used)


def test_expired_invitation(study: Study, newcomer: Expert) -> None:
    invitation, token = issue_invitation(newcomer)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert Client().get(invitation_url(token)).status_code == 410
    assert Client().post(invitation_url(token)).status_code == 410


def test_unknown_invitation(db: None) -> None:
    assert Client().get(invitation_url("nope")).status_code == 404
    assert Client().post(invitation_url("nope")).status_code == 404


def test_a_link_made_before_the_first_answer_stops_working_once_answered(
    study: Study, newcomer: Expert
) -> None:
    """A link shown on the facilitator's screen before the expert answered cannot open the
    expert's answers later."""
    kept, token = issue_invitation(newcomer)
    assert kept.before_answers
    round_ = Round.objects.create(study=study, step=Round.Step.PROPOSALS)
    round_.open()
    FactorProposal.objects.create(round=round_, expert=newcomer, title="My own idea")
    refused = Client().get(invitation_url(token))
    assert refused.status_code == 410
    assert "only a link sent to your e-mail address" in page(refused)
    browser = Client()
    assert browser.post(invitation_url(token)).status_code == 410
    assert who(browser, study) is None
    # a link made after the answer (e-mailed only) works
    later, token = issue_invitation(newcomer)
    assert not later.before_answers
    assert browser.post(invitation_url(token)).status_code == 302
    assert who(browser, study) == newcomer


# -- one device at a time; the replaced device gets its page --------------------------------------


def test_a_new_device_replaces_the_old_one_which_gets_a_page(
    study: Study, newcomer: Expert
) -> None:
    first = Client()
    _, token = issue_invitation(newcomer)
    first.post(invitation_url(token))
    second = Client()
    _, token = issue_invitation(newcomer)
    second.post(invitation_url(token))
    assert who(second, study) == newcomer
    assert who(first, study) is None
    replaced = first.get(home(study))
    assert replaced.status_code == 403
    content = page(replaced)
    assert "This device no longer opens your answers" in content
    assert reverse("workshop:join_back") in content
    # an htmx save from the replaced device gets the same page, not a 404
    round_ = Round.objects.create(study=study, step=Round.Step.PROPOSALS)
    round_.open()
    save = first.post(
        reverse("workshop:expert_proposal_add", args=[study.pk, round_.pk]),
        {"title": "Too late"},
        headers={"HX-Request": "true"},
    )
    assert save.status_code == 403
    assert "This device no longer opens your answers" in page(save)
    assert not FactorProposal.objects.filter(title="Too late").exists()


def test_a_browser_that_never_was_an_expert_gets_404(study: Study) -> None:
    assert Client().get(home(study)).status_code == 404


# -- coming back with the return code ----------------------------------------------------------


def test_come_back_on_another_device_with_the_return_code(study: Study, newcomer: Expert) -> None:
    phone = expert_client_for(newcomer)
    code = return_code(phone, study)
    shown = page(phone.get(home(study)))
    assert code in shown
    # the study code too: an expert invited by e-mail never saw it in the room
    assert f'id="study-code">{study.join_code}<' in shown
    laptop = Client()
    typed = code.lower().replace("-", " ")  # as typed: any case, spaces
    response = laptop.post(
        reverse("workshop:join_back"), {"back-code": study.join_code, "back-return_code": typed}
    )
    assert response.status_code == 302
    assert response["Location"] == home(study)
    assert who(laptop, study) == newcomer
    assert who(phone, study) is None  # one device at a time
    assert phone.get(home(study)).status_code == 403
    # the return code changed: the old one no longer works, the new one is on the laptop
    assert return_code(laptop, study) != code
    again = Client().post(
        reverse("workshop:join_back"), {"back-code": study.join_code, "back-return_code": code}
    )
    assert again.status_code == 200
    assert "This return code does not open this study" in page(again)


def test_a_return_code_opens_only_its_own_study(
    study: Study, other_study: Study, newcomer: Expert
) -> None:
    code = return_code(expert_client_for(newcomer), study)
    response = Client().post(
        reverse("workshop:join_back"),
        {"back-code": other_study.join_code, "back-return_code": code},
    )
    assert response.status_code == 200
    assert "does not open this study" in page(response)


def test_a_new_return_code(study: Study, newcomer: Expert) -> None:
    phone = expert_client_for(newcomer)
    old = return_code(phone, study)
    response = phone.post(reverse("workshop:expert_return_code", args=[study.pk]), follow=True)
    new = return_code(phone, study)
    assert new != old
    assert new in page(response)
    assert who(phone, study) == newcomer  # the device stays signed in
    refused = Client().post(
        reverse("workshop:join_back"), {"back-code": study.join_code, "back-return_code": old}
    )
    assert "does not open this study" in page(refused)


# -- signing out ------------------------------------------------------------------------------


def test_the_expert_signs_out(study: Study, newcomer: Expert) -> None:
    phone = expert_client_for(newcomer)
    code = return_code(phone, study)
    content = page(phone.get(home(study)))
    sign_out = reverse("workshop:expert_sign_out", args=[study.pk])
    assert f'action="{sign_out}"' in content
    assert phone.get(sign_out).status_code == 405
    response = phone.post(sign_out)
    assert response.status_code == 200
    assert "You are signed out" in page(response)
    assert code in page(response)  # shown one last time, to come back
    newcomer.refresh_from_db()
    assert newcomer.access_digest == ""  # no browser is this expert any more
    assert phone.get(home(study)).status_code == 404
    assert phone.post(sign_out).status_code == 404
    back = Client()
    back.post(
        reverse("workshop:join_back"), {"back-code": study.join_code, "back-return_code": code}
    )
    assert who(back, study) == newcomer


def test_a_replaced_device_signing_out_does_not_sign_out_the_other(
    study: Study, newcomer: Expert
) -> None:
    first = expert_client_for(newcomer)
    second = expert_client_for(newcomer)
    first.post(reverse("workshop:expert_sign_out", args=[study.pk]))
    assert who(second, study) == newcomer


# -- the expert's session: until the study is published, or the setting's days ------------------


def test_the_session_ends_when_the_study_is_published(study: Study, newcomer: Expert) -> None:
    phone = expert_client_for(newcomer)
    published(study)
    response = phone.get(home(study))
    assert response.status_code == 403
    assert "The study is published" in page(response)


def test_the_expert_session_lasts_the_configured_age(
    study: Study, newcomer: Expert, settings: Any
) -> None:
    settings.EXPERT_SESSION_AGE = 3 * 24 * 3600
    _, token = issue_invitation(newcomer)
    phone = Client()
    phone.post(invitation_url(token))
    assert phone.session.get_expiry_age() == 3 * 24 * 3600
    assert phone.cookies["sessionid"]["max-age"] == 3 * 24 * 3600


# -- a facilitator's browser never becomes an expert of the study -------------------------------


def test_a_facilitator_cannot_use_an_invitation_in_their_browser(
    study: Study, newcomer: Expert, facilitator_client: Client
) -> None:
    _, token = issue_invitation(newcomer)
    opened = facilitator_client.get(invitation_url(token))
    assert opened.status_code == 403
    assert "Join the study</button>" not in page(opened)
    assert facilitator_client.post(invitation_url(token)).status_code == 403
    assert Invitation.objects.get().used_at is None
    assert facilitator_client.get(home(study)).status_code == 404


def test_a_facilitator_cannot_join_or_come_back_in_their_browser(
    study: Study, newcomer: Expert, facilitator_client: Client
) -> None:
    joined = facilitator_client.post(
        reverse("workshop:join"), {"code": study.join_code, "name": "Me", "sector": "x"}
    )
    assert joined.status_code == 403
    assert "signed in as a facilitator of this study" in page(joined)
    assert not study.experts.filter(name="Me").exists()
    code = return_code(expert_client_for(newcomer), study)
    back = facilitator_client.post(
        reverse("workshop:join_back"), {"back-code": study.join_code, "back-return_code": code}
    )
    assert back.status_code == 403
    assert facilitator_client.get(home(study)).status_code == 404


def test_an_expert_browser_that_signs_in_as_facilitator_stops_being_the_expert(
    study: Study, newcomer: Expert, facilitator: Any
) -> None:
    browser = Client()
    _, token = issue_invitation(newcomer)
    browser.post(invitation_url(token))
    assert browser.get(home(study)).status_code == 200
    browser.force_login(facilitator)
    response = browser.get(home(study))
    assert response.status_code == 403
    assert "Signed in as a facilitator" in page(response)
