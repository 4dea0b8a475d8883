"""The self-assessment built from the job's competence profile: a questionnaire that job
seekers, workers or trainees answer on their own, each respondent's result, and a group's
counts.

- :func:`questionnaire`: one question per competence of the profile. A competence linked
  to a framework competence with an expected level is asked on **that framework's
  levels** (their titles and descriptions: DigComp's "3 – Intermediate, on my own"), its
  expected level the link's. A competence without such a link is asked on a **generic
  4-step scale** (:data:`GENERIC_LEVELS`), the job expecting step 3, "on my own". Every
  question also offers "I don't know" (:data:`DONT_KNOW`).
- :func:`snapshot`: the questionnaire as published (the competences asked with their texts
  and links, the study's own frameworks they name), kept so that answers already given are
  never read on other questions; :func:`published_document` reads it back.
- :func:`score`: one respondent's answers as their result: **strengths** (at or above the
  expected level), **gaps** (below it) and what they did not place, each with the
  framework's level names and, where the framework has one (the CRCN: Pix), the
  certification that assesses it.
- :func:`count_answers` and :func:`aggregate`: a group's answers as counts (how many placed
  themselves at each level of each competence: what the study file keeps, never an
  individual answer), then per competence the distribution and the share below the
  expected level.

Nothing here knows who answered: answers are mappings of competence codes to level ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

from anticipe.i18n import gettext_noop, language_or_default, translator
from anticipe.study.frameworks import Framework, linked_framework, study_frameworks
from anticipe.study.profile import competence_profile

DONT_KNOW = "?"
"""The answer "I don't know" (also its key in a group's counts)."""

DEFAULT_MIN_GROUP_SIZE = 5
"""Below this many respondents a group's counts are neither shown nor exported."""

MIN_GROUP_SIZE_FLOOR = 2
"""The smallest minimum a study may set (one respondent's counts are their answers)."""

SECONDS_PER_QUESTION = 20
"""About how long a respondent takes over one competence: reading it and the levels of its
scale (up to eight, each with a sentence) and choosing one — five times an expert's cell of
the influence matrix (``SECONDS_PER_CELL``), which is a choice among six short answers. The
start page and the group's handout say how long the questionnaire takes with it."""

GENERIC_LEVELS: tuple[tuple[str, str, str], ...] = (
    ("1", gettext_noop("Not yet"), gettext_noop("I have not done this yet, or only seen it done.")),
    ("2", gettext_noop("With help"), gettext_noop("I can do it when someone helps me.")),
    ("3", gettext_noop("On my own"), gettext_noop("I can do it on my own, in usual situations.")),
    (
        "4",
        gettext_noop("I can help others"),
        gettext_noop("I can do it in unusual situations and show others how."),
    ),
)
"""The scale of a competence no framework level anchors: (id, title, description)."""

GENERIC_EXPECTED = "3"
"""The step the job expects on the generic scale: doing it on one's own."""


class ScaleLevel(TypedDict):
    id: str
    title: str
    description: str  #: "" when the framework gives none


class Question(TypedDict):
    """One competence, asked on one scale."""

    competence: str  #: the study competence's code
    text: str  #: the competence as the study writes it
    statement: str  #: the question in plain language
    framework: str  #: the framework anchoring the scale ("" for the generic scale)
    framework_name: str
    framework_competence: str  #: the framework competence's id ("" for the generic scale)
    framework_competence_title: str
    levels: list[ScaleLevel]  #: lowest first ("I don't know" is not among them)
    expected: str  #: the level id the job expects
    expected_title: str
    certification: str  #: the certification that assesses it ("" when none)
    certification_url: str
    certification_note: str


class Questionnaire(TypedDict):
    """The result of :func:`questionnaire`."""

    language: str
    questions: list[Question]


class CompetenceResult(TypedDict):
    """A respondent's answer to one question, placed against the expected level."""

    competence: str
    text: str
    framework_name: str
    framework_competence: str
    framework_competence_title: str
    level: str  #: the level chosen ("?": don't know, "": not answered)
    level_title: str
    expected: str
    expected_title: str
    status: str  #: "strength", "gap", "unknown" (don't know) or "unanswered"
    certification: str
    certification_url: str


class Certified(TypedDict):
    """A certification that assesses some of the competences asked."""

    name: str
    url: str


class RespondentResult(TypedDict):
    """The result of :func:`score`."""

    strengths: list[CompetenceResult]  #: at or above the expected level
    gaps: list[CompetenceResult]  #: below it
    unknown: list[CompetenceResult]  #: "I don't know" or not answered
    answered: int  #: questions answered (a level or "I don't know")
    total: int
    certifications: list[Certified]  #: those that apply, once each


class LevelCount(TypedDict):
    id: str
    title: str
    count: int
    below: bool  #: below the expected level


class CompetenceDistribution(TypedDict):
    """A group's answers to one question."""

    competence: str
    text: str
    framework_name: str
    framework_competence: str
    expected: str
    expected_title: str
    levels: list[LevelCount]  #: every level of the scale, lowest first
    dont_know: int
    placed: int  #: respondents who chose a level
    below: int  #: of them, below the expected level
    share_below: float | None  #: below / placed (None when nobody placed themselves)
    withheld: bool  #: fewer than the minimum answered it: its counts are not shown


class GroupAggregate(TypedDict):
    """The result of :func:`aggregate`."""

    respondents: int
    competences: list[CompetenceDistribution]


Counts = Mapping[str, Mapping[str, int]]
"""A group's counts: competence code -> level id (or "?") -> respondents."""


def withhold_small(counts: Counts, minimum: int) -> dict[str, dict[str, int]]:
    """The counts of the competences at least `minimum` respondents answered (a level or
    "I don't know"); the others are left out. The group's size is not enough: in a group
    of five where one person answered a question, its counts would be that person's
    answer."""
    return {
        code: dict(levels)
        for code, levels in counts.items()
        if sum(int(n) for n in levels.values()) >= minimum
    }


def plain_statement(text: str, language: str) -> str:
    """The question about a competence, in plain words ("Where are you today with: …?")."""
    words = text.strip().rstrip(".").strip()
    return (
        translator(language)
        .gettext("Today, where are you with this: {competence}?")
        .format(competence=words)
    )


def generic_levels(language: str) -> list[ScaleLevel]:
    """The generic 4-step scale, in `language`."""
    say = translator(language).gettext
    return [
        {"id": level, "title": f"{level} – {say(title)}", "description": say(description)}
        for level, title, description in GENERIC_LEVELS
    ]


def _anchor(links: Sequence[Mapping[str, Any]], frameworks: Mapping[str, Framework]) -> Any:
    """The first link with an expected level of a framework Anticipe holds, as (framework,
    link), else None."""
    for link in links:
        framework = linked_framework(str(link.get("framework", "")), frameworks)
        level = str(link.get("level") or "")
        if framework is not None and level and framework.level(level) is not None:
            return framework, link
    return None


def _question(
    competence: Mapping[str, Any], frameworks: Mapping[str, Framework], language: str
) -> Question:
    question: Question = {
        "competence": competence["code"],
        "text": competence["text"],
        "statement": plain_statement(competence["text"], language),
        "framework": "",
        "framework_name": "",
        "framework_competence": "",
        "framework_competence_title": "",
        "levels": generic_levels(language),
        "expected": GENERIC_EXPECTED,
        "expected_title": "",
        "certification": "",
        "certification_url": "",
        "certification_note": "",
    }
    anchor = _anchor(competence.get("frameworks", []), frameworks)
    if anchor is not None:
        framework, link = anchor
        item = framework.competence(str(link["id"]))
        question |= {
            "framework": framework.id,
            "framework_name": framework.name,
            "framework_competence": str(link["id"]),
            "framework_competence_title": item.title.in_language(language) if item else "",
            "levels": [
                {
                    "id": level.id,
                    "title": level.title.in_language(language),
                    "description": level.description.in_language(language),
                }
                for level in framework.levels
            ],
            "expected": str(link["level"]),
        }
        if framework.certification is not None:
            question |= {
                "certification": framework.certification.name,
                "certification_url": framework.certification.url,
                "certification_note": framework.certification.description.in_language(language),
            }
    titles = {level["id"]: level["title"] for level in question["levels"]}
    question["expected_title"] = titles[question["expected"]]
    return question


def profile_competences(
    study: Mapping[str, Any], retained: Iterable[str] | None = None
) -> list[str]:
    """The competences the questionnaire asks by default: those of the job's competence
    profile that the retained scenario calls for (strength at least 1), in the study's
    order; every competence of the study when none is called for yet."""
    profile = competence_profile(study, retained)
    called = [c["code"] for c in profile["competences"] if c["strength"] > 0]
    return called or [c["code"] for c in profile["competences"]]


def questionnaire(
    study: Mapping[str, Any], competences: Iterable[str] | None = None, language: str | None = None
) -> Questionnaire:
    """The self-assessment of `study`: one question per competence.

    Parameters
    ----------
    study
        A study file document (its competences, their links, its own frameworks).
    competences
        The codes of the competences asked, in the order asked (None: those of
        :func:`profile_competences`); a code the study does not have is left out.
    language
        The language of the statements and of the scales (the study's when None).

    Returns
    -------
    Questionnaire
        Its questions, each with its scale (lowest level first) and the expected level.
    """
    language = language_or_default(language or str(study.get("language") or "fr"))
    frameworks = study_frameworks(study)
    by_code = {c["code"]: c for c in study.get("competences", [])}
    codes = profile_competences(study) if competences is None else list(competences)
    return {
        "language": language,
        "questions": [
            _question(by_code[code], frameworks, language) for code in codes if code in by_code
        ],
    }


def snapshot(
    study: Mapping[str, Any],
    competences: Iterable[str],
    kept: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The questionnaire as published: what :func:`questionnaire` reads, kept so that the
    answers are always read on the questions that were asked.

    Parameters
    ----------
    study
        A study file document as it is now (its language, competences, own frameworks).
    competences
        The codes of the competences asked (a code the study does not have is left out).
    kept
        A snapshot made before (one a study file carried with its groups' counts): each of
        its competences stays as it is, whatever the study says of it now.

    Returns
    -------
    dict
        ``language``, ``competences`` (code, text and links of each competence fixed) and
        ``reference_frameworks`` (the study's own frameworks their links name; the
        frameworks Anticipe ships are packaged data, the same for every reader).
    """
    fixed = [dict(c) for c in (kept or {}).get("competences", [])]
    frameworks = [dict(f) for f in (kept or {}).get("reference_frameworks", [])]
    codes = {c["code"] for c in fixed}
    by_code = {c["code"]: c for c in study.get("competences", [])}
    for code in competences:
        if code in by_code and code not in codes:
            competence = by_code[code]
            links = [dict(link) for link in competence.get("frameworks", [])]
            fixed.append({"code": code, "text": competence["text"], "frameworks": links})
            codes.add(code)
    named = {str(link.get("framework", "")) for c in fixed for link in c["frameworks"]}
    held = {f["id"] for f in frameworks}
    for document in study.get("reference_frameworks", []):
        if document["id"] in named and document["id"] not in held:
            frameworks.append(dict(document))
            held.add(document["id"])
    language = (kept or {}).get("language") or str(study.get("language") or "fr")
    return {"language": language, "competences": fixed, "reference_frameworks": frameworks}


def published_document(
    study: Mapping[str, Any], fixed: Mapping[str, Any] | None
) -> Mapping[str, Any]:
    """What the questionnaire reads for answers already given: each competence of the
    snapshot `fixed` (:func:`snapshot`) as it was published, whatever the study says of it
    now (its links, its text, renamed or deleted since); a competence the snapshot does not
    hold (counts imported from a study file that carries no questionnaire) as the study has
    it now. `study` itself when there is no snapshot."""
    if not fixed or not fixed.get("competences"):
        return study
    codes = {c["code"] for c in fixed["competences"]}
    own = {f["id"] for f in fixed.get("reference_frameworks", [])}
    return {
        "language": study.get("language") or fixed.get("language") or "fr",
        "competences": [
            *fixed["competences"],
            *(c for c in study.get("competences", []) if c["code"] not in codes),
        ],
        "reference_frameworks": [
            *fixed.get("reference_frameworks", []),
            *(f for f in study.get("reference_frameworks", []) if f["id"] not in own),
        ],
    }


def accepts(question: Question, answer: str) -> bool:
    """Whether `answer` is one of the question's levels or "I don't know"."""
    return answer == DONT_KNOW or any(level["id"] == answer for level in question["levels"])


def _rank(question: Question, level: str) -> int:
    return [item["id"] for item in question["levels"]].index(level)


def is_below(question: Question, level: str) -> bool:
    """Whether the level `level` (one of the question's) is below the expected level."""
    return _rank(question, level) < _rank(question, question["expected"])


def score(questions: Questionnaire, answers: Mapping[str, str]) -> RespondentResult:
    """One respondent's result.

    Parameters
    ----------
    questions
        The questionnaire (:func:`questionnaire`).
    answers
        Competence code -> the level chosen, or :data:`DONT_KNOW`; an answer to a question
        not asked, or a level not of its scale, is left out as not answered.

    Returns
    -------
    RespondentResult
        Strengths (at or above the expected level), gaps (below it) and the questions not
        placed, each with the framework's level names and certification (when it has one).
    """
    found: RespondentResult = {
        "strengths": [],
        "gaps": [],
        "unknown": [],
        "answered": 0,
        "total": len(questions["questions"]),
        "certifications": [],
    }
    for question in questions["questions"]:
        answer = answers.get(question["competence"], "")
        if answer and not accepts(question, answer):
            answer = ""
        titles = {level["id"]: level["title"] for level in question["levels"]}
        if answer == DONT_KNOW:
            status = "unknown"
        elif not answer:
            status = "unanswered"
        else:
            status = "gap" if is_below(question, answer) else "strength"
        item: CompetenceResult = {
            "competence": question["competence"],
            "text": question["text"],
            "framework_name": question["framework_name"],
            "framework_competence": question["framework_competence"],
            "framework_competence_title": question["framework_competence_title"],
            "level": answer,
            "level_title": titles.get(answer, ""),
            "expected": question["expected"],
            "expected_title": question["expected_title"],
            "status": status,
            "certification": question["certification"],
            "certification_url": question["certification_url"],
        }
        found["answered"] += bool(answer)
        if status == "strength":
            found["strengths"].append(item)
        elif status == "gap":
            found["gaps"].append(item)
        else:
            found["unknown"].append(item)
        certified: Certified = {
            "name": question["certification"],
            "url": question["certification_url"],
        }
        if certified["name"] and certified not in found["certifications"]:
            found["certifications"].append(certified)
    return found


def count_answers(
    questions: Questionnaire, answers: Iterable[Mapping[str, str]]
) -> dict[str, dict[str, int]]:
    """A group's counts: per question, how many respondents chose each level (and "I don't
    know"); answers outside the scale and questions left blank are not counted."""
    counts: dict[str, dict[str, int]] = {q["competence"]: {} for q in questions["questions"]}
    asked = {q["competence"]: q for q in questions["questions"]}
    for respondent in answers:
        for code, answer in respondent.items():
            question = asked.get(code)
            if question is not None and answer and accepts(question, answer):
                counts[code][answer] = counts[code].get(answer, 0) + 1
    return counts


def aggregate(
    questions: Questionnaire, counts: Counts, respondents: int, minimum: int = 1
) -> GroupAggregate:
    """Per question, the group's distribution over the scale and the share below the
    expected level.

    Parameters
    ----------
    questions
        The questionnaire the counts answer.
    counts
        Competence code -> level id (or :data:`DONT_KNOW`) -> respondents
        (:func:`count_answers`, or a study file's ``self_assessment`` group); a level the
        scale does not have is left out.
    respondents
        How many answered the self-assessment in the group.
    minimum
        A competence fewer respondents answered is ``withheld`` (:func:`withhold_small`).

    Returns
    -------
    GroupAggregate
        ``share_below`` is among the respondents who placed themselves on a level ("I
        don't know" and blank answers are left out of it), None when none did.
    """
    found: list[CompetenceDistribution] = []
    shown = withhold_small(counts, minimum)
    for question in questions["questions"]:
        given = shown.get(question["competence"], {})
        levels: list[LevelCount] = [
            {
                "id": level["id"],
                "title": level["title"],
                "count": int(given.get(level["id"], 0)),
                "below": is_below(question, level["id"]),
            }
            for level in question["levels"]
        ]
        placed = sum(level["count"] for level in levels)
        below = sum(level["count"] for level in levels if level["below"])
        found.append(
            {
                "competence": question["competence"],
                "text": question["text"],
                "framework_name": question["framework_name"],
                "framework_competence": question["framework_competence"],
                "expected": question["expected"],
                "expected_title": question["expected_title"],
                "levels": levels,
                "dont_know": int(given.get(DONT_KNOW, 0)),
                "placed": placed,
                "below": below,
                "share_below": below / placed if placed else None,
                "withheld": question["competence"] not in shown,
            }
        )
    return {"respondents": respondents, "competences": found}
