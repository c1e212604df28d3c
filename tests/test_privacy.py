"""Privacy: a chat's words are stored only in the data directory, in files only their owner reads."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

QUESTION = "I have no hard skills to show"  # what the Pilot's chat asks (tests/net_guard.py)


def test_chat_history_stays_in_the_data_directory_readable_by_its_owner(tmp_path: Path) -> None:
    user, cwd, temp = tmp_path / "user", tmp_path / "cwd", tmp_path / "tmp"
    for folder in (user, cwd, temp):
        folder.mkdir()
    env = {key: value for key, value in os.environ.items()  # the tests' threads and embedder kept
           if not key.startswith(("XDG_", "MENTOR_")) or key in ("MENTOR_THREADS", "MENTOR_EMBEDDING_MODEL")} | {"HOME": str(user), "TMPDIR": str(temp),
                                                           "PYTHONPATH": str(REPO)}  # this checkout's mentor
    data = user / ".local" / "share" / "mentor"  # the platform's data folder, with nothing set
    result = subprocess.run([sys.executable, str(REPO / "tests" / "net_guard.py"), str(temp / "net.txt"),
                             "--pilot", "-"], capture_output=True, text=True, cwd=cwd, env=env,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    listed = subprocess.run([sys.executable, "-m", "mentor", "history", "list"], capture_output=True, text=True,
                            cwd=cwd, env=env, timeout=120)
    assert QUESTION in listed.stdout, listed.stdout  # found by default, with no --home

    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    private = [p for p in data.glob("history.sqlite*")]
    assert private and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in private), private
    assert stat.S_IMODE((data / "corpus.sqlite").stat().st_mode) == 0o600
    words = QUESTION.encode()
    outside = [p for p in tmp_path.rglob("*") if p.is_file() and data not in p.parents]
    assert not [p for p in outside if words in p.read_bytes()], outside
    assert any(words in p.read_bytes() for p in private)  # the test looks where the words are
