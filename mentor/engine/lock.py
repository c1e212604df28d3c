"""One writer at a time per data directory.

Two processes writing one chromadb store at once can silently lose vectors from its search
index, so every write (ingest, index updates, removal) holds an exclusive `flock` on
`<home>/writer.lock`. Another writer says what it waits for and waits as long as the holder
works: it gives up with a clear message only when the holder has used no CPU time for
`wait_seconds` (it is stuck or stopped), however long its work takes on a busy machine. Where
the holder's CPU time cannot be read (no /proc, or the holder is this very process), the wait
is `wait_seconds` in all. The kernel releases a `flock` when its holder dies, even by SIGKILL,
so a crashed writer never leaves the lock held (the name left in the file is only a label).
"""

from __future__ import annotations

import fcntl
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mentor.errors import MentorError

WAIT_SECONDS = 15.0
_POLL_SECONDS = 0.1
_HOLDER_PID = re.compile(r"\(pid (\d+)\)")


class StoreBusy(MentorError):
    """Another mentor process is writing to this data directory."""


def _tell(message: str) -> None:
    print(f"mentor: {message}", file=sys.stderr, flush=True)


def cpu_ticks(pid: int) -> int | None:
    """The CPU time process `pid` has used so far, in clock ticks (utime + stime of
    /proc/PID/stat); None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()  # after the command name, which may hold spaces
    except (OSError, IndexError):
        return None
    return int(fields[11]) + int(fields[12])


@contextmanager
def writer_lock(home: Path, wait_seconds: float = WAIT_SECONDS,
                on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the writer lock of `home`; if another process holds it, say so once through
    `on_wait` (stderr by default) and wait while it works (see the module's docstring)."""
    tell = on_wait or _tell
    path = home / "writer.lock"
    with open(path, "a+") as handle:
        told = False
        idle_since = time.monotonic()
        last_ticks: int | None = None
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                if not told:
                    tell(f"{home} is being updated by {holder}; waiting for it to finish…")
                    told = True
                pid = _HOLDER_PID.search(holder)
                ticks = cpu_ticks(int(pid.group(1))) if pid and int(pid.group(1)) != os.getpid() else None
                if ticks is not None and ticks != last_ticks:
                    last_ticks, idle_since = ticks, time.monotonic()
                if time.monotonic() - idle_since >= wait_seconds:
                    still = f"which has done nothing for {wait_seconds:.0f} s" if last_ticks is not None \
                        else f"for {wait_seconds:.0f} s"
                    raise StoreBusy(f"{home} is being updated by {holder}, {still}. Try again when it has "
                                    "finished.") from None
                time.sleep(_POLL_SECONDS)
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
