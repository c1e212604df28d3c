"""Thread analysis: a stage of its own, run when a thread is indexed, stored, and only read when a
question is asked.

    analysis = analyse(thread)        # roles → targets → stances, verdicts → camps → labels, quotables; move

- `roles`: what each post does (question, answer, agreement, aside);
- `replies`: whom it answers, and how sure that is;
- `stance`: whether it agrees or disagrees with that post;
- `verdicts`: the verdict an answer gives the thread's question ("Do it.", "Learn Python.");
- `camps`: the two camps of the answers (or none), and how sure the split is;
- `labels`: each camp's label and each post's quotable sentences; `claims`: what a label must be;
- `moves`: the career move the thread's title discusses ("UX designer ... moving into product")
  and the roles it names;
- `store`: analyses kept in the data directory by content hash and `analyser_version()`.

The phrases these read (agreement, disagreement, thanks, banter; the PM-career thesaurus) live in
`vocabulary/*.toml`, documented there.
"""

from __future__ import annotations

from dataclasses import replace

from mentor.analysis.claims import standing_alone, thread_names
from mentor.analysis.camps import CampSplit, post_terms, similarity_matrix, split_camps
from mentor.analysis.labels import (
    choose_label,
    common_ground,
    distinctive,
    label_candidates,
    quotables,
)
from mentor.analysis.model import (
    ONE_POSITION,
    SEVERAL_OPINIONS,
    TWO_CAMPS,
    PostAnalysis,
    label_key,
    analyser_version,
    Quotable,
    ThreadAnalysis,
)
from mentor.analysis.moves import roles_named, thread_move
from mentor.analysis.replies import find_targets
from mentor.analysis.roles import Role, own_words, post_role
from mentor.analysis.stance import NEUTRAL, Stance, read_stance
from mentor.analysis.verdicts import verdicts
from mentor.corpus.model import Thread
from mentor.engine.text import sentences

#: A thread's camps are read from its first this many posts. The split's time grows with the
#: cube of the posts and its memory with their square: a 5,000-post megathread took 80 s and
#: 1.4 GB, 500 posts well under a second. (Search still reads every post.)
MAX_SPLIT_POSTS = 500
#: A post's claim (its label when shown as an opinion of its own) is read from its first
#: sentences, the earlier ones preferred (a sentence's score is divided by 1 + decay x its place).
#: Real replies and the starter corpus's often open with a story or a reply ("Hard disagree, and
#: I say this as someone who hired 30 PMs"): with two sentences, 11 of 15 posts of the starter's
#: MBA thread had no claim; with four, the opinions shown for "is an MBA worth it" get labels.
CLAIM_SENTENCES = 4
CLAIM_DECAY = 0.25

__all__ = ["MAX_SPLIT_POSTS", "ThreadAnalysis", "analyse", "analyser_version"]


def analyse(thread: Thread) -> ThreadAnalysis:
    """The analysis of `thread` (its first `MAX_SPLIT_POSTS` posts)."""
    content_hash = thread.content_hash()
    if len(thread.posts) > MAX_SPLIT_POSTS:
        thread = replace(thread, posts=thread.posts[:MAX_SPLIT_POSTS])
    roles = {post.index: post_role(thread, post) for post in thread.posts}
    similarity, vectors, vectorizer = similarity_matrix(thread)
    marked = {post.index for post in thread.posts[1:] if read_stance(post.text).sign != 0}
    targets = find_targets(thread, roles, similarity, marked)
    stances = {index: read_stance(thread.post(index).text, skip_first_line=target.evidence == "quote")
               for index, target in targets.items() if roles[index] in (Role.ANSWER, Role.AGREEMENT)}
    given = verdicts(thread, roles)
    split = split_camps(thread, roles, targets, stances, similarity, given)
    position = {post.index: i for i, post in enumerate(thread.posts)}
    camps = {index: split.camp.get(index, split.camp.get(split.backs.get(index, -1)))
             for index in roles}
    weights = []
    for side in (0, 1):
        own = [position[i] for i in split.camp if split.camp[i] == side]
        others = [position[i] for i in split.camp if split.camp[i] != side]
        weights.append(distinctive(vectors, own, others, vectorizer.vocabulary) if own else {})
    names = thread_names(post.author for post in thread.posts)
    labels: dict[str, str] = {}
    for group in sorted(set(split.group.values())):
        for side in (0, 1):
            answers = sorted((i for i in split.camp if split.camp[i] == side and split.firmness[i] > 0
                              and split.group.get(i) == group), key=lambda i: -split.firmness[i])
            backers = [i for i in answers for agreement, backed in split.backs.items() if backed == i]
            label = choose_label(label_candidates(thread, answers, backers), weights[side], names) if answers else None
            if label:
                labels[label_key(group, side)] = label
    posts = []
    for post in thread.posts:
        camp = camps[post.index]
        weight = weights[camp] if camp is not None else {}
        answer = roles[post.index] is Role.ANSWER
        quoted = [Quotable(s, w) for s, w in quotables(post.text, weight, names)] if answer else []
        target = targets.get(post.index)
        claim = choose_label([(s, 1.0 / (1 + CLAIM_DECAY * i))
                              for i, s in enumerate(standing_alone(sentences(own_words(post.text)))[:CLAIM_SENTENCES])],
                             weight, names) if answer else None
        posts.append(PostAnalysis(
            index=post.index, role=roles[post.index].value, target=target.index if target else None,
            evidence=target.evidence if target else None, stance=stances.get(post.index, NEUTRAL).sign,
            camp=camp, firmness=round(split.firmness.get(post.index, 0.0), 5),
            margin=round(split.margin.get(post.index, 0.0), 5), group=split.group.get(post.index),
            claim=claim, quotables=tuple(quoted),
            terms=tuple(sorted(set(post_terms(post.text)))) if answer else (), verdict=given.get(post.index)))
    by_doubt = sorted(split.camp, key=lambda i: abs(split.margin[i]))
    answers = sorted(split.camp, key=lambda i: -abs(split.margin[i]))
    shape = TWO_CAMPS if split.two_sided else _one_or_several(roles, stances, split)
    return ThreadAnalysis(
        thread_id=thread.id, content_hash=content_hash, version=analyser_version(), posts=tuple(posts),
        shape=shape, confidence=round(split.confidence, 5), labels=labels,
        overall=choose_label(label_candidates(thread, answers, list(split.backs)), {}, names),
        common_grounds=_common_grounds(thread, by_doubt, split.group) if split.two_sided else (),
        move=thread_move(thread), roles=roles_named(thread.title))


def _one_or_several(roles: dict[int, Role], stances: dict[int, Stance], split: CampSplit) -> str:
    """A thread without two camps holds one position when nobody disagrees and agreements tie
    every answer to the others; otherwise several opinions without a two-way split (real
    threads rarely mark agreement, so an answer nobody agreed with is not taken to agree)."""
    answers = [i for i, role in roles.items() if role is Role.ANSWER]
    tied = [i for i in answers if split.firmness.get(i, 0.0) > 0]
    if any(s.sign < 0 for s in stances.values()) or len(tied) < max(2, len(answers)):
        return SEVERAL_OPINIONS
    return ONE_POSITION


def _common_grounds(thread: Thread, by_doubt: list[int], groups: dict[int, int]) -> tuple[tuple[int, int, str], ...]:
    """(group, post index, sentence) for each group of answers (`groups`: post index -> group)
    with a sentence weighing both its camps (`labels.common_ground`), among its answers and those
    of no group, least sure of their camp (`by_doubt`) first: another group's "it depends" weighs
    another debate (a trial's "titles ... depend on the organisation" under manager-or-IC views)."""
    found = []
    for group in sorted({g for g in groups.values() if g is not None}):
        ground = common_ground(thread, [i for i in by_doubt if groups.get(i) in (group, None)])
        if ground is not None:
            found.append((group, *ground))
    return tuple(found)
