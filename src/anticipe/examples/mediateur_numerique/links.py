"""The example's competences linked to the European frameworks: Anticipe's addition, not the
report's (the published study stops at Table 5's free text).

Each competence of Table 5 that a framework covers well is linked to its nearest framework
competence (the first of the links made by hand in ``tests/study/frameworks/hand_links.py``,
each with its rationale there), as a facilitator would confirm it on the desk; the soft
skills and the knowledge of the job's context that no framework covers well (C11, C18, C23,
C26-C28, C30, C35-C38, C41) are left unlinked.

Target levels: DigComp 5 (Advanced: "guiding others", what a mediator does with the
public), 4 for programming (Intermediate: the mediator introduces it, does not teach it as
a developer); DigCompEdu B1 (Integrator), the level C35 itself names.
"""

from __future__ import annotations

from typing import Final

LINKS: Final[dict[str, tuple[tuple[str, str, str], ...]]] = {
    "C1": (("digcomp-2.2", "2.5", "5"),),
    "C2": (("digcompedu", "5.1", "B1"),),
    "C3": (("digcomp-2.2", "2.1", "5"),),
    "C4": (("digcomp-2.2", "2.5", "5"),),
    "C5": (("digcompedu", "6.1", "B1"),),
    "C6": (("digcomp-2.2", "5.2", "5"),),
    "C7": (("digcomp-2.2", "5.4", "5"),),
    "C8": (("digcompedu", "3.1", "B1"),),
    "C9": (("digcompedu", "1.2", "B1"),),
    "C10": (("digcomp-2.2", "3.4", "4"),),
    "C12": (("digcomp-2.2", "5.1", "5"),),
    "C13": (("digcompedu", "6.5", "B1"),),
    "C14": (("digcompedu", "3.2", "B1"),),
    "C15": (("digcomp-2.2", "5.1", "5"),),
    "C16": (("digcompedu", "6.5", "B1"),),
    "C17": (("digcomp-2.2", "1.1", "5"),),
    "C19": (("digcomp-2.2", "2.4", "5"),),
    "C20": (("digcomp-2.2", "4.2", "5"),),
    "C21": (("digcomp-2.2", "4.2", "5"),),
    "C22": (("digcompedu", "6.4", "B1"),),
    "C24": (("digcompedu", "1.2", "B1"),),
    "C25": (("digcomp-2.2", "2.3", "5"),),
    "C29": (("digcompedu", "3.3", "B1"),),
    "C31": (("digcomp-2.2", "2.2", "5"),),
    "C32": (("digcomp-2.2", "5.4", "5"),),
    "C33": (("digcomp-2.2", "5.2", "5"),),
    "C34": (("digcomp-2.2", "5.4", "5"),),
    "C39": (("digcompedu", "1.1", "B1"),),
    "C40": (("digcompedu", "1.1", "B1"),),
    "C42": (("digcomp-2.2", "2.2", "5"),),
}
"""By competence code: (framework id, framework competence id, target level) of each link."""
