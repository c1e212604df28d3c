"""Discourse topic JSON: what a forum's `/t/<id>.json` (or `/t/<id>.json?page=N`) returns.

Uses `title`, `id`, `tags`, and `post_stream.posts[]` (`post_number`, `id`, `username`, `cooked`
HTML, `reply_to_post_number`, `polls`, likes from `like_count` or the `actions_summary` entry
with id 2), and `post_stream.stream` (every post id of the topic) to tell how much of the topic
the file holds, and which of the posts it holds are left out (`Coverage.left_out`).

- A post saved without its `cooked` HTML (an export that keeps the Markdown source alone) is
  read from its `raw` text, rendered as Discourse would: Markdown, its `[quote="name, post:N"]`
  blocks as quotes, its `[poll]` blocks as polls (votes from `polls[]`), `upload://` images as
  media.

- Posts keep their own numbers: a page without post 1 stays posts 21, 22…, and the thread says
  its opening post is missing; replies keep `reply_to_post_number` even when the post answered
  is on another page. A post without one answers the first earlier post of the topic it quotes
  (`aside.quote` with `data-post`), else the last post of the `@name` it opens with.
- Skipped, as not a person's words: small actions and whispers (post_type 3, 4), deleted, hidden
  and withdrawn posts, and automatic status notices ("This topic is now pinned…", post_type 2
  with an `action_code`, or written by `system`, or in the words `boilerplate.yaml` lists). A
  staff member's own coloured post (also post_type 2) is kept.
- A post the forum hid after flags from its community comes as `"hidden": true` and, for a
  reader who may not see it, `"cooked_hidden": true` with `cooked` in Discourse's words ("This
  post was flagged by the community and is temporarily hidden.", or to its author "Your post
  was flagged…"; an export may keep that text alone). It is no view to quote, whatever the
  file holds of it: it is skipped and its number listed in `Thread.hidden`, so the import says
  so. A skipped person's post (hidden, deleted, withdrawn) keeps its number: replies to it
  name it, also those found by the `@name` they open with.
- Link previews, images and media become markers (see `html_text`); a post of markers alone is
  kept but not citable. Polls keep their options and, from `polls[]`, their votes.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, model_validator
from pydantic_core import PydanticCustomError

from mentor.corpus.model import Coverage, Post, Thread, slugify
from mentor.errors import ImportFailure
from mentor.importers.boilerplate import (
    has_own_words,
    is_hidden_by_flags,
    is_status_notice,
    is_system_user,
    is_withdrawn,
    poll_text,
)
from mentor.importers.html_text import html_to_text
from mentor.importers.json_shape import load_json, validate
from mentor.importers.replies import one_line, replied_name, replied_post

FORMAT = "discourse"
_LIKE_ACTION = 2
_MODERATOR_ACTION = 2
_KEPT_POST_TYPES = {1, _MODERATOR_ACTION}  # regular and moderator posts; 3 small action, 4 whisper
#: Post numbers beyond this are refused (the index stores them as 32-bit integers, and no topic
#: has two billion posts).
MAX_POST_NUMBER = 2**31 - 1


class _Action(BaseModel):
    id: int
    count: NonNegativeInt | None = None


class _PollOption(BaseModel):
    model_config = ConfigDict(extra="ignore")
    html: str = ""
    votes: NonNegativeInt | None = None


class _Poll(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = "poll"
    title: str | None = None
    voters: NonNegativeInt | None = None
    options: list[_PollOption] = []

    def text(self) -> str:
        """The poll as text (see `boilerplate.poll_text`)."""
        return poll_text([(html_to_text(option.html), option.votes) for option in self.options], self.voters,
                         "voter", html_to_text(self.title or ""))


class _Post(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: int | None = None
    post_number: int = Field(ge=1, le=MAX_POST_NUMBER)
    username: str | None = None
    cooked: str | None = None
    raw: str | None = None
    reply_to_post_number: int | None = None
    like_count: NonNegativeInt | None = None
    actions_summary: list[_Action] = []
    post_type: int = 1
    action_code: str | None = None
    deleted_at: str | None = None
    hidden: bool = False
    cooked_hidden: bool = False
    user_deleted: bool = False
    polls: list[_Poll] = []

    @model_validator(mode="after")
    def _has_text(self) -> _Post:
        if self.cooked is None and self.raw is None:
            raise PydanticCustomError("post_text", "expected the post's text: its 'cooked' HTML or its 'raw' Markdown")
        return self

    def html(self) -> str:
        """The post as HTML: `cooked` as the forum rendered it, else its `raw` Markdown rendered."""
        return self.cooked if self.cooked is not None else render_raw(self.raw or "")

    def likes(self) -> int | None:
        if self.like_count is not None:
            return self.like_count
        return next((a.count for a in self.actions_summary if a.id == _LIKE_ACTION and a.count is not None),
                    None)

    def is_aside(self) -> bool:
        """A small action or a whisper: not a post of the thread as its readers see it."""
        return self.post_type not in _KEPT_POST_TYPES

    def is_deleted(self) -> bool:
        """Deleted, or withdrawn by its author (`user_deleted`)."""
        return bool(self.deleted_at) or self.user_deleted

    def is_hidden(self, text: str) -> bool:
        """Hidden by the forum after flags from its community (see the module's docstring);
        `text` is the post's text."""
        return self.hidden or self.cooked_hidden or is_hidden_by_flags(text)

    def is_notice(self, text: str) -> bool:
        """An automatic status notice."""
        if self.action_code:
            return True
        return (self.post_type == _MODERATOR_ACTION or is_system_user(self.username)) and is_status_notice(text)


class _PostStream(BaseModel):
    posts: list[_Post]
    stream: list[int] = []


class _Topic(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: int
    title: str
    post_stream: _PostStream
    tags: list[str | dict[str, object]] = []
    posts_count: NonNegativeInt | None = None
    created_at: str | None = None

    def native_id(self) -> str | None:
        """`discourse:<topic id>:<created_at>`: a topic number is unique only in its forum, and
        with the moment the topic was made (to the millisecond) it is one across forums, so a
        topic renamed between two saves stays one thread. None without `created_at`."""
        return f"discourse:{self.id}:{self.created_at.strip()}" if self.created_at and self.created_at.strip() else None


def looks_like(data: object) -> bool:
    return isinstance(data, dict) and "post_stream" in data


def parse(text: str, source: str = "", url: str | None = None) -> Thread:
    return from_data(load_json(text), source=source, url=url)


def from_data(data: object, source: str = "", url: str | None = None) -> Thread:
    if not isinstance(data, dict):
        raise ImportFailure("expected a JSON object: a Discourse topic")
    _refuse_posts_page(data)
    topic = validate(_Topic, data, "Discourse topic")
    if not topic.title.strip():
        raise ImportFailure("expected a non-empty title", field="title")
    posts: list[Post] = []
    #: The people's posts so far, the skipped ones too (by number and author alone), for the
    #: `@name` a reply opens with: it answers that person's latest post, if hidden or deleted.
    authored: list[Post] = []
    hidden: list[int] = []
    #: The posts of the file that are no post to read (skipped), for the coverage.
    left_out: list[_Post] = []
    seen: dict[int, int] = {}
    for position, raw in sorted(enumerate(topic.post_stream.posts), key=lambda item: item[1].post_number):
        if raw.post_number in seen:
            raise ImportFailure(f"post_number {raw.post_number} is also the number of post_stream.posts"
                                f"[{seen[raw.post_number]}]: expected each post once",
                                field=f"post_stream.posts[{position}].post_number")
        seen[raw.post_number] = position
        if raw.is_aside():
            left_out.append(raw)
            continue
        author = (raw.username or "").strip() or None
        cooked = raw.html()
        body = html_to_text(cooked, {poll.name: poll.text() for poll in raw.polls})
        gone = raw.is_deleted() or is_withdrawn(body)
        if gone or raw.is_hidden(body):
            if not gone:
                hidden.append(raw.post_number)
            authored.append(Post(index=raw.post_number, author=author, text=""))  # its author, for `@name`
            left_out.append(raw)
            continue
        if not body or raw.is_notice(body):
            left_out.append(raw)
            continue
        reply_to = raw.reply_to_post_number if raw.reply_to_post_number and \
            1 <= raw.reply_to_post_number < raw.post_number else None
        if reply_to is None:
            reply_to = _quoted_post(cooked, topic.id, raw.post_number)
        if reply_to is None and (name := replied_name(body)) is not None:
            reply_to = replied_post(authored, name)
        post = Post(index=raw.post_number, author=author, text=body, likes=raw.likes(), reply_to=reply_to,
                    ref=str(raw.id) if raw.id is not None else None, citable=has_own_words(body))
        posts.append(post)
        authored.append(post)
    if not posts:
        hid = f" ({len(hidden)} hidden by the forum, flagged by its community)" if hidden else ""
        raise ImportFailure(f"the topic has no readable posts{hid}", field="post_stream.posts")
    tags = tuple(t if isinstance(t, str) else str(t.get("name", "")) for t in topic.tags)
    return Thread(
        id=f"{slugify(topic.title, 56, disambiguate=False)}-d{topic.id}",
        title=one_line(topic.title),
        url=url,
        tags=tuple(t for t in tags if t),
        posts=tuple(posts),
        source=source,
        format=FORMAT,
        native_id=topic.native_id(),
        coverage=_coverage(topic, left_out),
        hidden=tuple(hidden),
    )


#: A Discourse quote in a post's Markdown, innermost first (no other quote inside it):
#: `[quote="name, post:3, topic:57"]…[/quote]`, its attributes optional.
_RAW_QUOTE = re.compile(r'\[quote(?:=(?P<q>["\']?)(?P<attrs>[^\]]*?)(?P=q))?\]'
                        r'(?P<body>(?:(?!\[quote[=\]]).)*?)\[/quote\]', re.DOTALL | re.IGNORECASE)
#: A Discourse poll in a post's Markdown: `[poll name=second type=regular]` then its options as a
#: list, then `[/poll]` (`name` is "poll" when not given).
_RAW_POLL = re.compile(r"\[poll(?P<attrs>[^\]]*)\](?P<body>.*?)\[/poll\]", re.DOTALL | re.IGNORECASE)
_POLL_NAME = re.compile(r"""\bname\s*=\s*(?:"(?P<quoted>[^"]*)"|(?P<bare>[^\s"\]]+))""", re.IGNORECASE)
_QUOTED_POST = re.compile(r"\bpost:\s*(\d+)")
_QUOTED_TOPIC = re.compile(r"\btopic:\s*(\d+)")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    """CommonMark with Discourse's tables and strike-through; HTML passes through, as Discourse
    allows some (html_to_text reads it, and drops scripts)."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def render_raw(raw: str) -> str:
    """A post's `raw` Markdown as the HTML Discourse would cook from it: each quote becomes the
    `aside.quote` Discourse writes (header "name:", then the quoted Markdown), each poll the
    `div.poll` named by its `name` (so that `polls[]` gives its votes), its options a list."""
    raw = _RAW_POLL.sub(_poll_html, raw)
    while True:
        quoted = _RAW_QUOTE.sub(_quote_html, raw)
        if quoted == raw:
            return _markdown().render(raw)
        raw = quoted


def _poll_html(poll: re.Match[str]) -> str:
    named = _POLL_NAME.search(poll["attrs"])
    name = (named["quoted"] if named["quoted"] is not None else named["bare"]) if named else "poll"
    # Blank lines around the options, so that CommonMark reads them as Markdown inside the HTML.
    return f'\n\n<div class="poll" data-poll-name="{html.escape(name)}">\n\n{poll["body"].strip()}\n\n</div>\n\n'


def _quote_html(quote: re.Match[str]) -> str:
    attrs = quote["attrs"] or ""
    name = attrs.split(",", 1)[0].strip()
    post = _QUOTED_POST.search(attrs)
    title = f'<div class="title">{html.escape(name)}:</div>' if name else ""
    number = f' data-post="{post[1]}"' if post else ""
    number += f' data-topic="{topic[1]}"' if (topic := _QUOTED_TOPIC.search(attrs)) else ""
    # Blank lines around the quoted text, so that CommonMark reads it as Markdown inside the HTML.
    body = quote["body"].strip()
    return f'\n\n<aside class="quote"{number}>{title}<blockquote>\n\n{body}\n\n</blockquote></aside>\n\n'


class _QuoteFinder(HTMLParser):
    """The post numbers of the quotes (`aside.quote`, `data-post`) in a post's HTML that are of
    the topic `topic_id` (`data-topic`, when given), outermost quotes only, in order."""

    def __init__(self, topic_id: int) -> None:
        super().__init__(convert_charrefs=True)
        self.topic_id = str(topic_id)
        self.numbers: list[int] = []
        self.depth = 0  # the open `aside` elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "aside":
            return
        self.depth += 1
        values = {name: value or "" for name, value in attrs}
        if self.depth == 1 and "quote" in values.get("class", "").split() and values.get("data-post", "").isdigit() \
                and values.get("data-topic", self.topic_id) == self.topic_id:
            self.numbers.append(int(values["data-post"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "aside":
            self.depth = max(0, self.depth - 1)


def _quoted_post(cooked: str, topic_id: int, number: int) -> int | None:
    """The post of this topic that post `number` answers by quoting it (its first quote of an
    earlier post), for a reply made without the reply button (no `reply_to_post_number`)."""
    finder = _QuoteFinder(topic_id)
    finder.feed(cooked)
    finder.close()
    return next((quoted for quoted in finder.numbers if 1 <= quoted < number), None)


def _coverage(topic: _Topic, left_out: list[_Post]) -> Coverage | None:
    """How many of the topic's posts the file holds, by the topic's own list of post ids (or its
    `posts_count`), with the numbers of those of them `left_out` (skipped: no post to read);
    None when it gives neither."""
    stream = set(topic.post_stream.stream)
    if stream:
        ids = {post.id for post in topic.post_stream.posts if post.id is not None}
        if ids:
            held = len(ids & stream)
            left_out = [post for post in left_out if post.id in stream]
        else:
            held = len(topic.post_stream.posts)
        return Coverage(held=held, total=len(stream), left_out=_numbers(left_out))
    if topic.posts_count:
        return Coverage(held=len(topic.post_stream.posts), total=topic.posts_count, left_out=_numbers(left_out))
    return None


def _numbers(posts: list[_Post]) -> tuple[int, ...]:
    return tuple(sorted(post.post_number for post in posts))


def _refuse_posts_page(data: dict[str, object]) -> None:
    """An ImportFailure that names a Discourse JSON that is not a topic, and what to save instead."""
    stream = data.get("post_stream")
    if "title" in data or not isinstance(stream, dict) or not isinstance(stream.get("posts"), list):
        return
    posts = [post for post in stream["posts"] if isinstance(post, dict)]
    topic_id = data.get("id") if isinstance(data.get("id"), int) else next(
        (post["topic_id"] for post in posts if isinstance(post.get("topic_id"), int)), None)
    where = f"/t/{topic_id}" if topic_id is not None else "/t/<id>"
    raise ImportFailure(f"this is a page of a Discourse topic's posts ({where}/posts.json), which leaves out "
                        f"the topic's title: save the topic itself ({where}.json) instead, or import it with "
                        "'mentor add <the topic's URL>', which fetches every page")
