"""`mentor ingest`: import files and folders into the user's store, all or nothing.

Every file is parsed before anything is written. A bad file stops the run with its
`file:line: what was expected` and nothing from the run is stored, unless `skip_bad` is set,
in which case the rest is imported and the bad files are reported. Writing is one transaction.
Threads are compared by content hash: the same thread again changes nothing, an edited one
replaces the stored copy, and a file that now yields a thread with a different id (say, a new
title) replaces the thread it yielded before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mentor.corpus.model import Thread
from mentor.corpus.store import ThreadStore
from mentor.errors import ImportFailure, MentorError
from mentor.importers.registry import read_file

#: File endings picked up when a folder is ingested (a file named directly may have any ending).
FOLDER_SUFFIXES = {".txt", ".md", ".markdown", ".json"}


@dataclass
class IngestReport:
    """What one run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[ImportFailure] = field(default_factory=list)
    posts: int = 0


class IngestFailed(MentorError):
    """Bad files stopped the run; nothing was stored."""

    def __init__(self, failures: list[ImportFailure]) -> None:
        self.failures = failures
        lines = [str(f) for f in failures]
        super().__init__("\n".join(lines + [f"nothing was stored ({len(failures)} bad "
                                            f"file{'s' if len(failures) != 1 else ''}; "
                                            "--skip-bad imports the rest)"]))


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus the thread files found below named folders (hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                f for f in path.rglob("*")
                if f.is_file() and f.suffix.lower() in FOLDER_SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(path).parts)
            )
        elif path.exists():
            files.append(path)
        else:
            raise MentorError(f"{path}: no such file or folder")
    return files


def ingest(store: ThreadStore, paths: Iterable[Path], *, format: str | None = None,
           skip_bad: bool = False, on_file: Callable[[Path], None] | None = None) -> IngestReport:
    """Parse every file under `paths`, then store the threads in one transaction."""
    report = IngestReport()
    parsed: list[Thread] = []
    seen: dict[str, str] = {}
    for path in expand(paths):
        if on_file:
            on_file(path)
        try:
            thread = read_file(path.resolve(), format)
            if thread.id in seen:
                raise ImportFailure(f"thread id '{thread.id}' also comes from {seen[thread.id]} "
                                    "(give one of them another title or id)", path=str(path))
        except ImportFailure as failure:
            report.skipped.append(failure)
            continue
        seen[thread.id] = str(path)
        parsed.append(thread)
    if report.skipped and not skip_bad:
        raise IngestFailed(report.skipped)
    store_threads(store, parsed, report)
    return report


def store_threads(store: ThreadStore, threads: list[Thread], report: IngestReport) -> None:
    """Write `threads` in one transaction, recording in `report` what changed."""
    existing = {row.id: row for row in store.list()}
    with store.transaction():
        for thread in threads:
            report.posts += len(thread.posts)
            for old_id in store.ids_from_source(thread.source):
                if old_id != thread.id and old_id not in {t.id for t in threads}:
                    store.remove(old_id)
                    report.removed.append(old_id)
            before = existing.get(thread.id)
            if before is not None and before.content_hash == thread.content_hash():
                report.unchanged.append(thread.id)
                continue
            store.put(thread)
            (report.updated if before is not None else report.added).append(thread.id)
