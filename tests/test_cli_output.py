"""The command line's output read as people read it: piped into `head`, which leaves early."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, durability_script


def test_a_reader_that_leaves_early_gets_no_error(bundled_home: Path) -> None:
    """`mentor ask < questions | head -1`: the rest of the answers have nowhere to go; that is
    not an error to print. (40 answers are more than a pipe holds, so some are written after
    the reader has gone, however fast they come.)"""
    questions = "".join(f"{question}\n" for question in durability_script().QUESTIONS * 5).encode()
    proc = subprocess.Popen([sys.executable, "-m", "mentor", "--home", str(bundled_home), "ask", "--no-model"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                            env=durability_script().mentor_env())
    proc.stdin.write(questions)
    proc.stdin.close()
    assert proc.stdout.readline().startswith(b"You asked")
    proc.stdout.close()
    assert proc.wait(120) == 1
    assert proc.stderr.read().decode() == ""
