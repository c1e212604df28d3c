"""The main screen: the conversation, the prompt, the sources of the answer in view, the status."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from mentor.engine.events import AnswerDone, Event, Notice, SetAside, SourcesFound, Token
from mentor.tui.text import printable
from mentor.tui.widgets.conversation import AnswerView, ConversationView
from mentor.tui.widgets.prompt import PromptInput
from mentor.tui.widgets.sources import SourcesPanel
from mentor.tui.widgets.status import StatusBar
from mentor.tui.widgets.suggestions import Suggestions

WELCOME = ("Tell mentor what worries you about your product career, for example "
           "“I'm a PM with no hard skills to show — should I be worried?”. "
           "Enter sends · Esc stops an answer · F1 keys · Ctrl+P commands")


class MainScreen(Screen[None]):
    CSS_PATH = "main.tcss"
    #: The prompt has the focus as soon as the screen is shown, so the first keys land in it
    #: (Textual's default focuses the first focusable widget, the conversation).
    AUTO_FOCUS = "#prompt"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def __init__(self) -> None:
        super().__init__()
        self.answer_view: AnswerView | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="talk"):
                yield ConversationView(id="conversation")
                yield PromptInput(id="prompt")
            sources = SourcesPanel(id="sources")
            sources.border_title = "Sources"
            yield sources
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ConversationView).mount(Static(Content(WELCOME), id="welcome"))
        self.focus_prompt()

    def focus_prompt(self) -> None:
        """Back to where a person types."""
        self.query_one(PromptInput).focus()

    async def start_over(self) -> None:
        """An empty conversation: the welcome text, no sources, the prompt ready."""
        conversation = self.query_one(ConversationView)
        await conversation.remove_children()
        await conversation.mount(Static(Content(WELCOME), id="welcome"))
        self.query_one(SourcesPanel).empty()
        self.answer_view = None
        self.focus_prompt()

    def on_prompt_input_submitted(self, event: PromptInput.Submitted) -> None:
        self.app.ask(event.text)

    def on_suggestions_asked(self, event: Suggestions.Asked) -> None:
        prompt = self.query_one(PromptInput)
        prompt.remember(event.text)
        prompt.focus()
        self.app.ask(event.text)

    def on_conversation_view_in_view(self, event: ConversationView.InView) -> None:
        """The sources panel follows the answer being read (not while one is written)."""
        if self.answer_view is None:
            self.query_one(SourcesPanel).show(event.answer.evidence, turn=event.turn)

    def on_sources_panel_chosen(self, event: SourcesPanel.Chosen) -> None:
        self.app.open_source(event.source.n)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.prevent_default()
        if event.href.startswith("cite:") and event.href[5:].isdigit():
            self.app.open_source(int(event.href[5:]))

    def show_welcome(self, hint: str) -> bool:
        """Show `hint` (plain text, shown literally; "" for none) under the welcome text, if it
        is still on screen (until the first question); say whether it was."""
        shown = False
        for welcome in self.query("#welcome").results(Static):
            welcome.update(Content(f"{WELCOME}\n\n{printable(hint)}" if hint else WELCOME))
            shown = True
        return shown

    def add_turn(self, question: str) -> AnswerView:
        """Show `question` as the person's turn, at once; its answer will go in the view returned
        (which `start_turn` begins), saying meanwhile what it waits for."""
        for welcome in self.query("#welcome"):
            welcome.remove()
        conversation = self.query_one(ConversationView)
        view = AnswerView()
        conversation.add_question(question)
        conversation.add_answer(view)
        return view

    def start_turn(self, view: AnswerView) -> None:
        """The answer in `view` (from `add_turn`) begins: the sources panel follows it now."""
        self.answer_view = view
        view.wait("")

    async def handle(self, event: Event) -> None:
        """One engine event, on the UI thread."""
        if isinstance(event, SourcesFound):
            # questions asked meanwhile may follow this turn's; withdrawn ones are no turn
            views = [view for view in self.query(AnswerView) if not view.withdrawn]
            turn = views.index(self.answer_view) + 1 if self.answer_view in views else len(views)
            self.query_one(SourcesPanel).show(event.evidence, turn=turn)
        elif isinstance(event, Token) and self.answer_view is not None:
            await self.answer_view.write(event.text)
        elif isinstance(event, SetAside) and self.answer_view is not None:
            await self.answer_view.restart(event.kept)  # the note and the quoted posts follow
        elif isinstance(event, Notice):
            self.app.notify(event.text, severity="warning", markup=False)
        elif isinstance(event, AnswerDone) and self.answer_view is not None:
            # "You might also ask" goes under the latest answer only: not under one with a
            # question asked after it meanwhile (its suggestions stayed there, and that question's
            # answer brought its own).
            asked = [view for view in self.query(AnswerView) if not view.withdrawn]
            await self.answer_view.finish(event.answer, suggest=not asked or asked[-1] is self.answer_view)
            self.answer_view = None
