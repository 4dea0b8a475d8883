"""Readable tables of analysis results on the terminal (rich).

Headings and sentences follow the study's language (French by default, English), from the
package's gettext catalogue: each printed sentence is one message with named placeholders,
so that the translation decides its word order and punctuation (French puts a no-break space
before a colon). Numbers and the method's codes (quadrants, stop reasons, simulated parts)
are written by :mod:`anticipe.presentation`; the study's own texts are shown as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from anticipe.i18n import translator
from anticipe.presentation import (
    MISSING,
    concordance_gap_label,
    display_title,
    general,
    indirect_method_label,
    integer,
    number,
    p_value,
    quadrant_label,
    simulated_part_label,
    stop_reason_label,
)
from anticipe.study.minimum import withheld


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _number(value: float | None, language: str, digits: int = 2) -> str:
    """A figure of a table: `digits` decimals at most, trailing zeros dropped."""
    return number(value, language, digits, strip_zeros=True)


def _concordance_line(result: dict[str, Any] | None, language: str) -> str:
    """Kendall's W of the experts with its test, or why it cannot be computed."""
    _ = translator(language).gettext
    if not result or result.get("w") is None:
        reason = concordance_gap_label(result["m"], result["n"], language) if result else MISSING
        return _("Experts' concordance (Kendall's W): {missing} ({reason})").format(
            missing=MISSING, reason=reason
        )
    return _(
        "Experts' concordance (Kendall's W): W = {w}, χ²({dof}) = {chi2}, {p} (m = {m}, n = {n})"
    ).format(
        w=number(result["w"], language, 3),
        dof=result["dof"],
        chi2=number(result["chi2"], language, 2),
        p=p_value(result["p_value"], language, 4),
        m=result["m"],
        n=result["n"],
    )


def _table(title: str, headings: list[str], **options: Any) -> Table:
    table = Table(title=title, title_justify="left", **options)
    for heading in headings:
        table.add_column(heading, overflow="fold")
    return table


def print_factor_vote(
    result: Mapping[str, Any], *, titles: dict[str, str], language: str = "fr"
) -> None:
    """The ranked factors with points, support and the shortlist."""
    _ = translator(language).gettext
    console = _console()
    shortlist = result.get("shortlist") or {}
    selected = set(shortlist.get("selected", []))
    tied = set(shortlist.get("tied_at_cut", []))
    table = _table(
        _("Weighted vote on the change factors"),
        [_("Rank"), _("Factor"), _("Points"), _("Experts"), _("Kept")],
    )
    for item in result["ranking"]:
        code = item["factor"]
        rank = f"{item['rank']}{'=' if item['tied'] else ''}"
        mark = "✓" if code in selected else ("?" if code in tied else "")
        label = f"{code} {titles[code]}" if code in titles else code
        points = _number(item["points"], language)
        table.add_row(rank, label, points, str(item["support"]), mark)
    console.print(table)
    if tied and not shortlist.get("decided", True):
        factors = ", ".join(sorted(tied))
        console.print(
            _("Tie at the cut: the panel must decide between {factors}").format(factors=factors)
        )
    console.print(_concordance_line(result.get("concordance"), language))
    console.print()


def _quadrant_cell(direct: dict[str, Any], code: str, selected: bool, language: str) -> str:
    quadrant = quadrant_label(direct["quadrant"][code], language)
    if direct["borderline"][code]:
        borderline = translator(language).pgettext("command line", "{quadrant} (borderline)")
        quadrant = borderline.format(quadrant=quadrant)
    return f"[bold]{quadrant} ✓[/bold]" if selected else quadrant


def print_structural(
    structural: Mapping[str, Any],
    spread: Mapping[str, Any] | None,
    *,
    titles: dict[str, str],
    language: str = "fr",
) -> None:
    """Influence, dependence, quadrant, indirect rank and bootstrap selection probability."""
    _ = translator(language).gettext
    console = _console()
    direct, indirect = structural["direct"], structural["indirect"]
    bootstrap = (spread or {}).get("bootstrap") or {}
    probability = bootstrap.get("selection_probability", {})
    selected = set(structural["selection"]["selected"])
    table = _table(
        _("Structural analysis (MICMAC): direct influence and dependence"),
        [
            _("Factor"),
            _("Influence"),
            _("Dependence"),
            _("Quadrant"),
            _("Indirect rank infl./dep."),
            _("P(selected)"),
        ],
    )
    order = sorted(
        structural["factors"],
        key=lambda code: (-direct["influence"][code] + direct["dependence"][code], code),
    )
    for code in order:
        table.add_row(
            code,
            _number(direct["influence"][code], language),
            _number(direct["dependence"][code], language),
            _quadrant_cell(direct, code, code in selected, language),
            f"{indirect['influence_rank'][code]} / {indirect['dependence_rank'][code]}",
            number(probability.get(code), language, 2),
        )
    console.print(table)
    _print_structural_notes(structural, spread, language)
    console.print()


def _print_structural_notes(
    structural: Mapping[str, Any], spread: Mapping[str, Any] | None, language: str
) -> None:
    """The split lines, how the indirect classification stopped, the experts' concordance
    and the bootstrap's parameters."""
    _ = translator(language).gettext
    console = _console()
    means, indirect = structural["direct"]["means"], structural["indirect"]
    console.print(
        _("Means (split lines): Influence {influence}, Dependence {dependence}").format(
            influence=number(means["influence"], language),
            dependence=number(means["dependence"], language),
        )
    )
    console.print(
        _("Indirect classification: {method}, M^{power} ({stop_reason})").format(
            method=indirect_method_label(indirect["method"], language),
            power=indirect["power"],
            stop_reason=stop_reason_label(indirect["stop_reason"], language),
        )
    )
    if spread and spread.get("concordance"):
        console.print(_concordance_line(spread["concordance"]["kendall"], language))
    bootstrap = (spread or {}).get("bootstrap")
    if bootstrap:
        parameters = bootstrap["parameters"]
        console.print(
            _("Bootstrap: B = {resamples}, seed = {seed}").format(
                resamples=parameters["n_resamples"], seed=parameters["seed"]
            )
        )


def _print_heading(study: dict[str, Any], language: str) -> None:
    """The study's title, horizon, source and which answers are simulated."""
    _ = translator(language).gettext
    console = _console()
    console.rule("[bold]" + _("Study: {title}").format(title=study["job"]["title"]) + "[/bold]")
    horizon = study.get("horizon")
    if horizon:
        years = {"start": horizon.get("years_min", "?"), "end": horizon.get("years_max", "?")}
        if horizon.get("label"):
            line = _("Horizon: {start}–{end} ({label})").format(label=horizon["label"], **years)
        else:
            line = _("Horizon: {start}–{end}").format(**years)
        console.print(line)
    source = study.get("source")
    if source and source.get("citation"):
        console.print(_("Source: {citation}").format(citation=source["citation"]))
    simulation = study.get("simulation")
    if simulation:
        parts = ", ".join(simulated_part_label(part, language) for part in simulation["simulated"])
        console.print(_("Simulated answers: {parts}").format(parts=parts), style="bold")
    console.print()


def _print_key_factors(key_factors: list[dict[str, Any]], language: str) -> None:
    _ = translator(language).gettext
    console = _console()
    origins = {"selection": _("selection"), "addition": _("addition")}
    console.print("[bold]" + _("Key factors") + "[/bold]")
    for index, key in enumerate(key_factors, start=1):
        origin = origins[key["origin"]] if key["decided"] else _("proposal (not confirmed)")
        reason = f" — {key['reason']}" if key.get("reason") else ""
        console.print(f"{index:>3}. {key['code']} {key['title']} ({origin}){reason}")
    console.print()


def print_study_analysis(study: dict[str, Any], result: Mapping[str, Any]) -> None:
    """Every result of :func:`anticipe.study.analysis.analyse_study`, step by step."""
    language = study.get("language", "fr")
    titles = {factor["code"]: display_title(factor) for factor in study["factors"]}
    _print_heading(study, language)
    _ = translator(language).gettext
    if result["factor_vote"]:
        print_factor_vote(result["factor_vote"], titles=titles, language=language)
    elif (ballots := withheld(result, "factor_vote")) is not None:
        _console().print(
            _(
                "Weighted vote: no ranking, {ballots} ballots are fewer than the minimum "
                "number of answers ({minimum})."
            ).format(ballots=ballots[0], minimum=ballots[1])
        )
    if result["structural_analysis"]:
        print_structural(
            result["structural_analysis"],
            result["disagreement"],
            titles=titles,
            language=language,
        )
    elif (matrices := withheld(result, "structural_analysis")) is not None:
        _console().print(
            _(
                "Structural analysis: none, {experts} matrices are fewer than the minimum "
                "number of answers ({minimum})."
            ).format(experts=matrices[0], minimum=matrices[1])
        )
    if result["key_factors"]:
        _print_key_factors(result["key_factors"], language)
    if result["hypotheses"]:
        _print_hypotheses(result["hypotheses"], language)
    _print_scenario(result["scenario"], language)
    if result["impacts"]:
        _print_impacts(study, result["impacts"], language)


def _vote_cell(statistics: dict[str, Any] | None, language: str) -> str:
    if not statistics or statistics.get("median") is None:
        return MISSING
    median = _number(statistics["median"], language, 1)
    q1, q3 = _number(statistics["q1"], language), _number(statistics["q3"], language)
    return f"{median} [{q1}–{q3}]"


def _marks(row: dict[str, Any], language: str) -> str:
    t = translator(language)
    marks = []
    if row["most_probable"]:
        marks.append(t.pgettext("command line", "most probable"))
    if row["most_desirable"]:
        marks.append(t.pgettext("command line", "most desirable"))
    if row["retained"]:
        marks.append("[bold]" + t.gettext("RETAINED") + "[/bold]")
    return ", ".join(marks)


def _print_hypotheses(items: list[dict[str, Any]], language: str) -> None:
    _ = translator(language).gettext
    table = _table(
        _("Evolution hypotheses — median [Q1–Q3]"),
        [_("Factor"), _("Hypothesis"), _("Probability"), _("Desirability"), _("Marks")],
        show_lines=True,
    )
    for item in items:
        for position, row in enumerate(item["hypotheses"]):
            text = row["text"] if len(row["text"]) <= 60 else row["text"][:57] + "…"
            table.add_row(
                item["factor"] if position == 0 else "",
                f"{row['label']}. {text}",
                _vote_cell(row["probability"], language),
                _vote_cell(row["desirability"], language),
                _marks(row, language),
            )
    _console().print(table)
    _console().print()


def _consistency_line(consistency: dict[str, Any], language: str) -> str:
    """Whether the retained scenario is consistent, with its scores and what breaks it
    (a scenario is inconsistent exactly when some factor breaks it)."""
    _ = translator(language).gettext
    values = {
        "inconsistency": general(consistency["inconsistency"], language),
        "score": general(consistency["total_impact_score"], language),
    }
    if consistency["consistent"]:
        return _(
            "Coherence (cross-impact balance): consistent (inconsistency {inconsistency}, "
            "total impact score {score})"
        ).format(**values)
    return _(
        "Coherence (cross-impact balance): inconsistent (inconsistency {inconsistency}, "
        "total impact score {score}); factors that break it: {factors}"
    ).format(factors=", ".join(consistency["inconsistent_descriptors"]), **values)


def _print_scenario(scenario: dict[str, Any], language: str) -> None:
    t = translator(language)
    console = _console()
    if not scenario["retained"]:
        return
    console.print("[bold]" + t.gettext("Retained evolution scenario") + "[/bold]")
    for item in scenario["retained"]:
        retained = t.pgettext("command line", "{factor}: {hypothesis}")
        console.print(
            "  " + retained.format(factor=item["factor"], hypothesis=item["hypothesis"] or MISSING)
        )
    coherence = scenario["coherence"]
    if coherence is None:
        console.print(
            t.gettext(
                "Coherence (cross-impact balance): no cross-impacts entered, coherence not checked"
            )
        )
    else:
        if coherence["consistency"] is not None:
            console.print(_consistency_line(coherence["consistency"], language))
        count = len(coherence["consistent_scenarios"])
        found = t.ngettext(
            "{count} consistent scenario in the space ({space})",
            "{count} consistent scenarios in the space ({space})",
            count,
        )
        space = integer(coherence["search"]["scenario_count"], language)
        console.print(found.format(count=count, space=space))
    console.print()


def _print_impacts(study: dict[str, Any], impacts: dict[str, Any], language: str) -> None:
    _ = translator(language).gettext
    titles = {a["code"]: a["title"] for a in study["perimeter"]["activities"]}
    table = Table(title=_("Impacts on activities"), title_justify="left")
    table.add_column(_("Activity"), overflow="fold")
    table.add_column(_("Hypotheses"), justify="right")
    table.add_column(_("Hypothesis"), overflow="fold")
    for item in impacts["activity_ranking"]:
        code = item["activity"]
        detail = next(a for a in impacts["activity_counts"] if a["activity"] == code)
        table.add_row(
            f"{code}. {titles.get(code, code)}", str(item["count"]), ", ".join(detail["hypotheses"])
        )
    _console().print(table)
