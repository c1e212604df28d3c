"""Past conversations: Enter resumes, r renames, d deletes (d again to confirm)."""

from __future__ import annotations

import time
from textwrap import shorten

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from mentor.history.store import HistoryStore, SessionInfo
from mentor.tui.text import printable


def describe(session: SessionInfo, on_screen: bool) -> Text:
    """Two lines: the title, then what tells it apart from others that started alike (its
    number, when it was last used, its turns, its latest question)."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(session.updated))
    facts = [f"#{session.id}", when, f"{session.turns} turn{'' if session.turns == 1 else 's'}"]
    if session.turns > 1:
        facts.append(f"last: {shorten(printable(session.last_question), 50, placeholder='…')}")
    if on_screen:
        facts.append("on screen")
    return Text.assemble((shorten(printable(session.title), 90, placeholder="…"), "bold"), "\n",
                         (" · ".join(facts), "dim"))


class SessionsScreen(ModalScreen[int | None]):
    """Dismisses with the id of the conversation to resume, or None."""

    CSS_PATH = "sessions.tcss"
    BINDINGS = [Binding("escape", "close", "Close"), Binding("r", "rename", "Rename"),
                Binding("d", "delete", "Delete")]

    def __init__(self, history: HistoryStore, current: int | None = None) -> None:
        """`current`: the conversation on screen, marked in the list."""
        super().__init__()
        self.history = history
        self.current = current
        self.confirm_delete: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Conversations"
            dialog.border_subtitle = "Enter resume · r rename · d d delete · Esc close"
            yield OptionList(id="list")
            yield Input(placeholder="new title, Enter to save", id="rename")
            yield Static("", id="hint")

    def on_mount(self) -> None:
        self.query_one("#rename", Input).display = False
        self.refresh_list()
        self.query_one(OptionList).focus()

    def refresh_list(self, keep: int | None = None, at: int = 0) -> None:
        """The saved conversations, newest first, with conversation `keep` highlighted (the one
        just renamed), else the one now at position `at` (where a deleted one was)."""
        options = self.query_one(OptionList)
        options.clear_options()
        ids = []
        for session in self.history.sessions():
            options.add_option(Option(describe(session, session.id == self.current), id=str(session.id)))
            ids.append(session.id)
        if not options.option_count:
            options.add_option(Option(Text("no conversations yet", style="dim"), disabled=True))
        else:
            options.highlighted = ids.index(keep) if keep in ids else min(at, len(ids) - 1)

    def _selected(self) -> int | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        option_id = options.get_option_at_index(options.highlighted).id
        return int(option_id) if option_id else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.dismiss(int(event.option.id))

    def action_close(self) -> None:
        rename = self.query_one("#rename", Input)
        if rename.display:
            rename.display = False
            self.query_one(OptionList).focus()
        else:
            self.dismiss(None)

    def action_rename(self) -> None:
        session = self._selected()
        if session is None:
            return
        rename = self.query_one("#rename", Input)
        rename.value = self.history.title(session).removesuffix("…")
        rename.display = True
        rename.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        session = self._selected()
        if session is not None and event.value.strip():
            self.history.rename(session, event.value)
        event.input.display = False
        self.refresh_list(keep=session)
        self.query_one(OptionList).focus()

    def action_delete(self) -> None:
        session = self._selected()
        if session is None:
            return
        hint = self.query_one("#hint", Static)
        if self.confirm_delete != session:
            self.confirm_delete = session
            hint.update("press d again to delete this conversation")
            return
        at = self.query_one(OptionList).highlighted or 0
        self.history.delete(session)
        self.confirm_delete = None
        hint.update("deleted")
        self.refresh_list(at=at)
