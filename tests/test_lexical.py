"""The BM25 indexes: the same results built in one pass as from each text, stored per corpus,
rebuilt when the corpus changes or the stored set is damaged."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from mentor.corpus.bundled import bundled_threads
from mentor.engine.documents import thread_documents
from mentor.engine.lexical import LexicalIndex, LexicalIndexes, fingerprint
from mentor.engine.text import sentences, terms

THREADS = list(bundled_threads())
QUESTIONS = ["should I learn SQL as a PM?", "is an MBA worth it", "I have no hard skills", "burnout on call"]


def test_one_pass_build_matches_indexing_each_text() -> None:
    """Tokenizing each post once gives the same index as tokenizing each document's text."""
    built = LexicalIndexes.build(THREADS)
    documents = {pid: text for t in THREADS for pid, text in thread_documents(t).items()}
    posts = LexicalIndex.of_texts(list(documents), list(documents.values()))
    whole = LexicalIndex.of_texts([t.id for t in THREADS],
                                  ["\n".join([t.title] + [p.text for p in t.posts]) for t in THREADS])
    openings = LexicalIndex.of_texts([t.id for t in THREADS], [f"{t.title}\n{t.posts[0].text}" for t in THREADS])
    for question in QUESTIONS:  # the same ids in the same order, the same scores (float32 sums; a thesaurus
        # phrase never spans two lines, so the parts and the whole text hold the same concepts)
        for one_pass, each_text, k in ((built.posts, posts, 20), (built.threads, whole, 10),
                                       (built.openings, openings, 10)):
            found, expected = one_pass.search(question, k), each_text.search(question, k)
            assert [i for i, _ in found] == [i for i, _ in expected]
            assert [s for _, s in found] == pytest.approx([s for _, s in expected], rel=1e-5)


def test_stored_set_is_loaded_and_replaced_when_the_corpus_changes(tmp_path: Path) -> None:
    first = LexicalIndexes.open(tmp_path, THREADS)
    stored = [p.name for p in (tmp_path / "lexical").iterdir()]
    assert stored == [fingerprint(THREADS)]
    loaded = LexicalIndexes.open(tmp_path, THREADS)
    assert loaded.posts.bm25 is not first.posts.bm25
    for question in QUESTIONS:
        assert loaded.posts.search(question, 20) == first.posts.search(question, 20)
        assert loaded.threads.search(question, 10) == first.threads.search(question, 10)

    edited = replace(THREADS[0], posts=THREADS[0].posts[:-1] + (
        replace(THREADS[0].posts[-1], text="Zanzibar offsites taught me more than any course."),))
    changed = [edited] + THREADS[1:]
    fresh = LexicalIndexes.open(tmp_path, changed)
    assert [p.name for p in (tmp_path / "lexical").iterdir()] == [fingerprint(changed)]
    assert fresh.posts.search("Zanzibar offsites", 1)[0][0] == f"{edited.id}#{len(edited.posts)}"


def test_a_damaged_set_is_rebuilt(tmp_path: Path) -> None:
    threads = THREADS[:6]
    LexicalIndexes.open(tmp_path, threads)
    folder = tmp_path / "lexical" / fingerprint(threads)
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    rebuilt = LexicalIndexes.open(tmp_path, threads)
    assert rebuilt.posts.search(threads[2].title, 1)[0][0].startswith(threads[2].id)
    assert json.loads((folder / "manifest.json").read_text())["fingerprint"] == fingerprint(threads)
    for data in (folder / "posts").iterdir():
        data.write_bytes(b"")
    again = LexicalIndexes.open(tmp_path, threads)
    assert len(again.posts) == sum(len(t.posts) for t in threads)
    assert again.posts.search(threads[3].title, 1)[0][0].startswith(threads[3].id)


def test_empty_corpus(tmp_path: Path) -> None:
    indexes = LexicalIndexes.open(tmp_path, [])
    assert indexes.posts.search("anything", 5) == [] and len(indexes.threads) == 0


def test_an_abbreviations_full_stop_ends_no_sentence() -> None:
    """A trial's quote was cut at "(i.e." (2026-11-30): the full stop of "i.e.", "e.g.", "vs."
    or a title before a capital ends no sentence; "etc." may, and a plain full stop does."""
    text = ("Autonomy matters (i.e. Teams pick their work). Try a tool, e.g. Figma. Google vs. Meta "
            "is close. Ask Dr. Lee. We tried books, courses etc. None helped.")
    assert sentences(text) == ["Autonomy matters (i.e. Teams pick their work).", "Try a tool, e.g. Figma.",
                               "Google vs. Meta is close.", "Ask Dr. Lee.", "We tried books, courses etc.",
                               "None helped."]


def test_a_web_address_gives_no_terms() -> None:
    """A link's address ("utm_source", "blog", "org") is no word of its post: with the words of
    an inline link's address, an imported post's "see my notes" outweighed its opinion."""
    linked = terms("I wrote up [my quorl notes](https://blog.example.org/qa-to-pm?utm_source=forum&ref=1), if it helps.")
    assert linked == terms("I wrote up my quorl notes, if it helps.")
    assert terms("See https://www.example.net/certs or www.example.com/quorl for pay") == terms("See or for pay")
    assert "pay" in terms("Look at https://levels.fyi/t/pm for pay")
