"""Time to first token and decode speed of a mentor answer, beside raw llama-cpp-python given the
identical prompt and model in the same run, on a real-shape random-weight GGUF (speed does not
depend on the weights' values). Also: a follow-up's first token against the first turn's."""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from pathlib import Path

import llama_cpp

from mentor.engine.conversation import Conversation
from mentor.engine.engine import Engine
from mentor.engine.events import AnswerDone, Token
from mentor.llm.discovery import inspect
from mentor.llm.local import LocalModel
from mentor.llm.prompt import SYSTEM, turn_message
from mentor.llm.synthetic import write_model

QUESTION = "I'm a PM and I worry I have no hard skills to show. Should I be worried?"
FOLLOW_UP = "and what if I work at a bank?"


def _mentor_turn(engine: Engine, conversation: Conversation, model: LocalModel, question: str) -> dict:
    started = time.perf_counter()
    first = last = None
    for event in engine.ask(conversation, question, model=model, cancel=threading.Event()):
        if isinstance(event, Token):
            first = first or time.perf_counter()
            last = time.perf_counter()
        elif isinstance(event, AnswerDone):
            answer = event.answer
    decoded = int(llama_cpp.llama_perf_context(model.llm._ctx.ctx).n_eval)  # noqa: SLF001
    return {"ttft_ms": (first - started) * 1000, "decoded": decoded,
            "decode_tok_s": (decoded - 1) / max(1e-9, last - first), "prompt_tokens": answer.prompt_tokens}


def _raw_turn(llm: llama_cpp.Llama, messages: list[dict], max_tokens: int) -> dict:
    llm.reset()  # cold, like mentor's first turn
    llama_cpp.llama_perf_context_reset(llm._ctx.ctx)  # noqa: SLF001
    started = time.perf_counter()
    first = last = None
    for chunk in llm.create_chat_completion(messages=messages, stream=True, max_tokens=max_tokens,
                                            temperature=0.7, top_k=40, top_p=0.95, min_p=0.05):
        if chunk["choices"][0]["delta"].get("content"):
            first = first or time.perf_counter()
            last = time.perf_counter()
    decoded = int(llama_cpp.llama_perf_context(llm._ctx.ctx).n_eval)  # noqa: SLF001
    return {"ttft_ms": (first - started) * 1000, "decode_tok_s": (decoded - 1) / max(1e-9, last - first)}


def run(home: Path, shape: str, rounds: int = 4) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = write_model(Path(folder) / f"{shape}.gguf", shape, "q8_0")
        info = inspect(path, "bench")
        engine = Engine.open(home)
        mentor_runs, raw_runs, followups = [], [], []
        raw = llama_cpp.Llama(str(path), n_ctx=16384, seed=1, n_threads=LocalModel.threads(), verbose=False)
        raw.create_completion("warm up the weights", max_tokens=4)  # both start with the file in memory
        for round_ in range(rounds):
            model = LocalModel(info, context=16384)
            # The identical prompt for raw llama-cpp-python: what mentor sends for its first turn.
            evidence, _ = engine.gather(Conversation(), QUESTION)
            prompt, new = turn_message(evidence, evidence.question, set())
            messages, _ = Conversation().messages(SYSTEM, prompt, new, model)
            if round_ % 2:  # alternate who goes first, so neither always meets a warmer machine
                raw_runs.append(_raw_turn(raw, messages, max_tokens=128))
            conversation = Conversation()
            first = _mentor_turn(engine, conversation, model, QUESTION)
            second = _mentor_turn(engine, conversation, model, FOLLOW_UP)
            mentor_runs.append(first)
            followups.append(second["ttft_ms"] / first["ttft_ms"])
            if not round_ % 2:
                raw_runs.append(_raw_turn(raw, messages, max_tokens=first["decoded"]))
            del model
        median = lambda runs, key: statistics.median(r[key] for r in runs)  # noqa: E731
        return {"ttft_ms": median(mentor_runs, "ttft_ms"), "raw_ttft_ms": median(raw_runs, "ttft_ms"),
                "ttft_overhead_ratio": median(mentor_runs, "ttft_ms") / median(raw_runs, "ttft_ms"),
                "decode_tok_s": median(mentor_runs, "decode_tok_s"), "raw_decode_tok_s": median(raw_runs, "decode_tok_s"),
                "decode_ratio": median(mentor_runs, "decode_tok_s") / median(raw_runs, "decode_tok_s"),
                "followup_ttft_ratio": statistics.median(followups),
                "prompt_tokens": int(median(mentor_runs, "prompt_tokens")), "model_shape": shape}
