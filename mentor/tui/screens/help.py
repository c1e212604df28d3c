"""F1: the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = (
    ("Enter", "send the question"),
    ("Up / Down", "earlier questions (in the prompt)"),
    ("Esc", "stop the answer being written"),
    ("Tab", "move to the sources; Enter opens one"),
    ("Shift+Tab", "move to \"You might also ask\"; Enter asks one"),
    ("click a [n]", "open that source in its thread"),
    ("Ctrl+N", "new conversation"),
    ("Ctrl+O", "past conversations: resume, rename, delete"),
    ("Ctrl+E", "export this conversation to Markdown"),
    ("Ctrl+Y", "copy the last answer"),
    ("Ctrl+P", "commands: switch model, pull a model, re-index, theme…"),
    ("F1", "this help"),
    ("Ctrl+Q", "quit"),
)


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as dialog:
            dialog.border_title = "Keys"
            for key, what in KEYS:
                yield Static(Content.assemble((f"{key:>12}  ", "bold"), what))
