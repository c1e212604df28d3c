"""`mentor models` (what models mentor can find) and `mentor models pull NAME`."""

from __future__ import annotations

import json

import click

from mentor.cli.common import home_and_settings


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.option("--model", help="A GGUF chat model to consider first.")
@click.pass_context
def models(ctx: click.Context, as_json: bool, model: str | None) -> None:
    """List the GGUF models mentor can find, and which one it uses."""
    if ctx.invoked_subcommand is not None:
        return
    from mentor.llm.discovery import choose_model, describe_size, find_models

    _, settings = home_and_settings(ctx, model=model)
    found = find_models(settings.model)
    chosen, problems = choose_model(settings.model)
    if as_json:
        click.echo(json.dumps([{**info.to_json(), "used": chosen is not None and info.path == chosen.path}
                               for info in found], indent=2))
        return
    if not found:
        click.echo("No GGUF models found. `mentor models pull qwen2.5-0.5b` downloads a small one; "
                   "or put a .gguf chat model in models/, or pass --model PATH.")
    for info in found:
        mark = "*" if chosen is not None and info.path == chosen.path else " "
        detail = info.problem() or ", ".join(filter(None, [
            describe_size(info.size), info.quantization,
            f"context {info.context_length}" if info.context_length else None, "chat template"]))
        if info.only_when_chosen and not info.problem():
            detail += ("\n    SmolLM2-135M, a smoke test of mentor's machinery rather than a mentor: used only "
                       "when chosen (--model PATH, or Ctrl+P → Switch model in the chat)")
        click.echo(f"{mark} {info.path}  [{info.origin}]\n    {detail}")
    for problem in problems:
        click.echo(f"mentor: {problem}", err=True)
    if chosen:
        click.echo("(* = used)")
    elif problems:  # the model chosen (--model, $MENTOR_MODEL, the config) cannot be used, as said
        click.echo("The model chosen cannot be used: answers quote the posts.")
    elif any(info.usable for info in found):
        click.echo("None is used unless you choose it (--model PATH): answers quote the posts.")
    elif found:
        click.echo("None of these can be used: answers quote the posts.")


@models.command()
@click.argument("name", required=False)
def pull(name: str | None) -> None:
    """Download a small instruct model (no NAME: list the choices)."""
    from mentor.llm.pull import CATALOG
    from mentor.llm.pull import pull as run_pull

    if name is None:
        for entry in CATALOG.values():
            click.echo(f"{entry.name:14} {entry.size_note:13} {entry.note}\n{'':14} {entry.repo}/{entry.filename}")
        return
    path = run_pull(name)
    click.echo(f"ready: {path}\nmentor uses it from now on (see `mentor models`).")
