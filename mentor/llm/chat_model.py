"""What the engine needs of a model that writes answers: streamed text in the answer's shape,
with the same sampling wherever the model runs."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from mentor.errors import MentorError
from mentor.llm.grammar import AnswerShape

#: The most an answer may run to, in tokens.
MAX_ANSWER_TOKENS = 400

Message = dict[str, str]


@dataclass(frozen=True)
class Sampling:
    """How the next token is drawn; sent in full to a server too, so that its own defaults (a
    repeat penalty of 1.1, say) do not make its answers differ from a local model's.

    A low temperature and a repeat penalty of 1.2 over the whole answer kept SmolLM2-135M from
    looping over six worries (README); with llama-cpp-python's 64-token penalty window, one answer
    in three still repeated a whole sentence further back. A 1.5B–8B model writes as well with them.
    """

    temperature: float = 0.2
    repeat_penalty: float = 1.2
    #: Tokens back the repeat penalty looks (the whole answer).
    penalty_last_n: int = MAX_ANSWER_TOKENS
    top_k: int = 40
    top_p: float = 0.95
    min_p: float = 0.05
    max_tokens: int = MAX_ANSWER_TOKENS

    def llama_cpp(self) -> dict[str, float]:
        """As keyword arguments of llama-cpp-python's `Llama.generate` (its penalty window is
        the `last_n_tokens_size` the model was loaded with)."""
        return {"temp": self.temperature, "repeat_penalty": self.repeat_penalty, "top_k": self.top_k,
                "top_p": self.top_p, "min_p": self.min_p}

    def request(self) -> dict[str, float]:
        """As fields of an OpenAI-compatible chat request (llama.cpp's servers read them all)."""
        return {"temperature": self.temperature, "repeat_penalty": self.repeat_penalty,
                "repeat_last_n": self.penalty_last_n, "top_k": self.top_k, "top_p": self.top_p,
                "min_p": self.min_p, "max_tokens": self.max_tokens}


SAMPLING = Sampling()


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
    #: Why the last answer ended: "stop" (the model finished), "length" (it reached
    #: `MAX_ANSWER_TOKENS`) or "cancelled"; None before the first.
    last_finish: str | None

    def count_tokens(self, messages: Sequence[Message]) -> int:
        """About how many tokens `messages` take in the prompt."""

    def tokens_to_read(self, messages: Sequence[Message]) -> int | None:
        """Prompt tokens the model will evaluate before its first token (what its cache does not
        hold already), or None when it cannot tell."""

    def read_prompt(self, messages: Sequence[Message], cancel: threading.Event) -> Iterator[int]:
        """Evaluate the prompt before the answer, yielding the tokens read so far (of
        `tokens_to_read`) as it goes; it stops between steps once `cancel` is set. Yields
        nothing when the model reads its prompt as it answers (a server)."""

    def stream(self, messages: Sequence[Message], shape: AnswerShape,
               cancel: threading.Event) -> Iterator[str]:
        """The answer's text, piece by piece, in `shape`'s grammar; stops within one token once
        `cancel` is set (and writes nothing when it is set before the prompt is read)."""
