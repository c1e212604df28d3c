"""Each camp's label and each post's quotable sentences.

A camp's words are weighed against the other camp's: `distinctive` scores each term by how much
more the camp uses it. A post's quotable sentences are those of a quotable length, scored by
the distinctive terms they hold. The label is the short sentence of the camp's firmest posts
(or of what a "+1" adds after its "+1") that carries most of those terms and passes
`mentor.analysis.claims.label_problem`: a claim a reader understands alone, never a bare
agreement, a question, thanks, a fragment, a concession of the other side's point or a side point
added after the post's own ("Also ..."). Forum openers ("Hard disagree.", "Honestly,",
"IMO") are cut from it. Nothing here invents text: every label and quote is a person's sentence.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from itertools import islice

from collections.abc import Sequence

import numpy as np

from mentor.analysis.camps import sentence_terms
from mentor.analysis.claims import ASIDE_PROBLEMS as _ASIDES
from mentor.analysis.claims import (
    LABEL_CHARS, LABEL_WORDS, carries_on, claim_problem, concedes, holds_link, is_list, label_problem, names_someone,
    open_quotation, points_back, standing_alone, thread_names, turns_after, without_openers)
from mentor.analysis.phrases import vocabulary
from mentor.analysis.roles import after_opener, own_sentences, own_words
from mentor.corpus.model import Thread
from mentor.engine.text import sentences, word_count

#: A quote's length in words; longer sentences are cut at `QUOTE_WORDS[1]` with "…".
QUOTE_WORDS = (6, 50)
#: The longest "Where they meet" quote, in words.
COMMON_GROUND_WORDS = 45
#: The longest "Where they meet" quote that says on what it depends in two parallel cases ("It
#: depends on what you want. If you want to be a VP, …. If you want to found something, …"):
#: with the first case alone it leaned to one side (a trial user's, 2026-11-30).
BRANCHES_WORDS = 75
#: A hedge shorter than this ("It really depends on the company.") says on what only in the
#: sentence after it, which its quote then includes.
HEDGE_ALONE_WORDS = 12
#: Sentences kept per post as quotable.
QUOTABLES = 3
#: A side point added after the post's own ("Also talk to an immigration lawyer this week") weighs
#: this much as a label: it labelled a camp whose quotes argued something else (a trial user's,
#: 2026-11-30), yet "Also, your next job search covers the whole country" is a camp's argument.
ADD_ON_FACTOR = 0.8
#: Where a long label may be cut: between clauses. Never at a bare comma or "and", which also
#: join the words of one phrase ("a big, slow company", "offline and online metrics"), never at a
#: semicolon, and never before a turn (responses.toml's [clause_contrast]): "X can't be done by
#: AI, but engineers can learn it" argues the opposite of X, and "Younger candidates arrive with
#: frameworks; career changers arrive with judgment" cut at its ";" argued the other side's point
#: (a trial user's, 2026-11-30). Such a sentence is kept to a later cut that keeps its turn, or
#: whole, or, too long, left for another claim.
_CLAUSE_MARKS = (" - ", " — ", " – ", ": ", ", and ", ", which ", ", so ", " because ")
_QUOTE = re.compile("[\"“”]")
#: Marks of a list item that open a sentence ("- ", "* ", "2) ").
_BULLET = re.compile(r"^(?:[-*•·]\s+|\d+[.)]\s+)")
#: Sentences of fewer pieces than this are quoted whatever they hold (see `_prose`).
PROSE_CHECKED = 12
#: What a written word never holds, though a log line, path or identifier does.
_NOT_IN_WORDS = re.compile(r"[\d=_/\\<>{}|]")


def distinctive(vectors: np.ndarray, own: Sequence[int], others: Sequence[int],
                vocabulary_: dict[str, int]) -> dict[str, float]:
    """Each term's mean weight in the rows `own` minus its mean in `others` (positive ones)."""
    mean_own = vectors[list(own)].mean(axis=0)
    mean_rest = vectors[list(others)].mean(axis=0) if len(others) else 0.0
    diff = mean_own - mean_rest
    return {term: float(diff[i]) for term, i in vocabulary_.items() if diff[i] > 0}


def sentence_weight(sentence: str, weights: dict[str, float]) -> float:
    """The distinctive weight a sentence carries, per word (long sentences pay a little)."""
    found = set(sentence_terms(sentence))
    return sum(weights.get(t, 0.0) for t in found) / (1 + 0.02 * word_count(sentence))


def quotables(text: str, weights: dict[str, float], names: frozenset[str] = frozenset()) -> list[tuple[str, float]]:
    """The post's `QUOTABLES` best sentences to quote under a view (`quote_candidates`), best
    first, each with its `sentence_weight` for the camp's distinctive `weights`. None that needs
    its thread to make sense quoted alone ("But build one hard skill", "I see how your stance
    might come across": `claims.carries_on`, `claims.points_back`; "For Karthik specifically,
    ...": one naming the thread's people, `names`, `claims.names_someone`; a bare list, "CEO,
    board, growth targets, a big customer."; half a quotation, '"Tell me about a bet you owned
    end to end.': `claims.is_list`, `claims.open_quotation`): a post with only such
    sentences has none, and its view quotes another (it was quoted all the same; 29 of the
    starter's 650 replies, none changing a figure of `mentor eval`, 2026-11-30). Common ground
    (`common_ground`) still reads them, as the sentence after an "it depends"."""
    ranked = sorted(((s, round(sentence_weight(s, weights), 5)) for s in quote_candidates(text)), key=lambda q: -q[1])
    alone = list(islice((q for q in ranked if not (carries_on(q[0]) or points_back(q[0])
                                                   or names_someone(q[0], names) or is_list(q[0])
                                                   or open_quotation(q[0]))), QUOTABLES))
    return alone


def quote_candidates(text: str) -> list[str]:
    """A post's sentences that can be quoted: its own words, not opening with `@`, long enough;
    without a list item's mark or quotation marks around the whole sentence, and no aside nor a
    sentence holding a link while the post has others (a trial user's imported posts were quoted
    by "I wrote up what I did in [my notes](https://…), if it helps." rather than their
    "Skip the certificate.", 2026-12-01)."""
    return list(_quote_candidates(text))


@lru_cache(maxsize=512)  # a post is read for its camp's label, its quotes and the common ground
def _quote_candidates(text: str) -> tuple[str, ...]:
    own = [_unquoted(_BULLET.sub("", s)) for s in standing_alone(own_sentences(text))
           if not s.startswith("@") and _prose(s)]
    low, high = QUOTE_WORDS
    fitting = [s for s in own if low <= word_count(s) <= high]
    fitting = [s for s in fitting if not _aside(s) and not holds_link(s)] or fitting
    chosen = fitting or [s for s in own if word_count(s) >= 3]
    return tuple(s if word_count(s) <= high else " ".join(s.split()[:high]) + " …" for s in chosen)


def _first_word(sentence: str) -> str:
    words = sentence.split()
    return words[0].strip("\"'(*_,.;:!-").casefold() if words else ""


def _prose(sentence: str) -> bool:
    """Whether a sentence is short (under `PROSE_CHECKED` pieces between spaces) or at least half
    of its pieces are words: mostly letters (of any script: "don't", "résumé", "不用，学会沟通更重要。"),
    no digit, "=", "_" or "/" ("latency_ms=4663", "svc-173", "2026-11-25T10:07:00Z" are none). A
    pasted log, stack trace or table is no opinion to quote; a short line with a link or a bit of
    markup in it still is."""
    tokens = sentence.split()
    if len(tokens) < PROSE_CHECKED:
        return True
    words = sum(not _NOT_IN_WORDS.search(token) and sum(map(str.isalpha, token)) * 2 >= len(token)
                for token in tokens)
    return words * 2 >= len(tokens)


def _aside(sentence: str) -> bool:
    """Whether a sentence only introduces its writer ("Former APM here, now a Group PM"), thanks
    someone ("... so thanks for that") or adds a side point after the post's own (responses.toml's
    [add_ons]: "Also talk to an immigration lawyer this week" was quoted under the post's claim
    "Recruiters are discreet", a trial user's, 2026-11-30): quoted as the post's opinion, it says
    nothing on the question or something else than the post's claim."""
    return claim_problem(sentence) in _ASIDES or bool(vocabulary("responses").group("thanks_inside").find(sentence)) \
        or _adds_on(sentence)


def _adds_on(sentence: str) -> bool:
    """Whether a sentence opens with a side point's mark (responses.toml's [add_ons]: "Also ...")."""
    return vocabulary("responses").group("add_ons").opens(sentence, words=3)


def _unquoted(sentence: str) -> str:
    """`sentence` without the quotation marks around the whole of it (the answer adds its own)."""
    if sentence[:1] in "\"“" and sentence[-1:] in "\"”" and len(sentence) > 2 and not _QUOTE.search(sentence[1:-1]):
        return sentence[1:-1].strip()
    return sentence


@lru_cache(maxsize=65536)
def clean_label(sentence: str) -> str:
    """`sentence` without forum openers and trailing marks, cut to a clause when long."""
    text = _BULLET.sub("", without_openers(sentence).strip())
    text = _unquoted(text)
    text = text.rstrip(".!;:, ")
    if len(text) > LABEL_CHARS or word_count(text) > LABEL_WORDS[1]:
        cuts = [at for mark in _CLAUSE_MARKS if 20 < (at := text.find(mark)) <= LABEL_CHARS
                and not _contrast_follows(text[at + len(mark):])]
        if cuts:
            text = text[:min(cuts)].rstrip(".!;:, ")
    first = next((i for i, ch in enumerate(text) if ch.isalnum()), 0)  # after an opening quote
    return text[:first] + text[first:first + 1].upper() + text[first + 1:]


def _contrast_follows(rest: str) -> bool:
    """Whether the text after a cut opens with a turn ("but", "however", "while", ...) or holds
    a semicolon (`mentor.analysis.claims.turns_after`)."""
    return turns_after(", " + rest)


def choose_label(candidates: Sequence[tuple[str, float]], weights: dict[str, float],
                 names: frozenset[str] = frozenset()) -> str | None:
    """The best label among `(sentence, base score)` candidates, or None when none is a claim
    (`names`: the thread's people, see `mentor.analysis.claims.thread_names`)."""
    options: list[tuple[float, str]] = []
    for sentence, base in candidates:
        cleaned = clean_label(sentence)
        if label_problem(cleaned, names) is not None or concedes(sentence):  # as written: "To be fair, ..."
            continue
        words = word_count(cleaned)
        weight = sentence_weight(cleaned, weights) * (1 + 0.02 * words)
        base *= ADD_ON_FACTOR if _adds_on(sentence) else 1.0
        options.append((base * (1.0 + 10.0 * weight) / math.sqrt(words), cleaned))
    return max(options)[1] if options else None


def label_candidates(thread: Thread, answers: Sequence[int], backers: Sequence[int]
                     ) -> list[tuple[str, float]]:
    """Sentences that could label a camp, with a base score: what a "+1" adds after its "+1"
    first, then the opening sentences of the camp's firmest answers, then their other sentences."""
    found: list[tuple[str, float]] = []
    for index in backers:
        for sentence in standing_alone(sentences(after_opener(thread.post(index).text, "agreement"))):
            found.append((sentence, 3.0))
    for rank, index in enumerate(answers[:4]):
        for position, sentence in enumerate(standing_alone(sentences(own_words(thread.post(index).text)))):
            found.append((sentence, (1.5 if position == 0 else 1.0) / (1 + 0.25 * rank)))
    return found


def common_ground(thread: Thread, answers: Sequence[int]) -> tuple[int, str] | None:
    """A sentence from an answer that weighs both camps ("it depends on ..."), if any; a short
    one ("Honestly it depends on the company.") with the sentence after it, which says on what
    (a trial user read three answers whose "Where they meet" said only that it depends), and
    the one after that when it is the other case ("If you want …. If you want …"). Not
    one naming someone in the thread ("… which is why Siobhan's question matters": a trial
    user's, 2026-11-30), which only makes sense there, in the hedge or in a sentence it takes
    after it ("… is where Grace's warning kicks in": a trial's, session 17). Not
    from an answer that opens by disagreeing: its "depends" argues one side (a trial user's,
    2026-11-30: "Counterpoint: a decompression break is a luxury that depends on ...")."""
    hedges = vocabulary("responses").group("hedges")
    names = thread_names(post.author for post in thread.posts)
    against = (vocabulary("responses").group("disagreement"), vocabulary("responses").group("rebuttal"))
    for index in answers:
        text = thread.post(index).text
        if any(group.opens(text) for group in against):  # "Counterpoint: a break depends on your runway" argues one side
            continue
        candidates = quote_candidates(text)
        for position, sentence in enumerate(candidates):
            if hedges.find(sentence) and QUOTE_WORDS[0] <= word_count(sentence) <= COMMON_GROUND_WORDS \
                    and not names_someone(sentence, names):
                after = candidates[position + 1] if position + 1 < len(candidates) else ""
                if after and word_count(sentence) < HEDGE_ALONE_WORDS and \
                        word_count(sentence) + word_count(after) <= COMMON_GROUND_WORDS:
                    if names_someone(after, names):
                        continue  # "… is where Grace's warning kicks in": it only makes sense in the thread
                    branch = candidates[position + 2] if position + 2 < len(candidates) else ""
                    both = f"{sentence} {after} {branch}"
                    if branch and _first_word(branch) == _first_word(after) and word_count(both) <= BRANCHES_WORDS:
                        if names_someone(branch, names):
                            continue  # the first case alone leans to one side
                        return index, both  # "If you want X, …. If you want Y, …": the other case too
                    return index, f"{sentence} {after}"
                return index, sentence
    return None
