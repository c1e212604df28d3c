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


def test_the_sentence_model_is_converted_and_run_offline(sentence_copy: Path, tmp_path: Path) -> None:
    record = tmp_path / "attempts.txt"
    for converted in (sentence_copy / "index").glob("all-MiniLM-L6-v2-*.gguf"):
        converted.unlink()  # converted again, from the installed wheel
    for args in (["ingest", str(FIXTURES)], ["ask", "--json", "should I learn SQL?"]):
        result = _guarded(record, sentence_copy, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "with all-MiniLM-L6-v2" in result.stdout or args[0] == "ask", result.stdout
    assert list((sentence_copy / "index").glob("all-MiniLM-L6-v2-*.gguf"))
    assert not record.exists() or record.read_text() == ""


def test_a_full_session_in_both_modes_and_the_chat_stays_offline(tmp_path: Path, tiny_model: Path) -> None:
    """Ingest, index, ask without and with a model, and a chat through the Pilot (extractive and
    with the model, history on): not one attempt to reach anything but loopback."""
    record = tmp_path / "attempts.txt"
    home = tmp_path / "home"
    for args in (["ingest", str(FIXTURES)], ["index"], ["ask", "--no-model", "is an MBA worth it?"],
                 ["ask", "--json", "--model", str(tiny_model), "should I learn SQL?"],
                 ["models", "--json"], ["history", "list"]):
        result = _guarded(record, home, *args)
        assert result.returncode == 0, (args, result.stderr)
    assert '"mode": "llm"' in _guarded(record, home, "ask", "--json", "--model", str(tiny_model), "MBA?").stdout
    for model in ([], [str(tiny_model)]):
        result = subprocess.run([sys.executable, str(REPO / "tests" / "net_guard.py"), str(record), "--pilot",
                                 str(home), *model], capture_output=True, text=True, cwd=REPO, timeout=300)
        assert result.returncode == 0, result.stderr
        expected = "llm" if model else "extractive"
        assert result.stdout.strip().endswith(f"pilot modes: {expected} {expected}"), result.stdout
    listed = _guarded(record, home, "history", "list")
    assert listed.stdout.count("\n") >= 2, listed.stdout  # both chats were saved
    assert not record.exists() or record.read_text() == ""
