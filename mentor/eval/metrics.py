"""`mentor eval`: every labelled question through the engine, beside a BM25-only baseline.

Per question: thread hit@5 (the question's thread among the five best-ranked threads);
both-sides coverage (the cited posts include side-A and side-B posts of that thread);
perspective purity (of the cited posts of that thread, the share whose label is the majority
label of their perspective; neutral and mixed posts, and posts of other threads, left out);
citation validity (every `[n]` names a listed source); latency of the whole ask.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mentor.config import Settings
from mentor.engine.cite import citations
from mentor.engine.conversation import Conversation
from mentor.engine.engine import Engine
from mentor.engine.events import AnswerDone
from mentor.eval.labels import ThreadLabels, load_labels

TARGETS = {"hit_at_5": 0.95, "both_sides": 0.90, "purity": 0.90, "citation_validity": 1.0}


@dataclass
class RunMetrics:
    name: str
    questions: int = 0
    hits: int = 0
    both_sides: int = 0
    pure: int = 0
    judged: int = 0
    valid_citations: int = 0
    citations: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        lat = sorted(self.latencies_ms) or [0.0]
        return {
            "questions": self.questions,
            "hit_at_5": self.hits / max(1, self.questions),
            "both_sides": self.both_sides / max(1, self.questions),
            "purity": self.pure / max(1, self.judged),
            "citation_validity": self.valid_citations / max(1, self.citations),
            "latency_p50_ms": statistics.median(lat),
            "latency_p95_ms": lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))],
        }


def evaluate(engine: Engine, labels: list[ThreadLabels], name: str) -> RunMetrics:
    run = RunMetrics(name=name)
    for thread_labels in labels:
        for question in thread_labels.questions:
            run.questions += 1
            started = time.perf_counter()
            answer = next(e.answer for e in engine.ask(Conversation(), question) if isinstance(e, AnswerDone))
            run.latencies_ms.append((time.perf_counter() - started) * 1000)
            top5 = [hit.thread_id for hit in engine.retrieve(answer.evidence.query).threads[:5]]
            if thread_labels.thread_id in top5:
                run.hits += 1
            else:
                run.misses.append(question)
            listed = {s.n: s for s in answer.evidence.sources}
            found = citations(answer.text)
            run.citations += len(found)
            run.valid_citations += sum(n in listed for n in found)
            cited = [listed[n] for n in found if n in listed and listed[n].thread_id == thread_labels.thread_id]
            sides = {thread_labels.sides.get(s.post_index) for s in cited}
            run.both_sides += {"A", "B"} <= sides
            for perspective in range(len(answer.evidence.perspectives)):
                labelled = [thread_labels.sides[s.post_index] for s in cited
                            if s.perspective == perspective and thread_labels.sides[s.post_index] in ("A", "B")]
                if labelled:
                    run.judged += len(labelled)
                    run.pure += Counter(labelled).most_common(1)[0][1]
    return run


def run_eval(home: Path, settings: Settings) -> tuple[RunMetrics, RunMetrics]:
    """(mentor, BM25-only baseline), in this process, on the same corpus."""
    labels = load_labels()
    hybrid = evaluate(Engine.open(home, settings), labels, "mentor (hybrid)")
    baseline = evaluate(Engine.open(home, settings, dense=False), labels, "BM25 only")
    return hybrid, baseline
