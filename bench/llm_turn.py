"""One timed answer in a process of its own, for bench/llm.py (which compares the JSON they print).

    python -m bench.llm_turn prompt MODEL HOME QUESTION OUT.json   the messages mentor sends
    python -m bench.llm_turn mentor MODEL HOME QUESTION            mentor's answer, then a follow-up
    python -m bench.llm_turn raw MODEL MESSAGES.json MAX_TOKENS    raw llama-cpp-python, library defaults

Each side runs in a fresh process so that each has its own threads and wait policy: mentor its
own (mentor.llm.threads), raw llama-cpp-python its library defaults (the environment is cleared
of OMP_WAIT_POLICY by the caller). Both read a short text first, so that neither pays for
touching the weights' pages, and both start with an empty KV cache.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

FOLLOW_UP = "and what if I work at a bank?"


def _prompt(model_path: str, home: str, question: str, out: str) -> None:
    from mentor.engine.conversation import Conversation
    from mentor.engine.engine import Engine
    from mentor.llm.discovery import inspect
    from mentor.llm.local import LocalModel
    from mentor.llm.prompt import SYSTEM, turn_message
    from mentor.llm.turn_note import turn_note

    model = LocalModel(inspect(Path(model_path), "bench"))
    evidence, _ = Engine.open(Path(home)).gather(Conversation(), question)
    turn = turn_message(evidence, evidence.question, set(), note=turn_note(evidence))  # as Engine.ask
    messages, _ = Conversation().messages(SYSTEM, turn.text, set(turn.new), model)
    Path(out).write_text(json.dumps(messages), encoding="utf-8")


def _mentor(model_path: str, home: str, question: str) -> dict[str, float]:
    from mentor.engine.conversation import Conversation
    from mentor.engine.engine import Engine
    from mentor.engine.events import AnswerDone, Token
    from mentor.llm.discovery import inspect
    from mentor.llm.local import LocalModel

    engine = Engine.open(Path(home))
    model = LocalModel(inspect(Path(model_path), "bench"))
    model.llm.create_completion("warm up the weights", max_tokens=4)
    model.llm.reset()
    llama_cpp = model._llama_cpp  # noqa: SLF001

    def turn(conversation: Conversation, text: str) -> dict[str, float]:
        started = time.perf_counter()
        first = last = None
        for event in engine.ask(conversation, text, model=model, cancel=threading.Event()):
            if isinstance(event, Token) and event.text.strip():
                first = first or time.perf_counter()
                last = time.perf_counter()
            elif isinstance(event, AnswerDone):
                answer = event.answer
        decoded = int(llama_cpp.llama_perf_context(model.llm._ctx.ctx).n_eval)  # noqa: SLF001
        return {"ttft_ms": (first - started) * 1000, "decoded": decoded, "prompt_tokens": answer.prompt_tokens,
                "decode_tok_s": (decoded - 1) / max(1e-9, last - first), "threads": model.last_threads}

    conversation = Conversation()
    result = turn(conversation, question)
    result["followup_ttft_ms"] = turn(conversation, FOLLOW_UP)["ttft_ms"]
    return result


def _raw(model_path: str, messages_path: str, max_tokens: str) -> dict[str, float]:
    import llama_cpp

    messages = json.loads(Path(messages_path).read_text(encoding="utf-8"))
    llm = llama_cpp.Llama(model_path, n_ctx=4096, verbose=False)  # the library's defaults
    llm.create_completion("warm up the weights", max_tokens=4)
    llm.reset()
    llama_cpp.llama_perf_context_reset(llm._ctx.ctx)  # noqa: SLF001
    started = time.perf_counter()
    first = last = None
    for chunk in llm.create_chat_completion(messages=messages, stream=True, max_tokens=int(max_tokens)):
        if (chunk["choices"][0]["delta"].get("content") or "").strip():
            first = first or time.perf_counter()
            last = time.perf_counter()
    decoded = int(llama_cpp.llama_perf_context(llm._ctx.ctx).n_eval)  # noqa: SLF001
    return {"ttft_ms": (first - started) * 1000, "decode_tok_s": (decoded - 1) / max(1e-9, last - first),
            "decoded": decoded, "threads": llm.n_threads}


def main(argv: list[str]) -> None:
    kind, *args = argv
    if kind == "prompt":
        _prompt(*args)
        print("{}")
        return
    print(json.dumps(_mentor(*args) if kind == "mentor" else _raw(*args)))


if __name__ == "__main__":
    main(sys.argv[1:])
