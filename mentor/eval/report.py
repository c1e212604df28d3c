"""`mentor eval`'s text report: a Markdown table of the figures against their targets, each
marked met (✓) or not (✗), then one line per question.

The marks are characters, not colours, so the report reads the same piped into a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from textwrap import shorten

from mentor.eval.metrics import QuestionResult
from mentor.untrusted import printable

#: The figures that have a target, in the order of the table.
TARGETED = ("hit_at_5", "both_sides", "purity", "citation_validity", "label_quality")
MET, NOT_MET = "✓", "✗"
#: Characters of a question shown on its line (cut at a word, with "…").
QUESTION_CHARS = 70

Summary = Mapping[str, float]


def percent(value: float) -> str:
    """`value` as a percentage with one decimal, or whole at 0% and 100% ("100%", not "100.0%")."""
    return f"{value:.0%}" if value in (0.0, 1.0) else f"{value:.1%}"


def target_text(target: float) -> str:
    """A target as it reads in the table: "≥ 90%", or "100%" when every case must pass."""
    return percent(target) if target >= 1.0 else f"≥ {target:.0%}"


def mark(value: float, target: float) -> str:
    return MET if value >= target else NOT_MET


def metric_name(key: str) -> str:
    return key.replace("_", " ")


def table(rows: Mapping[str, Summary], targets: Mapping[str, float]) -> list[str]:
    """The figures of each run (a column each) against their targets, then latency."""
    names = list(rows)
    lines = [f"| metric | target | {' | '.join(names)} |", "| --- | --- |" + " --- |" * len(names)]
    for key in TARGETED:
        cells = " | ".join(f"{percent(rows[n][key])} {mark(rows[n][key], targets[key])}" for n in names)
        lines.append(f"| {metric_name(key)} | {target_text(targets[key])} | {cells} |")
    cells = " | ".join(percent(rows[n]["in_answer"]) for n in names)
    lines.append(f"| thread quoted in the answer | | {cells} |")
    for key in ("latency_p50_ms", "latency_p95_ms"):
        cells = " | ".join(f"{rows[n][key]:.1f} ms" for n in names)
        lines.append(f"| {metric_name(key[:-3])} | | {cells} |")
    return lines


def verdict(name: str, row: Summary, targets: Mapping[str, float]) -> str:
    """One line: how many targets a run met, and which it did not."""
    missed = [metric_name(key) for key in TARGETED if row[key] < targets[key]]
    if not missed:
        return f"{name}: all {len(TARGETED)} targets met {MET}"
    return (f"{name}: {len(TARGETED) - len(missed)} of {len(TARGETED)} targets met; "
            f"below target {NOT_MET}: {', '.join(missed)}")


def question_line(result: QuestionResult) -> str:
    """One labelled question: where its thread ranked, whether both sides were cited, purity."""
    hit = "hit" if result.in_answer else f"hit (rank {result.rank}, not in the answer)"
    marks = (hit if result.hit_at_5 else f"rank {result.rank}" if result.rank else "not ranked",
             "both sides" if result.both_sides else "one side",
             f"pure {result.pure}/{result.judged}" if result.judged else "pure —")
    question = shorten(printable(result.question), QUESTION_CHARS, placeholder="…")
    return f"- {question}: {', '.join(marks)}" + "".join(
        f"\n    bad label: {printable(bad)}" for bad in result.bad_labels)


def render(rows: Mapping[str, Summary], targets: Mapping[str, float], results: list[QuestionResult]) -> str:
    """The whole text report; `results` are the first run's questions."""
    first = next(iter(rows))
    lines = table(rows, targets) + [""]
    lines += [verdict(name, row, targets) for name, row in rows.items()]
    lines += ["", f"{int(rows[first]['questions'])} labelled questions ({first}): hit = the thread is among "
                  "the best five (else its rank);",
              "pure N/M = N of the M labelled sources listed under a view carry their view's side "
              "(— when none was listed)"]
    lines += [question_line(result) for result in results]
    return "\n".join(lines)
