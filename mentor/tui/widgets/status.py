"""One line: the corpus, the model and its state, and speed while writing."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static


class StatusBar(Static):
    corpus: reactive[str] = reactive("loading the corpus…")
    model: reactive[str] = reactive("model: looking…")
    activity: reactive[str] = reactive("")

    def render(self) -> Content:
        parts = [self.corpus, self.model] + ([self.activity] if self.activity else [])
        return Content(" │ ".join(parts))
