"""The limits on what Anticipe reads, so that any input file costs bounded work.

Every file the command line or the site reads (a study file, an expert's CSV or XLSX
matrix, a vote sheet, a ScenarioWizard project) is checked against these limits *before*
the work that grows with its content: the size of the file before it is read, the zip
directory of a workbook before openpyxl unpacks it, the depth and the numbers of a JSON
document while it is parsed, the rows, columns and cells of a table before they are
walked. A file beyond a limit is refused with a
:class:`~anticipe.study.errors.StudyInputError` that says which limit and where, like any
other input problem (the command line exits with code 2 and writes nothing).

The limits are far above what a study needs (the seed study has 20 factors, 10 experts
and a 1-4 scale) and far below what would make a computation run for minutes:

=================================  ==============  ==========================================
limit                              value           what it bounds
=================================  ==============  ==========================================
:data:`MAX_STUDY_BYTES`            64 MiB          a study file (JSON)
:data:`MAX_JSON_DEPTH`             32 levels       nesting of a study file (it needs 7)
:data:`MAX_INTEGER_DIGITS`         20 digits       an integer written in a study file
:data:`MAX_TABLE_BYTES`            16 MiB          a CSV file (matrix, ballots)
:data:`MAX_TABLE_ROWS`             2,000           rows of a CSV file or a worksheet
:data:`MAX_TABLE_COLUMNS`          1,000           columns of a CSV file or a worksheet
:data:`MAX_TABLE_CELLS`            500,000         rows x columns of a CSV file or a sheet
:data:`MAX_CELL_CHARACTERS`        5,000           characters in one cell
:data:`MAX_XLSX_BYTES`             16 MiB          an .xlsx file
:data:`MAX_XLSX_ENTRIES`           1,000           parts in an .xlsx file (a zip archive)
:data:`MAX_XLSX_UNPACKED_BYTES`    32 MiB          all parts of an .xlsx file, unpacked
:data:`MAX_COMPRESSION_RATIO`      100             unpacked / packed size of a part over 1 MiB
:data:`MAX_SCW_BYTES`              8 MiB           a ScenarioWizard project (.scw)
:data:`MAX_SCW_DESCRIPTORS`        100             its descriptors
:data:`MAX_SCW_VARIANTS`           30              variants of one descriptor
:data:`MAX_SCW_VALUE`              1,000,000       a cross-impact value of its matrix (abs.)
:data:`MAX_SCALE_POINTS`           25              points of a hypothesis vote's scale
:data:`SCALE_BOUND`                100             a scale's ends are within -100 and 100
:data:`MAX_POINTS`                 10,000          points of a ballot, points per expert
:data:`MAX_FACTORS`                1,000           factors of a study, its shortlist
:data:`MAX_STRUCTURAL_FACTORS`     500             factors of the structural analysis
:data:`MAX_EXPERTS`                1,000           experts of the panel, matrices
:data:`MAX_RESAMPLES`              100,000         bootstrap resamples
:data:`MAX_SEED`                   2**53 - 1       a random seed (>= 0)
:data:`MAX_POTENTIAL_WEIGHT`       100             value of a P (potential) cell
:data:`MAX_CONSENSUS_IQR`          100             the consensus threshold (an IQR)
:data:`MAX_SELF_ASSESSMENT_GROUPS` 500             self-assessment groups of a study
:data:`MAX_MIN_GROUP_SIZE`         1,000           the smallest group whose counts are shown
:data:`MAX_IMPORTED_VALUES`        100,000         values (answers, numbers, texts) of a study
                                                   file imported on the site, in one request
=================================  ==============  ==========================================

The numeric limits of the study file are in its JSON Schema too (``maximum``,
``maxItems``), where a reader of the format finds them; ``tests/study/test_limits.py``
checks that the schema and these constants agree. The number of points of a scale (its
``max - min + 1``) is checked with the study's references, the schema cannot say it.

Texts: a study file's texts may hold any character that XML 1.0 allows (every report and
download is XML inside: XLSX, DOCX, HTML) — tabs and line breaks included — but no other
control character (a vertical tab pasted from a word processor) and no lone surrogate
(``"\\ud800"``, which no file can encode). A study file with one is *refused* with the
field's path (:func:`anticipe.study.characters.character_problems`); the site's forms
*remove* them instead, with :func:`anticipe.study.characters.clean_text`.
"""

from __future__ import annotations

from typing import Final

from anticipe.study.errors import StudyInputError
from anticipe.study.messages import message

MIB: Final = 1024 * 1024

# -- study files (JSON)
MAX_STUDY_BYTES: Final = 64 * MIB
MAX_JSON_DEPTH: Final = 32
MAX_INTEGER_DIGITS: Final = 20
# the site imports a study file in one request, about 0.1 ms of work a value (its checks and
# its rows): the example holds 7,730 values (10 experts, 20 factors, two iterations)
MAX_IMPORTED_VALUES: Final = 100_000

# -- tables: CSV files and worksheets (matrices, ballots)
MAX_TABLE_BYTES: Final = 16 * MIB
MAX_TABLE_ROWS: Final = 2_000
MAX_TABLE_COLUMNS: Final = 1_000
MAX_TABLE_CELLS: Final = 500_000
MAX_CELL_CHARACTERS: Final = 5_000

# -- workbooks (.xlsx: a zip archive of XML parts)
MAX_XLSX_BYTES: Final = 16 * MIB
MAX_XLSX_ENTRIES: Final = 1_000
MAX_XLSX_UNPACKED_BYTES: Final = 32 * MIB
"""openpyxl parses about 4 MiB of sheet XML a second: at most some 8 s for a workbook."""
MAX_COMPRESSION_RATIO: Final = 100
RATIO_CHECKED_FROM: Final = 1 * MIB
"""Parts smaller than this unpacked are not checked for their compression ratio (a small
part of repeated XML may compress very well, and costs nothing)."""

# -- ScenarioWizard projects (.scw)
MAX_SCW_BYTES: Final = 8 * MIB
MAX_SCW_DESCRIPTORS: Final = 100
MAX_SCW_VARIANTS: Final = 30
MAX_SCW_VALUE: Final = 1_000_000

# -- the study file's numbers (also in its JSON Schema)
MAX_SCALE_POINTS: Final = 25
SCALE_BOUND: Final = 100
MAX_POINTS: Final = 10_000
MAX_FACTORS: Final = 1_000
MAX_STRUCTURAL_FACTORS: Final = 500
MAX_EXPERTS: Final = 1_000
MAX_RESAMPLES: Final = 100_000
MAX_SELF_ASSESSMENT_GROUPS: Final = 500
MAX_MIN_GROUP_SIZE: Final = 1_000
MAX_SEED: Final = 2**53 - 1
MAX_POTENTIAL_WEIGHT: Final = 100
MAX_CONSENSUS_IQR: Final = 100


def check_parameter(
    name: str, value: float | None, low: float, high: float, *, field: str | None = None
) -> None:
    """Refuse an analysis parameter outside ``[low, high]`` (None is left to the default).

    For the parameters given to an analysis directly (the command line's ``--resamples``,
    ``--seed``, ``--points``...); a study file's own parameters are bounded by its schema.
    """
    if value is None:
        return
    if not low <= value <= high:
        raise StudyInputError(
            message("parameter.out_of_range", name=name, value=value, low=low, high=high),
            field=field,
        )
