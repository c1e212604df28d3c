"""GBNF-constrained sampling at the cost of unconstrained sampling.

llama-cpp-python puts the grammar first in its sampler chain, so every token checks the whole
vocabulary against it: with a 152k-token vocabulary that is ~80 ms a token, several times the
model's own decode time on 2 cores. llama.cpp's own tools avoid this by sampling first and
checking only the chosen token; the full grammar pass runs only when that token is refused
(for mentor's answer grammar: mostly at a sentence's end, where a citation or a paragraph break
is due). `CitingLlama` does the same. The output is still
always valid under the grammar.

Each chain remembers the tokens it accepted (the repeat penalty counts them), and llama.cpp's
`llama_sampler_sample` accepts the token it draws. So the grammar-free draw is made on a copy of
the fast chain: when the grammar refuses that token, the copy is dropped and the fast chain
accepts the token actually written, as the full chain does. (Drawing on the chain itself left
the refused token in its penalty history and the written one out.)

A refused token is drawn again by the full chain over the model's `NARROW` likeliest tokens
only, which is where the chain's own top-k looks; only when the grammar allows none of those
does the full chain read the whole vocabulary. On SmolLM2 (49k tokens) one answer in six is
refused, and a whole-vocabulary pass cost 8–27 ms where a decode step costs 15–25 ms. The redraw
is then an approximation: a repeat penalty lowers the likeliest tokens it has seen, and a token
outside them can become the grammar's best. With mentor's sampling (penalty 1.2, top-k 40) this
rarely changes a draw; with greedy decoding at penalty 1.5, one token in 80 differed (2026-11-29).
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import numpy as np

from mentor.llm.threads import import_llama_cpp

llama_cpp = import_llama_cpp()
from llama_cpp import Llama, LlamaGrammar  # noqa: E402 (after the wait policy is set)

#: Likeliest tokens a refused draw is made again from, before the whole vocabulary.
NARROW = 512
_TOKEN_DATA = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)


class _GrammarCheckedSampler:
    """Samples with `fast` (no grammar); when the grammar refuses that token, samples again
    with `full` (grammar first). `check`, a lone grammar sampler, tells refused from allowed."""

    def __init__(self, fast: Any, full: Any, check: Any, n_vocab: int) -> None:
        self.fast = fast
        self.full = full
        self.check = check
        self.n_vocab = n_vocab
        self.candidate = llama_cpp.llama_token_data(0, 0.0, 0.0)
        self.candidates = llama_cpp.llama_token_data_array(
            ctypes.pointer(self.candidate), 1, -1, False)
        self.narrow = np.zeros(min(NARROW, n_vocab), dtype=_TOKEN_DATA)

    def _allowed(self, token: int) -> bool:
        self.candidate.id, self.candidate.logit, self.candidate.p = token, 0.0, 0.0
        llama_cpp.llama_sampler_apply(self.check, ctypes.byref(self.candidates))
        return not math.isinf(self.candidate.logit)

    def sample(self, ctx: Any, idx: int = -1) -> int:
        trial = self.fast.clone()
        token = trial.sample(ctx, idx)  # accepted by the copy only
        if self._allowed(token):
            self.fast.close()
            self.fast = trial
            self.full.accept(token)
        else:
            trial.close()
            token = self._narrow_sample(ctx, idx)
            if token is None:
                token = self.full.sample(ctx, idx)
            else:
                self.full.accept(token)
            self.fast.accept(token)
        llama_cpp.llama_sampler_accept(self.check, token)
        return token

    def _narrow_sample(self, ctx: Any, idx: int) -> int | None:
        """The full chain's draw among the likeliest tokens (not accepted), or None when the
        grammar allows none of them."""
        logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx.ctx, idx), shape=(self.n_vocab,))
        top = np.argpartition(logits, -len(self.narrow))[-len(self.narrow):]
        self.narrow["id"], self.narrow["logit"], self.narrow["p"] = top, logits[top], 0.0
        data = self.narrow.ctypes.data_as(ctypes.POINTER(llama_cpp.llama_token_data))
        candidates = llama_cpp.llama_token_data_array(data, len(self.narrow), -1, False)
        llama_cpp.llama_sampler_apply(self.full.sampler, ctypes.byref(candidates))
        if not 0 <= candidates.selected < candidates.size:
            return None
        token = int(data[candidates.selected].id)
        return token if self._allowed(token) else None

    def __del__(self) -> None:
        if self.check:
            llama_cpp.llama_sampler_free(self.check)
            self.check = None


class CitingLlama(Llama):
    """`Llama` whose grammar checks the sampled token instead of the whole vocabulary."""

    def _init_sampler(self, *args: Any, grammar: LlamaGrammar | None = None, **kwargs: Any) -> Any:
        if grammar is None:
            return super()._init_sampler(*args, **kwargs)
        fast = super()._init_sampler(*args, **kwargs)
        full = super()._init_sampler(*args, grammar=grammar, **kwargs)
        check = llama_cpp.llama_sampler_init_grammar(
            self._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8"))
        return _GrammarCheckedSampler(fast, full, check, self._n_vocab)
