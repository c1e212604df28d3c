"""What the commands share: settings from flags, opening the engine, keeping the index current."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from mentor.config import Settings, load_settings
from mentor.home import resolve_home

if TYPE_CHECKING:  # the engine (chromadb, scipy) is imported when a command needs it
    from mentor.engine.engine import Engine

chroma_option = click.option("--chroma-url", help="Use a Chroma server (http://HOST:PORT) instead of "
                                                  "the store in the data directory.")
threads_option = click.option("--threads", type=click.IntRange(min=1),
                              help="Threads for a local model (default: the cores other processes leave "
                                   "free; at most half the physical cores while it writes).")


def counted(count: int, noun: str) -> str:
    """`count` with `noun` in the singular or the plural ("1 post", "2 posts"); `noun` is regular."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def home_and_settings(ctx: click.Context, **flags: object) -> tuple[Path, Settings]:
    home = resolve_home(ctx.obj["home"])
    return home, load_settings(home).with_flags(**flags)


def indexing_note() -> Callable[[int, int], None]:
    """An index-progress callback that says once, on stderr, how many posts are being indexed
    ("indexing 1,640 posts…"): embedding them takes minutes with the sentence model."""
    console = Console(stderr=True)
    state = {"shown": False}

    def progress(done: int, total: int) -> None:
        if not state["shown"]:
            console.print(f"indexing {counted(total, 'post')}…", markup=False, highlight=False)
            state["shown"] = True

    return progress


def open_engine(home: Path, settings: Settings, *, dense: bool = True) -> Engine:
    """The engine, saying on stderr when it has to (re)build the index first."""
    from mentor.engine.engine import Engine

    return Engine.open(home, settings, dense=dense, progress=indexing_note())
