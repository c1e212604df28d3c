"""The SQLite files in the data directory: opened private, schema-versioned, changed atomically."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tenacity import Retrying, retry_if_exception, stop_after_delay, wait_random

from mentor.errors import MentorError

BUSY_TIMEOUT_S = 10.0


Migration = Callable[[sqlite3.Connection, int], None]


def open_database(path: Path, schema: str, version: int, what: str,
                  migrate: Migration | None = None) -> sqlite3.Connection:
    """The database at `path` (created readable by its owner alone), at schema `version`.

    `schema` is idempotent DDL (CREATE ... IF NOT EXISTS); a file written by a newer mentor is
    refused rather than misread. A file of an older version is brought up to `version` by
    `migrate(db, found_version)`, run before `schema` in the same transaction (so a process killed
    half-way leaves the old file as it was).
    """
    try:
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        _use_wal(db)
        found = db.execute("PRAGMA user_version").fetchone()[0]
        if found > version:
            raise MentorError(f"{path} was written by a newer mentor (format {found}; this one reads up "
                              f"to {version}): upgrade mentor")
        if found < version:
            with transaction(db):
                found = db.execute("PRAGMA user_version").fetchone()[0]  # another process may have been first
                if 0 < found < version and migrate is not None:
                    migrate(db, found)
                if found < version:
                    for statement in schema.split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute(f"PRAGMA user_version = {version}")
        return db
    except sqlite3.DatabaseError as exc:
        raise MentorError(f"cannot open the {what} {path}: {exc}") from None
    except OSError as exc:
        raise MentorError(f"cannot open the {what} {path}: {exc.strerror or exc}") from None


def _is_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and exc.sqlite_errorcode == sqlite3.SQLITE_BUSY


def _use_wal(db: sqlite3.Connection) -> None:
    """Put the file in write-ahead-log mode, waiting up to `BUSY_TIMEOUT_S` for other processes.

    SQLite answers "database is locked" at once, without waiting its busy timeout, when two
    connections change a new file's journal mode at the same moment: each holds a shared lock
    and wants an exclusive one, and waiting could deadlock (https://sqlite.org/c3ref/busy_handler.html).
    Two mentor processes started together on a fresh data directory did so (1 open in 15, four
    processes at once); the change is retried instead.
    """
    for attempt in Retrying(retry=retry_if_exception(_is_busy), stop=stop_after_delay(BUSY_TIMEOUT_S),
                            wait=wait_random(0.005, 0.05), reraise=True):
        with attempt:
            db.execute("PRAGMA journal_mode=WAL")


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
