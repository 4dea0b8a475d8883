"""The seed report's published texts, transcribed as Python data.

Source: Le Forem, *Métiers d'avenir — Médiateur numérique, un métier d'avenir ?*, mai 2018
(Le Forem, Veille, analyse et prospective du marché de l'emploi). Texts are in French as
published; line-break hyphenation of the PDF is undone, nothing else is rewritten. Table
numbers refer to the report. Nothing here is simulated: the simulated parts (panel,
ballots, matrices, votes) are made by :mod:`anticipe.examples.mediateur_numerique.simulate`.
"""

from __future__ import annotations

from importlib import resources
from typing import Any, Final

from anticipe.report.chapters import CHAPTERS, split_sections

SOURCE: Final[dict[str, str]] = {
    "publisher": "Le Forem",
    "citation": (
        "Le Forem, Métiers d'avenir — Médiateur numérique, un métier d'avenir ?, mai 2018"
    ),
    "url": (
        "https://www.leforem.be/chiffres-et-analyses/"
        "metiers-d-avenir-prospectives-abilitic2perform.html"
    ),
    "date": "2018-05",
    "note": (
        "Analyse prospective réalisée par Le Forem, Veille, analyse et prospective du marché "
        "de l'emploi, selon la méthode Abilitic2Perform, avec un panel d'une dizaine "
        "d'experts. Transcription du rapport : métier, périmètre (tableau 1), facteurs "
        "(tableau 2), facteurs clés, hypothèses (tableau 3), hypothèses retenues et plan "
        "d'actions (tableau 4), compétences et impacts (tableau 5), et les chapitres du "
        "rapport (introduction, synthèse, texte de chaque étape, notes). Les réponses "
        "individuelles des experts ne sont pas publiées : celles de cette étude d'exemple "
        "sont simulées."
    ),
}

JOB: Final[dict[str, str]] = {
    "title": "Médiateur numérique",
    "description": (
        "Professionnel dont la mission consiste à rapprocher les technologies numériques du "
        "public : développer la culture numérique de tous, en particulier des personnes les "
        "plus éloignées des technologies digitales, par l'accueil, l'animation de groupes et "
        "l'accompagnement individuel. En Wallonie, cette mission est assurée principalement "
        "par les 234 animateurs multimédias des 174 Espaces Publics Numériques (EPN) ; "
        "l'étude élargit le propos aux animateurs de laboratoires de fabrication numérique "
        "(Fab Manager) et aux animateurs d'espaces de coworking."
    ),
}

HORIZON: Final[dict[str, Any]] = {"years_min": 3, "years_max": 5, "label": "2021-2023"}

# Table 1: the seven activities (after merging) and their explanatory content.
ACTIVITIES: Final[list[dict[str, str]]] = [
    {
        "code": "1",
        "title": "Accueillir le public",
        "description": "Activité liée à l’ouverture et à l’accueil de tout public.",
    },
    {
        "code": "2",
        "title": "Animer",
        "description": (
            "En ce compris les différentes étapes à la mise en place d’une animation de groupe "
            "comme l’analyse de la demande et des besoins, établir le programme, concevoir des "
            "scenarios d’animation, organiser et conduire les activités d’animation, évaluer "
            "les ateliers et éventuellement les acquis des participants."
        ),
    },
    {
        "code": "3",
        "title": "Accompagner",
        "description": (
            "L’accompagnement doit en outre ici être compris comme l’assistance à une personne "
            "dans le cadre de son projet d’activité, de création ou d’apprentissage. Cette "
            "activité comprend les activités de coaching, de partage de connaissance et de "
            "réseau, d’actions visant à susciter des effets réseaux, à développer "
            "l’interaction entre les membres, à stimuler l’auto-régulation des personnes, à "
            "apprendre par le partage et « le faire »."
        ),
    },
    {
        "code": "4",
        "title": "Gérer le fonctionnement des lieux / structures / infrastructures",
        "description": (
            "Assurer la gestion technique des équipements, des lieux, etc. et assurer "
            "éventuellement la gestion administrative et la gestion de certains projets."
        ),
    },
    {
        "code": "5",
        "title": "Développer son professionnalisme et son expertise",
        "description": (
            "Il s’agit notamment de ce que le référentiel DigCompEdu appelle le « professional "
            "engagement », en particulier les pratiques réflectives et le développement "
            "continu des compétences digitales. Pour le médiateur numérique, les compétences "
            "à entretenir sont d’ordre technologiques et pédagogiques."
        ),
    },
    {
        "code": "6",
        "title": "Développer un partenariat et s’insérer dans un réseau",
        "description": (
            "Notamment entretenir des relations d’échange et des rencontres avec les pairs et "
            "contribuer à l’animation locale du territoire."
        ),
    },
    {
        "code": "7",
        "title": "Promotion et communication",
        "description": (
            "Assurer la communication externe de projets, assurer une promotion des activités "
            "en ligne et hors ligne, etc."
        ),
    },
]

# Table 2: the 20 important change factors (titles as in Table 2). Where Table 3 words the
# title differently, the description quotes it; A19 was reworded by the panel (Table 3).
FACTORS: Final[list[dict[str, str]]] = [
    {"code": "A1", "title": "Rapidité et diversité de l'évolution technologique"},
    {
        "code": "A2",
        "title": (
            "Reconnaissance administrative, juridique, barémique, du métier de la médiation "
            "numérique"
        ),
    },
    {
        "code": "A3",
        "title": (
            "Le tout numérique conduit l'animateur numérique à être une première ligne de "
            "service public"
        ),
    },
    {"code": "A4", "title": "Augmentation du niveau d'exigence en termes de professionnalisation"},
    {
        "code": "A5",
        "title": "Équipement numérique des EPN, écoles, centres de formation, bibliothèques",
    },
    {
        "code": "A6",
        "title": "Public de plus en plus précarisé",
        "description": "Intitulé au tableau 3 : « Public de plus en plus précarisé socio "
        "économiquement ».",
    },
    {
        "code": "A7",
        "title": "Évolutivité des fractures",
        "description": "Intitulé au tableau 3 : « Évolutivité des fractures (fractures des "
        "usages) ».",
    },
    {
        "code": "A8",
        "title": "Cohérence des différents projets régionaux et fédéraux",
        "description": "Intitulé au tableau 3 : « Cohérence des différents projets régionaux, "
        "fédéraux et locaux ».",
    },
    {"code": "A9", "title": "Diversité des missions, des publics des lieux (structures)"},
    {"code": "A10", "title": "Hétérogénéité des publics cibles"},
    {
        "code": "A11",
        "title": "Transversalité et intégration des technologies numériques dans l'enseignement",
    },
    {
        "code": "A12",
        "title": (
            'Évolution de la "médiation internet" vers la "médiation vers la créativité numérique"'
        ),
    },
    {
        "code": "A13",
        "title": (
            "Financement effectif de la médiation numérique dépend de l'état des finances "
            "locales et du financement du non-marchand"
        ),
    },
    {
        "code": "A14",
        "title": (
            "Évolution des contenus diffusés numériquement, concernant enjeux de société "
            "(fake news, propagande, théorie du complot, etc.)"
        ),
    },
    {"code": "A15", "title": "Le développement des « Smart cities »"},
    {
        "code": "A16",
        "title": (
            "Structuration de l'action, des contenus de prestations et des profils de compétences."
        ),
    },
    {"code": "A17", "title": "Augmentation du nombre d'espaces (médiation et tiers-lieux)"},
    {"code": "A18", "title": "Périmètre flou de la mission des espaces de médiation / tiers lieux"},
    {
        "code": "A19",
        "title": (
            "Remise en cause des systèmes éducatifs, de consommation, de production et de "
            "gouvernance"
        ),
        "reworded_title": (
            "Nouvelles formes de consommation / de travail / d’accès à la culture et aux "
            "services, etc."
        ),
    },
    {"code": "A20", "title": "Développement de l'entreprenariat / de l'esprit d'entreprendre"},
]

# Section 3: the nine factors of the upper-left frame of Graph 1, in the report's order,
# and the tenth, added at the experts' request.
SELECTED_KEY_FACTORS: Final[list[str]] = [
    "A1",
    "A6",
    "A7",
    "A8",
    "A11",
    "A13",
    "A15",
    "A19",
    "A20",
]
ADDED_KEY_FACTOR: Final[str] = "A16"
ADDED_KEY_FACTOR_REASON: Final[str] = "Ce dixième facteur a été ajouté à la demande des experts."

# Table 3, in the report's order (1 to 10). "probable" and "desirable" are the hypotheses
# the report marks most probable and most desirable (Part 1 and Table 4; the colours of
# Table 3 are lost in the text, see the README for how each was read); "retained" is
# Table 4's. The report describes no current situation apart from the hypotheses, so none
# is given.
KEY_FACTOR_HYPOTHESES: Final[list[dict[str, Any]]] = [
    {
        "factor": "A1",
        "probable": "C",
        "desirable": "C",
        "actions_can_reach_desirable": True,
        "retained": "C",
        "hypotheses": {
            "A": (
                "L’essor de l’internet et des appareils mobiles (première vague de technologies "
                "numériques) constitue encore l’enjeu principal tandis que les technologies "
                "liées au big data, aux objets connectés et à l’intelligence artificielle "
                "(seconde vague de technologies numériques) n’ont pas encore atteint un large "
                "public. La médiation numérique se focalise encore aux usages de l’internet (y "
                "compris réseaux sociaux) et aux technologies mobiles."
            ),
            "B": (
                "Les technologies internet et mobiles (première vague) continuent de "
                "représenter un enjeu pour le public, auxquelles s’ajoutent les technologies "
                "liées au big data, aux objets connectés et à l’IA (deuxième vague). Cette "
                "seconde vague technologique fait émerger de nouveaux enjeux, notamment en "
                "matière de protection de la vie privée. La médiation numérique s’ouvre à ces "
                "nouveaux enjeux."
            ),
            "C": (
                "Big data, intelligence artificielle et objets connectés sont des technologies "
                "omniprésentes et impactent la vie des personnes à tous les niveaux : vie "
                "privée, sécurité, santé, etc. Permettre au public d’évoluer dans ce contexte "
                "inédit constitue l’enjeu majeur de la médiation numérique."
            ),
        },
    },
    {
        "factor": "A6",
        "probable": "B",
        "desirable": "C",
        "actions_can_reach_desirable": True,
        "retained": "C",
        "hypotheses": {
            "A": (
                "Les publics précarisés sont de plus en plus fragilisés économiquement. Ils ne "
                "peuvent pas suivre l’évolution technologique en termes d’équipement. Les "
                "personnes sont de plus en plus nombreuses à ne même pas avoir accès aux "
                "technologies numériques leur permettant de s’insérer dans « la société "
                "numérisée ». La fracture numérique est à nouveau matérielle."
            ),
            "B": (
                "Les publics précarisés (socio-économiquement) sont le plus souvent connectés "
                "mais souffrent d’un déficit de compétences tant numériques que transversales. "
                "Le déficit se situe donc plus souvent au niveau des usages qu’au niveau de "
                "l’équipement. Ce déficit est d’autant plus problématique que les services "
                "auxquels ils ont recours se digitalisent. La fracture numérique est culturelle "
                "(et démocratique)."
            ),
            "C": (
                "Une grande partie des publics précarisés est connectée. Les services "
                "connectés, y compris les services publics, sont de plus en plus faciles "
                "d’utilisation et accessibles. L’interaction est aisée et s’adapte aux usages "
                "des différents publics. L’évolution technologique, par sa simplification, "
                "contribue à réduire la fracture numérique tant matérielle que culturelle."
            ),
        },
    },
    {
        "factor": "A7",
        "probable": "B",
        "desirable": "C",
        "actions_can_reach_desirable": True,
        "retained": "C",
        "hypotheses": {
            "A": (
                "L’exclusion numérique dépend des usages que l’on a des technologies. Il existe "
                "des usages ludiques, industriels, sociaux, citoyens, … Un individu peut très "
                "bien maîtriser un type d’usage et pas l’autre. La médiation numérique vise à "
                "permettre de passer d’un usage à un autre."
            ),
            "B": (
                "La digitalisation des services (commerciaux ou publics) prend de plus en plus "
                "d’importance, multipliant ainsi les usages numériques. De plus en plus de "
                "personnes, anciennement incluses numériquement, se retrouvent exclues. La "
                "numérisation des services se généralise sans accompagnement des usagers qui se "
                "tournent alors vers les espaces de médiation numérique. L’enjeu de cette "
                "médiation est de soutenir un maximum de « citoyens numériques »."
            ),
            "C": (
                "La digitalisation des services (publics ou commerciaux) s’est accompagnée "
                "d’une simplification administrative. Le citoyen / consommateur accède à "
                "différents services sans que cela ne soit perçu comme un nouvel usage. En "
                "effet, le niveau de maturité et de compétence numérique de la population est "
                "tel qu’il lui permet de suivre les évolutions des services."
            ),
        },
    },
    {
        "factor": "A8",
        "probable": "B",
        "desirable": "B",
        "actions_can_reach_desirable": True,
        "retained": "B",
        "hypotheses": {
            "A": (
                "L’inclusion numérique est aux mains de trois niveaux de pouvoir différents et "
                "dont les priorités s’articulent globalement assez mal. Il en résulte un manque "
                "de cohérence et de continuité entre les impulsions fédérales et régionales et "
                "une implication à géométrie variable des autorités communales."
            ),
            "B": (
                "La politique d’inclusion numérique gagne en cohérence grâce à une meilleure "
                "articulation entre les différents niveaux de pouvoirs publics, locaux et "
                "régionaux. Elle est uniformisée sur l’ensemble du territoire."
            ),
            "C": (
                "La médiation numérique est victime elle-même d’uberisation. Des « politiques "
                "quick win », caractérisées par des actions ponctuelles et rapides (qui "
                "s’appuient éventuellement sur des plateformes) sont favorisées au détriment de "
                "« politiques structurelles »."
            ),
        },
    },
    {
        "factor": "A11",
        "probable": "A",
        "desirable": "B",
        "actions_can_reach_desirable": False,
        "retained": "A",
        "hypotheses": {
            "A": (
                "La relation entre les écoles et les espaces de médiation numérique "
                "(spécifiquement les EPN) est ponctuelle. Tantôt les écoles se déplacent dans "
                "les EPN, tantôt l’animateur en EPN se rend dans les écoles essentiellement pour "
                "des séances consacrées à des sujets spécifiques. L’équipement y est déficient "
                "(pas de connexion internet par exemple) et la pédagogie inadaptée. Les "
                "enseignants sont eux-mêmes peu formés aux technologies numériques."
            ),
            "B": (
                "Un réel partenariat et un partage des équipements entre espace de médiation et "
                "école permettent de structurer davantage la médiation numérique dans les "
                "écoles. La médiation numérique intervient de manière plus transversale et "
                "moins ponctuelle. Par ailleurs les enseignants sont formés aux technologies "
                "numériques."
            ),
            "C": (
                "Le numérique est clairement intégré à la pédagogie des écoles wallonnes qui "
                "bénéficient de plus d’un équipement adapté. Les animateurs numériques "
                "interviennent en complément des professeurs."
            ),
        },
    },
    {
        "factor": "A13",
        "probable": "B",
        "desirable": "C",
        "actions_can_reach_desirable": False,
        "retained": "B",
        "hypotheses": {
            "A": (
                "Aucun financement structurel n’est alloué à la médiation numérique. Il "
                "n’existe pas d’espaces spécifiquement consacrés à cette mission. Des acteurs "
                "disparates, remplissent partiellement la mission sur base d’appels à projets "
                "ou de financement ponctuels."
            ),
            "B": (
                "La médiation numérique est insuffisamment reconnue au regard des enjeux et ne "
                "bénéficie pas d’un financement structurel suffisant. Elle est en grande partie "
                "financée par des appels à projets ponctuels et grâce à d’autres missions "
                "remplies dans le cadre des activités de l’organisme auquel elle est rattachée "
                "(maison de jeunes, bibliothèques, etc)."
            ),
            "C": (
                "Les missions de médiation numérique sont reconnues et structurées. Les espaces "
                "de médiation bénéficient de plus d’une vue globale et un d’un rôle central en "
                "matière d’inclusion numérique. Un financement structurel et pérenne permet aux "
                "espaces de fonctionner, de s’équiper et de rémunérer durablement des équipes."
            ),
        },
    },
    {
        "factor": "A15",
        "probable": "B",
        "desirable": "B",
        "actions_can_reach_desirable": True,
        "retained": "B",
        "hypotheses": {
            "A": "La médiation numérique est exclue des réflexions sur les « smart cities »",
            "B": (
                "Les « smart cities » se développent en faisant des espaces de médiation "
                "numérique des relais numériques locaux. Leur rôle consiste à permettre "
                "l’appropriation des services de la « smart city » par la population."
            ),
            "C": (
                "Dans une volonté d’inclure davantage le citoyen dans le développement de "
                "« smart cities » ; les espaces de médiation numérique sont les outils "
                "permettant la participation des citoyens."
            ),
        },
    },
    {
        "factor": "A19",
        "probable": "B",
        "desirable": "C",
        "actions_can_reach_desirable": True,
        "retained": "BC",
        "retained_reason": "Fusion des hypothèses b et c.",
        "hypotheses": {
            "A": (
                "Les espaces de médiations numériques ne sont pas partie prenante de la remise "
                "en cause des systèmes, se cantonnant à aider les publics à acquérir la "
                "maîtrise des usages de base."
            ),
            "B": (
                "Les espaces de médiation numérique accompagnent la remise en cause des "
                "systèmes en accompagnant les publics dans leur citoyenneté ou consommation "
                "numérique. Selon la nature de ces espaces ils peuvent aider à fabriquer grâce "
                "au numérique (Fab Lab) ou à gérer son activité grâce au numérique "
                "(Coworking)."
            ),
            "C": (
                "Les espaces de médiation numérique sont les moteurs de la remise en cause du "
                "système en stimulant la créativité numérique et les nouveaux modes de travail "
                "(NWOW). Ces espaces s’inscrivent en outre dans des réseaux de partenaires "
                "innovants."
            ),
        },
        "merged": {
            "label": "BC",
            "merged_from": ["B", "C"],
            "text": (
                "Les espaces de médiation numérique accompagnent les nouvelles formes de "
                "travail, de consommation, d’accès aux services et à la culture induites par la "
                "technologie numérique. De plus, en stimulant la créativité ou les nouvelles "
                "manières de travailler (NWOW) les espaces de médiation sont les moteurs de ces "
                "changements."
            ),
        },
    },
    {
        "factor": "A20",
        "probable": "B",
        "desirable": "C",
        "actions_can_reach_desirable": True,
        "retained": "C",
        "hypotheses": {
            "A": (
                "Les espaces de médiation numérique éprouvent des difficultés à se positionner "
                "face aux candidats entrepreneurs qui viennent avec des demandes diverses (ex : "
                "demande de création de nom de domaine). Les médiateurs numériques connaissent "
                "peu le réseau d’acteurs en charge de l’aide à la création d’entreprise."
            ),
            "B": (
                "Les espaces de médiation numérique en tant que service de première ligne "
                "aident les candidats entrepreneurs à s’adresser aux bons interlocuteurs grâce "
                "à leur bonne connaissance des acteurs locaux."
            ),
            "C": (
                "Les espaces de médiation numérique sont une partie d’un réseau structuré et "
                "apportent une réponse coordonnée avec les autres acteurs du réseau."
            ),
        },
    },
    {
        "factor": "A16",
        "probable": "B",
        "desirable": "C",
        "actions_can_reach_desirable": True,
        "retained": "C",
        "hypotheses": {
            "A": (
                "La richesse du terrain est privilégiée, les animateurs numériques bénéficient "
                "d’une grande liberté et d’un cadre d’action souple. Cela conduit à une "
                "hétérogénéité parmi les animateurs numériques, à un manque de reconnaissance "
                "des missions, et un positionnement difficile par rapport aux autres acteurs "
                "locaux."
            ),
            "B": (
                "Des missions minimales sont reconnues aux espaces de médiation numérique. Les "
                "animateurs bénéficient, de plus, de programmes de formation continue tant dans "
                "le domaine de la pédagogie que dans celui des technologies. Toutefois ces "
                "formations ne sont pas contraignantes et malgré une professionnalisation des "
                "acteurs, une certaine diversité et un certain flou subsistent."
            ),
            "C": (
                "Les missions sont clairement définies de même que le profil des animateurs qui "
                "devront disposer d’une formation spécifique ou faire valoir un bilan de "
                "compétence. Outre un socle de compétences communes, ils disposent de "
                "compétences particulières au contexte dans lequel la médiation s’opère. La "
                "reconnaissance de leur mission et de leurs compétences les positionne "
                "clairement comme des personnes de référence au sein du réseau d’acteurs "
                "locaux."
            ),
            "D": (
                "Les missions et les compétences de l’animateur numérique sont clairement "
                "définies dans des textes réglementaires qui fixent par ailleurs les conditions "
                "d’accès (diplômes, certificats) et les barèmes. Ce cadre contraignant restreint "
                "la liberté et la diversité des acteurs mais inscrit définitivement les espaces "
                "de médiation dans les programmes et dispositifs régionaux et locaux."
            ),
        },
    },
]

# Table 4: the action plan, per key factor (no action was proposed for A13 and A15:
# "Aucune action n'a été proposée pour les points 6 et 7").
ACTIONS: Final[dict[str, list[str]]] = {
    "A1": [
        "Sensibilisation des citoyens aux technologies liées au big data et à l’IA.",
        "Information auprès des citoyens les plus éloignés.",
        "Création des clients avec la maturité numérique adaptée.",
        "Intégration de la sensibilisation auprès des opérateurs qui s’adressent tant à un "
        "public large que spécifique.",
    ],
    "A6": [
        "Mener des politiques volontaristes de simplification et d’adaptation des services "
        "numérisés, tant au niveau du back-end que front-end.",
        "Former les travailleurs sociaux aux outils et usages numériques afin qu’ils fassent un "
        "travail de médiation avec le public.",
    ],
    "A7": [
        "Mise en place d’une « culture numérique » au sein de la population qui permet aux "
        "personnes d’utiliser la technologie quelle que soit l’évolution.",
    ],
    "A8": [
        "Assurer la cohérence des politiques de médiation numérique autour d’un « plan » "
        "(Exemple : Plan du numérique de l’Agence du numérique).",
    ],
    "A11": [
        "Coacher les enseignants par des médiateurs numériques dans le cadre des « cyberclass ».",
    ],
    "A19": [
        "Mise en place de structures intégrées qui permettraient tant d’accompagner le "
        "changement que d’en être le moteur.",
    ],
    "A20": ["Structurer le réseau."],
    "A16": [
        "Programmer des formations comprenant des volets techniques, psycho sociaux et "
        "relatives à la diversité culturelle.",
        "Lobby pour la reconnaissance de la mission.",
        "Appui de politiques.",
    ],
}

# Table 5: the competences, each distinct sentence once (C1, C2, ... in order of first
# appearance in the table).
COMPETENCES: Final[list[str]] = [
    "Être sensible à la multiculturalité (notamment pour l’accueil de primo-arrivants).",
    "Être capable de s’adapter à un public illettré.",
    "Maîtriser la communication non violente.",
    "Adopter une attitude visant à valoriser l’interlocuteur.",
    "Être capable d’éduquer aux médias : favoriser au sein du public, le développement de "
    "l’esprit critique, d’une culture générale numérique et des savoirs de base en la matière.",
    "Être capable d’anticiper les besoins du public.",
    "Connaître et savoir utiliser les référentiels de compétences numériques (ex : DigComp), "
    "les outils de positionnement (ex : TOSA) et d’auto-positionnement (ex : Grille "
    "d’auto-positionnement des compétences numériques développée par Europass).",
    "Pouvoir adapter l’animation au milieu scolaire.",
    "Être capable de co-animer.",
    "Maîtriser le code et l’algorithmie parce que ce sont des matières recherchées dans "
    "l’enseignement.",
    "Être capable de s’adapter.",
    "Être capable de régler des difficultés techniques (connexions, équipements, etc.) "
    "rencontrées en milieu scolaire.",
    "Être capable de transmettre les « invariants » (connaissances et aptitudes permettant de "
    "passer d’un outil ou d’un usage à l’autre, basées sur la maîtrise de fondamentaux), en se "
    "basant sur le référentiel DigComp et en organisant des activités de transfert (soit "
    "transférer des savoirs et aptitudes sur un outil ou dans le cadre d’un usage à d’autres "
    "outils et usages).",
    "Maitriser les techniques de coaching.",
    "Être capable de résoudre des problèmes.",
    "Être capable de transmettre les compétences de résolution de problème.",
    "Pouvoir accompagner la recherche d’information, transmettre les méthodes de recherche.",
    "Être autonome.",
    "Être capable de collaborer.",
    "Connaitre les grands principes de la réglementation relative aux données à caractère privé.",
    "Comprendre les enjeux liés au profiling.",
    "Être capable de sensibiliser le public à ces enjeux via l’éducation aux médias.",
    "Être capable d’aider à comprendre le contexte numérique dans lequel la personne évolue.",
    "Être capable de partager son expertise avec les enseignants.",
    "Être capable d’éveiller et de sensibiliser à la citoyenneté numérique.",
    "Connaître les outils « smart ».",
    "Connaître les enjeux du NWOW (« New Way Of Work »).",
    "Connaître les enjeux de la fragmentation des parcours professionnels.",
    "Favoriser l’apprentissage par l’échange entre pairs.",
    "Connaître et pouvoir informer des possibilités de crowdfunding.",
    "Relayer les initiatives de plateformes de crowdfunding et de « groupbuying ».",
    "Veiller les évolutions technologiques.",
    "Observer une neutralité dans le choix des technologies.",
    "Être capable d’apprendre.",
    "Être autonome, niveau B1, dans les 5 domaines du DigComp et du DigCompEdu.",
    "Connaître le réseau de personnes ressources.",
    "Être capable d’activer le réseau spécialisé.",
    "Être capable d’orienter le public vers d’autres prestataires partenaires.",
    "Être capable de mettre en place des relations partenariales.",
    "Être capable de mettre en place des relations partenariales avec les écoles.",
    "Être capable de mettre en place des relations partenariales avec les acteurs des « smart "
    "cities ».",
    "Être capable de promotionner un service et communiquer à son sujet.",
]

# Table 5's rows: (activity code, key factors of the row, competence numbers, 1-based).
# The row "8. Nouvelles formes de consommation… + 9. Développement de l'entrepreneuriat"
# names two factors; the last row's activity label is lost in the text and is activity 7
# (the table lists activities in order and "Gérer…" (4) needs no particular competence).
IMPACT_ROWS: Final[list[tuple[str, list[str], list[int]]]] = [
    ("1", ["A6"], [1, 2, 3, 4]),
    ("2", ["A1"], [5, 6, 7]),
    ("2", ["A6"], [1, 2, 3, 4]),
    ("2", ["A11"], [8, 9, 10, 11, 12]),
    ("2", ["A13"], [13]),
    ("3", ["A1"], [14, 15, 16, 17, 18, 11, 19]),
    ("3", ["A6"], [1, 2, 3, 4]),
    ("3", ["A7"], [20, 21, 22, 23]),
    ("3", ["A11"], [24]),
    ("3", ["A13"], [13]),
    ("3", ["A15"], [25, 26]),
    ("3", ["A19", "A20"], [27, 28, 29, 30, 31]),
    ("5", ["A1"], [32, 33]),
    ("5", ["A16"], [34, 35]),
    ("6", ["A6"], [36, 37, 38]),
    ("6", ["A8"], [39]),
    ("6", ["A11"], [40]),
    ("6", ["A15"], [41]),
    ("7", ["A15"], [26, 42]),
]

# The report's own chapters (introduction, Part 1, the texts of each step, footnotes), as
# Markdown files in chapters/: the report's paragraphs, lists, quotations and footnotes as
# published (line-break hyphenation undone, nothing rewritten, its typos kept).


def chapter(name: str) -> str:
    """The Markdown of one of the report's chapters (``chapters/<name>.md``)."""
    path = resources.files(__package__).joinpath("chapters", f"{name}.md")
    return path.read_text(encoding="utf-8").strip()


# Part 1, « Synthèse des résultats », under its headings (a section per "# Title").
SYNTHESIS: Final[list[dict[str, str]]] = split_sections(chapter("synthesis"))

# Table 4's remarks before a factor's actions.
ACTION_NOTES: Final[dict[str, str]] = {
    "A1": "Moyennant les actions suivantes :",
    "A6": (
        "Remarque préliminaire : Les experts se montrent sceptiques quant à ce que l’hypothèse "
        "d’évolution choisie existe endéans les 5 ans. Toutefois, ils insistent sur "
        "l’imminence du besoin des autorités publiques de rendre les services numérisés plus "
        "simples, plus adaptés, plus « responsives ». En l’absence d’un tel effort, le risque "
        "d’assister à une « uberisation » des services publics, avec par exemple de grandes "
        "plateformes numériques jouant le rôle d’information des services publics."
    ),
}

# The report's cover and chapters (the study file's "report").
REPORT: Final[dict[str, Any]] = {
    "title": "Médiateur numérique, un métier d’avenir ?",
    "organisation": "Le Forem – Veille, analyse et prospective du marché de l’emploi",
    "date": "2018-05",
    "chapters": {name: chapter(name) for name in CHAPTERS},
    "action_notes": ACTION_NOTES,
}

# The panel's composition (section "Partie 2"): one sector per simulated expert.
PANEL_SECTORS: Final[list[str]] = [
    "académique",
    "espace public numérique",
    "espace public numérique",
    "espace public numérique",
    "laboratoire de fabrication numérique",
    "espace de coworking",
    "centre de compétence",
    "opérateur de formation",
    "opérateur de formation",
    "Le Forem",
]
