"""Untrusted text (posts, model output, what the person typed) made safe to show as text."""

from __future__ import annotations

import re

from mentor.untrusted import printable

__all__ = ["MARKERS", "linked_citations", "marker", "printable"]

_CITATION = re.compile(r"(?<!\\)\[(\d{1,4})\]")
#: One marker per view of an answer, the same in the answer and in the sources panel. An answer
#: holds at most eight views (two discussions of up to four opinions each: `engine.MAX_THREADS`
#: times `perspectives.OPINIONS`), so no two views of one answer share a marker.
MARKERS = ("◆", "●", "▲", "■", "▼", "★", "◐", "◈")
#: The marker of a source outside every view (where the views meet, an option's quote).
NO_VIEW = "○"


def marker(perspective: int | None) -> str:
    """The marker of the answer's view number `perspective` (0-based), or `NO_VIEW`."""
    return MARKERS[perspective % len(MARKERS)] if perspective is not None else NO_VIEW


def linked_citations(markdown: str, perspective_of: dict[int, int | None]) -> str:
    """The answer with each `[n]` a `cite:n` link marked with its perspective's symbol."""
    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f"[{marker(perspective_of.get(n))}{n}](cite:{n})" if n in perspective_of else match.group(0)

    return _CITATION.sub(link, printable(markdown))

