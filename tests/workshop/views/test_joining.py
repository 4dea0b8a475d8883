"""Experts join without a password: by the study code, or a personal invitation link."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anticipe.workshop.access import current_expert
from anticipe.workshop.models import Expert, Invitation, Study


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


def test_join_with_a_wrong_code_says_so(study: Study) -> None:
    response = Client().post(
        reverse("workshop:join"), {"code": "ZZZZZZ", "name": "Ana", "sector": "x"}
    )
    assert response.status_code == 200
    assert Expert.objects.filter(name="Ana").count() == 0
    assert "code" in response.content.decode().lower()


def test_invitation_link_is_single_use(study: Study) -> None:
    expert = study.experts.get(code="E2")
    _, token = Invitation.issue(expert)
    client = Client()
    response = client.get(reverse("workshop:invitation", args=[token]))
    assert response.status_code == 302
    again = Client().get(reverse("workshop:invitation", args=[token]))
    assert again.status_code == 410
    assert token not in str(list(Invitation.objects.values_list("digest", flat=True)))


def test_expired_invitation(study: Study) -> None:
    expert = study.experts.get(code="E2")
    invitation, token = Invitation.issue(expert)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert Client().get(reverse("workshop:invitation", args=[token])).status_code == 410


def test_unknown_invitation(db: None) -> None:
    assert Client().get(reverse("workshop:invitation", args=["nope"])).status_code == 404


def test_a_new_browser_signs_the_old_one_out(study: Study) -> None:
    from django.http import HttpRequest

    expert = study.experts.get(code="E3")
    first = Client()
    _, token = Invitation.issue(expert)
    first.get(reverse("workshop:invitation", args=[token]))
    second = Client()
    _, token = Invitation.issue(expert)
    second.get(reverse("workshop:invitation", args=[token]))

    def who(client: Client) -> Expert | None:
        request = HttpRequest()
        request.session = client.session
        return current_expert(request, study.pk)

    assert who(second) == expert
    assert who(first) is None
