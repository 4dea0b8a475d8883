"""Reference frameworks of competences (DigComp 2.2, DigCompEdu, the French CRCN/Pix, or an
organisation's own) as data: what a study's competences are linked to.

The frameworks Anticipe ships are JSON documents of ``data/`` in Anticipe's framework format
(``schema/framework-1.0.schema.json``, described in ``docs/frameworks.md``); an organisation
loads another one from a JSON file of that format or from a CSV file
(:func:`read_framework`). Each is read into a :class:`Framework`.
"""

from anticipe.study.frameworks.loading import (
    FORMAT_VERSION,
    MAX_FRAMEWORK_BYTES,
    Area,
    Certification,
    Competence,
    Framework,
    Level,
    Text,
    builtin_frameworks,
    framework_from_document,
    framework_schema,
    linked_framework,
    parse_framework,
    parse_framework_csv,
    read_framework,
    study_frameworks,
)

__all__ = [
    "FORMAT_VERSION",
    "MAX_FRAMEWORK_BYTES",
    "Area",
    "Certification",
    "Competence",
    "Framework",
    "Level",
    "Text",
    "builtin_frameworks",
    "framework_from_document",
    "framework_schema",
    "linked_framework",
    "parse_framework",
    "parse_framework_csv",
    "read_framework",
    "study_frameworks",
]
