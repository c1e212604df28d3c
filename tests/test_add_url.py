"""`mentor add URL` against a real HTTP server on 127.0.0.1 serving the fixtures."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import FIXTURES, Cli

TOPIC = json.loads((FIXTURES / "discourse_topic.json").read_text())
REDDIT = (FIXTURES / "reddit_thread.json").read_bytes()


class _ForumHandler(BaseHTTPRequestHandler):
    """Discourse pages the first 3 posts like a real forum pages the first 20; Reddit as is."""

    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.requests.append(self.path)
        parts = urlsplit(self.path)
        if parts.path == "/forum/t/4242.json":
            paged = json.loads(json.dumps(TOPIC))
            paged["post_stream"]["posts"] = paged["post_stream"]["posts"][:3]
            self._send(json.dumps(paged).encode())
        elif parts.path == "/forum/t/4242/posts.json":
            wanted = {int(i) for i in parse_qs(parts.query)["post_ids[]"]}
            posts = [p for p in TOPIC["post_stream"]["posts"] if p["id"] in wanted]
            self._send(json.dumps({"post_stream": {"posts": posts}}).encode())
        elif parts.path == "/r/ProductManagement/comments/abc123/should_i_leave.json":
            self._send(REDDIT)
        elif parts.path == "/t/7.json":
            self._send(b'{"post_stream": {"posts": "nope"}, "id": 7, "title": "x"}')
        else:
            self.send_error(404)

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _ForumHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _ForumHandler.requests = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_add_discourse_topic_fetches_every_page(cli: Cli, server: str) -> None:
    result = cli("add", f"{server}/forum/t/is-a-product-certification-worth-it/4242/3")
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stdout
    assert any(path.startswith("/forum/t/4242/posts.json?post_ids") for path in _ForumHandler.requests)
    shown = cli.json("corpus", "show", "is-a-product-certification-worth-it-for-a-career-d4242", "--json")
    assert [p["author"] for p in shown["posts"]] == ["marta_q", "ben.okoro", "KiraL", "dev_nadia"]
    assert shown["url"] == f"{server}/forum/t/4242"


def test_add_reddit_thread(cli: Cli, server: str) -> None:
    url = f"{server}/r/ProductManagement/comments/abc123/should_i_leave/"
    result = cli("add", url)
    assert result.exit_code == 0, result.output
    shown = cli.json("corpus", "show", "should-i-leave-product-management-for-engineering-rabc123", "--json")
    assert len(shown["posts"]) == 5
    assert shown["source"] == url


@pytest.mark.parametrize("path, expected", [
    ("/forum/t/x/999", "the server answered 404"),
    ("/t/broken/7", "post_stream.posts: input should be a valid list"),
    ("/about", "cannot tell what kind of thread this is"),
])
def test_add_errors(cli: Cli, server: str, path: str, expected: str) -> None:
    result = cli("add", server + path)
    assert result.exit_code == 1
    assert expected in result.stderr
    assert all(row["source"].startswith("bundled:") for row in cli.json("corpus", "list", "--json"))


def test_add_refuses_non_http(cli: Cli) -> None:
    result = cli("add", "file:///etc/passwd")
    assert result.exit_code == 1 and "expected an http(s):// URL" in result.stderr
