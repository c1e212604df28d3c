"""The sources of the answer in view, grouped by perspective, each marked like its citations."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from mentor.engine.events import Evidence, Source
from mentor.tui.text import marker, printable

#: Rich styles per perspective, matching the markers.
STYLES = ("bold cyan", "bold magenta", "bold green", "bold yellow")
_SNIPPET = 90


def _style(perspective: int | None) -> str:
    return STYLES[perspective % len(STYLES)] if perspective is not None else "dim"


class SourcesPanel(OptionList):
    class Chosen(Message):
        def __init__(self, source: Source) -> None:
            super().__init__()
            self.source = source

    class Typed(Message):
        """A character typed while the panel had focus: it belongs in the prompt."""

        def __init__(self, character: str) -> None:
            super().__init__()
            self.character = character

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.sources: dict[str, Source] = {}

    def show(self, evidence: Evidence) -> None:
        self.clear_options()
        self.sources = {}
        options: list[Option] = []
        for i, perspective in enumerate(evidence.perspectives):
            heading = Text(f"{marker(i)} {printable(perspective.label)}", style=_style(i))
            options.append(Option(heading, disabled=True))
            for n in perspective.sources:
                source = evidence.source(n)
                if source is not None and f"source-{n}" not in self.sources:
                    options.append(self._option(source))
        ground = evidence.common_ground
        if ground is not None and (source := evidence.source(ground.n)) is not None \
                and f"source-{ground.n}" not in self.sources:
            options.append(Option(Text("○ where they meet", style="dim"), disabled=True))
            options.append(self._option(source))
        if not options:
            options.append(Option(Text("no sources for this answer", style="dim"), disabled=True))
        self.add_options(options)

    def _option(self, source: Source) -> Option:
        key = f"source-{source.n}"
        self.sources[key] = source
        who = f"@{source.author}" if source.author else "(unknown)"
        snippet = " ".join(source.text.split())
        snippet = snippet[:_SNIPPET] + ("…" if len(snippet) > _SNIPPET else "")
        prompt = Text.assemble((f"{marker(source.perspective)}{source.n} ", _style(source.perspective)),
                               (printable(who), "bold"), " · ", (printable(source.thread_title), "italic"),
                               f" · post {source.post_index}\n", (printable(snippet), "dim"))
        return Option(prompt, id=key)

    def on_focus(self) -> None:
        """Tab lands on a source, so Enter opens it at once."""
        if self.highlighted is None:
            self.action_first()

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character is not None:
            event.stop()
            self.post_message(self.Typed(event.character))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        source = self.sources.get(event.option.id or "")
        if source is not None:
            self.post_message(self.Chosen(source))
