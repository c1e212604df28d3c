"""The data directory: every piece of mentor's state lives in one folder.

Chosen in order: `--home`, `$MENTOR_HOME`, the platform's user data folder (platformdirs; on
Linux `~/.local/share/mentor`). It is created readable by its owner only, since it will hold a
person's private conversations. Every command writes there (the index, the lock, the history), so
a data directory that cannot be written (read-only, someone else's, a full disk) is refused at
once with one line that says so, before any work.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import platformdirs

from mentor.errors import MentorError

ENV_HOME = "MENTOR_HOME"


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data directory, created (mode 0700) if it does not exist yet."""
    chosen = explicit or os.environ.get(ENV_HOME) or platformdirs.user_data_path("mentor")
    home = Path(chosen).expanduser()
    if home.exists() and not home.is_dir():  # mkdir would say only "File exists"
        raise MentorError(f"the data directory {home} is not a folder: choose another with --home DIR or "
                          f"${ENV_HOME}")
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise MentorError(f"cannot create the data directory {home}: {exc.strerror or exc}") from None
    try:
        with tempfile.TemporaryFile(dir=home):  # what the permission bits cannot tell (root, a read-only mount)
            pass
    except OSError as exc:
        raise MentorError(f"cannot write in the data directory {home} ({exc.strerror or exc}): make it "
                          f"writable, or choose another with --home DIR or ${ENV_HOME}") from None
    return home
