"""Untrusted text (posts, model output, what the person typed) made safe to show as text."""

from __future__ import annotations

import re

from mentor.untrusted import printable

__all__ = ["MARKERS", "linked_citations", "marker", "printable", "split_title"]

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


def split_title(shown: str, thread_id: str) -> tuple[str, str | None]:
    """A thread's title as answers show it (`Source.thread_title`), split into the title and the
    id the engine puts after it in brackets when another thread has the same title (None when
    it has none), so that a title cut short to fit never loses what tells two threads apart."""
    told_apart = f" ({thread_id})"
    if shown.endswith(told_apart) and len(shown) > len(told_apart):
        return shown.removesuffix(told_apart), thread_id
    return shown, None


def linked_citations(markdown: str, perspective_of: dict[int, int | None]) -> str:
    """The answer with each `[n]` a `cite:n` link marked with its perspective's symbol."""
    def link(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return f"[{marker(perspective_of.get(n))}{n}](cite:{n})" if n in perspective_of else match.group(0)

    return _CITATION.sub(link, printable(markdown))

