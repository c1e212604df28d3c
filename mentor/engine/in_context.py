"""A turn in its conversation: the quotes chosen for what it asks, the next questions to suggest,
and the state the conversation keeps (what the person said, the topic and threads in play).

`Engine.gather` reads the turn (`follow_up.read_turn`), finds its threads and their views (the
ones in play, or fresh ones), and hands them here:

- a recommendation gets, per side, the sentences that speak to the person's situation, and the
  advice that fits it best; a how-to request, the concrete steps each side gave; a question on the
  same discussion ("why?", "tell me more"), the sentences on its own words (else on the topic's)
  from posts the conversation has not shown yet; those become the views' quotes;
- the options the person weighs ("learn to code or double down on stakeholder skills") each get
  the sentence that speaks to them most;
- the suggestions ("You might also ask") are the kinds of follow-up not yet asked on this topic,
  then discussions near the topic and the person's situation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from mentor.corpus.model import Thread
from mentor.engine.conversation import Conversation
from mentor.engine.events import Evidence, Point, PostKey
from mentor.engine.follow_up import Kind, Reading, Topic, suggestion, topic_name
from mentor.engine.perspectives import Views
from mentor.engine.points import (
    MIN_STEP_SCORE,
    Pool,
    Sentence,
    advice_score,
    focus_score,
    option_points,
    situation_score,
    step_score,
)
from mentor.engine.retrieve import Retrieval
from mentor.engine.situation import industry_words, read_situation
from mentor.engine.text import terms

if TYPE_CHECKING:
    from mentor.engine.engine import Engine

#: "You might also ask": at most this many.
SUGGESTIONS = 3
#: A discussion's title is offered as a next question only when it reads as one: real titles
#: such as "howCouldThisHappen" or "so_pms_are_required_to_ai_develop_now" do not.
MIN_TITLE_WORDS = 3
#: Quotes per side for a recommendation, a how-to request or a question on the same discussion.
POINTS_PER_SIDE = 2
#: Steps per side for a how-to request (a plan's months may come from one post).
STEPS_PER_SIDE = 3
#: A sentence speaks to the person's situation when it scores at least this (one rare shared word
#: scores about 2-4 among a thread's sentences; an industry phrase 2.5).
MIN_FIT = 1.5
#: A first answer or a new topic quotes one sentence "for you" when one scores at least this.
MIN_FOR_YOU = 3.0
#: "Tell me more" quotes any sentence not shown yet that stands alone, those sharing the
#: follow-up's and the topic's words first: each counts this much besides its shared words' weight.
MORE_BASE = 0.1
#: A word the person used that nearly every discussion holds (rarity, log N/df, under this:
#: "company" and "mostly" are in 56 and 55 of the starter's 57) shows nothing of what a sentence
#: speaks to: "I'm a PM at a 900-person B2B company, I mostly write tickets" was weighed by "The
#: AI PM roles I've seen at three companies were mostly: ...", and "what would you do?" right
#: after found nothing, contradicting it (a trial user's, 2026-11-30).
COMMON_RARITY = 0.2
#: Another discussion speaks for an option the question's own does not when it is the best for the
#: option's words, and in play or among this many best for the question.
OPTION_RANK = 5
#: The kinds of answer whose views quote the chosen sentences of a reason instead of their own.
_ANSWERS_WITH_POINTS = {Kind.RECOMMENDATION: "situation", Kind.HOW_TO: "step", Kind.MORE: "focus"}


def shape_turn(engine: Engine, conversation: Conversation, reading: Reading,
               found: list[tuple[Thread, Views]], retrieval: Retrieval | None) -> Evidence:
    """The evidence of the turn `reading` describes, from the threads and views `found`; keeps
    the conversation's situation and topic up to date.

    A request for a kind of answer that moves ("different question: how do I negotiate my
    salary?") is answered from the discussion it moves to alone: a second one joined for a near
    tie on shared words (a burnout thread on "salary") gave the steps its first lacked, and the
    answer came from the topic the turn had just left, by a trial user's account (2026-11-30)."""
    if reading.moved and reading.kind in _ANSWERS_WITH_POINTS:
        found = found[:1]
    threads = [thread for thread, _ in found]
    sides = _sides(found)
    quoted = {sentence for _, views in found for view in views.views for _, sentence in view.quotes}
    rarity = corpus_rarity(engine)
    shown = conversation.shown() if reading.kind is Kind.MORE else set()
    told = conversation.quoted() if reading.kind is Kind.MORE else set()
    asked = frozenset(terms(reading.focus)) - frozenset(terms(conversation.topic.query)) \
        if reading.kind is Kind.MORE and conversation.topic is not None else frozenset()
    pool = Pool(threads, sides, skip=shown, quoted=told, asked=asked)
    chosen = choose(_with_told(conversation, reading), pool, quoted, rarity) if threads else []
    chosen += _options_elsewhere(engine, reading, threads, chosen, rarity)
    chosen += _situation_elsewhere(engine, reading, threads, chosen)
    if reading.kind in _ANSWERS_WITH_POINTS:
        found = _with_quotes(found, [p for p in chosen if p.reason == _ANSWERS_WITH_POINTS[reading.kind]])
        found = _as_shown(found, reading.kind, chosen)
    extra = tuple(dict.fromkeys(point.key for point in chosen if point.side is None))
    evidence = engine.assemble(conversation, reading.question, reading.query, found, (), extra)
    evidence = _without_shown_ground(evidence, shown)
    points = tuple(Point(conversation.number(p.key), p.text, p.side, p.reason, p.about, p.score) for p in chosen)
    reading = _keep_state(conversation, reading, threads)
    return replace(evidence, reading=reading, points=points,
                   follow_ups=suggestions(engine, conversation, retrieval),
                   closest_only=retrieval is not None and retrieval.loose and bool(evidence.perspectives))


def _with_told(conversation: Conversation, reading: Reading) -> Reading:
    """`reading`, and for a recommendation, with the words the person used of themselves in
    the earlier recommendations on the topic in play beside its own focus ("I mostly write
    tickets and run standups"): "what would you do?" right after such a turn had lost them and
    weighed the sides anew, contradicting it (a trial user's, 2026-11-30)."""
    topic = conversation.topic
    if reading.kind is not Kind.RECOMMENDATION or not reading.stays or topic is None:
        return reading
    earlier = [turn.answer.evidence.reading.focus for turn in conversation.turns
               if turn.answer is not None and turn.answer.evidence.reading is not None
               and turn.topic is not None and turn.topic.threads == topic.threads
               and turn.answer.evidence.reading.kind is Kind.RECOMMENDATION]
    return replace(reading, focus=" ".join(dict.fromkeys([*earlier, reading.focus])).strip())


def choose(reading: Reading, pool: Pool, quoted: set[str], rarity: Callable[[str], float]) -> list[Sentence]:
    """The sentences that speak to what `reading` asks (see the module's description); `rarity`
    weighs a word by how few discussions of the corpus hold it."""
    situation = reading.situation
    if reading.kind is Kind.RECOMMENDATION:
        asks = [kind for kind, _ in reading.asks]  # "which is less risky?": what speaks to that
        focus = " ".join(word for word in reading.focus.split()
                         if any(rarity(term) >= COMMON_RARITY for term in terms(word)))
        fits = [p for p in pool.best(situation_score(pool, situation, focus, asks), "situation",
                                     per_side=POINTS_PER_SIDE, minimum=MIN_FIT) if p.side is not None]
        taken = [p.text for p in fits]
        advice = sorted(pool.best(advice_score(pool, situation, focus, asks), "advice",
                                  avoid=set(taken) | quoted),
                        key=lambda p: -p.score)[:1]
        taken += [p.text for p in advice]
        return fits + advice + option_points(pool, situation.weighing, rarity, avoid=taken, threads=pool.order[:1])
    if reading.kind is Kind.HOW_TO:
        steps = pool.best(step_score(pool, situation, reading.focus), "step", per_side=STEPS_PER_SIDE,
                          per_post=STEPS_PER_SIDE, minimum=MIN_STEP_SCORE)
        return pool.between(steps)
    if reading.kind is Kind.MORE:  # `pool` holds only the posts not shown yet: the rest of the
        # discussion, what speaks to the follow-up's own words first (they count twice), then the topic's
        topic, own = focus_score(pool, reading.query, base=MORE_BASE), focus_score(pool, reading.focus)
        return pool.best(lambda sentence, words: topic(sentence, words) + own(sentence, words), "focus",
                         per_side=POINTS_PER_SIDE)
    # Both sides (a first worry, a new topic): the views keep their quotes; the options this
    # question weighs get theirs, and one sentence may speak to the person's situation.
    chosen = option_points(pool, read_situation(reading.question).weighing, rarity, avoid=quoted,
                           threads=pool.order[:1])  # another discussion only when it is on the option
    if situation:
        taken = quoted | {p.text for p in chosen}
        fit = pool.best(situation_score(pool, situation), "situation", minimum=MIN_FOR_YOU, avoid=taken)
        chosen += sorted(fit, key=lambda p: -p.score)[:1]
    return chosen


def _without_shown_ground(evidence: Evidence, shown: set[PostKey]) -> Evidence:
    """`evidence` without its common ground when that post was shown before (a "tell me more"
    brings only what is new)."""
    ground = evidence.common_ground
    source = evidence.source(ground.n) if ground is not None else None
    if source is None or (source.thread_id, source.post_index) not in shown:
        return evidence
    return replace(evidence, common_ground=None)


def _options_elsewhere(engine: Engine, reading: Reading, threads: list[Thread], chosen: list[Sentence],
                       rarity: Callable[[str], float]) -> list[Sentence]:
    """For each option of the turn that no sentence of the question's own discussion (the first in
    play) speaks for, the sentence that does in the best other discussion for the option's words,
    when that one is in play or among the `OPTION_RANK` best for the question (a worry's two halves
    are often argued in two threads). Not a discussion that only says the option's words: a trial
    user's "should I stay a PM or go back to being a software engineer?" got, for "stay a PM", a
    sentence on delivery dates ("… stays a range until the spike is done"), from the discussion
    joined for sharing the question's words, and one on job hopping ("my friends who stayed put"),
    the best for "stay a PM" (2026-11-30)."""
    if reading.kind not in (Kind.BOTH_SIDES, Kind.TOPIC_CHANGE, Kind.RECOMMENDATION) or not threads:
        return []
    weighing = (reading.situation.weighing if reading.kind is Kind.RECOMMENDATION
                else read_situation(reading.question).weighing)
    covered = {p.about for p in chosen if p.reason == "option"}
    uncovered = [option for option in weighing if option not in covered]
    if not uncovered:
        return []
    own = threads[0].id
    near = {thread.id for thread in threads} | {t for t, _ in engine.rank_threads(reading.query)[:OPTION_RANK]}
    found: list[Sentence] = []
    for option in uncovered:
        best = next((t for t, _ in engine.rank_threads(option) if t != own), None)
        other = engine.threads.get(best) if best in near else None
        if other is not None:
            found += option_points(Pool([other], {}), [option], rarity, avoid={p.text for p in chosen + found})
    return found


def _situation_elsewhere(engine: Engine, reading: Reading, threads: list[Thread], chosen: list[Sentence]
                         ) -> list[Sentence]:
    """For a recommendation to someone whose industry nothing in play speaks of, the sentence
    that does in the best other discussion of the topic in that industry."""
    industry = reading.situation.industry
    if reading.kind is not Kind.RECOMMENDATION or not industry:
        return []
    words = industry_words(industry)
    if any(words.search(p.text) for p in chosen):
        return []
    in_play = {thread.id for thread in threads}
    query = f"{reading.query} {industry}"
    other = next((engine.threads[t] for t, _ in engine.rank_threads(query) if t not in in_play), None)
    if other is None:
        return []
    pool = Pool([other], {})
    fit = pool.best(situation_score(pool, reading.situation), "situation", minimum=MIN_FOR_YOU,
                    avoid={p.text for p in chosen})
    return [replace(p, about=other.title) for p in sorted(fit, key=lambda p: -p.score)[:1]
            if words.search(p.text)]


def corpus_rarity(engine: Engine) -> Callable[[str], float]:
    """A stemmed word's inverse document frequency over the corpus's discussions (log N/df,
    smoothed), from the whole-thread BM25 index; remembered for the turn."""
    total = len(engine.threads)
    seen: dict[str, float] = {}

    def rarity(term: str) -> float:
        if term not in seen:
            holding = engine.retriever.whole_threads.document_frequency(term)
            seen[term] = math.log((1 + total) / (1 + holding))
        return seen[term]

    return rarity


def _sides(found: list[tuple[Thread, Views]]) -> dict[PostKey, int]:
    """Each view's posts -> the index its perspective will have in the evidence."""
    sides: dict[PostKey, int] = {}
    offset = 0
    for _, views in found:
        for i, view in enumerate(views.views):
            for key in view.posts:
                sides.setdefault(key, offset + i)
        offset += len(views.views)
    return sides


def _with_quotes(found: list[tuple[Thread, Views]], chosen: Sequence[Sentence]
                 ) -> list[tuple[Thread, Views]]:
    """The views with the chosen sentences of their side as their quotes (a side none speaks
    for keeps its own)."""
    out = []
    offset = 0
    for thread, views in found:
        changed = []
        for i, view in enumerate(views.views):
            mine = [p for p in chosen if p.side == offset + i]
            if mine:
                keys = tuple(dict.fromkeys(p.key for p in mine))
                view = replace(view, quotes=tuple((p.key, p.text) for p in mine),
                               posts=keys + tuple(k for k in view.posts if k not in keys))
            changed.append(view)
        offset += len(views.views)
        out.append((thread, replace(views, views=tuple(changed))))
    return out


def _as_shown(found: list[tuple[Thread, Views]], kind: Kind, chosen: Sequence[Sentence]
              ) -> list[tuple[Thread, Views]]:
    """`found` for a follow-up answered with chosen sentences (`turn_answer`), holding no post its
    answer neither quotes nor shows a view of, so that none is listed under it "not quoted": only
    "tell me more" shows where the views meet; how to start and more show only the views that hold
    a sentence of the answer (when one does: else they name every view), and a recommendation the
    views of its first discussion and of another that holds one. The others keep their names, and
    no post but those of the answer's other sentences (an option's, the advice). A trial user's
    how-to after "different question: …" listed six posts "(listed under a view; not quoted)" under
    an answer that showed no view, and where they meet "(not quoted)"."""
    reason = _ANSWERS_WITH_POINTS[kind]
    holding = {p.side for p in chosen if p.reason == reason}
    only_holding = kind is not Kind.RECOMMENDATION and bool(holding)
    out = []
    offset = 0
    for number, (thread, views) in enumerate(found):
        kept = []
        for i, view in enumerate(views.views):
            shown = offset + i in holding or (number == 0 and not only_holding) or (
                kind is not Kind.RECOMMENDATION and not holding)
            quoted = tuple(dict.fromkeys(p.key for p in chosen if p.side == offset + i))
            kept.append(view if shown else replace(view, posts=quoted, quotes=(), supporters=0))
        offset += len(views.views)
        out.append((thread, replace(views, views=tuple(kept),
                                    common_ground=views.common_ground if kind is Kind.MORE else None)))
    return out


def _keep_state(conversation: Conversation, reading: Reading, threads: list[Thread]) -> Reading:
    """Record the turn in the conversation's state; the reading with its topic's name."""
    conversation.situation = reading.situation
    topic = conversation.topic
    if reading.stays and topic is not None:
        topic.asked.add(reading.kind)
        return reading
    if not threads:
        return reading
    name = reading.topic or topic_name(reading.focus, threads[0])
    conversation.topic = Topic(name=name, query=reading.query, threads=tuple(t.id for t in threads),
                               asked={reading.kind})
    return replace(reading, topic=name)


def suggestions(engine: Engine, conversation: Conversation, retrieval: Retrieval | None) -> tuple[str, ...]:
    """Next questions for the conversation: the kinds of follow-up not yet asked on its topic,
    then the titles of discussions near its topic and the person's situation (with a post that
    speaks to the topic directly, where the embedder can tell: `Retriever.speaking_to`)."""
    topic = conversation.topic
    if topic is None:
        return ()
    asked = {turn.question.casefold() for turn in conversation.turns}
    out: list[str] = []
    for kind in (Kind.RECOMMENDATION, Kind.HOW_TO):  # asked again on a new topic, they answer anew
        text = suggestion(kind)
        if kind not in topic.asked and text:
            out.append(text)
    situation = conversation.situation
    if retrieval is not None and not situation.industry:
        ranked = [hit.thread_id for hit in retrieval.threads]
    else:
        ranked = engine.related_threads(f"{topic.query} {situation.industry or ''}")
    # None: no measure of near, every one offered. This turn's search read the nearness already.
    near = retrieval.speaking if retrieval is not None else engine.retriever.speaking_to(topic.query)
    titles = [thread.title for thread_id in ranked if (thread := engine.threads.get(thread_id)) is not None
              and thread_id not in topic.threads and thread.title.casefold() not in asked
              and len(thread.title.split()) >= MIN_TITLE_WORDS and (near is None or thread_id in near)]
    # a discussion offered under the last answer and not taken gives way to the next ones
    offered = {title for turn in conversation.turns[-1:] if turn.answer is not None
               for title in turn.answer.evidence.follow_ups}
    out += [title for title in titles if title not in offered] + [title for title in titles if title in offered]
    return tuple(out[:SUGGESTIONS])
