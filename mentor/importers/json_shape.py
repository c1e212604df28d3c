"""Reading JSON exports: syntax errors with their line, shape errors with their field path."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mentor.errors import ImportFailure

Model = TypeVar("Model", bound=BaseModel)


def load_json(text: str) -> Any:
    """Parsed JSON, or an ImportFailure naming the line and column of the syntax error."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailure(f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    except RecursionError:
        raise ImportFailure("invalid JSON: nested too deeply") from None


def validate(model: type[Model], data: Any, what: str) -> Model:
    """`data` as `model`, or an ImportFailure naming the first field that does not fit."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        path = field_path(error["loc"])
        raise ImportFailure(f"{error['msg'].lower()} (reading a {what})", field=path or None) from None


def field_path(loc: tuple[str | int, ...]) -> str:
    """`('post_stream', 'posts', 3, 'cooked')` -> `post_stream.posts[3].cooked`."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path
