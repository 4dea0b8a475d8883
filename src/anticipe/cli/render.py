"""Readable tables of analysis results on the terminal (rich).

Headings follow the study's language (French by default, English); the study's own
texts are shown as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from anticipe.study.analysis import factor_title

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "study": "Étude",
        "horizon": "Horizon",
        "source": "Source",
        "simulated": "Réponses simulées",
        "vote": "Vote pondéré sur les facteurs de changement",
        "rank": "Rang",
        "factor": "Facteur",
        "points": "Points",
        "support": "Experts",
        "kept": "Retenu",
        "tie_at_cut": "Égalité à la limite : le panel doit départager",
        "concordance": "Concordance des experts (W de Kendall)",
        "structural": "Analyse structurelle (MICMAC) : influence et dépendance directes",
        "influence": "Influence",
        "dependence": "Dépendance",
        "quadrant": "Quadrant",
        "indirect": "Rang indirect infl./dép.",
        "p_selected": "P(sélection)",
        "means": "Moyennes (lignes de partage)",
        "indirect_method": "Classement indirect",
        "key_factors": "Facteurs clés",
        "selection": "sélection",
        "addition": "ajout",
        "proposal": "proposition (non confirmée)",
        "hypotheses": "Hypothèses d'évolution",
        "hypothesis": "Hypothèse",
        "probability": "Probabilité",
        "desirability": "Souhaitabilité",
        "marks": "Repères",
        "most_probable": "+ probable",
        "most_desirable": "+ souhaitable",
        "retained": "RETENUE",
        "scenario": "Scénario d'évolution retenu",
        "coherence": "Cohérence (équilibre des impacts croisés)",
        "consistent": "cohérent",
        "inconsistent": "incohérent",
        "no_cross_impacts": "pas d'impacts croisés saisis : cohérence non vérifiée",
        "breaks": "facteurs en cause",
        "consistent_count": "scénarios cohérents dans l'espace",
        "impacts": "Impacts sur les activités",
        "activity": "Activité",
        "count": "Hypothèses",
        "driving": "moteur",
        "relay": "relais",
        "dependent": "dépendant",
        "autonomous": "autonome",
        "borderline": "limite",
        "none": "—",
    },
    "en": {
        "study": "Study",
        "horizon": "Horizon",
        "source": "Source",
        "simulated": "Simulated answers",
        "vote": "Weighted vote on the change factors",
        "rank": "Rank",
        "factor": "Factor",
        "points": "Points",
        "support": "Experts",
        "kept": "Kept",
        "tie_at_cut": "Tie at the cut: the panel must decide",
        "concordance": "Experts' concordance (Kendall's W)",
        "structural": "Structural analysis (MICMAC): direct influence and dependence",
        "influence": "Influence",
        "dependence": "Dependence",
        "quadrant": "Quadrant",
        "indirect": "Indirect rank infl./dep.",
        "p_selected": "P(selected)",
        "means": "Means (split lines)",
        "indirect_method": "Indirect classification",
        "key_factors": "Key factors",
        "selection": "selection",
        "addition": "addition",
        "proposal": "proposal (not confirmed)",
        "hypotheses": "Evolution hypotheses",
        "hypothesis": "Hypothesis",
        "probability": "Probability",
        "desirability": "Desirability",
        "marks": "Marks",
        "most_probable": "most probable",
        "most_desirable": "most desirable",
        "retained": "RETAINED",
        "scenario": "Retained evolution scenario",
        "coherence": "Coherence (cross-impact balance)",
        "consistent": "consistent",
        "inconsistent": "inconsistent",
        "no_cross_impacts": "no cross-impacts entered: coherence not checked",
        "breaks": "factors that break it",
        "consistent_count": "consistent scenarios in the space",
        "impacts": "Impacts on activities",
        "activity": "Activity",
        "count": "Hypotheses",
        "driving": "driving",
        "relay": "relay",
        "dependent": "dependent",
        "autonomous": "autonomous",
        "borderline": "borderline",
        "none": "—",
    },
}


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def _number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


def _concordance_line(result: dict[str, Any] | None, label: str) -> str:
    if not result or result.get("w") is None:
        reason = (result or {}).get("reason") or "—"
        return f"{label}: — ({reason})"
    return (
        f"{label}: W = {result['w']:.3f}, χ²({result['dof']}) = {result['chi2']:.2f}, "
        f"p = {result['p_value']:.4f} (m = {result['m']}, n = {result['n']})"
    )


def print_factor_vote(
    result: Mapping[str, Any], *, titles: dict[str, str], language: str = "fr"
) -> None:
    """The ranked factors with points, support and the shortlist."""
    words = LABELS[language]
    console = _console()
    shortlist = result.get("shortlist") or {}
    selected = set(shortlist.get("selected", []))
    tied = set(shortlist.get("tied_at_cut", []))
    table = Table(title=words["vote"], title_justify="left")
    for heading in (
        words["rank"],
        words["factor"],
        words["points"],
        words["support"],
        words["kept"],
    ):
        table.add_column(heading, overflow="fold")
    for item in result["ranking"]:
        code = item["factor"]
        rank = f"{item['rank']}{'=' if item['tied'] else ''}"
        mark = "✓" if code in selected else ("?" if code in tied else "")
        label = f"{code} {titles[code]}" if code in titles else code
        table.add_row(rank, label, _number(item["points"]), str(item["support"]), mark)
    console.print(table)
    if tied and not shortlist.get("decided", True):
        console.print(f"{words['tie_at_cut']}: {', '.join(sorted(tied))}")
    console.print(_concordance_line(result.get("concordance"), words["concordance"]))
    console.print()


def print_structural(
    structural: Mapping[str, Any],
    spread: Mapping[str, Any] | None,
    *,
    titles: dict[str, str],
    language: str = "fr",
) -> None:
    """Influence, dependence, quadrant, indirect rank and bootstrap selection probability."""
    words = LABELS[language]
    console = _console()
    direct, indirect = structural["direct"], structural["indirect"]
    bootstrap = (spread or {}).get("bootstrap") or {}
    probability = bootstrap.get("selection_probability", {})
    selected = set(structural["selection"]["selected"])
    table = Table(title=words["structural"], title_justify="left")
    for heading in (
        words["factor"],
        words["influence"],
        words["dependence"],
        words["quadrant"],
        words["indirect"],
        words["p_selected"],
    ):
        table.add_column(heading, overflow="fold")
    order = sorted(
        structural["factors"],
        key=lambda code: (-direct["influence"][code] + direct["dependence"][code], code),
    )
    for code in order:
        quadrant = words[direct["quadrant"][code]]
        if direct["borderline"][code]:
            quadrant += f" ({words['borderline']})"
        if code in selected:
            quadrant = f"[bold]{quadrant} ✓[/bold]"
        table.add_row(
            code,
            _number(direct["influence"][code]),
            _number(direct["dependence"][code]),
            quadrant,
            f"{indirect['influence_rank'][code]} / {indirect['dependence_rank'][code]}",
            f"{probability[code]:.2f}" if code in probability else words["none"],
        )
    console.print(table)
    means = direct["means"]
    console.print(
        f"{words['means']}: {words['influence']} {means['influence']:.2f}, "
        f"{words['dependence']} {means['dependence']:.2f}"
    )
    console.print(
        f"{words['indirect_method']}: {indirect['method']}, M^{indirect['power']} "
        f"({indirect['stop_reason']})"
    )
    if spread and spread.get("concordance"):
        console.print(_concordance_line(spread["concordance"]["kendall"], words["concordance"]))
    if bootstrap:
        parameters = bootstrap["parameters"]
        console.print(f"Bootstrap: B = {parameters['n_resamples']}, seed = {parameters['seed']}")
    console.print()


def print_study_analysis(study: dict[str, Any], result: Mapping[str, Any]) -> None:
    """Every result of :func:`anticipe.study.analysis.analyse_study`, step by step."""
    language = study.get("language", "fr")
    words = LABELS[language]
    console = _console()
    titles = {factor["code"]: factor_title(factor) for factor in study["factors"]}
    console.rule(f"[bold]{words['study']} : {study['job']['title']}[/bold]")
    horizon = study.get("horizon")
    if horizon:
        console.print(
            f"{words['horizon']}: {horizon.get('years_min', '?')}–{horizon.get('years_max', '?')} "
            f"({horizon.get('label', '')})"
        )
    source = study.get("source")
    if source and source.get("citation"):
        console.print(f"{words['source']}: {source['citation']}")
    simulation = study.get("simulation")
    if simulation:
        console.print(f"[bold]{words['simulated']}[/bold]: {', '.join(simulation['simulated'])}")
    console.print()

    if result["factor_vote"]:
        print_factor_vote(result["factor_vote"], titles=titles, language=language)
    if result["structural_analysis"]:
        print_structural(
            result["structural_analysis"],
            result["disagreement"],
            titles=titles,
            language=language,
        )
    if result["key_factors"]:
        console.print(f"[bold]{words['key_factors']}[/bold]")
        for index, key in enumerate(result["key_factors"], start=1):
            origin = words[key["origin"]] if key["decided"] else words["proposal"]
            reason = f" — {key['reason']}" if key.get("reason") else ""
            console.print(f"{index:>3}. {key['code']} {key['title']} ({origin}){reason}")
        console.print()
    if result["hypotheses"]:
        _print_hypotheses(result["hypotheses"], words)
    _print_scenario(result["scenario"], words, titles)
    if result["impacts"]:
        _print_impacts(study, result["impacts"], words)


def _vote_cell(statistics: dict[str, Any] | None) -> str:
    if not statistics or statistics.get("median") is None:
        return "—"
    return (
        f"{_number(statistics['median'], 1)} "
        f"[{_number(statistics['q1'], 2)}–{_number(statistics['q3'], 2)}]"
    )


def _print_hypotheses(items: list[dict[str, Any]], words: dict[str, str]) -> None:
    console = _console()
    table = Table(
        title=f"{words['hypotheses']} — médiane [Q1–Q3]"
        if words is LABELS["fr"]
        else f"{words['hypotheses']} — median [Q1–Q3]",
        title_justify="left",
        show_lines=True,
    )
    for heading in (
        words["factor"],
        words["hypothesis"],
        words["probability"],
        words["desirability"],
        words["marks"],
    ):
        table.add_column(heading, overflow="fold")
    for item in items:
        for position, row in enumerate(item["hypotheses"]):
            marks = []
            if row["most_probable"]:
                marks.append(words["most_probable"])
            if row["most_desirable"]:
                marks.append(words["most_desirable"])
            if row["retained"]:
                marks.append(f"[bold]{words['retained']}[/bold]")
            text = row["text"] if len(row["text"]) <= 60 else row["text"][:57] + "…"
            table.add_row(
                item["factor"] if position == 0 else "",
                f"{row['label']}. {text}",
                _vote_cell(row["probability"]),
                _vote_cell(row["desirability"]),
                ", ".join(marks),
            )
    console.print(table)
    console.print()


def _print_scenario(
    scenario: dict[str, Any], words: dict[str, str], titles: dict[str, str]
) -> None:
    console = _console()
    if not scenario["retained"]:
        return
    console.print(f"[bold]{words['scenario']}[/bold]")
    for item in scenario["retained"]:
        console.print(f"  {item['factor']}: {item['hypothesis'] or words['none']}")
    coherence = scenario["coherence"]
    if coherence is None:
        console.print(f"{words['coherence']}: {words['no_cross_impacts']}")
    else:
        consistency = coherence["consistency"]
        if consistency is not None:
            verdict = words["consistent"] if consistency["consistent"] else words["inconsistent"]
            line = (
                f"{words['coherence']}: {verdict} (inconsistency {consistency['inconsistency']:g}, "
                f"total impact score {consistency['total_impact_score']:g})"
            )
            if consistency["inconsistent_descriptors"]:
                line += f"; {words['breaks']}: {', '.join(consistency['inconsistent_descriptors'])}"
            console.print(line)
        search = coherence["search"]
        console.print(
            f"{len(coherence['consistent_scenarios'])} {words['consistent_count']} "
            f"({search['scenario_count']:,})".replace(",", " ")
        )
    console.print()


def _print_impacts(study: dict[str, Any], impacts: dict[str, Any], words: dict[str, str]) -> None:
    console = _console()
    titles = {a["code"]: a["title"] for a in study["perimeter"]["activities"]}
    table = Table(title=words["impacts"], title_justify="left")
    table.add_column(words["activity"], overflow="fold")
    table.add_column(words["count"], justify="right")
    table.add_column(words["hypothesis"], overflow="fold")
    for item in impacts["activity_ranking"]:
        code = item["activity"]
        detail = next(a for a in impacts["activity_counts"] if a["activity"] == code)
        table.add_row(
            f"{code}. {titles.get(code, code)}", str(item["count"]), ", ".join(detail["hypotheses"])
        )
    console.print(table)


def print_consistent_scenarios(result: Mapping[str, Any]) -> None:
    """The consistent scenarios of a CIB search."""
    console = _console()
    table = Table(
        title=(
            f"{result['count']} consistent scenarios of {result['scenario_count']:,} "
            f"(max inconsistency {result['parameters']['max_inconsistency']:g})"
        ),
        title_justify="left",
    )
    table.add_column("#", justify="right")
    for name in result["descriptors"]:
        table.add_column(str(name), overflow="fold")
    table.add_column("TIS", justify="right")
    table.add_column("CV", justify="right")
    for index, found in enumerate(result["scenarios"], start=1):
        table.add_row(
            str(index),
            *[str(name) for name in found["variants"]],
            f"{found['total_impact_score']:g}",
            "—" if found["consistency_value"] is None else f"{found['consistency_value']:g}",
        )
    console.print(table)
    console.print(f"nodes visited: {result['nodes_visited']:,}")
