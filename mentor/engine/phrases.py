"""Phrase lists from the documented TOML files in `mentor/engine/vocabulary/`, as matchers.

A phrase is lowercase words matched whole, in any case; `{n}` in a phrase stands for a number in
digits or words (`situation.toml`'s `[numbers]`). The syntax is described in
`mentor/engine/vocabulary/README.md`; this module is the only place that turns it into patterns.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from mentor.errors import MentorError

_NUMBER_SLOT = "{n}"


@cache
def vocabulary(name: str) -> dict[str, Any]:
    """The parsed `mentor/engine/vocabulary/<name>.toml`.

    Raises MentorError naming the file when it is missing or not TOML.
    """
    path = resources.files("mentor.engine") / "vocabulary" / f"{name}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MentorError(f"{path}: not a vocabulary file ({exc})") from None


@cache
def numbers() -> dict[str, float]:
    """Number words ("three", "a couple of") and their values."""
    return {word: float(value) for word, value in vocabulary("situation")["numbers"].items()}


def strings(table: Mapping[str, Any], key: str, where: str) -> list[str]:
    """`table[key]` checked to be a list of strings; MentorError names `where` and the key if not."""
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise MentorError(f"{where}: `{key}` must be a list of phrases (strings)")
    return value


def _words(phrase: str) -> str:
    """The regex for a phrase without a number slot: spaces flexible, either apostrophe."""
    parts = [re.escape(word).replace("'", "['’]") for word in phrase.split()]
    return r"\s+".join(parts)


def _number_pattern() -> str:
    words = sorted(numbers(), key=len, reverse=True)
    return r"(\d+(?:\.\d+)?|" + "|".join(_words(word) for word in words) + ")"


_WORD_START = r"(?<![\w'’])"
_WORD_END = r"(?![\w'’])"


def _inner(phrase: str) -> str:
    """The regex for one phrase, without the bounds that make it match whole words only."""
    return _glue(phrase.lower().split(_NUMBER_SLOT))


def _glue(pieces: list[str]) -> str:
    """The pieces of a phrase joined by number patterns, keeping the spaces around each slot
    ("{n} hours" needs a space, "{n}-year" none)."""
    out = ""
    for i, piece in enumerate(pieces):
        stripped = piece.strip()
        if i > 0 and piece.startswith(" "):
            out += r"\s+"
        out += _words(stripped)
        if i < len(pieces) - 1:
            if piece.endswith(" "):
                out += r"\s+"
            out += _number_pattern()
    return out


@dataclass(frozen=True)
class Found:
    """One phrase found in a text: where, which phrase, and the number in its `{n}` (if any)."""

    start: int
    end: int
    phrase: str
    number: float | None = None


class Phrases:
    """A list of phrases matched whole, in any case, leftmost first and longest first."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = sorted({p.lower().strip() for p in phrases if p.strip()}, key=len, reverse=True)
        self._each = [re.compile(_inner(p), re.IGNORECASE) for p in self.phrases]
        # The bounds stand once around all phrases, not in each: the same matches (a phrase not
        # ending a word gives way to the next, shorter one) in a quarter of the time.
        alternatives = "|".join(f"(?P<p{i}>{_inner(p)})" for i, p in enumerate(self.phrases))
        self._any = re.compile(f"{_WORD_START}(?:{alternatives}){_WORD_END}",
                               re.IGNORECASE) if self.phrases else None
        # The same texts (a question, the posts in play) are read again on every turn.
        self.find = lru_cache(maxsize=8192)(self._find)  # type: ignore[method-assign]

    def find(self, text: str) -> list[Found]:
        """Every phrase in `text`, left to right, not overlapping."""
        return self._find(text)

    def _find(self, text: str) -> list[Found]:
        if self._any is None:
            return []
        found = []
        for match in self._any.finditer(text):
            index = int(match.lastgroup[1:])  # the phrase's own group closes last
            inner = self._each[index].fullmatch(match.group(0))
            number = _value(inner.group(1)) if inner is not None and inner.lastindex else None
            found.append(Found(match.start(), match.end(), self.phrases[index], number))
        return found

    def search(self, text: str) -> Found | None:
        """The first phrase in `text`, or None."""
        found = self.find(text)
        return found[0] if found else None

    def __bool__(self) -> bool:
        return bool(self.phrases)


def _value(text: str) -> float:
    folded = " ".join(text.lower().replace("’", "'").split())
    return float(folded) if folded[0].isdigit() else numbers()[folded]


def without(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with the given character spans blanked out (so the words around them stay apart)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return " ".join("".join(chars).split())
