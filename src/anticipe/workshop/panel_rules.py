"""Rules of the panel's access: who may be given an expert's access, and how two entries of
one person are merged.

Only the expert opens the expert's answers. Before an expert's first answer, a personal link
may be shown on the facilitator's screen, to hand over in the room; once the expert has
answered, a new link goes to their e-mail address only (never shown), every link made
before their first answer stops working, and their address can no longer be changed by the
facilitator. An expert without an address comes back with the study code and their return
code (shown on their own pages only).

Merging moves the answers of an entry made by joining with the study code into another
entry of the same person, when the two never answered in the same round; the device that
gave the answers keeps the access, so a merge never opens answers to another device.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from anticipe.workshop.models import Expert, Invitation, Round, Study
from anticipe.workshop.rules import ANSWER_MODELS, expert_has_answers

# -- answers and links ------------------------------------------------------------------------


def answered_experts(study: Study) -> set[int]:
    """The ids of the study's experts who have answered anything (one query per step)."""
    answered: set[int] = set()
    for model in ANSWER_MODELS.values():
        answered.update(
            model._default_manager.filter(expert__study=study)
            .values_list("expert_id", flat=True)
            .distinct()
        )
    return answered


def issue_invitation(expert: Expert) -> tuple[Invitation, str]:
    """A personal link for `expert` (its token, to put in the link once). A link made before
    the expert's first answer stops working once they have answered."""
    return Invitation.issue(expert, before_answers=not expert_has_answers(expert))


# Why an invitation cannot be used (the page and its status say so).
UNKNOWN, USED, EXPIRED, ANSWERED_SINCE, CLOSED = "unknown", "used", "expired", "answered", "closed"
ARCHIVED = "archived"  # the study is archived: nobody joins it


def invitation_refusal(invitation: Invitation | None) -> str | None:
    """Why the invitation cannot be used now, or None."""
    if invitation is None:
        return UNKNOWN
    if invitation.used_at is not None:
        return USED
    if invitation.expert.study.is_archived():
        return ARCHIVED
    if not invitation.is_usable():
        return EXPIRED
    if invitation.expert.access_closed:
        return CLOSED
    if invitation.before_answers and expert_has_answers(invitation.expert):
        return ANSWERED_SINCE
    return None


def come_back_expert(study: Study, return_code_digest: str) -> Expert | None:
    """The expert of `study` whose return code has this digest (None for an empty one)."""
    if not return_code_digest:
        return None
    return study.experts.filter(return_digest=return_code_digest, access_closed=False).first()


# -- merging two entries of one person ----------------------------------------------------------

# Whether two entries' answers in a round of each step add up: free proposals (of factors,
# of actions) do, whoever wrote them; every other answer is one person's, so two entries that
# both answered in a round of such a step cannot be merged. Compared by round, never by
# question: a refusal by question would tell a facilitator who probes with an entry of their
# own which questions an expert answered, where the round is what the progress shows anyway.
ANSWERS_ADD_UP: dict[str, bool] = {
    Round.Step.PROPOSALS: True,
    Round.Step.FACTOR_VOTE: False,
    Round.Step.INFLUENCE: False,
    Round.Step.SITUATIONS: False,
    Round.Step.HYPOTHESIS_VOTE: False,
    Round.Step.ACTIONS: True,
    Round.Step.IMPACTS: False,
}


def overlapping_rounds(source: Expert, target: Expert) -> list[Round]:
    """The rounds in which both entries answered (of the steps whose answers do not add
    up, :data:`ANSWERS_ADD_UP`)."""
    rounds: set[int] = set()
    for step, add_up in ANSWERS_ADD_UP.items():
        if add_up:
            continue
        manager = ANSWER_MODELS[step]._default_manager
        mine = set(manager.filter(expert=source).values_list("round_id", flat=True))
        rounds |= mine & set(manager.filter(expert=target).values_list("round_id", flat=True))
    return list(Round.objects.filter(pk__in=rounds).order_by("created_at", "id"))


def source_refusal(source: Expert) -> str | None:
    """Why `source` cannot be merged into any other entry, or None."""
    if not source.joined_with_code:
        return _("Only an entry made by joining with the study code can be merged into another.")
    return None


def merge_refusal(source: Expert, target: Expert) -> str | None:
    """Why `source` cannot be merged into `target`, in the facilitator's words, or None."""
    if source.pk == target.pk:
        return _("An entry cannot be merged into itself.")
    if source.study_id != target.study_id:
        return _("Both entries must belong to this study's panel.")
    if (refusal := source_refusal(source)) is not None:
        return refusal
    overlap = overlapping_rounds(source, target)
    if overlap:
        return _(
            "Both entries answered in: %(rounds)s. One person answers a round from one entry: "
            "these entries cannot be merged."
        ) % {"rounds": ", ".join(str(r) for r in overlap)}
    return None


@dataclass(frozen=True)
class MergeOutcome:
    """Which device opens the merged entry: "source" (the device that joined with the study
    code), "target" (the entry's own device) or "closed" (none: both had answers); and
    whether the entry's e-mail address was removed (`address_removed`)."""

    access: str
    address_removed: bool = False


def merge_experts(source: Expert, target: Expert) -> MergeOutcome:
    """Move the answers of `source` into `target` and delete `source` (check
    :func:`merge_refusal` first). The device of the entry that had answers keeps the access;
    when both had answers, no device, link or return code opens the merged entry any more
    (either device could be someone else's, and would open the other's answers).

    When the answers come from the code-joined entry and the other has an e-mail address,
    the address is removed: new links go to it and open the answers, and nothing says it is
    their author's (the facilitator may have added an entry with her own address, unlocked
    while it had no answers, to merge someone's answers into it). The expert comes back with
    their device or their return code."""
    with transaction.atomic():
        Study.objects.select_for_update().get(pk=source.study_id)
        source_answered = expert_has_answers(source)
        target_answered = expert_has_answers(target)
        for model in ANSWER_MODELS.values():
            model._default_manager.filter(expert=source).update(expert=target)
        if source_answered and target_answered:
            access = "closed"
        elif target_answered:
            access = "target"
        else:  # the device that gave the answers, or the one in use (nobody answered yet)
            access = "source"
            target.access_digest = source.access_digest
            target.return_digest = source.return_digest
        address_removed = access == "source" and source_answered and bool(target.email)
        if address_removed:
            target.email = ""
        if source.joined_at and (target.joined_at is None or source.joined_at < target.joined_at):
            target.joined_at = source.joined_at
        target.save(update_fields=["access_digest", "return_digest", "joined_at", "email"])
        source.delete()
        if access == "closed":
            target.close_access()
    return MergeOutcome(access, address_removed)
