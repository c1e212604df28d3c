"""One line: the corpus and the model; while an answer is on its way, what is happening first
(finding sources, reading the prompt, writing at N tokens/s, and that Esc stops it), so that
it stays in view at 80 columns."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static


class StatusBar(Static):
    corpus: reactive[str] = reactive("loading the corpus…")
    model: reactive[str] = reactive("model: looking…")
    activity: reactive[str] = reactive("")

    def render(self) -> Content:
        parts = ([self.activity] if self.activity else []) + [self.corpus, self.model]
        return Content(" │ ".join(parts))
