"""Choosing the importer for a file, and reading it into a `Thread`.

The format is chosen by content (see `detect`), or named with `format=`:

| name        | what it reads                                              |
| ----------- | ---------------------------------------------------------- |
| `plaintext` | a plain-text forum dump (title line, posts between blanks)  |
| `markdown`  | mentor's own Markdown thread format (corpus/README.md)      |
| `discourse` | a Discourse topic's JSON (`/t/<id>.json`)                   |
| `discourse-raw` | a Discourse topic's raw page (`/raw/<id>`: headed Markdown posts) |
| `reddit`    | a Reddit comments page's JSON (`.json`)                     |
| `hackernews`| a Hacker News story's JSON from the Algolia HN API           |
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Callable
from pathlib import Path

from mentor.corpus.model import Thread
from mentor.errors import ImportFailure
from mentor.importers import FORMATS, discourse, discourse_raw, hackernews, markdown, plaintext, reddit
from mentor.importers.json_shape import load_json
from mentor.untrusted import without_escapes

Parser = Callable[[str, str], Thread]

PARSERS: dict[str, Parser] = {
    plaintext.FORMAT: plaintext.parse,
    markdown.FORMAT: markdown.parse,
    discourse.FORMAT: discourse.parse,
    discourse_raw.FORMAT: discourse_raw.parse,
    reddit.FORMAT: reddit.parse,
    hackernews.FORMAT: hackernews.parse,
}

#: Files larger than this are refused before reading: no forum thread is this big.
MAX_FILE_BYTES = 32 * 1024 * 1024
#: Byte-order marks of the encodings mentor does not read (UTF-32 first: its LE mark starts like UTF-16's).
_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
         (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


#: The start of a web page, and of an HTTP response saved with its headers (`curl -i`).
_WEB_PAGE = re.compile(r"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml", re.IGNORECASE)
_HTTP_STATUS = re.compile(r"HTTP/\d(?:\.\d)? (?P<status>\d{3})[^\n]*")
_PAGE_TITLE = re.compile(r"<title[^>]*>(?P<title>[^<]*)</title>", re.IGNORECASE)
_TO_DO = ("save the thread's JSON instead (a Discourse topic's URL or a Reddit thread's URL with .json "
          "after it; for a Hacker News story, https://hn.algolia.com/api/v1/items/<its id>), or run "
          "'mentor add <the thread's URL>'")


def detect(text: str, source: str = "") -> str:
    """The format name for `text`, judged by its content (whatever its line endings); `source`,
    the file's name, only says when JSON was expected (a name ending in `.json`)."""
    text = normalize(text)
    head = text.lstrip(" \t\n")
    _refuse_web_files(head)
    if source.lower().endswith(".json") and head.rstrip() == "null":
        raise ImportFailure("the file holds JSON null, not a thread: what an API answers for an item it does not have "
                            "(Hacker News's official API, for a deleted or unknown id); check the id, then save the "
                            "story's item from the Algolia HN API (https://hn.algolia.com/api/v1/items/<id>) or run "
                            "'mentor add <the thread's URL>'", line=text[:len(text) - len(head)].count("\n") + 1)
    if source.lower().endswith(".json") and head[:1] not in ("{", "["):
        start = head.split("\n", 1)[0][:40]
        raise ImportFailure(f"the file's name ends in .json, but it holds no JSON: it starts with '{start}' "
                            "(expected '{' or '[')", line=text[:len(text) - len(head)].count("\n") + 1)
    if head[:1] in ("{", "["):
        data = load_json(text)
        if discourse.looks_like(data):
            return discourse.FORMAT
        if reddit.looks_like(data):
            return reddit.FORMAT
        if hackernews.looks_like(data):
            return hackernews.FORMAT
        raise ImportFailure(other_json(data))
    if discourse_raw.looks_like(head):
        return discourse_raw.FORMAT
    if markdown.looks_like(text):
        return markdown.FORMAT
    return plaintext.FORMAT


def _refuse_web_files(head: str) -> None:
    """An ImportFailure for a web page (a thread saved as HTML, or an error page) or an HTTP
    response saved with its headers: neither is a thread's data, though both are text."""
    if status := _HTTP_STATUS.match(head):
        raise ImportFailure(f"this is an HTTP response (status {status['status']}) saved with its headers, as "
                            "'curl -i' saves one: save its body alone (curl without -i)", line=1)
    if _WEB_PAGE.match(head):
        title = _PAGE_TITLE.search(head[:65536])
        named = f" ('{' '.join(html.unescape(title['title']).split())}')" if title and title["title"].strip() else ""
        raise ImportFailure(f"this is a web page{named}, not a thread's data: {_TO_DO}", line=1)


def normalize(text: str) -> str:
    """`text` without leading byte-order marks and with `\n` line endings (from `\r\n` and `\r`):
    neither ever changes what a file is or which thread it holds."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


#: The formats read as JSON: their strings are cleaned of terminal escapes once parsed
#: (`json_shape.load_json`), and a control character outside them is an error, not dropped. A
#: text format's file is read without them (`without_escapes`; tabs kept): a title's colours had
#: become its id's words ("should-a-pm-31mlearn-to-code-0m-…") and been stored, shown as "␛[31m"
#: in every title and quote.
_JSON_FORMATS = frozenset({discourse.FORMAT, reddit.FORMAT, hackernews.FORMAT})


#: JSON that is no thread, told apart by a key only it has: (key, what it is, what to do).
_OTHER_JSON = (
    ("topic_list", "a list of Discourse topics (a category or /latest.json)",
     "save one topic's /t/<id>.json, or run 'mentor add <the topic's URL>'"),
    ("latest_posts", "a list of a Discourse forum's latest posts (/posts.json)",
     "save one topic's /t/<id>.json, or run 'mentor add <the topic's URL>'"),
    ("grouped_search_result", "a Discourse search result",
     "save one topic's /t/<id>.json, or run 'mentor add <the topic's URL>'"),
    ("user_actions", "a Discourse user's activity", "save one topic's /t/<id>.json"),
)
_REDDIT_TO_DO = reddit.SAVE_INSTEAD


def other_json(data: object) -> str:
    """What a JSON file that is no Discourse topic, Reddit thread or Hacker News story is, and
    what to save instead."""
    if said := hackernews.official_api_item(data):
        return said
    found = _what_json(data)
    if found is None:
        return ("JSON of an unknown shape: expected a Discourse topic (an object with post_stream.posts), "
                "a Reddit thread (a list of two Listings) or a Hacker News story from the Algolia HN API "
                "(an object with children)")
    return f"this is {found[0]}, not a thread: {found[1]}"


def _what_json(data: object) -> tuple[str, str] | None:
    if isinstance(data, list):
        if data and all(isinstance(item, dict) and item.get("kind") == "Listing" for item in data):
            return (f"a list of {len(data)} Reddit Listing{'s' if len(data) != 1 else ''} (a thread's page "
                    "has two: the submission and its comments)", _REDDIT_TO_DO)
        if data and all(isinstance(item, dict) and "type" in item and isinstance(item.get("results"), list)
                        for item in data):  # older Discourse forums' /search.json: results grouped by type
            return ("a Discourse search result (older forums' format: results grouped by type)",
                    "save one topic's /t/<id>.json, or run 'mentor add <the topic's URL>'")
        return None
    if not isinstance(data, dict):
        return None
    for key, what, to_do in _OTHER_JSON:
        if key in data:
            return what, to_do
    if isinstance(data.get("errors"), list) and "error_type" in data:
        said = "; ".join(str(error) for error in data["errors"][:2])
        return (f"a Discourse forum's error reply ({data['error_type']}: {said})",
                "the forum did not give the topic (deleted, private, or a wrong URL); save it from a browser "
                "that shows it, with .json after the topic's URL")
    if isinstance(data.get("error"), int) and isinstance(data.get("message"), str):
        reason = f", {data['reason']}" if isinstance(data.get("reason"), str) else ""
        return (f"Reddit's error reply ({data['error']} {data['message']}{reason})",
                "Reddit refused the request (too many requests, or a private or removed thread); " + _REDDIT_TO_DO)
    if "cooked" in data and "post_number" in data:
        return ("one Discourse post (/posts/<id>.json)",
                "save its topic's /t/<id>.json, or run 'mentor add <the topic's URL>'")
    if data.get("kind") == "Listing":
        return ("one Reddit Listing (a subreddit, a user's page or a search: posts, or comments without "
                "their submission)", _REDDIT_TO_DO)
    if data.get("kind") in ("t1", "t3") or {"link_id", "body"} <= data.keys() or {"subreddit", "selftext"} <= data.keys():
        return "one Reddit submission or comment without the page around it", _REDDIT_TO_DO
    if isinstance(data.get("json"), dict):
        return "an answer of Reddit's API (comments without their thread)", _REDDIT_TO_DO
    if isinstance(data.get("hits"), list) and "nbHits" in data:
        return ("a search result (Algolia's, as the Hacker News search API at hn.algolia.com/api/v1/search "
                "gives one): stories or comments without their threads",
                hackernews.SAVE_INSTEAD.format(id="<a story's id>"))
    return None


def parse_text(text: str, source: str, format: str | None = None) -> Thread:
    """The thread in `text`; `source` is recorded on it and names it in errors."""
    try:
        text = normalize(text)
        if not text.strip():
            raise ImportFailure("the file is empty: expected a thread")
        if format is not None and format not in PARSERS:
            raise ImportFailure(f"unknown format '{format}' (expected one of: {', '.join(FORMATS)})")
        name = format or detect(text, source)
        if name not in _JSON_FORMATS:  # a coloured "---" or "## name" is read as the plain one
            text = without_escapes(text)
            name = format or detect(text, source)
        if format is not None:
            _refuse_other_format(format, text, source)
        return PARSERS[name](text, source)
    except ImportFailure as failure:
        raise failure.at(source) from None


#: What each format holds, for an error naming it.
_KINDS = {discourse.FORMAT: "a Discourse topic", reddit.FORMAT: "a Reddit thread",
          hackernews.FORMAT: "a Hacker News item", markdown.FORMAT: "mentor's Markdown thread format",
          discourse_raw.FORMAT: "a Discourse topic's raw page"}


def _refuse_other_format(named: str, text: str, source: str) -> None:
    """An ImportFailure when the content is plainly another format than the one `named` (the
    command line's --format): a Discourse topic read as a Hacker News item had become a one-post
    thread that replaced the topic stored before (a trial's, 2026-11-30), JSON read as plain
    text a thread titled "{", and a Markdown thread read as plain text a garbled copy that
    replaced the stored one, its front matter a post (a trial's, session 17). Content no format
    recognises (plain text, the fallback) is left to the named parser."""
    try:
        found = detect(text, source)
    except ImportFailure:
        return
    if found == named or found == plaintext.FORMAT and named in (markdown.FORMAT, discourse_raw.FORMAT):
        return  # plain text is what no format recognised: the named parser says what it misses
    kind = _KINDS.get(found, "plain text")
    raise ImportFailure(f"this is {kind}, not the {named} format named with --format: leave --format out to "
                        f"read it as what it is (or pass --format {found})")


#: NUL bytes a file without a byte-order mark needs, all at one parity, to be named UTF-16 text.
UTF16_NULS = 4


def decode(data: bytes, source: str) -> str:
    """UTF-8 text of a file's bytes, or an ImportFailure saying why it is not text."""
    for bom, encoding in _BOMS:  # before the NUL test: UTF-16 text is full of NUL bytes
        if data.startswith(bom):
            raise ImportFailure(f"{encoding} text (the file starts with a {encoding} byte-order mark); "
                                "save the file as UTF-8", path=source)
    if b"\x00" in data[:8192]:
        if (encoding := _utf16_without_mark(data)) is not None:
            raise ImportFailure(f"{encoding} text without a byte-order mark; save the file as UTF-8", path=source)
        raise ImportFailure("a binary file, not text: expected a UTF-8 text or JSON thread",
                            path=source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFailure(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                            "save the file as UTF-8", path=source, line=line) from None


def _utf16_without_mark(data: bytes) -> str | None:
    """"UTF-16" when `data` reads as UTF-16 text (either byte order) without NUL characters in
    its first 8 KB, as text with every other byte NUL does: its NUL bytes (at least
    `UTF16_NULS`, the high bytes of Latin letters, spaces and line ends) all at even or all at odd
    offsets; None otherwise ("abc\\0def" is a binary file)."""
    head = data[:8192]
    head = head[:len(head) - len(head) % 2]
    nuls = [i % 2 for i, byte in enumerate(head) if byte == 0]
    if len(nuls) < UTF16_NULS or len(set(nuls)) > 1:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and all(char.isprintable() or char.isspace() for char in text):
            return "UTF-16"
    return None


def read_file(path: Path, format: str | None = None) -> Thread:
    """The thread in the file at `path`."""
    source = str(path)
    if source != source.encode("utf-8", "replace").decode("utf-8"):  # bytes that were not UTF-8
        raise ImportFailure("the file name is not UTF-8 text, so it cannot be recorded as the thread's "
                            "source: rename the file", path=source)
    if path.is_symlink() and not path.exists():
        raise ImportFailure(f"a broken link: it points to {path.readlink()}, which does not exist", path=source)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFailure(f"{size} bytes is too large for a thread (at most {MAX_FILE_BYTES})",
                                path=source)
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"cannot read: {exc.strerror or exc}", path=source) from None
    return parse_text(decode(data, source), source, format)
