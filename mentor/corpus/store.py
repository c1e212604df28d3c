"""The user's stored threads: one SQLite file in the data directory.

Schema (version in `PRAGMA user_version`, see `SCHEMA_VERSION` in model.py):

    threads(id TEXT PRIMARY KEY, title TEXT, source TEXT, format TEXT, posts INTEGER,
            content_hash TEXT, data TEXT)   -- data: the Thread as JSON (Thread.to_dict)

Every change goes through `transaction()`, so a run of changes lands whole or not at all, and a
process killed half-way leaves the previous state (SQLite's journal rolls it back).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mentor.corpus.model import SCHEMA_VERSION, Thread
from mentor.errors import MentorError

FILE_NAME = "corpus.sqlite"
_BUSY_TIMEOUT_MS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS threads (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    posts INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS threads_by_source ON threads(source);
"""


@dataclass(frozen=True)
class StoredThread:
    """A row of the thread list: enough to list threads without reading their posts."""

    id: str
    title: str
    source: str
    format: str
    posts: int
    content_hash: str


class ThreadStore:
    """The ingested threads of one data directory."""

    def __init__(self, home: Path) -> None:
        self.path = home / FILE_NAME
        try:
            self._db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_MS / 1000,
                                       isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise MentorError(f"{self.path} was written by a newer mentor (format {version}; "
                                  f"this one reads up to {SCHEMA_VERSION}): upgrade mentor")
            if version < SCHEMA_VERSION:
                self._db.executescript(
                    f"BEGIN IMMEDIATE; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
        except sqlite3.DatabaseError as exc:
            raise MentorError(f"cannot open the corpus store {self.path}: {exc}") from None

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All changes inside land together, or none do."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def list(self) -> list[StoredThread]:
        rows = self._db.execute(
            "SELECT id, title, source, format, posts, content_hash FROM threads ORDER BY id")
        return [StoredThread(*row) for row in rows]

    def get(self, thread_id: str) -> Thread | None:
        row = self._db.execute("SELECT data FROM threads WHERE id = ?", (thread_id,)).fetchone()
        return Thread.from_dict(json.loads(row[0])) if row else None

    def all(self) -> list[Thread]:
        rows = self._db.execute("SELECT data FROM threads ORDER BY id")
        return [Thread.from_dict(json.loads(row[0])) for row in rows]

    def ids_from_source(self, source: str) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT id FROM threads WHERE source = ?", (source,))]

    def put(self, thread: Thread) -> None:
        """Insert or replace `thread` (call inside `transaction()`)."""
        self._db.execute(
            "INSERT OR REPLACE INTO threads (id, title, source, format, posts, content_hash, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (thread.id, thread.title, thread.source, thread.format, len(thread.posts),
             thread.content_hash(), json.dumps(thread.to_dict(), ensure_ascii=False)),
        )

    def remove(self, thread_id: str) -> bool:
        """Delete a thread (call inside `transaction()`); False when there was none."""
        return self._db.execute("DELETE FROM threads WHERE id = ?", (thread_id,)).rowcount > 0
