"""A conversation: its turns, the sources it has cited (numbered once for the whole talk), and
what the engine keeps of it: what the person has said about themselves and the topic in play.

A source keeps its number for the rest of the conversation (`[3]` in the second answer is the
same post as `[3]` in the first), so earlier sources stay citable. How a follow-up is read in
this context is `follow_up.py`'s work; the state it reads is kept here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mentor.engine.events import Answer, PostKey, Source
from mentor.engine.situation import Situation
from mentor.engine.text import sentences
from mentor.llm.chat_model import MAX_ANSWER_TOKENS, ChatModel, Message, ModelError

if TYPE_CHECKING:
    from mentor.engine.follow_up import Topic


#: A question is read (its kind, its topic, the person's facts) and searched by at most this many
#: of its first characters: a pasted essay still gets an answer, and reading all of one took
#: minutes (1.2 million characters: 78 s).
MAX_QUERY_CHARS = 4000

#: When the conversation outgrows the model's context window, the oldest turns are dropped until
#: it fills no more than this share of the room left for it (`Conversation.messages`).
REFILL = 0.5


def what_is_read(question: str) -> str:
    """What mentor reads of `question` (as the answer keeps it: without terminal escapes, trimmed):
    its first `MAX_QUERY_CHARS` characters. A turn is read by it when asked, and again when a
    saved conversation is resumed, so both take the same facts from it."""
    return question[:MAX_QUERY_CHARS]


@dataclass
class Turn:
    question: str
    answer: Answer | None = None
    #: The user message the model saw for this turn (sources and question) ...
    prompt: str = ""
    #: ... and the source numbers it gave.
    given: set[int] = field(default_factory=set)
    #: The conversation's topic after this turn (kept with the turn, so a resumed conversation
    #: goes on where it was).
    topic: Topic | None = None

    @property
    def in_prompt(self) -> bool:
        """Whether this turn is part of the conversation the model sees (not a cancelled one)."""
        return self.answer is not None and not self.answer.cancelled


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)
    numbers: dict[PostKey, int] = field(default_factory=dict)
    #: Every source shown so far, by number.
    sources: dict[int, Source] = field(default_factory=dict)
    #: What the person has said about themselves so far.
    situation: Situation = field(default_factory=Situation)
    #: What the conversation is about and the threads in play (None before the first answer).
    topic: Topic | None = None
    #: How many of the oldest turns the model sees no longer left its prompt to fit the context
    #: window (`messages`); the next prompts go on leaving them out.
    dropped: int = 0

    def shown(self) -> set[PostKey]:
        """The posts an answer of this conversation has quoted or cited: what "tell me more" must
        not show again."""
        cited = {n for turn in self.turns if turn.answer is not None for n in turn.answer.cited}
        return {(source.thread_id, source.post_index) for n in cited if (source := self.sources.get(n)) is not None}

    def quoted(self) -> set[str]:
        """The sentences an answer of this conversation has quoted (its views' quotes, where they
        meet, its points) from the posts it cited, each split into its sentences: what "tell me
        more" must not quote again. A post's other sentences may come: "what about a part-time
        MBA instead?" is answered by the sentence after the one quoted as where the sides meet (a
        trial user's got the first answer again, word for word, 2026-11-30)."""
        found: set[str] = set()
        for turn in self.turns:
            answer = turn.answer
            if answer is None:
                continue
            evidence = answer.evidence
            quotes = [q for view in evidence.perspectives for q in view.quotes]
            quotes += [evidence.common_ground] if evidence.common_ground is not None else []
            texts = [q.sentence for q in quotes if q.n in answer.cited]
            texts += [point.sentence for point in evidence.points if point.n in answer.cited]
            found.update(sentence for text in texts for sentence in sentences(text))
        return found

    def model_answers(self) -> list[str]:
        """The model's own words in each turn it wrote and finished (not a stopped one; also
        when they were set aside, not the posts quoted in their place): what its next answer
        must not repeat."""
        return [turn.answer.model_text for turn in self.turns if turn.in_prompt and turn.answer.model_text]

    def given(self) -> set[int]:
        """Source numbers already in the model's prompt."""
        return set().union(*(turn.given for turn in self.turns if turn.in_prompt))

    def messages(self, system: str, prompt: str, new: set[int], model: ChatModel
                 ) -> tuple[list[Message], set[int]]:
        """The chat messages for the next answer and the citations it may use.

        The conversation (less the turns dropped before, `dropped`) when it fits the model's
        context window with room for an answer. Otherwise the oldest turns are dropped (with the
        sources only they gave) until it fits in `REFILL` of that room, and `dropped` counts
        them: the prompts of the next turns then only grow at their end again, so llama.cpp
        reads just each new turn (dropping one turn a time changes the prompt right after the
        system message, and every turn re-read the whole conversation, ~3,300 tokens). Raises
        ModelError when the question alone does not fit.
        """
        in_prompt = [turn for turn in self.turns if turn.in_prompt]
        kept = in_prompt[self.dropped:]
        room = model.context_window - MAX_ANSWER_TOKENS
        limit = room
        while True:
            messages = [{"role": "system", "content": system}]
            for turn in kept:
                said = turn.answer.model_text if turn.answer.model_text is not None else turn.answer.text
                messages += [{"role": "user", "content": turn.prompt}, {"role": "assistant", "content": said}]
            messages.append({"role": "user", "content": prompt})
            size = model.count_tokens(messages)
            if size <= limit or (size <= room and not kept):
                self.dropped = len(in_prompt) - len(kept)
                return messages, set().union(new, *(turn.given for turn in kept))
            if not kept:
                raise ModelError("this question and its sources do not fit the model's context "
                                 f"window ({model.context_window} tokens)")
            kept = kept[1:]
            limit = int(room * REFILL)

    def number(self, key: PostKey) -> int:
        """The conversation-wide number of a source, given on first use."""
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]
