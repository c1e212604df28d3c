"""Reading JSON exports: syntax errors with their line, shape errors with their field path."""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mentor.errors import ImportFailure
from mentor.untrusted import without_escapes

Model = TypeVar("Model", bound=BaseModel)
_LONG_NUMBER = re.compile(r"\d{4301,}")  # more digits than Python will read as an int
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: A control character written as a JSON escape (`\\u001b`, `\\u009b`) or raw (C1 may be): the
#: strings are then cleaned of escape sequences (a file without one is read as it was).
_CONTROL_ESCAPE = re.compile(r"\\u00(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])|[\x7f-\x9f]")
#: How pydantic names a field that must be an object: by the model class, which means nothing to
#: the person whose file it is.
_MODEL_NAMED = re.compile(r"a valid dictionary or instance of \w+")


def load_json(text: str) -> Any:
    """Parsed JSON, or an ImportFailure naming the line and column of the syntax error."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailure(_syntax_error(text, exc), line=exc.lineno) from None
    except RecursionError:
        raise ImportFailure("invalid JSON: nested too deeply to read (more than about 900 levels: a reply chain of "
                            "about 180 comments in one Reddit page, or 450 in a Hacker News item; save the thread "
                            "as the forum gives it, or run 'mentor add <the thread's URL>')") from None
    except ValueError:  # the one other error json.loads raises: a number too long to read
        number = _LONG_NUMBER.search(text)
        raise ImportFailure("invalid JSON: a number of more than 4300 digits",
                            line=text.count("\n", 0, number.start()) + 1 if number else None) from None
    if _SURROGATE_ESCAPE.search(text):
        _refuse_surrogates(data)
    if _CONTROL_ESCAPE.search(text):
        data = _without_escapes(data)
    return data


def _without_escapes(data: Any) -> Any:
    """`data` with every string's terminal escape sequences and control characters (but tabs and
    newlines) dropped, in place: the title, authors and posts of a thread whose JSON held colours
    (`\\u001b[31m`) or a window title (`\\u001b]0;…\\u0007`), as `registry.parse_text` drops them
    from a text file. Iterative: JSON nested as deep as `json.loads` reads is no recursion error."""
    if isinstance(data, str):
        return without_escapes(data)
    stack = [data] if isinstance(data, (dict, list)) else []
    while stack:
        node = stack.pop()
        for key, value in list(node.items() if isinstance(node, dict) else enumerate(node)):
            if isinstance(value, str):
                node[key] = without_escapes(value)
            elif isinstance(value, (dict, list)):
                stack.append(value)
    return data


def _syntax_error(text: str, exc: json.JSONDecodeError) -> str:
    """What is wrong with JSON that does not parse, in words: a file cut short, JSON Lines, or
    text after the JSON are told apart from other syntax errors."""
    if exc.msg == "Extra data":
        lines = [line for line in text.split("\n") if line.strip()]
        if len(lines) > 1 and all(_is_json(line) for line in lines):
            return (f"JSON Lines (one JSON value on each of {len(lines)} lines, as a dump of posts or comments "
                    "is), not one thread: expected a single JSON document, a Discourse topic or a Reddit thread")
        return (f"invalid JSON: the JSON value is complete, but more text follows it (column {exc.colno}): "
                "expected the file to end there (two files joined, or text added after one?)")
    # The decoder calls a string unterminated only when the text ends inside it (an escaped quote
    # after it, as in cut HTML, '<a href=\\"…', does not close it).
    if not text[exc.pos:].strip() or exc.msg.startswith("Unterminated string"):
        return "invalid JSON: the file ends before the JSON does (it was cut short): save or download it again"
    return f"invalid JSON: {exc.msg} (column {exc.colno})"


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _refuse_surrogates(data: Any) -> None:
    """An ImportFailure at the first string holding half a surrogate pair (an escape like `\\ud800`
    without its other half), which is no character and cannot be stored as UTF-8."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while stack:
        loc, node = stack.pop()
        if isinstance(node, dict):
            stack += [((*loc, key), value) for key, value in reversed(node.items())]
        elif isinstance(node, list):
            stack += [((*loc, index), value) for index, value in reversed(list(enumerate(node)))]
        elif isinstance(node, str) and loc and (half := _SURROGATE.search(node)):  # (a bare string is no thread)
            raise ImportFailure(f"'\\u{ord(half.group()):04x}' is half of a UTF-16 surrogate pair, not a "
                                "character", field=field_path(loc) or None)


def validate(model: type[Model], data: Any, what: str) -> Model:
    """`data` as `model`, or an ImportFailure naming the first field that does not fit."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        path = field_path(_steps_in(data, error["loc"], missing=error["type"] == "missing"))
        message = error["msg"][:1].lower() + error["msg"][1:]  # not 'Listing' -> 'listing'
        message = _MODEL_NAMED.sub("a JSON object", message)  # not "instance of _Option": our class's name
        raise ImportFailure(f"{message} (reading a {what})", field=path or None) from None


def _steps_in(data: Any, loc: tuple[str | int, ...], missing: bool) -> tuple[str | int, ...]:
    """The steps of a pydantic error location that are in `data`: without the union members pydantic
    names on the way (`tags[0].str`), but with the last step when that field is missing."""
    steps: list[str | int] = []
    node = data
    for number, step in enumerate(loc):
        if (isinstance(node, dict) and step in node
                or isinstance(node, list) and type(step) is int and 0 <= step < len(node)):
            steps.append(step)
            node = node[step]
        elif missing and number == len(loc) - 1:
            steps.append(step)
    return tuple(steps)


def field_path(loc: tuple[str | int, ...]) -> str:
    """`('post_stream', 'posts', 3, 'cooked')` -> `post_stream.posts[3].cooked`; a key that is not
    a name is quoted: `('tags', '', 0)` -> `tags[""][0]`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not part.isidentifier():
            path += f"[{json.dumps(part, ensure_ascii=False)}]"
        else:
            path += f".{part}" if path else part
    return path
