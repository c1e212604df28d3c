"""--chroma-url against a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Cli, free_port, running_server


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("chroma")
    if binary is None:
        pytest.fail("the chroma CLI (from the chromadb package) is not on PATH")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_server([binary, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
                         "--port", str(port)], f"{url}/api/v2/heartbeat", "chroma run", wait_s=30):
        yield url


def test_ask_with_a_chroma_server(cli: Cli, chroma_server: str) -> None:
    first = cli("ask", "--json", "--chroma-url", chroma_server, "should I do an MBA?")
    assert first.exit_code == 0, first.output
    answer = json.loads(first.stdout)
    assert answer["sources"] and answer["cited"]
    assert not (cli.home / "index" / "chroma").exists()  # the embedded store was not used
    manifests = list((cli.home / "index").glob("manifest-*.json"))
    assert len(manifests) == 1 and json.loads(manifests[0].read_text())["store"] == chroma_server
    again = cli("index", "--chroma-url", chroma_server)
    assert "0 threads (0 posts) embedded" in again.stdout


def test_unreachable_server_is_a_clear_error(cli: Cli) -> None:
    result = cli("ask", "--chroma-url", f"http://127.0.0.1:{free_port()}", "should I do an MBA?")
    assert result.exit_code == 1
    assert "cannot reach the Chroma server" in result.stderr
