"""Citations `[n]` in answers, and keeping source text from posing as one."""

from __future__ import annotations

import re

_CITATION = re.compile(r"(?<!\\)\[(\d{1,4})\]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
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
    """Corpus text made inert inside a Markdown answer: no emphasis, links, HTML or `[n]`."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def unescape_markdown(text: str) -> str:
    """`text` with the backslashes `escape_markdown` added taken out again: for showing an answer
    as plain text (`mentor ask`), where `\\[bold\\]` should read `[bold]`."""
    return _MARKDOWN_ESCAPED.sub(r"\1", text)


def strip_citations(text: str, numbers: list[int]) -> str:
    """`text` without the citations `[n]` for the given numbers."""
    drop = set(numbers)
    return _CITATION.sub(lambda m: "" if int(m.group(1)) in drop else m.group(0), text)
