"""Pasted text stays one paste, whatever it holds.

A terminal in bracketed-paste mode sends a paste between `ESC [ 200 ~` and `ESC [ 201 ~`. Textual's
input parser (8.2) reads any other ESC inside a paste as the start of a key's escape sequence:
text copied with its colours (`ESC [ 31 m`, from a log or `ls --color` in tmux, which passes
them on) was cut there, the rest of it delivered as typed keys, and each line break in it as
Enter: a trial user's paste sent half a question, then typed the other half around the cursor.

`PasteParser` hides each ESC inside a paste from Textual's parser and gives it back in the
`Paste` event, so the prompt receives the text whole (the question's colour codes are then
dropped where every question's are, in the engine). `install()` makes Textual's terminal driver
use it.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.message import Message

ESC = "\x1b"
#: What an ESC inside a paste stands as while Textual's parser reads it (a noncharacter, which
#: no text holds).
_HELD = "\ufdd0"


class PasteParser(XTermParser):
    """Textual's parser, with the ESCs inside a bracketed paste kept as the paste's text."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._in_paste = False
        #: The end of a paste's last piece that may be the start of its end marker.
        self._tail = ""
        #: The last characters read outside a paste: a start marker may begin there.
        self._recent = ""

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # the end of input
            return super().feed(data)
        guarded = self._guard(data)
        if not guarded:
            return []
        return [events.Paste(event.text.replace(_HELD, ESC)) if isinstance(event, events.Paste) else event
                for event in super().feed(guarded)]

    def _guard(self, data: str) -> str:
        """`data` with each ESC inside a paste (not its end marker's) replaced by `_HELD`. A piece
        that ends inside a paste with what may begin the end marker keeps it for the next piece
        (the paste's end always follows); outside a paste nothing is held back, so an Esc key
        press is read at once, and a start marker split between pieces is found across them."""
        text, self._tail = self._tail + data, ""
        out: list[str] = []
        at = 0
        while at < len(text):
            if not self._in_paste:
                seen = self._recent + text[at:]
                start = seen.find(BRACKETED_PASTE_START)
                if start < 0:
                    out.append(text[at:])
                    self._recent = seen[-(len(BRACKETED_PASTE_START) - 1):]
                    break
                after = at + start + len(BRACKETED_PASTE_START) - len(self._recent)
                out.append(text[at:after])
                at, self._recent, self._in_paste = after, "", True
                continue
            end = text.find(BRACKETED_PASTE_END, at)
            if end < 0:
                rest = text[at:]
                held = _marker_start(rest, BRACKETED_PASTE_END)
                out.append(rest[:len(rest) - held].replace(ESC, _HELD))
                self._tail = rest[len(rest) - held:]
                break
            out.append(text[at:end].replace(ESC, _HELD) + BRACKETED_PASTE_END)
            at = end + len(BRACKETED_PASTE_END)
            self._in_paste = False
        return "".join(out)


def _marker_start(text: str, marker: str) -> int:
    """How many characters at the end of `text` are the start of `marker` (0: none)."""
    for size in range(min(len(text), len(marker) - 1), 0, -1):
        if marker.startswith(text[-size:]):
            return size
    return 0


def install() -> None:
    """Have Textual's Linux and macOS terminal driver read input with `PasteParser` (it looks
    its parser class up by this module-level name when its input thread starts)."""
    from textual.drivers import linux_driver

    if getattr(linux_driver, "XTermParser", None) is XTermParser:
        linux_driver.XTermParser = PasteParser  # type: ignore[misc]
