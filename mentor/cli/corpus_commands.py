"""`mentor ingest`, `mentor add` and `mentor corpus list|show|remove`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from mentor.cli.common import INTERRUPTED, chroma_option, counted, home_and_settings, IndexingNote
from mentor.config import Settings
from mentor.engine.lock import writer_lock
from mentor.errors import MentorError
from mentor.home import resolve_home
from mentor.importers import FORMATS
from mentor.untrusted import dumps, printable

if TYPE_CHECKING:  # imported by the commands that use them (pydantic, yaml load with them)
    from mentor.corpus.ingest import IngestReport
    from mentor.corpus.library import Corpus

#: Show a progress bar from this many files on (and only on a terminal).
_PROGRESS_FROM = 20


def open_corpus(ctx: click.Context) -> Corpus:
    from mentor.corpus.library import Corpus

    return Corpus(resolve_home(ctx.obj["home"]))


def _print_json(data: object) -> None:
    click.echo(dumps(data, indent=2))


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "format_", type=click.Choice(FORMATS),
              help="Read every file in this format instead of detecting it (a file plainly in "
                   "another format is refused).")
@click.option("--skip-bad", is_flag=True, help="Import the good files and list the bad ones.")
@chroma_option
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], format_: str | None, skip_bad: bool,
           chroma_url: str | None) -> None:
    """Import thread files or folders of them into your corpus (and index them); `-` reads one
    from standard input."""
    from mentor.corpus.ingest import expand
    from mentor.corpus.ingest import ingest as run_ingest
    from mentor.corpus.library import Corpus

    home, settings = home_and_settings(ctx, chroma_url=chroma_url)
    corpus = Corpus(home)
    files = expand(paths).files  # a missing path is named before the lock is taken
    console = Console(stderr=True)
    show_bar = console.is_terminal and len(files) >= _PROGRESS_FROM
    try:
        with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), console=console,
                      transient=True, disable=not show_bar) as progress:
            task = progress.add_task("import", total=len(files))
            with writer_lock(home):
                report = run_ingest(corpus.store, paths, format=format_, skip_bad=skip_bad,
                                    on_file=lambda _path: progress.advance(task))
    except KeyboardInterrupt:  # the threads are stored in one transaction: none of them landed
        click.echo("mentor: interrupted: nothing was imported (the threads are stored together, after "
                   "every file is read); your corpus is as it was", err=True)
        ctx.exit(INTERRUPTED)
    _print_report(report)
    try:
        _refresh_index(home, settings)
    except KeyboardInterrupt:
        click.echo("mentor: interrupted while indexing: the threads above are stored; the search index "
                   "catches up with them at the next command that reads it (`mentor index` does it now)",
                   err=True)
        ctx.exit(INTERRUPTED)


def _refresh_index(home: Path, settings: Settings) -> None:
    from mentor.engine.index import sync_index

    report = sync_index(home, settings, progress=IndexingNote())
    if report.posts_embedded or report.threads_removed:
        click.echo(f"index: {counted(report.posts_embedded, 'post')} embedded with {report.embedder}, "
                   f"{counted(report.threads_removed, 'thread')} removed")


def _print_report(report: IngestReport) -> None:
    click.echo(f"threads: {len(report.added)} added, {len(report.updated)} updated, "
               f"{len(report.unchanged)} unchanged" +
               (f", {len(report.merged)} completed" if report.merged else "") +
               (f", {len(report.kept)} kept" if report.kept else "") +
               (f", {len(report.removed)} replaced" if report.removed else "") +
               f"; {counted(report.posts, 'post')} read" +
               (f", {report.left_out} left out (deleted, or no one's words)" if report.left_out else ""))

    def note(thread_id: str, whole: bool = False) -> str:
        """The part-of-a-thread note under a line; not under the line of a whole copy stored
        when a part of it came in the same run (`whole`): the part's own line has it. Then the
        posts the forum hid, and a plain-text file read as one post that may be several, if so."""
        if whole and (thread_id in report.kept or thread_id in report.merged):
            return ""
        part = f"\n           the file holds part of the thread: {report.notes[thread_id]}" \
            if thread_id in report.notes else ""
        return part + "".join(f"\n           {notes[thread_id]}" for notes in (report.hidden, report.read_as)
                              if thread_id in notes)

    if report.documentation:
        count = len(report.documentation)
        click.echo(printable(f"not imported: {counted(count, 'documentation file')} "
                             f"({', '.join(str(path) for path in report.documentation)}); "
                             "name a file directly to import it"))
    if report.other_files:
        from mentor.corpus.ingest import FOLDER_SUFFIXES

        count = len(report.other_files)
        click.echo(printable(f"not imported: {counted(count, 'file')} of another kind "
                             f"({', '.join(str(path) for path in report.other_files)}); a folder is read for its "
                             f"{', '.join(sorted(FOLDER_SUFFIXES))} files"))
    for path, first in report.same_as:
        click.echo(printable(f"one thread: {path} holds the same thread as {first}, which is stored once"))
    for thread_id in report.added:
        click.echo(printable(f"  added    {thread_id}{note(thread_id, whole=True)}"))
    for thread_id in report.updated:
        gone = report.dropped.get(thread_id)
        dropped = (f"\n           {counted(gone, 'post')} of the stored copy {'is' if gone == 1 else 'are'} not in "
                   "this file and no longer stored (an older save, or deleted since)") if gone else ""
        click.echo(printable(f"  updated  {thread_id}{note(thread_id, whole=True)}{dropped}"
                             f"{_copy_notes(report, thread_id)}"))
    for thread_id, files in report.saves.items():
        click.echo(printable(f"  one thread, {len(files)} saves: {', '.join(files)} hold the same thread "
                             f"{thread_id}; the last, {files[-1]}, is stored (import the save you want alone "
                             "to keep another)"))
    for thread_id, added in report.merged.items():
        click.echo(printable(f"  completed {thread_id}: {counted(added, 'post')} the stored copy "
                             f"lacked {'was' if added == 1 else 'were'} added; the rest of it is kept{note(thread_id)}"))
    for thread_id, posts in report.kept.items():
        if thread_id in report.lacked:  # a copy without post ids, shorter than the stored one
            click.echo(printable(f"  kept     {thread_id}: the stored copy already holds the file's "
                                 f"{counted(posts, 'post')}{_copy_notes(report, thread_id)}"))
            continue
        click.echo(printable(f"  kept     {thread_id}: the stored copy is fuller than the file's "
                             f"{counted(posts, 'post')}, which it already holds{note(thread_id)}"))
    if report.skipped:
        click.echo(f"skipped {counted(len(report.skipped), 'bad file')}:", err=True)
        for failure in report.skipped:
            click.echo(f"  {printable(str(failure))}", err=True)


def _copy_notes(report: IngestReport, thread_id: str) -> str:
    """The lines under a thread's line for a copy without post ids (plain text, Markdown): how
    many stored posts it lacked, kept, how many it holds in other words, stored so, and how many
    new ones it added."""
    lines = []
    if appended := report.appended.get(thread_id):
        lines.append(f"{counted(appended, 'new post')} added")
    if edited := report.edited.get(thread_id):
        lines.append(f"{counted(edited, 'post')} edited (other words at the same place): the file's words "
                     "are stored")
    if lacked := report.lacked.get(thread_id):
        lines.append(f"kept {counted(lacked, 'stored post')} this file lacks (a file without post ids may be "
                     f"a shorter copy; `mentor corpus remove {thread_id}` first to store the file alone)")
    return "".join(f"\n           {line}" for line in lines)


@click.command()
@click.argument("url")
@chroma_option
@click.pass_context
def add(ctx: click.Context, url: str, chroma_url: str | None) -> None:
    """Fetch a Discourse topic, a Reddit thread or a Hacker News story by URL and import it (uses the network)."""
    from mentor.corpus.fetch import fetch_thread
    from mentor.corpus.ingest import IngestReport, store_threads
    from mentor.corpus.library import Corpus

    thread = fetch_thread(url)
    home, settings = home_and_settings(ctx, chroma_url=chroma_url)
    corpus = Corpus(home)
    report = IngestReport()
    with writer_lock(home):
        store_threads(corpus.store, [thread], report)
    _print_report(report)
    _refresh_index(home, settings)


@click.group()
def corpus() -> None:
    """List, show and remove threads of your corpus."""


@corpus.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_context
def corpus_list(ctx: click.Context, as_json: bool) -> None:
    """Every thread: id, title, posts and source."""
    threads = open_corpus(ctx).threads()
    rows = [{"id": t.id, "title": t.title, "posts": len(t.posts), "source": t.source,
             "partial": t.coverage_note()} for t in threads]
    if as_json:
        _print_json(rows)
        return
    for row in rows:
        click.echo(printable(f"{row['id']}  ({counted(row['posts'], 'post')}, {row['source']})"
                             f"\n    {row['title']}"
                             + (f"\n    part of the thread: {row['partial']}" if row["partial"] else "")))
    click.echo(f"{counted(len(rows), 'thread')}, {counted(sum(r['posts'] for r in rows), 'post')}")


@corpus.command("show")
@click.argument("thread_id")
@click.option("--json", "as_json", is_flag=True, help="Print the thread as JSON.")
@click.pass_context
def corpus_show(ctx: click.Context, thread_id: str, as_json: bool) -> None:
    """One thread with all its posts."""
    thread = open_corpus(ctx).get(thread_id)
    if thread is None:
        raise MentorError(f"no thread '{thread_id}' (see 'mentor corpus list')")
    if as_json:
        _print_json({"id": thread.id, "title": thread.title, "url": thread.url, "source": thread.source,
                     "partial": thread.coverage_note(),
                     "coverage": thread.coverage.to_dict() if thread.coverage else None,
                     "hidden": list(thread.hidden),
                     "posts": [{"index": p.index, "author": p.author, "text": p.text, "likes": p.likes,
                                "reply_to": p.reply_to, "citable": p.citable} for p in thread.posts]})
        return
    click.echo(printable(thread.title))  # posts are shown as text: no escape reaches the terminal
    click.echo(printable(f"{thread.id} · {thread.source}" + (f" · {thread.url}" if thread.url else "")))
    if note := thread.coverage_note():
        click.echo(printable(f"part of the thread: {note}"))
    if note := thread.hidden_note():
        click.echo(printable(note))
    for post in thread.posts:
        meta = [f"#{post.index}", f"@{post.author}" if post.author else "(unknown author)"]
        if post.reply_to:
            meta.append(f"replying to #{post.reply_to}" + (
                "" if thread.find(post.reply_to) else " (hidden by the forum)" if post.reply_to in thread.hidden
                else " (deleted or no one's words: left out)"
                if thread.coverage and post.reply_to in thread.coverage.left_out else " (not in this copy)"))
        if post.likes:
            meta.append(f"{post.likes} like{'s' if post.likes != 1 else ''}")
        if not post.citable:
            meta.append("no words of its own: not cited")
        click.echo("\n" + printable(" · ".join(meta)))
        click.echo(printable(post.text))


@corpus.command("remove")
@click.argument("thread_id")
@chroma_option
@click.pass_context
def corpus_remove(ctx: click.Context, thread_id: str, chroma_url: str | None) -> None:
    """Remove one of your ingested threads."""
    from mentor.corpus.library import Corpus

    home, settings = home_and_settings(ctx, chroma_url=chroma_url)
    library = Corpus(home)
    with writer_lock(home), library.store.transaction():
        removed = library.store.remove(thread_id)
    if not removed:
        if library.is_bundled(thread_id):
            raise MentorError(f"'{thread_id}' is part of the bundled starter corpus and cannot be removed")
        raise MentorError(f"no thread '{thread_id}' (see 'mentor corpus list')")
    click.echo(f"removed {thread_id}")
    _refresh_index(home, settings)
