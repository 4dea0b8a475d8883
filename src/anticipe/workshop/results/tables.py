"""What every results page shares: its tables of aggregates (shown on the page and
downloaded as CSV or XLSX by :mod:`anticipe.workshop.downloads`), its parameters table and
the round it shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from anticipe.workshop.models import Round


@dataclass
class Table:
    """A table of aggregates, as shown on a page and downloaded as CSV or XLSX."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


def parameter_table(rows: list[tuple[str, str]]) -> Table:
    """The parameters of a page's computations, one ``(name, value)`` a row."""
    return Table(
        "parameters", _("Parameters"), [_("parameter"), _("value")], [list(r) for r in rows]
    )


def round_info(round_: Round | None) -> dict[str, Any] | None:
    """The round whose answers a page shows: its iteration and when it closed."""
    if round_ is None:
        return None
    return {"round": round_, "iteration": round_.iteration, "closed_at": round_.closed_at}
