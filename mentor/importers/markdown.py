"""mentor's own Markdown thread format, for threads written by hand.

    ---
    id: learn-sql-as-a-pm            # optional; default: a slug of the title
    title: Should I learn SQL as a PM?
    url: https://example.org/t/123   # optional
    tags: [sql, hard-skills]         # optional
    ---

    ## PriyaR

    The opening post (index 1)...

    ## TomBecker · 14 likes

    A post with 14 likes.

    ## LenaOrtiz · reply to 2 · 1 like

    @TomBecker, a reply. `reply to N` is optional: a post opening with `@Name,`
    replies to Name's latest post (`@OP,` to the opening post).

A `## ` line starts a post; the heading holds the author (`(unknown)` when not known),
then optionally `N likes` and `reply to N`, separated by `·` or `|`. See corpus/README.md.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from mentor.corpus.model import Post, Thread, slugify
from mentor.errors import ImportFailure
from mentor.importers.replies import (
    one_line,
    read_count,
    replied_name,
    replied_post,
    tidy_paragraphs,
)

FORMAT = "markdown"

_HEADING = re.compile(r"^##(?!#)\s*(?P<rest>.*)$")
_LIKES = re.compile(r"^(?P<n>\d+)\s+likes?$", re.IGNORECASE)
_REPLY_TO = re.compile(r"^reply\s+to\s+(?P<n>\d+)$", re.IGNORECASE)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
UNKNOWN_AUTHOR = "(unknown)"
_SURROGATE = re.compile("[\ud800-\udfff]")  # YAML escapes such as "\\ud800" make them


def looks_like(text: str) -> bool:
    """True when the text opens with front matter that has a title (whatever its line endings)."""
    head = text.lstrip("\ufeff")[:4096].replace("\r\n", "\n").replace("\r", "\n")
    return re.match(r"---[ \t]*\n", head) is not None and re.search(r"^title\s*:", head, re.MULTILINE) is not None


def parse(text: str, source: str = "") -> Thread:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    meta, body_start = _front_matter(lines)
    posts: list[Post] = []
    heading: tuple[int, str | None, int | None, int | None] | None = None
    body: list[str] = []

    def close_post() -> None:
        if heading is None:
            return
        line_no, author, likes, reply_to = heading
        text_ = tidy_paragraphs("\n".join(body))
        if not text_:
            raise ImportFailure("expected the post's text below its heading, found none", line=line_no)
        index = len(posts) + 1
        if reply_to is not None and not 1 <= reply_to < index:
            raise ImportFailure(f"'reply to {reply_to}' must name an earlier post (1..{index - 1})",
                                line=line_no)
        if reply_to is None and (name := replied_name(text_)) is not None:
            reply_to = replied_post(posts, name)
        posts.append(Post(index=index, author=author, text=text_, likes=likes, reply_to=reply_to))

    for offset, line in enumerate(lines[body_start:]):
        line_no = body_start + offset + 1
        match = _HEADING.match(line)
        if match:
            close_post()
            heading = (line_no, *_heading(match.group("rest"), line_no))
            body = []
        elif heading is None:
            if line.strip():
                raise ImportFailure("expected a post heading '## Author' before any post text",
                                    line=line_no)
        else:
            body.append(line)
    close_post()
    if not posts:
        last_line = len(lines) - 1 if lines[-1] == "" else len(lines)
        raise ImportFailure("expected at least one post ('## Author' followed by text)",
                            line=last_line)
    return Thread(
        id=meta["id"] or slugify(meta["title"]),
        title=meta["title"],
        url=meta["url"],
        tags=meta["tags"],
        posts=tuple(posts),
        source=source,
        format=FORMAT,
    )


class _FrontMatterLoader(yaml.SafeLoader):
    """yaml.SafeLoader, but a value it cannot build (a date like 2020-13-45, `!!int abc`) is a YAML
    error marked at that value instead of a bare ValueError."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise yaml.constructor.ConstructorError(None, None, f"cannot read this value: {exc}",
                                                    node.start_mark) from None


def _front_matter(lines: list[str]) -> tuple[dict[str, Any], int]:
    """The validated front matter and the index of the first line after it."""
    if not lines or lines[0].strip() != "---":
        raise ImportFailure("expected front matter opening with '---'", line=1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ImportFailure("front matter is not closed: expected a second '---' line", line=1) from None
    front = "\n".join(lines[1:end])
    try:
        raw = yaml.load(front, Loader=_FrontMatterLoader) or {}
    except yaml.YAMLError as exc:
        # YAML also breaks lines at \r, \x85 and \u2028, so count the file's own lines up to the error.
        mark = getattr(exc, "problem_mark", None)
        index = mark.index if mark is not None else getattr(exc, "position", None)
        line = 2 + front.count("\n", 0, index) if index is not None else 2
        raise ImportFailure(f"front matter is not valid YAML ({getattr(exc, 'problem', exc)})",
                            line=line) from None
    except RecursionError:
        raise ImportFailure("front matter is nested too deeply") from None
    if not isinstance(raw, dict):
        raise ImportFailure("front matter must be 'key: value' lines", line=2)

    def line_of(key: str) -> int:
        return next((i + 1 for i in range(1, end) if lines[i].lstrip().startswith(f"{key}:")), 2)

    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ImportFailure("expected a non-empty title", line=line_of("title"), field="title")
    thread_id = raw.get("id")
    if thread_id is not None and (not isinstance(thread_id, str) or not _ID.fullmatch(thread_id)):
        raise ImportFailure("expected lowercase letters, digits and hyphens", line=line_of("id"),
                            field="id")
    url = raw.get("url")
    if url is not None and not isinstance(url, str):
        raise ImportFailure("expected a URL string", line=line_of("url"), field="url")
    tags = raw.get("tags", [])
    if isinstance(tags, str):
        tags = [tag.strip() for tag in tags.split(",") if tag.strip()]
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise ImportFailure("expected a list of words, like [sql, career]", line=line_of("tags"),
                            field="tags")
    for key, value in [("title", title), ("url", url)] + [("tags", tag) for tag in tags]:
        if isinstance(value, str) and (half := _SURROGATE.search(value)):
            raise ImportFailure(f"'\\u{ord(half.group()):04x}' is half of a UTF-16 surrogate pair, not a "
                                "character", line=line_of(key), field=key)
    unknown = sorted(str(key) for key in set(raw) - {"id", "title", "url", "tags"})  # keys may be 1, null...
    if unknown:
        raise ImportFailure("unknown front matter key (expected id, title, url, tags)",
                            line=line_of(unknown[0]), field=unknown[0])
    meta = {"id": thread_id, "title": one_line(title), "url": url, "tags": tuple(tags)}
    return meta, end + 1


def _heading(rest: str, line_no: int) -> tuple[str | None, int | None, int | None]:
    """(author, likes, reply_to) from the text after '## '."""
    parts = [part.strip() for part in re.split(r"[·|]", rest)]
    author = parts[0]
    if not author:
        raise ImportFailure("expected an author after '## ' (or '(unknown)')", line=line_no)
    likes: int | None = None
    reply_to: int | None = None
    for part in parts[1:]:
        if m := _LIKES.match(part):
            likes = read_count(m.group("n"), "like count", line_no)
        elif m := _REPLY_TO.match(part):
            reply_to = read_count(m.group("n"), "post number", line_no)
        else:
            raise ImportFailure(f"unexpected '{part}' in post heading (expected 'N likes' or "
                                "'reply to N')", line=line_no)
    return (None if author == UNKNOWN_AUTHOR else author), likes, reply_to


def render(thread: Thread) -> str:
    """The thread in this format; `parse(render(t))` gives back the same posts for a thread
    numbered 1, 2, … whose posts have no `ref` and are citable (this format's own threads)."""
    front = {"id": thread.id, "title": thread.title}
    if thread.url:
        front["url"] = thread.url
    if thread.tags:
        front["tags"] = list(thread.tags)
    out = ["---", yaml.safe_dump(front, sort_keys=False, allow_unicode=True).strip(), "---", ""]
    for post in thread.posts:
        heading = [post.author or UNKNOWN_AUTHOR]
        if post.likes is not None:
            heading.append(f"{post.likes} like" + ("" if post.likes == 1 else "s"))
        if post.reply_to is not None:
            heading.append(f"reply to {post.reply_to}")
        out += ["## " + " · ".join(heading), "", post.text, ""]
    return "\n".join(out)
