"""The data model of a discussion thread.

A `Thread` is one forum discussion: a title, where it came from, and its posts in reading
order. A `Post` is one message in it. Both are plain frozen dataclasses; `to_dict` and
`from_dict` give the documented JSON shape (the `corpus show --json` schema), which is also
what the store's `content_hash` is computed over, so two imports of the same text hash alike.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

#: Version of the stored thread format. Bump when a field is added, removed or changes meaning.
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Post:
    """One message of a thread.

    `index` is the 1-based position in the thread as imported (the opening post is 1);
    `reply_to` is the `index` of the post this one answers, or None when it answers the
    thread as a whole or the importer cannot tell.
    """

    index: int
    author: str | None
    text: str
    likes: int | None = None
    reply_to: int | None = None


@dataclass(frozen=True)
class Thread:
    """One discussion: a stable `id` (a slug), its title, origin and posts in reading order.

    `source` says where the thread came from (a file path, a URL, or `bundled:<file>`);
    `format` names the importer that read it.
    """

    id: str
    title: str
    posts: tuple[Post, ...]
    url: str | None = None
    source: str = ""
    format: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "posts": [_post_dict(p) for p in self.posts], "url": self.url,
                "source": self.source, "format": self.format, "tags": list(self.tags)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Thread:
        return cls(
            id=data["id"],
            title=data["title"],
            url=data.get("url"),
            source=data.get("source", ""),
            format=data.get("format", ""),
            tags=tuple(data.get("tags", ())),
            posts=tuple(Post(**post) for post in data["posts"]),
        )

    @cached_property
    def _hash(self) -> str:
        payload = {"title": self.title, "url": self.url, "tags": list(self.tags),
                   "posts": [_post_dict(post) for post in self.posts]}
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()

    def content_hash(self) -> str:
        """A hash of what the thread says (title, url, tags, posts), not of where it came from."""
        return self._hash

    def post(self, index: int) -> Post:
        """The post at 1-based `index`."""
        return self.posts[index - 1]


def _post_dict(post: Post) -> dict[str, Any]:
    return {"index": post.index, "author": post.author, "text": post.text, "likes": post.likes,
            "reply_to": post.reply_to}


_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 64) -> str:
    """A stable, URL-safe id from a title: lowercase ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _SLUG_DROP.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "thread-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
