"""`mentor history list | export ID | delete ID`: the saved conversations."""

from __future__ import annotations

import time
from textwrap import shorten

import click

from mentor.cli.common import home_and_settings
from mentor.untrusted import dumps, printable


def _store(ctx: click.Context):  # noqa: ANN202 (HistoryStore, imported lazily)
    from mentor.history.store import HistoryStore

    home, _ = home_and_settings(ctx)
    return HistoryStore(home)


@click.group()
def history() -> None:
    """Saved conversations (kept only in the data directory)."""


@history.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_context
def history_list(ctx: click.Context, as_json: bool) -> None:
    """Every saved conversation, newest first."""
    sessions = _store(ctx).sessions()
    if as_json:
        click.echo(dumps([{"id": s.id, "title": s.title, "turns": s.turns, "created": s.created,
                           "updated": s.updated} for s in sessions], indent=2))
        return
    id_width = max((len(str(s.id)) for s in sessions), default=1)
    turns_width = max((len(str(s.turns)) for s in sessions), default=1)
    for s in sessions:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(s.updated))
        turns = f"{s.turns:>{turns_width}} turn{'' if s.turns == 1 else 's'}"
        line = f"{s.id:>{id_width}}  {when}  {turns:<{turns_width + 6}}  {shorten(printable(s.title), 70, placeholder='…')}"
        if s.turns > 1:
            line += f"  (last: {shorten(printable(s.last_question), 50, placeholder='…')})"
        click.echo(line)
    if not sessions:
        click.echo("no saved conversations")


@history.command("export")
@click.argument("session_id", type=int)
@click.pass_context
def history_export(ctx: click.Context, session_id: int) -> None:
    """Print a conversation as Markdown."""
    from mentor.history.store import export_markdown

    store = _store(ctx)
    click.echo(printable(export_markdown(store.resume(session_id), store.title(session_id))))


@history.command("delete")
@click.argument("session_id", type=int)
@click.pass_context
def history_delete(ctx: click.Context, session_id: int) -> None:
    """Delete a conversation."""
    _store(ctx).delete(session_id)
    click.echo(f"deleted conversation {session_id}")
