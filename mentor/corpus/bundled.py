"""The starter corpus that ships with mentor (the repository's `corpus/threads/`).

Only `threads/` is read here. The evaluation labels beside it (`corpus/labels/`) are read by the
evaluation code alone, so nothing that answers questions can see them.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from mentor.corpus.model import Thread
from mentor.importers import markdown
from mentor.importers.registry import read_file

_PACKAGE = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    """The bundled corpus folder: inside the installed package, or the source checkout's."""
    for candidate in (_PACKAGE / "_bundled_corpus", _PACKAGE.parent / "corpus"):
        if (candidate / "threads").is_dir():
            return candidate
    return _PACKAGE.parent / "corpus"


def bundled_threads() -> tuple[Thread, ...]:
    """Every bundled thread, in file-name order."""
    folder = corpus_dir() / "threads"
    files = tuple(sorted(folder.glob("*.md")))
    stamps = tuple(f.stat().st_mtime_ns for f in files)
    return _read(files, stamps)


@lru_cache(maxsize=2)
def _read(files: tuple[Path, ...], _stamps: tuple[int, ...]) -> tuple[Thread, ...]:
    base = corpus_dir()
    threads = []
    for path in files:
        thread = read_file(path, format=markdown.FORMAT)
        source = f"bundled:{path.relative_to(base).as_posix()}"
        threads.append(replace(thread, source=source))
    return tuple(threads)
