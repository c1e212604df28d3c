"""Evaluation labels: the starter corpus's (corpus/labels/<thread id>.json) and labelled sets of
thread files (one JSON file for a folder of threads, as in `../shared/real-threads/labels.json`).

Both say, per thread, its two positions (A and B), one side per post (`A`, `B`, `mixed`,
`neutral`; 1-based post numbers) and questions a worried PM would type that the thread answers.

A labelled set's file::

    {"threads": {"<file name in the threads folder>": {
        "A": "position A", "B": "position B",
        "sides": {"1": "neutral", "2": "A", ...},
        "questions": ["...", "..."]}}}

Keys starting with `_` and other keys of a thread (`title`, `url`) are ignored.

A questions file (`mentor eval --questions`) holds other questions for the same threads, asked
instead of the labels' own, to measure the engine on words other than the ones it was tuned on::

    {"threads": {"<file name in a threads folder>": ["...", "..."]}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from mentor.corpus.bundled import corpus_dir
from mentor.errors import MentorError

SIDES = ("A", "B", "mixed", "neutral")


@dataclass(frozen=True)
class ThreadLabels:
    thread_id: str
    side_a: str
    side_b: str
    sides: dict[int, str]  # post index -> "A" | "B" | "neutral" | "mixed"
    questions: tuple[str, ...]


@dataclass(frozen=True)
class LabelledFile:
    """A thread file of a labelled set and its labels (`thread_id` is given once it is read)."""

    path: Path
    labels: ThreadLabels


def load_labels() -> list[ThreadLabels]:
    """The starter corpus's labels."""
    folder = corpus_dir() / "labels"
    labels = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            labels.append(ThreadLabels(
                thread_id=data["thread"], side_a=data["side_a"], side_b=data["side_b"],
                sides=_sides(data["posts"]), questions=tuple(data["questions"])))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise MentorError(f"{path}: not a label file ({exc})") from None
    return labels


def _threads_object(path: Path, what: str, values: str) -> dict:
    """The "threads" object of a labels or questions file (`what`), whose values are `values`;
    raises MentorError naming the file when it cannot be read or holds none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MentorError(f"{path}: cannot read a {what} file ({exc})") from None
    threads = data.get("threads") if isinstance(data, dict) else None
    if not isinstance(threads, dict) or not threads:
        raise MentorError(f"{path}: expected an object with a non-empty \"threads\" object (file name -> {values})")
    return threads


def load_label_set(labels_file: Path, threads_dir: Path) -> list[LabelledFile]:
    """The labelled threads of a set; raises MentorError naming the file and field at fault."""
    threads = _threads_object(labels_file, "labels", "labels")
    found = []
    for name, entry in threads.items():
        where = f"{labels_file}: threads.{name}"
        path = threads_dir / name
        if not path.is_file():
            raise MentorError(f"{where}: no such thread file in {threads_dir}")
        try:
            labels = ThreadLabels(thread_id="", side_a=str(entry["A"]), side_b=str(entry["B"]),
                                  sides=_sides(entry["sides"]),
                                  questions=tuple(str(q) for q in entry["questions"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise MentorError(f"{where}: expected \"A\", \"B\", \"sides\" (post number -> "
                              f"{'/'.join(SIDES)}) and \"questions\" ({exc})") from None
        if not labels.questions:
            raise MentorError(f"{where}.questions: expected at least one question")
        found.append(LabelledFile(path=path, labels=labels))
    return found


def load_questions(path: Path) -> dict[str, tuple[str, ...]]:
    """A questions file's questions by thread file name; raises MentorError naming the file and
    the field at fault."""
    threads = _threads_object(path, "questions", "list of questions")
    out = {}
    for name, questions in threads.items():
        if not isinstance(questions, list) or not questions or not all(
                isinstance(q, str) and q.strip() for q in questions):
            raise MentorError(f"{path}: threads.{name}: expected a non-empty list of questions (strings)")
        out[name] = tuple(questions)
    return out


def _sides(raw: dict[str, str]) -> dict[int, str]:
    sides = {int(k): v for k, v in raw.items()}
    wrong = [f"{k}: {v!r}" for k, v in sides.items() if v not in SIDES]
    if wrong:
        raise ValueError(f"sides must be one of {', '.join(SIDES)}, not {', '.join(wrong)}")
    return sides
