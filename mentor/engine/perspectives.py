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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mentor.corpus.model import Thread
from mentor.engine.split import Camp, PostKey, Split, split_thread
from mentor.engine.stance import Role
from mentor.engine.text import sentences, terms, word_count
from mentor.importers.replies import REPLY_PREFIX

QUOTES_PER_VIEW = 2
#: Posts per view handed on as sources (the quoted ones first).
SOURCES_PER_VIEW = 4
_QUOTE_WORDS = (6, 50)
_LABEL_WORDS = (4, 16)
_LABEL_CHARS = 90
#: A label sentence must carry at least two of the view's this-many most distinctive words.
_LABEL_TERMS = 10
_OPENERS = re.compile(
    r"^(?:(?:\+1|100 ?(?:%|percent)|hard disagree|i disagree|respectfully,? no|counter-?point|"
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
    split = split_thread(thread)
    texts = {(thread.id, p.index): p.text for p in thread.posts}
    question_terms = set(terms(question))
    camps = split.camps[:1] if split.one_sided else split.camps[:2]
    views = []
    for i, camp in enumerate(camps):
        weights = _distinctive(split, camp, [c for c in split.camps if c is not camp])
        ordered = list(camp.posts)
        quoted = [(key, s) for key in ordered[:quotes_per_view]
                  if (s := _best_sentence(texts[key], weights, question_terms))]
        quoted_keys = [key for key, _ in quoted]
        extra = [key for key in ordered if key not in quoted_keys][: SOURCES_PER_VIEW - len(quoted)]
        label = _label(ordered[:4], texts, weights, avoid={s for _, s in quoted}) or f"View {i + 1}"
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
    vocabulary = split.vectorizer.vocabulary_
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


def _label(keys: Sequence[PostKey], texts: dict[PostKey, str], weights: dict[str, float],
           avoid: set[str]) -> str | None:
    """The view's short thesis sentence, or (when no sentence carries its words) its key words."""
    top = {term for term, _ in sorted(weights.items(), key=lambda item: -item[1])[:_LABEL_TERMS]}
    low, high = _LABEL_WORDS
    options = []
    for key in keys:
        for sentence in _candidates(texts[key]):
            cleaned = _clean_label(sentence)
            found = set(terms(cleaned)) & top
            if low <= word_count(cleaned) <= high and not cleaned.endswith("?") and len(found) >= 2:
                score = sum(weights[t] for t in found) / math.sqrt(word_count(cleaned))
                options.append((score - (0.5 * score if sentence in avoid else 0.0), cleaned))
    if options:
        return max(options)[1]
    words = _surface_words(keys, texts, [t for t, _ in sorted(weights.items(), key=lambda i: -i[1])[:3]])
    if not words:
        return None
    text = ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1]
    return text[:1].upper() + text[1:]


def _surface_words(keys: Sequence[PostKey], texts: dict[PostKey, str], stems: list[str]) -> list[str]:
    """The word people wrote most often for each stem ("influenc" -> "influence")."""
    counts: dict[str, Counter[str]] = {stem: Counter() for stem in stems}
    for key in keys:
        for word in re.findall(r"[A-Za-z][A-Za-z'-]+", texts[key]):
            stem = next(iter(terms(word)), None)
            if stem in counts:
                counts[stem][word.lower()] += 1
    return [c.most_common(1)[0][0] for c in counts.values() if c]


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
