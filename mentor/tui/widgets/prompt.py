"""Where the person types: Enter sends, Up/Down recall earlier questions, long worries wrap."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from mentor.untrusted import without_escapes


class PromptInput(TextArea):
    #: The chat's own keys win over the text area's (Ctrl+E: end of line, Ctrl+Y: redo, PageUp
    #: and PageDown: move the cursor a page), since the prompt is where the focus is while
    #: chatting and a one-line question has no pages; End goes to the end of the line.
    BINDINGS = [Binding("ctrl+e", "app.export", "Export", show=False),
                Binding("ctrl+y", "app.copy_answer", "Copy", show=False),
                Binding("pageup", "app.scroll_conversation(-1)", "Scroll up", show=False),
                Binding("pagedown", "app.scroll_conversation(1)", "Scroll down", show=False)]

    class Submitted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, **kwargs: object) -> None:
        super().__init__(soft_wrap=True, show_line_numbers=False, tab_behavior="focus", **kwargs)
        self.cursor_blink = False  # a steady cursor (and screenshots that do not flicker)
        self.asked: list[str] = []
        self._recall: int | None = None

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "escape":  # the app's "stop the answer", not the text area's
            event.prevent_default()
            event.stop()
            await self.app.run_action("cancel")
            return
        # Ctrl+J: the newline a terminal still in line mode makes of Enter typed while the
        # chat starts; the text area has no use for it.
        if event.key in ("enter", "ctrl+j"):
            event.prevent_default()
            event.stop()
            text = self.text.strip()
            if text:
                self.remember(text)
                self.clear()
                self.post_message(self.Submitted(text))
            return
        if event.key in ("up", "down") and self.asked and self._on_edge(event.key):
            event.prevent_default()
            event.stop()
            self._step(-1 if event.key == "up" else 1)
            return
        await super()._on_key(event)

    async def _on_paste(self, event: events.Paste) -> None:
        """Pasted text goes in without terminal escape sequences and control characters (its
        line breaks kept): the text area drew them raw, so the terminal acted on them (a colour
        code coloured the prompt, a backspace moved its border), and the question is read
        without them anyway (`without_escapes`)."""
        event.prevent_default()  # the text area's own handler would insert the text as pasted
        if self.read_only:
            return
        text = without_escapes(event.text.replace("\r\n", "\n").replace("\r", "\n"))
        if text:
            self.move_cursor(self.replace(text, *self.selection).end_location)

    def remember(self, question: str) -> None:
        """Add `question` to what Up recalls: typed here, chosen among the suggestions (a trial
        user's Up skipped those), or asked in a conversation resumed; the same question twice
        in a row is kept once, as shells keep it."""
        if not self.asked or self.asked[-1] != question:
            self.asked.append(question)
        self._recall = None

    def _on_edge(self, key: str) -> bool:
        """Recall only from the first line (Up) or the last line (Down), as shells do."""
        row = self.cursor_location[0]
        return row == 0 if key == "up" else row == self.document.line_count - 1

    def _step(self, direction: int) -> None:
        position = len(self.asked) if self._recall is None else self._recall
        position = max(0, min(len(self.asked), position + direction))
        self._recall = None if position == len(self.asked) else position
        self.load_text("" if self._recall is None else self.asked[self._recall])
        self.move_cursor(self.document.end)
