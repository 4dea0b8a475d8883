"""Only the expert opens the expert's answers: the facilitator's side of the panel.

A new link for an expert who answered is e-mailed and never displayed (refused without an
address); their address is locked; a facilitator's browser never becomes an expert; and
merging two entries of one person never hands answers to another device.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anticipe.workshop.access import RETURN_CODES_KEY, current_expert
from anticipe.workshop.models import (
    AuditEvent,
    Expert,
    FactorPoints,
    FactorProposal,
    Hypothesis,
    HypothesisVote,
    Invitation,
    Round,
    Study,
)
from anticipe.workshop.panel_rules import ANSWERS_ADD_UP, issue_invitation
from anticipe.workshop.rules import ANSWER_MODELS, round_progress
from tests.workshop.support import HTMX, expert_client_for, published, shown_values
from tests.workshop.support import text as page

INVITATION = re.compile(r"/invitation/[^\s\"'<]+/")


def who(client: Client, study: Study) -> Expert | None:
    request = HttpRequest()
    request.session = client.session
    return current_expert(request, study.pk)


def invite(client: Client, study: Study, expert: Expert) -> Any:
    return client.post(reverse("workshop:expert_invite", args=[study.pk, expert.pk]), **HTMX)


def panel(client: Client, study: Study) -> str:
    return page(client.get(reverse("workshop:panel", args=[study.pk])))


def join(study: Study, name: str) -> tuple[Client, Expert]:
    """Someone joins with the study code on their own device."""
    device = Client()
    response = device.post(
        reverse("workshop:join"), {"code": study.join_code, "name": name, "sector": "emploi"}
    )
    assert response.status_code == 302
    return device, study.experts.get(name=name)


def propose(study: Study, expert: Expert, title: str) -> Round:
    round_ = study.rounds.filter(step=Round.Step.PROPOSALS, status=Round.Status.OPEN).first()
    if round_ is None:
        round_ = Round.objects.create(study=study, step=Round.Step.PROPOSALS)
        round_.open()
    FactorProposal.objects.create(round=round_, expert=expert, title=title)
    return round_


def merge(client: Client, study: Study, source: Expert, target: Expert) -> Any:
    return client.post(
        reverse("workshop:expert_merge", args=[study.pk, source.pk]),
        {"target": target.pk},
        follow=True,
    )


@pytest.fixture
def ann(study: Study) -> Expert:
    """An invited expert, with an e-mail address, who has not answered yet."""
    return Expert.objects.create(
        study=study, code="E04", name="Ann Martin", sector="emploi", email="ann@example.org"
    )


# -- a new link once the expert has answered ------------------------------------------------------


def test_a_new_link_for_an_expert_who_answered_is_e_mailed_never_shown(
    study: Study, facilitator_client: Client, mail_server: None
) -> None:
    expert = study.experts.get(code="E2")  # answered in the imported study
    expert.name, expert.email = "Bruno Lambert", "bruno@example.org"
    expert.save()
    content = page(invite(facilitator_client, study, expert))
    assert not INVITATION.search(content)
    assert "data-copy" not in content.split('id="join-title"')[0]
    assert "Sent by e-mail to bruno@example.org" in content
    assert "only they may open their answers" in content
    assert not INVITATION.search(panel(facilitator_client, study))
    # the e-mailed link reaches the expert
    (message,) = mail.outbox
    link = INVITATION.search(message.body)
    assert link
    device = Client()
    assert device.post(link.group(0)).status_code == 302
    assert who(device, study) == expert


def test_no_new_link_for_an_expert_who_answered_without_an_address(
    study: Study, facilitator_client: Client
) -> None:
    expert = study.experts.get(code="E3")
    expert.name = "Chloé Dubois"
    expert.save()
    content = panel(facilitator_client, study)
    row = content.split('<th scope="row">Chloé Dubois')[1].split("</tr>")[0]
    assert reverse("workshop:expert_invite", args=[study.pk, expert.pk]) not in row
    # imported with the study, never joined: no return code either
    assert "Answers imported with the study: no link or code opens them." in row
    Expert.objects.filter(pk=expert.pk).update(joined_at=timezone.now())
    content = panel(facilitator_client, study)
    row = content.split('<th scope="row">Chloé Dubois')[1].split("</tr>")[0]
    assert "comes back with their return code" in row
    content = page(invite(facilitator_client, study, expert))
    assert "has answered and has no e-mail address" in content
    assert "return code" in content  # what to do
    assert not INVITATION.search(content)
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action="invitation_issued").exists()


def test_the_address_of_an_expert_who_answered_is_locked(
    study: Study, facilitator_client: Client
) -> None:
    """Else the facilitator would write their own address and send themselves a link."""
    expert = study.experts.get(code="E2")
    expert.name, expert.email = "Bruno Lambert", "bruno@example.org"
    expert.save()
    url = reverse("workshop:expert_edit", args=[study.pk, expert.pk])
    form = page(facilitator_client.get(url))
    assert re.search(r'<input type="email" name="email"[^>]* disabled', form)
    facilitator_client.post(
        url, {"name": "Bruno L.", "sector": "emploi", "email": "facilitator@example.org"}
    )
    expert.refresh_from_db()
    assert (expert.name, expert.email) == ("Bruno L.", "bruno@example.org")
    # and an expert who has not answered yet keeps an editable address
    nobody = Expert.objects.create(study=study, code="E09", name="Nobody", sector="x")
    url = reverse("workshop:expert_edit", args=[study.pk, nobody.pk])
    facilitator_client.post(url, {"name": "Nobody", "sector": "x", "email": "n@example.org"})
    nobody.refresh_from_db()
    assert nobody.email == "n@example.org"


def test_a_link_shown_before_the_first_answer_cannot_open_the_answers(
    study: Study, ann: Expert, facilitator_client: Client
) -> None:
    """The facilitator keeps a link shown to hand over; the expert answers on her device;
    the kept link no longer works."""
    content = page(invite(facilitator_client, study, ann))
    shown = INVITATION.search(content)
    assert shown
    _, token = issue_invitation(ann)
    phone = Client()
    phone.post(reverse("workshop:invitation", args=[token]))
    propose(study, ann, "Ann's secret idea")
    stranger = Client()
    assert stranger.post(shown.group(0)).status_code == 410
    assert who(stranger, study) is None
    assert who(phone, study) == ann
    # the panel no longer says a link is waiting
    row = panel(facilitator_client, study).split('<th scope="row">Ann Martin')[1].split("</tr>")[0]
    assert "link used on" in row
    Invitation.objects.filter(expert=ann).update(used_at=None)
    row = panel(facilitator_client, study).split('<th scope="row">Ann Martin')[1].split("</tr>")[0]
    assert "link expired" in row


# -- merging an entry joined with the code into the invited one -----------------------------------


def test_merge_a_code_joined_entry_into_the_invited_one(
    study: Study, ann: Expert, facilitator_client: Client
) -> None:
    phone, joined = join(study, "Ann")
    round_ = propose(study, joined, "An idea from the room")
    assert round_progress(round_).answered_count == 1
    assert len(round_progress(round_).experts) == 5  # two entries for Ann
    content = panel(facilitator_client, study)
    merge_url = reverse("workshop:expert_merge", args=[study.pk, joined.pk])
    assert merge_url in content
    form = page(facilitator_client.get(merge_url))
    assert "Ann Martin" in form
    response = merge(facilitator_client, study, joined, ann)
    assert "Ann is merged into Ann Martin: the panel counts one person." in page(response)
    assert not Expert.objects.filter(pk=joined.pk).exists()
    ann.refresh_from_db()
    assert ann.email == ""  # the answers came from the code's device: no link mailed to them
    assert FactorProposal.objects.get(title="An idea from the room").expert == ann
    progress = round_progress(round_)
    assert len(progress.experts) == 4
    assert progress.answered_count == 1
    assert study.experts.count() == 4
    projector = facilitator_client.get(reverse("workshop:projector_panel", args=[study.pk]))
    assert shown_values(projector.content)["answered"] == "1"
    assert "of 4 experts" in page(projector)
    # the device that gave the answers keeps opening them, as the invited entry
    assert who(phone, study) == ann
    assert "An idea from the room" in page(
        phone.get(reverse("workshop:expert_answer", args=[study.pk, round_.pk]))
    )
    # audited, without any answer
    event = AuditEvent.objects.get(action="experts_merged")
    assert event.detail == {"expert": "E04", "merged": joined.code, "access": "source"}
    assert "idea" not in str(event.detail)


def test_overlapping_answers_cannot_be_merged(
    study: Study, ann: Expert, facilitator_client: Client
) -> None:
    _phone, joined = join(study, "Ann")
    vote = study.rounds.get(step=Round.Step.FACTOR_VOTE)
    FactorPoints.objects.create(
        round=vote, expert=joined, factor=study.factors.get(code="F1"), points=3
    )
    e1 = study.experts.get(code="E1")  # voted in the same round
    response = merge(facilitator_client, study, joined, e1)
    content = page(response)
    assert "Both entries answered in: Change factors: weighted vote" in content
    assert Expert.objects.filter(pk=joined.pk).exists()
    assert FactorPoints.objects.filter(expert=joined).count() == 1
    assert not AuditEvent.objects.filter(action="experts_merged").exists()


def test_refused_merges_change_nothing(
    study: Study, other_study: Study, ann: Expert, facilitator_client: Client
) -> None:
    url = reverse("workshop:expert_merge", args=[study.pk, ann.pk])
    only_code = "Only an entry made by joining with the study code"
    assert only_code in page(facilitator_client.get(url))
    invited_into_e1 = merge(facilitator_client, study, ann, study.experts.get(code="E1"))
    assert only_code in page(invited_into_e1)
    _phone, joined = join(study, "Ann")
    into_other_study = merge(facilitator_client, study, joined, other_study.experts.get(code="E1"))
    assert "Select a valid choice" in page(into_other_study)
    assert Expert.objects.filter(pk__in=[ann.pk, joined.pk]).count() == 2
    assert not AuditEvent.objects.filter(action="experts_merged").exists()


def test_a_published_study_s_panel_is_not_merged(
    study: Study, ann: Expert, facilitator_client: Client
) -> None:
    _phone, joined = join(study, "Ann")
    published(study)
    response = facilitator_client.post(
        reverse("workshop:expert_merge", args=[study.pk, joined.pk]), {"target": ann.pk}
    )
    assert response.status_code == 403
    assert Expert.objects.filter(pk=joined.pk).exists()


# -- a merge never hands answers to another device ------------------------------------------------


def test_the_facilitator_cannot_take_an_expert_s_place_by_merging_into_her(
    study: Study, ann: Expert, facilitator_client: Client
) -> None:
    """The facilitator joins with the code in a private window, as "Ann", and merges that
    entry into Ann's, who has answered: the private window is signed out, Ann is not."""
    ann_phone = expert_client_for(ann)
    propose(study, ann, "Ann's own idea")
    private_window, fake = join(study, "Ann")
    merge(facilitator_client, study, fake, ann)
    assert who(private_window, study) is None
    assert private_window.get(reverse("workshop:expert_home", args=[study.pk])).status_code == 403
    assert who(ann_phone, study) == ann


def test_a_facilitator_who_opened_the_link_is_signed_out_by_the_merge(
    study: Study, ann: Expert, facilitator_client: Client
) -> None:
    """The facilitator opens Ann's shown link in a private window before handing it over;
    Ann joins with the code and answers; the merge keeps Ann's device, not the window."""
    shown = INVITATION.search(page(invite(facilitator_client, study, ann)))
    assert shown
    private_window = Client()
    private_window.post(shown.group(0))
    assert who(private_window, study) == ann
    ann_phone, joined = join(study, "Ann")
    propose(study, joined, "Ann's idea")
    merge(facilitator_client, study, joined, ann)
    assert who(private_window, study) is None
    assert who(ann_phone, study) == ann


def test_when_both_entries_hold_answers_no_device_opens_them(
    study: Study, ann: Expert, facilitator_client: Client
) -> None:
    ann_phone = expert_client_for(ann)
    old_code = ann_phone.session[RETURN_CODES_KEY][str(study.pk)]
    round_ = propose(study, ann, "First idea")
    other_phone, joined = join(study, "Ann")
    FactorProposal.objects.create(round=round_, expert=joined, title="Second idea")
    response = merge(facilitator_client, study, joined, ann)
    assert "no device opens them any more" in page(response)
    ann.refresh_from_db()
    assert ann.access_closed
    assert FactorProposal.objects.filter(expert=ann).count() == 2
    assert who(ann_phone, study) is None
    assert who(other_phone, study) is None
    # no link, no return code opens the entry any more
    content = page(invite(facilitator_client, study, ann))
    assert "No link opens this entry" in content
    assert not INVITATION.search(content)
    assert mail.outbox == []
    back = Client().post(
        reverse("workshop:join_back"), {"back-code": study.join_code, "back-return_code": old_code}
    )
    assert "does not open this study" in page(back)


def test_merged_answers_never_go_to_an_address_their_author_did_not_give(
    study: Study, facilitator_client: Client
) -> None:
    """The facilitator adds a decoy entry with her own address (allowed: no answers, no
    lock yet) and merges Bob's code-joined entry into it, to have a new link mailed to her:
    the merge removes the address, so no link is mailed; Bob keeps his device."""
    bob_phone, bob = join(study, "Bob")
    propose(study, bob, "Bob's own idea")
    decoy = Expert.objects.create(
        study=study, code="E99", name="Decoy", email="facilitator-own@example.org"
    )
    response = merge(facilitator_client, study, bob, decoy)
    assert "The entry&#x27;s e-mail address is removed" in page(response)
    decoy.refresh_from_db()
    assert decoy.email == ""
    assert FactorProposal.objects.get(title="Bob's own idea").expert == decoy
    assert who(bob_phone, study) == decoy
    content = page(invite(facilitator_client, study, decoy))
    assert mail.outbox == []  # answered and no address: no link is mailed, none shown
    assert not INVITATION.search(content)
    # and the address cannot be given back: an entry with answers keeps its (no) address
    edit = reverse("workshop:expert_edit", args=[study.pk, decoy.pk])
    posted = {"name": "Decoy 2", "sector": "emploi", "email": "facilitator-own@example.org"}
    facilitator_client.post(edit, posted)
    decoy.refresh_from_db()
    assert decoy.name == "Decoy 2"  # the edit was saved...
    assert decoy.email == ""  # ...but not the address


def test_every_step_says_whether_its_answers_add_up_in_a_merge() -> None:
    assert set(ANSWERS_ADD_UP) == set(ANSWER_MODELS) == set(Round.Step.values)


def test_a_merge_refusal_tells_nothing_of_which_questions_an_expert_answered(
    study: Study, ann: Expert, facilitator_client: Client
) -> None:
    """The facilitator joins with the code, answers one hypothesis, and tries to merge that
    entry into an expert: refused whenever the expert answered in that round (which the
    progress shows), whichever hypotheses they answered, so the refusal tells nothing more."""
    votes = study.rounds.get(step=Round.Step.HYPOTHESIS_VOTE)
    e1 = study.experts.get(code="E1")
    answered = set(
        HypothesisVote.objects.filter(round=votes, expert=e1).values_list(
            "hypothesis_id", flat=True
        )
    )
    other = Hypothesis.objects.filter(factor__study=study).exclude(pk__in=answered).first()
    assert other is not None  # a hypothesis E1 did not answer
    _phone, probe = join(study, "Probe")
    HypothesisVote.objects.create(round=votes, expert=probe, hypothesis=other, probability=2)
    content = page(merge(facilitator_client, study, probe, e1))
    assert "Both entries answered in: Hypotheses: probability and desirability" in content
    assert Expert.objects.filter(pk=probe.pk).exists()


# -- the panel and the progress show names, never a pseudonym --------------------------------------


def test_panel_and_progress_never_show_a_pseudonym(
    study: Study, ann: Expert, facilitator_client: Client
) -> None:
    round_ = propose(study, ann, "An idea")
    for code, name in (("E1", "Alice"), ("E2", "Bruno"), ("E3", "Chloé")):
        Expert.objects.filter(study=study, code=code).update(name=name)
    pages = [
        panel(facilitator_client, study),
        page(
            facilitator_client.get(reverse("workshop:round_progress", args=[study.pk, round_.pk]))
        ),
        page(facilitator_client.get(reverse("workshop:rounds", args=[study.pk]))),
        page(facilitator_client.get(reverse("workshop:expert_edit", args=[study.pk, ann.pk]))),
    ]
    for content in pages:
        assert not re.search(r"\bE0?[1-4]\b", content)
    progress = pages[1]
    names = re.findall(r'<th scope="row">([^<]+)</th>', progress)
    assert names == sorted(names)  # by name, not in the order the pseudonyms were given
