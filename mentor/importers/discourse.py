"""Discourse topic JSON: what a forum's `/t/<id>.json` returns.

Uses `title`, `id`, `tags`, and `post_stream.posts[]` (`post_number`, `username`, `cooked` HTML,
`reply_to_post_number`, likes from `like_count` or the `actions_summary` entry with id 2).
Small-action posts ("closed this topic"), whispers, deleted and hidden posts are skipped; the
kept posts are numbered 1.. in order and replies are mapped onto those numbers.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, NonNegativeInt

from mentor.corpus.model import Post, Thread, slugify
from mentor.errors import ImportFailure
from mentor.importers.html_text import html_to_text
from mentor.importers.json_shape import load_json, validate
from mentor.importers.replies import last_post_by, replied_name

FORMAT = "discourse"
_LIKE_ACTION = 2
_KEPT_POST_TYPES = {1, 2}  # regular and moderator posts; 3 small action, 4 whisper


class _Action(BaseModel):
    id: int
    count: NonNegativeInt | None = None


class _Post(BaseModel):
    model_config = ConfigDict(extra="ignore")
    post_number: int
    username: str | None = None
    cooked: str
    reply_to_post_number: int | None = None
    like_count: NonNegativeInt | None = None
    actions_summary: list[_Action] = []
    post_type: int = 1
    deleted_at: str | None = None
    hidden: bool = False

    def likes(self) -> int | None:
        if self.like_count is not None:
            return self.like_count
        return next((a.count for a in self.actions_summary if a.id == _LIKE_ACTION and a.count is not None),
                    None)


class _PostStream(BaseModel):
    posts: list[_Post]
    stream: list[int] = []


class _Topic(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: int
    title: str
    post_stream: _PostStream
    tags: list[str | dict[str, object]] = []


def looks_like(data: object) -> bool:
    return isinstance(data, dict) and "post_stream" in data


def parse(text: str, source: str = "", url: str | None = None) -> Thread:
    return from_data(load_json(text), source=source, url=url)


def from_data(data: object, source: str = "", url: str | None = None) -> Thread:
    if not isinstance(data, dict):
        raise ImportFailure("expected a JSON object: a Discourse topic")
    topic = validate(_Topic, data, "Discourse topic")
    if not topic.title.strip():
        raise ImportFailure("expected a non-empty title", field="title")
    posts: list[Post] = []
    by_number: dict[int, int] = {}
    for raw in sorted(topic.post_stream.posts, key=lambda p: p.post_number):
        if raw.post_type not in _KEPT_POST_TYPES or raw.deleted_at or raw.hidden:
            continue
        body = html_to_text(raw.cooked)
        if not body:
            continue
        index = len(posts) + 1
        reply_to = by_number.get(raw.reply_to_post_number) if raw.reply_to_post_number else None
        if reply_to is None and (name := replied_name(body)) is not None:
            reply_to = last_post_by(posts, name)
        by_number[raw.post_number] = index
        posts.append(Post(index=index, author=(raw.username or "").strip() or None, text=body,
                          likes=raw.likes(), reply_to=reply_to))
    if not posts:
        raise ImportFailure("the topic has no readable posts", field="post_stream.posts")
    tags = tuple(t if isinstance(t, str) else str(t.get("name", "")) for t in topic.tags)
    return Thread(
        id=f"{slugify(topic.title, 56)}-d{topic.id}",
        title=topic.title.strip(),
        url=url,
        tags=tuple(t for t in tags if t),
        posts=tuple(posts),
        source=source,
        format=FORMAT,
    )
