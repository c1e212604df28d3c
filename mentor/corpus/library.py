"""The corpus mentor answers from: the bundled threads plus the ones the user ingested."""

from __future__ import annotations

from pathlib import Path

from mentor.corpus.bundled import bundled_threads
from mentor.corpus.model import Thread
from mentor.corpus.store import ThreadStore


class Corpus:
    """Bundled and ingested threads as one collection; an ingested thread wins over a bundled
    thread with the same id (the user's copy is the one they meant)."""

    def __init__(self, home: Path) -> None:
        self.store = ThreadStore(home)

    def close(self) -> None:
        self.store.close()

    def threads(self) -> list[Thread]:
        merged = {thread.id: thread for thread in bundled_threads()}
        merged.update((thread.id, thread) for thread in self.store.all())
        return sorted(merged.values(), key=lambda thread: thread.id)

    def get(self, thread_id: str) -> Thread | None:
        stored = self.store.get(thread_id)
        if stored is not None:
            return stored
        return next((t for t in bundled_threads() if t.id == thread_id), None)

    def is_bundled(self, thread_id: str) -> bool:
        return any(t.id == thread_id for t in bundled_threads())


def corpus_threads(home: Path) -> list[Thread]:
    """Every thread of the corpus in `home`, read once (the store is closed again)."""
    corpus = Corpus(home)
    try:
        return corpus.threads()
    finally:
        corpus.close()
