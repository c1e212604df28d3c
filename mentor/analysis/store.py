"""Stored thread analyses: `analysis.sqlite` in the data directory.

    analyses(thread_id TEXT PRIMARY KEY, content_hash TEXT, version TEXT, data TEXT)

A row holds the analysis of the thread's content with that hash, by the analyser of that
version (`analyser_version()`: the code's version and its phrase lists' digest); a row of another hash or version is stale and redone by the next
`sync` (run when the index is brought up to date, under the writer lock). A question reads the
row (`get`); a stale or missing one is computed on the spot and not stored.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from mentor.analysis import analyse
from mentor.analysis.model import ThreadAnalysis, analyser_version
from mentor.corpus.model import Thread
from mentor.sqlite_file import open_database, transaction

FILE_NAME = "analysis.sqlite"
#: From this many threads to analyse, a second process does it (starting one costs about a
#: second; analysing runs at about 1,000 posts a second on one core).
PARALLEL_FROM = 500
#: Threads per chunk the two processes share (a chunk takes about a tenth of a second).
CHUNK_THREADS = 20
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS analyses (
    thread_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    version TEXT NOT NULL,
    data TEXT NOT NULL
);
"""


def analysis_rows(threads: Sequence[Thread]) -> list[tuple[str, str, str, str]]:
    """The store's rows for `threads`: (thread id, content hash, analyser version, JSON)."""
    rows = []
    for thread in threads:
        analysis = analyse(thread)
        rows.append((analysis.thread_id, analysis.content_hash, analysis.version, analysis.to_json()))
    return rows


def _analyse_beside(threads: Sequence[Thread], meanwhile: Callable[[], object]) -> list[tuple[str, str, str, str]]:
    """The rows of `threads`, analysed by a second process (`mentor.analysis.worker`) while
    `meanwhile` runs here, and by this one too once `meanwhile` is done (chunks from the end).
    A chunk that process left undone (it failed) is analysed here."""
    from mentor.analysis.worker import analyse_chunk, claim

    chunks = [list(threads[i:i + CHUNK_THREADS]) for i in range(0, len(threads), CHUNK_THREADS)]
    with tempfile.TemporaryDirectory(prefix="mentor-analysis-") as name:
        folder = Path(name)
        (folder / "chunks.pickle").write_bytes(pickle.dumps(chunks))
        worker = subprocess.Popen([sys.executable, "-m", "mentor.analysis.worker", str(folder)],
                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            meanwhile()
        except BaseException:
            worker.kill()
            worker.wait()
            raise
        for chunk in reversed(range(len(chunks))):
            if not claim(folder, chunk):  # the worker has reached it: it holds the earlier ones
                break
            analyse_chunk(folder, chunk, chunks[chunk])
        worker.wait()
        rows: list[tuple[str, str, str, str]] = []
        for chunk, part in enumerate(chunks):
            done = folder / f"{chunk}.rows"
            rows += pickle.loads(done.read_bytes()) if done.exists() else analysis_rows(part)
        return rows


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

    def sync(self, threads: Sequence[Thread], meanwhile: Callable[[], object] = lambda: None) -> int:
        """Analyse the threads whose analysis is missing or stale and drop those of threads no
        longer in the corpus, in one transaction; the number analysed.

        `meanwhile` runs while the threads are analysed: with `PARALLEL_FROM` threads or more
        to analyse, a second process analyses them (pure Python, one core) while work such as
        the dense index's sync uses the other core, and this process joins in when that work is
        done.
        """
        stored = self.fresh()
        hashes = {thread.id: thread.content_hash() for thread in threads}
        todo = [thread for thread in threads if stored.get(thread.id) != hashes[thread.id]]
        if len(todo) >= PARALLEL_FROM:
            rows = _analyse_beside(todo, meanwhile)
        else:
            meanwhile()
            rows = analysis_rows(todo)
        with transaction(self._db):
            self._db.executemany(
                "INSERT OR REPLACE INTO analyses (thread_id, content_hash, version, data) VALUES (?, ?, ?, ?)", rows)
            gone = [(tid,) for (tid,) in self._db.execute("SELECT thread_id FROM analyses") if tid not in hashes]
            self._db.executemany("DELETE FROM analyses WHERE thread_id = ?", gone)
        return len(rows)

    def get(self, thread: Thread, content_hash: str | None = None) -> ThreadAnalysis | None:
        """The stored analysis of `thread` when it is fresh, else None."""
        row = self._db.execute("SELECT content_hash, version, data FROM analyses WHERE thread_id = ?",
                               (thread.id,)).fetchone()
        if row is None or row[1] != analyser_version() or row[0] != (content_hash or thread.content_hash()):
            return None
        return ThreadAnalysis.from_json(row[2])
