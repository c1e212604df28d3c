"""Untrusted text (posts, model output, what the person typed) made safe to show on a terminal.

Shared by the command line and the TUI (so it imports no UI): control characters, ANSI and OSC
escape sequences among them (colours, hyperlinks, clipboard writes, window titles), are shown as
visible symbols instead of reaching the terminal, and lone surrogates (undecodable bytes carried
through) as U+FFFD, so the text always encodes as UTF-8. JSON keeps the exact text, escaped.
"""

from __future__ import annotations

import json
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
#: What json.dumps(ensure_ascii=False) leaves raw but a terminal may act on (DEL, the C1 controls
#: such as U+009B, a one-character CSI) or cannot encode (lone surrogates).
_JSON_RAW = re.compile(r"[\x7f-\x9f\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\ufffd"


def printable(text: str) -> str:
    """`text` with control characters shown as symbols (ESC as ␛, BEL as ␇); tabs and newlines kept."""
    return _CONTROL.sub(_visible, text)


def dumps(data: object, **kwargs: object) -> str:
    """`json.dumps(data, ensure_ascii=False)`, with every control character \\u-escaped."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, ensure_ascii=False, **kwargs))
