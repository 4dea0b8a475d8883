"""Invitations and reminders: the study's letters, their placeholders, sending them (or
keeping them in the outbox when the site has no mail server), and sending them to the whole
panel at once.

A letter is a subject and a text with placeholders (``{name}``, ``{link}``, ``{deadline}``…)
the facilitator may edit per study (:class:`~anticipe.workshop.models.PanelSettings`); a
blank subject or text is the default one, in the study's language. Letters are sent from
``DEFAULT_FROM_EMAIL`` (``ANTICIPE_FROM_EMAIL``), under the facilitator's name when given.

When mail goes to the console, to memory, nowhere or to files (the demo, a site without
``ANTICIPE_EMAIL_URL``), nothing is delivered: the message is kept in the study's outbox
(:class:`~anticipe.workshop.models.OutboxMessage`, the personal link masked) and the pages
say so, never "sent".
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import formataddr
from enum import StrEnum
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anticipe.workshop import panel_rules, rules
from anticipe.workshop.models import (
    Expert,
    MassMailing,
    OutboxMessage,
    PanelSettings,
    Round,
    Study,
)
from anticipe.workshop.models.panel import INVITATION_LIFETIME, MAX_OUTBOX_MESSAGES

logger = logging.getLogger(__name__)

# The backends that deliver nothing: the console (the demo), memory, nowhere, files.
UNDELIVERED_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    }
)
MAX_LETTERS_PER_ACTION = 1000  # one "invite all" or "remind all" sends at most this many
LINK_MARK = "[…]"  # what the outbox keeps in place of a personal link

# The placeholders of a letter and what each one becomes.
PLACEHOLDERS: dict[str, object] = {
    "name": gettext_lazy("the expert's name"),
    "study": gettext_lazy("the study's title (the job)"),
    "link": gettext_lazy("the expert's personal link (required)"),
    "days": gettext_lazy("how many days the link works"),
    "deadline": gettext_lazy("the deadline for answers"),
    "rounds": gettext_lazy("the open rounds the expert has not answered yet (reminders)"),
    "facilitator": gettext_lazy("the facilitator's name"),
    "organisation": gettext_lazy("the organisation"),
}
PLACEHOLDER = re.compile(r"\{([^{}\s]{1,40})\}")


def mail_is_delivered() -> bool:
    """Whether the site's mail backend delivers messages (an SMTP server, say)."""
    return settings.EMAIL_BACKEND not in UNDELIVERED_BACKENDS


def join_url(request: HttpRequest, study: Study) -> str:
    """The address experts open in the room, with the study code filled in."""
    return (
        request.build_absolute_uri(reverse("workshop:join"))
        + "?"
        + urlencode({"code": study.join_code})
    )


def invitation_link(request: HttpRequest, token: str) -> str:
    return link_from(site_address(request), token)


def site_address(request: HttpRequest) -> str:
    """The site's address as the request reached it (``https://host``), for links made
    later, outside the request (a mailing's task)."""
    return request.build_absolute_uri("/").rstrip("/")


def link_from(base_url: str, token: str) -> str:
    """The personal link of `token` on the site at `base_url`."""
    return base_url + reverse("workshop:invitation", args=[token])


# -- the letters ------------------------------------------------------------------------------


class Kind(StrEnum):
    INVITATION = "invitation"
    REMINDER = "reminder"


def placeholder_problems(text: str, *, kind: Kind | None = None, body: bool = True) -> list[str]:
    """What is wrong with the placeholders of a letter's subject or text, in the page's
    language (an unknown one; a text without ``{link}``)."""
    problems = [
        _("“{%(name)s}” is not a placeholder: use one of %(known)s.")
        % {"name": name, "known": ", ".join(f"{{{known}}}" for known in PLACEHOLDERS)}
        for name in dict.fromkeys(PLACEHOLDER.findall(text))
        if name not in PLACEHOLDERS
    ]
    if body and text.strip() and "{link}" not in text:
        problems.append(_("The text must hold {link}: the expert's personal link."))
    if kind is Kind.INVITATION and "{rounds}" in text:
        problems.append(_("{rounds} is for reminders only: an invitation has no open rounds."))
    return problems


def default_subject(kind: Kind) -> str:
    """The default subject, in the active language."""
    if kind is Kind.REMINDER:
        return _("Reminder: your answers for the study “{study}”")
    return _("Your invitation to the study “{study}”")


def default_text(kind: Kind, letters: PanelSettings) -> str:
    """The default text, in the active language (the deadline's line when one is set)."""
    parts = [_("Hello {name},")]
    if kind is Kind.REMINDER:
        parts.append(_("The study “{study}” is still waiting for your answers in: {rounds}."))
    else:
        parts.append(
            _("You are invited to take part, as an expert, in the foresight study “{study}”.")
            + "\n"
            + _("Your answers are anonymous: no one else sees them, only the group's results.")
        )
    if letters.deadline is not None:
        parts.append(_("Please answer by {deadline}."))
    parts.append(
        _("Open your personal link to take part (no password; it works once, for {days} days):")
        + "\n{link}"
    )
    parts.append(_("If the link no longer works, ask the facilitator for a new one."))
    parts.append("{facilitator}\n{organisation}")
    return "\n\n".join(parts)


def subject_and_text(kind: Kind, letters: PanelSettings) -> tuple[str, str]:
    """The study's subject and text of this letter, with placeholders (the defaults for
    blank ones), in the active language."""
    if kind is Kind.REMINDER:
        subject, text = letters.reminder_subject, letters.reminder_text
    else:
        subject, text = letters.invitation_subject, letters.invitation_text
    return subject or default_subject(kind), text or default_text(kind, letters)


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with its known placeholders replaced (others are left as typed)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def tidy(body: str) -> str:
    """A filled text without trailing spaces, runs of blank lines, or blank ends (what a
    blank facilitator's name or organisation leaves)."""
    lines = [line.rstrip() for line in body.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str
    sender: str
    reply_to: list[str] = field(default_factory=list)


def letter(
    kind: Kind,
    letters: PanelSettings,
    *,
    name: str,
    link: str,
    rounds: Sequence[str] = (),
    reply_to: str = "",
) -> Letter:
    """The letter of one expert, in the study's language."""
    study = letters.study
    with translation.override(study.language):
        subject, text = subject_and_text(kind, letters)
        deadline = (
            formats.date_format(letters.deadline, "DATE_FORMAT")
            if letters.deadline is not None
            else ""
        )
        values = {
            "name": name,
            "study": study.title,
            "link": link,
            "days": str(INVITATION_LIFETIME.days),
            "deadline": deadline,
            "rounds": ", ".join(rounds),
            "facilitator": letters.facilitator_name,
            "organisation": letters.organisation,
        }
    sender = settings.DEFAULT_FROM_EMAIL
    if letters.facilitator_name:
        sender = formataddr((letters.facilitator_name, sender))
    return Letter(
        subject=" ".join(fill(subject, values).split()),  # a header: one line
        body=tidy(fill(text, values)),
        sender=sender,
        reply_to=[reply_to] if reply_to else [],
    )


# -- sending ----------------------------------------------------------------------------------


class Delivery(StrEnum):
    SENT = "sent"  # handed to the mail server
    KEPT = "kept"  # no mail server: kept in the outbox, not sent
    FAILED = "failed"  # the mail server refused it


def keep_in_outbox(study: Study, expert: Expert, message: Letter, link: str) -> None:
    """Keep the message in the study's outbox (the link masked); the oldest beyond the
    bound are dropped."""
    OutboxMessage.objects.create(
        study=study,
        expert=expert,
        recipient=expert.email,
        subject=message.subject,
        body=message.body.replace(link, LINK_MARK) if link else message.body,
    )
    stale = study.outbox.order_by("-created_at", "-id").values_list("pk", flat=True)[
        MAX_OUTBOX_MESSAGES:
    ]
    OutboxMessage.objects.filter(pk__in=list(stale)).delete()


def send_letter(
    expert: Expert,
    link: str,
    *,
    rounds: Sequence[Round] = (),
    reply_to: str = "",
    connection: BaseEmailBackend | None = None,
    letters: PanelSettings | None = None,
) -> Delivery:
    """E-mail the expert their letter with their personal link (a reminder when `rounds`
    lists the open rounds they have not answered yet)."""
    study = expert.study
    kind = Kind.REMINDER if rounds else Kind.INVITATION
    with translation.override(study.language):
        names = [str(round_) for round_ in rounds]
    message = letter(
        kind,
        letters or PanelSettings.of(study),
        name=expert.display_name(),
        link=link,
        rounds=names,
        reply_to=reply_to,
    )
    email = EmailMessage(
        message.subject,
        message.body,
        message.sender,
        [expert.email],
        reply_to=message.reply_to,
        connection=connection,
    )
    try:
        email.send()
    except (OSError, smtplib.SMTPException):
        logger.warning("could not send the letter of expert %s of study %s", expert, study.pk)
        return Delivery.FAILED
    if not mail_is_delivered():
        keep_in_outbox(study, expert, message, link)
        return Delivery.KEPT
    return Delivery.SENT


def not_yet_invited(study: Study) -> list[Expert]:
    """The experts with an e-mail address who were never sent a link, have not joined and
    have not answered (whose access is open)."""
    answered = panel_rules.answered_experts(study)
    return [
        expert
        for expert in study.experts.filter(
            access_closed=False, joined_at__isnull=True, invitations__isnull=True
        )
        .exclude(email="")
        .order_by("name", "pk")
        if expert.pk not in answered
    ]


def issue_link(expert: Expert, *, first_only: bool) -> str | None:
    """A new link's token for `expert`; with `first_only`, None when the expert has had a
    link since the list was read (two "invite all" at once invite each expert once: the
    expert's row is locked while it is checked)."""
    with transaction.atomic():
        if first_only:
            Expert.objects.select_for_update().filter(pk=expert.pk).first()
            if expert.invitations.exists():
                return None
        _invitation, token = panel_rules.issue_invitation(expert)
    return token


def recipients_of(mailing: MassMailing) -> list[tuple[Expert, Sequence[Round]]]:
    """Who a mailing writes to, read when it runs: for invitations, the experts never sent a
    link; for reminders, those who have not answered an open round yet (with those
    rounds)."""
    if mailing.kind == MassMailing.Kind.INVITATIONS:
        return [(expert, ()) for expert in not_yet_invited(mailing.study)]
    return list(rules.experts_to_remind(mailing.study))


def send_mailing_letters(mailing: MassMailing) -> None:
    """Send the mailing's letters, each with a new personal link, in one connection to the
    mail server, at most :data:`MAX_LETTERS_PER_ACTION` (the rest is ``left`` for another
    mailing); the row's counts are saved after each letter, so its page shows how far it is.
    Invitations go only to experts never sent a link, checked under each expert's lock (two
    mailings at once invite each expert once)."""
    study = mailing.study
    recipients = recipients_of(mailing)
    mailing.total = min(len(recipients), MAX_LETTERS_PER_ACTION)
    mailing.left = max(0, len(recipients) - MAX_LETTERS_PER_ACTION)
    mailing.status = MassMailing.Status.RUNNING
    mailing.save(update_fields=["total", "left", "status", "updated_at"])
    reply_to = getattr(mailing.requested_by, "email", "") or ""
    letters = PanelSettings.of(study)
    first_only = mailing.kind == MassMailing.Kind.INVITATIONS
    connection = get_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException):
        logger.warning("could not reach the mail server for study %s", study.pk)
    try:
        for expert, rounds in recipients[:MAX_LETTERS_PER_ACTION]:
            token = issue_link(expert, first_only=first_only)
            if token is None:
                mailing.total -= 1  # invited meanwhile by another mailing
                mailing.save(update_fields=["total", "updated_at"])
                continue
            outcome = send_letter(
                expert,
                link_from(mailing.base_url, token),
                rounds=rounds,
                reply_to=reply_to,
                connection=connection,
                letters=letters,
            )
            if outcome is Delivery.SENT:
                mailing.sent += 1
            elif outcome is Delivery.KEPT:
                mailing.kept += 1
            else:
                mailing.failed += 1
                mailing.failed_names = [*mailing.failed_names, expert.display_name()]
            mailing.save(update_fields=["sent", "kept", "failed", "failed_names", "updated_at"])
    finally:
        connection.close()
