"""``anticipe backup`` / ``anticipe restore``: a full round trip of the site's database
(accounts, names, members, proposals, iterations, audit log), and the refusals.

The same tests run on PostgreSQL when DATABASE_URL names one (pg_dump and pg_restore then
do the work); on SQLite they back the test database up with SQLite's backup API.
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from anticipe.cli.main import main
from anticipe.examples import load_example
from anticipe.site.backup import BackupError, backup_database, restore_database
from anticipe.workshop.models import (
    AuditEvent,
    Expert,
    FactorProposal,
    Round,
    Study,
    StudyMember,
)
from anticipe.workshop.study_format import import_study

pytestmark = pytest.mark.django_db(transaction=True)
ON_POSTGRESQL = connection.vendor == "postgresql"


def a_site_in_use() -> Study:
    """What a study file leaves out: accounts, names, members, proposals, iterations, the
    audit log."""
    users = get_user_model().objects
    facilitator = users.create_user("facilitator", password="facilitator-pw-1")
    observer = users.create_user("observer", password="observer-pw-1", email="o@example.org")
    study = import_study(load_example(), owner=facilitator)
    StudyMember.objects.create(study=study, user=observer, role=StudyMember.Role.OBSERVER)
    expert = study.experts.order_by("code").first()
    assert expert is not None
    expert.name, expert.email, expert.organisation = "Ada Lovelace", "ada@example.org", "Forem"
    expert.save()
    vote = Round.objects.create(study=study, step="proposals", iteration=2)
    vote.open()
    FactorProposal.objects.create(round=vote, expert=expert, title="Intelligence artificielle")
    AuditEvent.record(study, facilitator, "expert_edited", expert=expert.code)
    return study


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    """A site in use, backed up to a file."""
    a_site_in_use()
    path = tmp_path / "site.backup"
    backup_database(path)
    return path


def everything() -> str:
    """Every row of the site's own tables and accounts, as dumpdata writes them."""
    output = io.StringIO()
    call_command("dumpdata", "workshop", "auth.user", stdout=output, indent=0)
    return output.getvalue()


def test_a_backup_restores_everything(tmp_path: Path) -> None:
    a_site_in_use()
    before = everything()
    assert "Ada Lovelace" in before
    assert "Intelligence artificielle" in before
    backup = tmp_path / "site.backup"
    said = backup_database(backup)
    assert said == f"the database (2 accounts, 1 studies) backed up to {backup}"
    # everything changes afterwards
    Study.objects.all().delete()
    get_user_model().objects.create_user("newcomer")
    Expert.objects.all().delete()
    assert everything() != before
    said = restore_database(backup, force=True)
    assert said == f"the database (2 accounts, 1 studies) restored from {backup}"
    assert everything() == before
    study = Study.objects.get()
    assert study.experts.get(name="Ada Lovelace").email == "ada@example.org"
    assert study.members.get(role="observer").user.username == "observer"
    assert study.rounds.filter(step="proposals", iteration=2).exists()
    assert study.audit_events.filter(action="expert_edited").exists()
    assert get_user_model().objects.get(username="facilitator").check_password("facilitator-pw-1")


def test_a_restore_refuses_to_replace_a_database_in_use(backup: Path) -> None:
    get_user_model().objects.create_user("since-the-backup")
    before = everything()
    with pytest.raises(BackupError, match="already holds accounts or studies: add --force"):
        restore_database(backup)
    assert everything() == before


def test_a_restore_into_an_empty_database_needs_no_force(backup: Path) -> None:
    before = everything()
    Study.objects.all().delete()
    get_user_model().objects.all().delete()
    restore_database(backup)
    assert everything() == before


def test_a_backup_does_not_replace_a_file_unless_forced(tmp_path: Path) -> None:
    a_site_in_use()
    backup = tmp_path / "site.backup"
    backup.write_text("keep me")
    with pytest.raises(BackupError, match="exists: choose another file, or add --force"):
        backup_database(backup)
    assert backup.read_text() == "keep me"
    backup_database(backup, force=True)
    assert backup.read_bytes() != b"keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["site.backup"]  # no partial file left


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,sector\nE01,IT\n", "is not a"),
        (b"", "is not a"),
    ],
)
def test_a_restore_refuses_a_file_that_is_not_a_backup(
    tmp_path: Path, content: bytes, message: str
) -> None:
    a_site_in_use()
    before = everything()
    wrong = tmp_path / "wrong.backup"
    wrong.write_bytes(content)
    with pytest.raises(BackupError, match=message):
        restore_database(wrong, force=True)
    assert everything() == before


@pytest.mark.skipif(ON_POSTGRESQL, reason="a SQLite file given to a PostgreSQL site")
def test_a_restore_refuses_a_sqlite_database_of_another_program(tmp_path: Path) -> None:
    a_site_in_use()
    before = everything()
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    with pytest.raises(BackupError, match="is not a backup of an Anticipe site"):
        restore_database(other, force=True)
    assert everything() == before


@pytest.mark.skipif(ON_POSTGRESQL, reason="the migrations of a SQLite backup")
def test_a_restore_refuses_a_backup_of_a_later_version(backup: Path) -> None:
    with sqlite3.connect(backup) as db:
        db.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('workshop', '9999_future', '2030-01-01')"
        )
    with pytest.raises(BackupError, match=r"later version of Anticipe \(migration workshop.9999"):
        restore_database(backup, force=True)


@pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite file itself")
def test_a_sqlite_backup_is_one_database_file(backup: Path) -> None:
    with sqlite3.connect(backup) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        names = {row[0] for row in db.execute("SELECT username FROM auth_user")}
    assert names == {"facilitator", "observer"}


def test_the_commands_say_what_they_did(tmp_path: Path, capsys: Any) -> None:
    a_site_in_use()
    backup = tmp_path / "site.backup"
    assert main(["backup", str(backup)]) == 0
    assert f"backed up to {backup}" in capsys.readouterr().out
    assert main(["restore", str(backup)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("anticipe: error: the database already holds accounts or studies")
    assert "Traceback" not in error
    assert main(["restore", str(tmp_path / "missing.backup")]) == 2
    assert "missing.backup: no such file" in capsys.readouterr().err
    assert main(["restore", "--force", str(backup)]) == 0
    assert f"restored from {backup}" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.skipif(ON_POSTGRESQL, reason="a SQLite file in the data folder")
def test_the_commands_on_the_sites_own_database_file(tmp_path: Path) -> None:
    """The commands as an operator runs them: the site's settings, its SQLite file in
    write-ahead-log mode in the data folder."""
    import os
    import subprocess
    import sys

    data = tmp_path / "data"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ANTICIPE_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "anticipe.site.settings",
        "ANTICIPE_DEBUG": "1",
        "ANTICIPE_DATA_DIR": str(data),
    }

    def anticipe(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "anticipe.cli.main", *arguments],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def accounts() -> set[str]:
        with sqlite3.connect(data / "anticipe.sqlite3") as db:
            return {row[0] for row in db.execute("SELECT username FROM auth_user")}

    missing = anticipe("backup", str(tmp_path / "nothing.backup"))
    assert missing.returncode == 2
    assert (
        f"no database at {data / 'anticipe.sqlite3'}: is ANTICIPE_DATA_DIR right?" in missing.stderr
    )
    assert "Traceback" not in missing.stderr
    data.mkdir()
    assert anticipe("manage", "migrate", "--verbosity=0").returncode == 0
    made = anticipe(
        "manage", "createsuperuser", "--no-input", "--username=admin", "--email=admin@example.org"
    )
    assert made.returncode == 0, made.stderr
    backup = tmp_path / "site.backup"
    done = anticipe("backup", str(backup))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"the database (1 accounts, 0 studies) backed up to {backup}"
    with sqlite3.connect(data / "anticipe.sqlite3") as db:
        db.execute("DELETE FROM auth_user")
    assert accounts() == set()
    restored = anticipe("restore", str(backup))  # no account left: no --force needed
    assert restored.returncode == 0, restored.stderr
    assert accounts() == {"admin"}
    with sqlite3.connect(data / "anticipe.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
