"""Ingest, index and ask make no network connection (every non-loopback socket blocked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, REPO


def _guarded(record: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "tests" / "net_guard.py"), str(record),
                           "--home", str(home), *args], capture_output=True, text=True, cwd=REPO,
                          timeout=300)


def test_guard_catches_a_connection(tmp_path: Path) -> None:
    """The guard itself works: a real attempt to reach a public address is recorded."""
    record = tmp_path / "attempts.txt"
    code = ("import sys, socket; sys.path.insert(0, 'tests'); import net_guard; "
            f"net_guard.install({str(record)!r}); s = socket.socket(); "
            "exec('try:\\n s.connect((\"192.0.2.1\", 80))\\nexcept OSError: pass')")
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60)
    assert record.read_text().startswith("connect ('192.0.2.1', 80)")


def test_ingest_index_and_ask_stay_offline(tmp_path: Path) -> None:
    record = tmp_path / "attempts.txt"
    home = tmp_path / "home"
    for args in (["ingest", str(FIXTURES)], ["index", "--rebuild"], ["ask", "--json", "should I learn SQL?"],
                 ["ask", "and what about certifications?"], ["corpus", "list", "--json"]):
        result = _guarded(record, home, *args)
        assert result.returncode == 0, (args, result.stderr)
    assert not record.exists() or record.read_text() == ""
