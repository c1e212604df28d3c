"""Reading a turn in its conversation: what kind of answer it asks for, what it is about, and
whether it stays on the topic in play or moves to a new one.

The kinds (`Kind`): the first worry of a conversation gets both sides; a follow-up asks for a
recommendation ("what would you do in my position?"), for how to start ("how do I start if I only
have 3 hours a week?"), for more on the same discussion ("why do researchers care so much?"), or
changes the topic ("what about moving to a startup instead?"). A turn that is only thanks, an
acknowledgement or a greeting ("thanks, that helps", "hi") is small talk: answered in a line,
with no search, keeping the topic. Cue phrases, change words, small talk and filler words come
from `vocabulary/follow_up.toml`; facts about the person (`situation.py`) are context, never a
subject to search.

Whether a follow-up moves: its *focus* is its own words less cues, filler, facts about the person
and the words the topic already has. A follow-up that says "instead" (or another strong change
word, or marks a new question: "different question: …") moves when the best thread for its new
words is not the topic's own. One that asks for a kind of answer (a recommendation, how to
start, more on it), or adds only one word of its own ("and if I stay?": `adds_a_word`),
otherwise stays, the words it adds being its circumstances ("how do I start with a sceptical
VP?"), unless they name another topic (`topics.toml`: "how do I negotiate a
higher salary?" after a burnout worry) and the best thread for its new words is not the topic's:
then it moves and keeps its kind (`_names_another_topic`). Any other follow-up moves when the
best thread for its new words is another (a second thread in play may be it) and the topic's
own thread either matches them clearly worse (under `CLEAR_SHARE` of the best one's BM25 score)
or is neither among the `STAY_RANK` best for them nor close to the best (`STAY_SHARE`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache

from mentor.corpus.model import Thread
from mentor.engine.phrases import Phrases, numbers, strings, vocabulary, without
from mentor.engine.situation import Situation, asks_about, read_situation, situation_spans
from mentor.engine.text import terms

#: A follow-up's new words stay on the topic when the topic's thread is among this many best
#: threads for them ...
STAY_RANK = 5
#: ... or scores at least this share of the best thread's whole-thread BM25 score (whole-thread
#: scores are close together: the words every thread shares count in all of them).
STAY_SHARE = 0.8
#: Whatever its place, the topic's thread gives way when it scores under this share of the best
#: thread's: the new words match another discussion clearly better. A trial user's "Is a CSPO
#: certification worth the money?" after a worry about AI found the certification thread at 6.7
#: and the AI thread third at 2.7 (0.40: its "€3,000 certificate"), and stayed on AI. In the
#: labelled conversations every follow-up labelled as a move scores under 0.82 and the one
#: labelled "more" that is ranked 1.31; the kept follow-ups of a probe (2026-11-30: "what about an
#: executive MBA?", "is 38 too old for it?" after the MBA worry) 0.53 and above. The rule holds
#: for the second thread in play too: "should I leave product management altogether?" after a
#: burnout worry matches the leaving discussion in play beside it (the burnout one at 0.47), which
#: becomes the topic.
CLEAR_SHARE = 0.5
_FILE = "mentor/engine/vocabulary/follow_up.toml"

#: Ranks threads for a query, best first: (thread id, whole-thread BM25 score).
Rank = Callable[[str], Sequence[tuple[str, float]]]


class Kind(StrEnum):
    """The kind of answer a turn asks for."""

    BOTH_SIDES = "both_sides"
    RECOMMENDATION = "recommendation"
    HOW_TO = "how_to"
    MORE = "more"
    TOPIC_CHANGE = "topic_change"
    SMALL_TALK = "small_talk"


@dataclass
class Topic:
    """What the conversation is about: a name, the words that define it (the worry, or the
    follow-up that moved to it), the threads in play, and the kinds of follow-up asked on it."""

    name: str
    query: str
    threads: tuple[str, ...]
    asked: set[Kind] = field(default_factory=set)


@dataclass(frozen=True)
class Reading:
    """How the engine read one turn.

    `query` is what retrieval searches (the topic's words for a follow-up that stays); `focus`
    the follow-up's own subject ("moving to a startup"), empty when it only asks for a kind of
    answer; `moved` whether it leaves the threads in play; `situation` everything the person has
    said so far; `previous_topic` the topic it comes from, for the bridge of a move.
    """

    kind: Kind
    question: str
    query: str
    focus: str = ""
    follow_up: bool = False
    moved: bool = False
    situation: Situation = Situation()
    topic: str = ""
    previous_topic: str = ""
    #: What the question asks about among the goals and constraints mentor weighs, as (kind, the
    #: person's words), when saying it tells nothing new ("which is less risky?", "what about the
    #: pay cut?" from someone who said they are the only earner): `asked_about`.
    asks: tuple[tuple[str, str], ...] = ()

    @property
    def stays(self) -> bool:
        """A follow-up answered from the threads already in play."""
        return self.follow_up and not self.moved

    def to_json(self) -> dict[str, object]:
        return {"kind": self.kind.value, "follow_up": self.follow_up, "moved": self.moved, "focus": self.focus,
                "topic": self.topic, "previous_topic": self.previous_topic,
                "situation": self.situation.to_json()}


@dataclass(frozen=True)
class _Cues:
    kinds: dict[Kind, Phrases]
    strong: Phrases
    weak: Phrases
    hypothetical: Phrases
    filler: frozenset[str]
    suggestions: dict[str, str]
    topics: tuple[tuple[str, Phrases], ...]
    small_talk: dict[str, Phrases]
    any_small_talk: Phrases


@cache
def cues() -> _Cues:
    """The phrase lists of follow_up.toml and topics.toml, compiled once."""
    data = vocabulary("follow_up")
    kinds = data.get("kinds", {})
    change = data.get("change", {})
    topics = vocabulary("topics").get("topics", {})
    talk = data.get("small_talk", {})
    return _Cues(
        kinds={kind: Phrases(strings(kinds, kind.value, f"{_FILE} [kinds]"))
               for kind in (Kind.RECOMMENDATION, Kind.HOW_TO, Kind.MORE)},
        strong=Phrases(strings(change, "strong", f"{_FILE} [change]")
                       + strings(change, "new_question", f"{_FILE} [change]")),
        weak=Phrases(strings(change, "weak", f"{_FILE} [change]")),
        hypothetical=Phrases(strings(change, "hypothetical", f"{_FILE} [change]")),
        filler=frozenset(w.replace("'", "") for w in strings(data.get("filler", {}), "words", f"{_FILE} [filler]")),
        suggestions={k: v for k, v in data.get("suggestions", {}).items() if isinstance(v, str)},
        topics=tuple((name, Phrases(strings(topics, name, "mentor/engine/vocabulary/topics.toml [topics]")))
                     for name in topics),
        small_talk={group: Phrases(strings(talk, group, f"{_FILE} [small_talk]")) for group in talk},
        any_small_talk=Phrases(phrase for group in talk for phrase in strings(talk, group, f"{_FILE} [small_talk]")))


def ask_kind(question: str) -> tuple[Kind | None, list[tuple[int, int]]]:
    """The kind of answer `question` asks for by its cue phrases (the longest cue wins), and
    where its cues are."""
    best: tuple[int, Kind] | None = None
    spans = []
    for kind, phrases in cues().kinds.items():
        for found in phrases.find(question):
            spans.append((found.start, found.end))
            if best is None or found.end - found.start > best[0]:
                best = (found.end - found.start, kind)
    return (best[1] if best else None), spans


def focus_of(question: str, spans: list[tuple[int, int]]) -> str:
    """The words of `question` that name a subject: cues, change words, facts about the person
    and filler left out ("What about moving to a startup instead?" -> "moving startup")."""
    cue = cues()
    spans = spans + [(f.start, f.end) for f in cue.strong.find(question) + cue.weak.find(question)
                     + cue.hypothetical.find(question)
                     + cue.any_small_talk.find(question)]
    spans += situation_spans(question)
    words = without(question, spans).replace("?", " ").split()
    kept = [w for w in words if (bare := w.strip(".,!;:()\"'“”’").lower().replace("’", "'"))
            and bare.replace("'", "") not in cue.filler and bare not in numbers()]
    return " ".join(w.strip(".,!;:()\"“”") for w in kept if terms(w))


def small_talk(question: str) -> str | None:
    """The group of follow_up.toml's [small_talk] ("thanks", "acknowledgements", "greetings") when
    `question` is only small talk, the first group found in it winning; None when it asks or says
    anything else: a kind cue, a change word, a fact about the person, a word of a subject, or a
    question mark ("Is that good?" asks)."""
    cue = cues()
    if question.rstrip().endswith("?") or not cue.any_small_talk.search(question) or ask_kind(question)[0] is not None:
        return None
    if (cue.strong.search(question) or cue.weak.search(question) or cue.hypothetical.search(question)
            or read_situation(question)):
        return None
    if focus_of(question, []):
        return None
    return next(group for group, phrases in cue.small_talk.items() if phrases.search(question))


def read_turn(situation: Situation, topic: Topic | None, question: str, rank: Rank) -> Reading:
    """How to answer `question` after what the person said (`situation`) on `topic` (None for the
    conversation's first turn); `rank` ranks threads for the follow-up's focus."""
    if small_talk(question):
        return Reading(kind=Kind.SMALL_TALK, question=question, query="", follow_up=topic is not None,
                       situation=situation, topic=topic.name if topic is not None else "")
    said = read_situation(question)
    before, situation = situation, situation.updated(said)
    if topic is None:
        kind, spans = ask_kind(question)
        # "what would you do in my position?" first, or only facts ("I'm 41, 8 years in fintech as
        # a PM, two kids"): nothing to search yet; the facts are kept for the worry to come
        if (kind is not None or said) and not focus_of(question, spans):
            return Reading(kind=Kind.SMALL_TALK, question=question, query="", situation=situation)
        focus = focus_of(question, [])
        return Reading(kind=Kind.BOTH_SIDES, question=question, query=question, situation=situation,
                       focus=focus, topic=topic_name(focus))
    kind, spans = ask_kind(question)
    focus = focus_of(question, spans)
    cue = cues()
    strong = cue.strong.search(question) is not None
    known = set(terms(topic.query))
    new = [word for word in focus.split() if set(terms(word)) - known]
    # Facts about themselves, told, not asked ("I'm 29, a QA tester for 6 years at an insurer, and
    # a toddler at home"): a new circumstance, no new topic, unless the rest of what they tell
    # names one ("I'm burned out after six years as a PM" after an MBA: a trial, 2026-11-30).
    telling = bool(said) and not question.rstrip().endswith("?")
    words = " ".join(new)
    if strong:  # "what about a part-time MBA instead?" leaves for no other thread: all it names is the topic's own
        moved = bool(new) and _elsewhere(words, topic.threads, rank, strong=True) \
            and _elsewhere(focus, topic.threads, rank, strong=True)
    elif telling or kind is not None or adds_a_word(question, focus):  # moves only to a subject it names
        subject = without(question, spans + situation_spans(question))
        moved = _names_another_topic(subject, topic) and _elsewhere(words, topic.threads, rank, strong=True)
    else:
        moved = bool(new) and _elsewhere(words, topic.threads, rank)
    if kind is None:
        if moved:
            kind = Kind.TOPIC_CHANGE
        elif (not focus or telling) and said:  # only a new circumstance ("I have two kids"): weigh again
            # how to start again only for what sizes its steps, the time they have ("I have 3
            # hours a week"); "I'm 41, the only earner, two kids" after "how do I start?" got the
            # same steps again, the facts unused (a trial user's, 2026-11-30): the sides are weighed
            sizes_steps = said.hours_per_week is not None or "time" in said.constraints
            kind = Kind.HOW_TO if Kind.HOW_TO in topic.asked and sizes_steps else Kind.RECOMMENDATION
        else:
            kind = Kind.MORE
    elif kind is Kind.MORE and moved:
        kind = Kind.TOPIC_CHANGE
    query = f"{focus} {focus} {question}" if moved else f"{topic.query} {focus}".strip()
    if moved:
        situation = _left_behind(situation, said)
    return Reading(kind=kind, question=question, query=query, focus=focus, follow_up=True, moved=moved,
                   situation=situation, topic=topic_name(focus or question) if moved else topic.name,
                   previous_topic=topic.name if moved else "", asks=asked_about(question, before, said))


def asked_about(question: str, before: Situation, said: Situation) -> tuple[tuple[str, str], ...]:
    """The goals and constraints `question` asks about (`situation.asks_about`) that are no new
    fact about the person: a goal named without saying it is theirs ("which is less risky?"), or
    one they had told already ("what about the pay cut?" after "I'm the only earner"). A new fact
    ("which would you pick if I have a mortgage?") is weighed with the rest of their situation;
    one they had told is what this turn asks about, or the answer would be the last one again: a
    trial user's "which is less risky for me?" and "what about the pay cut?" each got "Nothing you
    have told me since changes my answer just above" (2026-11-30), their subject being a cue of a
    recommendation ("less risky") or a fact already known ("pay cut") and so not searched."""
    known = before.constraints + before.goals
    new = said.constraints + said.goals
    return tuple((kind, words) for kind, words in asks_about(question) if kind in known or kind not in new)


def adds_a_word(question: str, focus: str) -> bool:
    """Whether a follow-up puts a case to the topic in play rather than naming a subject: its own
    words (`focus`) are one word at most and it says no change word that brings a subject ("what
    about", "moving to": follow_up.toml's `weak` and `strong`). "and if I stay?", "is that
    normal?", "what if I take it and hate it?" ask about the topic; one word of theirs, ranked
    alone, matches whichever thread says it most ("stay": the job-hopping thread, over the MBA
    one in play) and, gated alone, lies far from every post. A trial user's three such follow-ups
    each left the topic (2026-11-30). Like a request for a kind of answer, it still moves to a
    topic it names ("and an MBA?")."""
    cue = cues()
    return len(focus.split()) <= 1 and not cue.weak.search(question) and not cue.strong.search(question)


def read_title(situation: Situation, topic: Topic | None, question: str, thread: Thread) -> Reading:
    """How to answer `question` when it is `thread`'s title (a suggested discussion taken, or a
    title typed out): a follow-up moves to that discussion (or asks for more of it, when it is in
    play); a first question is searched as any other. A title's words say nothing about the
    person ("Data analyst with 3 years of SQL ..." is not their 3 years), so `situation` stays."""
    name = topic_name(question, thread)
    if topic is None:
        return Reading(kind=Kind.BOTH_SIDES, question=question, query=question, situation=situation, topic=name)
    if thread.id in topic.threads:
        return Reading(kind=Kind.MORE, question=question, query=topic.query, follow_up=True,
                       situation=situation, topic=topic.name)
    return Reading(kind=Kind.TOPIC_CHANGE, question=question, query=question, follow_up=True, moved=True,
                   situation=_left_behind(situation, Situation()), topic=name, previous_topic=topic.name)


def _left_behind(situation: Situation, said: Situation) -> Situation:
    """`situation` on a new topic: the options of an "A or B?" belong to the topic they were asked
    about, and a time budget to the plan it was said for ("how do I start if I only have 3 hours
    a week?"), so only those the moving turn states (`said`) stay; who the person is (role, years,
    industry, age, money, family, where they live, what they want) goes on with them. A trial
    user's "PMP or CSPO?" was still weighed, option by option, after a move to an MBA, and "different
    question: how do I negotiate the salary for my first PM offer?" was answered "with about 3 hours
    a week in mind", from a how-to on learning SQL (2026-11-30)."""
    constraints = tuple(kind for kind in situation.constraints if kind != "time" or "time" in said.constraints)
    return replace(situation, weighing=said.weighing, hours_per_week=said.hours_per_week, constraints=constraints)


def _elsewhere(words: str, in_play: tuple[str, ...], rank: Rank, strong: bool = False) -> bool:
    """Whether the best thread for `words` is another than the topic's own (the first in play;
    a second one in play, joined for a near tie, may be it) and (unless the turn said already that
    it leaves, `strong`: a change word, or a topic of its own named) the topic's own scores under
    `CLEAR_SHARE` of the best one's BM25 score, or is neither among the `STAY_RANK` best for them
    nor scores `STAY_SHARE` of it."""
    ranked = list(rank(words))
    if not ranked or ranked[0][0] == in_play[0]:
        return False
    if strong:
        return True
    place = next((i for i, (thread_id, _) in enumerate(ranked) if thread_id == in_play[0]), None)
    if place is None:
        return True
    own, best = ranked[place][1], ranked[0][1]
    return own < CLEAR_SHARE * best or place >= STAY_RANK and own < STAY_SHARE * best


def _names_another_topic(words: str, topic: Topic) -> bool:
    """Whether a request for a kind of answer names a subject of its own: its `words` (the
    question without its cues and facts about the person, so "only study on weekends" names no
    topic) name a topic first (`topics.toml`) and that topic is not the one in play.

    Its new words are otherwise its circumstances, and no ranking tells those from a subject: in
    the labelled conversations "making the move without quitting my job", "with a sceptical VP",
    "the first 90 days" score the topic's own thread under `CLEAR_SHARE` of the best (0.19, 0.06,
    0.28) and stay, while a trial user's "how do I negotiate a higher salary in my offer?" after a
    burnout worry scores the burnout thread above the negotiation one (2.82 against 2.29: it
    speaks of salaries) and must move (2026-11-30)."""
    named = _earliest_topic(words)
    return bool(named) and named.casefold() != topic.name.casefold()


def topic_name(words: str, thread: Thread | None = None) -> str:
    """A name for what `words` are about: the topic (topics.toml) named first in them, else in the
    thread's title, else the thread's first tag; "" when none says (a title is a question or a
    sentence, never a name: "I feel like I'm under attack")."""
    for text in (words, thread.title if thread is not None else ""):
        named = _earliest_topic(text)
        if named:
            return named
    if thread is not None and thread.tags:
        return thread.tags[0].replace("-", " ")
    return ""


def _earliest_topic(text: str) -> str:
    """The topic whose phrase comes first in `text` (the longer phrase on a tie)."""
    found = [(hit.start, -(hit.end - hit.start), name) for name, phrases in cues().topics
             if (hit := phrases.search(text)) is not None]
    return min(found)[2] if found else ""


def suggestion(kind: Kind) -> str | None:
    """The suggested follow-up that asks for `kind` (follow_up.toml's [suggestions])."""
    return cues().suggestions.get(kind.value)
