"""Retrieval and ingest at scale: mentor's whole retrieval (reading the stored thread analyses)
beside BM25 alone and exact dense search on the same vectors, the store's approximate search's
recall, and ingest (store, dense and BM25 indexes, thread analyses) beside the same stages
without the thread analyses, as ingest was before it, in the same run.

The scale runs use the fitted LSA embedder (`embedding_model="lsa"`): the sentence model (a
user's default when its wheel is installed) embeds about 40 posts a second on 2 cores, so 100k
posts would take most of an hour; it is measured at 1k posts beside LSA (`python -m bench`)."""

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
from mentor.engine.embedder import LSA_SETTING
from mentor.engine.engine import Engine
from mentor.corpus.library import corpus_threads
from mentor.engine.index import PostIndex, sync_index
from mentor.engine.lexical import LexicalIndexes


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


def _ingest(home: Path, threads: list, analyses: bool, settings: Settings) -> float:  # noqa: ANN001
    """Seconds to store `threads` and index them as `mentor ingest` does (with `analyses`), or
    with the dense and BM25 indexes alone (without)."""
    started = time.perf_counter()
    store = ThreadStore(home)
    store_threads(store, threads, IngestReport())
    store.close()
    if analyses:
        sync_index(home, settings)
    else:
        stored = corpus_threads(home)
        PostIndex(home, None, settings.embedding_model).sync(stored)
        LexicalIndexes.open(home, stored)
    return time.perf_counter() - started


def run(size: int, asks: int = 60, embedding_model: str | None = LSA_SETTING) -> dict[str, float]:
    """Ingest `size` generated posts as `mentor ingest` does, then the same stages without the
    thread analyses in another folder (this order leaves the warmer caches to the baseline), open
    the engine as a later start would, then time `asks` questions. `embedding_model` is the
    setting (None: the sentence model when installed)."""
    settings = Settings(embedding_model=embedding_model)
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as other:
        home = Path(folder)
        threads = generate(size)
        posts = sum(len(t.posts) for t in threads)
        ingest_s = _ingest(home, threads, analyses=True, settings=settings)
        baseline_s = _ingest(Path(other), threads, analyses=False, settings=settings)
        started = time.perf_counter()
        engine = Engine.open(home, settings)
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
        return {"posts": engine.stats.posts, "ingest_posts_per_s": posts / ingest_s,
                "ingest_without_analyses_posts_per_s": posts / baseline_s, "ingest_ratio": baseline_s / ingest_s,
                "engine_open_s": open_s,
                "retrieval_p50_ms": statistics.median(mentor), "retrieval_p95_ms": p95(mentor),
                "bm25_p95_ms": p95(bm25), "exact_dense_p95_ms": p95(dense),
                "ann_recall_at_10": statistics.mean(recalls)}
