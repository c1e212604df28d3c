"""A GGUF chat model run in-process by llama-cpp-python.

Generation is mentor's own loop over `Llama.generate`: the model's chat template (from its GGUF)
formats the messages, tokens are decoded incrementally as UTF-8, and the loop stops at an
end-of-generation token, at the length limit, or within one token of `cancel`. (The streaming
chat-completion path of llama-cpp-python re-decodes the whole answer for each token while the
text is not valid UTF-8, which costs seconds on long answers.) `Llama.generate` reuses the KV
cache for the prompt's shared prefix, so a follow-up evaluates only its new tokens.
"""

from __future__ import annotations

import codecs
import os
import re
import threading
from collections.abc import Iterator, Sequence

from mentor.llm.chat_model import MAX_ANSWER_TOKENS, Message, ModelError
from mentor.llm.discovery import ModelInfo
from mentor.llm.grammar import citation_grammar

#: Context window mentor asks for (capped by what the model supports).
DEFAULT_CONTEXT = 4096
SAMPLING = {"temp": 0.7, "top_k": 40, "top_p": 0.95, "min_p": 0.05, "repeat_penalty": 1.0}
_REMEMBERED_ANSWERS = 64
_ANSWER_MARK = "\ue000answer{}\ue000"  # private-use characters no message contains
_ANSWER_SPLIT = re.compile("\ue000answer(\\d+)\ue000")


#: Tokens that may follow the answer's limit to close a citation it had opened ("[1234]").
_CITATION_TOKENS = 6


def _open_citation(pieces: list[str]) -> bool:
    """Whether the text written so far ends inside a citation: a `[` not yet closed."""
    text = "".join(pieces[-_CITATION_TOKENS:])
    start = text.rfind("[")
    return start >= 0 and "]" not in text[start:]


class LocalModel:
    def __init__(self, info: ModelInfo, context: int = DEFAULT_CONTEXT, seed: int = 1) -> None:
        """`seed` fixes the sampling (llama-cpp-python takes 0 to mean a random seed)."""
        problem = info.problem()
        if problem:
            raise ModelError(f"cannot use model {info.path}: {problem}")
        import llama_cpp
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        from mentor.llm.lazy_grammar import CitingLlama

        self.info = info
        self.label = info.path.name
        self.context_window = min(context, info.context_length or context)
        try:
            self.llm = CitingLlama(model_path=str(info.path), n_ctx=self.context_window, seed=seed,
                                   n_threads=self.threads(), n_threads_batch=self.threads(), verbose=False)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"cannot load model {info.path}: {exc}") from None
        model = self.llm._model  # noqa: SLF001 (token texts for the template)
        eos, bos = self.llm.token_eos(), self.llm.token_bos()
        self.formatter = Jinja2ChatFormatter(
            template=self.llm.metadata["tokenizer.chat_template"],
            eos_token=model.token_get_text(eos) if eos != -1 else "",
            bos_token=model.token_get_text(bos) if bos != -1 else "", stop_token_ids=[eos])
        self._vocab = model.vocab
        self._llama_cpp = llama_cpp
        self._generated: dict[str, list[int]] = {}
        self.last_prompt_tokens: int | None = None

    def _remember(self, text: str, tokens: list[int]) -> None:
        """Keep the tokens of an answer (the most recent ones) to put back in later prompts."""
        self._generated[text] = tokens
        while len(self._generated) > _REMEMBERED_ANSWERS:
            del self._generated[next(iter(self._generated))]

    @staticmethod
    def threads() -> int:
        """Threads for llama.cpp: `$MENTOR_THREADS`, else every core.

        Fewer can be faster on a machine whose cores are busy with other work: llama.cpp's
        threads wait for one another at every step, so one that is not scheduled stalls the
        rest (a 3,400-token prompt on a loaded 2-core machine: 0.3 s with 1 thread, 2-3 s with
        2). The tests run with 1."""
        configured = os.environ.get("MENTOR_THREADS", "")
        return int(configured) if configured.isdigit() and int(configured) > 0 else max(1, os.cpu_count() or 1)

    def prompt_tokens(self, messages: Sequence[Message]) -> list[int]:
        """The tokens of `messages` formatted by the model's chat template, ready to answer.

        An earlier answer this model wrote goes in as the very tokens it generated, not its text
        tokenized again (which need not give the same tokens), so the whole conversation so far
        is a prefix of the new prompt and llama.cpp reuses its cache for all of it.
        """
        answers: list[list[int]] = []
        spliced = []
        for message in messages:
            generated = self._generated.get(message["content"]) if message["role"] == "assistant" else None
            if generated is not None:
                spliced.append({**message, "content": _ANSWER_MARK.format(len(answers))})
                answers.append(generated)
            else:
                spliced.append(message)
        formatted = self.formatter(messages=spliced)
        tokens: list[int] = []
        for i, part in enumerate(_ANSWER_SPLIT.split(formatted.prompt)):
            if i % 2:
                tokens += answers[int(part)]
            elif part:
                tokens += self.llm.tokenize(part.encode("utf-8"), special=True,
                                            add_bos=i == 0 and not formatted.added_special)
        return tokens

    def count_tokens(self, messages: Sequence[Message]) -> int:
        return len(self.prompt_tokens(messages))

    def stream(self, messages: Sequence[Message], allowed: set[int],
               cancel: threading.Event) -> Iterator[str]:
        llama_cpp = self._llama_cpp
        tokens = self.prompt_tokens(messages)
        if len(tokens) + MAX_ANSWER_TOKENS > self.context_window:
            raise ModelError(f"the prompt ({len(tokens)} tokens) does not fit the context window")
        grammar = llama_cpp.LlamaGrammar.from_string(citation_grammar(allowed), verbose=False)
        context = self.llm._ctx.ctx  # noqa: SLF001 (the perf counters need the raw context)
        llama_cpp.llama_perf_context_reset(context)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        generated = self.llm.generate(tokens, grammar=grammar, **SAMPLING)
        written: list[int] = []
        pieces: list[str] = []
        try:
            for token in generated:
                if cancel.is_set() or llama_cpp.llama_vocab_is_eog(self._vocab, token):
                    break
                if len(written) >= MAX_ANSWER_TOKENS and not (_open_citation(pieces) and
                                                              len(written) < MAX_ANSWER_TOKENS + _CITATION_TOKENS):
                    break  # out of tokens, but a `[` already written gets its number and `]`
                written.append(token)
                piece = decoder.decode(self.llm.detokenize([token]))
                if piece:
                    pieces.append(piece)
                    yield piece
            tail = decoder.decode(b"", final=True)
            if tail:
                pieces.append(tail)
                yield tail
            if not cancel.is_set():
                self._remember("".join(pieces), written)
        except (ValueError, RuntimeError) as exc:
            raise ModelError(f"the model failed while writing: {exc}") from None
        finally:
            generated.close()
            self.last_prompt_tokens = int(llama_cpp.llama_perf_context(context).n_p_eval)
