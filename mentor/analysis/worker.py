"""`python -m mentor.analysis.worker FOLDER`: the second process of a large analysis sync.

`AnalysisStore.sync` pickles the threads to analyse, in chunks, into FOLDER
(`chunks.pickle`). This process and the store's own share them: this one claims chunks from
the first on, the store's process from the last on once its other work (the index sync) is
done, so the two cores stay busy until the last chunk. A chunk is claimed by creating
`<i>.claim` (exclusively: one process wins it) and done when `<i>.rows` (its store rows,
pickled) exists; the files are the store's own, written by the same mentor.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

from mentor.analysis.store import analysis_rows
from mentor.corpus.model import Thread


def claim(folder: Path, chunk: int) -> bool:
    """Whether this process won chunk `chunk` (no other process had claimed it)."""
    try:
        os.close(os.open(folder / f"{chunk}.claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def analyse_chunk(folder: Path, chunk: int, threads: Sequence[Thread]) -> None:
    """Analyse one claimed chunk and write its rows (whole: written aside, then renamed)."""
    partial = folder / f"{chunk}.rows.partial"
    partial.write_bytes(pickle.dumps(analysis_rows(threads)))
    partial.replace(folder / f"{chunk}.rows")


def main(folder: Path) -> None:
    chunks = pickle.loads((folder / "chunks.pickle").read_bytes())
    for chunk, threads in enumerate(chunks):
        if not claim(folder, chunk):  # the store's process has taken the rest, from the end
            return
        analyse_chunk(folder, chunk, threads)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
