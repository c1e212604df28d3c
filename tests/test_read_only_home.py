"""A data directory mentor cannot write (read-only, someone else's): every command, and the chat,
says so in one line instead of a traceback, and changes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, durability_script

COMMANDS = [(), ("chat",), ("history", "list"), ("history", "export", "1"), ("history", "delete", "1"),
            ("ask", "--no-model", "should I do an MBA?"), ("ingest", str(FIXTURES)), ("index",),
            ("corpus", "list"), ("corpus", "remove", "x"), ("models",)]
#: Root writes anywhere: without these capabilities it meets the permission bits like anyone.
_AS_A_USER = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
              "--bounding-set=-dac_override,-dac_read_search", "--"]


def _restricted() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv to drop the capability to write anywhere")
    return _AS_A_USER


@pytest.fixture(scope="module")
def read_only_home(bundled_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An indexed data directory with its history file, then made read-only."""
    home = tmp_path_factory.mktemp("read-only") / "home"
    shutil.copytree(bundled_home, home)
    durability_script().run_mentor(home, "history", "list")
    os.chmod(home, 0o500)
    yield home
    os.chmod(home, 0o700)


def _contents(home: Path) -> dict[str, int]:
    return {str(p.relative_to(home)): p.stat().st_mtime_ns for p in home.rglob("*")}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(w for w in c[:2] if "/" not in w) or "mentor")
def test_every_command_says_it_cannot_write_in_one_line(read_only_home: Path, command: tuple[str, ...]) -> None:
    before = _contents(read_only_home)
    result = subprocess.run([*_restricted(), sys.executable, "-m", "mentor", "--home", str(read_only_home),
                             *command], capture_output=True, text=True, cwd=REPO, timeout=120,
                            env=durability_script().mentor_env(), stdin=subprocess.DEVNULL)
    assert result.returncode == 1, result
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(
        f"mentor: cannot write in the data directory {read_only_home} (Permission denied)"), result.stderr
    assert _contents(read_only_home) == before


@pytest.mark.parametrize("command", [(), ("history", "list")], ids=["mentor", "history list"])
def test_a_read_only_file_system_is_named_as_such(read_only_home: Path, command: tuple[str, ...]) -> None:
    """The data directory on a read-only mount (here a bind mount in a namespace of its own)."""
    home = str(read_only_home)
    mounted = f"mount --bind -o ro {home} {home} && exec {sys.executable} -m mentor --home {home} {' '.join(command)}"
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode:
        pytest.skip("no user namespaces here to mount the data directory read-only")
    result = subprocess.run(["unshare", "-rm", "sh", "-c", mounted], capture_output=True, text=True, cwd=REPO,
                            timeout=120, env=durability_script().mentor_env(), stdin=subprocess.DEVNULL)
    assert result.returncode == 1 and result.stderr == (
        f"mentor: cannot write in the data directory {home} (Read-only file system): make it writable, or "
        "choose another with --home DIR or $MENTOR_HOME\n"), result


@pytest.mark.parametrize("given", ["--home", "$MENTOR_HOME"])
def test_a_file_or_an_unreadable_folder_as_the_data_directory_is_said_in_one_line(tmp_path: Path, given: str) -> None:
    """A trial user set $MENTOR_HOME to a folder they could not read, then to a file: click's own
    check answered with a usage error naming '--home' (which they had not given), exit status 2.
    Both are now one line naming the data directory, exit status 1, wherever it came from."""
    file = tmp_path / "notes.txt"
    file.write_text("not a folder\n", encoding="utf-8")
    closed = tmp_path / "closed"
    closed.mkdir(mode=0o000)
    expected = {file: f"mentor: the data directory {file} is not a folder: choose another with --home DIR or "
                      "$MENTOR_HOME\n",
                closed: f"mentor: cannot write in the data directory {closed} (Permission denied): make it "
                        "writable, or choose another with --home DIR or $MENTOR_HOME\n"}
    try:
        for home, message in expected.items():
            env = durability_script().mentor_env()  # no $MENTOR_HOME of the session's
            chosen = ["--home", str(home)] if given == "--home" else []
            if given == "$MENTOR_HOME":
                env["MENTOR_HOME"] = str(home)
            result = subprocess.run([*_restricted(), sys.executable, "-m", "mentor", *chosen, "corpus", "list"],
                                    capture_output=True, text=True, cwd=REPO, timeout=120, env=env,
                                    stdin=subprocess.DEVNULL)
            assert (result.returncode, result.stderr) == (1, message), result
    finally:
        closed.chmod(0o700)
