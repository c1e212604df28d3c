"""A GGUF chat model run in-process by llama-cpp-python.

Generation is mentor's own loop over `Llama.generate`: the model's chat template (from its GGUF)
formats the messages, tokens are decoded incrementally as UTF-8, and the loop stops at an
end-of-generation token, at the length limit, or within one token of `cancel`. (The streaming
chat-completion path of llama-cpp-python re-decodes the whole answer for each token while the
text is not valid UTF-8, which costs seconds on long answers.)

The prompt is read first, by `read_prompt`: the tokens past the prefix the KV cache already
holds (so a follow-up evaluates only its new tokens), `READ_STEP` at a time, with a look at
`cancel` between batches; llama.cpp's own `generate` would read them in one call that nothing
can stop (a 3,000-token prompt is tens of seconds on 2 cores). `Llama.generate` then finds the
whole prompt in the cache (its prefix match: `_input_ids` equal to the prompt, the last logits
live) and samples at once. A stopped read leaves what it read in the cache, for the next prompt
that shares it.
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Iterator, Sequence

from mentor.llm.chat_model import SAMPLING, Message, ModelError
from mentor.llm.discovery import ModelInfo
from mentor.llm.grammar import AnswerShape
from mentor.llm.threads import CoreMeter, available_cores, import_llama_cpp

#: Context window mentor asks for (capped by what the model supports).
DEFAULT_CONTEXT = 4096
#: Prompt tokens read per batch (at most llama.cpp's `n_batch`), so Esc stops a read within one:
#: at 512 a trial user's Esc waited 5.6 s for a 405-token prompt to be read (2026-12-01, a busy
#: 2-core machine). Measured the same day with SmolLM2-135M on 2 threads, a 663-token prompt in
#: batches of 128 read in 2.57-2.63 s and of 512 in 2.77-3.25 s: smaller batches cost nothing here.
READ_STEP = 128
_REMEMBERED_ANSWERS = 64
# Private-use characters no message contains mark where each message's content goes.
_MARK = "\ue000{}{}\ue000"
_MARK_SPLIT = re.compile("\ue000(text|answer)(\\d+)\ue000")


class LocalModel:
    def __init__(self, info: ModelInfo, context: int = DEFAULT_CONTEXT, seed: int = 1,
                 threads: int | None = None) -> None:
        """`seed` fixes the sampling (llama-cpp-python takes 0 to mean a random seed). `threads`
        serve both decoding and prompt evaluation; None: the physical cores read the prompt and
        those other processes leave free decode each answer (mentor.llm.threads)."""
        problem = info.problem()
        if problem:
            raise ModelError(f"cannot use model {info.path}: {problem}")
        llama_cpp = import_llama_cpp()
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        from mentor.llm.lazy_grammar import CitingLlama

        self.info = info
        self.label = info.path.name
        self.context_window = min(context, info.context_length or context)
        self.threads = threads or available_cores()
        try:
            self.llm = CitingLlama(model_path=str(info.path), n_ctx=self.context_window, seed=seed,
                                   n_threads=self.threads, n_threads_batch=self.threads, verbose=False,
                                   last_n_tokens_size=SAMPLING.penalty_last_n)
        except (ValueError, RuntimeError, OSError) as exc:
            reason = str(exc)
            if reason.startswith("Failed to load model from file"):  # llama-cpp-python's words, naming the path again
                reason = "llama.cpp could not read its weights (an architecture it does not know, or damaged tensors)"
            raise ModelError(f"cannot load model {info.path}: {reason}") from None
        model = self.llm._model  # noqa: SLF001 (token texts for the template)
        eos, bos = self.llm.token_eos(), self.llm.token_bos()
        self.formatter = Jinja2ChatFormatter(
            template=self.llm.metadata["tokenizer.chat_template"],
            eos_token=model.token_get_text(eos) if eos != -1 else "",
            bos_token=model.token_get_text(bos) if bos != -1 else "", stop_token_ids=[eos])
        self._vocab = model.vocab
        self._llama_cpp = llama_cpp
        self._generated: dict[str, list[int]] = {}
        self._last_prompt: tuple[tuple[tuple[str, str], ...], list[int]] | None = None
        self.last_prompt_tokens: int | None = None
        self.last_finish: str | None = None
        #: Decode threads of the last answer.
        self.last_threads = self.threads
        self._meter = CoreMeter() if threads is None else None

    def _remember(self, text: str, tokens: list[int]) -> None:
        """Keep the tokens of an answer (the most recent ones) to put back in later prompts."""
        self._generated[text] = tokens
        while len(self._generated) > _REMEMBERED_ANSWERS:
            del self._generated[next(iter(self._generated))]

    def prompt_tokens(self, messages: Sequence[Message]) -> list[int]:
        """The tokens of `messages` formatted by the model's chat template, ready to answer.

        Only the template's own text is read for control tokens: every message's content is
        tokenized as plain text, so `<|im_end|>` typed by a person (or in a post) stays the
        characters it is and cannot end a turn or open one. An earlier answer this model wrote
        goes in as the very tokens it generated, not its text tokenized again (which need not give
        the same tokens), so the whole conversation so far is a prefix of the new prompt and
        llama.cpp reuses its cache for all of it.
        """
        key = tuple((m["role"], m["content"]) for m in messages)
        if self._last_prompt is not None and self._last_prompt[0] == key:
            return list(self._last_prompt[1])
        contents: list[str] = []
        answers: list[list[int]] = []
        marked = []
        for message in messages:
            generated = self._generated.get(message["content"]) if message["role"] == "assistant" else None
            if generated is not None:
                marked.append({**message, "content": _MARK.format("answer", len(answers))})
                answers.append(generated)
            else:
                marked.append({**message, "content": _MARK.format("text", len(contents))})
                contents.append(message["content"])
        formatted = self.formatter(messages=marked)
        parts = _MARK_SPLIT.split(formatted.prompt)  # template, kind, index, template, ...
        tokens: list[int] = []
        for i in range(0, len(parts), 3):
            if parts[i]:
                tokens += self.llm.tokenize(parts[i].encode("utf-8"), special=True,
                                            add_bos=i == 0 and not formatted.added_special)
            if i + 2 < len(parts):
                kind, index = parts[i + 1], int(parts[i + 2])
                if kind == "answer":
                    tokens += answers[index]
                elif contents[index]:
                    tokens += self.llm.tokenize(contents[index].encode("utf-8"), special=False, add_bos=False)
        self._last_prompt = (key, tokens)
        return list(tokens)

    def count_tokens(self, messages: Sequence[Message]) -> int:
        return len(self.prompt_tokens(messages))

    def tokens_to_read(self, messages: Sequence[Message]) -> int:
        """Prompt tokens `read_prompt` will evaluate: those past what the KV cache holds."""
        tokens = self.prompt_tokens(messages)
        return len(tokens) - self._reusable(tokens)

    def _reusable(self, tokens: list[int]) -> int:
        """How many of `tokens`, from the start, the KV cache holds ready to go on from: all of
        them when it holds exactly the prompt with its last logits live, else the shared prefix
        less one when the prefix is the whole prompt (its last token is read again, for the
        logits the first answer token is drawn from), else the shared prefix."""
        llm = self.llm
        cached = llm.longest_token_prefix(llm._input_ids.tolist(), tokens)  # noqa: SLF001
        if cached == len(tokens) == llm.n_tokens and not llm._requires_eval:  # noqa: SLF001
            return cached
        return cached - 1 if cached == len(tokens) else cached

    def read_prompt(self, messages: Sequence[Message], cancel: threading.Event) -> Iterator[int]:
        """Evaluate the prompt of `messages` past what the KV cache holds, `READ_STEP` tokens at a
        time (at most `n_batch`), yielding the number of tokens read so far (of `tokens_to_read`) after each batch.
        Stops before the next batch once `cancel` is set; what was read stays in the cache.
        Sets `last_prompt_tokens` to the tokens evaluated. Raises ModelError when the prompt and
        an answer do not fit the context window, or llama.cpp fails."""
        llama_cpp, llm = self._llama_cpp, self.llm
        tokens = self.prompt_tokens(messages)
        if len(tokens) + SAMPLING.max_tokens > self.context_window:
            raise ModelError(f"the prompt ({len(tokens)} tokens) does not fit the context window")
        context = llm._ctx.ctx  # noqa: SLF001 (the thread counts are set on the raw context)
        free = self._meter.free_cores() if self._meter else self.threads
        self.last_threads = min(free, max(1, self.threads // 2)) if self._meter else self.threads
        llama_cpp.llama_set_n_threads(context, self.last_threads, free)
        llama_cpp.llama_perf_context_reset(context)  # llama.cpp's counters then tell of this answer alone
        self.last_prompt_tokens = 0
        start = self._reusable(tokens)
        if start == len(tokens):
            return
        if not llm._ctx.kv_cache_seq_rm(-1, start, -1):  # noqa: SLF001 (a model whose cache cannot be cut)
            llm.reset()
            start = 0
        llm.n_tokens = start
        try:
            step = min(READ_STEP, llm.n_batch)
            for begin in range(start, len(tokens), step):
                if cancel.is_set():
                    return
                batch = tokens[begin:begin + step]
                llm.eval(batch)
                self.last_prompt_tokens += len(batch)
                yield self.last_prompt_tokens
        except (ValueError, RuntimeError) as exc:
            llm.reset()  # a batch half read leaves the cache in doubt
            raise ModelError(f"the model failed while reading the prompt: {exc}") from None

    def stream(self, messages: Sequence[Message], shape: AnswerShape,
               cancel: threading.Event) -> Iterator[str]:
        """The answer to `messages`, piece by piece (see `ChatModel.stream`). The prompt is read
        first when `read_prompt` has not read it all (then nothing is written when `cancel` is
        set while it reads)."""
        llama_cpp = self._llama_cpp
        tokens = self.prompt_tokens(messages)
        self.last_finish = None
        if not cancel.is_set() and self._reusable(tokens) < len(tokens):
            for _ in self.read_prompt(messages, cancel):
                pass
        if cancel.is_set():
            self.last_finish = "cancelled"
            return
        grammar = llama_cpp.LlamaGrammar.from_string(shape.grammar(), verbose=False)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        generated = self.llm.generate(tokens, grammar=grammar, **SAMPLING.llama_cpp())
        written: list[int] = []
        pieces: list[str] = []
        try:
            for token in generated:
                if cancel.is_set():
                    self.last_finish = "cancelled"
                    break
                if llama_cpp.llama_vocab_is_eog(self._vocab, token):
                    self.last_finish = "stop"
                    break
                if len(written) >= SAMPLING.max_tokens:
                    self.last_finish = "length"
                    break
                written.append(token)
                piece = decoder.decode(self.llm.detokenize([token]))
                if piece:
                    pieces.append(piece)
                    yield piece
            self.last_finish = self.last_finish or "stop"
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
            if self._meter:
                self._meter.reset()
