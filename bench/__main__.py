"""`python -m bench [--quick] [--json]`: mentor's speed, as ratios against baselines in the same run.

Sections: retrieval and ingest at scale (bench/retrieval.py; LSA at every size, and the sentence
model beside it at 1k posts), a mentor answer's first token and
decode speed beside raw llama-cpp-python with its library defaults on the same model and prompt
(bench/llm.py: SmolLM2-135M quiet and beside a busy process, and a random-weight real-shape
model), and the chat's launch and Enter-to-sources times (bench/ui.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

from bench import llm, retrieval, ui
from bench.corpus_gen import questions
from mentor.engine.sentence_model import packaged_model_dir

TARGETS = {"retrieval_p95_ms": "≤ 20 ms at 100k posts", "ingest_posts_per_s": "≥ 1,000",
           "ingest_ratio": "≥ 1.00 (not slower than without the thread analyses)",
           "launch_to_prompt_s": "≤ 1.0 s", "enter_to_sources_ms": "≤ 150 ms",
           "ttft_overhead_ratio": "≤ 1.05", "decode_ratio": "≥ 0.95", "followup_ttft_ratio": "≤ 0.30"}
LLM_KEYS = ("ttft_ms", "raw_ttft_ms", "ttft_overhead_ratio", "decode_tok_s", "raw_decode_tok_s", "decode_ratio",
            "followup_ttft_ratio", "prompt_tokens", "threads", "raw_threads")
#: The answer runs of bench/llm.py, as columns.
LLM_RUNS = {"real_quiet": "SmolLM2-135M, quiet", "real_busy": "SmolLM2-135M, 1 core busy",
            "synthetic": "random weights"}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="1k and 10k posts (under 5 minutes)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--answers", action="store_true", help="only the answers' speed (bench/llm.py)")
    args = parser.parse_args()
    if args.answers:
        _answers_only(args)
        return
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    started = time.perf_counter()
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    scale = {size: retrieval.run(size) for size in sizes}
    sentence = retrieval.run(1_000, embedding_model=None) if packaged_model_dir() else None
    with tempfile.TemporaryDirectory() as folder:
        from mentor.engine.engine import Engine

        Engine.open(Path(folder))
        answers = llm.run(Path(folder), "mini" if args.quick else "qwen2.5-0.5b", rounds=2 if args.quick else 4)
    result: dict[str, object] = {
        "retrieval_p95_ms": {str(s): r["retrieval_p95_ms"] for s, r in scale.items()},
        "bm25_p95_ms": {str(s): r["bm25_p95_ms"] for s, r in scale.items()},
        "exact_dense_p95_ms": {str(s): r["exact_dense_p95_ms"] for s, r in scale.items()},
        "ann_recall_at_10": {str(s): r["ann_recall_at_10"] for s, r in scale.items()},
        "engine_open_s": {str(s): r["engine_open_s"] for s, r in scale.items()},
        "ingest_posts_per_s": scale[sizes[-1]]["ingest_posts_per_s"],
        "ingest_without_analyses_posts_per_s": scale[sizes[-1]]["ingest_without_analyses_posts_per_s"],
        "ingest_ratio": scale[sizes[-1]]["ingest_ratio"],
        "sentence_model_1k": None if sentence is None else
        {key: sentence[key] for key in ("retrieval_p95_ms", "ingest_posts_per_s", "engine_open_s")},
        "lsa_1k": {key: scale[1_000][key] for key in ("retrieval_p95_ms", "ingest_posts_per_s", "engine_open_s")},
        **answers,
        **ui.run(questions(10)),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, {os.cpu_count()} cores",
        "load_before": load_before,
        "seconds": time.perf_counter() - started,
    }
    if args.json:
        print(json.dumps(result))
        return
    print("| measure | " + " | ".join(f"{s:,} posts" for s in sizes) + " | target |")
    print("| --- |" + " --- |" * (len(sizes) + 1))
    for key in ("retrieval_p95_ms", "bm25_p95_ms", "exact_dense_p95_ms", "ann_recall_at_10", "engine_open_s"):
        cells = " | ".join(f"{result[key][str(s)]:.2f}" for s in sizes)
        print(f"| {key} | {cells} | {TARGETS.get(key, '')} |")
    for key in ("ingest_posts_per_s", "ingest_without_analyses_posts_per_s", "ingest_ratio", "launch_to_prompt_s",
                "enter_to_sources_ms", "peak_rss_mb"):
        value = result[key]
        shown = "n/a" if value is None else f"{value:.2f}"
        print(f"| {key} | {shown} |" + " |" * (len(sizes) - 1) + f" {TARGETS.get(key, '')} |")
    if result["sentence_model_1k"]:
        print("\n| at 1,000 posts | LSA | sentence model | ratio |\n| --- | --- | --- | --- |")
        for key, lsa in result["lsa_1k"].items():
            value = result["sentence_model_1k"][key]
            print(f"| {key} | {lsa:.2f} | {value:.2f} | {value / lsa:.2f} |")
    _answer_table(result)
    print(f"\n{result['machine']}; random weights: shape {result['synthetic']['model_shape']}, Q8_0; "
          f"load average before: {result['load_before']}; {result['seconds']:.0f} s")


def _answers_only(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as folder:
        from mentor.engine.engine import Engine

        Engine.open(Path(folder))
        result = llm.run(Path(folder), "mini" if args.quick else "qwen2.5-0.5b", rounds=2 if args.quick else 4)
    result.update(load_before=load_before, seconds=time.perf_counter() - started)
    if args.json:
        print(json.dumps(result))
        return
    _answer_table(result)
    print(f"\nrandom weights: shape {result['synthetic']['model_shape']}, Q8_0; load average before: "
          f"{load_before}; {result['seconds']:.0f} s")


def _answer_table(result: dict[str, object]) -> None:
    runs = [name for name in LLM_RUNS if name in result]
    print("\n| answer | " + " | ".join(LLM_RUNS[name] for name in runs) + " | target |")
    print("| --- |" + " --- |" * (len(runs) + 1))
    for key in LLM_KEYS:
        cells = " | ".join(f"{result[name][key]:.2f}" for name in runs)
        print(f"| {key} | {cells} | {TARGETS.get(key, '')} |")


if __name__ == "__main__":
    main()
