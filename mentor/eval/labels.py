"""The evaluation labels of the starter corpus (corpus/labels/<thread id>.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from mentor.corpus.bundled import corpus_dir
from mentor.errors import MentorError


@dataclass(frozen=True)
class ThreadLabels:
    thread_id: str
    side_a: str
    side_b: str
    sides: dict[int, str]  # post index -> "A" | "B" | "neutral" | "mixed"
    questions: tuple[str, ...]


def load_labels() -> list[ThreadLabels]:
    folder = corpus_dir() / "labels"
    labels = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            labels.append(ThreadLabels(
                thread_id=data["thread"], side_a=data["side_a"], side_b=data["side_b"],
                sides={int(k): v for k, v in data["posts"].items()},
                questions=tuple(data["questions"])))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise MentorError(f"{path}: not a label file ({exc})") from None
    return labels
