"""Quoted words in a copy of a thread: the lines of a post that repeat an earlier post's words.

A browser's copy keeps a quote's words but not its marks: Reddit's and Discourse's quote boxes
lose their `>` (Discourse's keeps the line naming whom it quotes, "river_stone:"), and a Hacker
News reply often pastes a line of its parent as it is, or in italics, or in quotation marks, in
the site's JSON too (the Hacker News and Reddit importers mark them as well). Such a line is the earlier poster's words,
not the replier's, and it tells whom the reply answers. So a line of at least `QUOTE_WORDS`
words found word for word in an earlier post (case, spacing, curly quotes and quotation marks
around the whole line aside: a Hacker News reply's `"Article fails to explain why …"`) is marked
as a quote (`> ` before it), as is a `Name:` line above it (blank lines between aside) naming that post's author; and the post answers the
latest earlier post holding its first quote, whether the file marked that quote with `>` or not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from anyascii import anyascii

from mentor.corpus.model import Post

#: A line must have at least this many words to be taken for a quote: a shorter one ("I agree
#: with this", "Same here") is repeated by chance.
QUOTE_WORDS = 5
_QUOTE_MARK = re.compile(r"^\s*>\s?")
#: The line Discourse's quote box shows above the quoted words: "river_stone:".
_QUOTED_NAME = re.compile(r"^\s*(?P<name>[\w.\-]{2,40}):\s*$")


def mark_quotes(text: str, earlier: Sequence[Post]) -> tuple[str, int | None]:
    """`text` with its lines that repeat words of a post in `earlier` marked as quotes, and the
    index of the latest earlier post holding the first quote (None when it quotes none)."""
    held = [(post.index, _plain(post.text)) for post in reversed(earlier)]
    authors = {post.index: (post.author or "").casefold() for post in earlier}
    lines = text.split("\n")
    source: int | None = None
    for at, line in enumerate(lines):
        marked = _QUOTE_MARK.match(line) is not None
        words = _plain(_QUOTE_MARK.sub("", line)).strip("\" ")  # a line put in quotation marks whole
        if len(words.split()) < QUOTE_WORDS:
            continue
        found = next((index for index, plain in held if words in plain), None)
        if found is None:
            continue
        source = source if source is not None else found
        if not marked:
            lines[at] = "> " + line
            above = next((up for up in range(at - 1, -1, -1) if lines[up].strip()), None)
            named = _QUOTED_NAME.match(lines[above]) if above is not None else None
            if named is not None and named["name"].casefold() == authors[found]:
                lines[above] = "> " + lines[above]
    return "\n".join(lines), source


def _plain(text: str) -> str:
    """`text` as quotes are compared: without `>` marks, in ASCII (curly quotes straight),
    casefolded, its runs of white space one space each."""
    unmarked = "\n".join(_QUOTE_MARK.sub("", line) for line in text.split("\n"))
    return " ".join(anyascii(unmarked).casefold().split())
