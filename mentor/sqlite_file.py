"""The SQLite files in the data directory: opened private, schema-versioned, changed atomically."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from mentor.errors import MentorError

BUSY_TIMEOUT_S = 10.0

#: Brings a database from the version it is keyed by to the next one, inside the opening
#: transaction (foreign keys are not enforced yet, so tables can be rebuilt).
Migration = Callable[[sqlite3.Connection], None]


def open_database(path: Path, schema: str, version: int, what: str,
                  migrations: Mapping[int, Migration] | None = None) -> sqlite3.Connection:
    """The database at `path` (created readable by its owner alone), at schema `version`.

    `schema` is idempotent DDL (CREATE ... IF NOT EXISTS, no `;` inside a statement); a file
    at an older version is first brought up by `migrations[v]` for each version v it passes
    (a new file needs none), all in one transaction that one process at a time runs. A file
    written by a newer mentor is refused rather than misread.
    """
    try:
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        if _version(db, path, version) < version:
            with transaction(db):
                found = _version(db, path, version)  # again: another process may have upgraded it
                for step in range(found, version) if found else ():
                    if migrations and step in migrations:
                        migrations[step](db)
                for statement in filter(str.strip, schema.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")
        return db
    except sqlite3.DatabaseError as exc:
        raise MentorError(f"cannot open the {what} {path}: {exc}") from None
    except OSError as exc:
        raise MentorError(f"cannot open the {what} {path}: {exc.strerror or exc}") from None


def _version(db: sqlite3.Connection, path: Path, version: int) -> int:
    found = db.execute("PRAGMA user_version").fetchone()[0]
    if found > version:
        raise MentorError(f"{path} was written by a newer mentor (format {found}; this one reads up "
                          f"to {version}): upgrade mentor")
    return found


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """All changes inside land together, or none do."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
