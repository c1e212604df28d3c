"""From the split to what a person reads: each view's label, its strongest quotes, its sources.

A view's words are weighed against the other view's: `distinctive` scores each word by how much
more the view uses it. Quotes are the sentences of the view's firmest posts that carry most of
those words (and of the question's); the label is the short sentence that does so best, cleaned
of forum openers ("Hard disagree.", "+1", "@Name,"). Nothing here invents text: every label and
quote is a sentence someone wrote.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from mentor.corpus.model import Thread
from mentor.engine.split import Camp, PostKey, Split, split_thread
from mentor.engine.stance import Role
from mentor.engine.text import sentences, terms, word_count
from mentor.importers.replies import REPLY_PREFIX

QUOTES_PER_VIEW = 2
#: A thread's views are read from its first this many posts. The split's time grows with the cube
#: of the posts and its memory with their square: a 5,000-post megathread took 80 s and 1.4 GB,
#: 500 posts take well under a second. (Retrieval still reads every post.)
MAX_SPLIT_POSTS = 500
#: Posts per view handed on as sources (the quoted ones first).
SOURCES_PER_VIEW = 4
_QUOTE_WORDS = (6, 50)
_LABEL_WORDS = (3, 16)
_LABEL_CHARS = 90
_NOT_A_THESIS = re.compile(
    r"^(?:with|to|on|about|for|of|in|at|from|by|as|than|which|who|because)\b|great (?:point|perspective)|"
    r"well said|is right\b|are right\b|\bthis thread\b|\bOP\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|[Mm]e|[Mm]y|[Mm]ine)\b")
_OPENERS = re.compile(
    r"^(?:(?:\+1|first|second|third|finally|100 ?(?:%|percent)|hard disagree|i disagree|respectfully,? no|counter-?point|"
    r"honestly|frankly|imo|imho|i think|i'd say|look|yes|no|so|well|ok(?:ay)?|agreed|exactly|"
    r"i'll offer the other side|to be fair|that said|also|and|but)\b[\s,.:;!-]*)+", re.IGNORECASE)
_COMMON_GROUND = re.compile(r"\bit depends\b|\bdepends on\b|\bboth\b|middle ground|either way|"
                            r"not (?:an )?either[/ -]or|\bbalance\b", re.IGNORECASE)


@dataclass(frozen=True)
class View:
    label: str
    posts: tuple[PostKey, ...]          # sources, quoted posts first
    quotes: tuple[tuple[PostKey, str], ...]
    supporters: int


@dataclass(frozen=True)
class Views:
    views: tuple[View, ...]
    one_sided: bool
    common_ground: tuple[PostKey, str] | None


def find_views(thread: Thread, question: str, quotes_per_view: int = QUOTES_PER_VIEW) -> Views:
    """The views in `thread` on `question`."""
    if len(thread.posts) > MAX_SPLIT_POSTS:
        thread = replace(thread, posts=thread.posts[:MAX_SPLIT_POSTS])
    split = split_thread(thread)
    texts = {(thread.id, p.index): p.text for p in thread.posts}
    question_terms = set(terms(question))
    names = {part.casefold() for p in thread.posts if p.author
             for part in re.split(r"[._\-]|(?<=[a-z])(?=[A-Z])", p.author) if len(part) >= 3}
    camps = split.camps[:1] if split.one_sided else split.camps[:2]
    views = []
    for i, camp in enumerate(camps):
        weights = _distinctive(split, camp, [c for c in split.camps if c is not camp])
        ordered = list(camp.posts)
        quoted = [(key, s) for key in ordered[:quotes_per_view]
                  if (s := _best_sentence(texts[key], weights, question_terms))]
        quoted_keys = [key for key, _ in quoted]
        extra = [key for key in ordered if key not in quoted_keys][: SOURCES_PER_VIEW - len(quoted)]
        label = _label(quoted_keys + [k for k in ordered[:4] if k not in quoted_keys],
                       camp.supporters, texts, weights, avoid={s for _, s in quoted},
                       names=names) or f"View {i + 1}"
        views.append(View(label=label, posts=tuple(quoted_keys + extra), quotes=tuple(quoted),
                           supporters=len(camp.supporters)))
    return Views(views=tuple(views), one_sided=split.one_sided,
                 common_ground=None if split.one_sided else _common_ground(split, texts, question_terms))


def _distinctive(split: Split, camp: Camp, others: list[Camp]) -> dict[str, float]:
    """Each word's weight in `camp` minus its weight in the other camps."""
    if split.vectorizer is None:
        return {}
    own = np.mean([split.vectors[k] for k in camp.posts], axis=0)
    rest_keys = [k for c in others for k in c.posts]
    rest = np.mean([split.vectors[k] for k in rest_keys], axis=0) if rest_keys else 0.0
    diff = own - rest
    vocabulary = split.vectorizer.vocabulary
    return {term: float(diff[i]) for term, i in vocabulary.items() if diff[i] > 0}


def _score(sentence: str, weights: dict[str, float], question_terms: set[str]) -> float:
    found = set(terms(sentence))
    return sum(weights.get(t, 0.0) for t in found) + 0.05 * len(found & question_terms)


def _candidates(text: str) -> list[str]:
    return [s for s in sentences(REPLY_PREFIX.sub("", text, count=1)) if not s.startswith("@")]


def _best_sentence(text: str, weights: dict[str, float], question_terms: set[str]) -> str | None:
    low, high = _QUOTE_WORDS
    options = [s for s in _candidates(text) if low <= word_count(s) <= high]
    if not options:
        options = [s for s in _candidates(text) if word_count(s) >= 3]
    if not options:
        return None
    best = max(options, key=lambda s: _score(s, weights, question_terms) / (1 + 0.02 * word_count(s)))
    words = best.split()
    return best if len(words) <= high else " ".join(words[:high]) + " …"


def _label(keys: Sequence[PostKey], backers: Sequence[PostKey], texts: dict[PostKey, str],
           weights: dict[str, float], avoid: set[str], names: set[str]) -> str | None:
    """The view's thesis: a short, general sentence its people wrote.

    The best sources of one: what a "+1" post adds after its "+1" ("100% this. Influence is the
    scarce skill, models are cheap."), then the opening sentence of the view's firmest posts,
    then their other sentences. Stories ("I came from ..."), questions, praise ("great point"),
    fragments left by a removed opener ("with the ... argument") and sentences that name one of
    the thread's people are passed over; words the view uses more than the other count for it.
    """
    options: list[tuple[float, str]] = []

    def consider(sentence: str, base: float) -> None:
        cleaned = _clean_label(sentence)
        words = word_count(cleaned)
        if (not _LABEL_WORDS[0] <= words <= _LABEL_WORDS[1] or cleaned.endswith("?")
                or _FIRST_PERSON.search(cleaned) or _NOT_A_THESIS.search(cleaned)
                or any(word.strip(",.'’s").casefold() in names for word in cleaned.split())):
            return
        weight = sum(weights.get(t, 0.0) for t in set(terms(cleaned)))
        score = base * (1.0 + 10.0 * weight) / math.sqrt(words)
        options.append((score * (0.5 if sentence in avoid else 1.0), cleaned))

    for key in backers:
        for sentence in _candidates(texts[key])[1:]:
            consider(sentence, 3.0)
    for key in keys:
        for position, sentence in enumerate(_candidates(texts[key])):
            consider(sentence, 1.5 if position == 0 else 1.0)
    return max(options)[1] if options else None


def _clean_label(sentence: str) -> str:
    text = _OPENERS.sub("", sentence).strip().strip("\"“”").rstrip(".!;:, ")
    if len(text) > _LABEL_CHARS:
        cut = max(text.rfind(mark, 0, _LABEL_CHARS) for mark in (",", ";", " -", " —", ":"))
        text = text[:cut] if cut > 30 else text[:_LABEL_CHARS].rsplit(" ", 1)[0] + "…"
    return text[:1].upper() + text[1:]


def _common_ground(split: Split, texts: dict[PostKey, str], question_terms: set[str]
                   ) -> tuple[PostKey, str] | None:
    """A sentence from an opinion that weighs both views ("it depends on ..."), if any."""
    candidates = [key for key, role in split.roles.items() if role is Role.OPINION]
    for key in sorted(candidates, key=lambda k: abs(split.margins.get(k, 0.0))):
        for sentence in _candidates(texts[key]):
            if _COMMON_GROUND.search(sentence) and _QUOTE_WORDS[0] <= word_count(sentence) <= 45:
                return key, sentence
    return None
