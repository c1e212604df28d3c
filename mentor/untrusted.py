"""Untrusted text (posts, model output, what the person typed) made safe to show on a terminal.

Shared by the command line and the TUI (so it imports no UI): control characters, ANSI and OSC
escape sequences among them (colours, hyperlinks, clipboard writes, window titles), are shown as
visible symbols instead of reaching the terminal, and lone surrogates (undecodable bytes carried
through) as U+FFFD, so the text always encodes as UTF-8. So are the explicit bidirectional
embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), with which a post can show
its words in another order than they are stored ("Trojan Source", CVE-2021-42574); right-to-left
text needs none of them. JSON keeps the exact text, escaped.
"""

from __future__ import annotations

import json
import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: What json.dumps(ensure_ascii=False) leaves raw but a terminal may act on (DEL, the C1 controls
#: such as U+009B, a one-character CSI; the bidirectional overrides) or cannot encode (lone surrogates).
_JSON_RAW = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\ufffd"


def printable(text: str) -> str:
    """`text` with control characters shown as symbols (ESC as ␛, BEL as ␇; a C1 control, a
    bidirectional override or a lone surrogate as �); tabs and newlines kept."""
    return _CONTROL.sub(_visible, text)


#: A terminal escape sequence: CSI ("ESC [ 31 m", a colour; also as the one character U+009B);
#: a control string, OSC ("ESC ] ... BEL", a title or hyperlink) or DCS, SOS, PM, APC ("ESC P ...
#: ESC \\"), to its end but never past the end of its line (an unterminated one in an imported
#: file took every line after it); or another escape ("ESC 7", "ESC ( B"); then any other control.
_ESCAPES = re.compile(r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
                      r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
                      r"|\x1b[ -/]*[0-~]?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: What every match of `_ESCAPES` starts with: a text without one (nearly every file) is returned
#: as it is, found in about a tenth of the time `_ESCAPES` takes to find nothing in it.
_ESCAPE_START = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_escapes(text: str) -> str:
    """`text` without terminal escape sequences and control characters (tabs and newlines kept):
    what a question pasted with its colours says ("\\x1b[31mburnout\\x1b[0m" is "burnout"), and
    what an imported thread says (`importers.registry.normalize`, `importers.json_shape.load_json`)."""
    return _ESCAPES.sub("", text) if _ESCAPE_START.search(text) else text


def dumps(data: object, **kwargs: object) -> str:
    """`json.dumps(data, ensure_ascii=False)`, with every control character \\u-escaped."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(data, ensure_ascii=False, **kwargs))
