"""A thread's analysis as stored: per post its role, target, stance, camp and quotable sentences;
per thread whether it holds two camps, how sure that is, and each camp's label.

Stored as JSON (`to_json` / `from_json`) keyed by the thread's content hash and
`analyser_version()` (a digest of its code and phrase lists), so a question only reads it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

#: What the analysis is computed from besides the thread: this package's code and phrase lists,
#: and the engine's tokenizer and TF-IDF, which it reads.
_SOURCES = ("*.py", "vocabulary/*.toml", "../engine/text.py", "../engine/tfidf.py")


@cache
def analyser_version() -> str:
    """The analyser's version: a digest of everything in `_SOURCES` ("a3f9a0c2e71b"). Any change
    to the code or the phrase lists redoes the stored analyses; nothing has to be bumped by hand."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for pattern in _SOURCES:
        for path in sorted(here.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return "a" + digest.hexdigest()[:12]


TWO_CAMPS, ONE_POSITION, SEVERAL_OPINIONS = "two camps", "one position", "several opinions"


def label_key(group: int, camp: int) -> str:
    """The key of camp `camp`'s label in group `group` ("0:1")."""
    return f"{group}:{camp}"


@dataclass(frozen=True)
class Move:
    """A career move (`mentor.analysis.moves`): `source` the role left, `target` the role gone
    to (role names from vocabulary/moves.toml); either may be unknown (None), never both."""

    source: str | None
    target: str | None


@dataclass(frozen=True)
class Quotable:
    """A sentence of a post worth quoting: the text, and how much it says for its camp (≥ 0)."""

    sentence: str
    weight: float


@dataclass(frozen=True)
class PostAnalysis:
    """One post: `role` (question, answer, agreement, aside); `target` the post it answers and
    `evidence` how that is known (reply, quote, phrase, mention, adjacent, similar); `stance` +1/-1/0
    toward it; `camp` 0 or 1 for posts in the split (agreements take their target's), else
    None; `firmness` how firmly the thread's structure places it there (> 0: placed by replies,
    not by words alone) and `margin` how firmly all the evidence does; `group` the group of
    answers replies tie it to (None: tied to none; camps are comparable within a group only); `claim` its best
    sentence as a stand-alone position (None when it has none); `quotables` its best
    sentences, best first; `terms` what a question's words are matched against."""

    index: int
    role: str
    target: int | None
    evidence: str | None
    stance: int
    camp: int | None
    firmness: float
    margin: float
    group: int | None
    claim: str | None
    quotables: tuple[Quotable, ...]
    #: Its distinct terms and concepts (`mentor.analysis.camps.post_terms`), for measuring how
    #: much of a question it speaks to without reading the post again; empty for asides.
    terms: tuple[str, ...] = ()
    #: Its verdict on the thread's question (`mentor.analysis.verdicts`: 1 yes or the second
    #: option, 0 no or the first), None when it opens with none.
    verdict: int | None = None


@dataclass(frozen=True)
class ThreadAnalysis:
    """`shape` is "two camps", "one position" (everyone who argues agrees) or "several opinions"
    (no clear two-way split); `labels[label_key(g, c)]` is the label of camp c in group g (the
    answers replies tie together; see `PostAnalysis.group`), and `overall` the best label of all
    the answers (claims someone wrote; see `mentor.analysis.claims`), None when no sentence
    qualifies; `common_grounds` a sentence weighing both camps of each group that has one, from
    its answers or those of no group ((group, post index, sentence));
    `confidence` the share of the evidence's weight the split satisfies (0-1); `move` the career
    move its title discusses (None: none) and `roles` the roles its title names."""

    thread_id: str
    content_hash: str
    version: str
    posts: tuple[PostAnalysis, ...]
    shape: str
    confidence: float
    labels: dict[str, str]
    overall: str | None
    common_grounds: tuple[tuple[int, int, str], ...]
    move: Move | None = None
    roles: tuple[str, ...] = ()

    def post(self, index: int) -> PostAnalysis:
        return next(p for p in self.posts if p.index == index)

    def camp_posts(self, camp: int) -> list[PostAnalysis]:
        """The answers of `camp` that the thread's structure places there, firmest first."""
        return sorted((p for p in self.posts if p.camp == camp and p.role == "answer" and p.firmness > 0),
                      key=lambda p: (-p.firmness, -p.margin))

    def supporters(self, camp: int) -> int:
        return sum(1 for p in self.posts if p.camp == camp and p.role == "agreement")

    def to_json(self) -> str:
        # Field by field: dataclasses.asdict deep-copies every value and took a fifth of the analysis's time.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["posts"] = [{**{f.name: getattr(p, f.name) for f in fields(p)},
                          "quotables": [{"sentence": q.sentence, "weight": q.weight} for q in p.quotables]}
                         for p in self.posts]
        data["move"] = [self.move.source, self.move.target] if self.move else None
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> ThreadAnalysis:
        data = json.loads(text)
        data["posts"] = tuple(PostAnalysis(**{**p, "quotables": tuple(Quotable(**q) for q in p["quotables"]),
                                              "terms": tuple(p.get("terms", ()))}) for p in data["posts"])
        data["common_grounds"] = tuple(tuple(ground) for ground in data["common_grounds"])
        data["move"] = Move(*data["move"]) if data.get("move") else None
        data["roles"] = tuple(data.get("roles", ()))
        return cls(**data)

    @property
    def two_sided(self) -> bool:
        return self.shape == TWO_CAMPS
