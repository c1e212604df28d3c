"""`mentor ask`, `mentor eval` and `mentor index`: thin shells over the engine."""

from __future__ import annotations

import json
import os
import select
import sys
from collections import deque
from typing import TYPE_CHECKING, BinaryIO

import click

from mentor.cli.common import (
    INTERRUPTED, chroma_option, counted, home_and_settings, IndexingNote, open_engine, threads_option)
from mentor.errors import MentorError
from mentor.untrusted import dumps, printable

if TYPE_CHECKING:  # the engine (chromadb, scipy) is imported when a command needs it
    from mentor.engine.conversation import Conversation
    from mentor.engine.engine import Engine
    from mentor.llm.chat_model import ChatModel


NO_QUESTION = "no question on standard input: write one worry or question per line"


@click.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per answer.")
@click.option("--model", help="A GGUF chat model to write the answers (default: the first found).")
@click.option("--llm-url", help="An OpenAI-compatible server to write the answers (http://HOST:PORT/v1).")
@click.option("--no-model", is_flag=True, help="Quote the posts; do not load a model.")
@threads_option
@chroma_option
@click.pass_context
def ask(ctx: click.Context, question: str | None, as_json: bool, model: str | None, llm_url: str | None,
        no_model: bool, threads: int | None, chroma_url: str | None) -> None:
    """Ask mentor about a career worry. With no QUESTION (or `-`, as `mentor ingest -` reads a
    file), read questions line by line from standard input as one conversation. Ctrl+C stops an
    answer being written, and at the `you> ` prompt ends the conversation (exit status 130)."""
    from mentor.engine.conversation import Conversation
    from mentor.llm.select import HOW_TO_ADD, ModelChoice, open_model

    if question == "-":  # standard input, as for `mentor ingest -`: not a question of one dash
        question = None
    if question is not None:
        question = _utf8(_arg_bytes(question), "the question")
        if not question.strip():  # say so before loading anything
            raise MentorError("the question is empty: type a worry or a question")
    interactive = sys.stdin.isatty()
    lines = _Lines(getattr(sys.stdin, "buffer", None))  # bytes: a line that is not UTF-8 is still read
    if question is None and not interactive and not lines.question_waiting() and lines.ended:
        # Standard input ended with no question (an empty file, `< /dev/null`, blank lines): say
        # so before loading anything; the first run indexed the whole corpus, minutes with the
        # sentence model, and loaded the model first.
        raise MentorError(NO_QUESTION)
    home, settings = home_and_settings(ctx, chroma_url=chroma_url, model=model, llm_url=llm_url,
                                       threads=threads)
    try:
        engine = open_engine(home, settings)
        choice = ModelChoice(None) if no_model else open_model(settings)
    except KeyboardInterrupt:  # click's "Aborted!" (exit 1) said nothing of what was left
        click.echo("\nmentor: interrupted before any question was asked; nothing is lost (an index being "
                   "built goes on from the posts embedded, at the next run)", err=True)
        ctx.exit(INTERRUPTED)
    for problem in choice.problems:
        click.echo(f"mentor: {printable(str(problem))}", err=True)
    if choice.model is None and not no_model:
        # A model asked for (--model, $MENTOR_MODEL, the config, --llm-url) failed, as said above:
        # no advice to name one, which the person just did.
        advice = "" if choice.problems else f" {HOW_TO_ADD}"
        click.echo(f"No chat model is in use, so mentor answers by quoting the posts.{advice}", err=True)
    conversation = Conversation()
    if question is not None:
        _answer(engine, conversation, question, as_json, choice.model)
        return
    number = asked = 0
    while True:
        typed_ahead = False
        try:
            if interactive:
                # A line typed before `you> ` was shown (while mentor loaded, or while the last
                # answer was written) was echoed above it, and the answer would follow `you> ` on
                # its line as if the person had written it: the line is shown after `you> `.
                lines.question_waiting()
                typed_ahead = lines.has_line()
                click.echo("you> ", nl=False, err=True)
            raw = lines.readline()
        except KeyboardInterrupt:  # Ctrl+C at `you> `: the conversation ends, as a shell's would
            click.echo("", err=True)  # after the terminal's "^C", not "Aborted!"
            sys.exit(130)
        if not raw:
            if interactive:  # Ctrl+D at `you> `: the shell's prompt starts a line of its own
                click.echo("", err=True)
            break
        number += 1
        line = _utf8(raw, f"line {number} of standard input")
        if typed_ahead:
            click.echo(printable(line.strip()), err=True)
        if not line.strip():
            continue
        asked += 1
        # Piped questions are not echoed as a terminal echoes them: with several, each answer
        # follows its question as `you> QUESTION`, so the output reads as a transcript (a single
        # question's output is its answer alone; --json names the question in each object).
        if not interactive and not as_json and (asked > 1 or lines.question_waiting()):
            click.echo(f"you> {printable(line.strip())}")
        try:
            _answer(engine, conversation, line.strip(), as_json, choice.model)
        except MentorError as exc:
            click.echo(f"mentor: {printable(str(exc))}", err=True)
    if not asked and not interactive:
        raise MentorError(NO_QUESTION)


class _Lines:
    """Standard input's lines as bytes, with a look ahead that never waits: a program that writes
    a question and waits for its answer before the next is not kept waiting for it."""

    def __init__(self, stream: BinaryIO | None) -> None:
        """`stream`: standard input's bytes (None: it has only text, read as UTF-8)."""
        self.stream = stream
        self.fd = _fileno(stream)
        self.lines: deque[bytes] = deque()  # read whole, not yet returned
        self.partial: list[bytes] = []  # the start of the line being read
        self.ended = False

    def readline(self) -> bytes:
        """The next line with its newline (the last one may have none); b"" at the end."""
        while not self.lines and not self.ended:
            self._read()
        return self.lines.popleft() if self.lines else b""

    def question_waiting(self) -> bool:
        """Whether a line that is not blank has come already, read without waiting for one."""
        while not any(line.strip() for line in self.lines) and not self.ended and self._ready():
            self._read()
        return any(line.strip() for line in self.lines)

    def has_line(self) -> bool:
        """Whether a whole line has been read and not yet returned."""
        return bool(self.lines)

    def _ready(self) -> bool:
        """Whether reading now returns at once (a stream in memory, a file, or a pipe with data)."""
        return self.fd is None or bool(select.select([self.fd], [], [], 0)[0])

    def _read(self) -> None:
        if self.fd is not None:
            if not _readable_or_signalled(self.fd):
                return  # a signal came: its handler runs (Ctrl+C: KeyboardInterrupt) before the next read
            chunk = os.read(self.fd, 65536)
        elif self.stream is not None:
            chunk = self.stream.read(65536)
        else:
            chunk = sys.stdin.readline().encode("utf-8", "surrogateescape")
        *whole, rest = chunk.split(b"\n")
        for piece in whole:
            self.lines.append(b"".join([*self.partial, piece, b"\n"]))
            self.partial = []
        self.partial.append(rest)
        self.ended = not chunk
        if self.ended and any(self.partial):  # the last line, without its newline
            self.lines.append(b"".join(self.partial))
            self.partial = []


def _readable_or_signalled(fd: int) -> bool:
    """Wait until `fd` can be read (True) or a signal arrives (False). The kernel hands a Ctrl+C's
    SIGINT to any thread of the process that does not block it, chromadb's native threads among
    them; Python then runs its handler in the main thread, but only once that thread runs Python
    code again, and a `read()` it is blocked in goes on waiting. Seen: `mentor ask` left waiting
    at `you> ` after Ctrl+C, now and then (one CI run in many). The signal's wakeup fd ends the wait
    whichever thread took it. Outside the main thread (no wakeup fd there) it waits on `fd` alone."""
    import signal
    import socket
    import threading

    if threading.current_thread() is not threading.main_thread():
        select.select([fd], [], [])
        return True
    receiver, sender = socket.socketpair()
    with receiver, sender:
        sender.setblocking(False)
        previous = signal.set_wakeup_fd(sender.fileno(), warn_on_full_buffer=False)
        try:
            ready = select.select([fd, receiver], [], [])[0]
        finally:
            signal.set_wakeup_fd(previous)
    return fd in ready


def _fileno(stream: BinaryIO | None) -> int | None:
    """`stream`'s file descriptor, for `select` (None for a stream in memory)."""
    try:
        return stream.fileno() if stream is not None else None
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is an OSError
        return None


def _arg_bytes(text: str) -> bytes:
    """The bytes of a command-line argument (Python keeps the bytes that are not UTF-8 as surrogates)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _utf8(data: bytes, what: str) -> str:
    """`data` as text; bytes that are not UTF-8 become �, and stderr says where the first was."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        click.echo(f"mentor: {what} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                   "each byte that is not UTF-8 is read as �", err=True)
        return data.decode("utf-8", "replace")


def _answer(engine: Engine, conversation: Conversation, question: str, as_json: bool,
            model: ChatModel | None) -> None:
    """One turn on stdout: streamed as it is written when stdout is a terminal (a model's answer
    that fails its check stays there, and the note and the quoted posts follow it); otherwise
    the final answer alone, once it is done (in place of a failed one: the note and the posts),
    or with `as_json` its JSON object. Ctrl+C while a model writes it stops the answer there; a
    second Ctrl+C, or the first without a model (nothing to stop: the posts are quoted at once),
    ends mentor with exit status 130."""
    import signal
    import threading

    from mentor.engine.cite import unescape_markdown
    from mentor.engine.events import STOPPED, AnswerDone, Notice, SetAside, Token
    from mentor.engine.extractive import render_sources

    cancel = threading.Event()

    def on_interrupt(signum: int, frame: object) -> None:
        if cancel.is_set() or model is None:
            raise KeyboardInterrupt
        cancel.set()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    streaming = not as_json and sys.stdout.isatty()
    mid_line = False  # the answer's text so far does not end a line: a note must start a new one
    try:
        for event in engine.ask(conversation, question, model=model, cancel=cancel):
            if isinstance(event, Notice):
                click.echo(f"{chr(10) if mid_line else ''}mentor: {printable(event.text)}", err=True)
            elif isinstance(event, Token) and streaming:  # posts and models can hold escapes
                shown = printable(unescape_markdown(event.text))  # text, not Markdown source
                click.echo(shown, nl=False)
                mid_line = not shown.endswith("\n") if shown else mid_line
                sys.stdout.flush()
            elif isinstance(event, SetAside) and streaming:  # the note and the posts start a paragraph
                click.echo("\n" if mid_line else "")
                mid_line = False
            elif isinstance(event, AnswerDone):
                answer = event.answer
                if as_json:
                    click.echo(dumps(answer.to_json()))
                else:
                    if not streaming:
                        click.echo(printable(unescape_markdown(answer.text)), nl=False)
                    if answer.cancelled:
                        click.echo(f"\n[{STOPPED}]")
                    earlier = {source.n for turn in conversation.turns if turn.answer is not None
                               and turn.answer is not answer for source in turn.answer.sources}
                    sources = render_sources(answer.sources, answer.cited, earlier)
                    click.echo(f"\n\nSources\n{printable(sources)}\n" if sources else "\n")
                    if answer.evidence.follow_ups:
                        asks = "\n".join(f"- {question}" for question in answer.evidence.follow_ups)
                        click.echo(f"You might also ask\n{printable(asks)}\n")
                sys.stdout.flush()  # the answer ends before the note on stderr starts
                if answer.prompt_tokens is not None:
                    cached = " (the earlier turns came from its cache)" if len(conversation.turns) > 1 else ""
                    click.echo(f"mentor: the model evaluated {counted(answer.prompt_tokens, 'prompt token')} "
                               f"for this answer{cached}", err=True)
    except KeyboardInterrupt:  # click's "Aborted!" (exit 1) said nothing of what happened
        click.echo(f"{chr(10) if mid_line else ''}mentor: interrupted; this answer was not finished", err=True)
        sys.exit(INTERRUPTED)
    finally:
        signal.signal(signal.SIGINT, previous)


@click.command("eval")
@click.option("--threads", "threads_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="A folder of labelled thread files (with --labels; may be repeated, in pairs).")
@click.option("--labels", "labels_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="The labels of the threads in --threads (a labels.json; see mentor/eval/labels.py).")
@click.option("--questions", "questions_file", type=click.Path(exists=True, dir_okay=False),
              help="Ask these questions instead of the labels' own (a JSON file: thread file name -> "
                   "questions; see mentor/eval/labels.py): the figures on words the engine was not tuned on.")
@click.option("--conversations", is_flag=True,
              help="Measure follow-ups on the labelled conversations instead (topic kept or changed, "
                   "kind of answer, options, what the person said).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures, per question too, as one JSON object.")
@chroma_option
@click.pass_context
def eval_command(ctx: click.Context, threads_dirs: tuple[str, ...], labels_files: tuple[str, ...],
                 questions_file: str | None, conversations: bool, as_json: bool, chroma_url: str | None) -> None:
    """Measure the engine on labelled questions, beside BM25 alone: the starter corpus's, or a
    labelled set of thread files (ingested into a temporary data directory beside the bundled
    corpus; your own corpus is not touched); or follow-ups on the labelled conversations. The
    starter questions and the conversations are asked of the starter corpus alone: threads you
    added are left out (a temporary data directory)."""
    from pathlib import Path

    from mentor.eval.labelled_set import labelled_home, starter_home
    from mentor.eval.labels import load_questions
    from mentor.eval.metrics import SET_TARGETS, TARGETS, run_eval
    from mentor.eval.report import render

    if len(threads_dirs) != len(labels_files):
        raise click.UsageError("give --threads and --labels in pairs (one labels file per folder)")
    if questions_file and not threads_dirs:
        raise click.UsageError("--questions asks other questions of a labelled set: give it with --threads and --labels")
    home, settings = home_and_settings(ctx, chroma_url=chroma_url)
    if conversations:
        with starter_home(home, settings) as (measured, left_out):
            _left_out_note(left_out)
            _conversation_report(open_engine(measured, settings), as_json)
        return
    if threads_dirs:
        sets = [(Path(t), Path(f)) for t, f in zip(threads_dirs, labels_files)]
        questions = load_questions(Path(questions_file)) if questions_file else None
        with labelled_home(sets, settings, questions) as (eval_home, labels):
            hybrid, baseline = run_eval(eval_home, settings, labels)
        targets = SET_TARGETS
    else:
        with starter_home(home, settings) as (measured, left_out):
            _left_out_note(left_out)
            open_engine(measured, settings)  # build the index before anything is timed
            hybrid, baseline = run_eval(measured, settings)
        targets = TARGETS
    runs = (hybrid, baseline)
    rows = {run.name: run.summary() for run in runs}
    if as_json:
        click.echo(dumps({"runs": rows, "targets": targets, "embedder": hybrid.embedder,
                          "questions": {run.name: run.per_question() for run in runs},
                          "misses": {run.name: run.misses for run in runs}}, indent=2))
        return
    click.echo(f"dense ranking embedded with {hybrid.embedder}")
    click.echo(render(rows, targets, hybrid.results))


def _left_out_note(left_out: int) -> None:
    """Tell (on stderr) that the starter figures leave out the `left_out` threads the user added."""
    if left_out:
        click.echo(f"measuring the starter corpus alone, in a temporary data directory: the "
                   f"{counted(left_out, 'thread')} you added {'are' if left_out != 1 else 'is'} "
                   "left out (its index is built first: a minute or more)", err=True)


def _conversation_report(engine: Engine, as_json: bool) -> None:
    """`mentor eval --conversations`: the follow-up figures, for all conversations and the held-out ones."""
    from mentor.eval.conversations import TOPIC_FLOOR, run_conversation_eval

    runs = run_conversation_eval(engine)
    rows = {run.name: run.summary() for run in runs}
    if as_json:
        click.echo(json.dumps({"runs": rows, "floor": {"follow_up_topic": TOPIC_FLOOR},
                               "misses": {run.name: run.misses for run in runs}}, indent=2))
        return
    names = list(rows)
    click.echo(f"| metric | {' | '.join(names)} |")
    click.echo("| --- |" + " --- |" * len(names))
    for key in ("follow_up_topic", "first_turn_topic", "follow_up_kind", "options_addressed", "situation_facts"):
        click.echo(f"| {key.replace('_', ' ')} | " + " | ".join(f"{rows[n][key]:.1%}" for n in names) + " |")
    click.echo(f"\n{rows[names[0]]['conversations']} labelled conversations, {rows[names[0]]['follow_ups']} "
               f"follow-ups; follow-up topic floor {TOPIC_FLOOR:.0%}.")
    for miss in runs[0].misses:
        click.echo(f"  miss: {printable(miss)}")


@click.command()
@click.option("--rebuild", is_flag=True, help="Refit the embedder and re-embed every post.")
@chroma_option
@click.pass_context
def index(ctx: click.Context, rebuild: bool, chroma_url: str | None) -> None:
    """Bring the search index up to date with the corpus (ingest does this too). Ctrl+C keeps
    the threads embedded so far: the next command that reads the index embeds only the rest."""
    home, settings = home_and_settings(ctx, chroma_url=chroma_url)
    from mentor.engine.index import sync_index

    note = IndexingNote()  # "indexing N posts…", and on a terminal ask's progress bar
    try:
        report = sync_index(home, settings, rebuild=rebuild, progress=note)
    except KeyboardInterrupt:  # click's "Aborted!" (exit 1) said nothing of what was kept
        note.stop()  # the bar's line, "^C" on it, gives way to what is said
        # Each batch of posts is stored with the threads it completes (`PostIndex.sync`), and a
        # sync without --rebuild embeds only the threads not stored yet.
        if note.shown:
            said = ("the threads embedded so far are kept, and the next command that reads the index "
                    "(`mentor index`, `mentor ask`, the chat) embeds only the rest"
                    + (" (`mentor index --rebuild` would start again)" if rebuild else ""))
        elif rebuild:
            said = "no post was embedded yet; nothing is lost (`mentor index --rebuild` starts the rebuild again)"
        else:
            said = "no post was embedded yet; nothing is lost: the index catches up at the next command that reads it"
        click.echo(f"mentor: interrupted while indexing: {said}", err=True)
        ctx.exit(INTERRUPTED)
    click.echo(f"index: {counted(report.threads_embedded, 'thread')} ({counted(report.posts_embedded, 'post')}) "
               f"embedded with {report.embedder}, {report.threads_removed} removed"
               + (", rebuilt" if report.rebuilt else ""))
