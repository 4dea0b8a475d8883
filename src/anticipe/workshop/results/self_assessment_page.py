"""A self-assessment group's counts as the tables of a download (CSV/XLSX): what the
facilitator's page shows of a group, and nothing more.

The group is one the page shows counts of (closed, with at least the study's smallest group:
:func:`anticipe.workshop.self_assessment.shown_group`); its aggregate is the page's
(:func:`anticipe.study.self_assessment.aggregate`): a competence fewer than the minimum
answered is withheld — its counts left out, the page's sentence in their place. Three tables:

- the group: its code, label, respondents, state (closed, or imported from a study file),
  the smallest group shown, and whether its answers are simulated (first, so that a CSV
  opens with it: a simulated group is said on the file's first lines);
- per competence: the level expected, how many placed themselves below it and on a level,
  the share below (a percentage rounded to one decimal, as the training-needs download),
  "I don't know";
- per competence and level (lowest first), the respondents, and whether the level is below
  the one expected.

The tables' titles say "(simulated)" for a simulated group, as the page's caption does.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anticipe.presentation import percent_number
from anticipe.workshop.results.tables import Table
from anticipe.workshop.self_assessment import GroupView


def _titled(title: str, simulated: bool) -> str:
    return f"{title} {_('(simulated)')}" if simulated else title


def group_tables(view: GroupView) -> list[Table]:
    """The tables of a group whose counts are shown (`view.results` set; `view.minimum`, the
    study's smallest group shown: see the module's description)."""
    group, results, minimum = view.group, view.results, view.minimum
    if results is None:
        raise ValueError(f"the counts of the group {group.code!r} are not shown")
    simulated = group.simulated
    about = Table(
        "group",
        _titled(_("Self-assessment group"), simulated),
        [
            _("group code"),
            pgettext("self-assessment group", "label"),
            _("respondents"),
            pgettext("self-assessment group", "state"),
            _("smallest group shown"),
            _("simulated answers"),
        ],
        [
            [
                group.code,
                group.label,
                view.respondents,
                _("imported from a study file") if group.imported else _("closed"),
                minimum,
                simulated,
            ]
        ],
    )
    withheld = _("fewer than %(minimum)s answered: not shown") % {"minimum": minimum}
    shares: list[list[Any]] = []
    levels: list[list[Any]] = []
    for c in results["competences"]:
        head = [c["competence"], c["text"], c["framework_name"], c["framework_competence"]]
        if c["withheld"]:
            shares.append([*head, c["expected_title"], None, None, None, None, withheld])
            continue
        shares.append(
            [
                *head,
                c["expected_title"],
                c["below"],
                c["placed"],
                percent_number(c["share_below"]),
                c["dont_know"],
                "",
            ]
        )
        levels += [
            [c["competence"], c["text"], level["title"], level["count"], level["below"]]
            for level in c["levels"]
        ]
    return [
        about,
        Table(
            "competences",
            _titled(
                _("Distribution per competence and share below the level the job expects"),
                simulated,
            ),
            [
                _("code"),
                _("competence"),
                _("framework"),
                _("framework competence"),
                _("level expected"),
                _("below the level expected"),
                _("placed themselves on a level"),
                _("share below the expected level (%)"),
                _("I don't know"),
                pgettext("self-assessment group", "note"),
            ],
            shares,
        ),
        Table(
            "levels",
            _titled(_("Respondents per level (lowest first)"), simulated),
            [
                _("code"),
                _("competence"),
                pgettext("self-assessment scale", "level"),
                _("respondents"),
                _("below the level expected"),
            ],
            levels,
        ),
    ]


__all__ = ["group_tables"]
