"""One line: while an answer is on its way, what is happening first (finding sources, reading the
prompt, writing at N tokens/s, and that Esc stops it), then the corpus, then the model.

When the line is wider than the bar, it gives way in this order, so that what is happening and
the model's name stay in view at 80 columns: the model file's ".gguf" goes, then the corpus is cut
short with "…" (or dropped), then the model's name is cut short with "…" (never below
`MODEL_MIN` cells), and only then what is happening.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from mentor.engine.events import Reading

SEPARATOR = Content(" │ ")
#: The fewest cells the model keeps ("model: " and the start of its name) before what is
#: happening is cut instead.
MODEL_MIN = 16
#: A corpus part with fewer cells left than this is dropped rather than cut.
CORPUS_MIN = 12


def _line(*parts: Content) -> Content:
    return SEPARATOR.join(part for part in parts if part.plain)


def _cut(part: Content, over: int, least: int = 0) -> Content:
    """`part` `over` cells shorter (ending in "…"), but not below `least` cells."""
    return part.truncate(max(part.cell_length - over, least), ellipsis=True) if over > 0 else part


def fit(activity: str, corpus: str, model: str, width: int) -> Content:
    """The status line in at most `width` cells (the module's docstring says what gives way)."""
    parts = [Content(activity), Content(corpus), Content(model)]
    if _line(*parts).cell_length > width:
        parts[2] = Content(model.removesuffix(".gguf"))
    over = _line(*parts).cell_length - width
    if over > 0:
        parts[1] = _cut(parts[1], over) if parts[1].cell_length - over >= CORPUS_MIN else Content("")
    parts[2] = _cut(parts[2], _line(*parts).cell_length - width, MODEL_MIN)
    parts[0] = _cut(parts[0], _line(*parts).cell_length - width)
    return _line(*parts).truncate(width, ellipsis=True)


def reading_activity(reading: Reading) -> str:
    """What the status bar says while the model reads its prompt: "reading the prompt (1,024 of
    2,933 tokens)… · Esc stops" (without "N of" before the first batch is read, and without the
    count when the model cannot tell it)."""
    if reading.tokens is None:
        size = ""
    elif reading.read:
        size = f" ({reading.read:,} of {reading.tokens:,} tokens)"
    else:
        size = f" ({reading.tokens:,} tokens)"
    return f"reading the prompt{size}… · Esc stops"


class StatusBar(Static):
    corpus: reactive[str] = reactive("loading the corpus…")
    model: reactive[str] = reactive("model: looking…")
    activity: reactive[str] = reactive("")

    def render(self) -> Content:
        return fit(self.activity, self.corpus, self.model, self.content_size.width)
