"""The sources of the answer in view, grouped by thread and perspective, each marked like its
citations.

A thread's title is shown once, above its views; each view's label, then its sources, each on
two short parts: `◆3 @author · post 5`, then the sentence the answer quoted from it (or, for a
post not quoted, its first sentence). Titles, labels and sentences take at most two lines of the
panel, cut at a word ("…"; the answer has them whole). A title the engine tells apart from
another thread's with the thread's id in brackets has that id on a line of its own, cut at its
start when it is too wide ("(…learn-sql-d101)"): ids end with what makes them differ. At 80
columns the panel is 30 wide, so several sources fit on a 24-line screen.
"""

from __future__ import annotations

from textwrap import fill

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from mentor.engine.events import Evidence, Quote, Source
from mentor.engine.follow_up import Kind
from mentor.tui.text import NO_VIEW, marker, printable, split_title

#: Rich styles of the views, in turn: colours repeat after four, the markers (`MARKERS`) never do.
STYLES = ("bold cyan", "bold magenta", "bold green", "bold yellow")
#: Lines of the panel a snippet or a thread title may take.
_LINES = 2
#: The panel's text width before it is first laid out (80 columns: 30 wide, less border,
#: padding and scrollbar).
_NARROW_TEXT = 24


def _style(perspective: int | None) -> str:
    return STYLES[perspective % len(STYLES)] if perspective is not None else "dim"


def _heading(shown: str, thread_id: str | None, width: int) -> Text:
    """A thread's title as the panel shows it above its views, `width` cells wide (the module's
    docstring says how)."""
    title, told_apart = split_title(shown, thread_id) if thread_id is not None else (shown, None)
    lines = Text(fill(printable(title), width, max_lines=_LINES, placeholder=" …"), style="italic")
    if told_apart is None:
        return lines
    told_apart = printable(told_apart)
    tag = f"({told_apart})" if len(told_apart) + 2 <= width else f"(…{told_apart[-max(1, width - 3):]})"
    return Text.assemble(lines, "\n", (tag, "dim italic"))


def _heading_line(source: Source, where: str) -> str:
    """A source's first line in the list: its marker and number, its author, then `where`."""
    who = f"@{source.author}" if source.author else "(unknown)"
    return f"{marker(source.perspective)}{source.n} {who}{where}"


def _first_sentence(text: str) -> str:
    """The post's first sentence of its own words (`roles.own_sentences`): not a quoted line, nor
    its `@name` address and what is left of a sentence said to them ("@BrigitteFaure,
    respectfully, no." showed for a post that goes on to argue)."""
    from mentor.analysis.roles import own_sentences  # the stemmer loads with the engine, not at start

    found = own_sentences(text)
    return found[0] if found else text


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
        self._width = 0
        self._short = False

    def _text_width(self) -> int:
        """The panel's text width, less the scrollbar it has once the sources overflow it. Every
        line is wrapped to it here, so the list never wraps a line itself (it measures an
        option without the scrollbar and draws it with one, and would cut the last line)."""
        width = self.content_region.width
        return width - self.styles.scrollbar_size_vertical if width else _NARROW_TEXT

    def on_resize(self) -> None:
        if self.evidence is not None and self._text_width() != self._width:
            highlighted = self.highlighted
            self._fill(self.evidence)
            self.highlighted = highlighted

    def clear_options(self) -> SourcesPanel:
        self.evidence = None
        return super().clear_options()

    def empty(self) -> None:
        """No sources, and no turn in the title (a new conversation)."""
        self.clear_options()
        self.border_title = "Sources"

    def show(self, evidence: Evidence, turn: int | None = None) -> None:
        """The sources of `evidence` (the answer of `turn`, named in the title when given)."""
        if evidence is self.evidence:
            return
        self.border_title = f"Sources · turn {turn}" if turn else "Sources"
        self._fill(evidence)

    def _fill(self, evidence: Evidence) -> None:
        self.clear_options()
        self.evidence = evidence
        self.sources = {}
        width = self._width = self._text_width()
        # "post 8" or, when one source's line would not fit it, "#8" for every source alike
        self._short = any(len(_heading_line(source, f" · post {source.post_index}")) > width
                          for source in evidence.sources)
        quoted = {quote.n: quote.sentence for p in evidence.perspectives for quote in p.quotes}
        quoted.update((point.n, point.sentence) for point in evidence.points if point.n not in quoted)
        if evidence.common_ground is not None:
            quoted.setdefault(evidence.common_ground.n, evidence.common_ground.sentence)
        options: list[Option | None] = []
        thread = None
        ground = evidence.common_ground
        ground_source = evidence.source(ground.n) if ground is not None else None
        if evidence.reading is not None and evidence.reading.kind is Kind.MORE:
            # "tell me more" quotes posts outside the views: what it adds comes first
            in_views = {n for p in evidence.perspectives for n in p.sources} | ({ground.n} if ground else set())
            added = [source for source in evidence.sources if source.n not in in_views]
            if added:
                options.append(Option(Text(f"{NO_VIEW} quoted in this answer", style="dim"), disabled=True))
                options += [self._option(source, quoted.get(source.n), width) for source in added]
        for i, perspective in enumerate(evidence.perspectives):
            if not any(evidence.source(n) for n in perspective.sources):
                continue  # a view the answer does not show (a follow-up's steps from the other one)
            if perspective.thread_title != thread:
                if thread is not None:
                    self._ground(options, ground, ground_source, thread, width)
                thread = perspective.thread_title
                if options:
                    options.append(None)
                first = next((source for n in perspective.sources if (source := evidence.source(n))), None)
                options.append(Option(_heading(thread, first.thread_id if first else None, width), disabled=True))
            label = fill(f"{marker(i)} {printable(perspective.label or 'an opinion')}", width, max_lines=_LINES,
                         placeholder=" …")
            options.append(Option(Text(label, style=_style(i)), disabled=True))
            for n in perspective.sources:
                source = evidence.source(n)
                if source is not None and f"source-{n}" not in self.sources:
                    options.append(self._option(source, quoted.get(n), width))
        if thread is not None:
            self._ground(options, ground, ground_source, thread, width)
        also = [s for s in evidence.sources if f"source-{s.n}" not in self.sources]
        if also:  # quoted for an option or the person's situation, outside the views
            options.append(Option(Text(f"{NO_VIEW} also quoted", style="dim"), disabled=True))
            options += [self._option(source, quoted.get(source.n), width) for source in also]
        if not options:
            options.append(Option(Text("no sources for this answer", style="dim"), disabled=True))
        self.add_options(options)

    def _ground(self, options: list[Option | None], ground: Quote | None, source: Source | None, thread: str,
                width: int) -> None:
        """Where the views meet, at the end of its own thread's views."""
        if ground is not None and source is not None and source.thread_title == thread \
                and f"source-{ground.n}" not in self.sources:
            options.append(Option(Text(f"{NO_VIEW} where they meet", style="dim"), disabled=True))
            options.append(self._option(source, ground.sentence, width))

    def _option(self, source: Source, quote: str | None, width: int) -> Option:
        key = f"source-{source.n}"
        self.sources[key] = source
        who = f"@{source.author}" if source.author else "(unknown)"
        text = f"“{quote}”" if quote else _first_sentence(source.text)
        snippet = fill(printable(text), width, max_lines=_LINES, placeholder=" …”" if quote else " …")
        tag = f"{marker(source.perspective)}{source.n} "
        where = f" · #{source.post_index}" if self._short else f" · post {source.post_index}"
        if len(tag) + len(who) + len(where) > width:  # one line: the author's name gives way
            room = max(4, width - len(tag) - len(where))
            who = who if len(who) <= room else who[:room - 1] + "…"
        prompt = Text.assemble((tag, _style(source.perspective)), (printable(who), "bold"), f"{where}\n",
                               (snippet, "dim"))
        return Option(prompt, id=key)

    def on_focus(self) -> None:
        """Tab lands on a source, so Enter opens it at once."""
        if self.highlighted is None:
            self.action_first()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        source = self.sources.get(event.option.id or "")
        if source is not None:
            self.post_message(self.Chosen(source))
