"""A GGUF chat model run in-process by llama-cpp-python."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence

from mentor.llm.chat_model import MAX_ANSWER_TOKENS, Message, ModelError
from mentor.llm.discovery import ModelInfo
from mentor.llm.grammar import citation_grammar

#: Context window mentor asks for (capped by what the model supports).
DEFAULT_CONTEXT = 4096
_PER_MESSAGE_TOKENS = 6  # the chat template's role markers around each message


class LocalModel:
    def __init__(self, info: ModelInfo, context: int = DEFAULT_CONTEXT, seed: int = 0) -> None:
        problem = info.problem()
        if problem:
            raise ModelError(f"cannot use model {info.path}: {problem}")
        try:
            from llama_cpp import Llama
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelError(f"llama-cpp-python is not installed ({exc})") from None
        self.info = info
        self.label = info.path.name
        self.context_window = min(context, info.context_length or context)
        try:
            self.llm = Llama(model_path=str(info.path), n_ctx=self.context_window, seed=seed,
                             n_threads=max(1, os.cpu_count() or 1), verbose=False)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"cannot load model {info.path}: {exc}") from None
        self.last_prompt_tokens: int | None = None

    def count_tokens(self, messages: Sequence[Message]) -> int:
        return sum(len(self.llm.tokenize(m["content"].encode("utf-8"), add_bos=False, special=False))
                   + _PER_MESSAGE_TOKENS for m in messages)

    def stream(self, messages: Sequence[Message], allowed: set[int],
               cancel: threading.Event) -> Iterator[str]:
        import llama_cpp

        grammar = llama_cpp.LlamaGrammar.from_string(citation_grammar(allowed), verbose=False)
        context = self.llm._ctx.ctx  # noqa: SLF001 (the perf counters need the raw context)
        llama_cpp.llama_perf_context_reset(context)
        try:
            chunks = self.llm.create_chat_completion(messages=list(messages), stream=True, grammar=grammar,
                                                     max_tokens=MAX_ANSWER_TOKENS, temperature=0.7)
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"the model failed: {exc}") from None
        try:
            for chunk in chunks:
                if cancel.is_set():
                    break
                piece = chunk["choices"][0]["delta"].get("content")
                if piece:
                    yield piece
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"the model failed while writing: {exc}") from None
        finally:
            chunks.close()
            self.last_prompt_tokens = int(llama_cpp.llama_perf_context(context).n_p_eval)
