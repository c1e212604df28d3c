"""The sources of the answer in view, grouped by perspective, each marked like its citations."""

from __future__ import annotations

from rich.text import Text
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

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.sources: dict[str, Source] = {}
        #: The evidence shown.
        self.evidence: Evidence | None = None

    def show(self, evidence: Evidence, turn: int | None = None) -> None:
        """The sources of `evidence` (the answer of `turn`, named in the title when given)."""
        if evidence is self.evidence:
            return
        self.evidence = evidence
        self.border_title = f"Sources · turn {turn}" if turn else "Sources"
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
        also = [s for s in evidence.sources if f"source-{s.n}" not in self.sources]
        if also:  # quoted for an option or the person's situation, outside the views
            options.append(Option(Text("○ also quoted", style="dim"), disabled=True))
            options += [self._option(source) for source in also]
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

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        source = self.sources.get(event.option.id or "")
        if source is not None:
            self.post_message(self.Chosen(source))
