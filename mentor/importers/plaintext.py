"""Plain-text forum dumps: what you get by copying a forum thread out of a browser.

The shape (see ../shared/seeds/ for a real one):

- the first line is the thread's title; the rest of the first block is the opening post (index 1).
  A first block holding only the title is a title-only opening post (a link or meme submission,
  as in ../shared/real-threads/): its text is the title, and the next block is post 2;
- posts are separated by two or more blank lines; paragraphs inside a post by one;
- a line `N Like` / `N Likes` closes the post above it and gives its like count (text after it,
  even after a single blank line, starts the next post);
- a post that starts with `@Name,` is a reply to Name's latest earlier post; `@OP,` (the thread's
  opener, whatever their name) to the opening post, and `@everyone,` (`@all`, … in
  `boilerplate.yaml`) to no one post;
- a post may open with the header a browser's copy shows above it: its author's name on a line,
  then when it was written on the next ("river_stone" / "Mar 3", "5 days ago", "10:42 AM": the
  forms of `plaintext.post_dates` in `boilerplate.yaml`). The name is the post's author, and
  neither line is its text. A header alone in its block heads the next block (the copy put two
  blank lines under it). A first line without a date line under it is the post's own words
  ("Priya" / "I disagree…" stays text): only the date line tells a header from a post;
- a post of emoji or a link alone keeps its number but is no source (`citable` False), as in
  the other formats.

Where no header names them, authors are not printed in such dumps, but replies reveal them. An
inferred author is cited as fact, so one is inferred only on evidence, and left unknown when the
evidence is ambiguous. An `@Name,` reply answers one of the author-less posts among the last
`REPLY_WINDOW` above it; each is weighed by what ties the reply to it:

- every word the two share (five letters or more, not a common one): 1;
- a question in it (a sentence ending in `?`) that shares such a word with the reply: 2, since
  a reply that answers a question is stronger evidence than being next to it;
- being the post just above the reply: 1 (people mostly answer the post above theirs).

The heaviest post is Name's, unless another weighs as much (ambiguous: nobody's, and the reply
stays unlinked unless an earlier reply showed a post of Name's). A Name a header showed makes
no other post theirs: the reply answers that person's latest post. "@OP" and "@everyone" are
nobody's name: they make no post anyone's. In the seed
thread, "@Ahmad, Not that I should be speaking for him but driving alignment just means…" thus
answers "Can you expand a bit on what you meant by “driving alignment”?" two posts up, not the
joke between them ("I see what you did there"). Posts that no reply follows keep an unknown author.
"""

from __future__ import annotations

import re
from dataclasses import replace

from mentor.corpus.model import Post, Thread, slugify
from mentor.errors import ImportFailure
from mentor.importers.boilerplate import has_own_words, is_common_word, is_post_date
from mentor.importers.replies import (
    names_a_person,
    one_line,
    read_count,
    replied_name,
    replied_post,
    tidy_paragraphs,
)

FORMAT = "plaintext"

_LIKES_LINE = re.compile(r"^\s*(?P<n>\d+)\s+likes?\s*$", re.IGNORECASE)
#: How many posts above an `@Name,` reply may be the post it answers.
REPLY_WINDOW = 3
_WORD = re.compile(r"[^\W\d_]{5,}")
_QUESTION = re.compile(r"[^.!?\n]*\?")
#: A forum name as a post's header shows it: one to four words of letters, digits and `. _ - '`
#: ("river_stone", "m.okafor", "Tomás Ruiz"), of at most `NAME_CHARS` characters.
_NAME = re.compile(r"[\w'’][\w.'’\-]*(?: [\w'’][\w.'’\-]*){0,3}")
NAME_CHARS = 40


def parse(text: str, source: str = "") -> Thread:
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = _blocks(lines)
    if not blocks:
        raise ImportFailure("expected a title on the first line, found only blank lines", line=1)
    first_line, first_block, first_likes = blocks[0]
    title = one_line(first_block[0])
    opening = first_block[1:]
    rest = blocks[1:]
    if not any(line.strip() for line in opening):
        if not rest:
            raise ImportFailure("expected the opening post below the title",
                                line=min(first_line + 1, len(lines)))  # the file may end at the title
        opening = [title]
    posts: list[Post] = []
    #: The names the posts' headers showed (casefolded): a reply to one makes no other post theirs.
    headed: set[str] = set()
    for author, block_lines, likes in _headed([(opening, first_likes)] + [(b, n) for _, b, n in rest], title):
        body = tidy_paragraphs("\n".join(block_lines))
        index = len(posts) + 1
        reply_to = None
        name = replied_name(body)
        if name is not None:
            answered = _answered(posts, body) if names_a_person(name) and name.casefold() not in headed else None
            if answered is not None:
                posts[answered] = replace(posts[answered], author=name)
            reply_to = replied_post(posts, name)
        if author is not None:
            headed.add(author.casefold())
        posts.append(Post(index=index, author=author, text=body, likes=likes, reply_to=reply_to,
                          citable=has_own_words(body)))
    return Thread(id=slugify(title), title=title, posts=tuple(posts), source=source, format=FORMAT)


def _headed(blocks: list[tuple[list[str], int | None]],
            title: str) -> list[tuple[str | None, list[str], int | None]]:
    """(author, lines, likes) of each post: its header's name (see the module's docstring) and
    its lines without the header. A header alone heads the next block; alone at the end, it
    heads no post, but for the opening post's (a title-only opening post: the title)."""
    posts: list[tuple[str | None, list[str], int | None]] = []
    pending: tuple[str, int | None] | None = None  # a header alone, for the next block
    for position, (lines, likes) in enumerate(blocks):
        author, text = _header(lines)
        if author is None and pending is not None:
            author, likes = pending[0], likes if likes is not None else pending[1]
        pending = None
        if author is not None and not any(line.strip() for line in text):
            if position + 1 < len(blocks):
                pending = (author, likes)
                continue
            if posts:
                continue
            text = [title]
        posts.append((author, text, likes))
    return posts


def _header(lines: list[str]) -> tuple[str | None, list[str]]:
    """The name of the post header `lines` open with (blank lines above it aside), and the lines
    below it; (None, `lines`) when they open with none."""
    content = lines[next((at for at, line in enumerate(lines) if line.strip()), len(lines)):]
    if len(content) >= 2 and _is_name(content[0]) and is_post_date(content[1]):
        return " ".join(content[0].split()), content[2:]
    return None, lines


def _is_name(line: str) -> bool:
    """Whether `line` may be a forum name (see `_NAME`), and is not itself a date."""
    name = " ".join(line.split())
    return len(name) <= NAME_CHARS and _NAME.fullmatch(name) is not None and not is_post_date(name)


def _answered(posts: list[Post], reply: str) -> int | None:
    """The position in `posts` of the author-less post an `@Name,` reply answers, weighed as this
    module's docstring says; None when no post, or more than one, weighs the most."""
    words = _words(reply)
    weights = {}
    for at in range(max(0, len(posts) - REPLY_WINDOW), len(posts)):
        if posts[at].author is None:
            asked = any(_words(question) & words for question in _QUESTION.findall(posts[at].text))
            weights[at] = len(_words(posts[at].text) & words) + 2 * asked + (at == len(posts) - 1)
    best = max(weights.values(), default=0)
    heaviest = [at for at, weight in weights.items() if weight == best]
    return heaviest[0] if best > 0 and len(heaviest) == 1 else None


def _words(text: str) -> set[str]:
    """The rarer words of `text`, cut to five letters (so "speaking" meets "speak")."""
    return {word.casefold()[:5] for word in _WORD.findall(text) if not is_common_word(word)}


def _blocks(lines: list[str]) -> list[tuple[int, list[str], int | None]]:
    """(first line number, lines, likes) for each post-sized block of the text.

    A block ends at two or more blank lines, or right after a like line. A like line with no text
    above it in its block counts for the previous block when that one has no likes yet.
    """
    blocks: list[tuple[int, list[str], int | None]] = []
    current: list[str] = []
    start = 0
    blank_run = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            blank_run += 1
            if current:
                current.append(line)
            continue
        if current and blank_run >= 2:
            blocks.append((start, current, None))
            current = []
        blank_run = 0
        likes = _LIKES_LINE.match(line)
        if likes:
            count = read_count(likes.group("n"), "like count", number)
            if any(existing.strip() for existing in current):
                blocks.append((start, current, count))
                current = []
            elif blocks and blocks[-1][2] is None:
                blocks[-1] = (blocks[-1][0], blocks[-1][1], count)
            else:
                raise ImportFailure(f"'{line.strip()}' must follow the post it counts", line=number)
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, current, None))
    return blocks
