"""A conversation: its turns, and the sources it has cited, numbered once for the whole talk.

A source keeps its number for the rest of the conversation (`[3]` in the second answer is the
same post as `[3]` in the first), so earlier sources stay citable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mentor.engine.documents import PostKey
from mentor.engine.events import Answer
from mentor.engine.text import terms

_FOLLOW_UP_OPENERS = re.compile(r"^\s*(?:and|but|so|also|what about|what if|how about|then|ok(?:ay)?|"
                                r"in that case)\b", re.IGNORECASE)
_PRONOUNS = re.compile(r"\b(?:it|that|this|those|these|they|them|there)\b", re.IGNORECASE)
#: A question with a pronoun and fewer content words than this leans on the conversation.
SHORT_QUESTION_TERMS = 6


@dataclass
class Turn:
    question: str
    answer: Answer | None = None


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)
    numbers: dict[PostKey, int] = field(default_factory=dict)

    def number(self, key: PostKey) -> int:
        """The conversation-wide number of a source, given on first use."""
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]

    def standalone_query(self, question: str) -> str:
        """The retrieval query for `question`: itself, or joined with the last question when it
        reads as a follow-up ("and what if I work at a bank?", "is that true for startups too?")."""
        earlier = [turn.question for turn in self.turns if turn.answer is not None]
        if not earlier:
            return question
        follow_up = (_FOLLOW_UP_OPENERS.match(question) is not None
                     or (_PRONOUNS.search(question) is not None
                         and len(terms(question)) < SHORT_QUESTION_TERMS))
        # The new words count twice, so "what about banks?" is about banks, in that context.
        return f"{question} {question} {earlier[-1]}" if follow_up else question
