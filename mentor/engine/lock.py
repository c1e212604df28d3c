"""One writer at a time per data directory.

Two processes writing one chromadb store at once can silently lose vectors from its search
index, so every write (ingest, index updates, removal) holds an exclusive `flock` on
`<home>/writer.lock`. Another writer says what it waits for, waits a little, then gives up
with a clear message. The kernel releases a `flock` when its holder dies, even by SIGKILL, so
a crashed writer never leaves the lock held (the name left in the file is only a label).
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mentor.errors import MentorError

WAIT_SECONDS = 15.0


class StoreBusy(MentorError):
    """Another mentor process is writing to this data directory."""


def _tell(message: str) -> None:
    print(f"mentor: {message}", file=sys.stderr, flush=True)


@contextmanager
def writer_lock(home: Path, wait_seconds: float = WAIT_SECONDS,
                on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the writer lock of `home`; if another process holds it, say so once through
    `on_wait` (stderr by default) and wait up to `wait_seconds` for it."""
    tell = on_wait or _tell
    path = home / "writer.lock"
    with open(path, "a+") as handle:
        deadline = time.monotonic() + wait_seconds
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                if not told:
                    tell(f"{home} is being updated by {holder}; waiting up to {wait_seconds:.0f} s "
                            "for it to finish…")
                    told = True
                if time.monotonic() >= deadline:
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
