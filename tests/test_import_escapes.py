"""Terminal escapes in imported threads: colours (`ESC [ 31 m`), window titles and links (OSC),
other escapes and control characters are dropped as a file is read, in every format, so the
thread's id, title, authors and posts are what the words say. A title's colours had become its
id's words ("should-a-pm-31mlearn-to-code-0m-…") and been stored, shown as "␛[31m" in every
title and quote."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from mentor.corpus.model import Thread
from mentor.importers.registry import normalize, parse_text, read_file
from mentor.untrusted import without_escapes
from tests.conftest import FIXTURES, Cli

ESC, BEL, CSI = "\x1b", "\x07", "\x9b"
TITLE = f"Should a PM {ESC}[31mlearn to code{ESC}[0m or focus on stakeholders?"
CLEAN_ID = "should-a-pm-learn-to-code-or-focus-on-stakeholders"
MARKED = (f"{TITLE}\n\n"
          f"I run a payments team. Should I {ESC}[1mlearn to code{ESC}[0m{BEL} or get better with stakeholders?\n\n\n"
          f"Learn enough SQL to check the numbers {ESC}]0;pwned{BEL}yourself; engineers trust that.\n\n\n"
          f"Stakeholders{CSI}2J first: code is the engineers' job{ESC}]8;;http://evil.example{ESC}\\.\n")


def _content(thread: Thread) -> dict:
    """What a thread says and is called, not where it came from."""
    return {key: value for key, value in thread.to_dict().items() if key != "source"}


def _coloured(text: str) -> str:
    """Every line of `text` that has words, in bold and then red, with a window title set at its end."""
    return re.sub(r"(?m)^(.+)$", f"{ESC}[1m\\1{ESC}[0m{CSI}31m{ESC}]2;title{BEL}", text)


def test_a_title_and_posts_with_colours_get_a_clean_id_title_and_text(tmp_path: Path) -> None:
    path = tmp_path / "markup.txt"
    path.write_text(MARKED, encoding="utf-8")
    thread = read_file(path)
    assert thread.id == CLEAN_ID
    assert thread.title == "Should a PM learn to code or focus on stakeholders?"
    assert [post.text for post in thread.posts] == [
        "I run a payments team. Should I learn to code or get better with stakeholders?",
        "Learn enough SQL to check the numbers yourself; engineers trust that.",
        "Stakeholders first: code is the engineers' job.",
    ]
    assert not any(re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", post.text) for post in thread.posts)


@pytest.mark.parametrize("name", ["plain_thread.txt", "markdown_thread.md"])
def test_a_text_thread_in_colour_is_the_same_thread(name: str, tmp_path: Path) -> None:
    """Every line of a plain-text or Markdown thread (title, front matter, headings, authors,
    like lines, posts) coloured: the same thread as the file without colours."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert _content(parse_text(_coloured(text), name)) == _content(parse_text(text, name))


@pytest.mark.parametrize("name", ["reddit_thread.json", "discourse_topic.json", "hackernews/ask_hn_saying_no.json"])
def test_a_json_thread_with_escapes_in_its_strings_is_the_same_thread(name: str) -> None:
    """Escapes written as JSON escapes (`\\u001b[31m`, `\\u009b`) in every string, comment
    bodies and Discourse's cooked HTML among them: the same thread as the file without them."""
    text = (FIXTURES / name).read_text(encoding="utf-8")

    def coloured(node: object) -> object:
        if isinstance(node, str):
            return f"{ESC}[31m{node}{ESC}[0m{CSI}1m{ESC}]0;pwned{BEL}"
        if isinstance(node, dict):
            return {key: coloured(value) for key, value in node.items()}
        if isinstance(node, list):
            return [coloured(value) for value in node]
        return node

    dirty = json.dumps(coloured(json.loads(text)))
    assert "\\u001b[31m" in dirty and "\\u009b" in dirty
    assert _content(parse_text(dirty, name)) == _content(parse_text(text, name))


def test_a_reddit_comment_body_with_colours_is_stored_without_them() -> None:
    text = (FIXTURES / "reddit_thread.json").read_text(encoding="utf-8")
    data = json.loads(text)
    comment = data[1]["data"]["children"][0]["data"]
    author, ref = comment["author"], f"t1_{comment['id']}"
    comment["body"] = f"{ESC}[32m{comment['body']}{ESC}[0m {ESC}]52;c;ZXZpbA=={BEL}"
    comment["author"] = f"{ESC}[1m{author}{ESC}[0m"
    thread = parse_text(json.dumps(data), "thread.json")
    post = next(post for post in thread.posts if post.ref == ref)
    clean = next(post for post in parse_text(text, "thread.json").posts if post.ref == ref)
    assert post.text == clean.text and "reverse." in post.text and post.author == author
    assert ESC not in json.dumps(thread.to_dict())


def test_text_without_escapes_is_read_as_it_was() -> None:
    """Tabs, newlines, other scripts, symbols and a literal "[31m" are words, kept; and every
    fixture (none holds a control character) reads as it did."""
    text = "Résumé\ttips — キャリア, Как расти ␛[31m [31m \\x1b[0m\n\nfine."
    assert normalize(text) == text
    for path in sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ".json")):
        raw = path.read_text(encoding="utf-8")
        assert without_escapes(raw) == raw, path


def test_an_unterminated_window_title_takes_no_line_after_its_own() -> None:
    """A terminal would read an OSC string until BEL or ESC \\; in a file the rest of the thread
    would have gone with it: it ends at its line's end."""
    thread = parse_text(f"Title {ESC}]0;no end\n\nFirst post.\n\n\nSecond post.\n", "cut.txt")
    assert thread.title == "Title" and [post.text for post in thread.posts] == ["First post.", "Second post."]
    assert without_escapes(f"a{ESC}(Bb{ESC}7c{ESC}P1$r{ESC}\\d{ESC}[?25le\x7f\x85f") == "abcdef"


def test_ingest_says_and_lists_the_clean_id(tmp_path: Path) -> None:
    path = tmp_path / "markup.txt"
    path.write_text(MARKED, encoding="utf-8")
    cli = Cli(tmp_path / "home")
    result = cli("ingest", str(path))
    assert result.exit_code == 0, result.output
    assert f"added    {CLEAN_ID}\n" in result.stdout and "31m" not in result.output
    listed = cli("corpus", "list")
    assert "Should a PM learn to code or focus on stakeholders?" in listed.stdout and "␛" not in listed.stdout
