"""What the commands share: settings from flags, opening the engine, keeping the index current."""

from __future__ import annotations

import atexit
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn

from mentor.config import Settings, load_settings
from mentor.home import resolve_home

if TYPE_CHECKING:  # the engine (chromadb, scipy) is imported when a command needs it
    from mentor.engine.engine import Engine

chroma_option = click.option("--chroma-url", help="Use a Chroma server (http://HOST:PORT) instead of "
                                                  "the store in the data directory.")
threads_option = click.option("--threads", type=click.IntRange(min=1),
                              help="Threads for a local model (default: the cores other processes leave "
                                   "free; at most half the physical cores while it writes).")

#: The exit status after Ctrl+C: 128 + SIGINT's number, as a shell reports a process it stopped.
INTERRUPTED = 130


def counted(count: int, noun: str) -> str:
    """`count` with `noun` in the singular or the plural ("1 post", "2 posts"); `noun` is regular."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def home_and_settings(ctx: click.Context, **flags: object) -> tuple[Path, Settings]:
    home = resolve_home(ctx.obj["home"])
    return home, load_settings(home).with_flags(**flags)


class IndexingNote:
    """An index-progress callback that says once, on stderr, how many posts are being indexed
    ("indexing 1,640 posts…"): embedding them takes minutes with the sentence model. On a
    terminal a progress bar (rich's) follows it with the posts embedded so far and the time
    taken; it is cleared when the index is done, by `stop` (before saying why the indexing
    ended early: Ctrl+C), or when the process ends first."""

    def __init__(self) -> None:
        self.console = Console(stderr=True)
        self.shown = False
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if not self.shown:
            self.console.print(f"indexing {counted(total, 'post')}…", markup=False, highlight=False)
            self.shown = True
            if self.console.is_terminal and total:
                self.bar = Progress(BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=self.console,
                                    transient=True, auto_refresh=False)  # no refresh thread: drawn per batch
                self.bar.start()
                atexit.register(self.bar.stop)  # an interrupted sync still gives the cursor back
                self.task = self.bar.add_task("embedding", total=total)
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, completed=done, refresh=True)
            if done >= total:
                self.stop()

    def stop(self) -> None:
        """Clear the progress bar, if it is shown (the line it is on too: a "^C" echoed there)."""
        if self.bar is not None:
            self.bar.stop()
            atexit.unregister(self.bar.stop)
            self.bar = None


def open_engine(home: Path, settings: Settings, *, dense: bool = True) -> Engine:
    """The engine, saying on stderr when it has to (re)build the index first."""
    from mentor.engine.engine import Engine

    return Engine.open(home, settings, dense=dense, progress=IndexingNote())
