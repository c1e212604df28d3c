"""What each post of a thread does: asks, answers (states a position), agrees, or is an aside.

- **question**: the opening post (post 1: a partial copy may lack it), when it asks or tells a
  worry rather than argues;
- **answer**: a post that states a position, the opening post too when it argues (a rant, a
  list of claims);
- **agreement**: a bare agreement ("+1", "This.", "Louder", "100% this", "Same experience
  here") adding at most a few words: it sides with the post it answers;
- **aside**: thanks and praise, banter, offers to talk, questions back, one-line quips, the asker's follow-ups.

The phrases come from vocabulary/responses.toml; the word limits below from reading forum
threads: a "+1" with a clause after it ("+1, the queue is the problem") still adds nothing to
argue with, while "True. Nobody tells engineers anything…" goes on to argue.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from mentor.analysis.claims import claim_problem, without_openers
from mentor.analysis.phrases import vocabulary
from mentor.corpus.model import Post, Thread
from mentor.engine.text import sentences, terms, word_count

#: An agreement adding fewer content words than this (after its opening phrase) is bare.
BARE_AGREEMENT_TERMS = 8
#: Thanks, banter, an offer to talk or questions in a post this short make it an aside.
ASIDE_WORDS = 40
#: A post of fewer words than this, agreeing with nothing, is a quip, not a position.
QUIP_WORDS = 2
#: An opening post argues (rather than asks) when at least this many of its sentences are
#: claims a reader understands alone (see `mentor.analysis.claims`).
OPENING_CLAIMS = 2


class Role(str, Enum):
    QUESTION = "question"
    ANSWER = "answer"
    AGREEMENT = "agreement"
    ASIDE = "aside"


_LEADING_REPLY = re.compile(r"^(?:@[\w.\-]+[,:]?\s*)+")


def own_words(text: str) -> str:
    """A post's text without a leading `@name,`, without quoted lines (`> ...`) and without its
    code or preformatted blocks (`without_code`)."""
    return _LEADING_REPLY.sub("", _unquoted_lines(text))


def own_sentences(text: str) -> list[str]:
    """The sentences of a post's own words (`own_words`), without what is left of a first one
    that opened with `@name` and goes on in lower case ("@ElifKaya, fair on the coursework, but
    nobody serious does an MBA for the coursework"): the rest of a sentence said to someone about
    what they wrote, a fragment quoted alone (a CI run's answer quoted "fair on the coursework,
    ..." under a view, 2026-11-30)."""
    unquoted = _unquoted_lines(text)
    found = sentences(_LEADING_REPLY.sub("", unquoted))
    if found and _LEADING_REPLY.match(unquoted) and found[0][:1].islower():
        return found[1:]
    return found


def _unquoted_lines(text: str) -> str:
    """`text` without code (`without_code`) and quoted lines (`> ...`), stripped."""
    lines = [line for line in without_code(text).split("\n") if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()


_FENCE = re.compile(r"^\s*(```|~~~)")


def _table_row(line: str) -> bool:
    """Whether `line` is a row of a table copied from a page: cells between tabs (a tab with
    words on both sides). Not a regex: one searched every line of every post at indexing and
    backtracked over each line without a tab, which made ingest 2-3 times slower."""
    return "\t" in line.strip()


def without_code(text: str) -> str:
    """`text` without its fenced blocks (```), its tables copied from a page (paragraphs whose
    every line holds cells between tabs) and its indented paragraphs (every line two spaces or a
    tab in: a code block or a table as Markdown and Hacker News write it), when some of it is
    not indented: a sprint table's "capacity: 40 points" labelled a view (a Hacker News thread,
    2026-11-30), and a post of a code block or a table alone was quoted as a view ("SELECT role,
    avg(salary) FROM offers"). A post indented throughout keeps its words."""
    paragraphs, fenced, kept, dropped = text.split("\n\n"), False, [], False
    for paragraph in paragraphs:
        lines = []
        for line in paragraph.split("\n"):
            if _FENCE.match(line):
                fenced, dropped = not fenced, True
            elif not fenced:
                lines.append(line)
        indented = lines and all(line.startswith(("  ", "\t")) or not line.strip() for line in lines)
        table = lines and all(_table_row(line) or not line.strip() for line in lines)
        dropped = dropped or bool(table)
        if lines and not indented and not table:
            kept.append("\n".join(lines))
    return "\n\n".join(kept) if kept or dropped else text


def after_opener(text: str, group: str) -> str:
    """What a post says after the phrase of `group` it opens with (all of it when none), as
    written: "+1 to Anjali. Artifacts beat adjectives" -> "to Anjali. Artifacts beat adjectives"."""
    words = own_words(text)
    phrase = vocabulary("responses").group(group).opening_match(words, words=8)
    if phrase is None:
        return words
    rest = words.split(None, len(phrase.split()))
    return rest[-1].lstrip(" .,!:;-—–") if len(rest) > len(phrase.split()) else ""


def post_role(thread: Thread, post: Post) -> Role:
    """The role of `post` in `thread`."""
    responses = vocabulary("responses")
    text = own_words(post.text)
    words = word_count(text)
    if post.index == 1:
        return Role.ANSWER if opening_argues(post) else Role.QUESTION
    if not words or not post.citable:  # a post that is only an image or a link states nothing
        return Role.ASIDE
    if is_bare_agreement(post.text):
        return Role.AGREEMENT
    opening = thread.opening
    if opening is not None and opening.author is not None and post.author == opening.author \
            and not opening_argues(opening):
        return Role.ASIDE
    if words < ASIDE_WORDS and (responses.group("thanks").opens(text) or responses.group("banter").find(text)
                                or responses.group("invitations").find(text)):
        return Role.ASIDE
    found = sentences(text)
    questions = sum(s.rstrip().endswith("?") for s in found)
    if found and questions * 2 > len(found) and words < ASIDE_WORDS * 1.5:
        return Role.ASIDE
    if words < QUIP_WORDS:
        return Role.ASIDE
    return Role.ANSWER


@lru_cache(maxsize=65536)
def is_bare_agreement(text: str) -> bool:
    """Whether a reply's text is a bare agreement: an agreement phrase and fewer than
    `BARE_AGREEMENT_TERMS` content words after it."""
    return (vocabulary("responses").group("agreement").opens(own_words(text), words=8)
            and len(terms(after_opener(text, "agreement"))) < BARE_AGREEMENT_TERMS)


def opening_argues(post: Post) -> bool:
    """Whether an opening post states positions (claims) rather than asks or tells a worry: at
    least `OPENING_CLAIMS` of its sentences, and half, are claims once their forum openers are
    dropped, as a view label would quote them ("Additionally, most PM roles need no degree")."""
    found = sentences(own_words(post.text))
    claims = sum(claim_problem(without_openers(s)) is None for s in found)
    return claims >= OPENING_CLAIMS and claims * 2 >= len(found)
