"""`mentor index` stopped by Ctrl+C: it says what was kept and exits 130, as `mentor ingest` and
`mentor ask` do (it printed click's bare "Aborted!" and exited 1), and the next run embeds only
the posts not kept. On a terminal it shows ask's progress bar while it embeds; piped, one line."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli, durability_script
from tests.pty_terminal import Terminal

#: Run as `python -c`: mentor, whose index sync waits, once a batch of posts and the threads it
#: completes are recorded, for the test's Ctrl+C (after it says so on stderr, past any progress
#: bar). A wait in short sleeps, not `signal.pause()`: the kernel may give the SIGINT to another
#: thread, and the main thread then sees it only when it next runs.
PAUSED = "test: a batch is recorded, waiting for Ctrl+C"
_PAUSING_MENTOR = f"""
import os, time
from mentor.engine.index import PostIndex
write = PostIndex._write_manifest

def write_then_wait(self):
    write(self)
    if self.manifest.get("threads") and not getattr(PostIndex, "waited", False):
        PostIndex.waited = True
        os.write(2, b"\\n{PAUSED}\\n")
        for _ in range(6000):  # 5 minutes at most: a test that never interrupts fails, not hangs
            time.sleep(0.05)

PostIndex._write_manifest = write_then_wait
from mentor.cli import main
main(prog_name="mentor")
"""


def test_ctrl_c_while_index_embeds_keeps_what_was_embedded_and_says_so(tmp_path: Path) -> None:
    home = tmp_path / "home"
    terminal = Terminal([sys.executable, "-c", _PAUSING_MENTOR, "--home", str(home), "index", "--rebuild"],
                        (120, 30), durability_script().mentor_env())
    terminal.wait_for(re.escape(PAUSED).encode())
    terminal.send(b"\x03")  # Ctrl+C, as typed: SIGINT to the terminal's foreground process group
    assert terminal.finish() == 130, terminal.text()[-2000:]
    text = terminal.text()
    total = int(re.search(r"indexing ([\d,]+) posts…", text).group(1).replace(",", ""))
    assert re.search(rf"\b\d+/{total}\b", text), text[-2000:]  # ask's progress bar, on a terminal
    assert ("mentor: interrupted while indexing: the threads embedded so far are kept, and the next command "
            "that reads the index (`mentor index`, `mentor ask`, the chat) embeds only the rest "
            "(`mentor index --rebuild` would start again)") in text
    assert "Aborted" not in text and "Traceback" not in text and terminal.modes_left_on() == []

    cli = Cli(home)  # piped: the count alone, no bar; then only the posts not kept are embedded
    again = cli("index")
    assert again.exit_code == 0, again.output
    left = int(re.search(r"indexing ([\d,]+) posts…\n", again.stderr).group(1).replace(",", ""))
    assert 0 < left < total and "━" not in again.stderr and "/" not in again.stderr
    assert f"({left} posts) embedded with LSA, 0 removed\n" in again.stdout
    assert "(0 posts) embedded" in cli("index").stdout


@pytest.mark.parametrize(("rebuild", "said"), [
    (True, "no post was embedded yet; nothing is lost (`mentor index --rebuild` starts the rebuild again)"),
    (False, "no post was embedded yet; nothing is lost: the index catches up at the next command that reads it"),
])
def test_ctrl_c_before_any_post_is_embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rebuild: bool,
                                            said: str) -> None:
    """Ctrl+C while the embedder is fitted, before the first post is embedded."""
    from mentor.engine.embedder import LsaEmbedding

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt  # as SIGINT arrives while the LSA model is fitted

    monkeypatch.setattr(LsaEmbedding, "fit", interrupted)
    result = Cli(tmp_path / "home")("index", *(["--rebuild"] if rebuild else []))
    assert result.exit_code == 130 and result.stdout == ""
    assert result.stderr == f"mentor: interrupted while indexing: {said}\n"
