"""Who may do what, page family by page family (``anticipe.workshop.access``).

One table per family: each row is a URL and the answer every persona gets. A test per
family and kind (pages opened with GET, actions sent with POST) is generated from it: one
test case per row, each persona tried in turn, the whole row compared at once.

Personas (the columns):
  facilitator     the study's facilitator
  co-facilitator  a second facilitator of the study
  observer        a member with the observer role
  outsider        a signed-in user who facilitates another study
  expert          an expert of the study (no account: a session from an invitation link)
  other expert    an expert of another study
  anonymous       nobody signed in

Answers: 200 (OK), 403, 404 (the study's existence is not disclosed), LOGIN (302 to the login
page), SKIP (not tried here: an action a facilitator may do is tested with its feature).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import (
    ActionProposal,
    AuditEvent,
    Expert,
    FactorPoints,
    FactorProposal,
    HypothesisVote,
    ImpactProposal,
    InfluenceScore,
    Invitation,
    MassMailing,
    OutboxMessage,
    PanelSettings,
    ReportFile,
    Respondent,
    RespondentGroup,
    Round,
    SelfAssessment,
    Situation,
    Study,
    StudyMember,
    Task,
)
from anticipe.workshop.panel_rules import issue_invitation
from anticipe.workshop.study_format import study_document
from anticipe.workshop.tasks.reports import request_report
from tests.workshop.support import HTMX, draft_iteration, expert_client_for, published, round_of

OK, FORBIDDEN, NOT_FOUND = 200, 403, 404
LOGIN = "login"
SKIP = "skip"
Answer = int | str
PERSONAS = (
    "facilitator",
    "co-facilitator",
    "observer",
    "outsider",
    "expert",
    "other expert",
    "anonymous",
)


def who(*answers: Answer) -> dict[str, Answer]:
    """A rule: the answer of each persona, in the order of PERSONAS."""
    assert len(answers) == len(PERSONAS)
    return dict(zip(PERSONAS, answers, strict=True))


# The rules of the site, persona by persona.
#                        facilitator co-facilitator observer  outsider   expert     other expert anonymous  # noqa: E501
FACILITATORS = who(      OK,         OK,            NOT_FOUND, NOT_FOUND, LOGIN,     LOGIN,       LOGIN)  # fmt: skip  # noqa: E501
FACILITATORS_ACT = who(  SKIP,       SKIP,          NOT_FOUND, NOT_FOUND, LOGIN,     LOGIN,       LOGIN)  # fmt: skip  # noqa: E501
RESULTS = who(           OK,         OK,            FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND,   NOT_FOUND)  # fmt: skip  # noqa: E501
RESULTS_PUBLISHED = who( OK,         OK,            OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND,   NOT_FOUND)  # fmt: skip  # noqa: E501
RESULTS_ACT = who(       SKIP,       SKIP,          FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND,   NOT_FOUND)  # fmt: skip  # noqa: E501
RESULTS_PUBLISHED_ACT = who(SKIP,    SKIP,          SKIP,      NOT_FOUND, NOT_FOUND, NOT_FOUND,   NOT_FOUND)  # fmt: skip  # noqa: E501
DECIDING = who(          OK,         OK,            NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND,   NOT_FOUND)  # fmt: skip  # noqa: E501
DECIDING_ACT = who(      SKIP,       SKIP,          NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND,   NOT_FOUND)  # fmt: skip  # noqa: E501
DECIDED = who(           FORBIDDEN,  FORBIDDEN,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND,   NOT_FOUND)  # fmt: skip  # noqa: E501
FROZEN = who(            FORBIDDEN,  FORBIDDEN,     NOT_FOUND, NOT_FOUND, LOGIN,     LOGIN,       LOGIN)  # fmt: skip  # noqa: E501
EXPERT = who(            NOT_FOUND,  NOT_FOUND,     NOT_FOUND, NOT_FOUND, OK,        NOT_FOUND,   NOT_FOUND)  # fmt: skip  # noqa: E501
EXPERT_ACT = who(        NOT_FOUND,  NOT_FOUND,     NOT_FOUND, NOT_FOUND, SKIP,      NOT_FOUND,   NOT_FOUND)  # fmt: skip  # noqa: E501
PUBLIC = who(            OK,         OK,            OK,        OK,        OK,        OK,          OK)  # fmt: skip  # noqa: E501
# a group's counts the page does not show (open, too small): no download, whoever asks
HIDDEN_GROUP = who(      NOT_FOUND,  NOT_FOUND,     FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND,   NOT_FOUND)  # fmt: skip  # noqa: E501
HIDDEN_GROUP_PUBLISHED = who(NOT_FOUND, NOT_FOUND,  NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND,   NOT_FOUND)  # fmt: skip  # noqa: E501
# a respondent's pages: only the browser holding the respondent's secret (none of these)
RESPONDENT = who(        FORBIDDEN,  FORBIDDEN,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,   FORBIDDEN)  # fmt: skip  # noqa: E501
# forgetting this browser's own secret (a shared device): anyone, and it changes nothing else
LEAVE = who(             302,        302,           302,       302,       302,       302,         302)  # fmt: skip  # noqa: E501
# a personal link: a page with a button for anyone, but never in a facilitator's browser
INVITATION = who(        FORBIDDEN,  FORBIDDEN,     OK,        OK,        OK,        OK,          OK)  # fmt: skip  # noqa: E501

Args = Callable[[Study], list[Any]]
Data = dict[str, Any] | Callable[[Study], dict[str, Any]]  # a POST's data


@dataclass(frozen=True)
class Row:
    """A URL (`name` reversed with the study's pk and `args(study)`) and who may use it."""

    name: str
    rule: dict[str, Answer]
    args: Args = field(default=lambda s: [])
    data: Data = field(default_factory=dict)
    published: bool = False  # the study is published first
    post_only: bool = False  # an action that a GET does not reach (405)
    label: str = ""
    scoped: bool = True  # the URL is a study's (its first argument is the study's pk)

    @property
    def id(self) -> str:
        return self.name + self.label + ("-published" if self.published else "")

    def url(self, study: Study) -> str:
        scope = [study.pk] if self.scoped else []
        return reverse(f"workshop:{self.name}", args=[*scope, *self.args(study)])

    def post_data(self, study: Study) -> dict[str, Any]:
        return self.data(study) if callable(self.data) else self.data


def rows(*items: Row) -> Any:
    return [pytest.param(row, id=row.id) for row in items]


def factor(code: str) -> Args:
    return lambda s: [s.factors.get(code=code).pk]


def hypothesis(code: str) -> Args:
    return lambda s: [s.factors.get(code=code[:2]).hypotheses.get(code=code).pk]


def activity(s: Study) -> list[Any]:
    return [s.activities.get(code="1").pk]


def task(s: Study) -> list[Any]:
    return [Task.objects.get(activity__study=s, code="1.1").pk]


def observer_member(s: Study) -> list[Any]:
    return [s.members.get(role="observer").pk]


def a_mailing(study: Study) -> list[int]:
    """A finished "invite all" of the study."""
    mailing = MassMailing.objects.create(
        study=study,
        kind=MassMailing.Kind.INVITATIONS,
        status=MassMailing.Status.DONE,
        base_url="http://testserver",
    )
    return [mailing.pk]


def panel_expert(s: Study) -> list[Any]:
    return [s.experts.get(code="E2").pk]


def code_joined_expert(s: Study) -> list[Any]:
    """An entry made by joining with the study code (one that can be merged)."""
    expert, _created = Expert.objects.get_or_create(
        study=s, code="E09", defaults={"name": "Ann", "sector": "x", "joined_with_code": True}
    )
    return [expert.pk]


def merge_data(s: Study) -> dict[str, Any]:
    return {"target": s.experts.get(code="E2").pk}


def invitation_token(s: Study) -> list[Any]:
    """A personal link of an expert of the study who has not answered yet."""
    expert = Expert.objects.create(study=s, code="E08", name="Newcomer", sector="x")
    return [issue_invitation(expert)[1]]


def vote_round(s: Study) -> list[Any]:
    return [round_of(s, "factor_vote").pk]


def action_of_f1_b(s: Study) -> list[Any]:
    return [s.factors.get(code="F1").hypotheses.get(code="F1-B").actions.get().pk]


def impact_of_f1_b(s: Study) -> list[Any]:
    impact = s.factors.get(code="F1").hypotheses.get(code="F1-B").impacts.first()
    assert impact is not None
    return [impact.pk]


def competence_c1(s: Study) -> list[Any]:
    return [s.competences.get(code="C1").pk]


def open_round_of(step: str, *more: Callable[[Round], list[Any]]) -> Args:
    """The study's open round of `step` (opened for the test), and more arguments."""

    def args(s: Study) -> list[Any]:
        round_ = s.rounds.filter(step=step, status=Round.Status.OPEN).first()
        if round_ is None:
            iteration = s.rounds.filter(step=step).count() + 1
            settings = {"factors": ["F1", "F2", "F3"]} if step == "influence" else {}
            round_ = Round.objects.create(
                study=s, step=step, iteration=iteration, settings=settings
            )
            round_.open()
        return [round_.pk, *(arg for extra in more for arg in extra(round_))]

    return args


# -- the tables -----------------------------------------------------------------------------------

SETUP_DATA = {"direction": "up", "activity-code": "9", "activity-title": "x", "member-role": "x"}
SETUP = rows(
    Row("study", FACILITATORS | {"observer": OK}),  # the hub: read-only for observers
    Row("study_edit", FACILITATORS),
    Row("study_export", FACILITATORS),
    Row("perimeter", FACILITATORS),
    Row("factors", FACILITATORS),
    Row("members", FACILITATORS),
    Row("audit", FACILITATORS),
    Row("study_duplicate", FACILITATORS),
    Row("study_delete", FACILITATORS),
)
SETUP_ACTIONS = rows(
    *(
        Row(name, FACILITATORS_ACT, args, SETUP_DATA, post_only=not name.endswith("_edit"))
        for name, args in [
            ("study_edit", lambda s: []),
            ("study_publish", lambda s: []),
            ("study_reopen", lambda s: []),
            ("study_archive", lambda s: []),
            ("study_unarchive", lambda s: []),
            ("activity_add", lambda s: []),
            ("activity_edit", activity),
            ("activity_delete", activity),
            ("activity_move", activity),
            ("task_add", activity),
            ("task_edit", task),
            ("task_delete", task),
            ("task_move", task),
            ("factor_add", lambda s: []),
            ("factor_edit", factor("F4")),
            ("factor_delete", factor("F4")),
            ("factor_move", factor("F4")),
            ("member_add", lambda s: []),
            ("member_role", observer_member),
            ("member_remove", observer_member),
        ]
    ),
    Row("study_duplicate", FACILITATORS_ACT, data={"hypotheses": "on"}),
    Row("study_delete", FACILITATORS_ACT, data=lambda s: {"title": s.title}),
)

PANEL_DATA = {"name": "Intruder", "sector": "x", "email": "intruder@example.org"}
LETTERS_DATA = {"sectors_text": "x", "invitation_text": "Hacked {link}"}
PANEL = rows(
    Row("panel", FACILITATORS),
    Row("expert_add", FACILITATORS),
    Row("expert_edit", FACILITATORS, panel_expert),
    Row("expert_personal_data", FACILITATORS, panel_expert),
    Row("expert_personal_data_export", FACILITATORS, panel_expert),
    Row("expert_merge", FACILITATORS, code_joined_expert),
    Row("panel_letters", FACILITATORS),
    Row("panel_letters_preview", FACILITATORS),
    Row("panel_import", FACILITATORS),
    Row("panel_outbox", FACILITATORS),
    Row("panel_handout", FACILITATORS),
    Row("panel_mailing", FACILITATORS, a_mailing),
)
PANEL_ACTIONS = rows(
    Row("expert_add", FACILITATORS_ACT, data=PANEL_DATA),
    Row("expert_edit", FACILITATORS_ACT, panel_expert, PANEL_DATA),
    Row("expert_remove", FACILITATORS_ACT, panel_expert, PANEL_DATA, post_only=True),
    Row("expert_invite", FACILITATORS_ACT, panel_expert, PANEL_DATA, post_only=True),
    Row("expert_erase", FACILITATORS_ACT, panel_expert, PANEL_DATA, post_only=True),
    Row("join_code_renew", FACILITATORS_ACT, data=PANEL_DATA),
    Row("panel_remind", FACILITATORS_ACT, data=PANEL_DATA),
    Row("expert_merge", FACILITATORS_ACT, code_joined_expert, merge_data),
    Row("panel_letters", FACILITATORS_ACT, data=LETTERS_DATA),
    Row("panel_invite_all", FACILITATORS_ACT, data=PANEL_DATA, post_only=True),
    Row("panel_import", FACILITATORS_ACT, data=PANEL_DATA),
)
JOINING = rows(
    Row("join", PUBLIC, scoped=False),
    Row("glossary", PUBLIC, scoped=False),
    Row("join_back", PUBLIC, scoped=False),
    Row("invitation", INVITATION, invitation_token, scoped=False),
)


def rounds_data(s: Study) -> dict[str, Any]:
    return {
        "factors": [f.pk for f in s.factors.all()],
        "title": "Hacked",
        # valid round settings, so that only the refusal keeps them unchanged
        "probability_min": "1",
        "probability_max": "9",
        "desirability_min": "1",
        "desirability_max": "9",
        "hypotheses": ["F1-A"],
    }


def settings_draft(s: Study) -> list[Any]:
    return [draft_iteration(s, "hypothesis_vote").pk]


ROUNDS = rows(
    Row("rounds", FACILITATORS),
    Row("round_create", FACILITATORS, lambda s: ["proposals"]),
    Row("round_progress", FACILITATORS, vote_round),
    Row("proposals", FACILITATORS),
    Row("proposals_factor_edit", FACILITATORS, factor("F1")),
    Row("shortlist", FACILITATORS),
    Row("round_settings_edit", FACILITATORS, settings_draft),
)
ROUNDS_ACTIONS = rows(
    Row("round_create", FACILITATORS_ACT, lambda s: ["proposals"], rounds_data),
    *(
        Row(name, FACILITATORS_ACT, vote_round, rounds_data, post_only=True)
        for name in ("round_open", "round_close", "round_reopen", "round_next_iteration")
    ),
    Row("proposals_merge", FACILITATORS_ACT, data=rounds_data),
    Row("proposals_factor_edit", FACILITATORS_ACT, factor("F1"), rounds_data),
    Row("shortlist_confirm", FACILITATORS_ACT, data=rounds_data),
    Row("round_settings_edit", FACILITATORS_ACT, settings_draft, rounds_data),
    Row("round_delete", FACILITATORS_ACT, vote_round, post_only=True),
    Row("round_delete", FROZEN, vote_round, post_only=True, published=True),
    Row(
        "round_respondents",
        FACILITATORS_ACT,
        settings_draft,
        lambda s: {f"r{settings_draft(s)[0]}-respondents_only": "on"},
    ),
)

RESULT_PAGES = [
    ("desk", lambda s: [], ""),
    ("report", lambda s: [], ""),
    ("report_status", lambda s: [], ""),
    ("results_vote", lambda s: [], ""),
    ("results_structure", lambda s: [], ""),
    ("results_hypotheses", lambda s: [], ""),
    ("results_impacts", lambda s: [], ""),
    ("results_profile", lambda s: [], ""),
    ("results_training", lambda s: [], ""),
    *(
        ("results_map", lambda s, p=plane: [p], f"-{plane}")
        for plane in ("direct", "indirect", "potential_direct", "potential_indirect")
    ),
    *(
        ("results_displacement", lambda s, p=plane: [p], f"-{plane}")
        for plane in ("indirect", "potential_indirect")
    ),
    *(
        ("results_graph", lambda s, p=plane, n=percent: [p, n], f"-{plane}-{percent}")
        for plane, percent in (("direct", 10), ("indirect", 25), ("potential_direct", 5))
    ),
    *(
        ("results_iterations", lambda s, t=step: [t], f"-{step}")
        for step in ("factor-vote", "influence", "hypothesis-vote")
    ),
    *(
        ("results_download", lambda s, p=page, f=fmt: [p, f], f"-{page}.{fmt}")
        for page in (
            "factor-vote",
            "structural-analysis",
            "hypotheses",
            "actions-and-impacts",
            "competence-profile",
            "training-needs",
            "iterations-factor-vote",
            "iterations-influence",
            "iterations-hypothesis-vote",
        )
        for fmt in ("csv", "xlsx")
    ),
]
DESK_PAGES = [
    ("key_factors", lambda s: []),
    ("factor_decisions", factor("F1")),
    ("action_plan", lambda s: []),
    ("impacts_table", lambda s: []),
    ("framework_links", lambda s: []),
    ("training_catalogue", lambda s: []),
    ("cross_impacts", lambda s: []),
    ("decisions_log", lambda s: []),
    ("projector", lambda s: []),
    ("projector_panel", lambda s: []),
    ("report_chapters", lambda s: []),  # read-only once published
]
DESK = rows(
    *(Row(name, RESULTS, args, label=label) for name, args, label in RESULT_PAGES),
    *(
        Row(name, RESULTS_PUBLISHED, args, label=label, published=True)
        for name, args, label in RESULT_PAGES
    ),
    *(Row(name, DECIDING, args) for name, args in DESK_PAGES),
    *(Row(name, DECIDING, args, published=True) for name, args in DESK_PAGES),
)


# the report's files: made (POST) by those who see the results, downloaded once made
REPORT_ACTIONS = rows(
    *(
        Row("report_make", rule, lambda s: ["pdf"], post_only=True, published=published)
        for rule, published in ((RESULTS_ACT, False), (RESULTS_PUBLISHED_ACT, True))
    )
)
REPORT_DOWNLOADS = rows(
    *(
        Row("report_download", rule, lambda s, f=fmt: [f], label=f"-{fmt}", published=published)
        for fmt in ("pdf", "docx", "html", "xlsx")
        for rule, published in ((RESULTS, False), (RESULTS_PUBLISHED, True))
    )
)


def h_b(s: Study) -> list[Any]:
    return hypothesis("F1-B")(s)


DECISIONS = [  # one POST of every decision endpoint, with valid data
    ("key_factors_accept", lambda s: [], {}),
    ("key_factor_add", lambda s: [], {"factor": "F2", "reason": "Asked."}),
    ("key_factor_move", factor("F1"), {"direction": "down"}),
    ("factor_situation", factor("F1"), {"current_situation": "Now."}),
    ("hypothesis_add", factor("F1"), {"text": "Something else."}),
    ("hypothesis_edit", hypothesis("F1-A"), {"text": "Reworded.", "label": ""}),
    ("hypothesis_move", hypothesis("F1-A"), {"direction": "down"}),
    ("factor_reachability", factor("F1"), {"reachable": "no"}),
    ("retention_confirm", factor("F1"), {}),
    (
        "retention_override",
        factor("F1"),
        lambda s: {"hypothesis": str(hypothesis("F1-A")(s)[0]), "reason": "Because."},
    ),
    ("action_add", h_b, {"aim": "provoke", "text": "Do it."}),
    ("action_edit", action_of_f1_b, {"aim": "", "text": "Done."}),
    ("action_move", action_of_f1_b, {"direction": "up"}),
    ("impact_edit", impact_of_f1_b, {"competences": []}),
    ("competence_add", lambda s: [], {"text": "A new competence."}),
    (
        "competence_edit",
        competence_c1,
        {"code": "C1", "text": "Reworded competence.", "frameworks": ""},
    ),
    ("cross_impacts", lambda s: [], lambda s: {f"ci-{h_b(s)[0]}-0": "1"}),
    ("report_chapters", lambda s: [], {"title": "Hacked", "chapter_introduction": "Hacked."}),
    ("hypotheses_merge", factor("F1"), {"text": "Merged."}),
    ("retention_clear", factor("F1"), {}),
    ("impact_delete", impact_of_f1_b, {}),
    ("action_delete", action_of_f1_b, {}),
    ("framework_link_add", competence_c1, {"link": "digcomp-2.2 2.4", "level": "5"}),
    ("framework_link_remove", competence_c1, {"framework": "DigComp 2.2", "id": "1.1"}),
    ("training_catalogue", lambda s: [], {"title": "Hacked"}),
    ("training_catalogue_remove", lambda s: [], {}),
    ("today_add", lambda s: [], {"link": "digcomp-2.2 2.4", "level": "5"}),
    ("today_remove", lambda s: [], {"framework": "digcomp-2.2", "id": "2.4"}),
    ("today_source", lambda s: [], {"source": "Hacked"}),
    ("competence_delete", competence_c1, {}),
    ("key_factor_remove", factor("F1"), {"reason": "No longer."}),
]
DESK_ACTIONS = rows(
    *(
        Row(
            name,
            DECIDING_ACT,
            args,
            data,
            post_only=name not in ("cross_impacts", "report_chapters", "training_catalogue"),
        )
        for name, args, data in DECISIONS
    ),
    *(Row(name, DECIDED, args, data, published=True) for name, args, data in DECISIONS),
)


def respondent_group(s: Study) -> list[Any]:
    """A group of the study's published self-assessment (its link's token)."""
    SelfAssessment.objects.update_or_create(
        study=s, defaults={"published": True, "competences": ["C1", "C2"]}
    )
    group, _created = RespondentGroup.objects.get_or_create(study=s, code="G1")
    return [group.token]


def group_pk(s: Study) -> list[Any]:
    group, _created = RespondentGroup.objects.get_or_create(study=s, code="G2")
    return [group.pk]


def counted_group(closed: bool, respondents: int, fmt: str) -> Args:
    """A group of the study (smallest group shown: 2) with `respondents` who answered, and a
    download's format."""

    def args(s: Study) -> list[Any]:
        SelfAssessment.objects.update_or_create(
            study=s, defaults={"published": True, "competences": ["C1"], "min_group_size": 2}
        )
        code = f"{'CLOSED' if closed else 'OPEN'}-{respondents}"
        group, created = RespondentGroup.objects.get_or_create(
            study=s, code=code, defaults={"closed": closed}
        )
        for n in range(respondents if created else 0):
            digest = f"{s.pk}-{code}-{n}".ljust(64, "x")
            Respondent.objects.create(group=group, secret_digest=digest, answers={"C1": "1"})
        return [group.pk, fmt]

    return args


def handout_group(closed: bool) -> Args:
    """A group made on the site, open or closed, of the study's published self-assessment."""

    def args(s: Study) -> list[Any]:
        SelfAssessment.objects.update_or_create(
            study=s, defaults={"published": True, "competences": ["C1", "C2"]}
        )
        code = "HANDOUT-CLOSED" if closed else "HANDOUT-OPEN"
        group, _created = RespondentGroup.objects.get_or_create(
            study=s, code=code, defaults={"closed": closed}
        )
        return [group.pk]

    return args


def group_downloads() -> list[Row]:
    """A group's counts as CSV and XLSX: for those who see the page, of a group it shows the
    counts of (closed, at least the smallest group); an open or too small group: none."""
    found = []
    for fmt in ("csv", "xlsx"):
        for after in (False, True):  # before and after the study is published
            shown = RESULTS_PUBLISHED if after else RESULTS
            hidden = HIDDEN_GROUP_PUBLISHED if after else HIDDEN_GROUP
            for rule, label, closed, respondents in (
                (shown, "closed", True, 2),
                (hidden, "open", False, 2),
                (hidden, "small", True, 1),
            ):
                args = counted_group(closed, respondents, fmt)
                found.append(
                    Row(
                        "respondent_group_download",
                        rule,
                        args,
                        label=f"-{label}.{fmt}",
                        published=after,
                    )
                )
    return found


SELF_ASSESSMENT = rows(
    Row("self_assessment", RESULTS),
    Row("self_assessment", RESULTS_PUBLISHED, published=True),
    *group_downloads(),
    # a group's handout to print: its facilitators only, as they manage its groups (a closed
    # group's says so), before and after the study is published
    *(
        Row(
            "respondent_group_handout",
            DECIDING,
            handout_group(closed),
            label="-closed" if closed else "-open",
            published=after,
        )
        for closed in (False, True)
        for after in (False, True)
    ),
    # a group's link: a page with a start button for anyone (it creates nothing)
    Row("respond", PUBLIC, respondent_group, scoped=False),
    Row("respond_question", RESPONDENT, lambda s: [*respondent_group(s), 1], scoped=False),
    Row("respond_result", RESPONDENT, respondent_group, scoped=False),
    Row("respond_result_pdf", RESPONDENT, respondent_group, scoped=False),
)
SELF_ASSESSMENT_DATA = {"competences": ["C1"], "min_group_size": "2", "code": "NEW"}
SELF_ASSESSMENT_ACTIONS = rows(
    *(
        Row(name, DECIDING_ACT, args, SELF_ASSESSMENT_DATA, post_only=True, published=published)
        for name, args in (
            ("self_assessment_publish", lambda s: []),
            ("self_assessment_min_group", lambda s: []),
            ("respondent_group_add", lambda s: []),
            ("respondent_group_close", group_pk),
        )
        for published in (False, True)  # the self-assessment comes after the foresight
    ),
    Row(
        "respond_answer",
        RESPONDENT,
        respondent_group,
        {"competence": "C1", "level": "1"},
        post_only=True,
        scoped=False,
    ),
    Row("respond_leave", LEAVE, respondent_group, post_only=True, scoped=False),
)


def expert_round(step: str, label: str = "") -> Row:
    return Row("expert_answer", EXPERT, open_round_of(step), label=f"-{step}{label}")


EXPERT_PAGES = rows(
    Row("expert_home", EXPERT),
    *(expert_round(step) for step in Round.Step.values),
    Row("expert_matrix_grid", EXPERT, open_round_of("influence")),
    Row("expert_matrix_template", EXPERT, open_round_of("influence")),
    Row("my_personal_data", EXPERT),
    Row("my_personal_data_export", EXPERT),
)
EXPERT_ACTIONS = rows(
    *(
        Row(name, EXPERT_ACT, open_round_of(step), data)
        for name, step, data in [
            ("expert_proposal_add", "proposals", {"title": "x"}),
            ("expert_vote_save", "factor_vote", {"points-F1": "1"}),
            (
                "expert_matrix_cell_save",
                "influence",
                {"source": "F1", "target": "F2", "value": "1"},
            ),
            ("expert_situation_save", "situations", {"factor": "F1", "current": "x"}),
            (
                "expert_hypothesis_vote_save",
                "hypothesis_vote",
                {"hypothesis": "F1-A", "probability": "1"},
            ),
            ("expert_action_add", "actions", {"hypothesis": "F1-B", "text": "x"}),
            ("expert_matrix_confirm", "influence", {"factor": "F1"}),
            ("expert_hypothesis_votes_confirm", "hypothesis_vote", {"factor": "F1"}),
            ("expert_impact_save", "impacts", {"hypothesis": "F1-B", "activities": ["1"]}),
        ]
    ),
    Row("my_erase", EXPERT_ACT),
    Row("expert_return_code", EXPERT_ACT, post_only=True),
    Row("expert_sign_out", EXPERT_ACT, post_only=True),
)


# -- the personas and what they get ---------------------------------------------------------------


@pytest.fixture
def clients(
    study: Study,
    other_study: Study,
    facilitator_client: Client,
    observer_client: Client,
    outsider_client: Client,
    expert_client: Client,
    anonymous_client: Client,
) -> dict[str, Client]:
    co_facilitator = get_user_model().objects.create_user("co-facilitator", password="co-pw-1")
    StudyMember.objects.create(study=study, user=co_facilitator, role=StudyMember.Role.FACILITATOR)
    co_client = Client()
    co_client.force_login(co_facilitator)
    found = {
        "facilitator": facilitator_client,
        "co-facilitator": co_client,
        "observer": observer_client,
        "outsider": outsider_client,
        "expert": expert_client,
        "other expert": expert_client_for(other_study.experts.get(code="E1")),
        "anonymous": anonymous_client,
    }
    assert set(found) == set(PERSONAS)
    return found


def answer(response: Any) -> Answer:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return int(response.status_code)


def state(study: Study) -> Any:
    """Everything an action could change."""
    study.refresh_from_db()
    return (
        study_document(study),  # the export is under fresh pseudonyms: never twice the same
        study.status,
        study.join_code,
        list(study.members.order_by("id").values_list("user_id", "role")),
        list(
            Round.objects.order_by("id").values_list(
                "status", "iteration", "settings", "respondents_only"
            )
        ),
        list(study.factors.order_by("id").values_list("code", "title", "shortlisted")),
        list(Expert.objects.order_by("id").values_list("code", "name")),
        AuditEvent.objects.count(),
        Invitation.objects.count(),
        len(mail.outbox),
        list(PanelSettings.objects.values_list("sectors", "invitation_text")),
        OutboxMessage.objects.count(),
        *(
            model.objects.count()
            for model in (
                FactorProposal,
                FactorPoints,
                InfluenceScore,
                Situation,
                HypothesisVote,
                ActionProposal,
                ImpactProposal,
                SelfAssessment,
                RespondentGroup,
                Respondent,
            )
        ),
        list(SelfAssessment.objects.values_list("published", "competences", "min_group_size")),
        list(RespondentGroup.objects.order_by("id").values_list("code", "closed")),
    )


def check_pages(row: Row, study: Study, other_study: Study, clients: dict[str, Client]) -> None:
    if row.published:
        published(study)
    url = row.url(study)
    got = {persona: answer(clients[persona].get(url)) for persona in PERSONAS}
    assert got == row.rule, url
    if row.rule["facilitator"] == OK and row.scoped:
        # another study's facilitator and a study that does not exist: the same 404
        facilitator = clients["facilitator"]
        assert facilitator.get(row.url(other_study)).status_code == NOT_FOUND
        missing = reverse(f"workshop:{row.name}", args=[999999, *row.args(study)])
        assert facilitator.get(missing).status_code == NOT_FOUND


def check_actions(row: Row, study: Study, clients: dict[str, Client]) -> None:
    if row.published:
        published(study)
    url = row.url(study)
    data = row.post_data(study)
    before = state(study)
    tried = [persona for persona in PERSONAS if row.rule[persona] != SKIP]
    got = {persona: answer(clients[persona].post(url, data)) for persona in tried}
    got_htmx = {persona: answer(clients[persona].post(url, data, **HTMX)) for persona in tried}
    assert got == got_htmx == {persona: row.rule[persona] for persona in tried}, url
    assert state(study) == before, url


# -- one test per family and kind -----------------------------------------------------------------


@pytest.mark.parametrize("row", SETUP)
def test_setup_pages(row: Row, study: Study, other_study: Study, clients: Any) -> None:
    check_pages(row, study, other_study, clients)


@pytest.mark.parametrize("row", SETUP_ACTIONS)
def test_setup_actions(row: Row, study: Study, clients: Any) -> None:
    check_actions(row, study, clients)


@pytest.mark.parametrize("row", PANEL)
def test_panel_pages(row: Row, study: Study, other_study: Study, clients: Any) -> None:
    check_pages(row, study, other_study, clients)


@pytest.mark.parametrize("row", PANEL_ACTIONS)
def test_panel_actions(row: Row, study: Study, clients: Any) -> None:
    check_actions(row, study, clients)


@pytest.mark.parametrize("row", JOINING)
def test_joining_pages(row: Row, study: Study, other_study: Study, clients: Any) -> None:
    check_pages(row, study, other_study, clients)


@pytest.mark.parametrize("row", ROUNDS)
def test_rounds_pages(row: Row, study: Study, other_study: Study, clients: Any) -> None:
    check_pages(row, study, other_study, clients)


@pytest.mark.parametrize("row", ROUNDS_ACTIONS)
def test_rounds_actions(row: Row, study: Study, clients: Any) -> None:
    check_actions(row, study, clients)


@pytest.mark.parametrize("row", DESK)
def test_desk_pages(row: Row, study: Study, other_study: Study, clients: Any) -> None:
    check_pages(row, study, other_study, clients)


@pytest.mark.parametrize("row", DESK_ACTIONS)
def test_desk_actions(row: Row, study: Study, clients: Any) -> None:
    check_actions(row, study, clients)


@pytest.mark.parametrize("row", REPORT_ACTIONS)
def test_report_actions(row: Row, study: Study, clients: Any) -> None:
    check_actions(row, study, clients)


@pytest.mark.parametrize("row", REPORT_DOWNLOADS)
def test_report_downloads(row: Row, study: Study, other_study: Study, clients: Any) -> None:
    if row.published:
        published(study)
    made = request_report(study, row.args(study)[0])  # the file exists: only who asks differs
    assert made.status == ReportFile.Status.READY
    check_pages(row, study, other_study, clients)


@pytest.mark.parametrize("row", EXPERT_PAGES)
def test_expert_pages(row: Row, study: Study, other_study: Study, clients: Any) -> None:
    check_pages(row, study, other_study, clients)


@pytest.mark.parametrize("row", EXPERT_ACTIONS)
def test_expert_actions(row: Row, study: Study, clients: Any) -> None:
    check_actions(row, study, clients)


@pytest.mark.parametrize("row", SELF_ASSESSMENT)
def test_self_assessment_pages(row: Row, study: Study, other_study: Study, clients: Any) -> None:
    check_pages(row, study, other_study, clients)


@pytest.mark.parametrize("row", SELF_ASSESSMENT_ACTIONS)
def test_self_assessment_actions(row: Row, study: Study, clients: Any) -> None:
    check_actions(row, study, clients)


ACTIONS = [*SETUP_ACTIONS, *PANEL_ACTIONS, *ROUNDS_ACTIONS, *DESK_ACTIONS, *REPORT_ACTIONS]
ACTIONS += [*SELF_ASSESSMENT_ACTIONS]


@pytest.mark.parametrize(
    "row", [p for p in ACTIONS if p.values[0].post_only and not p.values[0].published]
)
def test_actions_take_only_post(row: Row, study: Study, facilitator_client: Client) -> None:
    url = row.url(study)  # its arguments may make what they name
    before = state(study)
    assert facilitator_client.get(url).status_code == 405
    assert state(study) == before


# -- the tables cover what the former copies of these tests covered -------------------------------

FORMERLY_COVERED = {
    # the persona tests of test_setup, test_panel, test_rounds, test_desk_access, test_expert
    *[
        "study_edit",
        "study_export",
        "perimeter",
        "factors",
        "members",
        "audit",
        "study_publish",
        "study_reopen",
    ],
    *["activity_add", "activity_edit", "activity_delete", "activity_move", "task_add", "task_edit"],
    *["task_delete", "task_move", "factor_add", "factor_edit", "factor_delete", "factor_move"],
    *[
        "member_add",
        "member_role",
        "member_remove",
        "panel",
        "expert_add",
        "expert_edit",
        "expert_remove",
    ],
    *[
        "expert_invite",
        "join_code_renew",
        "panel_remind",
        "rounds",
        "round_create",
        "round_progress",
    ],
    *["proposals", "proposals_factor_edit", "shortlist", "round_settings_edit", "round_open"],
    *[
        "round_close",
        "round_reopen",
        "round_next_iteration",
        "proposals_merge",
        "shortlist_confirm",
    ],
    *["desk", "results_vote", "results_structure", "results_hypotheses", "results_impacts"],
    *["results_map", "results_iterations", "results_download", "key_factors", "factor_decisions"],
    *[
        "action_plan",
        "impacts_table",
        "cross_impacts",
        "decisions_log",
        "projector",
        "projector_panel",
    ],
    *(name for name, _args, _data in DECISIONS),
    *["expert_home", "expert_answer", "expert_matrix_grid", "expert_matrix_template"],
    *["expert_proposal_add", "expert_vote_save", "expert_matrix_cell_save"],
    *["expert_situation_save", "expert_hypothesis_vote_save", "expert_action_add"],
    "expert_impact_save",
}


def test_the_tables_cover_every_url_the_former_copies_covered() -> None:
    tables = [SETUP, SETUP_ACTIONS, PANEL, PANEL_ACTIONS, JOINING, ROUNDS, ROUNDS_ACTIONS, DESK]
    tables += [DESK_ACTIONS, EXPERT_PAGES, EXPERT_ACTIONS, SELF_ASSESSMENT, SELF_ASSESSMENT_ACTIONS]
    covered = {param.values[0].name for table in tables for param in table}
    assert covered >= FORMERLY_COVERED, sorted(FORMERLY_COVERED - covered)
    joining = {"join", "join_back", "invitation", "expert_merge"}
    joining |= {"expert_sign_out", "expert_return_code"}
    assert covered >= joining, sorted(joining - covered)
