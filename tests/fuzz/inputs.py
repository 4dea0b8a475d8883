"""Hostile input files for the fuzzing harness, made from a seeded ``random.Random``.

Each generator starts from something valid (the example study, the small test study, a
small influence matrix, ballots, a ScenarioWizard project) and mutates it: fields deleted,
replaced, retyped or duplicated, codes swapped, numbers made huge, NaN or infinite, texts
with lone surrogates, control characters, formulas or remote images; JSON nested deeply,
truncated, re-encoded; tables with bad cells, codes, delimiters and encodings; workbooks
with far cells or padded sheets; projects with lines removed or repeated.

The generators only take a ``random.Random``: hypothesis drives it in the tests
(``st.randoms``, derandomized, so a failure shrinks and replays), a plain seeded one in
``benchmarks/bench_fuzz.py``.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import random
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from anticipe.examples import example_path
from anticipe.study.characters import first_forbidden
from anticipe.study.study_file import study_schema
from tests.studies import small_study

NASTY_TEXTS = [
    "",
    " ",
    "x" * 6000,
    "\ud800",
    "a\udfffb",
    "Tech\x0bnology",
    "\x00",
    "\x1f\x7f\x85",
    "\ufeff\ufffe\uffff",
    "Tech;=1+1;",
    '=HYPERLINK("http://example.com","x")',
    "+33 1 23",
    "-x",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "![x](https://example.com/x.png)",
    '<img src="https://example.com/x.png">',
    "<script>alert(1)</script>",
    "[lien](javascript:alert(1))",
    "« é » — ✓ 😀",
    "P",
    "?",
    "E1",
    "F1",
    "nan",
]
NASTY_NUMBERS: list[Any] = [
    0,
    -1,
    1,
    3,
    4,
    2.5,
    -1e20,
    1e20,
    1e308,
    2**53,
    2**64,
    10**30,
    True,
    False,
]
NASTY_VALUES: list[Any] = [*NASTY_TEXTS, *NASTY_NUMBERS, None, [], {}, [None], {"": 1}]
NUMBER_TOKENS = ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" * 30, "1" * 5000, "-0"]


@dataclass
class InputFile:
    """One generated input: files to write (name -> bytes) and what it is."""

    kind: str
    """``study``, ``matrix``, ``ballots`` or ``scw``."""
    name: str
    data: bytes
    extra: dict[str, bytes] = field(default_factory=dict)


# -- study files -------------------------------------------------------------------------------


@cache
def _example() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(example_path().read_text("utf-8"))
    return loaded


def base_study(rng: random.Random) -> dict[str, Any]:
    """The example study (one time in four) or the small test study, as a fresh copy."""
    return copy.deepcopy(_example()) if rng.random() < 0.25 else small_study()


Path = list[str | int]


def node_paths(document: Any, limit: int = 12) -> list[Path]:
    """The path of every value of `document` (containers and leaves, root excluded)."""
    paths: list[Path] = []
    stack: list[tuple[Any, Path]] = [(document, [])]
    while stack:
        value, path = stack.pop()
        if len(path) >= limit or not isinstance(value, dict | list):
            continue
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            paths.append([*path, key])
            stack.append((item, [*path, key]))
    return paths


def _parent(document: Any, path: Path) -> Any:
    node = document
    for part in path[:-1]:
        node = node[part]
    return node


def _codes(document: Any) -> list[str]:
    found = re.findall(r'"(?:code|id|expert|factor|hypothesis)": "([^"]+)"', json.dumps(document))
    return found or ["X"]


def _retyped(value: Any) -> Any:
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return {str(i): item for i, item in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return 0


def mutate_document(rng: random.Random, document: Any) -> None:
    """One change anywhere in the document: delete, replace, retype, duplicate, swap a code."""
    paths = node_paths(document)
    if not paths:
        return
    path = rng.choice(paths)
    parent, key = _parent(document, path), path[-1]
    operation = rng.choice(["delete", "replace", "replace", "retype", "duplicate", "code"])
    if operation == "delete":
        del parent[key]
    elif operation == "replace":
        parent[key] = copy.deepcopy(rng.choice(NASTY_VALUES))
    elif operation == "retype":
        parent[key] = _retyped(parent[key])
    elif operation == "duplicate" and isinstance(parent, list):
        parent.insert(int(key), copy.deepcopy(parent[key]))
    else:
        parent[key] = rng.choice(_codes(document))


def _leaves(document: Any, kind: type | tuple[type, ...]) -> list[Path]:
    return [
        path for path in node_paths(document) if isinstance(_parent(document, path)[path[-1]], kind)
    ]


TEXT_FIELDS = frozenset(
    {"title", "text", "markdown", "description", "sector", "label", "reason", "note"}
)
ALLOWED_TEXTS = [text for text in NASTY_TEXTS if text and first_forbidden(text) is None]
"""The hostile texts a study may hold (formulas, remote images, scripts, emoji...)."""


def _gentle_text(rng: random.Random, document: dict[str, Any]) -> None:
    texts = [path for path in _leaves(document, str) if path[-1] in TEXT_FIELDS]
    if texts:
        path = rng.choice(texts)
        _parent(document, path)[path[-1]] = rng.choice(ALLOWED_TEXTS)


def _gentle_answers(rng: random.Random, document: dict[str, Any]) -> None:
    for matrix in document.get("structural_analysis", {}).get("matrices", []):
        for row in matrix["rows"]:
            if row and rng.random() < 0.3:
                row[rng.randrange(len(row))] = rng.choice([0, 1, 2, 3, "P", None])
    for vote in document.get("hypotheses", {}).get("votes", []):
        if rng.random() < 0.3:
            name = rng.choice(["probability", "desirability"])
            vote[name] = rng.choice([None, 0, 1, 4, 5, -100, 100])


def gentle_mutation(rng: random.Random, document: dict[str, Any]) -> None:
    """A change a valid study may well survive: a text made hostile but allowed, an
    optional section left out, matrix cells and votes changed, a number moved."""
    operation = rng.choice(["text", "text", "section", "answers", "number"])
    if operation == "text":
        _gentle_text(rng, document)
    elif operation == "section":
        optional = [name for name in document if name not in study_schema()["required"]]
        if optional:
            del document[rng.choice(optional)]
    elif operation == "answers":
        _gentle_answers(rng, document)
    else:
        numbers = _leaves(document, (int, float))
        if numbers:
            path = rng.choice(numbers)
            _parent(document, path)[path[-1]] = rng.choice(NASTY_NUMBERS)


def mutate_text(rng: random.Random, text: str) -> bytes:
    """The study's JSON text, sometimes broken at the text level."""
    operation = rng.choice(["none", "none", "number", "nest", "truncate", "escape", "encoding"])
    if operation == "number":
        tokens = list(re.finditer(r"(?<=[:\[,] )-?\d+(\.\d+)?", text))
        if tokens:
            found = rng.choice(tokens)
            text = text[: found.start()] + rng.choice(NUMBER_TOKENS) + text[found.end() :]
    elif operation == "nest":
        depth = rng.choice([40, 999, 5000, 100_000])
        text = text.replace('"title": ', '"title": ' + "[" * depth, 1).replace(
            ",", "]" * depth + ",", 1
        )
        if rng.random() < 0.5:
            text = "[" * depth + text + "]" * depth
    elif operation == "truncate":
        text = text[: rng.randrange(len(text))]
    elif operation == "escape":
        escape = rng.choice(["\\ud800", "\\udc00", "\\u000b", "\\u0000", "\\ud83d\\ude00", "\\x"])
        strings = [m.end() - 1 for m in re.finditer(r'": "[^"\\]*"', text)]
        if strings:
            at = rng.choice(strings)
            text = text[:at] + escape + text[at:]
    elif operation == "encoding":
        return text.encode(rng.choice(["utf-16", "utf-8-sig", "latin-1"]), errors="replace")
    return text.encode("utf-8", errors="surrogatepass")


def study_input(rng: random.Random) -> InputFile:
    """A study file: as it is (one time in five), changed gently (two in five), or made
    hostile (two in five); its JSON text broken at times."""
    document = base_study(rng)
    draw = rng.random()
    mutation = gentle_mutation if draw < 0.6 else mutate_document
    for _ in range(0 if draw < 0.2 else rng.randint(1, 3)):
        mutation(rng, document)
    text = json.dumps(document, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 2]))
    if draw < 0.6 and rng.random() < 0.8:
        return InputFile("study", "study.json", text.encode("utf-8", errors="surrogatepass"))
    return InputFile("study", "study.json", mutate_text(rng, text))


# -- tables: influence matrices and ballots ------------------------------------------------------

CELLS = [
    "",
    "?",
    "NSP",
    "P",
    "p",
    "0",
    "1",
    "2",
    "3",
    "4",
    "-1",
    "2.5",
    "2,0",
    " 3 ",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "=1+1",
    "fort",
    "x" * 6000,
    "\x0b",
    "\ud800",
    "😀",
    "TRUE",
]
CODES = ["F1", "F2", "F3", "F4", "a b", "", "F1", "1", "x" * 40, "=F1", "\x0b", "F.1"]


def _table(rng: random.Random, ballots: bool) -> list[list[Any]]:
    size = rng.randint(1, 5) if ballots else rng.randint(2, 5)
    codes = [f"F{i + 1}" for i in range(size)]
    header: list[Any] = [
        "Expert" if ballots else "influence",
        *([] if ballots else ["Titre"]),
        *codes,
    ]
    rows = [header]
    for index in range(size if not ballots else rng.randint(1, 4)):
        label = f"E{index + 1}" if ballots else codes[index]
        titles = [] if ballots else [f"titre {index}"]
        values = [str(rng.randint(0, 5 if ballots else 3)) for _ in codes]
        rows.append([label, *titles, *values])
    return rows


def mutate_table(rng: random.Random, rows: list[list[Any]]) -> None:
    for _ in range(rng.choice([0, 0, 1, 1, 2, 4])):
        operation = rng.choice(["cell", "cell", "code", "drop_row", "drop_column", "extra", "dup"])
        row = rng.choice(rows)
        if operation == "cell" and len(row) > 1:
            row[rng.randrange(1, len(row))] = rng.choice(CELLS)
        elif operation == "code":
            row[0] = rng.choice(CODES)
        elif operation == "drop_row" and len(rows) > 1:
            rows.remove(row)
        elif operation == "drop_column" and len(row) > 1:
            column = rng.randrange(len(row))
            for each in rows:
                if column < len(each):
                    del each[column]
        elif operation == "extra":
            row.append(rng.choice(CELLS))
        else:
            rows.append(list(row))


def csv_bytes(rng: random.Random, rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    delimiter = rng.choice([",", ";", "\t"])
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    text = buffer.getvalue()
    if rng.random() < 0.1:
        text = f"sep={delimiter}\n" + text
    if rng.random() < 0.1:
        text = text[: rng.randrange(len(text) + 1)]
    encoding = rng.choice(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"])
    data = text.encode(encoding, errors="surrogatepass" if encoding == "utf-8" else "replace")
    if rng.random() < 0.05:
        data = rng.choice([b"PK\x03\x04junk", b"\xd0\xcf\x11\xe0", b"%PDF-1.4", b"\x00\x01", b""])
    return data


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value.encode("utf-8", "replace").decode("utf-8"))
        number = re.fullmatch(r"-?\d+", value)
        return int(value) if number and len(value) < 10 else value
    return value


def xlsx_bytes(rng: random.Random, sheets: dict[str, list[list[Any]]]) -> bytes:
    workbook = openpyxl.Workbook()
    default = workbook.active
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append([_cell(value) for value in row])
        if rng.random() < 0.05:
            sheet.cell(row=rng.choice([3000, 1_048_576]), column=rng.choice([3, 16_384]), value=1)
    if default is not None:
        workbook.remove(default)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if rng.random() < 0.05:
        data = padded_workbook(data, rng.choice([512 * 1024, 2 * 1024 * 1024, 40 * 1024 * 1024]))
    if rng.random() < 0.05:
        data = data[: rng.randrange(len(data))]
    return data


def padded_workbook(data: bytes, padding: int) -> bytes:
    """The workbook with its first sheet padded by `padding` spaces (a zip bomb when large)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                content = content.replace(
                    b"<sheetData>", b"<!--" + b" " * padding + b"--><sheetData>", 1
                )
            archive.writestr(info.filename, content)
    return packed.getvalue()


def table_input(rng: random.Random, kind: str) -> InputFile:
    ballots = kind == "ballots"
    rows = _table(rng, ballots)
    mutate_table(rng, rows)
    if rng.random() < 0.5:
        return InputFile(kind, f"{kind}.csv", csv_bytes(rng, rows))
    names = ["E01", "Matrice", "Sheet1", "Lisez-moi", "_x"]
    sheets = {rng.choices(names, weights=[6, 2, 2, 1, 1])[0]: rows}
    if not ballots and rng.random() < 0.3:
        other = _table(rng, False)
        mutate_table(rng, other)
        sheets[rng.choice(["E02", "E01x", "Facteurs"])] = other
    return InputFile(kind, f"{kind}.xlsx", xlsx_bytes(rng, sheets))


# -- ScenarioWizard projects ---------------------------------------------------------------------

SCW_TOKENS = ["0", "1", "-3", "2.5", "nan", "inf", "1e7", "", "x", "1e308"]


def scw_input(rng: random.Random) -> InputFile:
    descriptors = rng.randint(1, 4)
    variants = [rng.randint(1, 3) for _ in range(descriptors)]
    lines = ["$ ScenarioWizard 4.4", "projet.scw"]
    for d, count in enumerate(variants):
        lines.append(f"&D{d}")
        lines.extend(f" -v{d}{v}" for v in range(count))
    lines.extend(["#"] * 5)
    total = sum(variants)
    lines.extend(",".join(str(rng.randint(-3, 3)) for _ in range(total)) for _ in range(total))
    for _ in range(rng.randint(0, 3)):
        index = rng.randrange(len(lines))
        operation = rng.choice(["delete", "repeat", "token", "line"])
        if operation == "delete":
            del lines[index]
        elif operation == "repeat":
            lines.insert(index, lines[index])
        elif operation == "token":
            cells = lines[index].split(",")
            cells[rng.randrange(len(cells))] = rng.choice(SCW_TOKENS)
            lines[index] = ",".join(cells)
        else:
            lines[index] = rng.choice(["&", " -", "&D0", "#", "junk", "\x0b", "$ X"])
    text = "\n".join(lines) + "\n"
    return InputFile("scw", "projet.scw", text.encode(rng.choice(["utf-8", "cp1252"]), "replace"))
