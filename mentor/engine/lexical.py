"""BM25 over the same per-post documents as the dense index (bm25s, mentor's own terms)."""

from __future__ import annotations

import bm25s
import numpy as np

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
        # Scores for every document, then the top k: bm25s's own retrieve() starts worker
        # threads on each call, which costs more than the scoring at these sizes.
        scores = self.bm25.get_scores(query)
        k = min(k, len(self.ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[int(d)], float(scores[d])) for d in top if scores[d] > 0]

    def __len__(self) -> int:
        return len(self.ids)
