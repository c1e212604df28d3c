"""A labelled set of thread files, ingested into a temporary data directory beside the bundled
corpus, so `mentor eval --threads DIR --labels FILE` measures the engine on threads nobody here
wrote without touching the person's own corpus."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from mentor.config import Settings
from mentor.corpus.ingest import ingest
from mentor.corpus.store import ThreadStore
from mentor.engine.index import sync_index
from mentor.errors import MentorError
from mentor.eval.labels import ThreadLabels, load_label_set
from mentor.importers.registry import read_file


def labelled_threads(sets: Sequence[tuple[Path, Path]], questions: dict[str, tuple[str, ...]] | None = None
                     ) -> tuple[list[Path], list[ThreadLabels]]:
    """The thread files of `sets` ((threads folder, labels file) pairs) and their labels with
    their thread ids. With `questions` (thread file name -> questions, `load_questions`), those
    are asked instead of the labels' own, and a thread it does not name is asked nothing (it is
    still among the files).

    Raises MentorError when a labels file or a thread file cannot be read, or `questions` names a
    file no set holds.
    """
    labelled: list[ThreadLabels] = []
    files: list[Path] = []
    for threads_dir, labels_file in sets:
        for entry in load_label_set(labels_file, threads_dir):
            thread = read_file(entry.path.resolve())
            files.append(entry.path)
            asked = entry.labels.questions if questions is None else questions.get(entry.path.name, ())
            if asked:
                labelled.append(replace(entry.labels, thread_id=thread.id, questions=asked))
    unknown = sorted(set(questions or {}) - {path.name for path in files})
    if unknown:
        raise MentorError(f"the questions file names {', '.join(unknown)}, which no --labels file labels")
    return files, labelled


@contextmanager
def labelled_home(sets: Sequence[tuple[Path, Path]], settings: Settings,
                  questions: dict[str, tuple[str, ...]] | None = None
                  ) -> Iterator[tuple[Path, list[ThreadLabels]]]:
    """A temporary home holding the bundled corpus and every thread of `sets`, indexed; and the
    sets' labels with their thread ids (`labelled_threads`, which says what `questions` does and
    what is raised; nothing is kept then)."""
    files, labelled = labelled_threads(sets, questions)
    with tempfile.TemporaryDirectory(prefix="mentor-eval-") as folder:
        home = Path(folder)
        store = ThreadStore(home)
        try:
            ingest(store, files)
        finally:
            store.close()
        sync_index(home, settings)
        yield home, labelled


@contextmanager
def starter_home(home: Path, settings: Settings) -> Iterator[tuple[Path, int]]:
    """A home whose corpus is the bundled one alone, and how many threads of `home` it leaves
    out: `home` itself when it holds no thread the user added (its index is already built),
    else a temporary one, indexed (a minute or more on 2 cores). The starter set's figures then
    measure the starter corpus whatever the user imported: a trial user's own four-post import
    answered two labelled conversations' turns and the follow-up figures fell below the README's."""
    store = ThreadStore(home)
    try:
        added = len(store.list())
    finally:
        store.close()
    if not added:
        yield home, 0
        return
    with labelled_home([], settings) as (bundled_only, _):
        yield bundled_only, added
