"""The audit log in words: each recorded action as a sentence in the study's language (who
did what, when and why), the one home of these sentences (the audit page and the
decisions log both show them).

An action is recorded by :meth:`~anticipe.workshop.models.AuditEvent.record` with its
detail (codes, a reason, a round's step and settings...). Here each action has its
sentence, written with that detail; a round's settings are written in words by
:func:`anticipe.presentation.parameter_words`, dates by :func:`anticipe.presentation.date_text`.
An action without a sentence (a newer one) is still shown: its name in words and its
detail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from anticipe import presentation
from anticipe.workshop.models import AuditEvent, Round, StudyMember

#: Each action's sentence: %(who)s is who did it; the other names are the detail's.
SENTENCES: Final = {
    "study_created": gettext_noop("%(who)s created the study “%(title)s”."),
    "study_imported": gettext_noop(
        "%(who)s imported the study from %(source)s, with %(factors)s change factors, "
        "%(experts)s experts and %(rounds)s rounds."
    ),
    "study_edited": gettext_noop("%(who)s edited the study (%(fields)s)."),
    "report_edited": gettext_noop("%(who)s edited the report's texts (%(fields)s)."),
    "study_published": gettext_noop("%(who)s published the study: observers can read its results."),
    "study_reopened": gettext_noop(
        "%(who)s reopened the study: observers no longer see its results."
    ),
    "activity_added": gettext_noop("%(who)s added the activity %(code)s."),
    "activity_edited": gettext_noop("%(who)s edited the activity %(code)s (%(fields)s)."),
    "activity_deleted": gettext_noop("%(who)s deleted the activity %(code)s."),
    "activity_moved": gettext_noop("%(who)s moved the activity %(code)s %(direction)s."),
    "task_added": gettext_noop("%(who)s added the task %(code)s to the activity %(activity)s."),
    "task_edited": gettext_noop("%(who)s edited the task %(code)s (%(fields)s)."),
    "task_deleted": gettext_noop("%(who)s deleted the task %(code)s “%(title)s”."),
    "task_moved": gettext_noop("%(who)s moved the task %(code)s %(direction)s."),
    "factor_added": gettext_noop("%(who)s added the change factor %(code)s."),
    "factor_edited": gettext_noop("%(who)s edited the change factor %(code)s (%(fields)s)."),
    "factor_deleted": gettext_noop("%(who)s deleted the change factor %(code)s “%(title)s”."),
    "factor_moved": gettext_noop("%(who)s moved the change factor %(code)s %(direction)s."),
    "member_added": gettext_noop("%(who)s gave %(user)s access to the study as %(role)s."),
    "member_role_changed": gettext_noop("%(who)s made %(user)s %(role)s (was %(previous)s)."),
    "member_removed": gettext_noop("%(who)s removed %(user)s (%(role)s) from the study."),
    "expert_added": gettext_noop("%(who)s added the expert %(expert)s to the panel."),
    "expert_edited": gettext_noop("%(who)s edited the expert %(expert)s (%(fields)s)."),
    "expert_removed": gettext_noop("%(who)s removed the expert %(expert)s from the panel."),
    "expert_erased": gettext_noop("%(who)s erased the personal data of the expert %(expert)s."),
    "experts_merged": gettext_noop(
        "%(who)s merged the expert %(merged)s into %(expert)s: the panel counts one person."
    ),
    "invitation_issued": gettext_noop("%(who)s issued an invitation to the expert %(expert)s."),
    "join_code_renewed": gettext_noop(
        "%(who)s renewed the study's code: the old one no longer works."
    ),
    "reminders_sent": gettext_noop("%(who)s sent a reminder to %(experts)s."),
    "round_created": gettext_noop("%(who)s prepared the round “%(round)s”."),
    "round_settings_changed": gettext_noop("%(who)s changed the settings of “%(round)s”."),
    "round_respondents_changed": gettext_noop(
        "%(who)s changed whose answers count in “%(round)s”."
    ),
    "round_opened": gettext_noop("%(who)s opened “%(round)s”: the experts could answer."),
    "round_closed": gettext_noop("%(who)s closed “%(round)s”: no more answers."),
    "round_reopened": gettext_noop("%(who)s reopened “%(round)s”."),
    "round_iteration_created": gettext_noop("%(who)s prepared a new iteration: “%(round)s”."),
    "proposals_merged": gettext_noop(
        "%(who)s grouped experts' proposals into the change factor %(factor)s."
    ),
    "proposal_detached": gettext_noop(
        "%(who)s took a proposal out of the change factor %(factor)s."
    ),
    "factor_wording_edited": gettext_noop(
        "%(who)s reworded the change factor %(factor)s: “%(after)s”."
    ),
    "key_factors_accepted": gettext_noop(
        "%(who)s confirmed the structural analysis' key factors: %(factors)s."
    ),
    "key_factor_added": gettext_noop("%(who)s made %(factor)s a key factor."),
    "key_factor_removed": gettext_noop("%(who)s removed %(factor)s from the key factors."),
    "key_factor_moved": gettext_noop("%(who)s moved the key factor %(factor)s %(direction)s."),
    "current_situation_edited": gettext_noop("%(who)s wrote the current situation of %(factor)s."),
    "hypothesis_added": gettext_noop("%(who)s wrote the hypothesis %(hypothesis)s of %(factor)s."),
    "hypothesis_reworded": gettext_noop("%(who)s reworded the hypothesis %(hypothesis)s."),
    "hypothesis_deleted": gettext_noop("%(who)s deleted the hypothesis %(hypothesis)s."),
    "hypothesis_moved": gettext_noop("%(who)s moved the hypothesis %(hypothesis)s %(direction)s."),
    "hypotheses_merged": gettext_noop(
        "%(who)s merged the hypotheses %(merged_from)s into %(hypothesis)s."
    ),
    "reachability_set": gettext_noop(
        "%(who)s said whether actions can reach the most desirable hypothesis of %(factor)s: "
        "%(after)s."
    ),
    "hypothesis_retained": gettext_noop(
        "%(who)s retained the hypothesis %(hypothesis)s for %(factor)s, as the rule proposes."
    ),
    "retention_overridden": gettext_noop(
        "%(who)s retained the hypothesis %(hypothesis)s for %(factor)s instead of the rule's."
    ),
    "retention_cleared": gettext_noop("%(who)s withdrew the retained hypothesis of %(factor)s."),
    "action_added": gettext_noop("%(who)s added an action to %(hypothesis)s: “%(text)s”."),
    "action_edited": gettext_noop("%(who)s edited an action of %(hypothesis)s."),
    "action_deleted": gettext_noop("%(who)s deleted an action of %(hypothesis)s: “%(text)s”."),
    "action_moved": gettext_noop("%(who)s moved an action of %(hypothesis)s %(direction)s."),
    "actions_merged": gettext_noop("%(who)s merged actions of %(hypothesis)s: “%(text)s”."),
    "impact_added": gettext_noop(
        "%(who)s wrote the impact of %(hypothesis)s on the activity %(activity)s."
    ),
    "impact_edited": gettext_noop(
        "%(who)s edited the impact of %(hypothesis)s on the activity %(activity)s."
    ),
    "impact_deleted": gettext_noop(
        "%(who)s deleted the impact of %(hypothesis)s on the activity %(activity)s."
    ),
    "competence_added": gettext_noop("%(who)s added the competence %(competence)s."),
    "competence_edited": gettext_noop("%(who)s edited the competence %(competence)s."),
    "competence_deleted": gettext_noop("%(who)s deleted the competence %(competence)s."),
    "cross_impacts_saved": gettext_noop("%(who)s saved %(changes)s cross-impacts."),
    "letters_edited": gettext_noop("%(who)s edited the invitation and reminder (%(fields)s)."),
    "invitations_sent": gettext_noop(
        "%(who)s invited the experts not yet invited: %(sent)s sent, %(kept)s kept in the "
        "outbox (no mail server), %(failed)s refused by the mail server."
    ),
    # before 7 December 2026, reminders went to the experts who had not finished
    "reminders_sent_counts": gettext_noop(
        "%(who)s reminded the experts who had not finished: %(sent)s sent, %(kept)s kept in "
        "the outbox (no mail server), %(failed)s refused by the mail server."
    ),
    "reminders_sent_to_unanswered": gettext_noop(
        "%(who)s reminded the experts who had not answered yet: %(sent)s sent, %(kept)s kept "
        "in the outbox (no mail server), %(failed)s refused by the mail server."
    ),
    "experts_imported": gettext_noop(
        "%(who)s imported a list of experts: %(added)s added, %(already)s already in the panel."
    ),
    "study_duplicated": gettext_noop("%(who)s made a copy of the study."),
    "study_created_as_copy": gettext_noop("%(who)s created this study as a copy of “%(title)s”."),
    "study_archived": gettext_noop("%(who)s archived the study: it is read-only."),
    "study_unarchived": gettext_noop("%(who)s unarchived the study."),
    "framework_link_added": gettext_noop(
        "%(who)s linked the competence %(competence)s to %(link)s."
    ),
    "framework_link_removed": gettext_noop(
        "%(who)s removed the link of the competence %(competence)s to %(link)s."
    ),
    "respondent_group_added": gettext_noop("%(who)s made the self-assessment group “%(code)s”."),
    "respondent_group_closed": gettext_noop("%(who)s closed the self-assessment group “%(code)s”."),
    "round_deleted": gettext_noop("%(who)s deleted the round “%(round)s”, never opened."),
    "training_catalogue_imported": gettext_noop(
        "%(who)s imported a training catalogue of %(modules)s modules."
    ),
    "training_catalogue_removed": gettext_noop("%(who)s removed the training catalogue."),
    "current_profile_added": gettext_noop("%(who)s added %(link)s to today's profile."),
    "current_profile_removed": gettext_noop("%(who)s removed %(link)s from today's profile."),
    "current_profile_source": gettext_noop("%(who)s changed the source of today's profile."),
    "self_assessment_min_group": gettext_noop(
        "%(who)s set the smallest self-assessment group shown to %(size)s respondents."
    ),
    "self_assessment_published": gettext_noop(
        "%(who)s published the self-assessment, with %(count)s competences."
    ),
}

#: The round's step -> the computation whose parameter names its settings use.
_SETTINGS_OF: Final = {
    Round.Step.FACTOR_VOTE: "factor_vote",
    Round.Step.INFLUENCE: "structural_analysis",
    Round.Step.HYPOTHESIS_VOTE: "hypotheses",
}
_SHOWN_AS_DETAIL: Final = ("settings", "before", "after", "text", "selection", "rule")


@dataclass
class AuditEntry:
    """One action as the audit page shows it."""

    event: AuditEvent
    when: str
    sentence: str
    why: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)
    why_label: str = ""


class _Detail(dict[str, str]):
    """The detail as the sentence's values: a missing one is a dash."""

    def __missing__(self, key: str) -> str:
        return presentation.EN_DASH


def entries(events: list[AuditEvent], language: str) -> list[AuditEntry]:
    """Each event in words, in `language` (the study's)."""
    with translation.override(language):
        return [entry(event, language) for event in events]


def entry(event: AuditEvent, language: str) -> AuditEntry:
    detail = event.detail if isinstance(event.detail, Mapping) else {}
    values = _Detail({key: _value(key, value, language) for key, value in detail.items()})
    values["who"] = _who(event)
    values["round"] = _round(detail)
    values["source"] = _source(detail)
    if event.action == "reminders_sent":
        values["experts"] = _list(detail.get("experts") or []) or _("nobody")
    linking = event.action.startswith(("framework_link_", "current_profile_"))
    if linking and isinstance(detail.get("link"), Mapping):
        link = detail["link"]
        values["link"] = " ".join(
            str(link[key]) for key in ("framework", "id", "level") if link.get(key)
        )
    if event.action == "cross_impacts_saved":
        values["changes"] = presentation.integer(len(detail.get("changes") or []), language)
    action = event.action
    if action == "reminders_sent" and "experts" not in detail:  # counts only, never who
        action = "reminders_sent_to_unanswered"
    sentence = SENTENCES.get(action)
    if sentence is None:
        text = f"{values['who']} · {event.action.replace('_', ' ')}"
        details = [(key.replace("_", " "), values[key]) for key in detail]
    else:
        text = _(sentence) % values
        details = _details(event.action, detail, language)
    return AuditEntry(
        event=event,
        when=when_text(event.created_at, language),
        sentence=presentation.typography(text, language),
        why=presentation.typography(str(detail.get("reason") or ""), language),
        details=details,
        why_label=_("Why:"),
    )


def when_text(moment: Any, language: str) -> str:
    """A moment in the study's language: "6 December 2026, 14:03", "6 décembre 2026 à 14:03"."""
    local = timezone.localtime(moment)
    day = presentation.date_text(local.date().isoformat(), language)
    return _("%(day)s, %(time)s") % {"day": day, "time": local.strftime("%H:%M")}


def _who(event: AuditEvent) -> str:
    if event.actor is None:
        return _("A deleted account")
    return str(event.actor.get_full_name() or event.actor.get_username())


def _round(detail: Mapping[str, Any]) -> str:
    step = detail.get("step")
    if step not in Round.Step.values:
        return presentation.EN_DASH
    label = str(Round.Step(step).label)
    iteration = detail.get("iteration") or 1
    if iteration == 1:
        return label
    return _("%(step)s, iteration %(iteration)s") % {"step": label, "iteration": iteration}


def _source(detail: Mapping[str, Any]) -> str:
    source = str(detail.get("file") or "")
    if source == "example":
        return _("the example study")
    if source:
        return _("the study file “%(file)s”") % {"file": source}
    return _("a study file")


def _value(key: str, value: Any, language: str) -> str:
    if key == "direction":
        return _("up") if value == "up" else _("down")
    if key in ("role", "previous") and value in StudyMember.Role.values:
        return str(StudyMember.Role(value).label)
    if key == "fields":
        return _list([str(name).replace("_", " ") for name in value or []])
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return _list([str(item) for item in value])
    if isinstance(value, int | float):
        return presentation.general(float(value), language)
    return presentation.EN_DASH if value in (None, "") else str(value)


def _list(items: list[str]) -> str:
    return ", ".join(items)


def _details(action: str, detail: Mapping[str, Any], language: str) -> list[tuple[str, str]]:
    """What the sentence leaves out, in words: a round's settings, a text before and after."""
    rows: list[tuple[str, str]] = []
    settings = detail.get("settings")
    if isinstance(settings, Mapping) and settings:
        computation = _SETTINGS_OF.get(detail.get("step", ""), "")
        for name, value in settings.items():
            _words, setting, shown = presentation.parameter_words(
                computation, str(name), value, language
            )
            rows.append((setting, shown))
    rule = detail.get("rule")
    if isinstance(rule, Mapping):
        for name, value in rule.items():
            _words, setting, shown = presentation.parameter_words(
                "structural_analysis.selection", str(name), value, language
            )
            rows.append((setting, shown))
    for key, label in (("before", _("before")), ("after", _("after"))):
        if key in detail and action not in ("reachability_set", "factor_wording_edited"):
            rows.append((label, _text(detail[key], language)))
    if action in ("hypothesis_added", "competence_added", "hypotheses_merged"):
        rows.append((_("text"), _text(detail.get("text"), language)))
    if action == "round_closed" and "answered" in detail:
        rows.append((_("experts who answered"), presentation.integer(detail["answered"], language)))
    if action == "invitation_issued" and detail.get("emailed") is False:
        rows.append((_("e-mail"), _("not sent by e-mail: the link was given on the page")))
    return rows


def _text(value: Any, language: str) -> str:
    if isinstance(value, Mapping):
        return " · ".join(_text(v, language) for v in value.values() if v not in (None, ""))
    return _value("", value, language)
