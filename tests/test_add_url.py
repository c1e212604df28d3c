"""`mentor add URL` against a real HTTP server on 127.0.0.1 serving the fixtures."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from mentor.corpus import fetch
from tests.conftest import FIXTURES, Cli

TOPIC = json.loads((FIXTURES / "discourse_topic.json").read_text())
REDDIT = (FIXTURES / "reddit_thread.json").read_bytes()
#: What /api/morechildren gives for the fixture's "load more" stub (c7, c8): c7 at the top, c8
#: replying to c1, and a "continue this thread" stub under c8 whose page holds c9.
MORE = {"json": {"data": {"things": [
    {"kind": "t1", "data": {"id": "c7", "author": "ines_k", "body": "Try a rotation first.", "score": 5,
                            "parent_id": "t3_abc123", "replies": ""}},
    {"kind": "t1", "data": {"id": "c8", "author": "raj_p", "body": "The pay cut passes in two years.", "score": 2,
                            "parent_id": "t1_c1", "replies": ""}},
    {"kind": "more", "data": {"id": "_", "count": 0, "children": [], "parent_id": "t1_c8"}}]}}}
CONTINUED = [json.loads(REDDIT)[0], {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {
    "id": "c8", "author": "raj_p", "body": "The pay cut passes in two years.", "parent_id": "t1_c1", "replies": {
        "kind": "Listing", "data": {"children": [{"kind": "t1", "data": {
            "id": "c9", "author": "ines_k", "body": "Not at a startup it does not.", "score": 1,
            "parent_id": "t1_c8", "replies": ""}}]}}}}]}}]
HN_STORY = (FIXTURES / "hackernews" / "ask_hn_saying_no.json").read_bytes()
#: The Algolia HN API's item of a comment of that story: the comment and its replies alone.
HN_COMMENT = json.dumps(json.loads(HN_STORY)["children"][3]).encode()


class _ForumHandler(BaseHTTPRequestHandler):
    """Discourse pages the first 3 posts like a real forum pages the first 20; Reddit as is."""

    requests: list[str] = []
    more_works = True

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
        elif parts.path == "/api/morechildren.json" and self.more_works:
            assert parse_qs(parts.query)["children"] == ["c7,c8"]
            self._send(json.dumps(MORE).encode())
        elif parts.path == "/r/ProductManagement/comments/abc123/should_i_leave/c8.json":
            self._send(json.dumps(CONTINUED).encode())
        elif parts.path == "/api/v1/items/41000001":
            self._send(HN_STORY)
        elif parts.path == "/api/v1/items/41000040":
            self._send(HN_COMMENT)
        elif parts.path == "/api/v1/items/77":
            self._send(b'{"id": 77, "type": "story", "title": "x", "children": [{"text": "no id"}]}')
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
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _ForumHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _ForumHandler.requests = []
    _ForumHandler.more_works = True
    site = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setattr(fetch, "HN_ITEMS_API", site + "/api/v1/items/{id}")  # the Algolia HN API, served here
    yield site
    httpd.shutdown()


def test_add_discourse_topic_fetches_every_page(cli: Cli, server: str) -> None:
    result = cli("add", f"{server}/forum/t/is-a-product-certification-worth-it/4242/3")
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stdout
    assert any(path.startswith("/forum/t/4242/posts.json?post_ids") for path in _ForumHandler.requests)
    shown = cli.json("corpus", "show", "is-a-product-certification-worth-it-for-a-career-d4242", "--json")
    assert [p["author"] for p in shown["posts"]] == ["marta_q", "ben.okoro", "KiraL", "dev_nadia"]
    assert shown["url"] == f"{server}/forum/t/4242"


REDDIT_ID = "should-i-leave-product-management-for-engineering-rabc123"


@pytest.mark.parametrize("path", ["/r/ProductManagement/comments/abc123/should_i_leave/",
                                  "/r/ProductManagement/comments/abc123/should_i_leave/c2/"])  # a permalink
def test_add_reddit_thread_fetches_every_comment(cli: Cli, server: str, path: str) -> None:
    url = server + path
    result = cli("add", url)
    assert result.exit_code == 0, result.output
    shown = cli.json("corpus", "show", REDDIT_ID, "--json")
    rows = [(p["index"], p["author"], p["reply_to"]) for p in shown["posts"]]
    # Depth-first: c1, its replies c2, (c3 deleted: 4, unheld) c4, c8 (fetched) and c8's reply c9
    # (from its own page), then (c5 removed) c6, and c7 (fetched).
    assert rows == [(1, "throwaway_pm", None), (2, "sam_builds", None), (3, "lena_v", 2), (5, "omar_r", 4),
                    (6, "raj_p", 2), (7, "ines_k", 6), (8, None, None), (9, "ines_k", None)]
    assert shown["source"] == url
    assert shown["url"] == f"{server}/r/ProductManagement/comments/abc123/should_i_leave/"


def test_add_reddit_says_what_it_could_not_fetch(cli: Cli, server: str) -> None:
    _ForumHandler.more_works = False
    result = cli("add", f"{server}/r/ProductManagement/comments/abc123/should_i_leave/")
    assert result.exit_code == 0, result.output
    assert "; 5 posts read, 2 left out (deleted, or no one's words)" in result.stdout
    assert "the file holds part of the thread: 4 of 13 comments; 2 are no one's words" in result.stdout
    assert len(cli.json("corpus", "show", REDDIT_ID, "--json")["posts"]) == 5


HN_ID = "ask-hn-how-do-you-say-no-to-the-ceo-s-pet-features-as-a-hn41000001"


@pytest.mark.parametrize("url, requests", [
    ("https://news.ycombinator.com/item?id=41000001", ["/api/v1/items/41000001"]),
    ("https://hn.algolia.com/api/v1/items/41000001", ["/api/v1/items/41000001"]),
    ("https://hacker-news.firebaseio.com/v0/item/41000001.json", ["/api/v1/items/41000001"]),
    # a comment's page: its item names the story, fetched whole
    ("https://news.ycombinator.com/item?id=41000040", ["/api/v1/items/41000040", "/api/v1/items/41000001"]),
])
def test_add_hacker_news_story_fetches_it_from_the_algolia_api(cli: Cli, server: str, url: str,
                                                              requests: list[str]) -> None:
    result = cli("add", url)
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stdout
    assert _ForumHandler.requests == requests
    shown = cli.json("corpus", "show", HN_ID, "--json")
    rows = [(p["index"], p["author"], p["reply_to"]) for p in shown["posts"]]
    assert rows == [(1, "quietroadmap", None), (2, "marguerite_k", None), (3, "tobias_r", 2), (4, "marguerite_k", 3),
                    (6, "devnull_pm", 5), (7, "hwang_eng", None), (8, "sol_ops", None), (9, "quietroadmap", 8)]
    assert (shown["url"], shown["source"]) == ("https://news.ycombinator.com/item?id=41000001", url)
    again = cli("ingest", str(FIXTURES / "hackernews" / "ask_hn_saying_no.json"))  # the same story, saved
    assert "0 added, 0 updated, 1 unchanged" in again.stdout, again.stdout


@pytest.mark.parametrize("url, expected", [
    ("https://news.ycombinator.com/item?id=999", "/api/v1/items/999: the server answered 404"),
    ("https://news.ycombinator.com/item?id=77", "https://news.ycombinator.com/item?id=77: children[0].id: field "
     "required"),
    ("https://news.ycombinator.com/news", "this Hacker News page is no story: expected a story's or a comment's page"),
    ("https://news.ycombinator.com/item?id=abc", "this Hacker News page is no story"),
    ("https://hn.algolia.com/api/v1/search?query=pm", "expected a Hacker News item's URL"),
])
def test_add_hacker_news_errors(cli: Cli, server: str, url: str, expected: str) -> None:
    result = cli("add", url)
    assert result.exit_code == 1
    assert expected in result.stderr
    assert all(row["source"].startswith("bundled:") for row in cli.json("corpus", "list", "--json"))


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
