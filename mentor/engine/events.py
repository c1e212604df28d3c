"""What the engine hands its shells (CLI, TUI): the evidence, the answer, and the events of one turn.

`Engine.ask` yields, in order: one `SourcesFound` as soon as retrieval and the perspective split
are done, then (with a model) `Reading`s while the model evaluates the prompt (one before it
starts, then one after each batch it read), then `Token`s as the answer is written (one per model
token, or the whole extractive answer at once), then one `AnswerDone`. When the model's answer
fails its check, a `SetAside` follows its `Token`s and the `Token`s after it are the answer in its
place. `Notice` may come at any point (for example, "no model found, answering extractively").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the reader of turns loads with the engine, not with the shells
    from mentor.engine.follow_up import Reading as TurnReading  # not the event `Reading` below

#: How an answer stopped while the model wrote it is marked (the chat's note under it, the last
#: line of `mentor ask`'s): its words are the model's as far as it got, which the answer check
#: (`answer_check.answer_problem`) did not read.
STOPPED = "stopped: not checked against the posts"
#: Why a turn stopped before the model's first word is answered from the posts, quoted (a
#: trial user's Esc while the model read its prompt left an answer of only "stopped").
STOPPED_EARLY = "stopped before the model wrote a word"

#: A post's address: (thread id, 1-based post index).
PostKey = tuple[str, int]


@dataclass(frozen=True)
class Source:
    """A post the answer may cite as `[n]`; `perspective` is the index of the view it holds."""

    n: int
    thread_id: str
    thread_title: str
    post_index: int
    author: str | None
    text: str
    url: str | None
    likes: int | None = None
    reply_to: int | None = None
    perspective: int | None = None

    def reference(self) -> str:
        """`@author, "thread title", post k`: how the source is listed under an answer."""
        who = f"@{self.author}" if self.author else "(unknown author)"
        return f'{who}, "{self.thread_title}", post {self.post_index}'


@dataclass(frozen=True)
class Quote:
    n: int
    sentence: str


@dataclass(frozen=True)
class Point:
    """A quote chosen for what the turn asks: `reason` is "situation", "advice", "step", "focus"
    or "option"; `about` what it speaks to (an option's words); `side` the index of the
    perspective its post holds, if any; `score` how strongly it speaks to it (`points.py`)."""

    n: int
    sentence: str
    side: int | None
    reason: str
    about: str = ""
    score: float = 0.0


@dataclass(frozen=True)
class Perspective:
    """One side of the debate: a label a person understands, its sources and strongest quotes.

    `label` is a claim someone in the thread wrote; it is "" for an opinion (shape "several
    opinions") whose post holds no sentence that stands alone as a claim: it is shown by its quote.
    """

    label: str
    sources: tuple[int, ...]
    quotes: tuple[Quote, ...]
    supporters: int = 0
    thread_title: str = ""
    #: How its thread divides: "two camps", "one position" or "several opinions" (then each
    #: view is one opinion); see `mentor.analysis.model.ThreadAnalysis`.
    shape: str = "two camps"


@dataclass(frozen=True)
class Evidence:
    """What retrieval and the split found for one question: everything an answer may use.

    `perspectives` holds the views of the best-matching thread (two, or one when `one_sided`),
    then those of a second thread when it matched nearly as well (each thread split on its own).
    `reading` says how the turn was read in its conversation (its kind, whether it follows up,
    moves to a new topic, what the person has said); `points` are the quotes chosen for what it
    asks (a recommendation's fit to the situation, steps, each option weighed).
    """

    question: str
    query: str
    sources: tuple[Source, ...]
    perspectives: tuple[Perspective, ...]
    one_sided: bool
    common_ground: Quote | None
    follow_ups: tuple[str, ...]
    thread_titles: tuple[str, ...]
    reading: TurnReading | None = None
    points: tuple[Point, ...] = ()
    #: Whether the threads are only the closest the corpus holds: nothing speaks to the question
    #: directly (`Retrieval.loose`), and the answer says so.
    closest_only: bool = False
    #: The threads of the answer that discuss a career move the other way from the one asked
    #: (`mentor.analysis.moves.goes_against`), as (shown title, the move it discusses in words:
    #: "from design to PM"); the answer says so under each.
    other_way: tuple[tuple[str, str], ...] = ()
    #: The career move asked about, in words ("from PM to sales"), when no thread of the answer is
    #: about the role it goes to (`mentor.analysis.moves.names_the_move`): the answer says they
    #: are only the closest; "" otherwise.
    move_not_discussed: str = ""

    def source(self, n: int) -> Source | None:
        return next((s for s in self.sources if s.n == n), None)


@dataclass
class Answer:
    question: str
    mode: str  # "extractive" | "llm"
    text: str
    evidence: Evidence
    cited: list[int]
    timings_ms: dict[str, float | None] = field(default_factory=dict)
    #: Prompt tokens the model evaluated for this answer (after reusing its cache), if known.
    prompt_tokens: int | None = None
    cancelled: bool = False
    #: Sources of earlier turns that this answer cites (they keep their numbers).
    earlier_sources: tuple[Source, ...] = ()
    #: Why the model's answer ended ("stop", "length", "cancelled"); None without a model.
    finish: str | None = None
    #: What was wrong with the model's answer (it cited nothing, looped or was cut off), when it
    #: was set aside and `text` quotes the evidence instead; None when nothing was.
    fallback: str | None = None
    #: The model's own words (without a move's bridge line before them): what it reads back as
    #: this turn's answer, also when they were set aside (None: `text`).
    model_text: str | None = None

    @property
    def other_way(self) -> tuple[tuple[str, str], ...]:
        """The evidence's `other_way` threads that this answer cites (a follow-up may quote
        only one of the turn's threads)."""
        cited = {s.thread_title for s in self.sources if s.n in self.cited}
        return tuple((title, move) for title, move in self.evidence.other_way if title in cited)

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.evidence.sources + self.earlier_sources

    def to_json(self) -> dict[str, object]:
        """The `mentor ask --json` object."""
        return {
            "question": self.question,
            "mode": self.mode,
            "answer": self.text,
            "perspectives": [{"label": p.label, "sources": list(p.sources), "thread_title": p.thread_title,
                              "shape": p.shape} for p in self.evidence.perspectives],
            "sources": [{"n": s.n, "thread_id": s.thread_id, "thread_title": s.thread_title,
                         "post_index": s.post_index, "author": s.author, "text": s.text, "url": s.url}
                        for s in self.sources],
            "cited": self.cited,
            "closest_only": self.evidence.closest_only,
            "other_way": [{"thread_title": title, "move": move} for title, move in self.other_way],
            "move_not_discussed": self.evidence.move_not_discussed or None,
            "finish": self.finish,
            "fallback": self.fallback,
            "set_aside": self.model_text if self.fallback is not None else None,
            "follow_ups": list(self.evidence.follow_ups),
            "turn": self.evidence.reading.to_json() if self.evidence.reading is not None else None,
            "timings_ms": self.timings_ms,
        }


@dataclass(frozen=True)
class SourcesFound:
    evidence: Evidence


@dataclass(frozen=True)
class Reading:
    """The model is evaluating the prompt: `tokens` of it (past its cache; None if unknown), of
    which it has read `read` so far."""

    tokens: int | None
    read: int = 0


@dataclass(frozen=True)
class Token:
    text: str


@dataclass(frozen=True)
class AnswerDone:
    answer: Answer


@dataclass(frozen=True)
class SetAside:
    """The model's answer failed its check and is set aside: `reason` says why, as a note for the
    person ("the model's answer cites none of the posts"); `text` is the model's words, as its
    `Token`s streamed them. The answer is now `kept` (what came before the model's words: a
    move's bridge line, or "") followed by the `Token`s that come next: the note and the posts
    quoted. A shell that showed the streamed words replaces them."""

    reason: str
    text: str
    kept: str = ""


@dataclass(frozen=True)
class Notice:
    text: str


Event = SourcesFound | Reading | Token | SetAside | AnswerDone | Notice
