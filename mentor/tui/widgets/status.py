"""One line: the corpus, the model and its state, and speed while writing."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

_SEPARATOR = " │ "


def fit(parts: list[str], width: int) -> str:
    """`parts` joined on one line of `width` cells. What is happening now (the last part) is
    kept whole: when the line is too long the corpus (the first part) goes first, then the
    middle parts are cut short with "…"."""
    line = _SEPARATOR.join(parts)
    if width <= 0 or len(line) <= width or len(parts) < 2:
        return line
    parts = parts[1:] if len(parts) > 2 else parts
    room = width - len(_SEPARATOR.join(parts[-1:])) - len(_SEPARATOR) * (len(parts) - 1)
    middle = parts[:-1]
    share = max(1, room // len(middle))
    middle = [part if len(part) <= share else part[:max(0, share - 1)] + "…" for part in middle]
    return _SEPARATOR.join([*middle, parts[-1]])


class StatusBar(Static):
    corpus: reactive[str] = reactive("loading the corpus…")
    model: reactive[str] = reactive("model: looking…")
    activity: reactive[str] = reactive("")

    def render(self) -> Content:
        parts = [self.corpus, self.model] + ([self.activity] if self.activity else [])
        return Content(fit(parts, self.content_region.width))
