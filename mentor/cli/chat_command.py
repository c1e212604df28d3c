"""`mentor chat` (and plain `mentor`, which takes the same options): the Textual app."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from mentor.cli.common import chroma_option, home_and_settings, threads_option

F = TypeVar("F", bound=Callable[..., object])

#: The chat's options, in the order `--help` lists them: (flag, parameter, help, is a flag).
_OPTIONS = (
    ("--model", "model", "A GGUF chat model to write the answers (default: the first found).", False),
    ("--llm-url", "llm_url", "An OpenAI-compatible server to write the answers (http://HOST:PORT/v1).", False),
    ("--no-model", "no_model", "Quote the posts; do not load a model.", True),
    ("--no-history", "no_history", "Keep nothing of this conversation on disk.", True),
)
#: The parameters `chat_options` adds (with `threads` and `chroma_url`).
CHAT_PARAMETERS = tuple(name for _, name, _, _ in _OPTIONS) + ("threads", "chroma_url")


def chat_options(command: F) -> F:
    """The chat's options on `command`: on `mentor chat`, and on `mentor` itself, which opens the
    chat when no command is given (`mentor --model PATH`)."""
    for flag, name, text, is_flag in reversed(_OPTIONS):
        command = click.option(flag, name, is_flag=is_flag, default=None if not is_flag else False,
                               help=text)(command)
    return threads_option(chroma_option(command))


@click.command()
@chat_options
@click.pass_context
def chat(ctx: click.Context, model: str | None, llm_url: str | None, no_model: bool, no_history: bool,
         threads: int | None, chroma_url: str | None) -> None:
    """Open the chat (the default when mentor runs with no command)."""
    from mentor.tui.app import MentorApp

    home, settings = home_and_settings(ctx, model=model, llm_url=llm_url, chroma_url=chroma_url,
                                       threads=threads)
    app = MentorApp(home, settings, history=not no_history, use_model=not no_model)
    app.run()
    if app.return_code:
        ctx.exit(app.return_code)
