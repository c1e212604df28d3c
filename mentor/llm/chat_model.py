"""What the engine needs of a model that writes answers: streamed text, citations kept in range."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Protocol

from mentor.errors import MentorError

#: The most an answer may run to, in tokens.
MAX_ANSWER_TOKENS = 400

Message = dict[str, str]


class ModelError(MentorError):
    """The model could not be loaded or failed while writing; mentor falls back to quoting."""


class ChatModel(Protocol):
    #: What to call the model in messages and the status line (a file name or a URL).
    label: str
    #: Tokens the model can attend to: prompt and answer together.
    context_window: int
    #: Prompt tokens the model actually evaluated for the last answer (after KV-cache reuse),
    #: or None when it cannot tell.
    last_prompt_tokens: int | None

    def count_tokens(self, messages: Sequence[Message]) -> int:
        """About how many tokens `messages` take in the prompt."""

    def stream(self, messages: Sequence[Message], allowed: set[int],
               cancel: threading.Event) -> Iterator[str]:
        """The answer's text, piece by piece; citations only from `allowed`; stops within one
        token once `cancel` is set."""
