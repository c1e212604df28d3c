"""Splitting a thread's answers into two camps, and how sure the split is.

The posts that state a position (role `answer`) are the nodes of a signed graph. Edges add up
two kinds of evidence:

- **structure**: a post that agrees with its target (+) or disagrees (-), weighed by how sure
  the target is (`mentor.analysis.replies.CONFIDENCE`) and how strong the marker (`stance`);
  bare agreements tie their author's other posts to the post they back; the same author twice (+);
  two answers giving the thread's question the same verdict (+) or opposite ones (-: "Do it."
  and "Please don't.", `mentor.analysis.verdicts`);
- **content**: how much more alike two posts' words and concepts are than the thread's posts
  usually are (cosine of TF-IDF vectors over terms and thesaurus concepts, centred and scaled
  to unit spread).

The split is the ±1 assignment x maximising xᵀWx: spectral start (leading eigenvector), then
single flips while any improves it. A post's margin x_i·(Wx)_i says how firmly it sits in its
camp, and the part of it that comes from structure alone (`firmness`) says whether the thread
itself places it there: words alone orient a post about half the time on real threads (measured
on ../shared/real-threads: 47-53% of post pairs right, chance being 47%), replies that agree or
disagree far better. Two camps are reported only when a post disagrees with another and each
camp has a post the structure places; otherwise the thread holds one position, or several
opinions without a two-way split.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from mentor.analysis.concepts import concepts
from mentor.analysis.replies import Target
from mentor.analysis.roles import Role, own_words
from mentor.analysis.stance import Stance
from mentor.analysis.verdicts import VERDICT_CONFIDENCE
from mentor.corpus.model import Thread
from mentor.engine.text import sentences, terms
from mentor.engine.tfidf import Tfidf

#: Weight of a sure structural edge relative to one standard deviation of content similarity.
STRUCTURE_WEIGHT = 10.0
SAME_AUTHOR_WEIGHT = 1.0
#: A concept (thesaurus) counts as this many occurrences of a word in a post's vector.
CONCEPT_WEIGHT = 2


@dataclass(frozen=True)
class CampSplit:
    """`camp[index]` is 0 or 1 for every answer; `firmness[index]` how firmly the thread's own
    structure (replies that agree or disagree, same authors) places it there (> 0: placed by
    structure; 0: by content alone), `margin[index]` how firmly all the evidence does;
    `backs[index]` the answer a bare agreement backs; `two_sided` whether the thread shows two
    camps; `confidence` the share of the evidence's weight the split satisfies (0-1)."""

    camp: dict[int, int]
    firmness: dict[int, float]
    margin: dict[int, float]
    #: The group of answers the thread's replies tie together (numbered from 0, largest first),
    #: for answers in one: two groups' camps are oriented to each other by words alone.
    group: dict[int, int]
    backs: dict[int, int]
    two_sided: bool
    confidence: float


@lru_cache(maxsize=65536)
def post_terms(text: str) -> tuple[str, ...]:
    """A post's terms for comparing posts: each of its own sentences' `sentence_terms`
    (remembered: the split, the labels and the question's quotes read the same posts again)."""
    return tuple(term for sentence in sentences(own_words(text)) for term in sentence_terms(sentence))


@lru_cache(maxsize=65536)
def sentence_terms(sentence: str) -> tuple[str, ...]:
    """A sentence's terms and its thesaurus concepts (each counted `CONCEPT_WEIGHT` times)."""
    return tuple(terms(sentence)) + tuple(c for c in concepts(sentence) for _ in range(CONCEPT_WEIGHT))


def similarity_matrix(thread: Thread) -> tuple[np.ndarray, np.ndarray, Tfidf]:
    """Cosine similarity of every two posts (0-based positions), the TF-IDF rows, the vectorizer."""
    documents = [post_terms(post.text) for post in thread.posts]
    vectorizer = Tfidf.fit_terms(documents)
    matrix = vectorizer.transform_terms(documents).toarray()
    return matrix @ matrix.T, matrix, vectorizer


def split_camps(thread: Thread, roles: dict[int, Role], targets: dict[int, Target],
                stances: dict[int, Stance], similarity: np.ndarray,
                verdicts: dict[int, int] | None = None) -> CampSplit:
    """The camps of the answers of `thread` (see the module's docstring). `verdicts`: each
    answer's verdict on the thread's question (`mentor.analysis.verdicts`); two answers with
    the same one agree, with different ones disagree, as sure as `VERDICT_CONFIDENCE`."""
    position = {post.index: i for i, post in enumerate(thread.posts)}
    nodes = [p.index for p in thread.posts if roles[p.index] is Role.ANSWER]
    backs = {index: backed for index in roles if roles[index] is Role.AGREEMENT
             and (backed := _resolve(index, targets, roles)) is not None}
    if not nodes:
        return CampSplit(camp={}, firmness={}, margin={}, group={}, backs=backs, two_sided=False,
                         confidence=0.0)
    at = {index: k for k, index in enumerate(nodes)}
    content = _content_weights(similarity[np.ix_([position[i] for i in nodes], [position[i] for i in nodes])])
    structure = np.zeros((len(nodes), len(nodes)))

    def add(a: int, b: int, value: float) -> None:
        if a in at and b in at and a != b:
            structure[at[a], at[b]] += value
            structure[at[b], at[a]] += value

    authors: dict[str, list[int]] = {}
    for post in thread.posts:
        if post.author and roles[post.index] in (Role.ANSWER, Role.AGREEMENT):
            authors.setdefault(post.author.casefold(), []).append(post.index)
    for indices in authors.values():
        for k, a in enumerate(indices):
            for b in indices[k + 1:]:
                add(a, b, SAME_AUTHOR_WEIGHT)
    for index, stance in stances.items():
        if stance.sign == 0 or index not in targets:
            continue
        backed = _resolve_target(targets[index].index, targets, roles)
        if backed is None:
            continue
        value = stance.sign * stance.strength * targets[index].confidence
        if roles[index] is Role.ANSWER:
            add(index, backed, value)
        elif roles[index] is Role.AGREEMENT:  # a bare agreement ties its author's answers to it
            author = (thread.post(index).author or "").casefold()
            for other in authors.get(author, []):
                add(other, backed, value)
    given = sorted((verdicts or {}).items())
    for k, (a, verdict) in enumerate(given):
        for b, other in given[k + 1:]:
            add(a, b, VERDICT_CONFIDENCE if verdict == other else -VERDICT_CONFIDENCE)
    for index, target in targets.items():  # a reply shares its target's words by being a reply:
        if index in at and target.index in at:  # the link's stance speaks for the pair instead
            content[at[index], at[target.index]] = content[at[target.index], at[index]] = 0.0
    weights = content + STRUCTURE_WEIGHT * structure
    np.fill_diagonal(weights, 0.0)
    signs = _partition(weights)
    margins = signs * (weights @ signs)
    firmness = signs * (structure @ signs)
    disagreement = bool((structure < 0).any())
    camp = {index: int(signs[at[index]] < 0) for index in nodes}
    sizes = [sum(1 for c in camp.values() if c == side) for side in (0, 1)]
    group = _groups(nodes, structure)
    both_in_a_group = any({camp[i] for i in nodes if group.get(i) == g} == {0, 1} for g in set(group.values()))
    two_sided = min(sizes) >= 1 and both_in_a_group and disagreement
    total = np.abs(np.triu(weights, 1)).sum()
    satisfied = float(np.triu(weights * np.outer(signs, signs), 1).sum())
    confidence = max(0.0, satisfied / total) if total > 0 else 0.0
    return CampSplit(camp=camp, firmness={i: float(firmness[at[i]]) for i in nodes}, group=group,
                     margin={i: float(margins[at[i]]) for i in nodes}, backs=backs,
                     two_sided=two_sided, confidence=confidence)


def _groups(nodes: list[int], structure: np.ndarray) -> dict[int, int]:
    """Answers tied together by structural edges (replies that agree or disagree, same author):
    index -> group, groups numbered largest first; answers tied to none are in no group."""
    seen: set[int] = set()
    found: list[list[int]] = []
    for start in range(len(nodes)):
        if start in seen or not structure[start].any():
            continue
        stack, members = [start], []
        seen.add(start)
        while stack:
            node = stack.pop()
            members.append(nodes[node])
            for other in np.flatnonzero(structure[node]):
                if int(other) not in seen:
                    seen.add(int(other))
                    stack.append(int(other))
        found.append(members)
    found.sort(key=lambda members: (-len(members), min(members)))
    return {index: number for number, members in enumerate(found) for index in members}


def _resolve(index: int, targets: dict[int, Target], roles: dict[int, Role]) -> int | None:
    """The answer a post backs: its target, through bare agreements to what they back."""
    target = targets.get(index)
    return _resolve_target(target.index, targets, roles) if target else None


def _resolve_target(index: int, targets: dict[int, Target], roles: dict[int, Role]) -> int | None:
    seen: set[int] = set()
    while index not in seen:
        seen.add(index)
        if roles.get(index) is Role.ANSWER:
            return index
        if roles.get(index) is not Role.AGREEMENT or index not in targets:
            return None
        index = targets[index].index
    return None


def _content_weights(sims: np.ndarray) -> np.ndarray:
    """Cosine similarity of the answers, centred and scaled to unit spread (diagonal zero)."""
    if len(sims) < 2:
        return np.zeros_like(sims)
    off_diagonal = ~np.eye(len(sims), dtype=bool)
    centred = np.where(off_diagonal, sims - sims[off_diagonal].mean(), 0.0)
    spread = centred[off_diagonal].std()
    return centred / spread if spread > 1e-9 else centred


def _partition(weights: np.ndarray) -> np.ndarray:
    """±1 per node maximising xᵀWx: spectral start, then greedy single flips."""
    n = len(weights)
    if n == 1:
        return np.ones(1)
    _, vectors = np.linalg.eigh(weights)
    signs = np.where(vectors[:, -1] >= 0, 1.0, -1.0)
    while True:
        gains = -4 * signs * (weights @ signs)
        best = int(np.argmax(gains))
        if gains[best] <= 1e-9:
            break
        signs[best] *= -1
    if signs.sum() < 0:
        signs = -signs
    return signs
