"""A mentor answer's first token and decode speed beside raw llama-cpp-python with its library
defaults, given the identical prompt and model; and a follow-up's first token against the first.

Models: SmolLM2-135M-Instruct (a real instruct model, mentor.llm.smollm2), measured on a quiet
machine and again while a CPU-bound process the bench starts keeps one core busy; and a real-shape
random-weight GGUF (speed does not depend on the weights' values; a random model never finishes
mentor's answer grammar, so it always writes the full `MAX_ANSWER_TOKENS`). Each answer runs in
a fresh process (bench/llm_turn.py), mentor and raw taking turns to go first; the figures are
medians over the rounds.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mentor.llm.smollm2 import smollm2_path
from mentor.llm.synthetic import write_model

QUESTION = "I'm a PM and I worry I have no hard skills to show. Should I be worried?"
#: llama.cpp's wait policy is chosen by each side itself: mentor sets its own, raw keeps the default.
_CLEAN_ENV = {key: value for key, value in os.environ.items() if key != "OMP_WAIT_POLICY"}


def _turn(*args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-m", "bench.llm_turn", *args], capture_output=True, text=True,
                          env=_CLEAN_ENV, cwd=Path(__file__).resolve().parent.parent, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench.llm_turn {args[0]} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def _busy_core(busy: bool) -> Iterator[None]:
    """A competing CPU-bound process for the duration, when `busy`."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
    try:
        yield
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()


def compare(model: Path, home: Path, rounds: int, busy: bool = False) -> dict[str, float]:
    """Medians over `rounds` of mentor's and raw llama-cpp-python's answers to QUESTION."""
    with tempfile.TemporaryDirectory() as folder:
        messages = str(Path(folder) / "messages.json")
        _turn("prompt", str(model), str(home), QUESTION, messages)
        mentor_runs, raw_runs = [], []
        with _busy_core(busy):
            for round_ in range(rounds):
                if round_ % 2:  # alternate who goes first, so neither always meets a warmer machine
                    raw_runs.append(_turn("raw", str(model), messages, str(mentor_runs[-1]["decoded"])))
                mentor_runs.append(_turn("mentor", str(model), str(home), QUESTION))
                if not round_ % 2:
                    raw_runs.append(_turn("raw", str(model), messages, str(mentor_runs[-1]["decoded"])))

    def median(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(run[key] for run in runs)

    return {"ttft_ms": median(mentor_runs, "ttft_ms"), "raw_ttft_ms": median(raw_runs, "ttft_ms"),
            "ttft_overhead_ratio": median(mentor_runs, "ttft_ms") / median(raw_runs, "ttft_ms"),
            "decode_tok_s": median(mentor_runs, "decode_tok_s"), "raw_decode_tok_s": median(raw_runs, "decode_tok_s"),
            "decode_ratio": median(mentor_runs, "decode_tok_s") / median(raw_runs, "decode_tok_s"),
            "followup_ttft_ratio": statistics.median(r["followup_ttft_ms"] / r["ttft_ms"] for r in mentor_runs),
            "prompt_tokens": int(median(mentor_runs, "prompt_tokens")), "decoded": int(median(mentor_runs, "decoded")),
            "threads": int(mentor_runs[0]["threads"]), "raw_threads": int(raw_runs[0]["threads"])}


def run(home: Path, shape: str, rounds: int = 4) -> dict[str, object]:
    """The real model quiet and busy (when installed), then the random-weight `shape`."""
    result: dict[str, object] = {}
    real = smollm2_path()
    if real is not None:
        result["real_quiet"] = compare(real, home, rounds)
        result["real_busy"] = compare(real, home, rounds, busy=True)
    with tempfile.TemporaryDirectory() as folder:
        path = write_model(Path(folder) / f"{shape}.gguf", shape, "q8_0")
        result["synthetic"] = {**compare(path, home, rounds), "model_shape": shape}
    return result
