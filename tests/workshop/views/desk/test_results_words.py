"""The results pages in plain words (issue 12): the computation's parameters and the
structural analysis' selection rule in words, every technical term explained where it
appears with a link to the glossary, which explains each linked term."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from anticipe.workshop.models import Study
from tests.workshop.support import text

PAGES = ("results_vote", "results_structure", "results_hypotheses")


def test_the_structural_page_says_its_selection_rule_in_words(
    example: Study, facilitator_client: Client
) -> None:
    page = text(facilitator_client.get(reverse("workshop:results_structure", args=[example.pk])))
    assert "rule: driving_quadrant" not in page
    assert "influence_minus_dependence" not in re.sub(r"<code[^>]*>.*?</code>", "", page)
    assert "by the rule: the driving quadrant: influence above the mean" in page
    assert "in the order of influence minus dependence" in page
    for anchor in ("iqr", "kendall-w", "p-value", "leave-one-out", "bootstrap", "seed"):
        assert f'/glossary/#{anchor}"' in page, anchor
    assert "/glossary/#quadrants" in page


def test_parameters_are_shown_in_words(example: Study, facilitator_client: Client) -> None:
    page = text(facilitator_client.get(reverse("workshop:results_vote", args=[example.pk])))
    table = page[page.index('id="parameters"') :]
    assert "points per expert" in table.lower()
    assert ">True<" not in table
    assert 'data-parameter="method">by distributing points<' in table


def test_every_term_a_results_page_links_is_explained_in_the_glossary(
    example: Study, facilitator_client: Client, anonymous_client: Client, settings: Any
) -> None:
    glossary = text(anonymous_client.get(reverse("workshop:glossary")))
    anchors = set(re.findall(r'<dt id="([^"]+)"', glossary))
    linked = set()
    for name in PAGES:
        page = text(facilitator_client.get(reverse(f"workshop:{name}", args=[example.pk])))
        linked |= set(re.findall(r'/glossary/#([\w-]+)"', page))
    assert linked
    assert linked <= anchors
    settings.LANGUAGE_CODE = "fr"
    french = text(anonymous_client.get(reverse("workshop:glossary")))
    assert "Écart interquartile" in french
    assert "Graine aléatoire" in french
