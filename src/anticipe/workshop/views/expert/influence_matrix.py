"""Step 3: the influence matrix, one factor at a time ("how strongly does A1 influence each
of these factors?"), the whole grid on a large screen, or the XLSX template filled
offline and uploaded. In a later iteration (Delphi) the expert's standing answers are
filled in as theirs, to confirm or change."""

from __future__ import annotations

import posixpath
import re
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from anticipe.i18n import language_or_default
from anticipe.study.errors import StudyInputError, StudyInputErrors
from anticipe.study.matrices import CODE_PATTERN, read_matrix_xlsx
from anticipe.study.messages import translate
from anticipe.study.template import write_matrix_template
from anticipe.workshop import rules
from anticipe.workshop.models import (
    Expert,
    Factor,
    InfluenceScore,
    Round,
)
from anticipe.workshop.results import delphi_feedback, earlier_answers
from anticipe.workshop.views.expert.common import (
    STEPS,
    AnswerRefused,
    Progress,
    Step,
    answering,
    before,
    factor_pages,
    refused,
    round_context,
    round_url,
    saved,
    step_endpoint,
    still_open,
    time_left,
)

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# The time an answer takes, for the estimate of the time left: reading the influenced
# factor's title and tapping (saving takes about 0.2 s: README, "Performance").
SECONDS_PER_CELL = 4


# == step 3: influence matrix ==================================================================

INFLUENCE_CHOICES = [
    ("0", gettext_lazy("none")),
    ("1", gettext_lazy("weak")),
    ("2", gettext_lazy("medium")),
    ("3", gettext_lazy("strong")),
    ("P", gettext_lazy("potential")),
    ("?", gettext_lazy("don't know")),
]
INFLUENCE_VALUES = {value for value, _label in INFLUENCE_CHOICES}


def influence_choices() -> list[tuple[str, str]]:
    """The buttons of the influence scale, each value with its word ("0", "none"), shown as
    "0 none" on a large screen, "0" on a phone (the word still read by screen readers)."""
    return [(value, str(label)) for value, label in INFLUENCE_CHOICES]


def matrix_factors(round_: Round) -> list[Factor]:
    """The factors of the matrix, in the round's order (fixed when it opened)."""
    codes = rules.influence_factors(round_.study, round_)
    by_code = {f.code: f for f in round_.study.factors.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]


def own_scores(round_: Round, expert: Expert) -> dict[tuple[int, int], str]:
    return {
        (source, target): value
        for source, target, value in InfluenceScore.objects.filter(
            round=round_, expert=expert
        ).values_list("source_id", "target_id", "value")
    }


def carried_scores(
    round_: Round, expert: Expert, ids: dict[str, int]
) -> dict[tuple[int, int], tuple[str, int]]:
    """The expert's standing answers from the iterations before this one, by the cell's
    ``(source, target)`` ids: ``(score, iteration)`` (empty in a first iteration)."""
    return {
        (ids[source], ids[target]): answer
        for (source, target), answer in earlier_answers(expert, round_).items()
        if source in ids and target in ids and source != target
    }


def matrix_factor_ids(round_: Round) -> dict[str, int]:
    """The factors of the matrix as code -> id, in the round's order: all that saving a cell
    needs (a lighter query than :func:`matrix_factors`, run on every answer)."""
    codes = rules.influence_factors(round_.study, round_)
    ids = dict(
        Factor.objects.filter(study_id=round_.study_id, code__in=codes).values_list("code", "pk")
    )
    return {code: ids[code] for code in codes if code in ids}


def answered_cells(
    round_: Round, expert: Expert, factor_ids: Collection[int], source_id: int | None = None
) -> tuple[int, int]:
    """How many cells of the matrix of these factors the expert has answered (the diagonal
    is not asked), and how many of them in the row of `source_id`. One query on the
    answers' index, counted here (the save endpoint runs it after every answer; filtering
    on both lists of factors in SQL makes SQLite probe the index once per pair)."""
    inside = set(factor_ids)
    cells = [
        (source, target)
        for source, target in InfluenceScore.objects.filter(
            round=round_, expert=expert
        ).values_list("source_id", "target_id")
        if source != target and source in inside and target in inside
    ]
    return len(cells), sum(1 for source, _target in cells if source == source_id)


def cells_progress(done: int, factors: int) -> Progress:
    total = factors * (factors - 1)
    text = _("%(done)d of %(total)d answers given") % {"done": done, "total": total}
    return Progress(done, total, text, time_left(total - done, SECONDS_PER_CELL))


def matrix_progress(round_: Round, expert: Expert) -> Progress:
    ids = matrix_factor_ids(round_)
    return cells_progress(answered_cells(round_, expert, ids.values())[0], len(ids))


def store_influence(
    round_: Round, expert: Expert, source_id: int, target_id: int, value: str
) -> None:
    """Save one cell in one statement, an upsert on the cell's unique key (INSERT ... ON
    CONFLICT DO UPDATE): like ``update_or_create`` it never loses or duplicates an answer
    when saves of the same cell race, with one query instead of four (select for update,
    savepoints, then insert or update) while the round is locked."""
    InfluenceScore.objects.bulk_create(
        [
            InfluenceScore(
                round=round_, expert=expert, source_id=source_id, target_id=target_id, value=value
            )
        ],
        update_conflicts=True,
        unique_fields=["round", "expert", "source", "target"],
        update_fields=["value", "updated_at"],
    )


def parse_influence(value: str) -> str:
    cleaned = value.strip().upper()
    if cleaned not in INFLUENCE_VALUES:
        raise AnswerRefused(
            _("“%(value)s” is not an answer: choose 0, 1, 2, 3, P (potential) or ? (don't know).")
            % {"value": value.strip()[:20]}
        )
    return cleaned


def from_page(request: HttpRequest, address: str) -> str:
    """`address` relative to the page being rendered: the factor's page repeats its save
    address on each of its 19 lines (twice), so shorter is lighter on a phone."""
    relative = posixpath.relpath(address, posixpath.dirname(request.path))
    return relative + "/" if address.endswith("/") else relative


def matrix_page(
    request: HttpRequest,
    expert: Expert,
    round_: Round,
    *,
    upload_errors: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """One factor at a time: how strongly it influences each of the others."""
    factors = matrix_factors(round_)
    scores = own_scores(round_, expert)
    carried = carried_scores(round_, expert, {f.code: f.pk for f in factors})
    others = len(factors) - 1
    pages = factor_pages(
        request,
        [
            (f, sum(1 for t in factors if t.pk != f.pk and (f.pk, t.pk) in scores), others)
            for f in factors
        ],
    )
    source = pages.factor
    delphi = delphi_feedback(expert, round_)
    targets = (
        [
            (
                t,
                *shown_score(scores, carried, (source.pk, t.pk)),
                before(delphi, (source.code, t.code)),
            )
            for t in factors
            if t.pk != source.pk
        ]
        if source
        else []
    )
    context = round_context(
        expert,
        round_,
        pages=pages,
        delphi=delphi,
        source=source,
        done=pages.pages[pages.index][1] if source else 0,
        others=others,
        targets=targets,
        carried_here=any(iteration for _t, _v, iteration, _b in targets),
        choices=influence_choices(),
        cell_url=from_page(
            request,
            reverse("workshop:expert_matrix_cell_save", args=[round_.study_id, round_.pk]),
        ),
        upload_errors=upload_errors or [],
    )
    return render(request, "workshop/expert/matrix.html", context, status=status)


def shown_score(
    scores: dict[tuple[int, int], str],
    carried: dict[tuple[int, int], tuple[str, int]],
    cell: tuple[int, int],
) -> tuple[str, int | None]:
    """A cell as the expert's page shows it: their answer in this iteration, else their
    standing answer with the iteration it comes from (to confirm or change)."""
    if cell in scores:
        return scores[cell], None
    if cell in carried:
        return carried[cell]
    return "", None


def matrix_factor_pair(data: QueryDict, ids: dict[str, int]) -> tuple[str, str]:
    """The codes of the cell's factors (`source`, `target`), checked against the matrix."""
    source, target = data.get("source", ""), data.get("target", "")
    if source not in ids or target not in ids or source == target:
        raise AnswerRefused(_("This pair of factors is not in the matrix of this round."))
    return source, target


@step_endpoint(Round.Step.INFLUENCE)
def matrix_cell_save(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """Save one cell: how strongly `source` influences `target` (one POST per answer).

    The busiest endpoint of a workshop (every expert, every few seconds; see
    ``benchmarks/bench_load.py``): it reads the factors' ids only, writes the cell in one
    statement while the round is locked, and counts the progress once."""
    ids = matrix_factor_ids(round_)
    source_code = request.POST.get("source", "")
    try:
        source, target = matrix_factor_pair(request.POST, ids)
        value = parse_influence(request.POST.get("value", ""))
        with answering(round_):
            store_influence(round_, expert, ids[source], ids[target], value)
    except AnswerRefused as refusal:
        return refused(request, round_, refusal.message, factor=source_code)
    done, row_done = answered_cells(round_, expert, ids.values(), ids[source])
    # The factor's page counts its row's answers; the whole grid (its status) does not.
    on_grid = request.headers.get("HX-Target") == "grid-status"
    return saved(
        request,
        expert,
        round_,
        f"cell-{target}",
        extra=None if on_grid else {"factor_done": row_done, "factor_total": len(ids) - 1},
        progress=cells_progress(done, len(ids)),
        factor=source,
    )


@step_endpoint(Round.Step.INFLUENCE)
def matrix_confirm(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """Confirm, as answers of this iteration, the expert's standing answers they have not
    given again yet: those of one factor's row (`factor`), else of the whole matrix."""
    ids = matrix_factor_ids(round_)
    code = request.POST.get("factor", "")
    if code and code not in ids:
        return refused(request, round_, _("This factor is not in the matrix of this round."))
    carried = carried_scores(round_, expert, ids)
    with answering(round_):
        answered = set(own_scores(round_, expert))
        for (source, target), (value, _iteration) in carried.items():
            if (source, target) not in answered and (not code or source == ids[code]):
                store_influence(round_, expert, source, target, value)
    messages.success(request, _("Your earlier answers are confirmed for this iteration."))
    return redirect(round_url(round_, factor=code))


GRID_CELL = re.compile(r"c(\d+)-(\d+)")  # a cell of the grid form: c<row>-<column>


def grid_context(
    expert: Expert,
    round_: Round,
    posted: dict[tuple[int, int], str] | None = None,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    factors = matrix_factors(round_)
    scores = own_scores(round_, expert)
    carried = carried_scores(round_, expert, {f.code: f.pk for f in factors})
    shown = {
        (i, j): shown_score(scores, carried, (s.pk, t.pk))
        for i, s in enumerate(factors)
        for j, t in enumerate(factors)
    }
    values = {
        cell: ((posted or {}).get(cell, value), None if cell in (posted or {}) else iteration)
        for cell, (value, iteration) in shown.items()
    }
    rows = [
        (i, s, [(j, t, *values[i, j]) for j, t in enumerate(factors)])
        for i, s in enumerate(factors)
    ]
    return round_context(
        expert,
        round_,
        factors=factors,
        codes=" ".join(f.code for f in factors),
        rows=rows,
        carried_here=any(iteration for _value, iteration in values.values()),
        choices=influence_choices(),
        errors=errors or [],
    )


@step_endpoint(Round.Step.INFLUENCE, ("GET",))
def matrix_grid(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """The whole matrix at once, for large screens (each cell saved like on the main page)."""
    return render(request, "workshop/expert/matrix_grid.html", grid_context(expert, round_))


@step_endpoint(Round.Step.INFLUENCE)
def matrix_save(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """Save the cells of the grid form (`c<row>-<column>`; empty cells are left as they are)."""
    factors = matrix_factors(round_)
    posted: dict[tuple[int, int], str] = {}
    cells: list[tuple[Factor, Factor, str]] = []
    errors: list[str] = []
    for name in request.POST:
        place = GRID_CELL.fullmatch(name)
        if place is None:
            continue
        i, j = int(place[1]), int(place[2])
        if i >= len(factors) or j >= len(factors):
            errors.append(_("This pair of factors is not in the matrix of this round."))
            continue
        source, target = factors[i], factors[j]
        raw = request.POST.get(name, "").strip()
        posted[i, j] = raw
        if not raw or i == j:
            continue
        try:
            cells.append((source, target, parse_influence(raw)))
        except AnswerRefused as refusal:
            errors.append(f"{source.code} → {target.code}: {refusal.message}")
    if errors:
        context = grid_context(expert, round_, posted, errors)
        return render(request, "workshop/expert/matrix_grid.html", context, status=400)
    with answering(round_):
        for source, target, value in cells:
            InfluenceScore.objects.update_or_create(
                round=round_,
                expert=expert,
                source=source,
                target=target,
                defaults={"value": value},
            )
    messages.success(request, _("Your matrix is saved."))
    return redirect(reverse("workshop:expert_matrix_grid", args=[round_.study_id, round_.pk]))


def template_expert_id(expert: Expert) -> str | None:
    """The expert's code as the workbook's sheet name, if it can be one."""
    code = expert.code
    if (
        CODE_PATTERN.match(code)
        and len(code) <= 31
        and code.casefold()
        not in {
            "instructions",
            "facteurs",
            "factors",
        }
    ):
        return code
    return None


@step_endpoint(Round.Step.INFLUENCE, ("GET",))
def matrix_template(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """The blank XLSX matrix for this expert, to fill offline and upload."""
    study = expert.study
    factors = [(f.code, f.current_title()) for f in matrix_factors(round_)]
    if not factors:
        raise Http404
    with tempfile.TemporaryDirectory(prefix="anticipe-") as folder:
        target = Path(folder) / "matrix.xlsx"
        write_matrix_template(
            target,
            factors,
            expert=template_expert_id(expert),
            language=language_or_default(study.language),
            study_title=study.title,
        )
        content = target.read_bytes()
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"anticipe-matrix-{template_expert_id(expert) or 'expert'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def problem_location(error: StudyInputError, language: str) -> str:
    """Where a problem is in the expert's workbook, in `language`, without the server's file
    name: ``feuille « E1 », cellule C4``."""
    return error.location_in(language, include_file=False)


def upload_problems(error: StudyInputError, language: str) -> list[dict[str, str]]:
    """Every problem of an uploaded workbook as the page lists them, in `language` (the
    study layer's catalogue has the words, in French and English)."""
    listed = error.errors if isinstance(error, StudyInputErrors) else [error]
    colon = translate(language, "separator.colon")
    return [
        {
            "location": problem_location(problem, language),
            "colon": colon,
            "message": problem.message_in(language),
        }
        for problem in listed
    ]


def read_uploaded_matrix(upload: Any, codes: list[str]) -> list[list[Any]]:
    """The rows of an uploaded workbook (written to a temporary file to be read)."""
    with tempfile.TemporaryDirectory(prefix="anticipe-") as folder:
        target = Path(folder) / "upload.xlsx"
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        matrix = read_matrix_xlsx(target, expert="expert", factors=codes)
    rows: list[list[Any]] = matrix["rows"]
    return rows


def store_uploaded_matrix(
    round_: Round, expert: Expert, factors: list[Factor], rows: list[list[Any]]
) -> int:
    """Save the answers of an uploaded workbook (an empty cell is "don't know" unless the
    expert already answered it, in this iteration or an earlier one), locked; how many were
    written."""
    written = 0
    carried = carried_scores(round_, expert, {f.code: f.pk for f in factors})
    with answering(round_):
        answered = set(
            InfluenceScore.objects.filter(round=round_, expert=expert).values_list(
                "source_id", "target_id"
            )
        ) | set(carried)
        for i, source in enumerate(factors):
            for j, target in enumerate(factors):
                if i == j:
                    continue
                cell = rows[i][j]
                if cell is None and (source.pk, target.pk) in answered:
                    continue
                InfluenceScore.objects.update_or_create(
                    round=round_,
                    expert=expert,
                    source=source,
                    target=target,
                    defaults={"value": "?" if cell is None else str(cell)},
                )
                written += 1
    return written


@step_endpoint(Round.Step.INFLUENCE)
def matrix_upload(request: HttpRequest, expert: Expert, round_: Round) -> HttpResponse:
    """Read the XLSX matrix filled offline: every problem is shown by cell and nothing is
    saved; otherwise all its answers are saved at once. Empty cells mean "don't know" where
    the expert has not answered yet here, and leave their earlier answers as they are."""
    factors = matrix_factors(round_)
    still_open(round_)
    upload = request.FILES.get("matrix")
    problems: list[dict[str, str]] = []
    rows: list[list[Any]] = []
    if upload is None:
        problems.append({"location": "", "message": _("Choose the file to send first.")})
    elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        problems.append({"location": "", "message": _("This file is too big for a matrix.")})
    else:
        try:
            rows = read_uploaded_matrix(upload, [f.code for f in factors])
        except StudyInputError as error:
            problems = upload_problems(error, get_language())
    if problems:
        return matrix_page(request, expert, round_, upload_errors=problems, status=400)
    written = store_uploaded_matrix(round_, expert, factors, rows)
    messages.success(
        request,
        ngettext(
            "Your file is read: %(count)d answer saved.",
            "Your file is read: %(count)d answers saved.",
            written,
        )
        % {"count": written},
    )
    return redirect(round_url(round_))


STEPS[Round.Step.INFLUENCE] = Step(matrix_page, matrix_progress)
