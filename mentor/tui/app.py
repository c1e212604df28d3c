"""MentorApp: loads the engine and the model behind a prompt that is usable at once.

Blocking work (opening the index, loading a model, answering) runs in thread workers and hands
each engine event to the UI thread with `call_from_thread`. Conversations are saved turn by turn
in the data directory unless history is off.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from mentor.config import Settings
from mentor.engine.conversation import Conversation
from mentor.engine.events import AnswerDone, Event, Reading, Token
from mentor.history.store import HistoryStore, export_markdown
from mentor.llm.select import HOW_TO_ADD, ModelChoice
from mentor.tui.screens.help import HelpScreen
from mentor.tui.screens.main import MainScreen
from mentor.tui.screens.sessions import SessionsScreen
from mentor.tui.screens.source import SourceScreen

#: The chat waits this long for another process updating the index (an ingest of a large
#: corpus takes minutes), showing who it waits for in the status bar.
ENGINE_WAIT_SECONDS = 900.0

if TYPE_CHECKING:  # loaded by the workers, after the first paint
    from mentor.engine.engine import Engine


class MentorApp(App[None]):
    TITLE = "mentor"
    CSS_PATH = "widgets/widgets.tcss"
    BINDINGS = [
        Binding("f1", "help", "Keys"),
        Binding("escape", "cancel", "Stop", show=False),
        Binding("ctrl+n", "new_conversation", "New"),
        Binding("ctrl+o", "sessions", "Sessions"),
        Binding("ctrl+e", "export", "Export", show=False),
        Binding("ctrl+y", "copy_answer", "Copy", show=False),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    def __init__(self, home: Path, settings: Settings, *, history: bool = True, use_model: bool = True) -> None:
        super().__init__()
        self.home = home
        self.settings = settings
        self.use_model = use_model
        self.engine: Engine | None = None
        self.choice = ModelChoice(None)
        self.model_ready = not use_model
        self.conversation = Conversation()
        self.history = HistoryStore(home) if history and settings.history else None
        self.session_id: int | None = None
        self.cancel = threading.Event()
        self.waiting: list[str] = []
        self.busy = False

    SCREENS = {"main": MainScreen}

    @property
    def main(self) -> MainScreen:
        """The main screen (under any dialog)."""
        return self.get_screen("main")  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.push_screen("main")

    def on_ready(self) -> None:
        """The prompt is on screen: now load the corpus and the model behind it."""
        self.load_engine()
        if self.use_model:
            self.load_model()
        else:
            self._model_ready(ModelChoice(None))

    # -- loading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="engine")
    def load_engine(self) -> None:

        try:
            engine = self._open_engine()
        except Exception as exc:  # shown, not raised: the app stays usable to read history
            self.call_from_thread(self._status, corpus=f"corpus error: {exc}")
            return
        self.call_from_thread(self._engine_ready, engine)

    def _open_engine(self) -> Engine:
        """The engine (from a worker thread); a wait for another writer shows in the status bar."""
        from mentor.engine.engine import Engine

        return Engine.open(self.home, self.settings, wait_seconds=ENGINE_WAIT_SECONDS,
                           on_wait=lambda text: self.call_from_thread(self._status, corpus=text))

    def _engine_ready(self, engine: Engine) -> None:
        self.engine = engine
        self._status(corpus=f"{engine.stats.threads} threads · {engine.stats.posts} posts")
        self._next_question()

    @work(thread=True, exclusive=True, group="model")
    def load_model(self, path: str | None = None) -> None:
        from mentor.llm.select import open_model

        self.call_from_thread(self._status, model="model: loading…")
        settings = self.settings.with_flags(model=path) if path else self.settings
        choice = open_model(settings)
        self.call_from_thread(self._model_ready, choice)

    def _model_ready(self, choice: ModelChoice) -> None:
        self.choice = choice
        self.model_ready = True
        for problem in choice.problems:
            self.notify(problem, title="Model", severity="warning", markup=False, timeout=10)
        if choice.model is None:
            self._status(model="extractive (no model)")
            if self.use_model:
                self.main.show_welcome(f"No chat model found, so mentor quotes the posts. {HOW_TO_ADD} "
                                       "(Ctrl+P → Pull a model.)")
        else:
            self._status(model=f"model: {choice.model.label}")
        self._next_question()

    def _status(self, **parts: str) -> None:
        status = self.main.query_one("#status")
        for key, value in parts.items():
            setattr(status, key, value)

    # -- asking ----------------------------------------------------------------------------

    def ask(self, question: str) -> None:
        self.waiting.append(question)
        if self.engine is None or not self.model_ready:
            self._status(activity="your question will be answered when loading finishes")
        self._next_question()

    def _next_question(self) -> None:
        if self.busy or not self.waiting or self.engine is None or not self.model_ready:
            return
        question = self.waiting.pop(0)
        self.busy = True
        self.cancel = threading.Event()
        self.main.start_turn(question)
        self._status(activity="finding sources…")
        self.answer(question, self.cancel)

    @work(thread=True, group="answer")
    def answer(self, question: str, cancel: threading.Event) -> None:
        first: float | None = None
        tokens = 0
        try:
            for event in self.engine.ask(self.conversation, question, model=self.choice.model, cancel=cancel):
                if isinstance(event, Reading):
                    size = f" ({event.tokens:,} tokens)" if event.tokens is not None else ""
                    self.call_from_thread(self._status, activity=f"reading the prompt{size}… · Esc stops")
                elif isinstance(event, Token) and self.choice.model is not None:
                    # The rate over the writing alone: from the first token, not from the question.
                    now = time.perf_counter()
                    first = first or now
                    tokens += 1
                    rate = f" {(tokens - 1) / (now - first):.1f} tok/s" if now > first else "…"
                    self.call_from_thread(self._status, activity=f"writing{rate} · Esc stops")
                self.call_from_thread(self._deliver, event)
        except Exception as exc:  # an engine failure must not take the app down
            self.call_from_thread(self.notify, f"could not answer: {exc}", severity="error", markup=False)
        finally:
            self.call_from_thread(self._turn_over)

    async def _deliver(self, event: Event) -> None:
        await self.main.handle(event)
        if isinstance(event, AnswerDone) and self.history is not None:
            if self.session_id is None:
                self.session_id = self.history.new_session(event.answer.question)
            self.history.add_turn(self.session_id, self.conversation.turns[-1])

    def _turn_over(self) -> None:
        self.busy = False
        last = self.conversation.turns[-1].answer if self.conversation.turns else None
        evaluated = f"last answer: {last.prompt_tokens} prompt tokens evaluated" \
            if last is not None and last.prompt_tokens is not None else ""
        self._status(activity=evaluated)
        self._next_question()

    # -- actions ---------------------------------------------------------------------------

    def open_source(self, n: int) -> None:
        source = self.conversation.sources.get(n)
        if source is None:
            return
        thread = self.engine.threads.get(source.thread_id) if self.engine else None
        if thread is None:
            self.notify(f"[{n}] is no longer in the corpus", markup=False)
            return
        self.push_screen(SourceScreen(thread, source.post_index, n))

    def action_cancel(self) -> None:
        if self.busy:
            self.cancel.set()

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    async def action_new_conversation(self) -> None:
        self.cancel.set()
        self.conversation = Conversation()
        self.session_id = None
        await self.main.query_one("#conversation").remove_children()
        self.main.query_one("#sources").clear_options()

    def action_sessions(self) -> None:
        if self.history is None:
            self.notify("history is off (--no-history)")
            return
        self.push_screen(SessionsScreen(self.history), self._resume)

    async def _resume(self, session_id: int | None) -> None:
        if session_id is None or self.history is None:
            return
        self.cancel.set()
        self.conversation = self.history.resume(session_id)
        self.session_id = session_id
        answers = [turn.answer for turn in self.conversation.turns if turn.answer is not None]
        await self.main.query_one("#conversation").show_answered(answers)
        if answers:
            self.main.query_one("#sources").show(answers[-1].evidence)

    def action_export(self) -> None:
        if not self.conversation.turns:
            self.notify("nothing to export yet")
            return
        title = self.history.title(self.session_id) if self.history and self.session_id else "mentor conversation"
        path = Path.cwd() / f"mentor-{time.strftime('%Y%m%d-%H%M%S')}.md"
        path.write_text(export_markdown(self.conversation, title), encoding="utf-8")
        self.notify(f"saved {path}", markup=False)

    def action_copy_answer(self) -> None:
        answers = [t.answer for t in self.conversation.turns if t.answer is not None]
        if not answers:
            self.notify("no answer to copy yet")
            return
        self.copy_to_clipboard(answers[-1].text)
        self.notify("copied the last answer")

    def action_switch_model(self) -> None:
        from mentor.llm.discovery import find_models
        from mentor.tui.screens.models import ModelScreen

        self.push_screen(ModelScreen(find_models(self.settings.model)), self._switch)

    def _switch(self, choice: str | None) -> None:
        from mentor.tui.screens.models import NO_MODEL

        if choice is None:
            return
        if choice == NO_MODEL:
            self._model_ready(ModelChoice(None))
        else:
            self.model_ready = False
            self.load_model(choice)

    def action_pull_model(self) -> None:
        from mentor.tui.screens.models import PullScreen

        self.push_screen(PullScreen(), lambda path: path and self._switch(path))

    @work(thread=True, exclusive=True, group="engine")
    def action_reindex(self) -> None:
        from mentor.engine.index import sync_index

        self.call_from_thread(self._status, corpus="re-indexing…")
        try:
            sync_index(self.home, self.settings, rebuild=True)
            engine = self._open_engine()
        except Exception as exc:
            self.call_from_thread(self.notify, f"re-index failed: {exc}", severity="error", markup=False)
            return
        self.call_from_thread(self._engine_ready, engine)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("New conversation", "Start over (Ctrl+N)", self.action_new_conversation)
        yield SystemCommand("Conversations", "Resume, rename or delete a past one (Ctrl+O)", self.action_sessions)
        yield SystemCommand("Export conversation", "Save it as Markdown in this folder (Ctrl+E)", self.action_export)
        yield SystemCommand("Copy last answer", "To the clipboard (Ctrl+Y)", self.action_copy_answer)
        yield SystemCommand("Switch model", "Choose the GGUF model, or none", self.action_switch_model)
        yield SystemCommand("Pull a model", "Download a small instruct model", self.action_pull_model)
        yield SystemCommand("Re-index corpus", "Refit the embedder and re-embed every post", self.action_reindex)
