"""Concepts of PM-career talk (vocabulary/thesaurus.toml) found in a text.

    concepts("Is business school worth it?")  # ("§mba",)

A concept token ("§mba") is added to a text's terms wherever any of its phrases occurs, so
search and the perspective split treat "business school" and "MBA" as one thing. Phrases are
matched word by word on stems (PyStemmer's English Snowball, as `mentor.engine.text.terms`),
stop words kept, so "let go" and "got laid off" match as the phrases say.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from functools import cache, lru_cache

from mentor.analysis.phrases import VOCABULARY, normalise
from mentor.engine.text import UNSPACED, stem
from mentor.errors import MentorError

#: Marks a concept token, so it never equals a word's stem.
CONCEPT_MARK = "§"
#: A word, as concepts and evaluations count words.
WORD = re.compile(r"[\w+]+(?:['’]\w+)?")


def _stems(text: str) -> tuple[str, ...]:
    """The stems of `text`'s words; a run of a script written without spaces is a word of its own
    ("MBAを取るべき" holds "mba")."""
    if not text.isascii():
        text = UNSPACED.sub(lambda run: f" {run.group()} ", text)
    return tuple(stem(word.replace("'", "")) for word in WORD.findall(normalise(text)))


@cache
def thesaurus_version() -> str:
    """A digest of the thesaurus file: indexes of concepts are rebuilt when it changes."""
    return hashlib.sha256((VOCABULARY / "thesaurus.toml").read_bytes()).hexdigest()[:12]


@cache
def _phrases() -> tuple[dict[tuple[str, ...], frozenset[str]], dict[str, tuple[int, ...]]]:
    """Stemmed phrase -> the concepts it stands for; first stem -> the lengths of the phrases
    starting with it, longest first."""
    path = VOCABULARY / "thesaurus.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MentorError(f"{path}: cannot read the thesaurus ({exc})") from None
    table: dict[tuple[str, ...], set[str]] = {}
    for name, entry in data.items():
        phrases = entry.get("phrases") if isinstance(entry, dict) else None
        if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
            raise MentorError(f"{path}: [{name}] needs `phrases`, a list of non-empty strings")
        for phrase in phrases:
            table.setdefault(_stems(phrase), set()).add(CONCEPT_MARK + name)
    table.pop((), None)
    lengths: dict[str, set[int]] = {}
    for phrase in table:
        lengths.setdefault(phrase[0], set()).add(len(phrase))
    return ({k: frozenset(v) for k, v in table.items()},
            {first: tuple(sorted(found, reverse=True)) for first, found in lengths.items()})


@lru_cache(maxsize=100_000)
def concepts(text: str) -> tuple[str, ...]:
    """The concept tokens of `text`, once each, in order of first appearance."""
    return tuple(dict.fromkeys(concept for concept, _ in concept_positions(text)))


def concept_positions(text: str) -> list[tuple[str, int]]:
    """Every (concept token, word position) in `text`; positions count the words `_stems` reads."""
    table, lengths = _phrases()
    words = _stems(text)
    found = []
    for start, word in enumerate(words):
        for length in lengths.get(word, ()):
            hit = table.get(words[start:start + length])
            if hit:
                found += [(concept, start) for concept in sorted(hit)]
    return found
