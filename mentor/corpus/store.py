"""The user's stored threads: one SQLite file in the data directory.

Schema (version in `PRAGMA user_version`, see `SCHEMA_VERSION` in model.py):

    threads(id TEXT PRIMARY KEY, title TEXT, source TEXT, format TEXT, posts INTEGER,
            content_hash TEXT, data TEXT,    -- data: the Thread as JSON (Thread.to_dict)
            native_id TEXT)                  -- Thread.native_id (since version 2)

Version 1 stores are migrated when opened: the column is added and filled in for Reddit threads
from their ids (`<slug>-r<submission id>`).

Every change goes through `transaction()`, so a run of changes lands whole or not at all, and a
process killed half-way leaves the previous state (SQLite's journal rolls it back).
"""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from mentor.corpus.model import SCHEMA_VERSION, Thread
from mentor.sqlite_file import open_database, transaction

FILE_NAME = "corpus.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS threads (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    posts INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    data TEXT NOT NULL,
    native_id TEXT
);
CREATE INDEX IF NOT EXISTS threads_by_source ON threads(source);
CREATE INDEX IF NOT EXISTS threads_by_native_id ON threads(native_id);
"""
_REDDIT_ID = re.compile(r"-r([a-z0-9]+)$")


def _migrate(db: sqlite3.Connection, found: int) -> None:
    """From version 1: add `native_id`, known for Reddit threads from their ids."""
    if found < 2:
        db.execute("ALTER TABLE threads ADD COLUMN native_id TEXT")
        rows = db.execute("SELECT id FROM threads WHERE format = 'reddit'").fetchall()
        for (thread_id,) in rows:
            if match := _REDDIT_ID.search(thread_id):
                db.execute("UPDATE threads SET native_id = ? WHERE id = ?", (f"reddit:{match.group(1)}", thread_id))


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
        self._db = open_database(self.path, _SCHEMA, SCHEMA_VERSION, "corpus store", _migrate)

    def close(self) -> None:
        self._db.close()

    def transaction(self) -> AbstractContextManager[None]:
        """All changes inside land together, or none do."""
        return transaction(self._db)

    def list(self) -> list[StoredThread]:
        rows = self._db.execute(
            "SELECT id, title, source, format, posts, content_hash FROM threads ORDER BY id")
        return [StoredThread(*row) for row in rows]

    def get(self, thread_id: str) -> Thread | None:
        if not _is_utf8(thread_id):  # an argument's bytes that were not UTF-8: no stored id has them
            return None
        row = self._db.execute("SELECT data FROM threads WHERE id = ?", (thread_id,)).fetchone()
        return Thread.from_dict(json.loads(row[0])) if row else None

    def all(self) -> list[Thread]:
        rows = self._db.execute("SELECT data FROM threads ORDER BY id")
        return [Thread.from_dict(json.loads(row[0])) for row in rows]

    def ids_from_source(self, source: str) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT id FROM threads WHERE source = ?", (source,))]

    def id_of_native(self, native_id: str) -> str | None:
        """The id of the stored thread whose `native_id` this is, if any."""
        row = self._db.execute("SELECT id FROM threads WHERE native_id = ? ORDER BY id", (native_id,)).fetchone()
        return row[0] if row else None

    def put(self, thread: Thread) -> None:
        """Insert or replace `thread` (call inside `transaction()`)."""
        self._db.execute(
            "INSERT OR REPLACE INTO threads (id, title, source, format, posts, content_hash, data, native_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (thread.id, thread.title, thread.source, thread.format, len(thread.posts),
             thread.content_hash(), json.dumps(thread.to_dict(), ensure_ascii=False), thread.native_id),
        )

    def remove(self, thread_id: str) -> bool:
        """Delete a thread (call inside `transaction()`); False when there was none."""
        if not _is_utf8(thread_id):
            return False
        return self._db.execute("DELETE FROM threads WHERE id = ?", (thread_id,)).rowcount > 0


def _is_utf8(text: str) -> bool:
    """False for text holding lone surrogates (how Python keeps bytes that were not UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
