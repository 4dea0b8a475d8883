"""A study with unusual content: every format must still render it."""

from __future__ import annotations

import random
from typing import Any

from anticipe.study.study_file import check_study
from tests.studies import small_study

LONG = (
    "Œuvre très longue, àéèêëîïôöùûüç ÀÉÈ « guillemets » — tiret, 50 % ; "
    "<script>alert('x')</script> & =SUM(A1:A2) "
) * 12


def unusual_study() -> dict[str, Any]:
    """English, 40 factors, long texts with accents and markup, no vote on factors nor on
    hypotheses, a key factor without any hypothesis, an empty action plan, a formula-like
    job title, and a Markdown synthesis with raw HTML and a javascript: link."""
    study = small_study()
    study["language"] = "en"
    study["job"] = {"title": '=HYPERLINK("http://x") Digital mediator', "description": LONG}
    study["factors"] = [
        {"code": f"F{k}", "title": f"Factor number {k} – {'é' * (k % 7)} " + LONG[: 20 + k * 3]}
        for k in range(1, 41)
    ]
    study.pop("factor_vote")
    matrices = []
    n = 40
    draw = random.Random(40)
    for expert in ("E1", "E2", "E3"):
        rows = [[0 if i == j else draw.choice((0, 0, 1, 2, 3)) for j in range(n)] for i in range(n)]
        matrices.append({"expert": expert, "rows": rows})
    study["structural_analysis"] = {
        "factors": [f"F{k}" for k in range(1, 41)],
        "matrices": matrices,
    }
    study["key_factors"] = [
        {"code": "F1", "origin": "selection"},
        {"code": "F3", "origin": "addition", "reason": "+ requested by the panel " + LONG[:80]},
        {"code": "F40", "origin": "selection"},
    ]
    hypotheses = study["hypotheses"]
    hypotheses["votes"] = []
    for block in hypotheses["factors"]:
        block.pop("retained", None)
        for h in block["hypotheses"]:
            h["text"] = "-" + h["text"] + " " + LONG
    study["actions"] = []
    study["cross_impacts"] = {"judgements": []}
    study["synthesis"] = [
        {
            "title": "@Summary <b>bold?</b>",
            "markdown": (
                "# Heading\n\nSome **strong** and *emphasis*, a [bad link](javascript:alert(1)) "
                "and raw <img src=x onerror=alert(1)> HTML.\n\n- one\n- two é\n\n"
                "1. first\n2. second\n\n> quoted\n\n" + LONG
            ),
        }
    ]
    study.pop("simulation", None)
    check_study(study)
    return study
