"""The right links of the example study's 42 competences (Table 5 of the seed report, Le
Forem 2019: the digital mediator), made by hand before the suggestion code was written or
tuned, from the competences' texts and the frameworks' titles and descriptors.

Each competence has one or more right links (framework id, competence id): DigComp 2.2 for
the mediator's own competences, DigCompEdu where the mediator teaches or guides, the CRCN
where its wording is the natural one. The first link is the one the example study file
confirms. `WEAK` lists the competences no framework covers well (soft skills, knowledge of
the job's context): their links are the nearest, and a facilitator might leave them
unlinked. A suggestion is right when one of its top 3 is among a competence's links.
"""

from __future__ import annotations

from typing import NamedTuple


class HandLinks(NamedTuple):
    links: tuple[tuple[str, str], ...]
    rationale: str


D, E, C = "digcomp-2.2", "digcompedu", "crcn-pix"

HAND_LINKS: dict[str, HandLinks] = {
    "C1": HandLinks(
        ((D, "2.5"), (E, "5.1")),
        "Multiculturality: DigComp's netiquette covers cultural and generational diversity "
        "in digital environments; with newcomers, DigCompEdu's inclusion.",
    ),
    "C2": HandLinks(
        ((E, "5.1"), (E, "5.2")),
        "Adapting to an illiterate public is accessibility and inclusion, differentiation.",
    ),
    "C3": HandLinks(
        ((D, "2.1"), (D, "2.5")),
        "Non-violent communication: interacting, the norms of behaviour (netiquette).",
    ),
    "C4": HandLinks(
        ((D, "2.5"), (D, "2.1"), (E, "5.3")),
        "Valuing the other person: behaviour norms in interactions; engaging learners.",
    ),
    "C5": HandLinks(
        ((E, "6.1"), (D, "1.2"), (D, "2.3")),
        "Media education, critical thinking: DigCompEdu's information and media literacy; "
        "DigComp's evaluating information; a basic digital culture for citizenship.",
    ),
    "C6": HandLinks(
        ((D, "5.2"), (E, "5.2")),
        "Anticipating the public's needs: identifying needs and technological responses.",
    ),
    "C7": HandLinks(
        ((D, "5.4"), (E, "4.1")),
        "Competence frameworks and (self-)positioning tools: identifying digital competence "
        "gaps; as an educator, assessment strategies.",
    ),
    "C8": HandLinks(
        ((E, "3.1"), (E, "5.2")),
        "Adapting a session to schools: teaching, differentiation.",
    ),
    "C9": HandLinks(
        ((E, "1.2"), (D, "2.4")),
        "Co-facilitating: professional collaboration; collaborating.",
    ),
    "C10": HandLinks(
        ((D, "3.4"), (E, "6.3"), (C, "3.4")),
        "Code and algorithms: programming (and teaching content creation, which includes it).",
    ),
    "C11": HandLinks(
        ((D, "5.4"), (D, "5.2")),
        "Adapting oneself (weak): keeping up to date with the digital evolution, adjusting "
        "digital environments to needs.",
    ),
    "C12": HandLinks(
        ((D, "5.1"), (C, "5.1")),
        "Connections and equipment problems: solving technical problems.",
    ),
    "C13": HandLinks(
        ((E, "6.5"), (E, "3.1"), (D, "5.4")),
        "Teaching the 'invariants' and transfer from one tool to another, based on DigComp: "
        "DigCompEdu's digital problem solving (transfer of digital competence to new "
        "situations); teaching; DigComp's competence gaps.",
    ),
    "C14": HandLinks(((E, "3.2"),), "Coaching techniques: guidance."),
    "C15": HandLinks(
        ((D, "5.1"), (D, "5.2"), (D, "5.3")),
        "Solving problems: DigComp's problem-solving area.",
    ),
    "C16": HandLinks(
        ((E, "6.5"),),
        "Teaching problem solving: facilitating learners' digital problem solving.",
    ),
    "C17": HandLinks(
        ((D, "1.1"), (E, "6.1"), (C, "1.1")),
        "Accompanying information search, teaching search methods: browsing, searching and "
        "filtering; learners' information literacy.",
    ),
    "C18": HandLinks(
        ((D, "5.4"), (D, "5.2")),
        "Being autonomous (weak): self-directed development, own digital environment.",
    ),
    "C19": HandLinks(
        ((D, "2.4"), (E, "1.2"), (C, "2.3")),
        "Collaborating: collaborating through digital technologies; professional collaboration.",
    ),
    "C20": HandLinks(
        ((D, "4.2"), (C, "4.2")),
        "Rules on personal data: protecting personal data and privacy.",
    ),
    "C21": HandLinks(
        ((D, "4.2"), (D, "2.6")),
        "Profiling: how personal data are used (privacy), one's digital identity.",
    ),
    "C22": HandLinks(
        ((E, "6.4"), (E, "6.1"), (D, "4.2")),
        "Raising awareness of data and profiling through media education: responsible use, "
        "media literacy; privacy.",
    ),
    "C23": HandLinks(
        ((E, "6.1"), (C, "5.2"), (D, "2.3")),
        "Understanding one's digital context (weak): media literacy; the CRCN's 'évoluer "
        "dans un environnement numérique'; digital citizenship.",
    ),
    "C24": HandLinks(
        ((E, "1.2"), (D, "2.2")),
        "Sharing expertise with teachers: professional collaboration; sharing.",
    ),
    "C25": HandLinks(
        ((D, "2.3"), (E, "6.4")),
        "Digital citizenship: engaging in citizenship through digital technologies; "
        "responsible use.",
    ),
    "C26": HandLinks(
        ((D, "5.2"), (D, "5.3")),
        "Knowing 'smart' tools (weak): technological responses, creative use of technologies.",
    ),
    "C27": HandLinks(
        ((D, "2.4"), (D, "5.3")),
        "New ways of working (weak): collaborating through digital technologies, creative "
        "use of technologies.",
    ),
    "C28": HandLinks(
        ((D, "5.4"), (D, "2.6")),
        "Fragmented careers (weak): competence gaps and development, professional identity.",
    ),
    "C29": HandLinks(((E, "3.3"),), "Peer learning: collaborative learning."),
    "C30": HandLinks(
        ((D, "2.3"), (D, "2.2")),
        "Informing about crowdfunding (weak): participating in society through digital "
        "services; sharing.",
    ),
    "C31": HandLinks(
        ((D, "2.2"), (D, "2.3")),
        "Relaying crowdfunding and group-buying initiatives: sharing; citizenship.",
    ),
    "C32": HandLinks(
        ((D, "5.4"), (E, "1.4"), (C, "1.1")),
        "Technology watch: keeping up to date with the digital evolution; digital CPD; the "
        "CRCN's 'veille'.",
    ),
    "C33": HandLinks(
        ((D, "5.2"), (E, "2.1")),
        "Neutrality in choosing technologies: evaluating and choosing tools; selecting "
        "digital resources.",
    ),
    "C34": HandLinks(
        ((D, "5.4"), (E, "1.4")),
        "Learning to learn: competence gaps and self-development; continuous professional "
        "development.",
    ),
    "C35": HandLinks(
        ((D, "5.4"), (E, "1.4")),
        "Autonomous (B1) in the five areas of DigComp and DigCompEdu (weak, it names whole "
        "frameworks): knowing one's own level, developing it.",
    ),
    "C36": HandLinks(
        ((D, "2.4"), (E, "1.2")),
        "A network of resource persons (weak): collaborating, professional collaboration.",
    ),
    "C37": HandLinks(
        ((D, "2.4"), (E, "1.2")),
        "Activating the specialised network (weak): as C36.",
    ),
    "C38": HandLinks(
        ((E, "3.2"), (D, "2.3")),
        "Referring the public to partners (weak): guidance; public and private services.",
    ),
    "C39": HandLinks(
        ((E, "1.1"), (E, "1.2"), (D, "2.4")),
        "Partnerships: organisational communication, professional collaboration.",
    ),
    "C40": HandLinks(
        ((E, "1.1"), (E, "1.2")),
        "Partnerships with schools: organisational communication, professional collaboration.",
    ),
    "C41": HandLinks(
        ((D, "2.3"), (D, "2.4")),
        "Partnerships with smart-city actors (weak): citizenship, collaborating.",
    ),
    "C42": HandLinks(
        ((D, "2.2"), (E, "1.1"), (C, "2.2")),
        "Promoting a service and communicating about it: sharing, organisational "
        "communication; the CRCN's 'partager et publier'.",
    ),
}

WEAK = {"C11", "C18", "C23", "C26", "C27", "C28", "C30", "C35", "C36", "C37", "C38", "C41"}
