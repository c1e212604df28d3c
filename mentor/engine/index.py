"""The dense index: chromadb, embedded in the data directory or a Chroma server.

Layout in `<home>/index/`:

    chroma/           the PersistentClient's store (not used with --chroma-url)
    lsa-<fp>.npz      the fitted LSA embedding model(s)
    all-MiniLM-L6-v2-….gguf  the sentence model converted from its wheel (when installed)
    manifest.json     {"format": 1, "store": ..., "embedder": {name, fingerprint, dimension, params},
                       "fitted_posts": int, "threads": {thread id: content hash},
                       "thread_vectors": 1 once every thread's vector is stored}

Two collections: `COLLECTION`, a vector per post, and `THREAD_COLLECTION`, a vector per thread,
the mean of its posts' (a thread's meaning as a whole, `search_threads`).

`sync` brings the index in line with the corpus incrementally: only threads whose content hash
changed are re-embedded, removed threads are deleted. The manifest is written (atomically) after
the vectors, so a process killed mid-sync redoes that work next time instead of trusting it.
A changed embedder (other name, parameters or dimension) rebuilds the collection cleanly.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402
from chromadb.api.types import EmbeddingFunction  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402
from chromadb.errors import NotFoundError  # noqa: E402
from chromadb.utils.embedding_functions import config_to_embedding_function  # noqa: E402

from mentor.config import Settings  # noqa: E402
from mentor.corpus.model import Thread  # noqa: E402
from mentor.engine.documents import PostKey, parse_post_id, post_id, thread_documents  # noqa: E402
from mentor.engine.embedder import TOKENIZER_NAME, GgufEmbedding, LsaEmbedding, choose_embedding_model  # noqa: E402
from mentor.engine.sentence_model import (  # noqa: E402
    CLOSE_SIMILARITY, MAX_TOKENS, MODEL_NAME, OFF_TOPIC_SIMILARITY, is_converted)
from mentor.errors import MentorError  # noqa: E402

MANIFEST_FORMAT = 1
COLLECTION = "mentor-posts"
THREAD_COLLECTION = "mentor-threads"
#: The manifest's mark that `THREAD_COLLECTION` holds a vector for every thread of "threads"
#: (an index made before it existed fills it on its next sync).
THREAD_VECTORS = 1
#: Threads whose post vectors are read at once when an older index gets its thread vectors.
_FILL_THREADS = 200
#: Progress is told after every this many posts embedded, or every hundredth of a large sync's
#: posts (the sentence model embeds about 17 posts/s on two idle cores: a first run's 701
#: posts take a minute or more, and several on a busy machine, so each step is seconds).
_PROGRESS_STEP = 16
#: Embedded posts are stored, and the threads they complete recorded, in about this many batches
#: of a sync (of at most `_BATCH` posts each): a sync cut short goes on from the last one. At
#: 100k posts, storing and recording every 1,000 posts (a hundredth) made the sync 7-17% slower
#: than storing every 2,000 and recording at the end; twenty records cost nothing measurable
#: (2026-11-30).
_RECORDS = 20
_BATCH = 2000
#: Refit the corpus-fitted embedder when the corpus has grown past this multiple of what it
#: was fitted on (its vocabulary would miss too much of the new text).
REFIT_GROWTH = 2.0
#: Candidates HNSW keeps while it searches (chromadb's `ef_search`; its default is 100). A
#: question asks for 60 posts (`mentor.engine.retrieve.CANDIDATES`), and at 100 the search missed
#: some of the 60 nearest, a different few in each process (the graph of the newest vectors is
#: built anew when a process opens the index): the real set's answers changed from run to run
#: where two threads' fused scores lay 0.00002 apart. Measured 2026-11-30 against exact search:
#: recall of the 60 nearest 0.996 at 100 -> 1.0 at 300 on the 773 posts of the starter corpus
#: with the real threads (sentence model), 0.958 -> 0.986 at 10k generated posts (LSA), with
#: the same search p95 (about 3 ms) there; see the README's benchmark for 100k.
EF_SEARCH = 300


@dataclass
class SyncReport:
    threads_embedded: int = 0
    threads_removed: int = 0
    posts_embedded: int = 0
    rebuilt: bool = False
    #: What embedded the posts, for messages (`PostIndex.embedder_name`).
    embedder: str = ""


def _settings() -> ChromaSettings:
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def open_client(home: Path, chroma_url: str | None) -> chromadb.ClientAPI:
    if chroma_url:
        parts = urlsplit(chroma_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise MentorError(f"--chroma-url {chroma_url}: expected http://HOST:PORT")
        try:
            return chromadb.HttpClient(host=parts.hostname, port=parts.port or 8000,
                                       ssl=parts.scheme == "https", settings=_settings())
        except Exception as exc:  # chromadb raises several kinds for an unreachable server
            raise MentorError(f"cannot reach the Chroma server at {chroma_url}: {exc}") from None
    path = home / "index" / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    # chromadb creates and migrates its SQLite file when a client opens it: two processes doing
    # that at once on a new data directory fail with "database is locked". One at a time (a
    # second or so; not the writer lock, which a process may already hold here).
    with open(home / "index" / "open.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        return chromadb.PersistentClient(path=str(path), settings=_settings())


class PostIndex:
    """Dense vectors of every post, kept in step with the corpus."""

    def __init__(self, home: Path, chroma_url: str | None = None, embedding_model: str | None = None):
        self.home = home
        self.folder = home / "index"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.store_name = chroma_url or "local"
        #: The GGUF embedding model's path, or None for LSA (`choose_embedding_model`).
        self.embedding_model = choose_embedding_model(home, embedding_model)
        #: Below this cosine the nearest post says the question is off the corpus's subject;
        #: None when the embedder has no measured threshold (LSA, a model the user chose).
        self.off_topic_below = OFF_TOPIC_SIMILARITY if is_converted(self.embedding_model) else None
        #: Below this cosine the nearest post says nothing speaks to the question directly
        #: (`CLOSE_SIMILARITY`); None as for `off_topic_below`.
        self.close_below = CLOSE_SIMILARITY if is_converted(self.embedding_model) else None
        #: Whether questions search the thread vectors (`search_threads`): with the sentence model,
        #: where that ranking was measured (`mentor.engine.retrieve.THREAD_RANKING_WEIGHTS`). The
        #: LSA embedder's thread vectors mostly echo BM25's words, and put a "Group PM" thread first
        #: for "They offered me 140k ... push back or just take it?".
        self.ranks_threads = is_converted(self.embedding_model)
        self.client = open_client(home, chroma_url)
        self.manifest_path = self.folder / ("manifest.json" if not chroma_url else
                                            f"manifest-{hashlib.sha256(chroma_url.encode()).hexdigest()[:12]}.json")
        self.manifest = self._read_manifest()
        self.collection = None
        self.thread_collection = None
        self.embedder: EmbeddingFunction | None = None
        self._count: int | None = None
        self._last_query: tuple[str, np.ndarray] | None = None
        self._read_ahead: tuple[str, dict[str, dict[int, float]]] | None = None

    # -- manifest ---------------------------------------------------------------------------

    def _read_manifest(self) -> dict:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) and data.get("format") == MANIFEST_FORMAT else {}

    def _write_manifest(self) -> None:
        partial = self.manifest_path.with_suffix(".partial")
        partial.write_text(json.dumps(self.manifest, indent=1, sort_keys=True), encoding="utf-8")
        partial.replace(self.manifest_path)

    @property
    def embedder_name(self) -> str:
        """What embeds the posts, for messages: "all-MiniLM-L6-v2", a GGUF file's name, or "LSA"."""
        if self.embedding_model is None:
            return "LSA"
        return MODEL_NAME if is_converted(self.embedding_model) else Path(self.embedding_model).name

    # -- state ------------------------------------------------------------------------------

    def needs_sync(self, threads: list[Thread]) -> bool:
        if self._wanted_embedder_changed() or self._embedder_stale(threads):
            return True
        stored = self.manifest.get("threads", {})
        return stored != {t.id: t.content_hash() for t in threads} or self.manifest.get("thread_vectors") != THREAD_VECTORS

    def _wanted_embedder_changed(self) -> bool:
        recorded = self.manifest.get("embedder", {})
        if not recorded:
            return True
        if self.embedding_model:
            return recorded.get("name") != GgufEmbedding.name() or not self._same_model(recorded.get("model_path", ""))
        return recorded.get("name") != LsaEmbedding.name() or \
            not Path(recorded.get("model_path", "")).is_file() or \
            recorded.get("params", {}).get("tokenizer") != TOKENIZER_NAME

    def _same_model(self, recorded: str) -> bool:
        """Whether the index was built with the chosen GGUF model: the same file, or for the
        converted sentence model the same conversion (file name) while the file it was built with
        exists (a copied data directory keeps using it, as it keeps its LSA model)."""
        return recorded == self.embedding_model or (
            is_converted(self.embedding_model) and Path(recorded).name == Path(self.embedding_model).name
            and Path(recorded).is_file())

    def _embedder_stale(self, threads: list[Thread]) -> bool:
        if self.embedding_model:
            return False
        posts = sum(len(t.posts) for t in threads)
        return posts > REFIT_GROWTH * max(1, self.manifest.get("fitted_posts", 0))

    def open(self) -> None:
        """Open the existing collection with the embedding function its stored config names,
        rebuilt through chromadb's registry (our registered class loads its fitted model once)."""
        try:
            stored = self.client.get_collection(COLLECTION)
            _search_wider(stored)
            config = stored.configuration_json.get("embedding_function") or {}
            embedder = config_to_embedding_function(config)
            self.collection = self.client.get_collection(COLLECTION, embedding_function=embedder)
        except Exception as exc:  # NotFoundError, or a config naming a model file now gone
            raise MentorError(f"the index is missing or unreadable ({exc}); "
                              "run 'mentor index --rebuild'") from None
        self.embedder = embedder
        try:
            self.thread_collection = self.client.get_collection(THREAD_COLLECTION, embedding_function=embedder)
        except Exception:  # NotFoundError: an index made before threads had vectors (filled by sync)
            self.thread_collection = None

    # -- sync -------------------------------------------------------------------------------

    def sync(self, threads: list[Thread], progress: Callable[[int, int], None] | None = None,
             rebuild: bool = False) -> SyncReport:
        """Make the index hold exactly `threads`. Call under the writer lock.

        BLAS runs one thread meanwhile: the LSA fit and the embeddings are small products that a
        second BLAS thread slows rather than speeds (measured at 10k posts on 2 cores: 2,394 ->
        2,515 posts/s for store and indexes), and the thread analyses use the other core.
        """
        with threadpool_limits(limits=1, user_api="blas"):
            return self._sync(threads, progress, rebuild)

    def _sync(self, threads: list[Thread], progress: Callable[[int, int], None] | None,
              rebuild: bool) -> SyncReport:
        report = SyncReport(embedder=self.embedder_name)
        documents: dict[str, dict[str, str]] = {}

        def documents_of(thread: Thread) -> dict[str, str]:  # a refit and the upserts read the same
            if thread.id not in documents:
                documents[thread.id] = thread_documents(thread)
            return documents[thread.id]

        if rebuild or self._wanted_embedder_changed() or self._embedder_stale(threads):
            self._recreate(threads, documents_of)
            report.rebuilt = True
        elif self.collection is None:
            try:
                self.open()
            except MentorError:
                self._recreate(threads, documents_of)
                report.rebuilt = True
        stored: dict[str, str] = self.manifest.setdefault("threads", {})
        current = {t.id: t for t in threads}
        removed = [tid for tid in stored if tid not in current]
        changed = [t for t in threads if stored.get(t.id) != t.content_hash()]
        if self.thread_collection is None:
            self.thread_collection = self._thread_collection(self.embedder)
        gone = removed + [t.id for t in changed if t.id in stored]
        for tid in gone:
            self.collection.delete(where={"thread_id": tid})
        if gone:
            self.thread_collection.delete(ids=gone)
        for tid in removed:
            del stored[tid]
        report.threads_removed = len(removed)
        total = sum(len(documents_of(t)) for t in changed)  # the posts embedded: not emoji or links alone
        done = 0
        step = max(_PROGRESS_STEP, -(-total // 100))
        batch = min(_BATCH, max(step, total // _RECORDS))
        if progress and total:
            progress(0, total)  # at once: the embedding that follows takes minutes with the sentence model
        batch_ids: list[str] = []
        batch_docs: list[str] = []
        batch_meta: list[dict] = []
        #: Threads whose every post is in the batch or stored already, not yet in the manifest.
        whole: list[Thread] = []
        #: Thread id -> the sum of its embedded posts' vectors, for its thread vector: stored once
        #: at the end (storing them at each record made a 10k-post sync 22% slower). Until then
        #: the manifest says some are missing, so a sync cut short fills them next time.
        sums: dict[str, np.ndarray] = {}
        if changed:
            self.manifest["thread_vectors"] = 0

        def flush() -> None:
            """Embed and store the batch, then record the threads it completes: a sync cut short
            (Ctrl+C, a chat quit while it indexes) goes on from there, not from the start."""
            nonlocal done
            if batch_ids:
                # The vectors only: the texts live in mentor's own store, and chromadb indexing
                # documents for full-text search would halve the ingest rate for nothing.
                vectors: list = []
                for start in range(0, len(batch_docs), step):
                    vectors += self.embedder(batch_docs[start:start + step])
                    if progress:
                        progress(done + len(vectors), total)
                self.collection.upsert(ids=batch_ids, embeddings=vectors, metadatas=batch_meta)
                for meta, vector in zip(batch_meta, vectors):
                    tid = meta["thread_id"]
                    sums[tid] = sums.get(tid, 0.0) + np.asarray(vector, dtype=np.float32)
                done += len(batch_ids)
                batch_ids.clear(), batch_docs.clear(), batch_meta.clear()
            if whole:
                stored.update((thread.id, thread.content_hash()) for thread in whole)
                whole.clear()
                self._write_manifest()

        for thread in changed:
            for pid, text in documents_of(thread).items():
                batch_ids.append(pid)
                batch_docs.append(text)
                batch_meta.append({"thread_id": thread.id, "post_index": parse_post_id(pid)[1]})
                if len(batch_ids) >= batch:
                    flush()
            whole.append(thread)
            report.threads_embedded += 1
        flush()
        self._store_thread_vectors(sums)
        if self.manifest.get("thread_vectors") != THREAD_VECTORS:
            self._fill_thread_vectors([tid for tid in stored if tid not in sums])
            self.manifest["thread_vectors"] = THREAD_VECTORS
        report.posts_embedded = done
        self._count, self._read_ahead = None, None
        self._write_manifest()
        return report

    def _thread_collection(self, embedder: EmbeddingFunction) -> chromadb.Collection:
        """`THREAD_COLLECTION`, made when missing (cosine space, as the posts')."""
        return self.client.get_or_create_collection(
            THREAD_COLLECTION, embedding_function=embedder,
            configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}})

    def _store_thread_vectors(self, sums: dict[str, np.ndarray]) -> None:
        """Store each thread's vector: the sum of its posts' vectors (`sums`), scaled to unit length."""
        if not sums:
            return
        ids = list(sums)
        vectors = np.stack([sums[tid] for tid in ids])
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        for start in range(0, len(ids), _BATCH):  # within chromadb's largest batch
            self.thread_collection.upsert(ids=ids[start:start + _BATCH], embeddings=vectors[start:start + _BATCH])

    def _fill_thread_vectors(self, thread_ids: list[str]) -> None:
        """Store the vectors of threads whose posts are stored but whose own vector is not (an
        index made before threads had vectors, or a sync cut short before its end), from their
        posts' stored vectors, in batches."""
        have = set(self.thread_collection.get(include=[])["ids"])
        missing = [tid for tid in thread_ids if tid not in have]
        for start in range(0, len(missing), _FILL_THREADS):
            chunk = missing[start:start + _FILL_THREADS]
            got = self.collection.get(where={"thread_id": {"$in": chunk}}, include=["embeddings", "metadatas"])
            sums: dict[str, np.ndarray] = {}
            for meta, vector in zip(got["metadatas"], got["embeddings"]):
                sums[meta["thread_id"]] = sums.get(meta["thread_id"], 0.0) + np.asarray(vector, dtype=np.float32)
            self._store_thread_vectors(sums)

    def _recreate(self, threads: list[Thread], documents_of: Callable[[Thread], dict[str, str]]) -> None:
        # The embedder first: a model that does not load leaves the index as it was.
        if self.embedding_model:
            embedder: EmbeddingFunction = GgufEmbedding(
                self.embedding_model, n_ctx=MAX_TOKENS if is_converted(self.embedding_model) else 512)
            fitted = 0
        else:
            texts = [text for t in threads for text in documents_of(t).values()]
            embedder = LsaEmbedding.fit(texts, self.folder)
            fitted = len(texts)
        # Then the manifest: killed between here and the new one, the next open finds no
        # manifest and rebuilds, instead of trusting one that lists a deleted collection.
        self.manifest = {}
        self.manifest_path.unlink(missing_ok=True)
        for name in (COLLECTION, THREAD_COLLECTION):
            try:
                self.client.delete_collection(name)
            except Exception:  # not there yet
                pass
        self.collection = self.client.create_collection(
            COLLECTION, embedding_function=embedder,
            configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}})
        self.thread_collection = self._thread_collection(embedder)
        self.embedder = embedder
        config = embedder.get_config()
        self.manifest = {"format": MANIFEST_FORMAT, "store": self.store_name, "fitted_posts": fitted,
                         "embedder": {"name": embedder.name(), **config}, "threads": {},
                         "thread_vectors": THREAD_VECTORS}
        self._write_manifest()
        self._remove_unused_models(config.get("model_path"))

    def _remove_unused_models(self, keep: str | None) -> None:
        for path in self.folder.glob("lsa-*.npz"):
            if str(path) != keep:
                path.unlink(missing_ok=True)

    # -- search -----------------------------------------------------------------------------

    def search(self, text: str, k: int) -> list[tuple[PostKey, float]]:
        """The `k` posts nearest to `text`, nearest first, with cosine similarity.

        Another process may have rebuilt the collection (a refit) since this one opened it: it
        is then opened again, with the embedder it was built with. While the rebuild is still
        under way there is none to open, and the answer is nothing (BM25 still answers).
        """
        for _ in range(2):
            try:
                count = self.count()
                if count == 0:
                    return []
                result = self.collection.query(query_embeddings=[self._query_vector(text)],
                                               n_results=min(k, count), include=["distances"])
                return [(parse_post_id(pid), 1.0 - float(d))
                        for pid, d in zip(result["ids"][0], result["distances"][0])]
            except NotFoundError:
                self.collection, self._count = None, None
                try:
                    self.open()
                except MentorError:
                    break
        return []

    def search_threads(self, text: str, k: int) -> list[tuple[str, float]]:
        """The `k` threads nearest to `text` as wholes (their vector: the mean of their posts'),
        nearest first, with cosine similarity; [] while there are none (an index not yet synced
        since threads had vectors, or a rebuild under way elsewhere)."""
        if self.collection is None or self.thread_collection is None:
            try:
                self.open()
            except MentorError:
                return []
        if self.thread_collection is None:
            return []
        try:
            count = self.thread_collection.count()
            if count == 0:
                return []
            result = self.thread_collection.query(query_embeddings=[self._query_vector(text)],
                                                  n_results=min(k, count), include=["distances"])
        except NotFoundError:
            self.thread_collection = None
            return []
        return [(tid, 1.0 - float(d)) for tid, d in zip(result["ids"][0], result["distances"][0])]

    def similarities(self, text: str, thread: Thread) -> dict[int, float]:
        """Cosine similarity (-1..1) of `text` with each indexed post of `thread`, by the post's
        index; {} when the collection is missing (a rebuild under way elsewhere).

        For choosing what of a thread to quote (`perspectives.find_views`): the question is
        embedded once for the search and these reads (`_query_vector`). A thread read ahead for
        `text` (`read_ahead`) is answered from that read, once."""
        kept = self._read_ahead
        if kept is not None and kept[0] == text and thread.id in kept[1]:
            return kept[1].pop(thread.id)
        return self._similarities(text, [thread]).get(thread.id, {})

    def read_ahead(self, text: str, threads: list[Thread]) -> None:
        """Read the vectors of all `threads`' posts at once for the `similarities` of `text` that
        follow: one read of the store costs about what reading one thread costs (at 100k posts,
        1.0 ms for two threads against 1.8 ms read apart, 2026-11-30)."""
        self._read_ahead = (text, self._similarities(text, threads))

    def _similarities(self, text: str, threads: list[Thread]) -> dict[str, dict[int, float]]:
        if self.collection is None:
            try:
                self.open()
            except MentorError:
                return {}
        try:
            # By id: a metadata filter scans the collection (6 ms against 1 ms at 700 posts).
            got = self.collection.get(ids=[post_id(thread.id, post.index) for thread in threads
                                           for post in thread.posts], include=["embeddings"])
        except NotFoundError:
            return {}
        found: dict[str, dict[int, float]] = {thread.id: {} for thread in threads}
        if not got["ids"]:
            return found
        sims = np.asarray(got["embeddings"], dtype=np.float32) @ self._query_vector(text)
        for pid, sim in zip(got["ids"], sims):
            thread_id, index = parse_post_id(pid)
            found[thread_id][index] = float(sim)
        return found

    def _query_vector(self, text: str) -> np.ndarray:
        """`text`'s unit vector; the last one asked is kept, since a question is searched and then
        read against each thread found with the same text."""
        if self._last_query is None or self._last_query[0] != text:
            self._last_query = (text, np.asarray(self.embedder([text])[0], dtype=np.float32))
        return self._last_query[1]

    def count(self) -> int:
        """Vectors in the collection (counted once per open or sync: only sync changes it)."""
        if self.collection is None:
            self.open()
        if self._count is None:
            self._count = self.collection.count()
        return self._count


def _search_wider(collection: chromadb.Collection) -> None:
    """Raise an index's `ef_search` to `EF_SEARCH` when it was made with less (by mentor before
    2026-11-30): the setting may change after creation, and does for the search to come when no
    search has loaded the index yet in this process. A data directory mentor may not write to
    keeps searching as it was made."""
    hnsw = collection.configuration_json.get("hnsw") or {}
    if hnsw.get("ef_search", EF_SEARCH) < EF_SEARCH:
        try:
            collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
        except Exception:  # a read-only data directory; chromadb raises several kinds
            pass


def sync_index(home: Path, settings: Settings, rebuild: bool = False,
               progress: Callable[[int, int], None] | None = None) -> SyncReport:
    """Bring the search indexes of `home` in line with its corpus, under the writer lock: the
    dense index, the stored BM25 set (so the next start loads instead of building it) and,
    alongside them (a second process for a large sync), the thread analyses. `progress(done,
    total)` is called as posts are embedded (`PostIndex.sync`)."""
    from mentor.analysis.store import AnalysisStore
    from mentor.corpus.library import corpus_threads
    from mentor.engine.lexical import LexicalIndexes
    from mentor.engine.lock import writer_lock

    with writer_lock(home):
        threads = corpus_threads(home)  # read under the lock: the corpus as the last writer left it
        index = PostIndex(home, settings.chroma_url, settings.embedding_model)
        reports: list[SyncReport] = []

        def indexes() -> None:
            reports.append(index.sync(threads, progress=progress, rebuild=rebuild))
            LexicalIndexes.open(home, threads)

        analyses = AnalysisStore(home)
        try:
            analyses.sync(threads, meanwhile=indexes)
        finally:
            analyses.close()
    return reports[0]
