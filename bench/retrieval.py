"""Retrieval and ingest at scale: mentor's whole retrieval (with the perspective split) beside BM25
alone and exact dense search on the same vectors, and the store's approximate search's recall."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.corpus_gen import generate, questions
from mentor.config import Settings
from mentor.corpus.ingest import IngestReport, store_threads
from mentor.corpus.store import ThreadStore
from mentor.engine.conversation import Conversation
from mentor.engine.engine import Engine
from mentor.engine.index import sync_index


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def _timed(function, items) -> list[float]:  # noqa: ANN001
    times = []
    for item in items:
        started = time.perf_counter()
        function(item)
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(size: int, asks: int = 60) -> dict[str, float]:
    """Ingest `size` generated posts (store, dense and BM25 indexes, as `mentor ingest` does),
    open the engine on them as a later start would, then time `asks` questions."""
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        threads = generate(size)
        posts = sum(len(t.posts) for t in threads)
        started = time.perf_counter()
        store = ThreadStore(home)
        store_threads(store, threads, IngestReport())
        store.close()
        sync_index(home, Settings())
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        engine = Engine.open(home)
        open_s = time.perf_counter() - started
        index = engine.retriever.dense
        asked = questions(asks)
        for question in asked[:5]:  # warm up caches
            engine.gather(Conversation(), question)
        mentor = _timed(lambda q: engine.gather(Conversation(), q), asked)
        bm25 = _timed(lambda q: engine.retriever.posts.search(q, 60), asked)
        stored = index.collection.get(include=["embeddings"])
        ids = stored["ids"]
        matrix = np.asarray(stored["embeddings"], dtype=np.float32)
        exact_top: dict[str, list[str]] = {}

        def exact(question: str) -> None:
            vector = index.embedder.embed([question])[0]
            scores = matrix @ vector
            top = np.argpartition(-scores, 10)[:10]
            exact_top[question] = [ids[i] for i in top[np.argsort(-scores[top])]]

        dense = _timed(exact, asked)
        recalls = []
        for question in asked:
            approximate = {f"{k[0]}#{k[1]}" for k, _ in index.search(question, 10)}
            recalls.append(len(approximate & set(exact_top[question])) / 10)
        return {"posts": engine.stats.posts, "ingest_posts_per_s": posts / ingest_s, "engine_open_s": open_s,
                "retrieval_p50_ms": statistics.median(mentor), "retrieval_p95_ms": p95(mentor),
                "bm25_p95_ms": p95(bm25), "exact_dense_p95_ms": p95(dense),
                "ann_recall_at_10": statistics.mean(recalls)}
