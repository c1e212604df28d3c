"""Untrusted text (posts, model output, what the person typed) made safe to show as text."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CITATION = re.compile(r"(?<!\\)\[(\d{1,4})\]")
#: One marker per perspective, the same in the answer and in the sources panel.
MARKERS = ("◆", "●", "▲", "■")


def printable(text: str) -> str:
    """`text` with control characters (ANSI and OSC escapes among them) shown as symbols."""
    return _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group()) if ord(m.group()) < 0x20 else 0xFFFD), text)


def marker(perspective: int | None) -> str:
    return MARKERS[perspective % len(MARKERS)] if perspective is not None else "○"


def linked_citations(markdown: str, perspective_of: dict[int, int | None]) -> str:
    """The answer with each `[n]` a `cite:n` link marked with its perspective's symbol."""
    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f"[{marker(perspective_of.get(n))}{n}](cite:{n})" if n in perspective_of else match.group(0)

    return _CITATION.sub(link, printable(markdown))

