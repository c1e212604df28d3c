"""F1: the keys, written as the footer writes them (Ctrl+Q, F1); the README's keys table
lists the same keys (a test holds the two together)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = (
    ("Enter", "send the question"),
    ("Up / Down", "earlier questions (in the prompt)"),
    ("Esc", "stop the answer being written and withdraw the questions waiting (Ctrl+C too); close "
            "a dialog"),
    ("PageUp / PageDown", "scroll the conversation"),
    ("Tab, Enter", "to the sources, then open the highlighted one in its thread (typing goes back to "
                   "the prompt)"),
    ("Shift+Tab, Enter", "to \"You might also ask\", then ask the highlighted one (typing goes back to "
                         "the prompt)"),
    ("click ◆1", "open that source: a citation in the answer, or a source in the panel"),
    ("click ▶", "read a model's answer set aside for failing its check"),
    ("Ctrl+N", "new conversation"),
    ("Ctrl+O", "past conversations: Enter resumes, r renames, d d deletes"),
    ("Ctrl+E", "export this conversation to Markdown, in the data directory's exports folder"),
    ("Ctrl+Y", "copy the last answer"),
    ("Ctrl+P", "commands: switch model, pull a model, re-index, theme, screenshot…"),
    ("F1", "this help"),
    ("Ctrl+Q", "quit"),
)


_NAMES = {"escape": "Esc", "pageup": "PageUp", "pagedown": "PageDown"}


def key_display(key: str) -> str:
    """`ctrl+q` as a person reads it: `Ctrl+Q` (and `f1` as `F1`, `escape` as `Esc`, `pageup`
    as `PageUp`)."""
    return "+".join(_NAMES.get(part) or (part.capitalize() if len(part) > 1 and not part[1:].isdigit()
                                         else part.upper()) for part in key.split("+"))


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with Grid(id="dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = "Esc closes"
            for key, what in KEYS:
                yield Static(Content(key), classes="key")
                yield Static(Content(what), classes="what")
