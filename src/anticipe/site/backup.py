"""``anticipe backup FILE`` and ``anticipe restore FILE``: the whole site's database in one file.

A backup holds everything the site knows (accounts, studies, panels with names, members,
proposals, answers, iterations, decisions, the audit log), unlike a study file, which is
pseudonymous and holds only what the method needs.

- SQLite: SQLite's online backup API (:meth:`sqlite3.Connection.backup`), which copies a
  consistent snapshot while the site keeps running; the restore copies the same way into
  the live database, in one step.
- PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean --single-transaction``
  (PostgreSQL's client tools, run with the site's connection settings).

A backup is written to a temporary file beside FILE and renamed once complete, so FILE is
never half-written. A restore checks first that FILE is a backup of an Anticipe site, and
refuses to replace a database that holds accounts or studies unless ``force`` is given;
it changes nothing when it refuses.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_MAGIC = b"SQLite format 3\x00"
# Tables whose rows make a database worth keeping: accounts and studies.
SITE_DATA_TABLES = ("auth_user", "workshop_study")


class BackupError(Exception):
    """A backup or a restore that cannot be made, said plainly; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def backup_database(target: Path, *, force: bool = False, using: str = "default") -> str:
    """Write the site's database to `target`; returns what was done, in one sentence."""
    connection = connections[using]
    target = Path(target)
    if target.exists() and not force:
        raise BackupError(f"{target} exists: choose another file, or add --force to replace it")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a folder")
    database_file = sqlite_file(connection)
    if database_file is not None and not database_file.is_file():
        raise BackupError(f"no database at {database_file}: is ANTICIPE_DATA_DIR right?")
    if not is_migrated(connection):
        raise BackupError("the database has no tables of the site: nothing to back up")
    with partial_file(target) as partial:
        if connection.vendor == "sqlite":
            _sqlite_backup(connection, partial)
        elif connection.vendor == "postgresql":
            _pg_run("pg_dump", connection, "--format=custom", f"--file={partial}")
        else:
            raise unsupported(connection)
    return f"{describe(connection)} backed up to {target}"


def restore_database(source: Path, *, force: bool = False, using: str = "default") -> str:
    """Replace the site's database by the backup `source`; returns what was done."""
    connection = connections[using]
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    if connection.vendor == "sqlite":
        check_sqlite_backup(source)
    elif connection.vendor == "postgresql":
        check_pg_backup(source, connection)
    else:
        raise unsupported(connection)
    if holds_site_data(connection) and not force:
        raise BackupError(
            "the database already holds accounts or studies: add --force to replace them "
            "with the backup (make a backup of them first)"
        )
    if connection.vendor == "sqlite":
        database_file = sqlite_file(connection)
        if database_file is not None:  # a new machine: the data folder may not exist yet
            database_file.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_restore(connection, source)
    else:
        connection.close()  # pg_restore drops the tables: hold no lock on them
        _pg_run(
            "pg_restore",
            connection,
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        )
    done = f"{describe(connection)} restored from {source}"
    if migrations_to_apply(connection):
        done += "; the backup is from an earlier version: run `anticipe manage migrate`"
    return done


def run_command(file: Path, *, force: bool, restore: bool) -> int:
    """``anticipe backup`` and ``anticipe restore`` with the site's settings: prints what
    was done, or the problem (exit code 2, no traceback)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anticipe.site.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.db import Error as DatabaseError

    try:
        django.setup()
    except ImproperlyConfigured as error:
        print(f"anticipe: configuration error: {error}", file=sys.stderr)
        return 2
    run = restore_database if restore else backup_database
    try:
        print(run(file, force=force))
    except BackupError as error:
        print(f"anticipe: error: {error}", file=sys.stderr)
        return 2
    except DatabaseError as error:
        print(f"anticipe: error: the database cannot be read: {error}", file=sys.stderr)
        return 2
    return 0


# -- what a database holds --------------------------------------------------------------------


def is_migrated(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        return "django_migrations" in connection.introspection.table_names(cursor)


def site_data_counts(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """The rows of each of :data:`SITE_DATA_TABLES` that exists."""
    counts = {}
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for table in SITE_DATA_TABLES:
            if table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = int(cursor.fetchone()[0])
    return counts


def holds_site_data(connection: BaseDatabaseWrapper) -> bool:
    """Whether the database holds accounts or studies (a migrated, empty one does not)."""
    return any(site_data_counts(connection).values())


def describe(connection: BaseDatabaseWrapper) -> str:
    """'the database (5 accounts, 3 studies)'."""
    counts = site_data_counts(connection)
    return (
        f"the database ({counts.get('auth_user', 0)} accounts, "
        f"{counts.get('workshop_study', 0)} studies)"
    )


def migrations_to_apply(connection: BaseDatabaseWrapper) -> bool:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def unsupported(connection: BaseDatabaseWrapper) -> BackupError:
    return BackupError(
        f"backup and restore work on SQLite and PostgreSQL, not on {connection.vendor}"
    )


@contextmanager
def partial_file(target: Path) -> Iterator[Path]:
    """A temporary file beside `target`, renamed to it when the block succeeds and removed
    when it fails."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(handle)
    partial = Path(name)
    try:
        yield partial
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


# -- SQLite -----------------------------------------------------------------------------------


def sqlite_file(connection: BaseDatabaseWrapper) -> Path | None:
    """The SQLite database's file (None for another database, or one in memory)."""
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

    if not isinstance(connection, SQLiteWrapper) or connection.is_in_memory_db():
        return None
    return Path(connection.settings_dict["NAME"])


def _raw_sqlite(connection: BaseDatabaseWrapper) -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _sqlite_backup(connection: BaseDatabaseWrapper, partial: Path) -> None:
    with closing(sqlite3.connect(partial)) as copy:
        _raw_sqlite(connection).backup(copy)
        # One file on its own: no write-ahead log beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("the copy of the database does not pass SQLite's check")


def check_sqlite_backup(source: Path) -> None:
    """Refuse a file that is not a SQLite database of an Anticipe site this version knows."""
    with source.open("rb") as file:
        if file.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupError(f"{source} is not a SQLite database (nor a backup of this site)")
    try:
        with closing(
            sqlite3.connect(f"file:{quote(str(source.resolve()))}?mode=ro", uri=True)
        ) as db:
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is damaged (SQLite's check fails)")
            applied = set(db.execute("SELECT app, name FROM django_migrations").fetchall())
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a backup of an Anticipe site ({error})") from error
    if ("workshop", "0001_initial") not in applied:
        raise BackupError(f"{source} is not a backup of an Anticipe site (no workshop tables)")
    unknown = sorted(applied - known_migrations())
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"{source} comes from a later version of Anticipe (migration {app}.{name} is "
            "unknown here): upgrade Anticipe before restoring it"
        )


def _sqlite_restore(connection: BaseDatabaseWrapper, source: Path) -> None:
    """Copy the backup into the live database in one step (SQLite keeps the destination's
    write-ahead log mode); the site's next query sees the restored data."""
    uri = f"file:{quote(str(source.resolve()))}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as backup:
        backup.backup(_raw_sqlite(connection))
    connection.close()


# -- PostgreSQL -------------------------------------------------------------------------------


def _pg_environment(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """libpq's variables for the site's connection (the password never on a command line)."""
    settings: dict[str, Any] = connection.settings_dict
    variables = {
        "PGHOST": settings.get("HOST"),
        "PGPORT": settings.get("PORT"),
        "PGUSER": settings.get("USER"),
        "PGPASSWORD": settings.get("PASSWORD"),
        "PGDATABASE": settings.get("NAME"),
        "PGSSLMODE": settings.get("OPTIONS", {}).get("sslmode"),
    }
    return {**os.environ, **{name: str(value) for name, value in variables.items() if value}}


def _pg_run(tool: str, connection: BaseDatabaseWrapper, *arguments: str) -> str:
    program = shutil.which(tool)
    if program is None:
        raise BackupError(
            f"{tool} is not installed: install PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client), of the server's version or later"
        )
    result = subprocess.run(
        [program, "--no-owner", "--no-privileges", *arguments],
        env=_pg_environment(connection),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip() or result.returncode}")
    return result.stdout


def check_pg_backup(source: Path, connection: BaseDatabaseWrapper) -> None:
    """Refuse a file that is not a pg_dump archive of an Anticipe site."""
    program = shutil.which("pg_restore")
    if program is None:
        _pg_run("pg_restore", connection)  # raises the message saying what to install
    listing = subprocess.run(
        [str(program), "--list", str(source)], capture_output=True, text=True, check=False
    )
    if listing.returncode != 0:
        raise BackupError(f"{source} is not a backup made by `anticipe backup` on PostgreSQL")
    if "TABLE public workshop_study" not in listing.stdout:
        raise BackupError(f"{source} is not a backup of an Anticipe site (no workshop tables)")
