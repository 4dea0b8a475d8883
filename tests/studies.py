"""Small hand-written studies for tests (not simulated answers: tiny made-up cases)."""

from __future__ import annotations

import copy
from typing import Any

_SMALL_STUDY: dict[str, Any] = {
    "anticipe_study": "1.0",
    "language": "fr",
    "job": {"title": "Métier d'essai", "description": "Une petite étude pour les tests."},
    "horizon": {"years_min": 3, "years_max": 5, "label": "2029-2031"},
    "perimeter": {
        "activities": [
            {"code": "1", "title": "Accueillir", "tasks": [{"code": "1.1", "title": "Ouvrir"}]},
            {"code": "2", "title": "Animer"},
            {"code": "3", "title": "Accompagner"},
        ]
    },
    "panel": [
        {"id": "E1", "sector": "académique"},
        {"id": "E2", "sector": "formation"},
        {"id": "E3", "sector": "emploi"},
    ],
    "factors": [
        {"code": "F1", "title": "Évolution technologique"},
        {"code": "F2", "title": "Financement"},
        {"code": "F3", "title": "Public précarisé"},
        {"code": "F4", "title": "Réseau local"},
    ],
    "factor_vote": {
        "method": "points",
        "points_per_expert": 10,
        "shortlist_size": 3,
        "ballots": [
            {"expert": "E1", "scores": {"F1": 5, "F2": 3, "F3": 2}},
            {"expert": "E2", "scores": {"F1": 4, "F3": 4, "F4": 2}},
            {"expert": "E3", "scores": {"F2": 5, "F3": 5}},
        ],
        "shortlist": ["F1", "F2", "F3"],
    },
    "structural_analysis": {
        "factors": ["F1", "F2", "F3"],
        "matrices": [
            {"expert": "E1", "rows": [[0, 3, 2], [1, 0, 1], [0, 1, 0]]},
            {"expert": "E2", "rows": [[0, 2, 3], ["P", 0, 1], [0, None, 0]]},
            {"expert": "E3", "rows": [[0, 3, 3], [0, 0, 2], [1, 0, 0]]},
        ],
    },
    "key_factors": [
        {"code": "F1", "origin": "selection"},
        {"code": "F3", "origin": "addition", "reason": "Demandé par le panel."},
    ],
    "hypotheses": {
        "probability_scale": {"min": 1, "max": 4},
        "desirability_scale": {"min": 1, "max": 4},
        "factors": [
            {
                "factor": "F1",
                "current_situation": "Internet et mobile.",
                "actions_can_reach_desirable": True,
                "hypotheses": [
                    {"code": "F1-A", "label": "A", "text": "Rien ne change."},
                    {"code": "F1-B", "label": "B", "text": "L'IA arrive."},
                ],
                "retained": {"hypothesis": "F1-B", "decision": "rule"},
            },
            {
                "factor": "F3",
                "actions_can_reach_desirable": False,
                "hypotheses": [
                    {"code": "F3-A", "label": "A", "text": "Plus précaire."},
                    {"code": "F3-B", "label": "B", "text": "Mieux équipé."},
                    {"code": "F3-C", "label": "C", "text": "Services simplifiés."},
                    {
                        "code": "F3-BC",
                        "label": "B+C",
                        "text": "Mieux équipé et services simplifiés.",
                        "merged_from": ["F3-B", "F3-C"],
                    },
                ],
                "retained": {
                    "hypothesis": "F3-BC",
                    "decision": "override",
                    "reason": "Fusion décidée en atelier.",
                },
            },
        ],
        "votes": [
            {"expert": e, "hypothesis": h, "probability": p, "desirability": d}
            for e, h, p, d in [
                ("E1", "F1-A", 2, 1),
                ("E1", "F1-B", 3, 4),
                ("E2", "F1-A", 3, 2),
                ("E2", "F1-B", 3, 3),
                ("E3", "F1-A", None, 1),
                ("E3", "F1-B", 4, 4),
                ("E1", "F3-A", 4, 1),
                ("E2", "F3-A", 3, 1),
                ("E3", "F3-A", 3, None),
                ("E1", "F3-B", 2, 4),
                ("E2", "F3-B", 2, 3),
                ("E3", "F3-B", 1, 4),
                ("E1", "F3-C", 2, 3),
                ("E2", "F3-C", 1, 4),
                ("E3", "F3-C", 2, 3),
            ]
        ],
    },
    "cross_impacts": {
        "judgements": [
            {"source": "F1-B", "target": "F3-A", "value": -2},
            {"source": "F1-B", "target": "F3-BC", "value": 2},
            {"source": "F3-BC", "target": "F1-B", "value": 1},
        ]
    },
    "actions": [
        {"hypothesis": "F1-B", "aim": "provoke", "text": "Former à l'IA."},
        {"hypothesis": "F3-BC", "aim": "prepare", "text": "Structurer le réseau."},
    ],
    "competences": [
        {
            "code": "C1",
            "text": "Comprendre l'IA",
            "frameworks": [{"framework": "DigComp 2.2", "id": "1.1"}],
        },
        {"code": "C2", "text": "Accompagner un public fragile"},
    ],
    "impacts": [
        {"hypothesis": "F1-B", "activity": "2", "competences": ["C1"]},
        {"hypothesis": "F1-B", "activity": "3", "competences": ["C1", "C2"]},
        {"hypothesis": "F3-BC", "activity": "3", "competences": ["C2"]},
    ],
}


def small_study() -> dict[str, Any]:
    """A fresh copy of a small, complete, valid study."""
    return copy.deepcopy(_SMALL_STUDY)
