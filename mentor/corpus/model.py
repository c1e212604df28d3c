"""The data model of a discussion thread.

A `Thread` is one forum discussion: a title, where it came from, and its posts in reading
order. A `Post` is one message in it. Both are plain frozen dataclasses; `to_dict` and
`from_dict` give the documented JSON shape (the `corpus show --json` schema), which is also
what the store's `content_hash` is computed over, so two imports of the same text hash alike.

A file may hold part of a thread (one page of a Discourse topic, a Reddit comment permalink,
comments behind "load more" links). Posts keep the numbers their forum gave them, so a part
has gaps (and may lack post 1, the opening post), and `Thread.coverage` says how much of the
whole the file held.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from anyascii import anyascii

#: Version of the stored thread format. Bump when a field is added, removed or changes meaning.
#: 2: `Post.index` is the forum's own post number (gaps where posts were skipped or absent),
#: `Post.reply_to` may name a post the file did not hold; `Post.ref`, `Post.citable`,
#: `Thread.native_id` and `Thread.coverage` are new. (`Thread.hidden` came later, optional: a
#: thread stored without it has none, and a mentor that predates it reads the thread without it;
#: so did `Coverage.left_out`.)
SCHEMA_VERSION = 2


@dataclass(frozen=True)
class Post:
    """One message of a thread.

    `index` is the post's number in its thread, 1 for the opening post: the forum's own number
    where it has one (Discourse's `post_number`), else the 1-based position as imported. Numbers
    only grow along the thread, but may skip (a deleted post, a page not in the file).
    `reply_to` is the `index` of the post this one answers (always a smaller number, but maybe a
    post this copy of the thread lacks), or None when it answers the thread as a whole or the
    importer cannot tell. `ref` is the post's own id at its origin (Reddit `t1_…`, a Discourse
    post id), by which two partial copies of a thread are merged. `citable` is False for a post
    with no words of its own (an image alone, a link alone): it is kept so that numbering and
    replies stay right, but is no source to quote or cite.
    """

    index: int
    author: str | None
    text: str
    likes: int | None = None
    reply_to: int | None = None
    ref: str | None = None
    citable: bool = True


@dataclass(frozen=True)
class Coverage:
    """How much of the whole thread a file held: `held` of `total` `unit` ("posts", or
    "comments" for Reddit, whose opening post is always there). `total` is the forum's own
    count (Discourse's post stream, Reddit's `num_comments`); None when the file shows that some
    are missing but not how many (Reddit's "continue this thread" links). `held` counts what
    the file held of them, read or not: `left_out` numbers the posts among them that are no
    post to read (Discourse: small actions, whispers, automatic notices, deleted, withdrawn and
    hidden posts; Reddit's and Hacker News's deleted, removed and dead comments, and a plain-text
    copy's, that replies answer: each keeps a number so that they still answer it). The
    comments left out that no reply answers have no number: they are counted in `held` alone.
    `Thread.unread` counts all those left out."""

    held: int
    total: int | None
    unit: str = "posts"
    left_out: tuple[int, ...] = ()

    @property
    def complete(self) -> bool:
        return self.total is not None and self.held >= self.total

    def to_dict(self) -> dict[str, Any]:
        return {"held": self.held, "total": self.total, "unit": self.unit, "left_out": list(self.left_out)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Coverage:
        """The coverage `to_dict` wrote (`left_out` defaulted for one stored before it)."""
        return cls(held=data["held"], total=data["total"], unit=data.get("unit", "posts"),
                   left_out=tuple(data.get("left_out", ())))


@dataclass(frozen=True)
class Thread:
    """One discussion: a stable `id` (a slug), its title, origin and posts in reading order.

    `source` says where the thread came from (a file path, a URL, or `bundled:<file>`);
    `format` names the importer that read it. `native_id` is the thread's own id where that id
    is unique across its forum and every copy of it (`reddit:<submission id>`,
    `discourse:<topic id>:<created_at>`), so a saved page and a fetched one are one thread
    whatever their titles slug to. `coverage` is None when the
    file is, as far as it says, the whole thread. `hidden` holds the numbers of the posts the
    forum hid from its readers (a Discourse post its community flagged): they are left out of
    `posts`, and replies to them still name them by their numbers.
    """

    id: str
    title: str
    posts: tuple[Post, ...]
    url: str | None = None
    source: str = ""
    format: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    native_id: str | None = None
    coverage: Coverage | None = None
    hidden: tuple[int, ...] = ()

    @property
    def bundled(self) -> bool:
        """Whether the thread is one of the starter corpus mentor ships (not one the user added)."""
        return self.source.startswith("bundled:")

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "posts": [_post_dict(p) for p in self.posts], "url": self.url,
                "source": self.source, "format": self.format, "tags": list(self.tags),
                "native_id": self.native_id, "coverage": self.coverage.to_dict() if self.coverage else None,
                "hidden": list(self.hidden)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Thread:
        """The thread `to_dict` wrote, by this or an earlier mentor (fields added since are defaulted)."""
        coverage = data.get("coverage")
        return cls(
            id=data["id"],
            title=data["title"],
            url=data.get("url"),
            source=data.get("source", ""),
            format=data.get("format", ""),
            tags=tuple(data.get("tags", ())),
            posts=tuple(Post(**post) for post in data["posts"]),
            native_id=data.get("native_id"),
            coverage=Coverage.from_dict(coverage) if coverage else None,
            hidden=tuple(data.get("hidden", ())),
        )

    @cached_property
    def _hash(self) -> str:
        payload: dict[str, Any] = {"title": self.title, "url": self.url, "tags": list(self.tags),
                                   "posts": [_post_dict(post, hashed=True) for post in self.posts]}
        if self.coverage is not None:  # (left out when absent: hashes from before it stay the same)
            payload["coverage"] = self.coverage.to_dict()
            if not self.coverage.left_out:  # (likewise)
                del payload["coverage"]["left_out"]
        if self.hidden:  # (likewise)
            payload["hidden"] = list(self.hidden)
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()

    def content_hash(self) -> str:
        """A hash of what the thread says (title, url, tags, posts, coverage), not of where it came from."""
        return self._hash

    @cached_property
    def _by_index(self) -> dict[int, Post]:
        return {post.index: post for post in self.posts}

    def post(self, index: int) -> Post:
        """The post numbered `index`; KeyError when this copy of the thread lacks it."""
        return self._by_index[index]

    def find(self, index: int | None) -> Post | None:
        """The post numbered `index`, or None when there is none (or `index` is None)."""
        return self._by_index.get(index) if index is not None else None

    @property
    def opening(self) -> Post | None:
        """Post 1, the question the thread is about; None when the file did not hold it."""
        return self._by_index.get(1)

    def post_url(self, post: Post) -> str | None:
        """A link to `post` itself where its forum gives each post one and no number to find it
        by (Hacker News: the comment's own item page; Reddit: the comment's permalink, its id
        after the thread's `/r/<sub>/comments/<id>/<slug>/`), else the thread's `url`."""
        if self.format == "hackernews" and post.ref and post.ref.isdigit():
            return f"https://news.ycombinator.com/item?id={post.ref}"
        if self.format == "reddit" and post.ref and post.ref.startswith("t1_") and self.url:
            address = urlsplit(self.url)
            parts = address.path.strip("/").split("/")
            if len(parts) >= 5 and parts[0] == "r" and parts[2] == "comments":
                path = "/".join(parts[:5] + [post.ref[3:]])
                return urlunsplit((address.scheme, address.netloc, f"/{path}/", "", ""))
        return self.url

    def before(self, post: Post) -> tuple[Post, ...]:
        """The posts above `post`, in order."""
        return tuple(p for p in self.posts if p.index < post.index)

    @property
    def partial(self) -> bool:
        """True when the file held only part of the thread (see `coverage`, `opening`)."""
        return self.opening is None or (self.coverage is not None and not self.coverage.complete)

    def coverage_note(self) -> str | None:
        """What part of the thread this copy holds, for people: None when it is whole.

        E.g. "2 of 3 posts; the rest were not in the file", "post 1, the opening post, was not
        in the file"; with posts left out, the count is of the posts read, and the others are
        told apart: "3 of 6 posts; 1 is no one's words (a small action, an automatic notice or a
        deleted post) and is left out; 2 were not in the file" (the posts the forum hid are left
        out too, and named by `hidden_note`).
        """
        notes = []
        coverage = self.coverage
        if coverage is not None and not coverage.complete:
            unit = coverage.unit
            if coverage.total is None:
                notes.append(f"{coverage.held} {unit if coverage.held != 1 else unit[:-1]}; more were not in the file")
            elif not coverage.left_out and not self.unread():
                notes.append(f"{coverage.held} of {coverage.total} {unit}; the rest were not in the file")
            else:
                nobodys = self.unread()
                notes.append(f"{coverage.held - nobodys - len(self.hidden)} of {coverage.total} {unit}")
                if nobodys:
                    what = ("a deleted or removed comment, a bot's or a moderator's notice" if unit == "comments"
                            else "a small action, an automatic notice or a deleted post")
                    notes.append(f"{nobodys} {'is' if nobodys == 1 else 'are'} no one's words ({what}) and "
                                 f"{'is' if nobodys == 1 else 'are'} left out")
                missing = coverage.total - coverage.held
                notes.append(f"{missing} {'was' if missing == 1 else 'were'} not in the file")
        if self.opening is None:
            notes.append("post 1, the opening post, was not in the file")
        return "; ".join(notes) or None

    def unread(self) -> int:
        """How many posts the file held that are left out as no one's words (deleted, removed or
        withdrawn; small actions, automatic notices, bots), not counting those the forum hid
        (`hidden`): the coverage's `held` less the posts read (and the opening post, for a count
        of comments). 0 for a thread without coverage, which left none out."""
        coverage = self.coverage
        if coverage is None:
            return 0
        read = len(self.posts) - (1 if coverage.unit == "comments" and self.opening is not None else 0)
        return max(0, coverage.held - read - len(self.hidden))

    def hidden_note(self) -> str | None:
        """The posts the forum hid, for people: None when it hid none. E.g. "1 post hidden by the
        forum (flagged by its community) is left out: post 3"."""
        if not self.hidden:
            return None
        numbers = ", ".join(str(number) for number in self.hidden)
        if len(self.hidden) == 1:
            return f"1 post hidden by the forum (flagged by its community) is left out: post {numbers}"
        return f"{len(self.hidden)} posts hidden by the forum (flagged by its community) are left out: posts {numbers}"


def _post_dict(post: Post, hashed: bool = False) -> dict[str, Any]:
    """A post as JSON; for the hash, the fields added in schema 2 only when they are not their
    defaults, so a thread that does not use them hashes as it did before."""
    data: dict[str, Any] = {"index": post.index, "author": post.author, "text": post.text, "likes": post.likes,
                            "reply_to": post.reply_to}
    if not hashed or post.ref is not None:
        data["ref"] = post.ref
    if not hashed or not post.citable:
        data["citable"] = post.citable
    return data


_SLUG_DROP = re.compile(r"[^a-z0-9]+")
#: Hex digits of the title's hash that end the slug of a title in another script than Latin.
TITLE_HASH_DIGITS = 8


def slugify(text: str, max_length: int = 64, disambiguate: bool = True) -> str:
    """A stable, URL-safe id from a title: lowercase ASCII words joined by hyphens.

    Latin letters lose their accents (`Résumé` -> `resume`); letters and digits of other
    scripts are transliterated with anyascii (`Как расти` -> `kak-rasti`, `キャリア` ->
    `kiyaria`). Transliteration is lossy (homophones, Cyrillic е/э), so with `disambiguate` such
    a slug ends with the first `TITLE_HASH_DIGITS` hex digits of the title's SHA-256: two titles
    that differ always get two ids, and one title always the same. Pass `disambiguate=False`
    when the caller appends an id of its own (a Reddit or Discourse thread number). A title with
    nothing to transliterate (symbols only) gets `thread-<hash>`.
    """
    title = unicodedata.normalize("NFC", text.strip())
    latin, other = [], False
    for char in unicodedata.normalize("NFKD", title):
        if char.isascii():
            latin.append(char)
        elif unicodedata.category(char)[0] in "LN":
            if unicodedata.name(char, "").startswith("LATIN"):
                latin.append(anyascii(char))  # ß -> ss, ø -> o, æ -> ae
            else:
                latin.append(f" {anyascii(char)} " if _is_ideograph(char) else anyascii(char))
                other = True
    slug = _SLUG_DROP.sub("-", "".join(latin).lower()).strip("-")
    digest = hashlib.sha256(title.encode("utf-8")).hexdigest()
    if other and disambiguate:
        max_length -= TITLE_HASH_DIGITS + 1
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    if not slug:
        return "thread-" + digest[:12]
    return f"{slug}-{digest[:TITLE_HASH_DIGITS]}" if other and disambiguate else slug


def _is_ideograph(char: str) -> bool:
    """A Han character (one word each, so its transliteration is set apart)."""
    return unicodedata.name(char, "").startswith("CJK")
