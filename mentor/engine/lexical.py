"""BM25 indexes (bm25s, mentor's own terms): over posts, whole threads and opening posts.

Building them reads every word of the corpus (about 40 s for 100k posts on 2 cores), so they are
kept on disk in `<home>/lexical/<fingerprint>/` and loaded in a fraction of that when the corpus
is unchanged. The fingerprint covers every thread's content hash, the tokenizer and this format:
any edit builds a fresh set. A set is written to a temporary folder and renamed into place, so a
process killed while writing leaves no half set; one that cannot be read is rebuilt.

    <fingerprint>/manifest.json   {"format": 2, "fingerprint": str, "sets": {name: [id, ...]}}
    <fingerprint>/<name>/         bm25s's own files (params, vocabulary, CSC arrays)
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from mentor.corpus.model import Thread
from mentor.engine.documents import backed_post, post_id
from mentor.analysis.concepts import concept_positions, thesaurus_version
from mentor.engine.text import TOKENIZER_VERSION, terms

FORMAT = 4  # 2: a post's terms capped in its thread's document; 3: thesaurus concepts beside the terms;
#           4: concepts found beside words of scripts written without spaces ("MBAを取る")
_EMPTY = ["_"]  # a document with no terms still needs a token to be indexed
#: A post adds at most this many terms to its whole thread's document. BM25 divides a document's
#: score by its length, so one pasted 60 KB log (12,000 terms) made its thread's document ten
#: times the usual length and the thread fell out of the whole-thread ranking, even for its own
#: opening question. People's posts are far shorter (the starter corpus's longest has 107 terms).
THREAD_TERMS_PER_POST = 1000


def search_terms(text: str) -> list[str]:
    """What BM25 indexes and searches a text by: its terms, then its thesaurus concepts
    ("business school" and "MBA" both hold §mba), so a paraphrase finds its thread. A phrase
    never spans two lines (a title and the post below it are not one phrase)."""
    return terms(text) + [concept for line in text.split("\n") for concept, _ in concept_positions(line)]


class LexicalIndex:
    """An in-memory BM25 index of documents, addressed by their ids."""

    def __init__(self, ids: list[str], bm25: bm25s.BM25 | None) -> None:
        self.ids = ids
        self.bm25 = bm25

    @classmethod
    def build(cls, ids: list[str], documents: Iterable[list[str]]) -> LexicalIndex:
        """An index of `documents` given as their terms (see `mentor.engine.text.terms`)."""
        if not ids:
            return cls([], None)
        bm25 = bm25s.BM25()
        bm25.index([document or _EMPTY for document in documents], show_progress=False)
        return cls(ids, bm25)

    @classmethod
    def of_texts(cls, ids: list[str], texts: Iterable[str]) -> LexicalIndex:
        return cls.build(ids, (search_terms(text) for text in texts))

    def search(self, text: str, k: int) -> list[tuple[str, float]]:
        """The best `k` ids for `text`, best first, with their BM25 scores (only those above 0)."""
        query = search_terms(text)
        if self.bm25 is None or not query:
            return []
        # Scores for every document, then the top k: bm25s's own retrieve() starts worker
        # threads on each call, which costs more than the scoring at these sizes.
        scores = self.bm25.get_scores(query)
        k = min(k, len(self.ids))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[int(d)], float(scores[d])) for d in top if scores[d] > 0]

    def document_frequency(self, term: str) -> int:
        """How many documents hold `term` (one of `search_terms`'s terms): bm25s keeps the
        index term by term, one run of documents per term."""
        column = self.bm25.vocab_dict.get(term) if self.bm25 is not None else None
        if column is None:
            return 0
        indptr = self.bm25.scores["indptr"]
        return int(indptr[column + 1] - indptr[column])

    def knows(self, text: str) -> bool:
        """Whether any term of `text` occurs in some document: when none does, nothing indexed
        here speaks to it (and a dense search would still return its nearest, unrelated, posts)."""
        return self.bm25 is not None and any(term in self.bm25.vocab_dict for term in search_terms(text))

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class LexicalIndexes:
    """The three BM25 indexes retrieval fuses."""

    posts: LexicalIndex
    threads: LexicalIndex
    openings: LexicalIndex

    @classmethod
    def build(cls, threads: list[Thread]) -> LexicalIndexes:
        """Tokenize each post once and index posts (with their thread's title and, for a bare
        agreement, the post it backs; not the posts with no words of their own, which are no
        source), whole threads, and title plus opening post (the title alone when the thread's
        copy lacks post 1)."""
        post_ids: list[str] = []
        post_terms: list[list[str]] = []
        thread_terms: list[list[str]] = []
        opening_terms: list[list[str]] = []
        for thread in threads:
            title = search_terms(thread.title)
            own = {post.index: search_terms(post.text) for post in thread.posts}
            for post in thread.posts:
                if not post.citable:
                    continue
                backed = backed_post(thread, post)
                post_ids.append(post_id(thread.id, post.index))
                post_terms.append(title + own[post.index] + (own[backed.index] if backed else []))
            thread_terms.append(title + [term for post in thread.posts
                                         for term in own[post.index][:THREAD_TERMS_PER_POST]])
            opening_terms.append(title + (own[1] if thread.opening is not None else []))
        ids = [thread.id for thread in threads]
        return cls(posts=LexicalIndex.build(post_ids, post_terms),
                   threads=LexicalIndex.build(ids, thread_terms),
                   openings=LexicalIndex.build(ids, opening_terms))

    @classmethod
    def open(cls, home: Path, threads: list[Thread]) -> LexicalIndexes:
        """The indexes of `threads`: loaded from `home` when stored for this corpus, else built
        and stored (older sets are removed)."""
        folder = home / "lexical"
        name = fingerprint(threads)
        stored = _load(folder / name, name)
        if stored is not None:
            return stored
        indexes = cls.build(threads)
        try:
            indexes._save(folder, name)
        except OSError:
            pass  # a read-only or full disk: the indexes still serve this run
        return indexes

    def _sets(self) -> dict[str, LexicalIndex]:
        return {"posts": self.posts, "threads": self.threads, "openings": self.openings}

    def _save(self, folder: Path, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=folder))
        try:
            for set_name, index in self._sets().items():
                if index.bm25 is not None:
                    index.bm25.save(str(partial / set_name), show_progress=False)
            manifest = {"format": FORMAT, "fingerprint": name,
                        "sets": {set_name: index.ids for set_name, index in self._sets().items()}}
            (partial / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
            target = folder / name
            if target.exists() and _load(target, name) is None:
                shutil.rmtree(target, ignore_errors=True)  # a damaged set: replace it
            try:
                os.rename(partial, target)
            except OSError:  # another process stored the same set first
                return
        finally:
            shutil.rmtree(partial, ignore_errors=True)
        for other in folder.iterdir():
            if other.name != name and not other.name.startswith(".partial-"):
                shutil.rmtree(other, ignore_errors=True)


def fingerprint(threads: list[Thread]) -> str:
    digest = hashlib.sha256(f"lexical {FORMAT} {TOKENIZER_VERSION} {thesaurus_version()}\n".encode())
    for thread in threads:
        digest.update(f"{thread.id}\t{thread.content_hash()}\n".encode())
    return digest.hexdigest()[:32]


def _load(folder: Path, name: str) -> LexicalIndexes | None:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT or manifest.get("fingerprint") != name:
            return None
        sets = {}
        for set_name, ids in manifest["sets"].items():
            bm25 = bm25s.BM25.load(str(folder / set_name), show_progress=False) if ids else None
            sets[set_name] = LexicalIndex(list(ids), bm25)
        return LexicalIndexes(**sets)
    except (OSError, ValueError, KeyError, TypeError):
        return None
