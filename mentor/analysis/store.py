"""Stored thread analyses: `analysis.sqlite` in the data directory.

    analyses(thread_id TEXT PRIMARY KEY, content_hash TEXT, version TEXT, data TEXT)

A row holds the analysis of the thread's content with that hash, by the analyser of that
version (`analyser_version()`: the code's version and its phrase lists' digest); a row of another hash or version is stale and redone by the next
`sync` (run when the index is brought up to date, under the writer lock). A question reads the
row (`get`); a stale or missing one is computed on the spot and not stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from mentor.analysis import analyse
from mentor.analysis.model import ThreadAnalysis, analyser_version
from mentor.corpus.model import Thread
from mentor.sqlite_file import open_database, transaction

FILE_NAME = "analysis.sqlite"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS analyses (
    thread_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    version TEXT NOT NULL,
    data TEXT NOT NULL
);
"""


class AnalysisStore:
    """The analyses of one data directory's threads."""

    def __init__(self, home: Path) -> None:
        self._db = open_database(home / FILE_NAME, _SCHEMA, SCHEMA_VERSION, "analysis store")

    def close(self) -> None:
        self._db.close()

    def fresh(self) -> dict[str, str]:
        """thread id -> content hash of every analysis stored by this analyser version."""
        rows = self._db.execute("SELECT thread_id, content_hash FROM analyses WHERE version = ?",
                                (analyser_version(),))
        return dict(rows.fetchall())

    def stale(self, threads: Sequence[Thread]) -> bool:
        """Whether any of `threads` lacks a fresh analysis (or a gone thread still has one)."""
        return self.fresh() != {thread.id: thread.content_hash() for thread in threads}

    def sync(self, threads: Sequence[Thread], progress: Callable[[int, int], None] | None = None) -> int:
        """Analyse the threads whose analysis is missing or stale and drop those of threads no
        longer in the corpus, in one transaction; the number analysed."""
        stored = self.fresh()
        hashes = {thread.id: thread.content_hash() for thread in threads}
        todo = [thread for thread in threads if stored.get(thread.id) != hashes[thread.id]]
        done = [analyse(thread) for thread in todo]
        with transaction(self._db):
            self._db.executemany(
                "INSERT OR REPLACE INTO analyses (thread_id, content_hash, version, data) VALUES (?, ?, ?, ?)",
                [(a.thread_id, a.content_hash, a.version, a.to_json()) for a in done])
            gone = [(tid,) for (tid,) in self._db.execute("SELECT thread_id FROM analyses") if tid not in hashes]
            self._db.executemany("DELETE FROM analyses WHERE thread_id = ?", gone)
        if progress:
            progress(len(done), len(threads))
        return len(done)

    def get(self, thread: Thread, content_hash: str | None = None) -> ThreadAnalysis | None:
        """The stored analysis of `thread` when it is fresh, else None."""
        row = self._db.execute("SELECT content_hash, version, data FROM analyses WHERE thread_id = ?",
                               (thread.id,)).fetchone()
        if row is None or row[1] != analyser_version() or row[0] != (content_hash or thread.content_hash()):
            return None
        return ThreadAnalysis.from_json(row[2])
