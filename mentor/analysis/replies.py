"""Whom each post answers, and how sure that is.

The evidence, strongest first:

1. **reply**: the export's own reply link (Reddit and Hacker News trees, Discourse's
   `reply_to_post_number`, a Markdown `reply to N`, the plain-text `@Name,` rule). A link to a
   post this copy lacks (one the forum hid, a deleted comment, a post on another page) says the
   post answers that one: no other is guessed in its place;
2. **quote**: the post opens by quoting a line of an earlier post (`> ...`, or a first line
   found word for word in an earlier post); **phrase**: its first sentences put in quotation
   marks a phrase of an earlier post ('Hard disagree with "burnout lies"', '"It gets better at
   senior" is what everyone told me');
3. **mention**: it names an earlier post's author ("+1 to Anjali", "Counterpoint to Daniel"),
   or the thread's first answer ("Agree with the first reply");
4. **adjacent**: a post that marks agreement or disagreement without naming whom ("This.",
   "Counterpoint:", "I'll offer the other side") answers the argument just above it, the
   forum convention (on the starter corpus, about 96% of such marks are right this way);
5. **similar**: otherwise, the earlier post whose words (and concepts) it shares most, the post
   just above and the opening post counting a little extra, since a flat dump lists replies
   after their parents and top-level answers answer the opening post.

A flat page (no reply links, no authors) leaves only 4 and 5; their confidence is lower and the
camp split weighs their edges by it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from mentor.analysis.phrases import normalise, vocabulary
from mentor.analysis.roles import Role, own_words
from mentor.corpus.model import Thread
from mentor.engine.text import sentences
from mentor.importers.replies import replied_name, replied_post

#: How sure each kind of evidence makes the target.
CONFIDENCE = {"reply": 1.0, "quote": 0.9, "phrase": 0.85, "mention": 0.8, "adjacent": 0.6, "similar": 0.4}
#: Extra similarity for the post just above and for the opening post (cosine units).
ADJACENT_BONUS = 0.08
OPENING_BONUS = 0.05
#: A quoted first line must be at least this many words to be found in an earlier post.
QUOTE_WORDS = 4
#: A phrase in quotation marks in a post's opening must be at least this many words to name the
#: post it answers ("burnout lies" does; a single "word" in scare quotes does not).
PHRASE_WORDS = 2
_QUOTED = re.compile(r"[\"“]([^\"“”\n]{3,120})[\"”]")
_AFTER_TO = re.compile(r"\b(?:to|with)\s+(@?[A-Z][\w.\-]{2,})")
_NAME = re.compile(r"(?<![\w@])@?([A-Z][\w.\-]{2,}|[a-z][\w\-]*[._][\w.\-]+)")


@dataclass(frozen=True)
class Target:
    """The post a post answers: its 1-based index, the kind of evidence, its confidence (0-1)."""

    index: int
    evidence: str
    confidence: float


def find_targets(thread: Thread, roles: dict[int, Role], similarity: np.ndarray,
                 marked: set[int]) -> dict[int, Target]:
    """The target of every post after the first that answers something.

    `similarity[i, j]` is the content similarity of posts i and j (0-based positions in
    `thread.posts`), as `mentor.analysis.camps.similarity_matrix` gives it; `marked` holds the
    posts that open with an agreement or disagreement mark (`mentor.analysis.stance`).
    """
    targets: dict[int, Target] = {}
    posts = thread.posts
    position = {post.index: i for i, post in enumerate(posts)}
    for i, post in enumerate(posts[1:], start=1):
        earlier = posts[:i]
        target = None
        if post.reply_to is not None and post.reply_to not in position and post.reply_to < post.index:
            continue  # it answers a post this copy lacks
        if post.reply_to is not None and post.reply_to in position and post.reply_to != post.index:
            target = Target(post.reply_to, "reply", CONFIDENCE["reply"])
        elif (name := replied_name(post.text)) and (found := replied_post(earlier, name)):
            target = Target(found, "reply", CONFIDENCE["reply"])
        elif (quoted := _quoted(post.text, earlier)) is not None:
            target = Target(quoted, "quote", CONFIDENCE["quote"])
        elif (quoted := _quoted_phrase(own_words(post.text), earlier)) is not None:
            target = Target(quoted, "phrase", CONFIDENCE["phrase"])
        elif (named := _named(own_words(post.text), earlier)) is not None:
            target = Target(named, "mention", CONFIDENCE["mention"])
        elif (first := _first_reply_named(own_words(post.text), earlier, roles)) is not None:
            target = Target(first, "mention", CONFIDENCE["mention"])
        elif post.index in marked or roles[post.index] is Role.AGREEMENT:
            above = next((j for j in range(i - 1, 0, -1) if roles[posts[j].index] in (Role.ANSWER, Role.AGREEMENT)),
                         None)
            if above is not None:
                target = Target(posts[above].index, "adjacent", CONFIDENCE["adjacent"])
        else:
            candidates = [j for j in range(i) if roles[posts[j].index] is not Role.ASIDE or j == 0]
            if candidates:
                scores = [similarity[i, j] + (ADJACENT_BONUS if j == i - 1 else 0.0)
                          + (OPENING_BONUS if j == 0 else 0.0) for j in candidates]
                best = candidates[int(np.argmax(scores))]
                target = Target(posts[best].index, "similar", CONFIDENCE["similar"])
        if target is not None:
            targets[post.index] = target
    return targets


def _quoted(text: str, earlier: tuple) -> int | None:  # noqa: ANN001 - a tuple of Post
    """The latest earlier post holding the line this post opens by quoting."""
    first = text.strip().split("\n", 1)[0]
    line = normalise(first.lstrip("> ").strip("\"“”"))
    if len(line.split()) < QUOTE_WORDS:
        return None
    for post in reversed(earlier):
        if line in normalise(post.text):
            return post.index
    return None


def _quoted_phrase(text: str, earlier: tuple) -> int | None:  # noqa: ANN001
    """The latest earlier post (not the opening one) holding, word for word, a phrase of at least
    `PHRASE_WORDS` words that the post's first two sentences put in quotation marks."""
    for match in _QUOTED.finditer(" ".join(sentences(text)[:2])):
        phrase = normalise(match.group(1)).strip(" .,!?")
        if len(phrase.split()) < PHRASE_WORDS:
            continue
        for post in reversed(earlier[1:]):
            if phrase in normalise(post.text):
                return post.index
    return None


def _named(text: str, earlier: tuple) -> int | None:  # noqa: ANN001
    """The latest earlier post whose author the post's opening names: its first twelve words,
    or a name right after "to" or "with" in its first two sentences ("... And counterpoint to
    James: ..."), where marks of agreement and disagreement say whom they answer."""
    head = " ".join(text.split()[:12]) + " " + " ".join(
        match.group(1) for match in _AFTER_TO.finditer(" ".join(sentences(text)[:2])))
    for match in _NAME.finditer(head):
        name = match.group(1).rstrip(".").casefold()
        for post in reversed(earlier[1:]):  # the opening post's author is "OP", not a target name
            if post.author and _names(post.author, name):
                return post.index
    return None


def _first_reply_named(text: str, earlier: tuple, roles: dict[int, Role]) -> int | None:  # noqa: ANN001
    """The thread's first answer, when the post's first two sentences name it ("Agree with the
    first reply", "The top comment is right": responses.toml's [first_reply]), or None."""
    if vocabulary("responses").group("first_reply").find(" ".join(sentences(text)[:2])) is None:
        return None
    return next((post.index for post in earlier[1:] if roles[post.index] is Role.ANSWER), None)


def _names(handle: str, name: str) -> bool:
    """Whether `name` (casefolded) names `handle`: the whole handle, its start, or a part of it."""
    folded = handle.casefold()
    parts = {part.casefold() for part in re.split(r"[._\-]|(?<=[a-z])(?=[A-Z])", handle) if part}
    return folded == name or (len(name) >= 3 and (folded.startswith(name) or name in parts))
