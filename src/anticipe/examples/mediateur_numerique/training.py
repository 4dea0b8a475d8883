"""The example's services side: the job's competences today and an illustrative catalogue of
training modules (Anticipe's additions, not the report's).

Today's profile: the report names the occupational reference the experts started from, the
*Référentiel métier de l'animateur multimédia en EPN* (EPN de Wallonie and TechnofuturTic,
2011; the report's note 16). Its activities are read here as DigComp 2.2 competences with the
level an animateur multimédia holds today (4 Intermediate, 3 for content development and
the digital environment's needs): a correspondence made for the example, illustrative, not
the reference's own. It has no DigCompEdu competence: teaching and facilitating learning
with digital tools is what the study's profile adds.

The catalogue is **simulated**: a plausible Walloon training offer for digital mediators,
written for the example, with illustrative providers (no real organisation's offer). Each
module covers study competences (``C3``) or framework competences up to a level; some
needs are left uncovered on purpose (soft skills, the knowledge of the job's context,
advanced troubleshooting: a module that stops at DigComp 5.1 level 4 does not cover a need
at level 5), so that the table shows what a training service would add.
"""

from __future__ import annotations

from typing import Any, Final

CURRENT_SOURCE: Final = (
    "Référentiel métier de l'animateur multimédia en EPN (EPN de Wallonie, TechnofuturTic, "
    "2011), rapporté aux compétences DigComp 2.2 pour l'exemple (correspondance illustrative)"
)

CURRENT: Final[tuple[tuple[str, str], ...]] = (
    ("1.1", "4"),
    ("1.2", "4"),
    ("2.1", "4"),
    ("2.2", "4"),
    ("3.1", "4"),
    ("3.2", "3"),
    ("4.1", "4"),
    ("5.1", "4"),
    ("5.2", "3"),
)
"""Today's DigComp 2.2 competences of the job: (competence, level held)."""

PROVIDERS: Final = {
    "A": "Centre de formation A (illustratif)",
    "B": "Opérateur d'insertion B (illustratif)",
    "C": "Centre de compétence numérique C (illustratif)",
    "D": "Organisme de formation continue D (illustratif)",
}

MODULES: Final[tuple[tuple[str, str, str, float, tuple[str, ...]], ...]] = (
    ("M01", "Accueillir et orienter tous les publics", "A", 14, ("C1", "C4", "C38")),
    (
        "M02",
        "Communication non violente et posture d'écoute",
        "B",
        12,
        ("C3", "digcomp-2.2:2.5:5"),
    ),
    (
        "M03",
        "Éducation aux médias et esprit critique",
        "A",
        21,
        ("digcompedu:6.1:B1", "digcomp-2.2:4.2:5", "C22"),
    ),
    ("M04", "Dépannage informatique de premier niveau", "C", 30, ("digcomp-2.2:5.1:4",)),
    ("M05", "Initiation au code et à la pensée informatique", "C", 24, ("digcomp-2.2:3.4:4",)),
    (
        "M06",
        "Concevoir et animer un atelier numérique",
        "B",
        35,
        ("digcompedu:3.1:B2", "digcompedu:3.3:B1", "C9"),
    ),
    ("M07", "Se positionner avec DigComp et les outils de test", "A", 7, ("C7", "C35")),
    ("M08", "Protection des données personnelles (RGPD)", "D", 14, ("digcomp-2.2:4.2",)),
    (
        "M09",
        "Recherche d'information et vérification des sources",
        "D",
        10,
        ("digcomp-2.2:1.1:5", "digcomp-2.2:1.2:5"),
    ),
    (
        "M10",
        "Travailler en réseau et en partenariat",
        "A",
        14,
        ("digcompedu:1.2:B1", "C39", "C40"),
    ),
    (
        "M11",
        "Communiquer et promouvoir un service en ligne",
        "B",
        18,
        ("digcomp-2.2:2.2:5", "C42"),
    ),
)
"""(id, title, provider, hours, covers): covers as a catalogue's cell writes them."""


def _cover(text: str) -> dict[str, str]:
    if ":" not in text:
        return {"competence": text}
    framework, code, *level = text.split(":")
    return {"framework": framework, "id": code, **({"level": level[0]} if level else {})}


def current_profile() -> dict[str, Any]:
    """Today's profile of the job, as the study file's ``current_profile``."""
    return {
        "source": CURRENT_SOURCE,
        "competences": [
            {"framework": "digcomp-2.2", "id": code, "level": level} for code, level in CURRENT
        ],
    }


def training_catalogue() -> dict[str, Any]:
    """The illustrative catalogue, as the study file's ``training_catalogue`` (simulated)."""
    return {
        "title": "Offre de formation illustrative pour médiateurs numériques (Wallonie)",
        "simulated": True,
        "modules": [
            {
                "id": code,
                "title": title,
                "provider": PROVIDERS[provider],
                "duration_hours": int(hours) if float(hours).is_integer() else hours,
                "covers": [_cover(item) for item in covers],
            }
            for code, title, provider, hours, covers in MODULES
        ],
    }
