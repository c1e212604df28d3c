"""One writer at a time per data directory.

Two processes writing one chromadb store at once can silently lose vectors from its search
index, so every write (ingest, index updates, removal) holds an exclusive `flock` on
`<home>/writer.lock`. Another writer waits a little, then gives up with a clear message.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mentor.errors import MentorError

WAIT_SECONDS = 15.0


class StoreBusy(MentorError):
    """Another mentor process is writing to this data directory."""


@contextmanager
def writer_lock(home: Path, wait_seconds: float = WAIT_SECONDS) -> Iterator[None]:
    path = home / "writer.lock"
    with open(path, "a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise StoreBusy(f"{home} is being updated by {holder}; waited {wait_seconds:.0f} s. "
                                    "Try again when it has finished.") from None
                time.sleep(0.1)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"mentor (pid {os.getpid()})")
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
