"""A conversation: its turns, and the sources it has cited, numbered once for the whole talk.

A source keeps its number for the rest of the conversation (`[3]` in the second answer is the
same post as `[3]` in the first), so earlier sources stay citable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mentor.engine.events import Answer, PostKey, Source
from mentor.llm.chat_model import MAX_ANSWER_TOKENS, ChatModel, Message, ModelError

_FOLLOW_UP_OPENERS = re.compile(r"^\s*(?:and|but|so|also|what about|what if|how about|then|ok(?:ay)?|"
                                r"in that case)\b", re.IGNORECASE)
_PRONOUNS = re.compile(r"\b(?:it|that|this|those|these|they|them|there)\b", re.IGNORECASE)
#: A question with a pronoun and fewer content words than this leans on the conversation.
SHORT_QUESTION_TERMS = 6


@dataclass
class Turn:
    question: str
    answer: Answer | None = None
    #: The user message the model saw for this turn (sources and question) ...
    prompt: str = ""
    #: ... and the source numbers it gave.
    given: set[int] = field(default_factory=set)

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

    def given(self) -> set[int]:
        """Source numbers already in the model's prompt."""
        return set().union(*(turn.given for turn in self.turns if turn.in_prompt))

    def messages(self, system: str, prompt: str, new: set[int], model: ChatModel
                 ) -> tuple[list[Message], set[int]]:
        """The chat messages for the next answer and the citations it may use.

        The whole conversation when it fits the model's context window; otherwise the oldest
        turns are dropped (with the sources only they gave) until it does.
        """
        kept = [turn for turn in self.turns if turn.in_prompt]
        while True:
            messages = [{"role": "system", "content": system}]
            for turn in kept:
                said = turn.answer.model_text if turn.answer.model_text is not None else turn.answer.text
                messages += [{"role": "user", "content": turn.prompt}, {"role": "assistant", "content": said}]
            messages.append({"role": "user", "content": prompt})
            if model.count_tokens(messages) + MAX_ANSWER_TOKENS <= model.context_window:
                return messages, set().union(new, *(turn.given for turn in kept))
            if not kept:
                raise ModelError("this question and its sources do not fit the model's context "
                                 f"window ({model.context_window} tokens)")
            kept = kept[1:]

    def number(self, key: PostKey) -> int:
        """The conversation-wide number of a source, given on first use."""
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]

    def standalone_query(self, question: str) -> str:
        """The retrieval query for `question`: itself, or joined with the last question when it
        reads as a follow-up ("and what if I work at a bank?", "is that true for startups too?")."""
        from mentor.engine.text import (
            terms,  # the stemmer and stop words load with the engine
        )

        earlier = [turn.question for turn in self.turns if turn.answer is not None]
        if not earlier:
            return question
        follow_up = (_FOLLOW_UP_OPENERS.match(question) is not None
                     or (_PRONOUNS.search(question) is not None
                         and len(terms(question)) < SHORT_QUESTION_TERMS))
        # The new words count twice, so "what about banks?" is about banks, in that context.
        return f"{question} {question} {earlier[-1]}" if follow_up else question
