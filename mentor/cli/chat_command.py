"""`mentor chat` (and plain `mentor`): the Textual app."""

from __future__ import annotations

import click

from mentor.cli.common import chroma_option, home_and_settings, threads_option


@click.command()
@click.option("--model", help="A GGUF chat model to write the answers (default: the first found).")
@click.option("--llm-url", help="An OpenAI-compatible server to write the answers (http://HOST:PORT/v1).")
@click.option("--no-model", is_flag=True, help="Quote the posts; do not load a model.")
@click.option("--no-history", is_flag=True, help="Keep nothing of this conversation on disk.")
@threads_option
@chroma_option
@click.pass_context
def chat(ctx: click.Context, model: str | None, llm_url: str | None, no_model: bool, no_history: bool,
         threads: int | None, chroma_url: str | None) -> None:
    """Open the chat (the default when mentor runs with no command)."""
    from mentor.tui.app import MentorApp

    home, settings = home_and_settings(ctx, model=model, llm_url=llm_url, chroma_url=chroma_url,
                                       threads=threads)
    MentorApp(home, settings, history=not no_history, use_model=not no_model).run()
