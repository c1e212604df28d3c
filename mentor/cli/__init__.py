"""The `mentor` command line: thin commands over the corpus and the engine."""

from __future__ import annotations

import os
import sqlite3
import sys
from typing import NoReturn

import click

from mentor import __version__
from mentor.cli.ask_commands import ask, eval_command, index
from mentor.cli.chat_command import CHAT_PARAMETERS, chat, chat_options
from mentor.cli.corpus_commands import add, corpus, ingest
from mentor.cli.history_commands import history
from mentor.cli.model_commands import models
from mentor.errors import MentorError
from mentor.untrusted import printable


class _Group(click.Group):
    """Shows MentorError, and what the system refused (a file that cannot be written, a full
    disk), as one clear line (no traceback) and exits 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except MentorError as exc:
            _fail(str(exc))
        except BrokenPipeError:  # the reader left (`mentor ask ... | head`): nothing to say, nowhere to say it
            _end_as_the_pipe_ended()
        except OSError as exc:
            _fail(f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc))
        except sqlite3.OperationalError as exc:  # "database or disk is full", "attempt to write a readonly database"
            _fail(f"a database in the data directory: {exc}")


def _end_as_the_pipe_ended() -> NoReturn:
    """End as `cat` or `grep` end when the reader of their output leaves: by SIGPIPE, quietly
    (status 141 in a shell, which `set -o pipefail` scripts expect of a reader leaving early).
    It had exited 1, as if something had failed (a trial user's, 2026-11-30)."""
    import signal

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error if the signal is not there
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGPIPE)
    sys.exit(1)


def _fail(message: str) -> NoReturn:
    click.echo(f"mentor: {printable(message)}", err=True)  # may quote a file's bytes
    sys.exit(1)


@click.group(cls=_Group, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
# A path only: `resolve_home` says in one line what is wrong with it, whether it came from --home
# or $MENTOR_HOME (click's own checks answered a file or an unreadable folder from $MENTOR_HOME
# with a usage error naming '--home').
@click.option("--home", type=click.Path(readable=False), envvar="MENTOR_HOME",
              help="Data directory (default: $MENTOR_HOME, else the platform's user data folder).")
@chat_options
@click.version_option(__version__, prog_name="mentor")
@click.pass_context
def main(ctx: click.Context, home: str | None, **chat_flags: object) -> None:
    """mentor: a private career mentor for product managers, in your terminal.

    With no command it opens the chat, and takes the chat's options (`mentor --model PATH`)."""
    ctx.obj = {"home": home}
    if ctx.invoked_subcommand is None:
        ctx.invoke(chat, **chat_flags)
        return
    given = ["--" + name.replace("_", "-") for name in CHAT_PARAMETERS if chat_flags[name]]
    if given:
        raise click.UsageError(f"{', '.join(given)} before a command is a chat option: give the command's "
                               f"own options after its name (mentor {ctx.invoked_subcommand} {given[0]} ...)")


main.add_command(chat)
main.add_command(ingest)
main.add_command(corpus)
main.add_command(add)
main.add_command(ask)
main.add_command(eval_command)
main.add_command(index)
main.add_command(models)
main.add_command(history)
