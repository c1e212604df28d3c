"""`mentor ask`, `mentor eval` and `mentor index`: thin shells over the engine."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from mentor.cli.common import NO_MODEL_HINT, chroma_option, home_and_settings, open_engine, sync_index
from mentor.errors import MentorError

if TYPE_CHECKING:  # the engine (chromadb, scipy) is imported when a command needs it
    from mentor.engine.conversation import Conversation
    from mentor.engine.engine import Engine


@click.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per answer.")
@chroma_option
@click.pass_context
def ask(ctx: click.Context, question: str | None, as_json: bool, chroma_url: str | None) -> None:
    """Ask mentor about a career worry. With no QUESTION, read questions line by line from
    standard input as one conversation."""
    from mentor.engine.conversation import Conversation

    home, settings = home_and_settings(ctx, chroma_url=chroma_url)
    engine = open_engine(home, settings)
    conversation = Conversation()
    click.echo(NO_MODEL_HINT, err=True)
    if question is not None:
        _answer(engine, conversation, question, as_json)
        return
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            click.echo("you> ", nl=False, err=True)
        line = sys.stdin.readline()
        if not line:
            break
        if not line.strip():
            continue
        try:
            _answer(engine, conversation, line.strip(), as_json)
        except MentorError as exc:
            click.echo(f"mentor: {exc}", err=True)


def _answer(engine: Engine, conversation: Conversation, question: str, as_json: bool) -> None:
    from mentor.engine.events import AnswerDone, Notice, Token
    from mentor.engine.extractive import render_sources

    for event in engine.ask(conversation, question):
        if isinstance(event, Notice):
            click.echo(event.text, err=True)
        elif isinstance(event, Token) and not as_json:
            click.echo(event.text, nl=False)
        elif isinstance(event, AnswerDone):
            answer = event.answer
            if as_json:
                click.echo(json.dumps(answer.to_json(), ensure_ascii=False))
            else:
                sources = render_sources(answer.evidence, answer.cited)
                click.echo(f"\nSources\n{sources}\n" if sources else "")
            sys.stdout.flush()


@click.command("eval")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@chroma_option
@click.pass_context
def eval_command(ctx: click.Context, as_json: bool, chroma_url: str | None) -> None:
    """Measure the engine on the starter corpus's labelled questions, beside BM25 alone."""
    from mentor.eval.metrics import TARGETS, run_eval

    home, settings = home_and_settings(ctx, chroma_url=chroma_url)
    open_engine(home, settings)  # build the index before anything is timed
    hybrid, baseline = run_eval(home, settings)
    rows = {run.name: run.summary() for run in (hybrid, baseline)}
    if as_json:
        click.echo(json.dumps({"runs": rows, "targets": TARGETS,
                               "misses": {run.name: run.misses for run in (hybrid, baseline)}},
                              indent=2))
        return
    names = list(rows)
    click.echo(f"| metric | target | {' | '.join(names)} |")
    click.echo("| --- | --- |" + " --- |" * len(names))
    for key in ("hit_at_5", "both_sides", "purity", "citation_validity"):
        cells = " | ".join(f"{rows[n][key]:.1%}" for n in names)
        click.echo(f"| {key.replace('_', ' ')} | ≥ {TARGETS[key]:.0%} | {cells} |")
    for key in ("latency_p50_ms", "latency_p95_ms"):
        cells = " | ".join(f"{rows[n][key]:.1f} ms" for n in names)
        click.echo(f"| {key[:-3].replace('_', ' ')} | | {cells} |")
    click.echo(f"\n{rows[names[0]]['questions']} labelled questions, "
               f"{len(hybrid.misses)} without their thread in the top 5.")


@click.command()
@click.option("--rebuild", is_flag=True, help="Refit the embedder and re-embed every post.")
@chroma_option
@click.pass_context
def index(ctx: click.Context, rebuild: bool, chroma_url: str | None) -> None:
    """Bring the search index up to date with the corpus (ingest does this too)."""
    home, settings = home_and_settings(ctx, chroma_url=chroma_url)
    report = sync_index(home, settings, rebuild=rebuild)
    click.echo(f"index: {report.threads_embedded} threads ({report.posts_embedded} posts) embedded, "
               f"{report.threads_removed} removed" + (", rebuilt" if report.rebuilt else ""))
