"""Fuzzing with Hypothesis: every importer, the JSON and TOML readers, the arguments, and ingest.

The reliability contract: whatever a file or an argument holds, mentor either does the job or
says what was wrong and where with one of its documented errors (`ImportFailure`, `MentorError`),
never with a traceback, and a failed ingest leaves the store exactly as it was. Each importer gets
1,000 inputs: three in four structure-aware (built from the shapes in tests/fixtures/, with fields
missing, mistyped, huge, nested or full of control characters), the rest raw text. The runs are
derandomized, so CI sees the same inputs every time.

Generated text never holds lone surrogates (they cannot come out of a UTF-8 file), but JSON and
YAML escapes such as `"\\ud800"` can make them, so those escapes are generated.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from mentor.cli import main
from mentor.config import CONFIG_FILE, Settings, load_settings
from mentor.corpus.bundled import bundled_threads
from mentor.corpus.ingest import IngestFailed, expand, ingest, refuse_id_taken
from mentor.corpus.model import Post, Thread
from mentor.corpus.merge import id_less
from mentor.corpus.store import ThreadStore
from mentor.errors import ImportFailure, MentorError
from mentor.importers import FORMATS, markdown
from mentor.importers.registry import (
    MAX_FILE_BYTES,
    PARSERS,
    decode,
    detect,
    parse_text,
    read_file,
)
from tests.conftest import FIXTURES, Cli

if TYPE_CHECKING:
    from mentor.engine.engine import Engine

FUZZ = settings(max_examples=1000, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])
SOURCE = "fuzz/thread-file.txt"

#: Errors about a file as a whole: they name the file, and there is no line or field to name.
WHOLE_FILE = ("the file is empty", "JSON of an unknown shape", "invalid JSON: nested too deeply",
              "expected a list of two Listings", "expected a JSON object", "a binary file", "UTF-16 text",
              "UTF-32 text", "front matter is nested too deeply", "the file name is not UTF-8",
              "this is ")  # JSON that is something else than a thread, named

# -- what a result must look like ------------------------------------------------------------

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")


def assert_well_formed(thread: Thread, source: str, format: str | None = None) -> None:
    """A thread any part of mentor can rely on, and that the store can write."""
    assert type(thread) is Thread
    assert thread.source == source
    assert thread.format == format if format else thread.format in FORMATS
    assert _SLUG.fullmatch(thread.id), f"thread id {thread.id!r} is not a slug"
    assert isinstance(thread.title, str) and thread.title and thread.title == thread.title.strip()
    assert thread.url is None or isinstance(thread.url, str)
    assert isinstance(thread.tags, tuple) and all(isinstance(tag, str) for tag in thread.tags)
    assert isinstance(thread.posts, tuple) and thread.posts
    numbers = [post.index for post in thread.posts]
    if thread.format in ("plaintext", "markdown"):
        assert numbers == list(range(1, len(numbers) + 1))
    else:  # a forum's own numbers: growing, maybe with gaps (skipped posts, pages not in the file)
        assert numbers == sorted(set(numbers)) and 1 <= numbers[0] and numbers[-1] < 2**31
    for post in thread.posts:
        assert type(post) is Post
        assert type(post.index) is int
        assert isinstance(post.text, str) and post.text and post.text == post.text.strip()
        assert post.author is None or (isinstance(post.author, str) and post.author.strip()), post
        assert post.likes is None or (type(post.likes) is int and post.likes >= 0), post
        assert post.reply_to is None or (type(post.reply_to) is int and 1 <= post.reply_to < post.index), post
        assert type(post.citable) is bool and (post.ref is None or isinstance(post.ref, str))
    assert thread.coverage is None or (thread.coverage.held >= 0 and (thread.coverage.total or 0) >= 0)
    assert thread.partial == (thread.coverage_note() is not None)
    blob = json.dumps(thread.to_dict(), ensure_ascii=False).encode("utf-8")  # what the store writes
    assert Thread.from_dict(json.loads(blob)) == thread
    assert len(thread.content_hash()) == 64


def assert_located(failure: ImportFailure, source: str, text: str) -> None:
    """The documented error, naming the file and, unless it is about the whole file, a line or field."""
    assert type(failure) is ImportFailure
    assert failure.path == source
    assert str(failure).startswith(source + ":") and failure.message.strip()
    if failure.line is not None:
        last_line = text.count("\n") + text.count("\r") + 1
        assert type(failure.line) is int and 1 <= failure.line <= last_line, failure
    assert failure.line is not None or failure.field or failure.message.startswith(WHOLE_FILE), failure


_PART = re.compile(r'\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.\[\]]+)')


def assert_field_exists(failure: ImportFailure, text: str) -> None:
    """A field an error names is a real place in the JSON: every step exists, but for a last
    one the error says is missing. A Reddit comment's fields are relative to the comment."""
    if not failure.field or failure.line is not None:
        return
    data = json.loads(text)
    path = failure.field
    if inside := re.search(r"reading a Reddit (?:comment|'more' stub) at (\S+)\)", failure.message):
        path = inside.group(1) + ".data." + path
    parts = [int(index) if index else json.loads(quoted) if quoted else name
             for index, quoted, name in _PART.findall(path)]
    node: Any = data
    for number, part in enumerate(parts):
        if isinstance(part, int):
            assert isinstance(node, list) and part < len(node), f"{failure.field}: no item [{part}]"
        else:
            if number == len(parts) - 1 and "field required" in failure.message:
                assert isinstance(node, dict) and part not in node, failure
                return
            assert isinstance(node, dict) and part in node, f"{failure}: no field {part!r} in {node!r:.80}"
        node = node[part]


def outcome(text: str, format: str | None) -> Thread | ImportFailure:
    """`parse_text` on `text`: a well-formed thread, or a located ImportFailure (anything else raises)."""
    try:
        thread = parse_text(text, SOURCE, format)
    except ImportFailure as failure:
        event("an error")  # --hypothesis-show-statistics shows how many inputs gave threads
        assert_located(failure, SOURCE, text)
        if format in ("discourse", "reddit", "hackernews") or (
                format is None and text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[")):
            assert_field_exists(failure, text)
        return failure
    event("a thread")
    assert_well_formed(thread, SOURCE, format)
    if format is None:
        assert thread.format == detect(text)
    return thread


# -- building blocks for generated text ------------------------------------------------------

#: Characters that mean something to an importer, or that trip up naive text handling.
SPECIAL = ["\x00", "\t", "\r", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029", "\ufeff",
           "\u200b", "\u00a0", "\U0001f642", "é", "ß", "İ", "ﬃ", "٣", "𝟗", "\u0301", "@", "#", "## ", "·",
           "|", ",", ":", "-", "---", "<", ">", "&", "&amp;", "&#0;", "{", "}", "[", "]", '"', "\\", "'",
           "*", "!!", "~", "%"]
WORDS = ["SQL", "PM", "career", "Likes", "1 Like", "3 likes", "reply to 1", "@Priya,", "@Jonas:", "(unknown)",
         "null", "true", "[deleted]", "[removed]", "t1_c1", "t3_abc", "Listing"]
#: Titles and words in other scripts than Latin (ids must stay distinct and stable for them).
SCRIPTS = ["PMのキャリア", "転職", "Как расти", "产品经理", "產品經理", "Ελληνικά", "제품 관리자", "مدير المنتج", "हिन्दी",
           "ภาษาไทย", "ＰＭ", "✨"]
CHARS = st.text(st.characters(codec="utf-8"), max_size=12)  # any code point but the surrogates
LINE_CHARS = st.text(st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=12)


def pick(values: list[Any]) -> SearchStrategy[Any]:
    """`st.sampled_from(values)` for values too big to show: Hypothesis builds strategies' reprs
    (for its statistics) and a 5,000-digit number in one makes that slow."""
    return st.sampled_from(range(len(values))).map(values.__getitem__)


def mix(chars: SearchStrategy[str], tokens: list[str]) -> SearchStrategy[str]:
    """Random characters, special tokens among random characters, or a run of tokens."""
    token = st.sampled_from(tokens)
    return st.one_of(chars, st.builds(lambda a, b, c: a + b + c, chars, token, chars),
                     st.lists(token, max_size=6).map("".join))


TEXT = mix(CHARS, SPECIAL + WORDS)
INLINE = mix(LINE_CHARS, [s for s in SPECIAL if s not in ("\n", "\r", "\r\n")] + WORDS)
NAME = st.one_of(st.text(st.sampled_from("abcXYZ_019.-"), min_size=1, max_size=10), INLINE)
#: Short strings for JSON fields: cheaper to generate than free text, and as nasty.
SHORT = st.one_of(st.sampled_from(["", " ", "\t", "x", "Priya", "[deleted]", "[removed]", "@Priya, yes", "&gt;",
                                   "<p>hi</p>", "\x00", "\u2028", "\U0001f642", "a\nb", "\r\n", "٣", "t1_c1",
                                   "Listing", "t3"]),
                  st.text(st.characters(codec="utf-8"), max_size=6))
TITLE = st.one_of(SHORT, st.builds(lambda word, text: f"{word} {text}", st.sampled_from(WORDS + SCRIPTS), INLINE),
                  st.lists(st.sampled_from(SCRIPTS), min_size=1, max_size=3).map(" ".join))
DIGITS = st.one_of(st.integers(0, 10**6).map(str), st.sampled_from(["0", "007", "٣", "𝟗", "1" * 19]),
                   st.integers(1, 6000).map(lambda n: "9" * n))
NEWLINE = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])


@st.composite
def lines_doc(draw: st.DrawFn, lines: SearchStrategy[list[str]]) -> str:
    """Lines joined by one newline style, sometimes after a byte-order mark."""
    text = draw(NEWLINE).join(draw(lines))
    return draw(st.sampled_from(["", "", "", "\ufeff"])) + text


@st.composite
def mutated(draw: st.DrawFn, base: list[str], line: SearchStrategy[str]) -> list[str]:
    """`base` (a fixture's lines) with a few lines inserted, replaced, deleted or doubled."""
    lines = list(base)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines)))
        operation = draw(st.sampled_from(["insert", "replace", "delete", "double"]))
        if operation == "insert" or not lines or at == len(lines):
            lines.insert(at, draw(line))
        elif operation == "replace":
            lines[at] = draw(line)
        elif operation == "delete":
            del lines[at]
        else:
            lines.insert(at, lines[at])
    return lines


def fixture_lines(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").split("\n")


# -- plain text ------------------------------------------------------------------------------

LIKE_LINE = st.builds(lambda pad, n, word, end: f"{pad}{n} {word}{end}", st.sampled_from(["", " ", "\t"]),
                      DIGITS, st.sampled_from(["Like", "Likes", "likes", "LIKE", "likess"]),
                      st.sampled_from(["", " ", "\t", "x"]))
REPLY_LINE = st.builds(lambda name, sep, text: f"@{name}{sep} {text}", NAME,
                       st.sampled_from([",", ":", ""]), INLINE)
PLAIN_LINE = st.one_of(INLINE, st.just(""), st.just(""), st.sampled_from([" ", "\t", " \t "]), LIKE_LINE,
                       REPLY_LINE, st.sampled_from(SCRIPTS))
PLAINTEXT = st.one_of(lines_doc(st.lists(PLAIN_LINE, max_size=25)),
                      lines_doc(mutated(fixture_lines("plain_thread.txt"), PLAIN_LINE)))

# -- markdown --------------------------------------------------------------------------------

YAML_TRAPS = ["2020-13-45", "2001-02-30", "2020-01-01", "!!int abc", "!!float x", "!!binary '%%%'",
              "!!timestamp nope", "!!set {a}", "!!python/object:os.system x", "[" * 300, "{a: " * 120,
              "*undefined", "&a [1, *a]", "|", ">-", '"\\ud800"', '"a\\udfff\\ud800"', '"\\0"', '"\\x00"',
              '"abc\\n"', '"x\\u2028y"', "~", "null", "true", "0x1F", "1e999", ".nan", "9" * 5000,
              "'unterminated", ": :", "{a: [b, {c: d}]}", "!!str", "!<tag:yaml.org,2002:int> x",
              "[sql, career]", "[1, 2]", "[[a]]", "sql, career", "", "\t", "? a", "- a", "{x: 1}: 2",
              "abc\\", "\x01", "\x85", "\u2028"]
FRONT_KEY = st.one_of(st.sampled_from(["id", "title", "url", "tags"]),
                      st.sampled_from(["titel", "1", "null", "~", "true", "2020-01-01", "<<", "? [a]", "[a]",
                                       "'title'", "Title", " title", "tags "]),
                      INLINE)
FRONT_VALUE = st.one_of(INLINE, pick(YAML_TRAPS), st.text(st.sampled_from("abz019-"), min_size=1, max_size=20),
                        DIGITS, st.lists(INLINE, max_size=3).map(lambda tags: "[" + ", ".join(tags) + "]"))
FRONT_LINE = st.one_of(st.builds(lambda key, sep, value: f"{key}{sep}{value}", FRONT_KEY,
                                 st.sampled_from([": ", ":", " : ", ":\t"]), FRONT_VALUE),
                       st.builds(lambda value: f"  - {value}", FRONT_VALUE), INLINE)
HEADING_PART = st.one_of(st.builds(lambda n, word: f"{n} {word}", DIGITS,
                                   st.sampled_from(["likes", "like", "Likes", "lik"])),
                         st.builds(lambda n: f"reply to {n}", DIGITS),
                         st.sampled_from(["", " ", "reply to 0", "reply  to 1", "reply to -1", "1 like"]), INLINE)
HEADING = st.builds(lambda hashes, author, parts: hashes + author + "".join(sep + part for sep, part in parts),
                    st.sampled_from(["## ", "## ", "## ", "##", "### ", " ## ", "#"]),
                    st.one_of(NAME, st.sampled_from(["(unknown)", "", "  ", "·"])),
                    st.lists(st.tuples(st.sampled_from([" · ", " | ", "·", "|"]), HEADING_PART), max_size=3))
BODY_LINE = st.one_of(INLINE, st.just(""), REPLY_LINE, st.just("## "), st.just("---"))


@st.composite
def markdown_docs(draw: st.DrawFn) -> list[str]:
    opening = draw(st.sampled_from(["---", "---", "---", "--- ", "----", "", "title: x"]))
    front = draw(st.lists(FRONT_LINE, max_size=5))
    closing = draw(st.sampled_from([["---"], ["---"], ["---"], [" --- "], []]))
    lines = [opening, *front, *closing, *draw(st.lists(BODY_LINE, max_size=2))]
    for _ in range(draw(st.integers(0, 4))):
        lines += [draw(HEADING), *draw(st.lists(BODY_LINE, max_size=3))]
    return lines


def yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted string, every character that is not printable escaped."""
    def escape(char: str) -> str:
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"

    return '"' + "".join(char if char.isprintable() and char not in '"\\' else escape(char) for char in text) + '"'


@st.composite
def clean_markdown_docs(draw: st.DrawFn) -> str:
    """Front matter and post headings of the right shape around nasty text."""
    front = [f"title: {yaml_string(draw(TITLE))}"]
    if draw(st.booleans()):
        front.append(f"id: {draw(st.sampled_from('az0'))}{draw(st.text(st.sampled_from('az09-'), max_size=12))}")
    if draw(st.booleans()):
        front.append(f"url: {yaml_string(draw(SHORT))}")
    if draw(st.booleans()):
        front.append(f"tags: [{', '.join(yaml_string(tag) for tag in draw(st.lists(SHORT, max_size=3)))}]")
    lines = ["---", *front, "---", ""]
    for index in range(1, draw(st.integers(1, 4)) + 1):
        parts = [draw(st.one_of(USERNAME, USERNAME, st.just("(unknown)"), INLINE))]
        if draw(st.booleans()):
            parts.append(f"{draw(st.integers(0, 10**6))} likes")
        if index > 1 and draw(st.booleans()):
            parts.append(f"reply to {draw(st.integers(1, index - 1))}")
        lines += ["## " + draw(st.sampled_from([" · ", " | "])).join(parts), "",
                  draw(st.sampled_from(WORDS)) + draw(INLINE), *draw(st.lists(BODY_LINE, max_size=2))]
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines)


MARKDOWN = st.one_of(lines_doc(markdown_docs()), clean_markdown_docs(),
                     lines_doc(mutated(fixture_lines("markdown_thread.md"), st.one_of(FRONT_LINE, HEADING,
                                                                                      BODY_LINE))))

# -- a Discourse raw page --------------------------------------------------------------------

RAW_HEADER = st.builds(lambda name, number, end: f"{name} | 2024-04-27 06:35:35 UTC | #{number}{end}",
                       st.sampled_from(["river_stone", "Ana", "x", "a b", "é", "@bob"]), st.integers(0, 12),
                       st.sampled_from(["", " ", "x"]))
RAW_LINE = st.one_of(RAW_HEADER, BODY_LINE, PLAIN_LINE, st.sampled_from(
    ["-------------------------", '[quote="Ana, post:1, topic:9"]', '[quote="x, post:99"]', "[/quote]", "```",
     "[poll]", "[/poll]", "# title"]))
DISCOURSE_RAW = lines_doc(st.builds(lambda first, lines: [first, *lines],
                                    st.one_of(RAW_HEADER, st.builds(lambda t: f"# {t}", TITLE)),
                                    st.lists(RAW_LINE, max_size=25)))

# -- JSON ------------------------------------------------------------------------------------

#: JSON tokens `json.dumps` will not write: huge numbers, non-finite numbers, deep nesting, and
#: escapes that decode to lone surrogates or NUL.
RAW_TOKENS = ["9" * 5000, "-" + "1" * 4400, "1" * 400, "1e99999", "-1e99999", "1.5e-400", "NaN", "Infinity",
              "-Infinity", "[" * 3000 + "]" * 3000, '{"a":' * 2000 + "1" + "}" * 2000, '"\\ud800"',
              '"x\\udc00y"', '"\\ud83d\\ude42"', '"\\u0000"', '"\\ud800\\ud800"', "-0", "1E400"]


class Raw:
    """A JSON token written into the document as it is."""

    def __init__(self, token: str) -> None:
        self.token = token


MISSING = object()


def json_text(value: object, indent: int | None) -> str:
    raws: list[str] = []

    def placeholder(obj: object) -> str:
        if not isinstance(obj, Raw):
            raise TypeError(obj)
        raws.append(obj.token)
        return f"\x00raw{len(raws) - 1}\x00"

    text = json.dumps(value, indent=indent, default=placeholder, ensure_ascii=False)
    for number, token in enumerate(raws):
        text = text.replace(json.dumps(f"\x00raw{number}\x00"), token, 1)
    return text


KEY = st.one_of(st.sampled_from(["id", "title", "kind", "data", "children", "posts", "post_stream", "name"]),
                SHORT)
HUGE = st.one_of(st.integers(2**63 - 2, 2**64), st.integers(-(2**64), -(2**63)),
                 st.integers(300, 4000).map(lambda digits: 10**digits + 1))
JSON_LEAF = st.one_of(st.none(), st.booleans(), st.integers(), HUGE, st.floats(), SHORT,
                      pick(RAW_TOKENS).map(Raw))
JSON_ANY = st.recursive(JSON_LEAF, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(KEY, inner, max_size=4)),
                        max_leaves=4)


def field(valid: SearchStrategy[Any]) -> SearchStrategy[Any]:
    """Mostly a plausible value; sometimes junk of any type, or no field at all."""
    return st.one_of(valid, valid, valid, valid, valid, valid, JSON_LEAF, JSON_ANY, st.just(MISSING))


def obj(**fields: SearchStrategy[Any]) -> SearchStrategy[dict[str, Any]]:
    """A JSON object with these fields (missing ones left out) and now and then an extra one."""
    extra = st.one_of(st.just({}), st.just({}), st.just({}), st.dictionaries(KEY, JSON_ANY, max_size=1))
    return st.builds(lambda given, more: {**more, **{k: v for k, v in given.items() if v is not MISSING}},
                     st.fixed_dictionaries(fields), extra)


@st.composite
def json_docs(draw: st.DrawFn, values: SearchStrategy[Any], indents: tuple[int | None, ...] = (None, None, None, 2),
              mutate: bool = True) -> str:
    """A value as JSON text; unless not to `mutate`, sometimes cut short or with a stray character put in."""
    text = json_text(draw(values), draw(st.sampled_from(indents)))
    change = draw(st.sampled_from(["none", "none", "none", "none", "cut", "insert"])) if mutate else "none"
    if change == "cut":
        text = text[:draw(st.integers(0, len(text)))]
    elif change == "insert":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(SPECIAL + [",", "\\u", "]", "}"])) + text[at:]
    return text


SMALL = st.integers(-2, 8)
USERNAME = st.text(st.sampled_from("abcXYZ_019.-"), min_size=1, max_size=10)
COUNT = st.one_of(st.none(), st.integers(-3, 100), HUGE)
HTML_PIECES = ["<p>", "</p>", "<br>", "<br/>", "<img alt=':smile:'>", "<img>", "<img alt=''>", "<blockquote>",
               "</blockquote>", "<pre>", "</pre>", "<li>", "</li>", "<ul>", "</ul>", "<script>", "</script>",
               "<style>", "</style>", "<![CDATA[", "]]>", "<!--", "-->", "<!DOCTYPE x>", "<![if x]>", "&amp;",
               "&#0;", "&#xD800;", "&#99999999;", "&bogus;", "&nbsp;", "<a href='x'>", "</a>", "</", "<", "&",
               "<h2>", "<aside class='quote'>", "<div>", "</div>", "<?php ?>", "<p class=\"a\"", "\n",
               # Discourse's furniture: link previews, lightboxed images, polls, media
               "<aside class='onebox' data-onebox-src='https://x.example/a'>", "</aside>", "<h3>", "</h3>",
               "<div class='lightbox-wrapper'>", "<a class='lightbox' href='x' title='a.png'>", "<div class='meta'>",
               "<span class='filename'>a.png</span>", "<img alt='image|690x352'>", "<img alt='IMG_2041'>",
               "<img class='emoji' alt=':smile:'>", "<div class='poll' data-poll-name='poll'>", "<div class='poll'>",
               "<div class='poll-info'>", "<video>", "</video>", "<div class='lazy-video-container' data-video-title='v'>",
               "<div class='title'>", "<svg>", "</svg>", "(post withdrawn by author", "This topic is now pinned."]
COOKED = st.one_of(mix(INLINE, HTML_PIECES), st.lists(st.sampled_from(HTML_PIECES), max_size=12).map("".join))


def clean(valid: SearchStrategy[Any]) -> SearchStrategy[Any]:
    """A field that is always there with a value of its type (which may still be a nasty one)."""
    return valid


LIKES = st.one_of(st.none(), st.integers(0, 100), HUGE.map(abs))


def discourse_topic(junk: bool) -> SearchStrategy[dict[str, Any]]:
    """A topic like tests/fixtures/discourse_topic.json: with `junk`, fields go missing or get
    values of any type; without, every field has a value of its type, if an odd one."""
    f = field if junk else clean
    post = obj(
        id=f(st.integers(0, 10**4)),
        post_number=f(st.one_of(SMALL, SMALL, HUGE)),
        username=f(st.one_of(st.none(), USERNAME, SHORT)),
        cooked=f(COOKED),
        reply_to_post_number=f(st.one_of(st.none(), SMALL)),
        like_count=f(COUNT if junk else LIKES),
        actions_summary=f(st.lists(obj(id=f(st.sampled_from([2, 2, 3])), count=f(COUNT if junk else LIKES)),
                                   max_size=2)),
        post_type=f(st.sampled_from([1, 1, 1, 2, 3, 4, 5])),
        deleted_at=f(st.one_of(st.none(), st.none(), SHORT)),
        hidden=f(st.sampled_from([False, False, False, True])),
        user_deleted=f(st.sampled_from([False, False, False, True])),
        action_code=f(st.one_of(st.none(), st.none(), st.sampled_from(["closed.enabled", "pinned.enabled"]))),
        polls=f(st.lists(obj(name=f(st.sampled_from(["poll", "other"])), voters=f(COUNT if junk else LIKES),
                             options=f(st.lists(obj(html=f(COOKED), votes=f(COUNT if junk else LIKES)), max_size=3))),
                         max_size=2)),
    )
    tag = st.one_of(SHORT, obj(id=f(st.integers()), name=f(SHORT)))
    return obj(id=f(st.one_of(st.integers(-5, 10**6), HUGE)), title=f(TITLE), slug=f(SHORT),
               tags=f(st.lists(tag, max_size=3)), posts_count=f(COUNT if junk else LIKES),
               post_stream=f(obj(posts=f(st.lists(post, min_size=0 if junk else 1, max_size=3)),
                                 stream=f(st.lists(st.integers(0, 10**4), max_size=30)))))


DISCOURSE_FIXTURE = json.loads((FIXTURES / "discourse_topic.json").read_text(encoding="utf-8"))


@st.composite
def fixture_with_junk(draw: st.DrawFn, data: object) -> object:
    """A copy of a fixture's JSON (or of one a strategy draws) with a few values swapped for junk
    or removed."""
    data = json.loads(json.dumps(draw(data) if isinstance(data, SearchStrategy) else data))
    for _ in range(draw(st.integers(1, 4))):
        node = data
        while isinstance(node, (dict, list)) and node and draw(st.integers(0, 3)):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            key = draw(st.sampled_from(keys))
            if not isinstance(node[key], (dict, list)) or not node[key] or not draw(st.booleans()):
                if draw(st.integers(0, 4)) == 0:
                    del node[key]
                else:
                    node[key] = draw(JSON_ANY)
                break
            node = node[key]
    return data


REAL_WORLD = {path.name: json.loads(path.read_text(encoding="utf-8"))
              for path in sorted((FIXTURES / "real_world").glob("*.json"))}
DISCOURSE = st.one_of(json_docs(discourse_topic(junk=True)), json_docs(discourse_topic(junk=False), mutate=False),
                      json_docs(fixture_with_junk(DISCOURSE_FIXTURE)),
                      json_docs(fixture_with_junk(pick([data for name, data in REAL_WORLD.items()
                                                        if name.startswith("discourse")]))))

# -- reddit ----------------------------------------------------------------------------------

REDDIT_ID = st.one_of(st.text(st.sampled_from("abz019"), min_size=1, max_size=7), SHORT)
REDDIT_AUTHOR = st.one_of(st.none(), USERNAME, SHORT)
REDDIT_BODY = st.one_of(TEXT, st.sampled_from(["", "[deleted]", "[removed]", "&gt;", "&amp;#0;", "&amp;quot;x&amp;quot;",
                                              "&#x200B;", "&#3232;", "[ Removed by Reddit ]", "![img](emote|x)",
                                              "*I am a bot, and this action was performed automatically.*",
                                              "&amp;nbsp;", "&#99999999;", "a &lt;b&gt; c"]))


def listing(children: SearchStrategy[list[Any]], junk: bool) -> SearchStrategy[dict[str, Any]]:
    f = field if junk else clean
    return obj(kind=f(st.sampled_from(["Listing", "Listing", "Listing", "listing", "t1"] if junk else ["Listing"])),
               data=f(obj(children=f(children))))


def reddit_page(junk: bool) -> SearchStrategy[list[Any]]:
    """A page like tests/fixtures/reddit_thread.json: with `junk`, fields go missing or get values
    of any type; without, every field has a value of its type, if an odd one."""
    f = field if junk else clean
    reddit_id = REDDIT_ID if junk else st.text(st.sampled_from("abz019"), min_size=1, max_size=7)
    submission = obj(kind=f(st.sampled_from(["t3", "t3", "t3", "t1", "Listing"] if junk else ["t3"])),
                     data=f(obj(id=f(reddit_id), title=f(TITLE), selftext=f(REDDIT_BODY), author=f(REDDIT_AUTHOR),
                                score=f(COUNT), permalink=f(st.one_of(st.none(), SHORT)),
                                num_comments=f(COUNT if junk else LIKES), is_self=f(st.booleans()),
                                url=f(st.one_of(st.none(), SHORT, st.just("https://x.example/a.pdf"))),
                                hide_score=f(st.booleans()),
                                crosspost_parent_list=f(st.lists(obj(title=f(TITLE), selftext=f(REDDIT_BODY),
                                                                     subreddit=f(SHORT), author=f(REDDIT_AUTHOR)),
                                                                 max_size=1)),
                                gallery_data=f(st.one_of(st.none(), obj(items=f(st.lists(obj(
                                    media_id=f(SHORT), caption=f(st.one_of(st.none(), REDDIT_BODY)),
                                    outbound_url=f(st.one_of(st.none(), SHORT))), max_size=3))))),
                                media_metadata=f(st.one_of(st.none(), st.dictionaries(SHORT, JSON_ANY, max_size=2))),
                                poll_data=f(st.one_of(st.none(), obj(total_vote_count=f(COUNT if junk else LIKES),
                                                                     options=f(st.lists(obj(
                                                                         text=f(REDDIT_BODY),
                                                                         vote_count=f(COUNT if junk else LIKES)),
                                                                         max_size=3))))))))
    more = obj(kind=f(st.just("more")),
               data=f(obj(count=f(COUNT if junk else LIKES), children=f(st.lists(reddit_id, max_size=3)),
                          parent_id=f(st.one_of(reddit_id.map("t1_{}".format), reddit_id.map("t3_{}".format))))))

    def comments(replies: SearchStrategy[Any]) -> SearchStrategy[dict[str, Any]]:
        comment = obj(kind=f(st.sampled_from(["t1", "t1", "t1", "more", "t3"])),
                      data=f(obj(id=f(reddit_id), author=f(st.one_of(REDDIT_AUTHOR, st.just("AutoModerator"))),
                                 body=f(REDDIT_BODY), score=f(COUNT),
                                 score_hidden=f(st.booleans()), stickied=f(st.booleans()),
                                 distinguished=f(st.one_of(st.none(), st.just("moderator"))),
                                 parent_id=f(st.one_of(st.none(), reddit_id.map("t1_{}".format),
                                                       reddit_id.map("t3_{}".format), SHORT)),
                                 replies=f(st.one_of(st.just(""), st.none(), replies)))))
        return listing(st.lists(st.one_of(comment, comment, comment, more), max_size=2), junk)

    empty = listing(st.just([]), junk)
    tree = st.one_of(empty, comments(st.one_of(empty, comments(empty))))  # (st.recursive: a slow repr)
    page = st.tuples(listing(st.lists(submission, min_size=0 if junk else 1, max_size=2), junk), tree).map(list)
    return st.one_of(page, st.lists(listing(st.lists(submission, max_size=1), junk), max_size=3)) if junk else page


@st.composite
def deep_reddit(draw: st.DrawFn) -> list[Any]:
    """A valid thread whose comments reply to each other up to a few hundred levels deep."""
    replies: object = ""
    deleted_every = draw(st.integers(2, 50))
    for level in range(draw(st.integers(1, 300)), 0, -1):
        replies = {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {
            "id": f"c{level}", "body": "[deleted]" if level % deleted_every == 0 else f"level {level}",
            "parent_id": f"t1_c{level - 1}", "replies": replies}}]}}
    submission = {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"id": "abc", "title": "Deep"}}]}}
    return [submission, replies]


REDDIT_FIXTURE = json.loads((FIXTURES / "reddit_thread.json").read_text(encoding="utf-8"))
REDDIT = st.one_of(json_docs(reddit_page(junk=True)), json_docs(reddit_page(junk=False), mutate=False),
                   json_docs(fixture_with_junk(REDDIT_FIXTURE)), json_docs(deep_reddit(), indents=(None,)),
                   json_docs(fixture_with_junk(pick([data for name, data in REAL_WORLD.items()
                                                     if name.startswith("reddit")]))))

# -- hacker news (Algolia's items API) --------------------------------------------------------

HN_TEXT = st.one_of(st.none(), COOKED, st.sampled_from(["<p>a</p><p>b</p>", "&#x27;", "[deleted]", "[dead]",
                                                         "<pre><code>  x = 1\n</code></pre>", "<i>x</i>",
                                                         "<a href=\"https://x.example/long\">https://x.example/lo...</a>"]))


def hn_story(junk: bool) -> SearchStrategy[dict[str, Any]]:
    """A story like tests/fixtures/hackernews/ask_hn_saying_no.json: with `junk`, fields go
    missing or get values of any type; without, every field has a value of its type."""
    f = field if junk else clean
    item_id = st.one_of(st.integers(-5, 10**8), HUGE) if junk else st.integers(1, 10**8)

    def item(kind: SearchStrategy[str], children: SearchStrategy[Any]) -> SearchStrategy[dict[str, Any]]:
        return obj(id=f(item_id), type=f(kind), author=f(st.one_of(st.none(), USERNAME)), text=f(HN_TEXT),
                   parent_id=f(st.one_of(st.none(), item_id)), story_id=f(item_id),
                   points=f(COUNT if junk else LIKES), created_at=f(SHORT), children=f(children))

    comment = st.sampled_from(["comment", "comment", "comment", "story", "pollopt"]) if junk else st.just("comment")
    leaf = item(comment, st.just([]))
    story = obj(id=f(item_id), type=f(st.sampled_from(["story", "story", "poll", "comment", "job"]) if junk
                                      else st.just("story")),
                title=f(TITLE), url=f(st.one_of(st.none(), SHORT)), text=f(HN_TEXT),
                author=f(st.one_of(st.none(), USERNAME)), points=f(COUNT if junk else LIKES),
                options=f(st.lists(obj(text=f(HN_TEXT), points=f(COUNT if junk else LIKES)), max_size=2)),
                children=f(st.lists(item(comment, st.lists(leaf, max_size=2)), max_size=3)))
    return story


HN_FIXTURE = json.loads((FIXTURES / "hackernews" / "ask_hn_saying_no.json").read_text(encoding="utf-8"))
HACKERNEWS = st.one_of(json_docs(hn_story(junk=True)), json_docs(hn_story(junk=False), mutate=False),
                       json_docs(fixture_with_junk(HN_FIXTURE)))

STRUCTURED = {"plaintext": PLAINTEXT, "markdown": MARKDOWN, "discourse": DISCOURSE, "discourse-raw": DISCOURSE_RAW,
              "reddit": REDDIT, "hackernews": HACKERNEWS}
RAW_TEXT = st.one_of(TEXT, st.binary(max_size=200).map(lambda b: b.decode("utf-8", "replace")),
                     json_docs(JSON_ANY), pick(RAW_TOKENS))


# -- the importers ---------------------------------------------------------------------------


def test_every_format_is_fuzzed() -> None:
    assert set(STRUCTURED) == set(PARSERS) == set(FORMATS)


def per_format(format: str) -> SearchStrategy[str]:
    """Three structure-aware documents for every raw one."""
    structured = STRUCTURED[format]
    return st.one_of(structured, structured, structured, RAW_TEXT)


@FUZZ
@given(text=per_format("plaintext"))
def test_plaintext(text: str) -> None:
    outcome(text, "plaintext")


@FUZZ
@given(text=per_format("discourse-raw"))
def test_discourse_raw(text: str) -> None:
    outcome(text, "discourse-raw")


@FUZZ
@given(text=per_format("markdown"))
def test_markdown(text: str) -> None:
    outcome(text, "markdown")


@FUZZ
@given(text=per_format("discourse"))
def test_discourse(text: str) -> None:
    outcome(text, "discourse")


@FUZZ
@given(text=per_format("reddit"))
def test_reddit(text: str) -> None:
    outcome(text, "reddit")


@FUZZ
@given(text=per_format("hackernews"))
def test_hackernews(text: str) -> None:
    outcome(text, "hackernews")


@settings(FUZZ, max_examples=500)
@given(text=st.one_of(RAW_TEXT, *STRUCTURED.values()))
def test_detected_format(text: str) -> None:
    outcome(text, None)


@st.composite
def lf_text(draw: st.DrawFn) -> str:
    """A plain-text or Markdown document with `\n` line endings alone (no `\r` anywhere)."""
    lines = draw(st.one_of(st.lists(PLAIN_LINE, max_size=25), markdown_docs(),
                           mutated(fixture_lines("plain_thread.txt"), PLAIN_LINE),
                           mutated(fixture_lines("markdown_thread.md"), BODY_LINE)))
    return "\n".join(line.replace("\r", "") for line in lines)


@settings(FUZZ, max_examples=500)
@given(text=lf_text(), ending=st.sampled_from(["\r\n", "\r"]), mark=st.sampled_from(["", "\ufeff"]))
def test_line_endings_and_marks_never_change_a_thread(text: str, ending: str, mark: str) -> None:
    """The same file with Windows or old Mac line endings, or a byte-order mark, is the same
    thread: same format, id and content, or the same error at the same line."""
    first, second = outcome(text, None), outcome(mark + text.replace("\n", ending), None)
    if isinstance(first, Thread):
        assert isinstance(second, Thread)
        assert (second.format, second.id, second.content_hash()) == (first.format, first.id, first.content_hash())
    else:
        assert isinstance(second, ImportFailure) and (second.message, second.line) == (first.message, first.line)


@st.composite
def topic_pages(draw: st.DrawFn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A whole Discourse topic and a few pages of it (any posts of it, the stream in every one)."""
    numbers = sorted(draw(st.sets(st.integers(1, 60), min_size=1, max_size=12)) | {1})
    posts = [{"id": 1000 + n, "post_number": n, "username": draw(USERNAME), "cooked": f"<p>{draw(SENTENCE)}</p>",
              "reply_to_post_number": draw(st.one_of(st.none(), st.sampled_from(numbers)))} for n in numbers]
    stream = [post["id"] for post in posts]
    title = draw(st.one_of(TITLE.filter(str.strip), st.sampled_from(SCRIPTS)))
    topic = {"id": 5, "title": title, "post_stream": {"posts": posts, "stream": stream}}
    pages = [{**topic, "post_stream": {"posts": draw(st.lists(st.sampled_from(posts), min_size=1, max_size=5,
                                                              unique_by=lambda post: post["id"])), "stream": stream}}
             for _ in range(draw(st.integers(1, 4)))]
    return topic, pages


@settings(FUZZ, max_examples=150)
@given(pages=topic_pages(), whole_at=st.one_of(st.none(), st.integers(0, 4)))
def test_partial_copies_never_lose_posts(tmp_path_factory: pytest.TempPathFactory,
                                         pages: tuple[dict[str, Any], list[dict[str, Any]]], whole_at: int | None) -> None:
    """Pages of a topic, stored in any order: each adds what the store lacks and never removes a
    post; the whole topic, stored at any point, replaces them all."""
    from mentor.corpus.ingest import IngestReport, store_threads
    from mentor.importers import discourse

    topic, parts = pages
    files = [dict(page) for page in parts]
    if whole_at is not None:
        files.insert(min(whole_at, len(files)), topic)
    store = ThreadStore(tmp_path_factory.mktemp("pages"))
    try:
        seen: set[int] = set()
        for data in files:
            try:
                thread = discourse.from_data(data, source=f"page-{id(data)}.json")
            except ImportFailure:
                continue  # a page of nothing but one skipped post
            store_threads(store, [thread], IngestReport())
            stored = store.get(thread.id)
            assert stored is not None
            seen = {p.index for p in thread.posts} if data is topic else seen | {p.index for p in thread.posts}
            assert {p.index for p in stored.posts} == seen
            assert stored.partial == (len(seen) < len(topic["post_stream"]["posts"]))
            whole = discourse.from_data(topic)
            assert all(post == whole.post(post.index) for post in stored.posts)
    finally:
        store.close()


FIXTURE_FILES = sorted(path for path in FIXTURES.rglob("*") if path.is_file())
FIXTURE_BYTES = [path.read_bytes() for path in FIXTURE_FILES]
BYTES = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda data, junk, at: data[:at] + junk + data[at:], pick(FIXTURE_BYTES),
              st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x80\x80", b"\xf4\x90\x80\x80", b"\x00",
                               b"\xef\xbb\xbf", b"\xff\xfe", b"\n\xc3\n"]),
              st.integers(0, 2500)),
    st.builds(lambda size, tail: b"a" * size + tail, st.sampled_from([8180, 8191, 8192, 9000]),
              st.sampled_from([b"\x00", b"\xff", b"\n\x00"])),
    pick(FIXTURE_BYTES).map(lambda data: data.decode("utf-8").encode("utf-16")),
)


@settings(FUZZ, max_examples=500)
@given(data=BYTES)
def test_decode_any_bytes(data: bytes) -> None:
    try:
        text = decode(data, SOURCE)
    except ImportFailure as failure:
        assert failure.path == SOURCE and str(failure).startswith(SOURCE + ":")
        if failure.line is not None:
            offset = int(re.search(r"at offset (\d+)", failure.message).group(1))
            assert failure.line == data.count(b"\n", 0, offset) + 1
        else:
            assert failure.message.startswith(WHOLE_FILE), failure
        return
    assert text.encode("utf-8") == data


@settings(FUZZ, max_examples=200)
@given(data=st.one_of(BYTES, st.one_of(*STRUCTURED.values()).map(str.encode)))
def test_read_file_any_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "thread.json"
    path.write_bytes(data)
    try:
        thread = read_file(path)
    except ImportFailure as failure:
        assert_located(failure, str(path), data.decode("utf-8", "replace"))
        return
    assert_well_formed(thread, str(path))


def test_read_file_refuses_huge_and_unreadable(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as sparse:
        sparse.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ImportFailure, match=r"huge\.txt: .* too large"):
        read_file(huge)
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(ImportFailure, match=r"folder: cannot read"):
        read_file(folder)


# -- config.toml -----------------------------------------------------------------------------

SETTING_NAMES = ["model", "llm_url", "chroma_url", "embedding_model", "context_window", "history"]
TOML_VALUES = ['"text"', "'/models/x.gguf'", "true", "false", "1", "511", "512", "4096", "-1", "9" * 5000,
               "1_0" * 2500, "1e3", "inf", "nan", "1979-05-27", "07:32:00", "[1, 2]", "{a = 1}", '"""multi\nline"""',
               "[" * 2000, "{a = " * 600, '"\\ud800"', '"\\x00"', '"\\u0000"', "0x10", "0o777", "1_000", "",
               '"unterminated', "'''", "[[", "\x00", "\x7f", "\ufeff"]
TOML_LINE = st.one_of(
    st.builds(lambda key, sep, value: f"{key}{sep}{value}", st.one_of(st.sampled_from(SETTING_NAMES), INLINE,
                                                                      st.sampled_from(['"model"', "a.b", "Model",
                                                                                       "history.x"])),
              st.sampled_from([" = ", "=", " := ", " "]), st.one_of(pick(TOML_VALUES), INLINE, DIGITS)),
    st.sampled_from(["[model]", "[[history]]", "[a.b]", "# a comment", "", "["]), INLINE)
TOML_DOC = st.one_of(lines_doc(st.lists(TOML_LINE, max_size=8)), TEXT)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MENTOR_MODEL", "MENTOR_LLM_URL", "MENTOR_CHROMA_URL", "MENTOR_EMBEDDING_MODEL", "MENTOR_CONTEXT"):
        monkeypatch.delenv(name, raising=False)


@settings(FUZZ, max_examples=600)
@given(content=st.one_of(TOML_DOC.map(lambda text: text.encode("utf-8")), st.binary(max_size=100)))
def test_config_toml(tmp_path: Path, clean_env: None, content: bytes) -> None:
    path = tmp_path / CONFIG_FILE
    path.write_bytes(content)
    try:
        found = load_settings(tmp_path)
    except MentorError as error:
        message = str(error)
        assert type(error) is MentorError and message.startswith(f"{path}")
        named_key = re.search(r"'([^']*)'", message)
        assert (re.search(r"line \d+|at end of document", message) or "nested too deeply" in message
                or (named_key and named_key.group(1) in content.decode("utf-8", "replace"))), message
        return
    assert type(found) is Settings
    for name in ("model", "llm_url", "chroma_url", "embedding_model"):
        assert getattr(found, name) is None or isinstance(getattr(found, name), str)
    assert type(found.context_window) is int and found.context_window >= 512
    assert type(found.history) is bool


# -- other JSON mentor reads: Ollama's manifests, a model server's answers ------------------

OLLAMA_LAYER = "application/vnd.ollama.image.model"
MANIFEST = obj(layers=field(st.lists(obj(mediaType=field(st.sampled_from([OLLAMA_LAYER, "x"])),
                                         digest=field(st.one_of(SHORT, st.just("sha256:abc")))), max_size=3)))


@settings(FUZZ, max_examples=200)
@given(manifest=st.one_of(json_docs(MANIFEST), json_docs(JSON_ANY), RAW_TEXT))
def test_ollama_manifests(tmp_path: Path, manifest: str) -> None:
    from mentor.llm.discovery import _ollama_blobs

    (tmp_path / "manifests" / "library").mkdir(parents=True, exist_ok=True)
    (tmp_path / "blobs").mkdir(exist_ok=True)
    (tmp_path / "blobs" / "sha256-abc").write_bytes(b"GGUF")
    (tmp_path / "manifests" / "library" / "model").write_text(manifest, encoding="utf-8")
    blobs = _ollama_blobs(tmp_path)
    assert set(blobs) <= {tmp_path / "blobs" / "sha256-abc"}
    try:
        layers = json.loads(manifest)["layers"]
    except (ValueError, RecursionError, TypeError, KeyError, IndexError):
        return
    if isinstance(layers, list) and {"mediaType": OLLAMA_LAYER, "digest": "sha256:abc"} in layers:
        assert blobs == [tmp_path / "blobs" / "sha256-abc"]


CHUNK = obj(choices=field(st.lists(obj(delta=field(obj(content=field(SHORT), role=field(SHORT))),
                                       finish_reason=field(SHORT)), max_size=2)),
            usage=field(obj(prompt_tokens=field(st.integers()))))
MODEL_LIST = obj(data=field(st.lists(obj(id=field(SHORT)), max_size=2)), object=field(SHORT))


@pytest.fixture
def model_server(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """What a fake OpenAI-compatible server answers (`models`, `chat`), with no socket opened."""
    import httpx

    served: dict[str, bytes] = {}

    def answer(request: httpx.Request) -> httpx.Response:
        name = "models" if request.url.path.endswith("/models") else "chat"
        return httpx.Response(200, content=served[name], headers={"content-type": "text/event-stream"})

    real_client = httpx.Client
    monkeypatch.setattr("mentor.llm.remote.httpx.Client",
                        lambda **options: real_client(transport=httpx.MockTransport(answer), **options))
    return served


@settings(FUZZ, max_examples=200)
@given(models=st.one_of(json_docs(MODEL_LIST), RAW_TEXT),
       events=st.lists(st.one_of(json_docs(CHUNK), json_docs(CHUNK), RAW_TEXT, st.just("[DONE]")), max_size=4))
def test_model_server_json(model_server: dict[str, bytes], models: str, events: list[str]) -> None:
    import threading

    from mentor.llm.chat_model import ModelError
    from mentor.llm.grammar import AnswerShape
    from mentor.llm.remote import RemoteModel

    model_server["models"] = models.encode("utf-8")
    model_server["chat"] = "".join(f"data: {event}\n\n" for event in events).encode("utf-8")
    try:
        model = RemoteModel("http://127.0.0.1:9/v1")
    except ModelError as error:
        assert str(error).startswith("cannot reach the model server at http://127.0.0.1:9/v1: ")
        return
    assert isinstance(model.model, str)
    try:
        text = "".join(model.stream([{"role": "user", "content": "hi"}], AnswerShape.of([[1]]),
                                    threading.Event()))
    except ModelError as error:
        assert str(error).startswith("the model server at http://127.0.0.1:9/v1 failed: ")
        return
    text.encode("utf-8")  # what history stores
    assert model.last_prompt_tokens is None or type(model.last_prompt_tokens) is int
    assert model.last_finish in (None, "stop", "length")


# -- arguments -------------------------------------------------------------------------------

ARG = st.one_of(
    pick(["--json", "--help", "-h", "--chroma-url", "--model", "--bogus", "-x", "--", "-", "", "0", "1",
                     "-1", "2", "99999999999999999999", "9" * 5000, "1e3", "0x10", "٣", ".", "/", "/dev/null",
                     str(FIXTURES / "plain_thread.txt"), "http://127.0.0.1:9"]),
    st.one_of(st.integers(), HUGE).map(str),
    INLINE.filter(lambda arg: "\x00" not in arg),  # a real argv cannot hold NUL
)
COMMANDS = [["corpus", "show"], ["corpus", "remove"], ["corpus", "list"], ["history", "export"],
            ["history", "delete"], ["history", "list"], ["models"], ["models", "pull"], ["corpus"], ["history"]]
KNOWN_IDS = [t.id for t in bundled_threads()[:5]] + ["do-pms-need-to-learn-sql", "fixture-markdown-thread"]


@pytest.fixture
def filled_cli(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The CLI on a data directory with ingested threads and a saved conversation (no index yet)."""
    from mentor.history.store import HistoryStore

    monkeypatch.setenv("OLLAMA_MODELS", str(cli.home / "no-ollama"))
    cli.home.mkdir(parents=True)
    store = ThreadStore(cli.home)
    ingest(store, [FIXTURES])
    store.close()
    HistoryStore(cli.home).new_session("How do I move into product?")
    return cli


def assert_clean_exit(args: list[str], result: Result) -> None:
    """Exit 0, 1 with one `mentor: ...` message, or 2 with click's usage error; never a traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    if result.exit_code == 1:
        assert result.stderr.startswith("mentor: ") and "Traceback" not in result.stderr, (args, result.stderr)
    elif result.exit_code == 2:  # a usage error, or a group's help when no command was given
        assert "Error: " in result.stderr or result.stderr.startswith("Usage: "), (args, result.stderr)


@settings(FUZZ, max_examples=300)
@given(command=st.sampled_from(COMMANDS), args=st.lists(st.one_of(ARG, st.sampled_from(KNOWN_IDS)), max_size=4))
def test_cli_arguments(filled_cli: Cli, command: list[str], args: list[str]) -> None:
    if command == ["corpus", "remove"]:  # removing a stored thread refreshes the index: too slow here
        assume(not any(arg in KNOWN_IDS[5:] for arg in args))
    if command == ["models", "pull"]:  # pulling a catalog model downloads it
        assume(not args or args[0] in ("--help", "-h", "") or args[0].startswith("-x"))
    result = filled_cli(*command, *args)
    assert_clean_exit(command + args, result)
    if result.exit_code == 0 and "--json" in args and not {"--help", "-h"} & set(args):
        json.loads(result.stdout)


def test_history_ids_out_of_range(filled_cli: Cli) -> None:
    for command in ("export", "delete"):
        for session in ("0", "99999999999999999999", str(2**63), str(2**63 - 1)):
            result = filled_cli("history", command, session)
            assert result.exit_code == 1 and f"no conversation {session}" in result.stderr


@pytest.mark.parametrize("args", [["corpus", "show", "caf\udce9"], ["corpus", "remove", "\udcff"],
                                  ["history", "export", "\udcff"]])
def test_undecodable_arguments(filled_cli: Cli, args: list[str]) -> None:
    """A shell can pass bytes that are not UTF-8: Python hands them over as lone surrogates."""
    result = filled_cli(*args)
    assert_clean_exit(args, result)
    assert result.exit_code in (1, 2)


def test_ingest_file_with_an_undecodable_name(filled_cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "undecodable"
    folder.mkdir()
    shutil.copy(FIXTURES / "markdown_thread.md", folder / "caf\udce9.md")
    before = snapshot_of(filled_cli.home)
    result = filled_cli("ingest", str(folder))
    assert_clean_exit(["ingest", str(folder)], result)
    assert result.exit_code == 1 and "UTF-8" in result.stderr
    assert snapshot_of(filled_cli.home) == before


QUESTION = st.one_of(TEXT,
                     pick(["", "  ", "?", "-", "--json", "a" * 20000, "and that?", "what about it",
                                      "[1] [2]", "Should I learn SQL as a PM?", "🙂" * 50]))


@settings(FUZZ, max_examples=20)
@given(questions=st.lists(QUESTION, min_size=1, max_size=3), on_stdin=st.booleans())
def test_cli_ask_odd_questions(bundled_home: Path, questions: list[str], on_stdin: bool) -> None:
    args = ["--home", str(bundled_home), "ask", "--no-model", "--json"]
    if on_stdin:  # one question a line ("\r" would end a line too, read as text)
        questions = [question.replace("\r", " ") for question in questions]
        result = CliRunner().invoke(main, args, input="\n".join(questions) + "\n", catch_exceptions=False)
    else:
        assume("\x00" not in questions[0])  # a real argv cannot hold NUL
        args += ["--", questions[0]]
        result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert_clean_exit(args, result)
    lines = "\n".join(questions).split("\n") if on_stdin else questions[:1]
    asked = [line for line in lines if line.strip()]
    if asked:
        assert result.exit_code == 0, result.output
        answers = [json.loads(line) for line in result.stdout.split("\n") if line]
        assert len(answers) == len(asked) and all(answer["answer"] for answer in answers)
    elif not on_stdin:
        assert result.exit_code == 1 and "the question is empty" in result.stderr
    else:  # only blank lines: nothing to answer, said or not
        assert result.exit_code in (0, 1) and not result.stdout


@pytest.fixture(scope="module")
def lexical_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from mentor.engine.engine import Engine

    return Engine.open(tmp_path_factory.mktemp("lexical-home"), dense=False)


@settings(FUZZ, max_examples=500)  # about 1,000 questions
@given(questions=st.lists(QUESTION, min_size=1, max_size=3))
def test_engine_questions(lexical_engine: Engine, questions: list[str]) -> None:
    from mentor.engine.conversation import Conversation
    from mentor.engine.events import AnswerDone
    from mentor.untrusted import without_escapes

    conversation = Conversation()
    for question in questions:
        if not without_escapes(question).strip():  # only spaces, escapes or control characters
            with pytest.raises(MentorError, match="the question is empty"):
                list(lexical_engine.ask(conversation, question))
            continue
        events = list(lexical_engine.ask(conversation, question))
        assert isinstance(events[-1], AnswerDone)
        answer = events[-1].answer
        json.dumps(answer.to_json(), ensure_ascii=False).encode("utf-8")
        assert set(answer.cited) <= set(conversation.sources)


# -- ingest: all or nothing ------------------------------------------------------------------

Snapshot = dict[str, tuple[str, str]]


def snapshot_of(home: Path) -> Snapshot:
    """Every stored thread: id -> (source, content hash)."""
    store = ThreadStore(home)
    try:
        return {row.id: (row.source, row.content_hash) for row in store.list()}
    finally:
        store.close()


def snapshot(store: ThreadStore) -> Snapshot:
    return {row.id: (row.source, row.content_hash) for row in store.list()}


WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ"), min_size=1, max_size=10)
SENTENCE = st.lists(WORD, min_size=1, max_size=8).map(" ".join)


@st.composite
def good_threads(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Valid thread files (name, text) with fresh content, whose ids no fuzzed file will have."""
    files = []
    for number in range(draw(st.integers(1, 3))):
        posts = tuple(Post(index=i, author=draw(st.one_of(st.none(), WORD)), text=draw(SENTENCE),
                           likes=draw(st.one_of(st.none(), st.integers(0, 99))),
                           reply_to=draw(st.one_of(st.none(), st.integers(1, i - 1))) if i > 1 else None)
                      for i in range(1, draw(st.integers(1, 4)) + 1))
        thread = Thread(id=f"kept--{number}-{draw(st.integers(0, 10**9))}", title=draw(SENTENCE), posts=posts)
        files.append((f"kept-{number}.md", markdown.render(thread)))
    return files


FUZZED_FILE = st.tuples(st.sampled_from(["a-fuzz.txt", "m-fuzz.md", "z-fuzz.json", "k-fuzz.markdown"]),
                        st.one_of(*STRUCTURED.values(), RAW_TEXT).map(lambda text: text.encode("utf-8", "replace")))


def write_run(folder: Path, good: list[tuple[str, str]], fuzzed: tuple[str, bytes]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in good:
        (folder / name).write_text(text, encoding="utf-8")
    (folder / fuzzed[0]).write_bytes(fuzzed[1])


def expected_outcomes(folder: Path, home: Path | None = None) -> tuple[dict[str, Thread], set[str]]:
    """Each file of the run read on its own (and, given the `home` it goes to, refused when a
    different thread is stored under its id): the good threads by source, and the bad sources."""
    good: dict[str, Thread] = {}
    bad: set[str] = set()
    store = ThreadStore(home) if home is not None else None
    for path in expand([folder]).files:
        try:
            good[str(path.resolve())] = read_file(path.resolve())
            if store is not None:
                refuse_id_taken(store, good[str(path.resolve())])
        except ImportFailure:
            good.pop(str(path.resolve()), None)
            bad.add(str(path.resolve()))
    if store is not None:
        store.close()
    ids = [thread.id for thread in good.values()]
    assume(len(ids) == len(set(ids)))  # a fuzzed file that repeats a good id is a different test
    return good, bad


def stored_id(store: ThreadStore, thread: Thread) -> str:
    """The id `thread` is stored under: a Reddit thread keeps the id it was first stored with."""
    return (store.id_of_native(thread.native_id) if thread.native_id else None) or thread.id


def assert_stored(store: ThreadStore, before: Snapshot, good: dict[str, Thread], run: set[str],
                  old: dict[str, Thread] | None = None) -> None:
    """The good threads are stored; what was there before is kept unless this run replaced it; a
    file with part of a stored thread (`old`, before the run) adds to it and loses none of it."""
    after = snapshot(store)
    good_ids = set()
    for source, thread in good.items():
        thread_id = stored_id(store, thread)
        good_ids.add(thread_id)
        stored_source, content_hash = after[thread_id]
        if thread.partial and old and thread_id in old:
            kept = store.get(thread_id)
            assert kept is not None and set(old[thread_id].posts) <= set(kept.posts)
            continue
        if old and thread_id in old and id_less(old[thread_id], thread):  # a copy without post ids
            kept = store.get(thread_id)  # keeps the stored posts it lacks (`merge_copy`)
            assert kept is not None
            words = {" ".join(post.text.split()) for post in kept.posts}
            assert {" ".join(post.text.split()) for post in thread.posts} <= words
            continue
        assert content_hash == thread.content_hash()
        assert stored_source == source or before.get(thread_id) == after[thread_id]  # the same thread again
    for thread_id, (source, content_hash) in before.items():
        if thread_id not in good_ids and source not in run:
            assert after[thread_id] == (source, content_hash)
    assert set(after) <= set(before) | good_ids


@pytest.fixture
def corpus_home(tmp_path: Path) -> Path:
    """A data directory that already holds a corpus (the fixtures)."""
    home = tmp_path / "home"
    home.mkdir()
    store = ThreadStore(home)
    ingest(store, [FIXTURES])
    store.close()
    return home


@settings(FUZZ, max_examples=100)
@given(good=good_threads(), fuzzed=FUZZED_FILE)
def test_ingest_is_all_or_nothing(corpus_home: Path, tmp_path: Path, good: list[tuple[str, str]],
                                  fuzzed: tuple[str, bytes]) -> None:
    folder = tmp_path / "run"
    write_run(folder, good, fuzzed)
    expected, bad = expected_outcomes(folder, corpus_home)
    event("a bad file" if bad else "all good")
    run = set(expected) | bad
    store = ThreadStore(corpus_home)
    try:
        before = snapshot(store)
        old = {thread.id: thread for thread in store.all()}
        try:
            ingest(store, [folder])
        except IngestFailed as failed:
            assert bad and {failure.path for failure in failed.failures} == bad
            assert "nothing was stored" in str(failed)
            assert snapshot(store) == before
        else:
            assert not bad
            assert_stored(store, before, expected, run, old)
        before = snapshot(store)
        old = {thread.id: thread for thread in store.all()}
        report = ingest(store, [folder], skip_bad=True)
        assert {failure.path for failure in report.skipped} == bad
        assert_stored(store, before, expected, run, old)
    finally:
        store.close()


@settings(FUZZ, max_examples=50)
@given(good=good_threads(), fail_at=st.integers(0, 3))
def test_a_write_that_fails_midway_stores_nothing(corpus_home: Path, tmp_path: Path,
                                                  good: list[tuple[str, str]], fail_at: int) -> None:
    folder = tmp_path / "run"
    write_run(folder, good, ("z-also-good.md", (FIXTURES / "markdown_thread.md").read_bytes()))
    store = ThreadStore(corpus_home)
    real_put = store.put
    calls = []

    def failing_put(thread: Thread) -> None:
        calls.append(thread.id)
        if len(calls) > fail_at:
            raise sqlite3.OperationalError("disk I/O error")
        real_put(thread)

    store.put = failing_put  # type: ignore[method-assign]
    try:
        before = snapshot(store)
        try:
            ingest(store, [folder])
        except sqlite3.OperationalError:
            assert len(calls) == fail_at + 1
            assert snapshot(store) == before
        else:
            assert len(calls) <= fail_at
    finally:
        store.close()


BAD_FILE = st.one_of(
    st.tuples(st.just("bad.json"), st.one_of(DISCOURSE, REDDIT).map(str.encode)),
    st.tuples(st.just("bad.md"), MARKDOWN.map(str.encode)),
    st.tuples(st.just("bad.txt"), st.binary(min_size=1, max_size=50).map(lambda b: b"\xff" + b)),
)


@settings(FUZZ, max_examples=8)
@given(good=good_threads(), fuzzed=BAD_FILE)
def test_cli_ingest_of_a_bad_folder_stores_nothing(cli: Cli, tmp_path: Path, good: list[tuple[str, str]],
                                                   fuzzed: tuple[str, bytes]) -> None:
    folder = tmp_path / "run"
    write_run(folder, good, fuzzed)
    cli.home.mkdir(parents=True, exist_ok=True)
    store = ThreadStore(cli.home)
    ingest(store, [FIXTURES])
    store.close()
    _, bad = expected_outcomes(folder, cli.home)
    assume(bad)
    before = snapshot_of(cli.home)
    result = cli("ingest", str(folder))
    assert_clean_exit(["ingest", str(folder)], result)
    assert result.exit_code == 1 and "nothing was stored" in result.stderr
    assert all(path in result.stderr for path in bad)
    assert snapshot_of(cli.home) == before


@settings(FUZZ, max_examples=3)
@given(good=good_threads(), fuzzed=BAD_FILE)
def test_cli_ingest_skip_bad_stores_the_rest(bundled_home: Path, tmp_path_factory: pytest.TempPathFactory,
                                             good: list[tuple[str, str]], fuzzed: tuple[str, bytes]) -> None:
    work = tmp_path_factory.mktemp("skip-bad")
    home = work / "home"
    shutil.copytree(bundled_home, home)
    folder = work / "run"
    write_run(folder, good, fuzzed)
    expected, bad = expected_outcomes(folder)
    assume(bad)
    args = ["--home", str(home), "ingest", "--skip-bad", str(folder)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert_clean_exit(args, result)
    assert result.exit_code == 0 and f"skipped {len(bad)} bad file" in result.stderr
    stored = snapshot_of(home)
    assert all(stored[thread.id] == (source, thread.content_hash()) for source, thread in expected.items())
