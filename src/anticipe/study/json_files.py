"""Reading a JSON file Anticipe checks (a study, a framework of competences): bounded in
size, UTF-8, its syntax, numbers and nesting refused with the line where they are.

One home for what every JSON input shares; what each kind of file checks next (its schema,
the references between its parts) stays with that kind.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anticipe.study.errors import StudyInputError
from anticipe.study.limits import MAX_INTEGER_DIGITS, MAX_JSON_DEPTH
from anticipe.study.messages import Megabytes, Message, message


@dataclass(frozen=True)
class JsonFileKind:
    """A kind of JSON file: its largest size and the keys of its messages (a study file
    says "a study file is a JSON document", a framework "a framework file is...")."""

    limit: int  #: bytes
    not_utf8: str
    is_folder: str = "file.is_folder"
    unreadable: str = "file.unreadable"
    empty: str = "file.empty"


def too_large(size: int, kind: JsonFileKind, source: str | Path | None) -> StudyInputError:
    """The error of a file larger than its kind allows."""
    return StudyInputError(
        message("file.too_large", size=Megabytes(size), limit=Megabytes(kind.limit)),
        file=source,
    )


def read_bounded(path: str | Path, kind: JsonFileKind) -> bytes:
    """The bytes of the file at `path`, refused (before reading) beyond the kind's limit;
    a missing file, a folder or an unreadable file is a :class:`StudyInputError`."""
    path = Path(path)
    try:
        if path.is_file() and path.stat().st_size > kind.limit:
            raise too_large(path.stat().st_size, kind, path)
        return path.read_bytes()
    except FileNotFoundError:
        raise StudyInputError(message("file.not_found"), file=path) from None
    except IsADirectoryError:
        raise StudyInputError(message(kind.is_folder), file=path) from None
    except OSError as error:
        raise StudyInputError(message(kind.unreadable, reason=error.strerror), file=path) from None


def json_document(raw: bytes | str, kind: JsonFileKind, source: str | Path | None) -> Any:
    """The JSON document of `raw` (bytes are UTF-8, a byte-order mark allowed): refused
    beyond the kind's limit, empty, not UTF-8, not JSON, too deep, or holding ``NaN``,
    ``Infinity``, a number too large for a float or an integer of more than
    :data:`~anticipe.study.limits.MAX_INTEGER_DIGITS` digits."""
    if len(raw) > kind.limit:
        raise too_large(len(raw), kind, source)
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise StudyInputError(message(kind.not_utf8, byte=error.start), file=source) from None
    if not raw.strip():
        raise StudyInputError(message(kind.empty), file=source)
    return load_json(raw, source)


class _RefusedNumberError(ValueError):
    """A number of the JSON text that a study may not hold (raised by the parser's hooks)."""

    def __init__(self, token: str, problem: Message) -> None:
        super().__init__(token)
        self.token = token
        self.problem = problem


def _shown_number(token: str) -> str:
    return token if len(token) <= 24 else f"{token[:12]}…{token[-6:]}"


def _parse_int(token: str) -> int:
    digits = len(token.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        problem = message(
            "json.integer_too_long",
            value=_shown_number(token),
            digits=digits,
            limit=MAX_INTEGER_DIGITS,
        )
        raise _RefusedNumberError(token, problem)
    return int(token)


def _parse_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        problem = message("json.number_too_large", value=_shown_number(token))
        raise _RefusedNumberError(token, problem)
    return value


def _parse_constant(token: str) -> float:
    raise _RefusedNumberError(token, message("json.not_a_number", value=token))


def _token_line(text: str, token: str) -> int | None:
    """The line of `token` where JSON has a value (after ``[``, ``:`` or ``,``), if found."""
    found = re.search(r"[\[:,]\s*" + re.escape(token) + r"\s*[,\]}]", text)
    if found is None:
        return None
    return text.count("\n", 0, found.start() + found.group().index(token[0])) + 1


def load_json(text: str, source: str | Path | None) -> Any:
    """The JSON document of `text`, its syntax errors, numbers and nesting refused."""
    try:
        return json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except _RefusedNumberError as refused:
        row = _token_line(text, refused.token)
        raise StudyInputError(refused.problem, file=source, row=row) from None
    except RecursionError:  # nesting beyond the parser's recursion limit
        raise StudyInputError(
            message("study.too_deep", limit=MAX_JSON_DEPTH), file=source
        ) from None
    except json.JSONDecodeError as error:
        raise StudyInputError(
            message(
                "study.bad_json",
                reason=_json_reason(error.msg),
                line=error.lineno,
                column=error.colno,
            ),
            file=source,
            row=error.lineno,
        ) from None


_JSON_REASONS = {
    "Expecting value": "json.expecting_value",
    "Expecting property name enclosed in double quotes": "json.expecting_name",
    "Expecting ':' delimiter": "json.expecting_colon",
    "Expecting ',' delimiter": "json.expecting_comma",
    "Unterminated string starting at": "json.unterminated_string",
    "Invalid control character at": "json.control_character",
    "Invalid \\escape": "json.invalid_escape",
    "Invalid \\uXXXX escape": "json.invalid_unicode_escape",
    "Extra data": "json.extra_data",
    "Illegal trailing comma before end of object": "json.trailing_comma_object",
    "Illegal trailing comma before end of array": "json.trailing_comma_array",
}


def _json_reason(reason: str) -> str | Message:
    """The JSON parser's reason in the reader's language (as it is when not known)."""
    key = _JSON_REASONS.get(reason)
    return message(key) if key is not None else reason
