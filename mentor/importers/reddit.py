"""Reddit thread JSON: what a comments page's `.json` returns.

A list of two Listings: the submission (`title`, `selftext`, `author`, `score`, `permalink`,
`num_comments`, and for posts that are not text: `url`, `crosspost_parent_list`, `gallery_data`
with `media_metadata`, `poll_data`) and the comment tree (`t1` things with `author`, `body`,
`score`, `parent_id`, nested `replies`; `more` stubs for comments not in the page).

- Comments are read depth-first, in the page's reading order, numbered 2, 3… after the
  submission (1). Each post's `ref` is its Reddit name (`t3_…`, `t1_…`), the thread's
  `native_id` is `reddit:<submission id>`: a saved page and a fetched one are one thread.
- A comment answers the comment its `parent_id` names; without one (other tools' dumps, JSON
  trimmed by hand), the comment whose `replies` hold it, and a top-level one the submission.
- A page whose Listings hold other submissions instead of one submission and its comments (a
  `/duplicates/` page, two subreddit or search pages) is refused by what it is.
- The opening post keeps what the submission holds besides its text: the link of a link post,
  the parent of a crosspost, a gallery's captions, a poll's options and votes.
- Skipped, as not a person's words: deleted and removed comments, AutoModerator and other bots
  (by name, or signed "I am a bot…" in its forms), and moderator notices: stickied moderator
  comments (rule notices) and those in a notice's words ("Your post has been removed…"). A
  bot's submission is kept but not citable.
  A skipped comment with replies in the page keeps its number, unheld, so that they still
  answer it (not the thread, nor the post above them).
- How much of the thread the page holds: its comments against `num_comments`, and the comments
  its "load more" stubs stand for (`Thread.coverage`).
- Text is Markdown as Reddit stores it, character references decoded the way Reddit shows
  them (`&quot;` -> `"`, `&#3232;` -> `ಠ`, zero-width spaces dropped), titles too; a page
  fetched without `raw_json=1` has every `&`, `<`, `>` escaped once more, which is undone first.
  Media Reddit embeds by reference (`![gif](giphy|<id>)`, `![img](<media id> "caption")`, an
  emote `![img](emote|…)`) become markers (`[gif]`, `[image: caption]`), of the kind the post's
  `media_metadata` gives.
- Scores below zero count as zero likes; a hidden score (`score_hidden`, `hide_score`) is none.
- A comment or submission saved with its HTML alone (`body_html`, `selftext_html`, escaped once
  as Reddit serves it: some third-party exports drop the Markdown) is read from the HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from itertools import count
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, RootModel

from mentor.corpus.model import Coverage, Post, Thread, slugify
from mentor.errors import ImportFailure
from mentor.importers.boilerplate import (
    has_bot_footer,
    has_own_words,
    is_bot,
    is_gone,
    is_moderator_notice,
    link_marker,
    media_marker,
    poll_text,
)
from mentor.importers.html_text import html_to_text
from mentor.importers.json_shape import load_json, validate
from mentor.importers.quotes import mark_quotes
from mentor.importers.replies import one_line, tidy_paragraphs

FORMAT = "reddit"
#: What to save instead of a Reddit JSON that is no thread.
SAVE_INSTEAD = ("save the thread's page with .json after its URL (…/comments/<id>/….json), or run "
                "'mentor add <the thread's URL>'")
_TEXT_FIELDS = ("title", "selftext", "body")
_ESCAPED_ONCE = re.compile(r"&(?:amp|lt|gt);")
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_INVISIBLE = str.maketrans({"\u200b": None, "\ufeff": None, "\u00a0": " "})
#: Markdown's backslash escapes (`ಠ\_ಠ`, `\*not emphasis\*`), which Reddit shows as the
#: character alone.
_BACKSLASH_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>^])")
_MEDIA_KINDS = {"Image": "image", "AnimatedImage": "gif", "RedditVideo": "video"}
#: An embed of media by Reddit's own reference (no URL): `![gif](giphy|3o7btN)`,
#: `![img](k2x9q1 "caption")`, `![img](emote|t5_2qh1i|1234)`.
#: A spoiler, shown blacked out until clicked: `>!words!<` (not escaped as `\>!`), on one line.
_SPOILER = re.compile(r"(?<!\\)>!(?P<words>[^\n]*?)(?<!\\)!<")
_MEDIA_EMBED = re.compile(r'!\[(?P<kind>[^\]\n]*)\]\((?P<ref>[^\s()"]+)(?:\s+"(?P<caption>[^"\n]*)")?\)')
#: Struck-through words, `~~like this~~` (not escaped), on one line: taken back by their writer,
#: so no text (a trial's quote read "~~Hiring managers ignore them~~ they read them").
_STRUCK = re.compile(r"(?<!\\)~~(?=\S)[^\n]*?(?<=\S)(?<!\\)~~[ \t]?")
#: Superscript, `^(words)`, or `^word` opening a word: shown raised, the same words ("2^10" and
#: "No^1" are left as written).
_SUPERSCRIPT = re.compile(r"(?<!\\)\^(?=\()|(?<![\w\\^])\^(?=\w)")


class _PollOption(BaseModel):
    model_config = ConfigDict(extra="ignore")
    text: str = ""
    vote_count: NonNegativeInt | None = None


class _Poll(BaseModel):
    model_config = ConfigDict(extra="ignore")
    total_vote_count: NonNegativeInt | None = None
    options: list[_PollOption] = []


class _GalleryItem(BaseModel):
    model_config = ConfigDict(extra="ignore")
    media_id: str | None = None
    caption: str | None = None
    outbound_url: str | None = None


class _Gallery(BaseModel):
    model_config = ConfigDict(extra="ignore")
    items: list[_GalleryItem] = []


class _Submission(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str = Field(pattern=r"^[a-z0-9]+$")  # base 36, as in every Reddit id; it ends the thread's id
    title: str
    selftext: str = ""
    selftext_html: str | None = None
    author: str | None = None
    score: int | None = None
    hide_score: bool = False
    permalink: str | None = None
    num_comments: NonNegativeInt | None = None
    is_self: bool | None = None
    url: str | None = None
    subreddit: str | None = None
    is_video: bool = False
    post_hint: str | None = None
    crosspost_parent_list: list[dict[str, Any]] = []
    gallery_data: _Gallery | None = None
    media_metadata: dict[str, Any] | None = None
    poll_data: _Poll | None = None


class _SubmissionThing(BaseModel):
    kind: Literal["t3"]
    data: _Submission


class _SubmissionListingData(BaseModel):
    children: list[_SubmissionThing]


class _SubmissionListing(BaseModel):
    kind: Literal["Listing"]
    data: _SubmissionListingData


class _Comment(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    author: str | None = None
    body: str = ""
    body_html: str | None = None
    score: int | None = None
    score_hidden: bool = False
    parent_id: str | None = None
    media_metadata: dict[str, Any] | None = None
    stickied: bool = False
    distinguished: str | None = None
    replies: "_CommentListing | Literal[''] | None" = None


class _More(BaseModel):
    """A "load more comments" stub: `count` comments not in the page ("continue this thread"
    links have none, and the id `_`)."""

    model_config = ConfigDict(extra="ignore")
    count: NonNegativeInt | None = None
    children: list[str] = []


class _Thing(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: str
    data: dict[str, Any]


class _CommentListingData(BaseModel):
    children: list[_Thing]


class _CommentListing(BaseModel):
    kind: Literal["Listing"]
    data: _CommentListingData


class _Page(RootModel[tuple[_SubmissionListing, _CommentListing]]):
    """The submission and its comments (a root model, so errors are at `[0]...` and `[1]...`)."""


def looks_like(data: object) -> bool:
    return (isinstance(data, list) and len(data) == 2
            and all(isinstance(item, dict) and item.get("kind") == "Listing" for item in data))


def parse(text: str, source: str = "", url: str | None = None) -> Thread:
    return from_data(load_json(text), source=source, url=url)


def from_data(data: object, source: str = "", url: str | None = None) -> Thread:
    if not (isinstance(data, list) and len(data) == 2):
        raise ImportFailure("expected a list of two Listings: the submission and its comments")
    _refuse_submission_lists(data)
    submission, comments = validate(_Page, data, "Reddit thread").root
    if not submission.data.children:
        raise ImportFailure("the submission Listing is empty", field="[0].data.children")
    sub = submission.data.children[0].data
    render = _Renderer(escaped=_escaped_once(data))
    title = one_line(render.text(sub.title))
    if not title:
        raise ImportFailure("expected a non-empty title", field="[0].data.children[0].data.title")
    opening = _opening_text(sub, title, render)
    posts = [Post(index=1, author=_author(sub.author), text=opening,
                  likes=None if sub.hide_score else _likes(sub.score), ref=f"t3_{sub.id}",
                  citable=has_own_words(opening) and not is_bot(sub.author))]
    index_of: dict[str, int] = {}
    numbers = count(2)
    held = 0
    left_out: list[int] = []  # the numbers kept, unheld, by comments left out that replies answer
    stubs = _Stubs()

    def walk(listing: _CommentListing, path: str, above: str | None) -> None:
        """Read `listing`'s comments, the `replies` of the comment `above` (by id; None: top level)."""
        nonlocal held
        for position, thing in enumerate(listing.data.children):
            where = f"{path}[{position}]"
            if thing.kind == "more":
                stubs.add(validate(_More, thing.data, f"Reddit 'more' stub at {where}"))
                continue
            if thing.kind != "t1":
                continue
            comment = validate(_Comment, thing.data, f"Reddit comment at {where}")
            held += 1
            stubs.held.add(comment.id)
            parent = comment.parent_id or (f"t1_{above}" if above is not None else "")
            if above is None and parent.startswith("t1_"):
                stubs.top_parents.add(parent[3:])
            body = render.text(comment.body, comment.media_metadata) if comment.body or not comment.body_html \
                else _from_html(comment.body_html)
            if body and not _is_boilerplate(comment, body):
                index_of[comment.id] = index = next(numbers)
                body, _ = mark_quotes(body, posts)  # a line pasted from the comment it answers, without its ">"
                posts.append(Post(index=index, author=_author(comment.author), text=body,
                                  likes=None if comment.score_hidden else _likes(comment.score),
                                  reply_to=index_of.get(parent[3:]) if parent.startswith("t1_") else None,
                                  ref=f"t1_{comment.id}", citable=has_own_words(body)))
            elif _has_replies(comment):
                index_of[comment.id] = number = next(numbers)  # unheld: its replies still answer it, not the thread
                left_out.append(number)
            if isinstance(comment.replies, _CommentListing):
                walk(comment.replies, f"{where}.data.replies.data.children", comment.id)

    walk(comments, "[1].data.children", None)
    return Thread(
        id=f"{slugify(title, 56, disambiguate=False)}-r{sub.id}",
        title=title,
        url=url or (f"https://www.reddit.com{sub.permalink}" if sub.permalink else None),
        posts=tuple(posts),
        source=source,
        format=FORMAT,
        native_id=f"reddit:{sub.id}",
        coverage=stubs.coverage(held, len(posts) - 1, sub.num_comments, tuple(left_out)),
    )


def _has_replies(comment: _Comment) -> bool:
    """Whether the page holds a reply to `comment` (a `t1` among its `replies`)."""
    return isinstance(comment.replies, _CommentListing) and any(
        thing.kind == "t1" for thing in comment.replies.data.children)


def _refuse_submission_lists(data: list[Any]) -> None:
    """An ImportFailure for two Listings that are not one submission and its comments: a
    `/duplicates/` page (the submission, then other submissions of the same link) or two pages
    of a subreddit or a search (submissions in both). Nothing is refused for a Listing whose
    shape is wrong otherwise: `validate` names that field."""
    kinds = [[thing.get("kind") for thing in _children(listing)] for listing in data]
    first, second = kinds
    submissions = [index for index, kind in enumerate(second) if kind == "t3"]
    if first == ["t3"] and submissions:
        others = _count(len(submissions), "other submission")
        raise ImportFailure(f"this is a Reddit /duplicates/ page: the submission, then {others} of the same link "
                            f"in place of its comments: {SAVE_INSTEAD}",
                            field=f"[1].data.children[{submissions[0]}].kind")
    if len(first) > 1 and all(kind == "t3" for kind in first):
        raise ImportFailure(
            f"these are Reddit Listings of submissions ({len(first)} in the first: a subreddit's, a user's or a "
            f"search's pages), not one thread: {SAVE_INSTEAD}", field="[0].data.children")


def _children(listing: object) -> list[dict[str, Any]]:
    """The things of a Listing that are objects (none when it has no `data.children` list)."""
    data = listing.get("data") if isinstance(listing, dict) else None
    children = data.get("children") if isinstance(data, dict) else None
    return [thing for thing in children if isinstance(thing, dict)] if isinstance(children, list) else []


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


class _Stubs:
    """What the page says about the comments it does not hold."""

    def __init__(self) -> None:
        self.counted = 0
        self.uncounted = False
        #: The comments the page holds, and those the top-level ones answer (by id, no "t1_").
        self.held: set[str] = set()
        self.top_parents: set[str] = set()

    @property
    def context_view(self) -> bool:
        """A permalink "with context": a top-level comment answers a comment the page does not
        hold, so the page starts below the top. Not a flat list of comments (a scraper's), whose
        replies stand at the top level beside the comments they answer: that was called part of
        the thread with every comment in it (a trial's, 2026-11-30)."""
        return bool(self.top_parents - self.held)

    def add(self, more: _More) -> None:
        self.counted += more.count or 0
        if not more.count:  # "continue this thread": some replies, how many unsaid
            self.uncounted = True

    def coverage(self, held: int, read: int, num_comments: int | None,
                 left_out: tuple[int, ...] = ()) -> Coverage | None:
        """How many of the thread's comments the page `held` (`read` of them, the rest left out;
        `left_out` numbers those of them that replies answer) against `num_comments` and the
        stubs; None for a page that says nothing of a thread's size and left out none of its
        comments."""
        if num_comments is not None and held < num_comments:
            return Coverage(held=held, total=num_comments, unit="comments", left_out=left_out)
        if self.uncounted or self.context_view:
            return Coverage(held=held, total=None, unit="comments", left_out=left_out)
        if self.counted:
            return Coverage(held=held, total=held + self.counted, unit="comments", left_out=left_out)
        if num_comments is not None or held > read:  # (comments left out are counted: the import says so)
            # a `num_comments` below what the page holds is stale (Reddit updates it later): never "5 of 4"
            return Coverage(held=held, total=max(held, num_comments or 0), unit="comments", left_out=left_out)
        return None


class _Renderer:
    """Reddit text as Reddit shows it: the page's own escaping undone (when it has one), then
    character references decoded, zero-width spaces dropped, no-break spaces made plain, a
    spoiler's `>!` `!<` dropped (its words are the poster's: at a line's start, `>` would make
    them read as a quote of someone else), struck-through words dropped and superscript's `^`,
    Markdown's backslash escapes undone."""

    def __init__(self, escaped: bool) -> None:
        self.escaped = escaped

    def text(self, raw: str, media: dict[str, Any] | None = None) -> str:
        """`raw` as Reddit shows it; `media` is the post's `media_metadata`, which says what its
        embedded media are."""
        if self.escaped:
            raw = raw.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        decoded = _CHARACTER_REFERENCE.sub(lambda ref: html.unescape(ref.group()), raw)
        marked = _SUPERSCRIPT.sub("", _STRUCK.sub("", _SPOILER.sub(r"\g<words>", decoded.translate(_INVISIBLE))))
        shown = _BACKSLASH_ESCAPE.sub(r"\1", marked)
        return tidy_paragraphs(_MEDIA_EMBED.sub(lambda embed: _media(embed, media or {}), shown))


def _media(embed: re.Match[str], metadata: dict[str, Any]) -> str:
    """The marker for an embed of Reddit media; an image linked by URL is left as written."""
    ref = embed["ref"]
    if "://" in ref:
        return embed.group()
    meta = metadata.get(ref)
    kind = _MEDIA_KINDS.get(meta.get("e")) if isinstance(meta, dict) else None
    if kind is None:
        kind = "gif" if ref.startswith("giphy|") or embed["kind"] == "gif" else \
            "video" if embed["kind"] == "video" else "image"
    return media_marker(kind, embed["caption"])


def _escaped_once(data: object) -> bool:
    """Whether the page escapes `&`, `<` and `>` in its texts (as Reddit does without
    `raw_json=1`): some text holds `&amp;`, `&lt;` or `&gt;`, and none holds a `<`, a `>` or
    another `&` that escaping would have turned into one."""
    found = False
    for text in _texts(data):
        if "<" in text or ">" in text or text.count("&") != len(_ESCAPED_ONCE.findall(text)):
            return False
        found = found or "&" in text
    return found


def _texts(data: object) -> Iterator[str]:
    """The title, selftext and body strings anywhere in `data`."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in _TEXT_FIELDS and isinstance(value, str):
                    yield value
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, (dict, list)))


def _from_html(markup: str) -> str:
    """The text of a `body_html` or `selftext_html`: HTML escaped once, as Reddit serves it, or
    as it is with `raw_json=1` (then it holds its tags' `<`)."""
    return tidy_paragraphs(html_to_text(markup if "<" in markup else html.unescape(markup)))


def _opening_text(sub: _Submission, title: str, render: _Renderer) -> str:
    """The submission's text, or its title, with what a link, crosspost, gallery or poll adds."""
    own = render.text(sub.selftext, sub.media_metadata) if sub.selftext or not sub.selftext_html \
        else _from_html(sub.selftext_html)
    parts = [own if own and not is_gone(own) else title]
    if sub.crosspost_parent_list:
        parent = sub.crosspost_parent_list[0]
        origin = " by ".join(f"{prefix}{name}" for prefix, name in (("r/", _name(parent.get("subreddit"))),
                                                                     ("u/", _name(parent.get("author")))) if name)
        parent_title = render.text(parent["title"]) if isinstance(parent.get("title"), str) else ""
        parts.append(f"Crossposted from {origin or 'another post'}: {parent_title}".rstrip(": "))
        parent_text = render.text(parent["selftext"]) if isinstance(parent.get("selftext"), str) else ""
        if parent_text and not is_gone(parent_text):
            parts.append("\n".join("> " + line if line else ">" for line in parent_text.split("\n")))
    parts += _gallery(sub, render)
    if sub.poll_data is not None:
        parts.append(poll_text([(render.text(option.text), option.vote_count) for option in sub.poll_data.options],
                               sub.poll_data.total_vote_count, "vote"))
    parent_video = any(parent.get("is_video") is True for parent in sub.crosspost_parent_list[:1])
    link = _link(sub, video=parent_video)
    if link:
        parts.append(link)
    return "\n\n".join(part for part in parts if part)


def _name(value: object) -> str:
    """A subreddit's or an account's name as given, "" for none (blank or not a string)."""
    return value.strip() if isinstance(value, str) else ""


def _gallery(sub: _Submission, render: _Renderer) -> list[str]:
    if sub.gallery_data is None:
        return []
    lines = []
    for item in sub.gallery_data.items:
        meta = (sub.media_metadata or {}).get(item.media_id or "")
        kind = _MEDIA_KINDS.get(meta.get("e"), "image") if isinstance(meta, dict) else "image"
        marker = media_marker(kind, render.text(item.caption or ""))
        lines.append(f"- {marker}" + (f" {link_marker(item.outbound_url)}" if item.outbound_url else ""))
    return ["Gallery:\n" + "\n".join(lines)] if lines else []


def _link(sub: _Submission, video: bool = False) -> str | None:
    """What a link post points to, marked as media where Reddit says it is an image or a video
    (`video`: the crossposted post is one)."""
    if sub.is_self or not sub.url or not sub.url.startswith(("http://", "https://")) or sub.gallery_data:
        return None
    if sub.permalink and sub.url.endswith(sub.permalink):
        return None  # a text post's url is its own page
    if video or sub.is_video or sub.post_hint in ("hosted:video", "rich:video"):
        return f"{media_marker('video')} {link_marker(sub.url)}"
    if sub.post_hint == "image":
        return f"{media_marker('image')} {link_marker(sub.url)}"
    return link_marker(sub.url)


def _is_boilerplate(comment: _Comment, body: str) -> bool:
    """Words that are gone, a bot's, or a moderator's notice (stickied, or in a notice's words)."""
    return (is_gone(body) or is_bot(comment.author) or has_bot_footer(body)
            or comment.distinguished == "moderator" and (comment.stickied or is_moderator_notice(body)))


def _author(name: str | None) -> str | None:
    return None if not name or not name.strip() or is_gone(name) else name


def _likes(score: int | None) -> int | None:
    return None if score is None else max(score, 0)


_Comment.model_rebuild()
