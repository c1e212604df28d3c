"""The starter corpus meets the rules in corpus/README.md, and its labels fit its threads."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from mentor.corpus.bundled import bundled_threads, corpus_dir
from mentor.corpus.model import Thread

THREADS = bundled_threads()
LABELS_DIR = corpus_dir() / "labels"


def _labels(thread: Thread) -> dict:
    return json.loads((LABELS_DIR / f"{thread.id}.json").read_text(encoding="utf-8"))


def test_size_and_unique_ids() -> None:
    assert len(THREADS) >= 40
    assert len({t.id for t in THREADS}) == len(THREADS)
    assert sorted(p.stem for p in LABELS_DIR.glob("*.json")) == sorted(t.id for t in THREADS)


@pytest.mark.parametrize("thread", THREADS, ids=lambda t: t.id)
def test_thread_shape(thread: Thread) -> None:
    assert thread.source == f"bundled:threads/{thread.id}.md"
    assert 8 <= len(thread.posts) <= 25
    authors = [p.author for p in thread.posts]
    assert None not in authors
    assert len(set(authors)) >= 6
    assert sum(p.reply_to is not None for p in thread.posts) >= 2
    assert any(p.likes for p in thread.posts)
    assert any(len(p.text.split()) <= 15 for p in thread.posts[1:]), "a short agreement post"


@pytest.mark.parametrize("thread", THREADS, ids=lambda t: t.id)
def test_labels(thread: Thread) -> None:
    labels = _labels(thread)
    assert labels["thread"] == thread.id
    assert len(labels["side_a"]) > 10 and len(labels["side_b"]) > 10
    assert list(labels["posts"]) == [str(p.index) for p in thread.posts]
    sides = Counter(labels["posts"].values())
    assert set(sides) <= {"A", "B", "neutral", "mixed"}
    assert sides["A"] >= 3 and sides["B"] >= 3 and sides["neutral"] >= 1
    assert labels["posts"]["1"] == "neutral"
    questions = labels["questions"]
    assert len(questions) == 2 and len(set(questions)) == 2
    assert all(q.strip().lower() != thread.title.strip().lower() for q in questions)


def test_engine_code_never_reads_labels() -> None:
    """Only mentor/eval opens corpus/labels; only it and the `eval` command import it."""
    import re
    from pathlib import Path

    import mentor

    package = Path(mentor.__file__).parent
    offenders = []
    for path in package.rglob("*.py"):
        relative = path.relative_to(package)
        if relative.parts[0] == "eval":
            continue
        code = path.read_text(encoding="utf-8")
        if re.search(r"[\"']labels[\"'/]", code):
            offenders.append(f"{relative}: names the labels folder")
        if "mentor.eval" in code and relative.as_posix() != "cli/ask_commands.py":
            offenders.append(f"{relative}: imports mentor.eval")
    assert offenders == []
