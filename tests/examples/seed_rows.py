"""The seed report's tables and sentences, pinned as its text gives them.

Copied once from the seed report (Le Forem, « Médiateur numérique, un métier d'avenir ? »,
mai 2018, as extracted to text): each cell keeps the text's line breaks and line-break
hyphenation, so that the tests compare the example study and its report with the seed
without reading it, through :func:`letters` (the same letters and digits, in order).
"""

# The seed's own lines are kept whole, some longer than the project's line length.
# ruff: noqa: E501

from __future__ import annotations

import unicodedata


def letters(text: str) -> str:
    """The letters and digits of `text`, lower case, in order: what is left when line
    breaks, hyphenation, spaces, punctuation and the kind of apostrophe or quotation mark
    are set aside."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text).casefold() if ch.isalnum())


# Table 1: activity, explanatory content
TABLE_1 = [
    ("1. Accueillir le public", "- Activité liée à l’ouverture et à l’accueil de tout public."),
    (
        "2. Animer",
        (
            "- En ce compris les différentes étapes à la mise en place d’une animation de groupe comme l’analyse\n"
            "de la demande et des besoins, établir le programme, concevoir des scenarios d’animation, organi-\n"
            "ser et conduire les activités d’animation, évaluer les ateliers et éventuellement les acquis des parti-\n"
            "cipants."
        ),
    ),
    (
        "3. Accompagner",
        (
            "- L’accompagnement doit en outre ici être compris comme l’assistance à une personne dans le cadre\n"
            "de son projet d’activité, de création ou d’apprentissage. Cette activité comprend les activités de\n"
            "coaching, de partage de connaissance et de réseau, d’actions visant à susciter des effets réseaux, à\n"
            "développer l’interaction entre les membres, à stimuler l’auto-régulation des personnes, à ap-\n"
            "prendre par le partage et « le faire »."
        ),
    ),
    (
        ("4. Gérer le fonctionnement des lieux / structures / infras-\ntructures"),
        (
            "- Assurer la gestion technique des équipements, des lieux, etc. et assurer éventuellement la gestion\n"
            "administrative et la gestion de certains projets."
        ),
    ),
    (
        "5. Développer son professionnalisme et son expertise",
        (
            "- Il s’agit notamment de ce que le référentiel DigCompEdu appelle le « professional engagement »,\n"
            "en particulier les pratiques réflectives et le développement continu des compétences digitales.\n"
            "Pour le médiateur numérique, les compétences à entretenir sont d’ordre technologiques et péda-\n"
            "gogiques."
        ),
    ),
    (
        "6. Développer un partenariat et s’insérer dans un réseau",
        (
            "Notamment entretenir des relations d’échange et des rencontres avec les pairs et contribuer à\n"
            "l’animation locale du territoire."
        ),
    ),
    (
        "7. Promotion et communication",
        (
            "Assurer la communication externe de projets, assurer une promotion des activités en ligne et hors\n"
            "ligne, etc."
        ),
    ),
]

# Table 2: code, factor
TABLE_2 = [
    ("A1", ("Rapidité et diversité de l'évolution techno-\nlogique")),
    (
        "A2",
        (
            "Reconnaissance administrative, juridique,\n"
            "barémique, du métier de la médiation nu-\n"
            "mérique"
        ),
    ),
    (
        "A3",
        (
            "Le tout numérique conduit l'animateur\n"
            "numérique à être une première ligne de\n"
            "service public"
        ),
    ),
    ("A4", ("Augmentation du niveau d'exigence en\ntermes de professionnalisation")),
    ("A5", ("Équipement numérique des EPN, écoles,\ncentres de formation, bibliothèques")),
    ("A6", "Public de plus en plus précarisé"),
    ("A7", "Évolutivité des fractures"),
    ("A8", ("Cohérence des différents projets régio-\nnaux et fédéraux")),
    ("A9", ("Diversité des missions, des publics des\nlieux (structures)")),
    ("A10", "Hétérogénéité des publics cibles"),
    ("A11", ("Transversalité et intégration des technolo-\ngies numériques dans l'enseignement")),
    (
        "A12",
        (
            'Évolution de la "médiation internet" vers\n'
            'la "médiation vers la créativité numé-\n'
            'rique"'
        ),
    ),
    (
        "A13",
        (
            "Financement effectif de la médiation nu-\n"
            "mérique dépend de l'état des finances lo-\n"
            "cales et du financement du non-marchand"
        ),
    ),
    (
        "A14",
        (
            "Évolution des contenus diffusés numéri-\n"
            "quement, concernant enjeux de société\n"
            "(fake news, propagande, théorie du com-\n"
            "plot, etc.)"
        ),
    ),
    ("A15", "Le développement des « Smart cities »"),
    (
        "A16",
        ("Structuration de l'action, des contenus de\nprestations et des profils de compétences."),
    ),
    ("A17", ("Augmentation du nombre d'espaces (mé-\ndiation et tiers-lieux)")),
    ("A18", ("Périmètre flou de la mission des espaces\nde médiation / tiers lieux")),
    (
        "A19",
        (
            "Remise en cause des systèmes éducatifs,\n"
            "de consommation, de production et de\n"
            "gouvernance"
        ),
    ),
    ("A20", ("Développement de l'entreprenariat / de\nl'esprit d'entreprendre")),
]

# Table 3: each key factor's hypotheses, in the table's columns (A19: the merge last)
TABLE_3 = {
    "A1": [
        (
            "L’essor de l’internet et des ap-\n"
            "pareils mobiles (première\n"
            "vague de technologies numé-\n"
            "riques) constitue encore l’en-\n"
            "jeu principal tandis que les\n"
            "technologies liées au big data,\n"
            "aux objets connectés et à l’in-\n"
            "telligence artificielle (seconde\n"
            "vague de technologies numé-\n"
            "riques) n’ont pas encore at-\n"
            "teint un large public. La mé-\n"
            "diation numérique se focalise\n"
            "encore aux usages de l’inter-\n"
            "net (y compris réseaux so-\n"
            "ciaux) et aux technologies mo-\n"
            "biles."
        ),
        (
            "Les technologies internet et mobiles\n"
            "(première vague) continuent de re-\n"
            "présenter un enjeu pour le public,\n"
            "auxquelles s’ajoutent les technolo-\n"
            "gies liées au big data, aux objets con-\n"
            "nectés et à l’IA (deuxième vague).\n"
            "Cette seconde vague technologique\n"
            "fait émerger de nouveaux enjeux, no-\n"
            "tamment en matière de protection de\n"
            "la vie privée. La médiation numérique\n"
            "s’ouvre à ces nouveaux enjeux."
        ),
        (
            "Big data, intelligence artificielle et\n"
            "objets connectés sont des technolo-\n"
            "gies omniprésentes et impactent la\n"
            "vie des personnes à tous les ni-\n"
            "veaux : vie privée, sécurité, santé,\n"
            "etc. Permettre au public d’évoluer\n"
            "dans ce contexte inédit constitue\n"
            "l’enjeu majeur de la médiation nu-\n"
            "mérique."
        ),
    ],
    "A6": [
        (
            "Les publics précarisés sont de\n"
            "plus en plus fragilisés écono-\n"
            "miquement. Ils ne peuvent\n"
            "pas suivre l’évolution techno-\n"
            "logique en termes d’équipe-\n"
            "ment. Les personnes sont de\n"
            "plus en plus nombreuses à ne\n"
            "même pas avoir accès aux\n"
            "technologies numériques leur\n"
            "permettant de s’insérer dans\n"
            "« la société numérisée ». La\n"
            "fracture numérique est à nou-\n"
            "veau matérielle."
        ),
        (
            "Les publics précarisés (socio-écono-\n"
            "miquement) sont le plus souvent con-\n"
            "nectés mais souffrent d’un déficit de\n"
            "compétences tant numériques que\n"
            "transversales. Le déficit se situe donc\n"
            "plus souvent au niveau des usages\n"
            "qu’au niveau de l’équipement. Ce dé-\n"
            "ficit est d’autant plus problématique\n"
            "que les services auxquels ils ont re-\n"
            "cours se digitalisent. La fracture nu-\n"
            "mérique est culturelle (et démocra-\n"
            "tique)."
        ),
        (
            "Une grande partie des publics préca-\n"
            "risés est connectée. Les services\n"
            "connectés, y compris les services pu-\n"
            "blics, sont de plus en plus faciles\n"
            "d’utilisation et accessibles. L’interac-\n"
            "tion est aisée et s’adapte aux usages\n"
            "des différents publics. L’évolution\n"
            "technologique, par sa simplification,\n"
            "contribue à réduire la fracture nu-\n"
            "mérique tant matérielle que cultu-\n"
            "relle."
        ),
    ],
    "A7": [
        (
            "L’exclusion numérique dé-\n"
            "pend des usages que l’on a\n"
            "des technologies. Il existe des\n"
            "usages ludiques, industriels,\n"
            "sociaux, citoyens, … Un indi-\n"
            "vidu peut très bien maîtriser\n"
            " un type d’usage et pas l’autre.\n"
            "La médiation numérique vise\n"
            "à permettre de passer d’un\n"
            "usage à un autre."
        ),
        (
            "La digitalisation des services (com-\n"
            "merciaux ou publics) prend de plus en\n"
            "plus d’importance, multipliant ainsi\n"
            "les usages numériques. De plus en\n"
            "plus de personnes, anciennement in-\n"
            "cluses numériquement, se retrouvent\n"
            "exclues. La numérisation des services\n"
            "se généralise sans accompagnement\n"
            "des usagers qui se tournent alors vers\n"
            "les espaces de médiation numérique.\n"
            "L’enjeu de cette médiation est de\n"
            "soutenir un maximum de « citoyens\n"
            "numériques »."
        ),
        (
            "La digitalisation des services (publics\n"
            "ou commerciaux) s’est accompa-\n"
            "gnée d’une simplification adminis-\n"
            "trative. Le citoyen / consommateur\n"
            "accède à différents services sans\n"
            "que cela ne soit perçu comme un\n"
            "nouvel usage. En effet, le niveau de\n"
            "maturité et de compétence numé-\n"
            "rique de la population est tel qu’il\n"
            "lui permet de suivre les évolutions\n"
            "des services."
        ),
    ],
    "A8": [
        (
            "L’inclusion numérique est aux\n"
            "mains de trois niveaux de pou-\n"
            "voir différents et dont les prio-\n"
            "rités s’articulent globalement\n"
            "assez mal. Il en résulte un\n"
            "manque de cohérence et de\n"
            "continuité entre les impulsions\n"
            "fédérales et régionales et une\n"
            "implication à géométrie va-\n"
            "riable des autorités commu-\n"
            "nales."
        ),
        (
            "La politique d’inclusion numérique\n"
            "gagne en cohérence grâce à une\n"
            "meilleure articulation entre les dif-\n"
            "férents niveaux de pouvoirs publics,\n"
            "locaux et régionaux. Elle est unifor-\n"
            "misée sur l’ensemble du territoire."
        ),
        (
            "La médiation numérique est victime\n"
            "elle-même d’uberisation. Des « poli-\n"
            "tiques quick win », caractérisées par\n"
            "des actions ponctuelles et rapides\n"
            "(qui s’appuient éventuellement sur\n"
            "des plateformes) sont favorisées au\n"
            "détriment de « politiques structu-\n"
            "relles »."
        ),
    ],
    "A11": [
        (
            "La relation entre les écoles et\n"
            "les espaces de médiation nu-\n"
            "mérique (spécifiquement les\n"
            "EPN) est ponctuelle. Tantôt\n"
            "les écoles se déplacent dans\n"
            "les EPN, tantôt l’animateur\n"
            "en EPN se rend dans les\n"
            "écoles essentiellement pour\n"
            "des séances consacrées à des\n"
            "sujets spécifiques. L’équipe-\n"
            "ment y est déficient (pas de\n"
            "connexion internet par\n"
            "exemple) et la pédagogie ina-\n"
            "daptée. Les enseignants sont\n"
            "eux-mêmes peu formés aux\n"
            "technologies numériques."
        ),
        (
            "Un réel partenariat et un partage des\n"
            "équipements entre espace de média-\n"
            "tion et école permettent de structu-\n"
            "rer davantage la médiation numé-\n"
            "rique dans les écoles. La médiation\n"
            "numérique intervient de manière\n"
            "plus transversale et moins ponc-\n"
            "tuelle. Par ailleurs les enseignants\n"
            "sont formés aux technologies numé-\n"
            "riques."
        ),
        (
            "Le numérique est clairement intégré\n"
            "à la pédagogie des écoles wallonnes\n"
            "qui bénéficient de plus d’un équipe-\n"
            "ment adapté. Les animateurs numé-\n"
            "riques interviennent en complément\n"
            "des professeurs."
        ),
    ],
    "A13": [
        (
            "Aucun financement structurel\n"
            "n’est alloué à la médiation nu-\n"
            "mérique. Il n’existe pas d’es-\n"
            "paces spécifiquement consa-\n"
            "crés à cette mission. Des ac-\n"
            "teurs disparates, remplissent\n"
            "partiellement la mission sur\n"
            "base d’appels à projets ou de\n"
            "financement ponctuels."
        ),
        (
            "La médiation numérique est insuffi-\n"
            "samment reconnue au regard des\n"
            "enjeux et ne bénéficie pas d’un fi-\n"
            "nancement structurel suffisant. Elle\n"
            "est en grande partie financée par\n"
            "des appels à projets ponctuels et\n"
            "grâce à d’autres missions remplies\n"
            "dans le cadre des activités de l’orga-\n"
            "nisme auquel elle est rattachée\n"
            "(maison de jeunes, bibliothèques,\n"
            "etc)."
        ),
        (
            "Les missions de médiation numé-\n"
            "rique sont reconnues et structurées.\n"
            "Les espaces de médiation bénéficient\n"
            "de plus d’une vue globale et un d’un\n"
            "rôle central en matière d’inclusion\n"
            "numérique. Un financement structu-\n"
            "rel et pérenne permet aux espaces\n"
            "de fonctionner, de s’équiper et de ré-\n"
            "munérer durablement des équipes."
        ),
    ],
    "A15": [
        ("La médiation numérique est\nexclue des réflexions sur les\n« smart cities »"),
        (
            "Les « smart cities » se développent\n"
            "en faisant des espaces de médiation\n"
            "numérique des relais numériques lo-\n"
            "caux. Leur rôle consiste à permettre\n"
            "l’appropriation des services de la\n"
            "« smart city » par la population."
        ),
        (
            "Dans une volonté d’inclure davan-\n"
            "tage le citoyen dans le développe-\n"
            "ment de « smart cities » ; les espaces\n"
            "de médiation numérique sont les ou-\n"
            "tils permettant la participation des\n"
            "citoyens."
        ),
    ],
    "A19": [
        (
            "Les espaces de médiations nu-\n"
            "mériques ne sont pas partie\n"
            "prenante de la remise en\n"
            "cause des systèmes, se can-\n"
            "tonnant à aider les publics à\n"
            "acquérir la maîtrise des\n"
            "usages de base."
        ),
        (
            "Les espaces de médiation numérique\n"
            "accompagnent la remise en cause\n"
            "des systèmes en accompagnant les\n"
            "publics dans leur citoyenneté ou con-\n"
            "sommation numérique. Selon la na-\n"
            "ture de ces espaces ils peuvent aider\n"
            "à fabriquer grâce au numérique (Fab\n"
            "Lab) ou à gérer son activité grâce au\n"
            "numérique (Coworking)."
        ),
        (
            "Les espaces de médiation numérique\n"
            "sont les moteurs de la remise en\n"
            "cause du système en stimulant la\n"
            "créativité numérique et les nouveaux\n"
            "modes de travail (NWOW). Ces es-\n"
            "paces s’inscrivent en outre dans des\n"
            "réseaux de partenaires innovants."
        ),
        (
            "Fusion des hypothèses b et c :\n"
            "Les espaces de médiation numé-\n"
            "rique accompagnent les nouvelles\n"
            "formes de travail, de consomma-\n"
            "tion, d’accès aux services et à la\n"
            "culture induites par la technologie\n"
            "numérique. De plus, en stimulant\n"
            "la créativité ou les nouvelles ma-\n"
            "nières de travailler (NWOW) les\n"
            "espaces de médiation sont les mo-\n"
            "teurs de ces changements."
        ),
    ],
    "A20": [
        (
            "Les espaces de médiation nu-\n"
            "mérique éprouvent des diffi-\n"
            "cultés à se positionner face\n"
            "aux candidats entrepreneurs\n"
            "qui viennent avec des de-\n"
            "mandes diverses (ex : de-\n"
            "mande de création de nom de\n"
            "domaine). Les médiateurs nu-\n"
            "mériques connaissent peu le\n"
            "réseau d’acteurs en charge de\n"
            "l’aide à la création d’entre-\n"
            "prise."
        ),
        (
            "Les espaces de médiation numérique\n"
            "en tant que service de première ligne\n"
            "aident les candidats entrepreneurs à\n"
            "s’adresser aux bons interlocuteurs\n"
            "grâce à leur bonne connaissance des\n"
            "acteurs locaux."
        ),
        (
            "Les espaces de médiation numé-\n"
            "rique sont une partie d’un réseau\n"
            "structuré et apportent une réponse\n"
            "coordonnée avec les autres acteurs\n"
            "du réseau."
        ),
    ],
    "A16": [
        (
            "La richesse du terrain est pri-\n"
            "vilégiée, les animateurs nu-\n"
            "mériques bénéficient d’une\n"
            "grande liberté et d’un cadre\n"
            "d’action souple. Cela conduit\n"
            "à une hétérogénéité parmi les\n"
            "animateurs numériques, à un\n"
            "manque de reconnaissance\n"
            "des missions, et un position-\n"
            "nement difficile par rapport\n"
            "aux autres acteurs locaux."
        ),
        (
            "Des missions minimales sont recon-\n"
            "nues aux espaces de médiation nu-\n"
            "mérique. Les animateurs bénéficient,\n"
            "de plus, de programmes de forma-\n"
            "tion continue tant dans le domaine\n"
            "de la pédagogie que dans celui des\n"
            "technologies. Toutefois ces forma-\n"
            "tions ne sont pas contraignantes et\n"
            "malgré une professionnalisation des\n"
            "acteurs, une certaine diversité et un\n"
            "certain flou subsistent."
        ),
        (
            "Les missions sont clairement défi-\n"
            "nies de même que le profil des ani-\n"
            "mateurs qui devront disposer d’une\n"
            "formation spécifique ou faire valoir\n"
            "un bilan de compétence. Outre un\n"
            "socle de compétences communes,\n"
            "ils disposent de compétences parti-\n"
            "culières au contexte dans lequel la\n"
            "médiation s’opère. La reconnais-\n"
            "sance de leur mission et de leurs\n"
            "compétences les positionne claire-\n"
            "ment comme des personnes de réfé-\n"
            "rence au sein du réseau d’acteurs lo-\n"
            "caux."
        ),
        (
            "Les missions et les compétences de\n"
            "l’animateur numérique sont claire-\n"
            "ment définies dans des textes ré-\n"
            "glementaires qui fixent par ailleurs\n"
            "les conditions d’accès (diplômes,\n"
            "certificats) et les barèmes. Ce cadre\n"
            "contraignant restreint la liberté et\n"
            "la diversité des acteurs mais inscrit\n"
            "définitivement les espaces de mé-\n"
            "diation dans les programmes et dis-\n"
            "positifs régionaux et locaux."
        ),
    ],
}
TABLE_3_A19 = (
    (
        "8(A19) Remise en\n"
        "cause des sys-\n"
        "tèmes éduca-\n"
        "tifs, de con-\n"
        "sommation,\n"
        "de production\n"
        "et de gouver-\n"
        "nance"
    ),
    (
        "Reformulé\n"
        "comme suit :\n"
        "«Nouvelles\n"
        "formes de\n"
        "consomma-\n"
        "tion / de tra-\n"
        "vail / d’accès à\n"
        "la culture et\n"
        "aux services,\n"
        "etc.»"
    ),
)

# Table 4: each factor's cell and actions, the remarks before them, the note after
TABLE_4_FACTORS = {
    "A1": ("1. Rapidité et diversité de\nl’évolution technologique"),
    "A6": ("2. Public de plus en plus préca-\nrisé socio-économiquement"),
    "A7": ("3. Évolutivité des fractures\n(fractures des usages)"),
    "A8": ("4. Cohérence des différents\nprojets régionaux, fédéraux et\nlocaux"),
    "A11": (
        "5. Transversalité et intégra-\ntion des technologies numé-\nriques dans l’enseignement"
    ),
    "A19": (
        "8. Nouvelles formes de con-\n"
        "sommation / de travail / d’ac-\n"
        "cès à la culture et aux ser-\n"
        "vices, etc. (reformulé)"
    ),
    "A20": ("9. Développement de l’entre-\nprenariat/de l’esprit d’entre-\nprendre"),
    "A16": (
        "10. Structuration de l’action,\ndes contenus de prestation et\ndes profils de compétences"
    ),
}
TABLE_4_ACTIONS = {
    "A1": [
        "- Sensibilisation des citoyens aux technologies liées au big data et à l’IA ;",
        "- Information auprès des citoyens les plus éloignés ;",
        "- Création des clients avec la maturité numérique adaptée ;",
        (
            "- Intégration de la sensibilisation auprès des opérateurs qui s’adressent tant\n"
            "à un public large que spécifique."
        ),
    ],
    "A6": [
        (
            "- Mener des politiques volontaristes de simplification et d’adaptation des\n"
            "services numérisés, tant au niveau du back-end que front-end ;"
        ),
        (
            "- Former les travailleurs sociaux aux outils et usages numériques afin qu’ils\n"
            "fassent un travail de médiation avec le public."
        ),
    ],
    "A7": [
        (
            "Mise en place d’une « culture numérique » au sein de la population qui\n"
            "permet aux personnes d’utiliser la technologie quelle que soit l’évolution."
        ),
    ],
    "A8": [
        (
            "Assurer la cohérence des politiques de médiation numérique autour d’un\n"
            "« plan » (Exemple : Plan du numérique de l’Agence du numérique)."
        ),
    ],
    "A11": [
        (
            "Coacher les enseignants par des médiateurs numériques dans le cadre\n"
            "des « cyberclass »."
        ),
    ],
    "A19": [
        (
            "Mise en place de structures intégrées qui permettraient tant d’accompa-\n"
            "gner le changement que d’en être le moteur."
        ),
    ],
    "A20": [
        "Structurer le réseau.",
    ],
    "A16": [
        (
            "- Programmer des formations comprenant des volets techniques, psycho\n"
            "sociaux et relatives à la diversité culturelle ;"
        ),
        "- Lobby pour la reconnaissance de la mission ;",
        "- Appui de politiques.",
    ],
}
TABLE_4_REMARKS = {
    "A1": "Moyennant les actions suivantes :",
    "A6": (
        "Remarque préliminaire : Les experts se montrent sceptiques quant à ce que l’hypo-\n"
        "thèse d’évolution choisie existe endéans les 5 ans. Toutefois, ils insistent sur l’im-\n"
        "minence du besoin des autorités publiques de rendre les services numérisés plus\n"
        "simples, plus adaptés, plus « responsives ». En l’absence d’un tel effort, le risque\n"
        "d’assister à une « uberisation » des services publics, avec par exemple de grandes\n"
        "plateformes numériques jouant le rôle d’information des services publics."
    ),
}
TABLE_4_NOTE = "NB : Aucune action n’a été proposée pour les points 6 et 7."

# Table 5's cells the seed prints more than once
_COMPETENCES_1 = [
    ("Être sensible à la multiculturalité (notamment pour l’accueil de primo-arri-\nvants)."),
    "Être capable de s’adapter à un public illettré.",
    "Maîtriser la communication non violente.",
    "Adopter une attitude visant à valoriser l’interlocuteur.",
]
_COMPETENCES_2 = [
    (
        "Être capable de transmettre les « invariants » (connaissances et aptitudes\n"
        "permettant de passer d’un outil ou d’un usage à l’autre, basées sur la maî-\n"
        "trise de fondamentaux), en se basant sur le référentiel DigComp et en orga-\n"
        "nisant des activités de transfert (soit transférer des savoirs et aptitudes sur\n"
        "un outil ou dans le cadre d’un usage à d’autres outils et usages)."
    ),
]
_FACTOR_1 = "2. Public de plus en plus précarisé socio-économi-\nquement."
_FACTOR_2 = "1. Rapidité et diversité de l’évolution technologique."
_FACTOR_3 = "5. Transversalité et intégration des technologies nu-\nmériques dans l’enseignement."
_FACTOR_4 = (
    "6. Financement effectif de la médiation numérique\n"
    "dépend de l’état des finances locales et du finance-\n"
    "ment du non marchand."
)
_FACTOR_5 = "7. Développement des « smart cities »."

# Table 5: activity, competences, impacting factor(s), row by row (the last row's
# activity label is lost in the text: activity 7)
TABLE_5 = [
    (
        "1",
        _COMPETENCES_1,
        _FACTOR_1,
    ),
    (
        "2",
        [
            (
                "Être capable d’éduquer aux médias : favoriser au sein du public, le dévelop-\n"
                "pement de l’esprit critique, d’une culture générale numérique et des savoirs\n"
                "de base en la matière."
            ),
            "Être capable d’anticiper les besoins du public.",
            (
                "Connaître et savoir utiliser les référentiels de compétences numériques (ex :\n"
                "DigComp), les outils de positionnement (ex : TOSA) et d’auto-positionne-\n"
                "ment (ex : Grille d’auto-positionnement des compétences numériques déve-\n"
                "loppée par Europass)."
            ),
        ],
        _FACTOR_2,
    ),
    (
        "2",
        _COMPETENCES_1,
        _FACTOR_1,
    ),
    (
        "2",
        [
            "Pouvoir adapter l’animation au milieu scolaire.",
            "Être capable de co-animer.",
            (
                "Maîtriser le code et l’algorithmie parce que ce sont des matières recher-\n"
                "chées dans l’enseignement."
            ),
            "Être capable de s’adapter.",
            (
                "Être capable de régler des difficultés techniques (connexions, équipements,\n"
                "etc.) rencontrées en milieu scolaire."
            ),
        ],
        _FACTOR_3,
    ),
    (
        "2",
        _COMPETENCES_2,
        _FACTOR_4,
    ),
    (
        "3",
        [
            "Maitriser les techniques de coaching.",
            "Être capable de résoudre des problèmes.",
            "Être capable de transmettre les compétences de résolution de problème.",
            (
                "Pouvoir accompagner la recherche d’information, transmettre les méthodes\n"
                "de recherche."
            ),
            "Être autonome.",
            "Être capable de s’adapter.",
            "Être capable de collaborer.",
        ],
        _FACTOR_2,
    ),
    (
        "3",
        _COMPETENCES_1,
        _FACTOR_1,
    ),
    (
        "3",
        [
            (
                "Connaitre les grands principes de la réglementation relative aux données à\n"
                "caractère privé."
            ),
            "Comprendre les enjeux liés au profiling.",
            "Être capable de sensibiliser le public à ces enjeux via l’éducation aux médias.",
            (
                "Être capable d’aider à comprendre le contexte numérique dans lequel la\n"
                "personne évolue."
            ),
        ],
        "3. Évolutivité des fractures numériques.",
    ),
    (
        "3",
        [
            "Être capable de partager son expertise avec les enseignants.",
        ],
        _FACTOR_3,
    ),
    (
        "3",
        _COMPETENCES_2,
        _FACTOR_4,
    ),
    (
        "3",
        [
            "Être capable d’éveiller et de sensibiliser à la citoyenneté numérique.",
            "Connaître les outils « smart »",
        ],
        _FACTOR_5,
    ),
    (
        "3",
        [
            "Connaître les enjeux du NWOW (« New Way Of Work »).",
            "Connaître les enjeux de la fragmentation des parcours professionnels.",
            "Favoriser l’apprentissage par l’échange entre pairs.",
            "Connaître et pouvoir informer des possibilités de crowdfunding.",
            ("Relayer les initiatives de plateformes de crowdfunding et\nde « groupbuying »."),
        ],
        (
            "8. Nouvelles formes de consommation… +\n"
            "9. Développement de l’entrepreneuriat/\n"
            "esprit d’entreprendre."
        ),
    ),
    (
        "5",
        [
            "Veiller les évolutions technologiques.",
            "Observer une neutralité dans le choix des technologies.",
        ],
        _FACTOR_2,
    ),
    (
        "5",
        [
            "Être capable d’apprendre.",
            ("Être autonome, niveau B1, dans les 5 domaines du DigComp et du DigCom-\npEdu."),
        ],
        (
            "10. Structuration de l’action, des contenus de pres-\n"
            "tation et des profils de compétences."
        ),
    ),
    (
        "6",
        [
            "Connaître le réseau de personnes ressources.",
            "Être capable d’activer le réseau spécialisé.",
            "Être capable d’orienter le public vers d’autres prestataires partenaires.",
        ],
        _FACTOR_1,
    ),
    (
        "6",
        [
            "Être capable de mettre en place des relations partenariales.",
        ],
        ("4. Cohérence des différents projets régionaux, fédé-\nraux et locaux."),
    ),
    (
        "6",
        [
            "Être capable de mettre en place des relations partenariales avec les écoles.",
        ],
        _FACTOR_3,
    ),
    (
        "6",
        [
            (
                "Être capable de mettre en place des relations partenariales avec les acteurs\n"
                "des « smart cities »."
            ),
        ],
        _FACTOR_5,
    ),
    (
        "7",
        [
            "Connaître les outils « smart ».",
            "Être capable de promotionner un service et communiquer à son sujet.",
        ],
        _FACTOR_5,
    ),
]
TABLE_5_ACTIVITIES = {
    "1": "1. Accueillir",
    "2": "2. Animer",
    "3": "3. Accompagner",
    "5": ("5. Développer son professionna-\nlisme et son expertise"),
    "6": ("6. Développer un partenariat et\ns’insérer dans un réseau"),
}

# Sentences of the method text the example must carry
SENTENCES = {
    "sept": (
        "Ainsi, c’est l’activité « accompagnement » qui semble\n"
        "la plus concernée avec sept hypothèses d’évolution\n"
        "qui auront un impact direct sur sa réalisation, suivie de\n"
        "l’activité « création et entretien de partenariat et de"
    ),
    "trentaine": (
        "présentation à l’ensemble du groupe, les experts ont\n"
        "proposé un peu moins d’une trentaine de facteurs\n"
        "dont les vingt plus importants, sélectionnés sur base\n"
        "d’un vote pondéré, sont repris ci-après."
    ),
    "scale": (
        "sur les mêmes vingt facteurs en colonne\n"
        "(0 : aucune influence ; 1 : influence faible ; 2 : in-\n"
        "fluence moyenne ; 3 : influence forte)."
    ),
    "activities_tasks": (
        "Une seconde proposition a été faite ultérieurement.\n"
        "Articulée autour de 8 activités et 46 tâches ramenées\n"
        "après débat (lors du quatrième atelier), elle est cons-\n"
        "truite sur base de différentes sources décrivant les ac-"
    ),
    "facilitator": (
        "L’animateur a ensuite synthétisé les futurs possibles\n"
        "énoncés par les experts en courtes hypothèses d’évo-\n"
        "lution."
    ),
}
