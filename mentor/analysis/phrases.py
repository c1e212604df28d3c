"""Phrase lists kept as data (`vocabulary/*.toml`), matched at word boundaries.

    RESPONSES.group("agreement").opens("100% this. Influence is the scarce skill")  # True

Text is normalised before matching: casefolded, curly quotes and apostrophes made straight,
whitespace runs made one space. A phrase matches only where it is not glued to a letter or digit
on either side, so "this" matches "This." but not "thistle", and "+1" matches "+1 to Ana".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

from mentor.errors import MentorError

VOCABULARY = Path(__file__).parent / "vocabulary"
_STRAIGHT = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """`text` as phrases are matched against it (spaces before punctuation dropped)."""
    return _SPACE_BEFORE_MARK.sub(r"\1", " ".join(text.translate(_STRAIGHT).casefold().split()))


_SPACE_BEFORE_MARK = re.compile(r"\s+([.,!?;:])")


@dataclass(frozen=True)
class PhraseGroup:
    """One list of phrases, compiled into one pattern (longest phrases first)."""

    name: str
    phrases: tuple[str, ...]

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return _compile(self.phrases)

    def find(self, text: str) -> re.Match[str] | None:
        """The first phrase of the group anywhere in `text`."""
        return self.pattern.search(normalise(text))

    def opens(self, text: str, words: int = 6) -> bool:
        """Whether `text` starts with one of the phrases (after a leading `@name,` or `>`),
        looking at its first `words` words."""
        return self.opening_match(text, words) is not None

    def opening_match(self, text: str, words: int = 6) -> str | None:
        """The phrase `text` opens with (see `opens`), or None."""
        head = _head(text, words)
        match = self.pattern.match(head)
        if match is None and head.rstrip(".!") + "." in self.phrases:  # a post that is only "This"
            return head.rstrip(".!")
        return match.group(0) if match else None


_LEAD = re.compile(r"^(?:@[\w.\-]+[,:]?\s*|>\s*)+")


@lru_cache(maxsize=65536)
def _head(text: str, words: int) -> str:
    """The first `words` words of `text`, normalised, without a leading `@name,` or `>`."""
    return _LEAD.sub("", " ".join(normalise(text[:words * 40]).split()[:words]))


@cache
def _compile(phrases: tuple[str, ...]) -> re.Pattern[str]:
    ordered = sorted(set(phrases), key=len, reverse=True)
    alternatives = "|".join(re.escape(p) for p in ordered)
    return re.compile(rf"(?<![\w+])(?:{alternatives})(?![\w])")


class Vocabulary:
    """The groups of one vocabulary file."""

    def __init__(self, path: Path) -> None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise MentorError(f"{path}: cannot read the phrase list ({exc})") from None
        self.path = path
        self.groups: dict[str, PhraseGroup] = {}
        for name, table in data.items():
            phrases = table.get("phrases") if isinstance(table, dict) else None
            if not isinstance(phrases, list) or not all(isinstance(p, str) and p.strip() for p in phrases):
                raise MentorError(f"{path}: [{name}] needs `phrases`, a list of non-empty strings")
            self.groups[name] = PhraseGroup(name, tuple(normalise(p) for p in phrases))

    def group(self, name: str) -> PhraseGroup:
        return self.groups[name]


@cache
def vocabulary(name: str) -> Vocabulary:
    """`vocabulary/<name>.toml`, read once."""
    return Vocabulary(VOCABULARY / f"{name}.toml")
