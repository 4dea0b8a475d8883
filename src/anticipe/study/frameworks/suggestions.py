"""Suggestions: the framework competences whose wording is nearest to a study's competence.

No model and no download: the texts are compared as bags of normalised words, in French
and in English at once (a competence is written in the study's language; a framework
competence has its English and French titles, its ESCO labels, its other editions' titles
and the words of its area and description). Normalising a word: lower case, no accents,
French and English stop words left out, a light stemming (plural and common endings), then
its first :data:`STEM_LENGTH` letters, so that *collaborer*, *collaboration* and
*collaborating* meet. Each word weighs its rarity among the frameworks' competences
(inverse document frequency); two words that differ by little (*numerique* and *numeric*)
still count in part, by :class:`difflib.SequenceMatcher`.

The work is bounded: a competence's text is cut at :data:`MAX_TEXT_CHARACTERS`.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from anticipe.study.frameworks.loading import Competence, Framework

MAX_TEXT_CHARACTERS = 2_000
STEM_LENGTH = 6
FUZZY_RATIO = 0.8
"""Two different stems count in part when their similarity ratio reaches this."""
TITLE_WEIGHT = 2.0
"""How much more a word of a competence's own title counts than a word of its area."""

STOP_WORDS = frozenset(
    """
    a au aux avec ce ces cet cette dans de des du elle en et etre etc eux il ils je la le les
    leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui
    sa se ses son sur ta te tes toi ton tu un une vos votre vous ex notamment soit afin ainsi
    autre autres tout tous toute toutes plus tres sont est ont peut pouvoir capable capables
    savoir etre faire avoir entre selon via lors dont cela celui celle ceux
    maitriser connaitre comprendre utiliser mettre place enjeux lequel laquelle
    an and are as at be by for from in into is it its of on or the their this to with
    through using use own others other able ability ex etc know understand master
    """.split()  # noqa: SIM905 (a list of words is easier to read and edit as text)
)

_SUFFIXES = (
    "issements",
    "issement",
    "ations",
    "ation",
    "ements",
    "ement",
    "ments",
    "ment",
    "ites",
    "ite",
    "ities",
    "ity",
    "iques",
    "ique",
    "ives",
    "ive",
    "euses",
    "euse",
    "eurs",
    "eur",
    "ings",
    "ing",
    "ies",
    "ers",
    "er",
    "es",
    "ed",
    "s",
    "x",
    "e",
)


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def stem(word: str) -> str:
    """A word's light stem: its longest known ending removed (keeping at least 4 letters),
    then cut to :data:`STEM_LENGTH` letters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:STEM_LENGTH]


def words(text: str) -> list[str]:
    """The normalised words of a text in French or English (see the module)."""
    text = _without_accents(text[:MAX_TEXT_CHARACTERS].lower()).replace("’", "'")
    found = re.findall(r"[a-z0-9]+", text)
    return [stem(word) for word in found if len(word) > 1 and word not in STOP_WORDS]


@dataclass(frozen=True)
class Suggestion:
    """A framework competence suggested for a study's competence, with its score (0-1)."""

    framework: str
    competence: str
    score: float


@dataclass(frozen=True)
class _Entry:
    framework: str
    competence: str
    weights: dict[str, float]
    norm: float


def _competence_words(framework: Framework, competence: Competence) -> dict[str, float]:
    """The words of a framework competence, its own wording weighing more than its area's."""
    counted: defaultdict[str, float] = defaultdict(float)
    own = [competence.title, competence.esco_label]
    own += [title for _edition, title in competence.other_titles]
    for text in own:
        for word in set(words(text.both())):
            counted[word] += TITLE_WEIGHT
    for text in (competence.description, competence.keywords):
        for word in set(words(text.both())):
            counted[word] += 1.0
    area = framework.area(competence.area)
    if area is not None:
        for word in set(words(area.title.both())):
            counted[word] += 1.0
    return counted


class Suggester:
    """Ranks the competences of some frameworks for a competence's text."""

    def __init__(self, frameworks: Iterable[Framework]) -> None:
        counted = [
            (framework.id, competence.id, _competence_words(framework, competence))
            for framework in frameworks
            for competence in framework.competences
        ]
        documents = Counter(word for _f, _c, found in counted for word in found)
        total = max(len(counted), 1)
        self.idf = {word: math.log(1 + total / count) for word, count in documents.items()}
        self.entries = []
        for framework_id, competence_id, found in counted:
            weights = {word: count * self.idf[word] for word, count in found.items()}
            norm = math.sqrt(sum(value * value for value in weights.values())) or 1.0
            self.entries.append(_Entry(framework_id, competence_id, weights, norm))
        self.vocabulary = sorted(self.idf)

    def _query(self, text: str) -> dict[str, float]:
        """The text's words and weights, each unknown word replaced by the nearest known
        stems (in part)."""
        query: dict[str, float] = {}
        default = max(self.idf.values(), default=1.0)
        for word in set(words(text)):
            if word in self.idf:
                query[word] = query.get(word, 0.0) + self.idf[word]
                continue
            for near in difflib.get_close_matches(word, self.vocabulary, n=2, cutoff=FUZZY_RATIO):
                ratio = difflib.SequenceMatcher(None, word, near).ratio()
                query[near] = query.get(near, 0.0) + ratio * self.idf.get(near, default)
        return query

    def suggest(self, text: str, limit: int = 5) -> list[Suggestion]:
        """The `limit` framework competences nearest to `text`, best first (cosine of the
        weighted words; ties in the frameworks' order); none when no word meets."""
        query = self._query(text)
        norm = math.sqrt(sum(value * value for value in query.values())) or 1.0
        scored = []
        for position, entry in enumerate(self.entries):
            dot = sum(weight * entry.weights.get(word, 0.0) for word, weight in query.items())
            if dot > 0:
                scored.append((-dot / (norm * entry.norm), position, entry))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [
            Suggestion(entry.framework, entry.competence, round(-score, 4))
            for score, _position, entry in scored[:limit]
        ]


@cache
def _suggester(frameworks: tuple[Framework, ...]) -> Suggester:
    return Suggester(frameworks)


def suggest(text: str, frameworks: Sequence[Framework], limit: int = 5) -> list[Suggestion]:
    """The `limit` competences of `frameworks` nearest to a competence's `text`."""
    return _suggester(tuple(frameworks)).suggest(text, limit)
