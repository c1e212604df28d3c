"""Exported conversations: Markdown files in `<home>/exports/`, never in the current folder.

A file is named by the moment of export, `mentor-YYYYMMDD-HHMMSS.md` (`-2`, `-3` ... when two
exports share a second), created readable by its owner alone like the history it comes from.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

EXPORTS = "exports"


def write_export(home: Path, markdown: str, suffix: str = ".md") -> Path:
    """Write `markdown` (or any text, named with `suffix`) to a new file in the exports folder
    and return its path (OSError when the folder cannot be written)."""
    folder = home / EXPORTS
    folder.mkdir(mode=0o700, exist_ok=True)
    stem = f"mentor-{time.strftime('%Y%m%d-%H%M%S')}"
    for attempt in range(1, 1000):
        path = folder / (f"{stem}{suffix}" if attempt == 1 else f"{stem}-{attempt}{suffix}")
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(markdown)
        return path
    raise FileExistsError(f"{folder}: too many exports named {stem}")
