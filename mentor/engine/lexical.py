"""BM25 over the same per-post documents as the dense index (bm25s, mentor's own terms)."""

from __future__ import annotations

import bm25s

from mentor.engine.text import terms


class LexicalIndex:
    """An in-memory BM25 index of documents, addressed by their ids."""

    def __init__(self, ids: list[str], texts: list[str]) -> None:
        self.ids = ids
        self.bm25 = bm25s.BM25()
        if ids:
            self.bm25.index([terms(text) or ["_"] for text in texts], show_progress=False)

    def search(self, text: str, k: int) -> list[tuple[str, float]]:
        """The best `k` ids for `text`, best first, with their BM25 scores (only those above 0)."""
        query = terms(text)
        if not self.ids or not query:
            return []
        k = min(k, len(self.ids))
        docs, scores = self.bm25.retrieve([query], k=k, show_progress=False, n_threads=1)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]

    def __len__(self) -> int:
        return len(self.ids)
