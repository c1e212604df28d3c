"""Hacker News thread JSON: what the Algolia HN API's items endpoint returns
(`https://hn.algolia.com/api/v1/items/<id>`, the API `mentor add` uses for a
`news.ycombinator.com/item?id=<id>` URL).

One item, the story, with its whole comment tree nested in it: `id`, `created_at`,
`created_at_i`, `type` ("story", "poll"; "comment", "pollopt" below it), `author`, `title`,
`url` (null for an Ask HN), `text` (HTML, null for a link post), `points`, `parent_id` and
`story_id` (on comments), `children` (the replies, each such an item) and `options` (a poll's
options: `pollopt` items with their `text` and `points`). A deleted or dead comment comes with
a null `author` and `text` (or, from older versions of the API, with its `id` and `children`
alone).

- Comments are read depth-first, each before its replies, in the order of the file, numbered 2,
  3… after the story (1); each post's `ref` is its item id, the thread's `native_id`
  `hackernews:<story id>`, and its URL `https://news.ycombinator.com/item?id=<story id>`.
- A comment answers the post its `parent_id` names (the comment above it in the tree, when it
  has none); a reply to the story answers the thread as a whole.
- The opening post is the story's text, or its title when it has none (a link post), with the
  story's link after it, and a poll's options with their votes.
- Text is HN's HTML made plain (`html_text`): paragraphs (`<p>`), code blocks (`<pre><code>`)
  kept, `<i>` and character references (`&#x27;`) dropped to their text; a link keeps its
  address, `[its words](URL)`, or the URL alone when its words are it, also when HN shortened it
  for display (`https://example.com/a/lo...`: given whole, from its `href`); a link to another
  item (`item?id=…`, relative) keeps its words alone.
- Skipped, as no one's words: deleted and dead comments (null text, `deleted`/`dead` set, or
  HN's placeholders `[deleted]`, `[dead]`, `[flagged]`). One with replies in the file keeps its
  number, unheld, so that they still answer it (not the story, nor the post above them), and
  the thread's `coverage` (whole) names it in `left_out`, so that `corpus show` says a reply
  answers a post left out, not one missing from the file. Every such comment is counted in the
  coverage's `held` (one without replies has no number, as a Reddit comment left out has none),
  so that the import says how many were left out.
- Refused, each with what to save instead: a comment's item (a subthread, without its story's
  title), a poll option, and an item of the official API (`hacker-news.firebaseio.com`), whose
  replies are ids only.
"""

from __future__ import annotations

import html
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from mentor.corpus.model import Coverage, Post, Thread, slugify
from mentor.errors import ImportFailure
from mentor.importers.boilerplate import has_own_words, is_gone_on_hacker_news, link_marker, poll_text
from mentor.importers.html_text import html_to_text
from mentor.importers.json_shape import field_path, load_json, validate
from mentor.importers.quotes import mark_quotes

FORMAT = "hackernews"
ITEM_URL = "https://news.ycombinator.com/item?id={id}"
ITEMS_API = "https://hn.algolia.com/api/v1/items/{id}"
_TYPES = ("story", "comment", "poll", "pollopt", "job")
#: What to save instead of a Hacker News JSON that is no thread.
SAVE_INSTEAD = ("save the story's item from the Algolia HN API (https://hn.algolia.com/api/v1/items/{id}), "
                "or run 'mentor add https://news.ycombinator.com/item?id={id}'")


class _Option(BaseModel):
    """A poll's option (a `pollopt` item)."""

    model_config = ConfigDict(extra="ignore")
    text: str | None = None
    points: int | None = None


class _Item(BaseModel):
    """One item of the tree, without its `children` (read one by one, so that an error names
    its place in the tree)."""

    model_config = ConfigDict(extra="ignore")
    id: int = Field(ge=1)
    type: str | None = None
    author: str | None = None
    title: str | None = None
    url: str | None = None
    text: str | None = None
    points: int | None = None
    parent_id: int | None = None
    story_id: int | None = None
    deleted: StrictBool = False
    dead: StrictBool = False
    children: list[Any] | None = None
    options: list[_Option] | None = None

    def replies(self) -> list[Any]:
        """The items of `children` (none when it is null, as some versions of the API give it)."""
        return self.children or []

    def words(self) -> str:
        """The item's text as plain text ("" for none)."""
        return html_to_text(self.text or "")

    def gone(self, words: str) -> bool:
        """Deleted or dead: no words of a person's left (`words`: its text, made plain)."""
        return self.deleted or self.dead or not words or is_gone_on_hacker_news(words)


def looks_like(data: object) -> bool:
    """An item of the Algolia HN API: an object with `children`, and a key only HN items have."""
    return isinstance(data, dict) and "children" in data and (
        "created_at_i" in data or "story_id" in data or data.get("type") in _TYPES)


def parse(text: str, source: str = "") -> Thread:
    return from_data(load_json(text), source=source)


def from_data(data: object, source: str = "") -> Thread:
    """The thread of an Algolia HN API item; its URL is the story's page on news.ycombinator.com,
    wherever the item came from (`source`)."""
    if not isinstance(data, dict):
        raise ImportFailure("expected a JSON object: a Hacker News item from the Algolia HN API")
    story = _item(data, ())
    _refuse_parts(story)
    title = " ".join(html.unescape(story.title or "").split())
    if not title:
        gone = " (the story is deleted or dead)" if story.deleted or story.dead or story.author is None else ""
        required = "field required (reading a Hacker News story): " if "title" not in data else ""
        raise ImportFailure(f"{required}expected the story's title{gone}", field="title")
    opening = _opening_text(story, title)
    posts = [Post(index=1, author=_author(story.author), text=opening, likes=_likes(story.points),
                  ref=str(story.id), citable=has_own_words(opening))]
    number_of: dict[int, int] = {}
    left_out: list[int] = []  # the numbers kept, unheld, by deleted and dead comments with replies
    gone = 0  # the deleted and dead comments, with replies or not
    next_number = 2
    # Depth-first, each comment before its replies: (the item's data, its path, its parent's id).
    stack: list[tuple[object, tuple[str | int, ...], int]] = [
        (child, ("children", position), story.id) for position, child in reversed(list(enumerate(story.replies())))]
    while stack:
        raw, loc, above = stack.pop()
        comment = _item(raw, loc)
        if comment.id in number_of or comment.id == story.id:
            raise ImportFailure(f"item {comment.id} is in the tree twice: expected each comment once",
                                field=field_path((*loc, "id")))
        words = comment.words()
        parent = comment.parent_id if comment.parent_id is not None else above
        if not comment.gone(words):
            number_of[comment.id] = next_number
            words, _ = mark_quotes(words, posts)  # a line pasted or set in italics from the post it answers
            posts.append(Post(index=next_number, author=_author(comment.author), text=words,
                              likes=_likes(comment.points), reply_to=number_of.get(parent), ref=str(comment.id),
                              citable=has_own_words(words)))
            next_number += 1
        else:
            gone += 1
            if any(isinstance(child, dict) for child in comment.replies()):
                number_of[comment.id] = next_number  # unheld: its replies still answer it, not the story
                left_out.append(next_number)
                next_number += 1
        stack += [(child, (*loc, "children", position), comment.id)
                  for position, child in reversed(list(enumerate(comment.replies())))]
    return Thread(
        id=f"{slugify(title, 56, disambiguate=False)}-hn{story.id}",
        title=title,
        url=ITEM_URL.format(id=story.id),
        posts=tuple(posts),
        source=source,
        format=FORMAT,
        native_id=f"hackernews:{story.id}",
        coverage=_coverage(len(posts), gone, left_out),
    )


def _coverage(read: int, gone: int, left_out: list[int]) -> Coverage | None:
    """The whole thread: the `read` posts and the `gone` deleted and dead comments, which are
    counted, so that the import says how many it left out; `left_out` numbers those of them kept,
    unheld, because replies answer them, so that a reply says its post is left out, not missing
    from the file. None when no comment is gone (the thread is whole, as for a thread without
    coverage)."""
    if not gone:
        return None
    held = read + gone
    return Coverage(held=held, total=held, unit="posts", left_out=tuple(left_out))


def _item(raw: object, loc: tuple[str | int, ...]) -> _Item:
    """`raw` read as an item, or an ImportFailure naming the field (from the file's top) that
    does not fit."""
    where = field_path(loc)
    if not isinstance(raw, dict):
        raise ImportFailure(f"expected a Hacker News item (an object with an id), got {_kind(raw)}",
                            field=where or None)
    try:
        return validate(_Item, raw, "Hacker News " + ("comment" if loc else "item"))
    except ImportFailure as failure:
        inner = failure.field or ""
        joined = f"{where}.{inner}" if where and inner and not inner.startswith("[") else where + inner
        raise ImportFailure(failure.message, field=joined or None) from None


def _kind(value: object) -> str:
    return {list: "a list", str: "a string", bool: "true or false", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


def _refuse_parts(item: _Item) -> None:
    """An ImportFailure for an item that is part of a story: a comment with its replies, or a
    poll's option."""
    if item.type == "comment":
        raise ImportFailure(f"this is one Hacker News comment (item {item.id}) with its replies, not the whole "
                            f"thread (its story's title is not in it): {_story_of(item.id, item.story_id)}",
                            field="type")
    if item.type == "pollopt":
        raise ImportFailure(f"this is one option of a Hacker News poll (item {item.id}), not a thread: "
                            + _story_of(item.id, item.parent_id), field="type")


def _story_of(item: int | None, story: int | None) -> str:
    """What to save for the whole story of `item`, a part of it (a comment, a poll's option):
    the story's item when its id is known, else `mentor add` of the part, which finds it."""
    if story is not None:
        return SAVE_INSTEAD.format(id=story)
    return (f"run 'mentor add https://news.ycombinator.com/item?id={item if item is not None else '<id>'}', which "
            "fetches its whole story, or save the story's item from the Algolia HN API "
            "(https://hn.algolia.com/api/v1/items/<the story's id>)")


def _opening_text(story: _Item, title: str) -> str:
    """The story's text, or its title for a link post, with its poll's options and its link."""
    words = story.words()
    parts = [words if words and not is_gone_on_hacker_news(words) else title]
    if story.options:
        parts.append(poll_text([(html_to_text(option.text or ""), _likes(option.points)) for option in story.options],
                               None, "vote"))
    if story.url and story.url.startswith(("http://", "https://")):
        parts.append(link_marker(story.url))
    return "\n\n".join(part for part in parts if part)


def _author(name: str | None) -> str | None:
    return name.strip() if name and name.strip() else None


def _likes(points: int | None) -> int | None:
    return None if points is None else max(points, 0)


def official_api_item(data: object) -> str | None:
    """What to say of an item of HN's official API (`hacker-news.firebaseio.com/v0/item/<id>.json`):
    one item, its replies (`kids`) as ids alone, so a file of it holds no thread; None for
    anything else."""
    if not isinstance(data, dict) or "children" in data:
        return None
    if not (isinstance(data.get("kids"), list) or {"by", "time"} <= data.keys() and data.get("type") in _TYPES
            or data.get("deleted") is True and {"id", "time"} <= data.keys()):
        return None
    item = data.get("id") if isinstance(data.get("id"), int) and not isinstance(data.get("id"), bool) else None
    kind = data.get("type") if data.get("type") in _TYPES else "item"
    kids = data.get("kids") if isinstance(data.get("kids"), list) else []
    replies = (f"its {len(kids)} repl{'y is an id' if len(kids) == 1 else 'ies are ids'} alone (`kids`)" if kids
               else "its replies would be ids alone (`kids`)")
    named = f"{kind} {item}" if item is not None else kind
    to_do = _story_of(item, None) if kind in ("comment", "pollopt") else SAVE_INSTEAD.format(id=item or "<id>")
    return (f"this is one Hacker News {named} from the official API (hacker-news.firebaseio.com/v0/item/<id>.json): "
            f"{replies}, so the file holds no thread; {to_do}")
