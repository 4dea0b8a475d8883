"""The site's side of the load benchmark (``bench_load.py``), run in a subprocess whose
environment holds the site's settings (``ANTICIPE_*``, ``DATABASE_URL``):

``prepare``
    migrate the fresh database, collect the static files (as a production deployment
    does), import the example study, add the simulated experts and open an influence
    round on the example's 20 shortlisted factors; writes the study, the round, the factors
    and one personal invitation token per expert (JSON) for the client.
``verify``
    read every influence score of the round back and compare it with the answers the
    server acknowledged (JSON from the client): an acknowledged answer that is not stored
    as acknowledged is a lost answer.

Usage (by ``bench_load.py``)::

    python benchmarks/load_site.py prepare --experts 100 --out plan.json
    python benchmarks/load_site.py verify --plan plan.json --answers answers.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

FACTORS = 20


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anticipe.site.settings")
    import django

    django.setup()


def prepare(experts: int, out: Path, all_static: bool = True) -> None:
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import DatabaseError, connection, transaction

    from anticipe.examples import load_example
    from anticipe.workshop.models import Expert, Round
    from anticipe.workshop.panel_rules import issue_invitation
    from anticipe.workshop.study_format import import_study

    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    # The admin's files (most of the collection, and most of its time) are left out of a
    # quick run: experts never load them.
    ignore = [] if all_static else ["admin/*"]
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=ignore)
    owner = get_user_model().objects.create_user("bench-facilitator")
    study = import_study(load_example(), owner=owner)
    codes = list(study.factors.shortlisted().values_list("code", flat=True))[:FACTORS]
    if len(codes) < FACTORS:
        codes = list(study.factors.order_by("position", "id").values_list("code", flat=True))
        codes = codes[:FACTORS]
    iteration = study.rounds.filter(step=Round.Step.INFLUENCE).count() + 1
    round_ = Round.objects.create(
        study=study,
        step=Round.Step.INFLUENCE,
        iteration=iteration,
        settings={"factors": codes},
    )
    round_.open()
    tokens = []
    with transaction.atomic():
        for number in range(1, experts + 1):
            expert = Expert.objects.create(
                study=study,
                code=f"L{number:03d}",
                name=f"Load expert {number}",
                sector="benchmark",
                simulated=True,
            )
            _invitation, token = issue_invitation(expert)
            tokens.append({"code": expert.code, "token": token})
    if connection.vendor == "postgresql":
        # as pgbench does before a run: the preparation's rows analysed and written out now,
        # not by autovacuum and a checkpoint in the middle of the measured run
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            # a superuser's (or pg_checkpoint's) right; another role leaves it to its time
            with contextlib.suppress(DatabaseError):
                cursor.execute("CHECKPOINT")
    plan: dict[str, Any] = {
        "database": connection.vendor,
        "study": study.pk,
        "round": round_.pk,
        "factors": codes,
        "experts": tokens,
    }
    out.write_text(json.dumps(plan), encoding="utf-8")


def verify(plan_path: Path, answers_path: Path) -> dict[str, int]:
    """Compare the stored scores with the acknowledged answers.

    `answers` maps an expert's code to ``[[source, target, value, acknowledged], ...]``:
    the last answer the client sent for each cell and whether the server acknowledged it.
    """
    setup_django()
    from anticipe.workshop.models import InfluenceScore

    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    answers: dict[str, list[list[Any]]] = json.loads(answers_path.read_text(encoding="utf-8"))
    stored = {
        (expert, source, target): value
        for expert, source, target, value in InfluenceScore.objects.filter(
            round_id=plan["round"]
        ).values_list("expert__code", "source__code", "target__code", "value")
    }
    checked = lost = unsure = 0
    for expert, cells in answers.items():
        for source, target, value, acknowledged in cells:
            if not acknowledged:  # the last attempt failed: either value may be stored
                unsure += 1
                continue
            checked += 1
            if stored.get((expert, source, target)) != value:
                lost += 1
    sent = {(e, s, t) for e, cells in answers.items() for s, t, _v, _a in cells}
    unexpected = sum(1 for cell in stored if cell not in sent)
    return {
        "stored": len(stored),
        "checked": checked,
        "lost": lost,
        "unsure": unsure,
        "unexpected": unexpected,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    to_prepare = commands.add_parser("prepare")
    to_prepare.add_argument("--experts", type=int, required=True)
    to_prepare.add_argument("--out", type=Path, required=True)
    to_prepare.add_argument("--without-admin-static", action="store_true")
    to_verify = commands.add_parser("verify")
    to_verify.add_argument("--plan", type=Path, required=True)
    to_verify.add_argument("--answers", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.experts, args.out, all_static=not args.without_admin_static)
    else:
        print(json.dumps(verify(args.plan, args.answers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
