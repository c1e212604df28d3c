"""Reddit thread JSON: what a comments page's `.json` returns.

A list of two Listings: the submission (`title`, `selftext`, `author`, `score`, `permalink`) and
the comment tree (`t1` things with `author`, `body`, `score`, `parent_id`, nested `replies`).
Comments are read depth-first, in the page's reading order. Deleted and removed comments are
skipped (their replies are kept, replying to nothing); "load more" stubs are skipped. Scores below
zero count as zero likes. Bodies stay Markdown, with Reddit's HTML entities decoded.
"""

from __future__ import annotations

import html
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from mentor.corpus.model import Post, Thread, slugify
from mentor.errors import ImportFailure
from mentor.importers.json_shape import load_json, validate
from mentor.importers.replies import tidy_paragraphs

FORMAT = "reddit"
_GONE = {"[deleted]", "[removed]"}


class _Submission(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str = Field(pattern=r"^[a-z0-9]+$")  # base 36, as in every Reddit id; it ends the thread's id
    title: str
    selftext: str = ""
    author: str | None = None
    score: int | None = None
    permalink: str | None = None


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
    score: int | None = None
    parent_id: str | None = None
    replies: "_CommentListing | Literal[''] | None" = None


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
    submission, comments = validate(_Page, data, "Reddit thread").root
    if not submission.data.children:
        raise ImportFailure("the submission Listing is empty", field="[0].data.children")
    sub = submission.data.children[0].data
    if not sub.title.strip():
        raise ImportFailure("expected a non-empty title", field="[0].data.children[0].data.title")
    opening = _clean(sub.selftext)
    posts = [Post(index=1, author=_author(sub.author), text=opening if opening not in _GONE and opening
                  else sub.title.strip(), likes=_likes(sub.score))]
    index_of: dict[str, int] = {}

    def walk(listing: _CommentListing, path: str) -> None:
        for position, thing in enumerate(listing.data.children):
            if thing.kind != "t1":
                continue
            comment = validate(_Comment, thing.data, f"Reddit comment at {path}[{position}]")
            body = _clean(comment.body)
            if body and body not in _GONE:
                parent = comment.parent_id or ""
                reply_to = index_of.get(parent[3:]) if parent.startswith("t1_") else None
                index = len(posts) + 1
                index_of[comment.id] = index
                posts.append(Post(index=index, author=_author(comment.author), text=body,
                                  likes=_likes(comment.score), reply_to=reply_to))
            if isinstance(comment.replies, _CommentListing):
                walk(comment.replies, f"{path}[{position}].data.replies.data.children")

    walk(comments, "[1].data.children")
    return Thread(
        id=f"{slugify(sub.title, 56)}-r{sub.id}",
        title=sub.title.strip(),
        url=url or (f"https://www.reddit.com{sub.permalink}" if sub.permalink else None),
        posts=tuple(posts),
        source=source,
        format=FORMAT,
    )


def _clean(text: str) -> str:
    return tidy_paragraphs(html.unescape(text))


def _author(name: str | None) -> str | None:
    return None if not name or not name.strip() or name in _GONE else name


def _likes(score: int | None) -> int | None:
    return None if score is None else max(score, 0)


_Comment.model_rebuild()
