"""The report's own words, in French and English.

A small catalogue keyed by message id. The study's texts (job, factors, hypotheses,
actions...) are written in the study's language and shown as they are; only the report's
headings, captions, legends and notes come from here. The words follow the project's
glossary (one word per idea).
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("fr", "en")

_FR: dict[str, str] = {
    "report": "Rapport d'anticipation des compétences",
    "report_subtitle": "Analyse prospective du métier",
    "horizon": "Horizon",
    "horizon_years": "{min} à {max} ans",
    "date": "Date du rapport",
    "job_code": "Code du métier",
    "source": "Source",
    "simulated_notice_title": "Réponses simulées",
    "simulated_notice": (
        "Certaines réponses de cette étude sont simulées (générées, et non données par de "
        "vrais experts) : {parts}. Les résultats qui en dépendent illustrent la méthode et "
        "ne sont pas des résultats d'experts."
    ),
    "sim_panel": "le panel",
    "sim_factor_vote": "le vote pondéré sur les facteurs",
    "sim_influence_matrices": "les matrices d'influence",
    "sim_hypothesis_votes": "les votes sur les hypothèses",
    "sim_cross_impacts": "les impacts croisés",
    "contents": "Sommaire",
    "part1": "Partie 1 – Synthèse des résultats",
    "part2": "Partie 2 – La démarche et les résultats pas à pas",
    "appendix": "Annexe méthodologique",
    "no_synthesis": "L'animateur n'a pas encore rédigé la synthèse.",
    "key_activities": "Les activités clés",
    "key_activities_intro": (
        "Les activités du métier, classées selon le nombre d'hypothèses d'évolution retenues "
        "qui les impactent."
    ),
    "activity": "Activité",
    "activities": "Activités",
    "hypotheses_count": "Hypothèses qui l'impactent",
    "rank": "Rang",
    "method": "La méthode",
    "method_intro": (
        "La méthode Abilitic2Perform réunit un panel d'experts encadré par un animateur. "
        "Elle alterne des temps de réflexion collective et des votes individuels ; les "
        "résultats de chaque étape nourrissent la suivante."
    ),
    "step1": "Périmètre du métier : ses activités et leurs tâches.",
    "step2": (
        "Recensement des facteurs de changement, puis vote pondéré pour garder les plus importants."
    ),
    "step3": (
        "Analyse structurelle : chaque expert note l'influence de chaque facteur sur les "
        "autres ; les facteurs les plus influents et les moins dépendants deviennent les "
        "facteurs clés."
    ),
    "step4": (
        "Hypothèses d'évolution de chaque facteur clé, votées sur leur probabilité et leur "
        "caractère souhaitable ; une hypothèse est retenue par facteur."
    ),
    "step5": "Plan d'actions pour provoquer ou préparer chaque hypothèse retenue.",
    "step6": "Impacts sur les activités et besoins en compétences.",
    "panel_intro": "Le panel réunissait {n} experts de {s} secteurs.",
    "perimeter": "Le périmètre du métier",
    "table1": "Tableau 1 : Le périmètre du métier",
    "explanatory_content": "Contenu à titre explicatif",
    "tasks": "Tâches",
    "important_factors": "Les facteurs de changement les plus importants",
    "table2": "Tableau 2 : Les {n} facteurs de changement importants",
    "factor": "Facteur",
    "code": "Code",
    "title": "Intitulé",
    "points": "Points",
    "support": "Experts",
    "vote_intro": (
        "Les experts ont réparti leurs points entre les facteurs proposés ; les {n} facteurs "
        "ayant reçu le plus de points sont retenus."
    ),
    "no_vote": "Aucun vote pondéré n'a été saisi : tous les facteurs proposés sont repris.",
    "reworded": "reformulé",
    "selection": "La sélection des facteurs les plus influents",
    "graph1": "Graphique 1 : Plan influence / dépendance des facteurs",
    "selection_intro": (
        "La compilation des matrices d'influence des experts place chaque facteur selon son "
        "influence (en ordonnée) et sa dépendance (en abscisse). Les axes passent par les "
        "moyennes. Les facteurs les plus influents et les moins dépendants (cadre supérieur "
        "gauche) sont retenus comme facteurs clés."
    ),
    "no_structural": "Aucune matrice d'influence n'a été saisie.",
    "key_factors": "Facteurs clés retenus",
    "no_key_factors": "Aucun facteur clé n'a encore été retenu.",
    "origin_selection": "sélection",
    "origin_addition": "ajout du panel",
    "addition_reason": "Ajouté à la demande des experts",
    "influence": "Influence",
    "dependence": "Dépendance",
    "legend_selected": "facteur clé (sélection)",
    "legend_added": "facteur clé (ajout du panel)",
    "legend_other": "autre facteur",
    "legend_box": "cadre des facteurs sélectionnés",
    "mean": "moyenne",
    "quadrant": "Quadrant",
    "quadrant_driving": "moteur",
    "quadrant_relay": "relais",
    "quadrant_dependent": "dépendant",
    "quadrant_autonomous": "autonome",
    "hypotheses": "Les évolutions probables et souhaitables",
    "table3": "Tableau 3 : Les hypothèses d'évolution pour chaque facteur clé",
    "hypotheses_intro": (
        "Pour chaque facteur clé, les experts ont décrit la situation actuelle et formulé "
        "des hypothèses d'évolution, puis voté sur leur probabilité et leur caractère "
        "souhaitable. Lorsque le panel estime que des actions peuvent atteindre l'hypothèse "
        "la plus souhaitable, celle-ci est retenue ; sinon, la plus probable."
    ),
    "legend": "Légende",
    "mark_probable": "la plus probable",
    "mark_desirable": "la plus souhaitable",
    "mark_both": "la plus probable et la plus souhaitable",
    "mark_retained": "retenue",
    "letter_probable": "P",
    "letter_desirable": "S",
    "style_probable": "P, italique, fond bleu",
    "style_desirable": "S, souligné, fond jaune",
    "style_both": "P S, italique souligné, fond rose",
    "style_retained": "étoile, gras, bordure",
    "legend_note": (
        "Les marques sont aussi données en toutes lettres ; les couleurs ne font que les doubler."
    ),
    "current_situation": "Situation actuelle",
    "hypothesis": "Hypothèse",
    "probability": "Probabilité",
    "desirability": "Souhaitabilité",
    "median_iqr": "médiane (EIQ)",
    "no_hypothesis": "Aucune hypothèse n'a encore été formulée pour ce facteur.",
    "merged_from": "fusion de {codes}",
    "decision_rule": "selon la règle",
    "decision_override": "après arbitrage",
    "decision_proposal": "proposée par la règle, pas encore décidée par le panel",
    "actions_can_reach": "Des actions peuvent atteindre l'hypothèse la plus souhaitable",
    "yes": "oui",
    "no": "non",
    "unknown": "non précisé",
    "scenario": "Le scénario d'évolution",
    "scenario_intro": "Les hypothèses retenues forment ensemble le scénario d'évolution.",
    "action_plan": "Le plan d'actions",
    "table4": "Tableau 4 : Le plan d'actions",
    "action_plan_intro": (
        "Pour chaque hypothèse retenue, le panel propose des actions pour provoquer le "
        "changement (hypothèse souhaitable) ou s'y préparer (hypothèse probable)."
    ),
    "retained_hypothesis": "Hypothèse d'évolution retenue",
    "actions": "Actions",
    "aim": "Visée",
    "aim_provoke": "provoquer",
    "aim_prepare": "préparer",
    "no_action": "Aucune action proposée.",
    "no_actions_at_all": "Aucune action n'a encore été proposée.",
    "impacts": "Les impacts sur les activités et les besoins en compétences",
    "table5": "Tableau 5 : Compétences majeures par activité",
    "impacts_intro": (
        "Pour chaque hypothèse retenue, le panel a désigné les activités fortement "
        "concernées et les compétences nécessaires pour les réaliser dans ce nouveau "
        "contexte."
    ),
    "count_per_activity": "Nombre d'hypothèses retenues impactant chaque activité",
    "competences": "Compétences",
    "competence": "Compétence",
    "frameworks": "Référentiels",
    "occurrences": "Occurrences",
    "no_impacts": "Aucun impact n'a encore été saisi.",
    "no_competence": "Aucune compétence particulière.",
    "panel_composition": "Composition du panel",
    "sector": "Secteur",
    "experts": "Experts",
    "total": "Total",
    "parameters": "Paramètres des calculs",
    "computation": "Calcul",
    "parameter": "Paramètre",
    "value": "Valeur",
    "consensus": "Consensus et désaccords",
    "kendall_w_vote": "W de Kendall (vote pondéré)",
    "kendall_w_disagreement": "W de Kendall (influences, entre experts)",
    "p_value": "valeur p",
    "not_available": "non disponible",
    "bootstrap_title": "Probabilité de sélection (rééchantillonnage des experts)",
    "bootstrap_intro": (
        "Part des rééchantillonnages du panel (tirage avec remise) où le facteur est "
        "sélectionné : près de 1 ou de 0, la sélection est robuste ; vers 0,5, elle dépend "
        "de quelques experts."
    ),
    "selection_probability": "Probabilité de sélection",
    "iqr_title": "Dispersion des votes sur les hypothèses",
    "iqr": "EIQ",
    "consensus_summary": (
        "Consensus (écart interquartile ≤ {threshold}) sur la probabilité de {p} hypothèses "
        "sur {pn}, sur leur caractère souhaitable pour {d} sur {dn}. La médiane et l'écart "
        "interquartile de chaque vote figurent au tableau 3."
    ),
    "n_answers": "Réponses",
    "coherence": "Cohérence du scénario retenu",
    "coherence_yes": "Le scénario retenu est cohérent (analyse d'impacts croisés).",
    "coherence_no": (
        "Le scénario retenu n'est pas cohérent (analyse d'impacts croisés) ; descripteurs "
        "en cause : {descriptors}."
    ),
    "coherence_none": "Aucun impact croisé n'a été saisi.",
    "inconsistency": "Incohérence",
    "page": "Page",
    "generated_by": "Généré par Anticipe",
    "data_sheet": "Données",
    "sheet_cover": "Rapport",
    "sheet_counts": "Impacts par activité",
    "yes_mark": "✓",
}

_EN: dict[str, str] = {
    "report": "Skills foresight report",
    "report_subtitle": "Foresight study of the job",
    "horizon": "Horizon",
    "horizon_years": "{min} to {max} years",
    "date": "Report date",
    "job_code": "Job code",
    "source": "Source",
    "simulated_notice_title": "Simulated answers",
    "simulated_notice": (
        "Some answers in this study are simulated (generated, not given by real experts): "
        "{parts}. The results that depend on them illustrate the method and are not "
        "experts' results."
    ),
    "sim_panel": "the panel",
    "sim_factor_vote": "the weighted vote on factors",
    "sim_influence_matrices": "the influence matrices",
    "sim_hypothesis_votes": "the votes on hypotheses",
    "sim_cross_impacts": "the cross-impacts",
    "contents": "Contents",
    "part1": "Part 1 – Summary of the results",
    "part2": "Part 2 – The method and the results step by step",
    "appendix": "Method appendix",
    "no_synthesis": "The facilitator has not written the summary yet.",
    "key_activities": "Key activities",
    "key_activities_intro": (
        "The job's activities, ranked by the number of retained evolution hypotheses that "
        "impact them."
    ),
    "activity": "Activity",
    "activities": "Activities",
    "hypotheses_count": "Hypotheses impacting it",
    "rank": "Rank",
    "method": "The method",
    "method_intro": (
        "The Abilitic2Perform method brings together a panel of experts led by a "
        "facilitator. It alternates collective reflection and individual votes; the results "
        "of each step feed the next."
    ),
    "step1": "The job's perimeter: its activities and their tasks.",
    "step2": "Listing change factors, then a weighted vote to keep the most important.",
    "step3": (
        "Structural analysis: each expert rates the influence of each factor on the others; "
        "the most influential and least dependent factors become the key factors."
    ),
    "step4": (
        "Evolution hypotheses for each key factor, voted on probability and desirability; "
        "one hypothesis is retained per factor."
    ),
    "step5": "An action plan to provoke or prepare for each retained hypothesis.",
    "step6": "Impacts on activities and competence needs.",
    "panel_intro": "The panel brought together {n} experts from {s} sectors.",
    "perimeter": "The job's perimeter",
    "table1": "Table 1: The job's perimeter",
    "explanatory_content": "Explanatory content",
    "tasks": "Tasks",
    "important_factors": "The most important change factors",
    "table2": "Table 2: The {n} important change factors",
    "factor": "Factor",
    "code": "Code",
    "title": "Title",
    "points": "Points",
    "support": "Experts",
    "vote_intro": (
        "The experts distributed their points among the proposed factors; the {n} factors "
        "with the most points are kept."
    ),
    "no_vote": "No weighted vote was entered: every proposed factor is listed.",
    "reworded": "reworded",
    "selection": "Selecting the most influential factors",
    "graph1": "Graph 1: Influence / dependence map of the factors",
    "selection_intro": (
        "Compiling the experts' influence matrices places each factor by its influence "
        "(vertical) and dependence (horizontal). The axes cross at the means. The most "
        "influential and least dependent factors (upper left box) are kept as key factors."
    ),
    "no_structural": "No influence matrix was entered.",
    "key_factors": "Key factors",
    "no_key_factors": "No key factor has been retained yet.",
    "origin_selection": "selection",
    "origin_addition": "panel's addition",
    "addition_reason": "Added at the experts' request",
    "influence": "Influence",
    "dependence": "Dependence",
    "legend_selected": "key factor (selection)",
    "legend_added": "key factor (panel's addition)",
    "legend_other": "other factor",
    "legend_box": "box of the selected factors",
    "mean": "mean",
    "quadrant": "Quadrant",
    "quadrant_driving": "driving",
    "quadrant_relay": "relay",
    "quadrant_dependent": "dependent",
    "quadrant_autonomous": "autonomous",
    "hypotheses": "Probable and desirable evolutions",
    "table3": "Table 3: The evolution hypotheses of each key factor",
    "hypotheses_intro": (
        "For each key factor, the experts described the current situation and wrote "
        "evolution hypotheses, then voted on their probability and desirability. When the "
        "panel judges that actions can reach the most desirable hypothesis, it is retained; "
        "otherwise the most probable one."
    ),
    "legend": "Legend",
    "mark_probable": "most probable",
    "mark_desirable": "most desirable",
    "mark_both": "most probable and most desirable",
    "mark_retained": "retained",
    "letter_probable": "P",
    "letter_desirable": "D",
    "style_probable": "P, italic, blue background",
    "style_desirable": "D, underlined, yellow background",
    "style_both": "P D, italic underlined, pink background",
    "style_retained": "star, bold, border",
    "legend_note": "The marks are also spelled out in words; colours only repeat them.",
    "current_situation": "Current situation",
    "hypothesis": "Hypothesis",
    "probability": "Probability",
    "desirability": "Desirability",
    "median_iqr": "median (IQR)",
    "no_hypothesis": "No hypothesis has been written for this factor yet.",
    "merged_from": "merge of {codes}",
    "decision_rule": "by the rule",
    "decision_override": "after arbitration",
    "decision_proposal": "proposed by the rule, not yet decided by the panel",
    "actions_can_reach": "Actions can reach the most desirable hypothesis",
    "yes": "yes",
    "no": "no",
    "unknown": "not stated",
    "scenario": "The evolution scenario",
    "scenario_intro": "Together, the retained hypotheses form the evolution scenario.",
    "action_plan": "The action plan",
    "table4": "Table 4: The action plan",
    "action_plan_intro": (
        "For each retained hypothesis, the panel proposes actions to provoke the change "
        "(desirable hypothesis) or to prepare for it (probable hypothesis)."
    ),
    "retained_hypothesis": "Retained evolution hypothesis",
    "actions": "Actions",
    "aim": "Aim",
    "aim_provoke": "provoke",
    "aim_prepare": "prepare",
    "no_action": "No action proposed.",
    "no_actions_at_all": "No action has been proposed yet.",
    "impacts": "Impacts on activities and competence needs",
    "table5": "Table 5: Major competences per activity",
    "impacts_intro": (
        "For each retained hypothesis, the panel named the activities strongly affected and "
        "the competences needed to carry them out in this new context."
    ),
    "count_per_activity": "Number of retained hypotheses impacting each activity",
    "competences": "Competences",
    "competence": "Competence",
    "frameworks": "Frameworks",
    "occurrences": "Occurrences",
    "no_impacts": "No impact has been entered yet.",
    "no_competence": "No particular competence.",
    "panel_composition": "Panel composition",
    "sector": "Sector",
    "experts": "Experts",
    "total": "Total",
    "parameters": "Parameters of the computations",
    "computation": "Computation",
    "parameter": "Parameter",
    "value": "Value",
    "consensus": "Consensus and disagreement",
    "kendall_w_vote": "Kendall's W (weighted vote)",
    "kendall_w_disagreement": "Kendall's W (influences, across experts)",
    "p_value": "p-value",
    "not_available": "not available",
    "bootstrap_title": "Probability of selection (resampling the experts)",
    "bootstrap_intro": (
        "Share of the resamplings of the panel (drawn with replacement) in which the factor "
        "is selected: near 1 or 0 the selection is robust; near 0.5 it rests on a few experts."
    ),
    "selection_probability": "Probability of selection",
    "iqr_title": "Dispersion of the votes on hypotheses",
    "iqr": "IQR",
    "consensus_summary": (
        "Consensus (interquartile range ≤ {threshold}) on the probability of {p} hypotheses "
        "out of {pn}, on their desirability for {d} out of {dn}. The median and interquartile "
        "range of every vote are in Table 3."
    ),
    "n_answers": "Answers",
    "coherence": "Coherence of the retained scenario",
    "coherence_yes": "The retained scenario is consistent (cross-impact balance).",
    "coherence_no": (
        "The retained scenario is not consistent (cross-impact balance); descriptors "
        "involved: {descriptors}."
    ),
    "coherence_none": "No cross-impact was entered.",
    "inconsistency": "Inconsistency",
    "page": "Page",
    "generated_by": "Generated by Anticipe",
    "data_sheet": "Data",
    "sheet_cover": "Report",
    "sheet_counts": "Impacts per activity",
    "yes_mark": "✓",
}

CATALOGUE: Final[dict[str, dict[str, str]]] = {"fr": _FR, "en": _EN}


def messages(language: str) -> dict[str, str]:
    """Every message of the report in `language` ("fr" or "en"; others fall back to "fr")."""
    return dict(CATALOGUE.get(language, _FR))


def translate(language: str, key: str, **values: object) -> str:
    """The message `key` in `language`, with ``{name}`` placeholders filled from `values`."""
    text = CATALOGUE.get(language, _FR).get(key) or _FR[key]
    return text.format(**values) if values else text
