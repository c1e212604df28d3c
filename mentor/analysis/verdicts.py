"""The verdict each answer gives the thread's own question, read from how the answer opens.

In most advice threads every answer answers the asker, not each other: "Do it." and "Please
don't." disagree though neither replies to the other, and so do "Learn Figma." and "Learn
Python." under "Should I learn Figma or Python?". Without reply links or disagreement marks
between them, such a thread read as several opinions (a trial user's three threads, each with
two plain camps, 2026-11-30). The verdicts tie answers to each other as stances do
(`mentor.analysis.camps`):

- a question between two options (the title's, else the opening post's "X or Y?", "X vs Y"):
  the option an answer's first sentence names in its first `OPENING_WORDS` words without the
  other ("Figma, and I say that as a former engineer"), the other one when it opens by saying
  no ("Don't learn Python");
- a yes-or-no question (responses.toml's [yes_no_question]): yes or no, when the answer's first
  sentence opens with a phrase of [verdict_yes] or [verdict_no].

An answer that opens otherwise ("It depends on the contract", "Neither.") has no verdict.
"""

from __future__ import annotations

import re

from mentor.analysis.claims import carries_on
from mentor.analysis.phrases import normalise, vocabulary
from mentor.analysis.roles import Role, own_sentences
from mentor.corpus.model import Thread
from mentor.engine.text import sentences, terms

#: How sure a verdict makes the answer's side, as `replies.CONFIDENCE` says how sure a reply
#: target is: as sure as a mark of agreement that names no one ("adjacent").
VERDICT_CONFIDENCE = 0.6
#: An answer takes an option when its first sentence names it in this many words ("Take the BA
#: job.", "Python, because ..."); one naming it later mostly discusses it ("Counterpoint on the
#: market argument: yes, there are more B2B jobs, ...").
OPENING_WORDS = 3
#: How many terms on each side of a question's "or" name its options ("IC PM", "move into
#: management"): the verb of one and the noun of the other ("Stay IC." takes the first).
OPTION_TERMS = 2
#: First words of a first sentence that tells what its writer did ("I escalated after a standoff
#: of eight months"): a story, not a verdict, though it names an option.
_NARRATORS = frozenset("i we my our i've i'm we've".split())
_ALTERNATIVE = re.compile(r"\s(?:or|vs\.?|versus)\s", re.IGNORECASE)


def verdicts(thread: Thread, roles: dict[int, Role]) -> dict[int, int]:
    """Each answer's verdict on the thread's question: the option it takes (0 or 1) for a
    question between two options, 1 (yes) or 0 (no) for a yes-or-no question; answers without
    one are left out, and so is every answer when the question is neither kind."""
    yes_no = vocabulary("responses").group("yes_no_question")
    options: tuple[frozenset[str], frozenset[str]] | None = None
    asks_yes_no = False
    for question in _questions(thread):  # the title first: it names the thread's question
        options = _options(question)
        asks_yes_no = options is None and yes_no.opens(question, words=3)
        if options is not None or asks_yes_no:
            break
    if options is None and not asks_yes_no:
        return {}
    said_yes, said_no = (vocabulary("responses").group(name) for name in ("verdict_yes", "verdict_no"))
    found: dict[int, int] = {}
    for post in thread.posts[1:]:
        if roles[post.index] is not Role.ANSWER:
            continue
        first = next(iter(own_sentences(post.text)), "")
        no = said_no.opens(first, words=4)
        if options is not None:
            opening = first.split()[:OPENING_WORDS]
            named = set(terms(" ".join(opening)))
            takes = [side for side, option in enumerate(options) if option & named]
            if len(takes) == 1 and opening[0].casefold() not in _NARRATORS and not _replies(first):
                found[post.index] = 1 - takes[0] if no else takes[0]
        elif no or said_yes.opens(first, words=4):
            found[post.index] = 0 if no else 1
    return found


def _questions(thread: Thread) -> list[str]:
    """The thread's question: its title's sentences that ask ("Seven years as a PM and no hard
    skills. Should I worry?" asks "Should I worry?"; a title that asks none, whole), then the
    opening post's."""
    opening = thread.posts[0].text if thread.posts else ""
    title = [s for s in sentences(thread.title) if _asks(s)] or [thread.title]
    return title + [s for s in sentences(opening) if _asks(s)]


def _asks(sentence: str) -> bool:
    return sentence.rstrip("\"')*_ ”’").endswith("?")


def _replies(sentence: str) -> bool:
    """Whether a first sentence carries on or answers another post ("Also, intuition is built
    from experiments", "Counterpoint: the "win them over" advice ..."): the option it names is
    the other post's, not its verdict."""
    responses = vocabulary("responses")
    return carries_on(sentence) or '"' in normalise(sentence) or any(
        responses.group(name).opens(sentence, words=4) for name in ("disagreement", "rebuttal", "agreement"))


def _options(question: str) -> tuple[frozenset[str], frozenset[str]] | None:
    """The terms of the two options a question weighs: the last `OPTION_TERMS` terms before its
    "or" (or "vs") and the first after it, less those both share ("Figma or Python as a new PM?"
    -> {figma}, {python, new}; "Stay an IC PM or move into management?" -> {ic, pm}, {move,
    manag}); None for a question without one "or" or with an option of no term of its own."""
    parts = _ALTERNATIVE.split(question.rstrip("?!. "))
    if len(parts) != 2:
        return None
    before = frozenset([t for word in parts[0].split() for t in terms(word)][-OPTION_TERMS:])
    after = frozenset([t for word in parts[1].split() for t in terms(word)][:OPTION_TERMS])
    if not before - after or not after - before:
        return None
    return before - after, after - before
