"""Training needs: which needs of the job's competence profile a catalogue of training
modules covers, by which modules, and which no module covers — for the profile, and for a
group's self-assessment (the share of the group below the level the job expects); and what
the study's profile adds to today's profile of the job.

**Reading a catalogue** (:func:`read_catalogue`): a CSV or XLSX list with the columns
title, provider, duration (hours) and covers (and optionally an id), headers in French or
English. ``covers`` lists what a module covers, separated by ``;`` ``,`` or line breaks:
study competence codes (``C12``) and/or framework competences, written ``DigComp 2.4``
(framework name and competence), ``DigComp 2.4:5`` or ``digcomp-2.2:2.4:5`` (up to level 5).
Every problem is refused with its row and column (:mod:`anticipe.study.table_import`).

**A need** is a competence of the profile that the retained scenario calls for (strength >
0) or that has a target level (a framework link with a level). A module **covers** a need
when it names the competence itself, or one of its linked framework competences — up to a
level at least the expected one (a module that gives no level covers the framework
competence at any level). The needs are sorted by strength, most impacted first.

**A group's self-assessment** (the study file's ``self_assessment``, counts only): for each
competence, how many respondents placed themselves at each level. The levels are those of
the framework of the competence's first link with a level (the expected level); the share
below is the respondents at a lower level over those who gave a level of that scale. With a
group, the needs are sorted by that share, highest first.

**What is new compared with today's profile** (:func:`what_is_new`): today's profile
(``current_profile``) lists framework competences with the level held today. The study's
profile adds the framework areas where today's profile has no competence, the framework
competences it does not have, and raises the level of those it has at a lower level; each
with the study competences behind it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypedDict

from anticipe.i18n import translator
from anticipe.study.frameworks import Framework, linked_framework, study_frameworks
from anticipe.study.frameworks.loading import LEGACY_NAMES
from anticipe.study.profile import CompetenceProfile, ProfileLink, competence_profile
from anticipe.study.self_assessment import aggregate, published_document, questionnaire
from anticipe.study.table_import import (
    ImportRefused,
    Problem,
    cell_text,
    column_of,
    data_rows,
    find_header,
    folded,
)
from anticipe.study.tables import Table

__all__ = [
    "HEADERS",
    "MAX_MODULES",
    "Expected",
    "GroupInfo",
    "NeedRow",
    "NewArea",
    "NewCompetence",
    "TrainingNeeds",
    "WhatIsNew",
    "catalogue_with_codes",
    "expected_text",
    "framework_aliases",
    "module_covers_text",
    "modules_text",
    "new_catalogue",
    "parse_covers",
    "read_catalogue",
    "training_needs",
    "what_is_new",
]

MAX_MODULES = 500
"""Modules of a catalogue read from a list (the study file allows 2,000)."""
MAX_COVERS = 100
"""Items a module covers (as the study file's schema)."""
MAX_HOURS = 10_000.0

HEADERS: dict[str, str] = {
    **dict.fromkeys(["id", "code", "reference", "ref", "numero"], "id"),
    **dict.fromkeys(["title", "module", "training", "course", "name"], "title"),
    **dict.fromkeys(["titre", "intitule", "formation", "nom", "nomdumodule"], "title"),
    **dict.fromkeys(["provider", "organiser", "organizer", "trainer"], "provider"),
    **dict.fromkeys(["operateur", "organisme", "prestataire", "fournisseur"], "provider"),
    **dict.fromkeys(["centre", "centredeformation", "operateurdeformation"], "provider"),
    **dict.fromkeys(["duration", "durationh", "durationhours", "hours", "duree"], "duration"),
    **dict.fromkeys(
        ["dureeh", "dureeenheures", "dureeheures", "heures", "nombredheures"], "duration"
    ),
    **dict.fromkeys(["covers", "competences", "competencies", "skills", "codes"], "covers"),
    **dict.fromkeys(["couvre", "competencesvisees", "competencescouvertes"], "covers"),
    **dict.fromkeys(["referentiels", "codescompetences"], "covers"),
}
MAX_LENGTHS = {"id": 40, "title": 300, "provider": 200}
SEPARATORS = re.compile(r"[;,\n]+")
DURATION = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:h|heures?|hours?|hrs?)?\.?$", re.IGNORECASE)


# -- the covers column ------------------------------------------------------------------------


def framework_aliases(frameworks: Mapping[str, Framework]) -> dict[str, str]:
    """Folded names a catalogue may give a framework by (its id, its name, its name without
    version — ``DigComp`` — and the names of study format 1.1), with the framework's id."""
    aliases: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    for framework in frameworks.values():
        aliases[folded(framework.id)] = framework.id
        aliases[folded(framework.name)] = framework.id
        first = folded(framework.name.split()[0]) if framework.name.split() else ""
        if first:
            short.setdefault(first, set()).add(framework.id)
    for name, target in LEGACY_NAMES.items():
        if target in frameworks:
            aliases.setdefault(folded(name), target)
    aliases.update({name: next(iter(ids)) for name, ids in short.items() if len(ids) == 1})
    if "crcn-pix" in frameworks:
        aliases.setdefault("pix", "crcn-pix")
    return aliases


def _framework_item(
    text: str, frameworks: Mapping[str, Framework], aliases: Mapping[str, str]
) -> tuple[dict[str, str] | None, str, str]:
    """A framework competence written in a covers cell, or None with the reason (and the
    framework's id when the framework was recognised)."""
    if ":" in text and " " not in text.split(":")[0].strip():
        parts = [part.strip() for part in text.split(":")]
        if len(parts) in (2, 3) and folded(parts[0]) in aliases:
            name, code, level = parts[0], parts[1], parts[2] if len(parts) == 3 else ""
        else:
            return None, "form", ""
    else:
        head, _, tail = text.rpartition(" ")
        if not head:
            return None, "form", ""
        name = head
        code, _, level = tail.partition(":")
    framework_id = aliases.get(folded(name))
    if framework_id is None:
        return None, "framework", ""
    framework = frameworks[framework_id]
    if framework.competence(code) is None:
        return None, "competence", framework_id
    if level and framework.level(level) is None:
        return None, "level", framework_id
    item = {"framework": framework.id, "id": code}
    if level:
        item["level"] = level
    return item, "", framework_id


def parse_covers(
    text: str,
    codes: Sequence[str],
    frameworks: Mapping[str, Framework],
    language: str,
) -> tuple[list[dict[str, str]], list[str]]:
    """What a covers cell names (study competences and framework competences), and the
    problems of the items it cannot read (in `language`)."""
    gettext = translator(language).gettext
    aliases = framework_aliases(frameworks)
    known = {code.casefold(): code for code in codes}
    covers: list[dict[str, str]] = []
    problems: list[str] = []
    for raw in SEPARATORS.split(text):
        item_text = raw.strip()
        if not item_text:
            continue
        entry: dict[str, str] | None
        if item_text.casefold() in known:
            entry = {"competence": known[item_text.casefold()]}
        else:
            entry, reason, framework_id = _framework_item(item_text, frameworks, aliases)
            if entry is None:
                problems.append(
                    _cover_problem(item_text[:80], reason, frameworks.get(framework_id), gettext)
                )
                continue
        if entry not in covers:
            covers.append(entry)
    if len(covers) > MAX_COVERS:
        problems.append(
            gettext("A module covers at most %(limit)d competences.") % {"limit": MAX_COVERS}
        )
    return covers, problems


def _cover_problem(
    text: str, reason: str, framework: Framework | None, gettext: Callable[[str], str]
) -> str:
    if framework is not None and reason in ("competence", "level"):
        if reason == "level":
            return gettext(
                "“%(value)s”: %(framework)s has no such level (its levels: %(levels)s)."
            ) % {
                "value": text,
                "framework": framework.name,
                "levels": ", ".join(level.id for level in framework.levels),
            }
        return gettext("“%(value)s”: %(framework)s has no such competence.") % {
            "value": text,
            "framework": framework.name,
        }
    return gettext(
        "“%(value)s” is neither a competence of the study nor a framework competence "
        "(write e.g. C12, DigComp 2.4 or digcomp-2.2:2.4:5)."
    ) % {"value": text}


def _duration(text: str) -> float | None:
    found = DURATION.match(text.strip())
    if found is None:
        return None
    return float(found.group(1).replace(",", "."))


def module_covers_text(module: Mapping[str, Any], frameworks: Mapping[str, Framework]) -> str:
    """What a module covers, written as a catalogue's covers cell (``C12; DigComp 2.4:5``)."""
    parts = []
    for item in module.get("covers", []):
        if "competence" in item:
            parts.append(item["competence"])
            continue
        framework = linked_framework(item["framework"], frameworks)
        name = framework.name if framework is not None else item["framework"]
        parts.append(f"{name} {item['id']}" + (f":{item['level']}" if item.get("level") else ""))
    return "; ".join(parts)


# -- reading a catalogue ----------------------------------------------------------------------


def read_catalogue(table: Table, study: Mapping[str, Any], language: str) -> list[dict[str, Any]]:
    """The modules of a catalogue list (in the study file's form), or :class:`ImportRefused`
    with every problem by row and column. `study` is the study document (its competences
    and frameworks)."""
    gettext = translator(language).gettext
    number, columns = find_header(table, HEADERS, language)
    missing = [name for name in ("title", "covers") if name not in columns]
    if missing:
        raise ImportRefused(
            [
                Problem(
                    gettext(
                        "The header has no column “%(columns)s”. Expected headers: title "
                        "(titre), provider (opérateur), duration (durée), covers (couvre)."
                    )
                    % {"columns": "”, “".join(missing)},
                    number,
                )
            ]
        )
    codes = [c["code"] for c in study.get("competences", [])]
    frameworks = study_frameworks(study)
    problems: list[Problem] = []
    modules: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row, cells in data_rows(table, number):
        if len(modules) >= MAX_MODULES:
            problems.append(
                Problem(
                    gettext("A catalogue has at most %(limit)d modules.") % {"limit": MAX_MODULES},
                    row,
                )
            )
            break
        values = {name: cell_text(cells, columns, name) for name in HEADERS.values()}
        module, found = _module(values, row, columns, codes, frameworks, seen, language)
        problems.extend(found)
        module["id"] = module["id"] or f"M{len(modules) + 1:02d}"
        modules.append(module)
    if problems:
        raise ImportRefused(problems)
    if not modules:
        raise ImportRefused([Problem(gettext("The list has a header but no module."), number)])
    ids = [m["id"] for m in modules]
    if len(set(ids)) != len(ids):  # a generated id may meet a given one
        for k, module in enumerate(modules, start=1):
            module["id"] = f"M{k:02d}"
    return modules


def new_catalogue(
    modules: list[dict[str, Any]], *, title: str = "", simulated: bool = False
) -> dict[str, Any]:
    """A study's ``training_catalogue`` from the modules of a list (:func:`read_catalogue`),
    with its title when given, and ``simulated`` when the offer is illustrative."""
    catalogue: dict[str, Any] = {"title": title} if title else {}
    catalogue["modules"] = modules
    if simulated:
        catalogue["simulated"] = True
    return catalogue


def _module(
    values: dict[str, str],
    row: int,
    columns: Mapping[str, int],
    codes: Sequence[str],
    frameworks: Mapping[str, Framework],
    seen: dict[str, int],
    language: str,
) -> tuple[dict[str, Any], list[Problem]]:
    gettext = translator(language).gettext
    problems: list[Problem] = []
    where = {name: column_of(columns, name) for name in HEADERS.values()}
    if not values["title"]:
        problems.append(Problem(gettext("The title is missing."), row, where["title"]))
    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit:
            problems.append(
                Problem(
                    gettext("Too long: at most %(limit)d characters.") % {"limit": limit},
                    row,
                    where[name],
                )
            )
    if values["id"]:
        key = values["id"].casefold()
        if key in seen:
            problems.append(
                Problem(
                    gettext("This id is already on row %(row)d.") % {"row": seen[key]},
                    row,
                    where["id"],
                )
            )
        seen.setdefault(key, row)
    module: dict[str, Any] = {"id": values["id"][:40], "title": values["title"][:300]}
    if values["provider"]:
        module["provider"] = values["provider"][:200]
    if values["duration"]:
        hours = _duration(values["duration"])
        if hours is None or not 0 <= hours <= MAX_HOURS:
            problems.append(
                Problem(
                    gettext("“%(value)s” is not a duration in hours (0 to 10,000).")
                    % {"value": values["duration"][:40]},
                    row,
                    where["duration"],
                )
            )
        else:
            module["duration_hours"] = int(hours) if hours.is_integer() else hours
    covers, found = parse_covers(values["covers"], codes, frameworks, language)
    problems.extend(Problem(text, row, where["covers"]) for text in found)
    if not covers and not found:
        problems.append(Problem(gettext("The module covers no competence."), row, where["covers"]))
    module["covers"] = covers
    return module, problems


# -- keeping a catalogue in step with the study's competences --------------------------------


def catalogue_with_codes(
    catalogue: Mapping[str, Any] | None, codes: Sequence[str], renamed: Mapping[str, str] = {}
) -> dict[str, Any] | None:
    """The catalogue once a competence's code changed (`renamed`: old code -> new) or a
    competence was deleted: what it covers names only the study's `codes`, a module left
    covering nothing is dropped (the study file's modules cover something). None stays
    None."""
    if catalogue is None:
        return None
    kept = set(codes)
    modules = []
    for module in catalogue.get("modules", []):
        covers = []
        for item in module["covers"]:
            if "competence" in item:
                code = renamed.get(item["competence"], item["competence"])
                if code not in kept:
                    continue
                item = {"competence": code}
            if item not in covers:
                covers.append(item)
        if covers:
            modules.append({**module, "covers": covers})
    return {**catalogue, "modules": modules}


# -- the needs table --------------------------------------------------------------------------


class Expected(TypedDict):
    """A level the job expects for a competence, through one of its framework links."""

    framework: str
    name: str
    id: str
    title: str
    level: str
    level_title: str


class Cover(TypedDict):
    """A module that covers a need, and how (the competence itself or a framework one)."""

    module: str
    title: str
    provider: str
    duration_hours: float | None
    via: str  #: "" when the module names the competence, else "DigComp 2.4" (":5")


class NeedRow(TypedDict):
    code: str
    text: str
    strength: int
    expected: list[Expected]
    modules: list[Cover]
    covered: bool
    below: float | None  #: the group's share below the expected level (None: no group/answers)
    answered: int  #: the group's respondents who gave a level of the scale (0 without group)


class GroupInfo(TypedDict):
    code: str
    label: str
    respondents: int
    simulated: bool


class TrainingNeeds(TypedDict):
    """The result of :func:`training_needs`."""

    catalogue_title: str
    catalogue_simulated: bool
    modules: int
    group: GroupInfo | None
    simulated: bool  #: the catalogue or the group is simulated
    rows: list[NeedRow]
    not_covered: list[str]  #: codes of the needs no module covers
    covered: int


def _expected(links: Sequence[ProfileLink]) -> list[Expected]:
    return [
        {
            "framework": link["framework"],
            "name": link["name"],
            "id": link["id"],
            "title": link["title"],
            "level": link["level"],
            "level_title": link["level_title"],
        }
        for link in links
        if link["level"]
    ]


def _covers(
    item: Mapping[str, Any],
    code: str,
    links: Sequence[ProfileLink],
    frameworks: Mapping[str, Framework],
) -> str | None:
    """How a covered item meets the competence `code`: "" directly, a framework reference,
    or None when it does not."""
    if "competence" in item:
        return "" if item["competence"] == code else None
    framework = linked_framework(item["framework"], frameworks)
    if framework is None:
        return None
    for link in links:
        if link["framework"] != framework.id or link["id"] != item["id"]:
            continue
        up_to = item.get("level") or ""
        if up_to and link["level"]:
            reached, wanted = framework.level_rank(up_to), framework.level_rank(link["level"])
            if reached is None or wanted is None or reached < wanted:
                continue
        return f"{framework.name} {item['id']}" + (f":{up_to}" if up_to else "")
    return None


def _shares_below(
    study: Mapping[str, Any], group: Mapping[str, Any], lang: str | None
) -> dict[str, tuple[float | None, int]]:
    """Per competence, the group's share below the expected level and how many placed
    themselves on a level: the self-assessment's own rule (the scale each competence was
    asked on, its framework's or the generic one; "I don't know" left out), one home. The
    scales are those of the questionnaire as published when the block carries it (a link
    changed since does not change how the counts are read). A share is given to a competence
    of the study only when it was asked as it reads now (the same code and text): a code
    given since to another competence, or a competence reworded, does not take the share of
    the question the group answered."""
    asked = published_document(study, (study.get("self_assessment") or {}).get("questionnaire"))
    codes = [c["code"] for c in asked.get("competences", [])]
    questions = questionnaire(asked, codes, lang)
    counts = {c["competence"]: c["levels"] for c in group.get("competences", [])}
    found = aggregate(questions, counts, int(group.get("respondents", 0)))
    now = {c["code"]: c.get("text", "") for c in study.get("competences", [])}
    then = {c["code"]: c.get("text", "") for c in asked.get("competences", [])}
    return {
        c["competence"]: (c["share_below"], c["placed"])
        for c in found["competences"]
        if now.get(c["competence"]) == then.get(c["competence"])
    }


def _group(study: Mapping[str, Any], code: str | None) -> Mapping[str, Any] | None:
    if code is None:
        return None
    for group in (study.get("self_assessment") or {}).get("groups", []):
        if group["code"] == code:
            found: Mapping[str, Any] = group
            return found
    raise KeyError(code)


def training_needs(
    study: Mapping[str, Any],
    profile: CompetenceProfile | None = None,
    group: str | None = None,
    lang: str | None = None,
) -> TrainingNeeds:
    """The training-needs table of `study` (see the module's description).

    `profile` is the study's competence profile (computed from the file's retained
    hypotheses when None); `group` the code of a group of the study's self-assessment
    (:class:`KeyError` when it has none of that code).
    """
    profile = profile or competence_profile(study, None, lang)
    catalogue = study.get("training_catalogue") or {"modules": []}
    frameworks = study_frameworks(study)
    chosen = _group(study, group)
    shares = _shares_below(study, chosen, lang) if chosen is not None else {}
    rows: list[NeedRow] = []
    for comp in profile["competences"]:
        expected = _expected(comp["links"])
        if comp["strength"] <= 0 and not expected:
            continue
        covers: list[Cover] = []
        for module in catalogue["modules"]:
            for item in module["covers"]:
                via = _covers(item, comp["code"], comp["links"], frameworks)
                if via is not None:
                    covers.append(
                        {
                            "module": module["id"],
                            "title": module["title"],
                            "provider": module.get("provider", ""),
                            "duration_hours": module.get("duration_hours"),
                            "via": via,
                        }
                    )
                    break
        below, answered = shares.get(comp["code"], (None, 0))
        rows.append(
            {
                "code": comp["code"],
                "text": comp["text"],
                "strength": comp["strength"],
                "expected": expected,
                "modules": covers,
                "covered": bool(covers),
                "below": below,
                "answered": answered,
            }
        )
    rows.sort(key=lambda r: -r["strength"])  # stable: the study's order among equals
    if chosen is not None:
        rows.sort(key=lambda r: -1.0 if r["below"] is None else -r["below"])
        rows.sort(key=lambda r: r["below"] is None)
    info: GroupInfo | None = None
    if chosen is not None:
        info = {
            "code": chosen["code"],
            "label": chosen.get("label", ""),
            "respondents": chosen["respondents"],
            # a group is simulated when it says so: the block's flag only says that some
            # group is (a real group made beside the example's simulated one is real)
            "simulated": bool(chosen.get("simulated")),
        }
    catalogue_simulated = bool(catalogue.get("simulated"))
    return {
        "catalogue_title": catalogue.get("title", ""),
        "catalogue_simulated": catalogue_simulated,
        "modules": len(catalogue["modules"]),
        "group": info,
        "simulated": catalogue_simulated or bool(info and info["simulated"]),
        "rows": rows,
        "not_covered": [r["code"] for r in rows if not r["covered"]],
        "covered": sum(1 for r in rows if r["covered"]),
    }


def expected_text(expected: Sequence[Expected]) -> str:
    """The levels a need expects, as a table writes them: ``DigComp 2.2 5.1 (5 – Avancé)``."""
    return "; ".join(
        f"{e['name']} {e['id']}" + (f" ({e['level_title'] or e['level']})" if e["level"] else "")
        for e in expected
    )


def modules_text(row: NeedRow) -> str:
    """The modules covering a need: ``M01 Title`` (and how, when through a framework)."""
    return "; ".join(
        f"{m['module']} {m['title']}" + (f" ({m['via']})" if m["via"] else "")
        for m in row["modules"]
    )


# -- what is new compared with today's profile ----------------------------------------------


class NewArea(TypedDict):
    framework: str
    name: str
    id: str
    title: str
    competences: list[str]  #: study competences linked to the area


class NewCompetence(TypedDict):
    framework: str
    name: str
    id: str
    title: str
    area: str
    level: str  #: the level the study's profile expects ("" when none)
    level_title: str
    today: str  #: the level of today's profile ("" when the competence is new)
    today_title: str
    competences: list[str]


class WhatIsNew(TypedDict):
    """The result of :func:`what_is_new`."""

    source: str
    today: int  #: framework competences in today's profile
    areas: list[NewArea]
    competences: list[NewCompetence]  #: in the profile, not in today's
    raised: list[NewCompetence]  #: in both, at a higher level in the profile


def what_is_new(
    study: Mapping[str, Any], profile: CompetenceProfile | None = None, lang: str | None = None
) -> WhatIsNew | None:
    """What the study's profile adds to today's (None when the study has no today's
    profile): see the module's description."""
    current = study.get("current_profile")
    if not current:
        return None
    lang = lang or str(study.get("language") or "fr")
    profile = profile or competence_profile(study, None, lang)
    frameworks = study_frameworks(study)
    today: dict[tuple[str, str], str] = {}
    today_areas: set[tuple[str, str]] = set()
    for entry in current.get("competences", []):
        framework = linked_framework(entry["framework"], frameworks)
        if framework is None:
            continue
        item = framework.competence(entry["id"])
        level = str(entry.get("level") or "")
        key = (framework.id, entry["id"])
        if key not in today or (framework.level_rank(level) or 0) > (
            framework.level_rank(today[key]) or 0
        ):
            today[key] = level
        if item is not None:
            today_areas.add((framework.id, item.area))
    areas: list[NewArea] = []
    added: list[NewCompetence] = []
    raised: list[NewCompetence] = []
    for fw in profile["frameworks"]:
        framework = frameworks[fw["id"]]
        for area in fw["areas"]:
            linked = [i for i in area["competences"] if i["competences"]]
            if not linked:
                continue
            if (fw["id"], area["id"]) not in today_areas:
                areas.append(
                    {
                        "framework": fw["id"],
                        "name": fw["name"],
                        "id": area["id"],
                        "title": area["title"],
                        "competences": list(
                            dict.fromkeys(code for i in linked for code in i["competences"])
                        ),
                    }
                )
            for linked_item in linked:
                held = today.get((fw["id"], linked_item["id"]))
                held_level = framework.level(held) if held else None
                entry_new: NewCompetence = {
                    "framework": fw["id"],
                    "name": fw["name"],
                    "id": linked_item["id"],
                    "title": linked_item["title"],
                    "area": area["id"],
                    "level": linked_item["level"],
                    "level_title": linked_item["level_title"],
                    "today": held or "",
                    "today_title": held_level.title.in_language(lang)
                    if held_level is not None
                    else "",
                    "competences": linked_item["competences"],
                }
                if held is None:
                    added.append(entry_new)
                elif linked_item["level"] and (framework.level_rank(linked_item["level"]) or 0) > (
                    framework.level_rank(held) or 0
                ):
                    raised.append(entry_new)
    return {
        "source": str(current.get("source") or ""),
        "today": len(today),
        "areas": areas,
        "competences": added,
        "raised": raised,
    }
