"""Forum conventions shared by the text importers: `@Name,` replies, one-line titles and
paragraph clean-up."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mentor.corpus.model import Post
from mentor.errors import ImportFailure
from mentor.importers.boilerplate import is_everyone, is_opening_poster

#: A reply opens with `@Name` followed by a comma, colon or space (as in `@AlbertChappel, Cannot agree`).
REPLY_PREFIX = re.compile(r"^@(?P<name>[\w.\-]+)[,:]?\s")


def replied_name(text: str) -> str | None:
    """The name a post addresses when it opens with `@Name,`; None otherwise."""
    match = REPLY_PREFIX.match(text)
    return match.group("name") if match else None


def last_post_by(posts: Sequence[Post], name: str) -> int | None:
    """The index of the latest post in `posts` written by `name` (case-insensitive), if any."""
    wanted = name.casefold()
    for post in reversed(posts):
        if post.author is not None and post.author.casefold() == wanted:
            return post.index
    return None


def names_a_person(name: str) -> bool:
    """Whether an `@name` may name one person of the thread: not "@OP" (the opener, whatever
    their name) nor "@everyone" (the words are in `boilerplate.yaml`)."""
    return not is_opening_poster(name) and not is_everyone(name)


def replied_post(posts: Sequence[Post], name: str) -> int | None:
    """The post in `posts` (those above the reply, in order) that an `@name` reply answers: the
    latest by `name`; for "@OP" with no author so named, the opening post (when `posts` holds
    it); for "@everyone" or a name no post is by, none."""
    found = last_post_by(posts, name)
    if found is None and is_opening_poster(name) and posts and posts[0].index == 1:
        return 1
    return found


def one_line(title: str) -> str:
    """A title as one line: its runs of white space (tabs, line breaks) one space each, the ends
    stripped; a thread's title is shown on one line wherever it is listed."""
    return " ".join(title.split())


_BLANK_RUN = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)*")


def tidy_paragraphs(text: str) -> str:
    """Trim trailing spaces, fold runs of blank lines to one, strip the ends."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


#: Counts and post numbers longer than this are refused: none is that big (and Python will not
#: even read a number of more than 4,300 digits).
MAX_DIGITS = 18


def read_count(digits: str, what: str, line: int) -> int:
    """`digits` (from a `\\d+` match) as an int, or an ImportFailure at `line` when too long."""
    if len(digits) > MAX_DIGITS:
        raise ImportFailure(f"{what} '{digits[:MAX_DIGITS]}…' is too large (at most {MAX_DIGITS} digits)",
                            line=line)
    return int(digits)
