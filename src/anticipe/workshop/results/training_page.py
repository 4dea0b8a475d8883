"""The training-needs page: for each need of the job's competence profile, the level the job
expects, the modules of the study's catalogue that cover it and the needs no module covers
(:func:`anticipe.study.training_needs.training_needs`, the one definition); for a group of
the self-assessment, the share of the group below the expected level, the needs sorted by
it; and what the profile adds to today's profile of the job. Its tables are downloaded as
CSV/XLSX."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from anticipe.i18n import language_or_default
from anticipe.presentation import EN_DASH, percent, percent_number
from anticipe.report.training import new_headers, new_rows
from anticipe.study.profile import competence_profile
from anticipe.study.training_needs import (
    TrainingNeeds,
    WhatIsNew,
    expected_text,
    modules_text,
    what_is_new,
)
from anticipe.study.training_needs import training_needs as needs_table
from anticipe.workshop.results.cache import StudyResults
from anticipe.workshop.results.tables import Table


def groups_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The self-assessment's groups the study file carries (code, label, respondents)."""
    return list((document.get("self_assessment") or {}).get("groups", []))


def training_page(
    results: StudyResults,
    group: str | None = None,
    self_assessment: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The page's needs (for `group` when it is one of the study's), what is new, tables.
    `self_assessment` is the study file's block of the study's groups (the analysis's
    document leaves it out: closing a group does not change the analysis)."""
    lang = language_or_default(get_language() or "fr")
    retained = [
        r["hypothesis"] for r in results.analysis["scenario"]["retained"] if r["hypothesis"]
    ]
    document = results.document
    if self_assessment is not None:
        document = {**document, "self_assessment": self_assessment}
    profile = competence_profile(document, retained, lang)
    groups = groups_of(document)
    chosen = group if group in {g["code"] for g in groups} else None
    needs = needs_table(document, profile, chosen, lang)
    new = what_is_new(document, profile, lang)
    rows = [
        {
            **r,
            "expected_text": expected_text(r["expected"]),
            "below_text": percent(r["below"], lang, missing=EN_DASH),
        }
        for r in needs["rows"]
    ]
    tables = [needs_table_of(needs)] if document.get("training_catalogue") else []
    if new is not None:
        tables.append(new_table(new, lang))
    return {
        "catalogue": document.get("training_catalogue"),
        "modules": (document.get("training_catalogue") or {}).get("modules", []),
        "needs": needs,
        "rows": rows,
        "not_covered": [r for r in rows if not r["covered"]],
        "groups": groups,
        "group": chosen,
        "new": new,
        "tables": tables,
    }


def needs_table_of(needs: TrainingNeeds) -> Table:
    """The needs as a table of the downloads (the share below as a rounded percentage)."""
    headers = [
        _("code"),
        _("competence"),
        _("retained hypotheses naming it"),
        _("level expected"),
        _("covered"),
        _("modules"),
    ]
    group = needs["group"] is not None
    if group:
        headers += [_("share below the expected level (%)"), _("placed themselves on a level")]
    rows: list[list[Any]] = []
    for r in needs["rows"]:
        row: list[Any] = [
            r["code"],
            r["text"],
            r["strength"],
            expected_text(r["expected"]),
            _("yes") if r["covered"] else _("not covered"),
            modules_text(r),
        ]
        if group:
            row += [percent_number(r["below"]), r["answered"]]
        rows.append(row)
    title = _("Training needs")
    if needs["group"] is not None:
        title += f" – {needs['group']['label'] or needs['group']['code']}"
    if needs["simulated"]:
        title += " " + _("(simulated)")
    return Table("training-needs", title, headers, rows)


def new_table(new: WhatIsNew, lang: str) -> Table:
    """What the profile adds to today's: new areas, new competences, raised levels (the
    report's rows: :func:`anticipe.report.training.new_rows`)."""
    return Table(
        "new",
        _("What is new compared with today's profile"),
        new_headers(lang),
        [list(row) for row in new_rows(new, lang)],
    )


__all__ = ["groups_of", "new_table", "training_page"]
