"""Citations `[n]` in answers, and keeping source text from posing as one."""

from __future__ import annotations

import re

from linkify_it import LinkifyIt

_CITATION = re.compile(r"(?<!\\)\[(\d{1,4})\]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
#: Inside a web address with its scheme, which Markdown makes a link of (linkify, as Textual's
#: and GitHub's Markdown do) before it reads emphasis, its characters are taken as written, so a
#: backslash before "_" stayed in the address a reader saw and copied ("utm\_source"); only what
#: could pose as a citation or end it is escaped.
_ADDRESS_SPECIAL = re.compile(r"([\\\[\]<>])")
_LINKIFY = LinkifyIt()
_MARKDOWN_ESCAPED = re.compile(r"\\([\\`*_\[\]<>#|~])")


def citations(text: str) -> list[int]:
    """Every distinct `[n]` in `text`, in order of first appearance."""
    seen: list[int] = []
    for match in _CITATION.finditer(text):
        n = int(match.group(1))
        if n not in seen:
            seen.append(n)
    return seen


def escape_markdown(text: str) -> str:
    """Corpus text made inert inside a Markdown answer: no emphasis, links, HTML or `[n]`. A web
    address stays one as written (`_ADDRESS_SPECIAL`): Markdown makes it a link of its own words."""
    text = " ".join(text.split())
    pieces, at = [], 0
    for link in _LINKIFY.match(text) or ():
        if not link.raw.lower().startswith(("http://", "https://")):
            continue  # "www.…" is made a link only after emphasis is read: escaped as any text
        pieces += [_MARKDOWN_SPECIAL.sub(r"\\\1", text[at:link.index]),
                   _ADDRESS_SPECIAL.sub(r"\\\1", text[link.index:link.last_index])]
        at = link.last_index
    return "".join(pieces) + _MARKDOWN_SPECIAL.sub(r"\\\1", text[at:])


def unescape_markdown(text: str) -> str:
    """`text` with the backslashes `escape_markdown` added taken out again: for showing an answer
    as plain text (`mentor ask`), where `\\[bold\\]` should read `[bold]`."""
    return _MARKDOWN_ESCAPED.sub(r"\1", text)


def strip_citations(text: str, numbers: list[int]) -> str:
    """`text` without the citations `[n]` for the given numbers."""
    drop = set(numbers)
    return _CITATION.sub(lambda m: "" if int(m.group(1)) in drop else m.group(0), text)
