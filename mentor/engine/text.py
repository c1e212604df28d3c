"""Words and sentences: the one tokenizer every part of the engine shares.

`terms` lowercases, drops English stop words and stems (Snowball via PyStemmer), so "worried"
and "worry", "skills" and "skill" meet. BM25, the LSA embedder and the perspective split all use
it, so a word means the same thing everywhere.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

#: Bumped whenever `terms` changes what it returns: stored indexes of terms are then rebuilt.
TOKENIZER_VERSION = 1
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STEMMER = Stemmer.Stemmer("english")
#: Stop words, plus forum filler that carries no position ("lol", "imo").
STOP_WORDS = frozenset(set(STOPWORDS_EN) | {"lol", "imo", "im", "ive", "dont", "it's", "i'm", "i've",
                                              "don't", "can't", "didn't", "isn't", "that's", "you're",
                                              "i'd", "i'll", "doesn't", "won't", "just", "really"})


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of one lowercase word."""
    return _STEMMER.stemWord(word)


def terms(text: str) -> list[str]:
    """Stemmed content words of `text`, in order."""
    return list(_terms(text))


@lru_cache(maxsize=100_000)
def _terms(text: str) -> tuple[str, ...]:
    """`terms`, remembered: the split, the labels and the indexes read the same posts again."""
    return tuple(stem(word.replace("'", "")) for word in _WORD.findall(text.lower())
                 if word not in STOP_WORDS and len(word) > 1)


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9@])")
_QUOTE_PREFIX = re.compile(r"^\s*(?:>\s*)+")


def sentences(text: str) -> list[str]:
    """The sentences of a post: split at sentence ends and at line breaks; quoted lines left out."""
    return list(_sentences(text))


@lru_cache(maxsize=20_000)
def _sentences(text: str) -> tuple[str, ...]:
    """`sentences`, remembered: the stance reader, the split and the labels each read a post's."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        if _QUOTE_PREFIX.match(paragraph) or not paragraph.strip():
            continue
        for sentence in _SENTENCE_END.split(paragraph.strip()):
            sentence = sentence.strip()
            if sentence:
                out.append(sentence)
    return tuple(out)


def word_count(text: str) -> int:
    return len(text.split())
