"""`mentor ingest`: import files and folders into the user's store, all or nothing.

Every file is parsed before anything is written. A bad file stops the run with its
`file:line: what was expected` and nothing from the run is stored, unless `skip_bad` is set,
in which case the rest is imported and the bad files are reported. Writing is one transaction.
In a folder, its documentation (README, LICENSE, CHANGELOG, ...: the names in
`documentation_files.toml`) is passed over and reported, not imported as a discussion; a file
named directly is read whatever its name. With `skip_bad`, a run whose every file is bad still
fails: it stores nothing.
Two files of one run that yield the same thread (the same id and content hash: one file with
other line endings, say) are one thread, stored once and reported; two different threads with
one id stop the run.
Threads are compared by content hash: the same thread again changes nothing, an edited one
replaces the stored copy, and a file that now yields a thread with a different id (say, a new
title) replaces the thread it yielded before.

Never silently replaced:
- a stored thread by a file that holds only part of it (`Thread.partial`): the part adds the
  posts the stored copy lacks (`merge`), and the report says so; it replaces only a stored part
  whose every post it holds;
- a stored thread by a different one that happens to get the same id (two plain-text dumps
  with one title): the file is refused, naming the other;
- a stored thread without post ids (plain text, Markdown) by a copy that lacks some of its
  posts: those are kept (`merge_copy`: no id tells a post deleted at its forum from one a
  shorter copy left out), and the report says how many (`lacked`), and how many posts the copy
  holds in other words at their place (`edited`).
A thread with a `native_id` (a Reddit submission, a Discourse topic with its creation time) is
stored under the id it was stored with before, however its title slugs now: a saved page and a
fetched one, or a topic renamed between two saves, are one thread.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from mentor.corpus.merge import NUMBERED_FORMATS, holds_every_post, id_less, merge, merge_copy
from mentor.corpus.model import Thread
from mentor.corpus.store import ThreadStore
from mentor.errors import ImportFailure, MentorError
from mentor.importers.plaintext import one_post_note
from mentor.importers.registry import read_file

#: File endings picked up when a folder is ingested (a file named directly may have any ending).
FOLDER_SUFFIXES = {".txt", ".md", ".markdown", ".json"}
#: The names of a folder's documentation (README, LICENSE, ...), which a folder's ingest passes over.
_DOCUMENTATION = Path(__file__).with_name("documentation_files.toml")


@dataclass
class IngestReport:
    """What one run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    #: Stored threads a partial file added posts to: id -> how many.
    merged: dict[str, int] = field(default_factory=dict)
    #: Stored threads kept as they were because the file held less of them: id -> the file's posts.
    kept: dict[str, int] = field(default_factory=dict)
    skipped: list[ImportFailure] = field(default_factory=list)
    #: Documentation files (README, LICENSE, ...) found in the folders and not imported.
    documentation: list[Path] = field(default_factory=list)
    #: Files of other kinds (not .txt, .md, .markdown, .json; not hidden) found in the folders, not read.
    other_files: list[Path] = field(default_factory=list)
    posts: int = 0
    #: The posts the files held that are no one's words (deleted, small actions, bots…), left out.
    left_out: int = 0
    #: What part of each thread its file held, for the threads a file held only part of.
    notes: dict[str, str] = field(default_factory=dict)
    #: The posts the forum hid (flagged by its community), left out, for the threads that had any.
    hidden: dict[str, str] = field(default_factory=dict)
    #: Files that held the very thread an earlier file of the run held (the same content: say,
    #: one file with other line endings), so it is stored once: (the file, the earlier file).
    same_as: list[tuple[str, str]] = field(default_factory=list)
    #: How a file was read where it may not be what its author meant, by thread id: a plain-text
    #: dump read as a single post although its lines may be several (`plaintext.one_post_note`).
    read_as: dict[str, str] = field(default_factory=dict)
    #: Whole copies of one forum thread (the same native id) with different content in one run:
    #: the last read is stored over the others. Thread id -> the files, in the order read.
    saves: dict[str, list[str]] = field(default_factory=dict)
    #: Threads a whole copy replaced that held posts the file has not (by the forum's own post
    #: ids: an older save, or comments deleted since): thread id -> how many.
    dropped: dict[str, int] = field(default_factory=dict)
    #: Stored threads without post ids (plain text, Markdown) whose new copy lacked some of their
    #: posts, which are kept (the thread is in `updated`, or in `kept` when the copy added
    #: nothing): thread id -> how many.
    lacked: dict[str, int] = field(default_factory=dict)
    #: Stored threads without post ids whose new copy holds some of their posts in other words at
    #: the same place, stored in the copy's words: thread id -> how many.
    edited: dict[str, int] = field(default_factory=dict)
    #: Stored threads without post ids whose new copy holds posts they lacked (new replies),
    #: stored: thread id -> how many.
    appended: dict[str, int] = field(default_factory=dict)


class IngestFailed(MentorError):
    """Bad files stopped the run, or (with `skip_bad`) every file was bad; nothing was stored."""

    def __init__(self, failures: list[ImportFailure], *, skip_bad: bool = False) -> None:
        self.failures = failures
        lines = [str(f) for f in failures]
        count = f"{len(failures)} bad file{'s' if len(failures) != 1 else ''}"
        why = (f"{count} and no good one to import" if skip_bad
               else f"{count}; --skip-bad imports the rest")
        super().__init__("\n".join(lines + [f"nothing was stored ({why})"]))


@dataclass
class Found:
    """The files to read for the paths of one ingest, and the documentation passed over."""

    files: list[Path] = field(default_factory=list)
    #: README, LICENSE and the like found in named folders (see `documentation_files.toml`).
    documentation: list[Path] = field(default_factory=list)
    #: Files of other kinds found in named folders (a `.png`, a `.csv`), not hidden ones.
    other_files: list[Path] = field(default_factory=list)


@lru_cache(maxsize=1)
def _documentation_names() -> frozenset[str]:
    with _DOCUMENTATION.open("rb") as data:
        return frozenset(str(name).casefold() for name in tomllib.load(data)["names"])


def is_documentation(path: Path) -> bool:
    """Whether `path` is named like a folder's documentation (README.md, LICENSE.txt, ...)."""
    return path.name.split(".", 1)[0].casefold() in _documentation_names()


#: What `-` names on the command line: the standard input.
STDIN = Path("/dev/stdin")


def expand(paths: Iterable[Path]) -> Found:
    """Files named directly, plus the thread files found below named folders (hidden ones
    skipped; documentation files and files of other kinds set aside in `Found`)."""
    found = Found()
    for path in paths:
        if str(path) == "-":  # standard input: `curl …/t/123.json | mentor ingest -`
            path = STDIN
        if path.is_dir():
            _add_folder(found, path)
        elif path.exists() or path.is_symlink():  # a broken link is named by read_file
            found.files.append(path)
        else:
            raise MentorError(f"{path}: no such file or folder")
    return found


def _add_folder(found: Found, folder: Path) -> None:
    """The thread files below `folder` into `found`, its documentation files and files of other
    kinds aside (hidden ones passed over)."""
    visible = sorted(f for f in folder.rglob("*") if (f.is_file() or f.is_symlink() and not f.exists())
                     and not any(part.startswith(".") for part in f.relative_to(folder).parts))
    candidates = [f for f in visible if f.suffix.lower() in FOLDER_SUFFIXES]
    found.other_files += [f for f in visible if f.suffix.lower() not in FOLDER_SUFFIXES]
    documentation = [f for f in candidates if is_documentation(f)]
    files = [f for f in candidates if f not in documentation]
    if not files:
        passed = (f"; {', '.join(f.name for f in documentation)} "
                  f"{'is' if len(documentation) == 1 else 'are'} documentation, passed over") if documentation else ""
        raise MentorError(f"{folder}: no thread files in this folder (looked for "
                          f"{', '.join(sorted(FOLDER_SUFFIXES))} files below it{passed}; name a file "
                          "directly to import it whatever its name)")
    found.files += files
    found.documentation += documentation


def ingest(store: ThreadStore, paths: Iterable[Path], *, format: str | None = None,
           skip_bad: bool = False, on_file: Callable[[Path], None] | None = None) -> IngestReport:
    """Parse every file under `paths`, then store the threads in one transaction."""
    found = expand(paths)
    report = IngestReport(documentation=found.documentation, other_files=found.other_files)
    parsed: list[Thread] = []
    seen: dict[str, str] = {}
    #: The first file of each (id, content hash) read: a file that yields the same is that thread.
    first_with: dict[tuple[str, str], str] = {}
    for path in found.files:
        if on_file:
            on_file(path)
        try:
            # A pipe's path (/dev/stdin, <(…)) resolves to no file: it is read as named.
            thread = read_file(path.resolve() if path.is_file() else path, format)
            key = (thread.id, thread.content_hash())
            if key in first_with:
                report.same_as.append((str(path), first_with[key]))
                continue
            if thread.id in seen and not _same_thread(thread, parsed):
                raise ImportFailure(f"thread id '{thread.id}' also comes from {seen[thread.id]} "
                                    "(give one of them another title or id)", path=str(path))
            refuse_id_taken(store, thread)
        except ImportFailure as failure:
            report.skipped.append(failure)
            continue
        seen[thread.id] = first_with[key] = str(path)
        parsed.append(thread)
        if note := one_post_note(thread):
            report.read_as[thread.id] = f"{path}: {note}"
    if report.skipped and (not skip_bad or not parsed):
        raise IngestFailed(report.skipped, skip_bad=skip_bad)
    store_threads(store, parsed, report)
    return report


def _same_thread(thread: Thread, parsed: list[Thread]) -> bool:
    """Whether the thread parsed before with `thread`'s id is the same forum thread (the same
    `native_id`, the forum's own thread number: Discourse, Reddit, Hacker News): two files of one
    thread, stored one after the other."""
    return thread.native_id is not None and any(
        other.id == thread.id and other.native_id == thread.native_id for other in parsed)


def refuse_id_taken(store: ThreadStore, thread: Thread) -> None:
    """An ImportFailure when a different thread from another file is stored under `thread`'s id
    (a title-made id: two dumps with one title; two forums' topics with one title and number,
    told apart by their `native_id`). The same thread moved elsewhere (the same opening post)
    may replace it."""
    stored = store.get(thread.id)
    if stored is not None and thread.native_id and stored.native_id and stored.native_id != thread.native_id:
        raise ImportFailure(f"thread id '{thread.id}' is already taken by a different thread with the same "
                            f"title and number ({stored.native_id}, from {stored.source}; this file holds "
                            f"{thread.native_id}): remove it first (`mentor corpus remove {thread.id}`) to "
                            "import this one instead", path=thread.source)
    if thread.format not in ("plaintext", "markdown"):
        return
    if stored is None or stored.source == thread.source or not stored.posts:
        return
    if stored.posts[0].text != thread.posts[0].text:
        raise ImportFailure(f"thread id '{thread.id}' is already taken by a different thread, from "
                            f"{stored.source}: give this file another title"
                            + (" (or an id: in its front matter)" if thread.format == "markdown" else ""),
                            path=thread.source)


def store_threads(store: ThreadStore, threads: list[Thread], report: IngestReport) -> None:
    """Write `threads` in one transaction, recording in `report` what changed."""
    with store.transaction():
        ids = {t.id for t in threads}
        sources: dict[str, str] = {}  # the file each thread stored in this run came from
        for thread in threads:
            report.posts += len(thread.posts)
            report.left_out += thread.unread()
            if thread.native_id and (known := store.id_of_native(thread.native_id)) not in (None, thread.id):
                thread = replace(thread, id=known)
                ids.add(known)
            for old_id in store.ids_from_source(thread.source):
                if old_id not in ids:
                    store.remove(old_id)
                    report.removed.append(old_id)
            if note := thread.coverage_note():
                report.notes[thread.id] = note
            else:  # a whole copy: an earlier part's note no longer says what is stored
                report.notes.pop(thread.id, None)
            if hidden := thread.hidden_note():
                report.hidden[thread.id] = hidden
            before = store.get(thread.id)
            updates = len(report.updated)
            if before is not None and thread.partial:
                _store_part(store, before, thread, report)
            elif before is not None and before.content_hash() == thread.content_hash():
                report.unchanged.append(thread.id)
            elif before is not None and id_less(before, thread):
                _store_copy(store, before, thread, report)
            else:
                store.put(thread)
                (report.updated if before is not None else report.added).append(thread.id)
                if before is not None and (gone := _posts_gone(before, thread)):
                    report.dropped[thread.id] = gone
            if thread.id in sources and len(report.updated) > updates:
                report.updated.pop()  # another save of a thread an earlier file of this run held
                report.saves.setdefault(thread.id, [sources[thread.id]]).append(thread.source)
            sources[thread.id] = thread.source


def _posts_gone(before: Thread, after: Thread) -> int:
    """How many posts of `before` (by their forum ids, `Post.ref`, or by their forum numbers for a
    forum that numbers its posts: a Discourse raw page's have no ids) `after` does not hold."""
    if before.format in NUMBERED_FORMATS and after.format in NUMBERED_FORMATS:
        numbers = {post.index for post in after.posts}
        return sum(1 for post in before.posts if post.index not in numbers)
    kept = {post.ref for post in after.posts if post.ref}
    return sum(1 for post in before.posts if post.ref and post.ref not in kept)


def _store_part(store: ThreadStore, before: Thread, part: Thread, report: IngestReport) -> None:
    """A file with part of a stored thread: add the posts the stored copy lacks. A part that
    holds every post of a stored part is no less than it: it replaces it when it differs (a
    newer save of the same page: other likes, an edit, what it tells of the posts it left
    out), as a whole thread's file does."""
    merged = merge(before, part)
    added = len(merged.posts) - len(before.posts)
    if added:
        store.put(merged)
        report.merged[part.id] = added
    elif before.content_hash() == part.content_hash():
        report.unchanged.append(part.id)
    elif before.partial and holds_every_post(part, before):
        store.put(part)
        report.updated.append(part.id)
    else:
        report.kept[part.id] = len(part.posts)


def _store_copy(store: ThreadStore, before: Thread, copy: Thread, report: IngestReport) -> None:
    """Another copy of a stored thread without post ids (plain text, Markdown): stored as an
    edited file is ("updated"), but with the stored posts it lacks kept (`merge_copy`), counted
    in `report.lacked`; when it adds nothing to the stored copy, that copy is kept as it was
    ("kept", as a part that adds nothing is). Posts in other words at their place are counted
    in `report.edited`, posts the stored copy lacked in `report.appended`."""
    merged = merge_copy(before, copy)
    if merged.kept:
        report.lacked[copy.id] = merged.kept
    if merged.edited:
        report.edited[copy.id] = merged.edited
    if merged.added:
        report.appended[copy.id] = merged.added
    if merged.thread.content_hash() == before.content_hash():
        report.kept[copy.id] = len(copy.posts)
    else:
        store.put(merged.thread)
        report.updated.append(copy.id)
