"""Kill mentor with SIGKILL in the middle of its work and check what it leaves behind.

    python scripts/durability.py [--rounds N] [--seed S] [--model GGUF]

Scenarios, each repeated N times on a fresh copy of a prepared data directory:

- ingest (incremental): `mentor ingest` of a folder of generated threads, killed at a random
  moment. The corpus must hold the old threads exactly or old and new completely, the writer
  lock must be free, what the index manifest claims must be in the index, `mentor ask` must
  work, and after that next open the index must hold every post, each found by its own embedding.
- ingest (refit): the same with a batch big enough that the embedder is refitted and the whole
  collection rebuilt (the riskiest moment: the old collection is gone).
- chat: the chat (the Textual app, headless, in a child process, history on) asks question after
  question and is killed at a random moment. history.sqlite must open, pass its integrity check
  and hold every turn that had completed, in order; at most the turn in flight may be missing.

Each round ends as one of: intact (nothing was lost), lost (only the work in flight was lost:
the ingest did not land, or the answer being written was not saved; both are allowed), broken
(a check failed: the details are printed under the table). The last column says when the kills
came: an ingest while storing the threads or while indexing them, a chat mid-turn or between
turns (with no model the answers come quickly, so most kills land between turns; `--model`
streams answers from a GGUF model, so most land mid-answer), or after the process had ended.

The check functions here are what tests/test_durability.py and tests/test_concurrency.py use.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, ClassVar

REPO = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
if str(REPO) not in sys.path:  # run as a script from anywhere: import mentor and bench from here
    sys.path.insert(0, str(REPO))

QUESTIONS = (
    "I'm a PM with no hard skills to show, should I be worried?",
    "Should I learn SQL or keep relying on our analysts?",
    "Is an MBA worth it for a product manager?",
    "How do I move from an agency to an in-house product role?",
    "Will AI replace product managers?",
    "Should everything be A/B tested or should I trust product intuition?",
    "How do I get promoted to senior PM?",
    "Should I move into people management?",
)
#: Outcomes of one round.
INTACT, LOST, BROKEN = "intact", "lost", "broken"
#: A vector counts as its post's own when it is this close (cosine distance) to the post's text.
SAME_VECTOR = 1e-3


class Broken(AssertionError):
    """What a killed (or concurrent) mentor process left behind is wrong."""


# -- running mentor ---------------------------------------------------------------------------


def mentor_env() -> dict[str, str]:
    """The environment for child processes: this checkout's mentor, unbuffered output, no
    MENTOR_ setting but the threads and the embedder (which the tests choose)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MENTOR_") or k in ("MENTOR_THREADS", "MENTOR_EMBEDDING_MODEL")}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["PYTHONUNBUFFERED"] = "1"
    env["ANONYMIZED_TELEMETRY"] = "False"
    return env


def mentor_args(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "mentor", "--home", str(home), *args]


def driver_args(home: Path, questions: Sequence[str] = (), model: str | None = None,
                resume: int | None = None) -> list[str]:
    """A child process running the chat app headless: it prints `ready`, then `asking N` and
    `saved N` (then `session ID`, the conversation it was saved in) around each question, then
    `done`. With no `questions` it reads them from its standard input, one per line, until it
    closes. `resume`: first resume that conversation (Ctrl+O, Enter) and print `resumed ID`."""
    return [sys.executable, str(SCRIPT), "chat-driver", str(home), *(["--model", model] if model else []),
            *(["--resume", str(resume)] if resume is not None else []), "--", *questions]


class Proc:
    """A child process whose stdout and stderr lines are collected as they arrive."""

    started_here: ClassVar[list[Proc]] = []  # every one this process started (see `kill_leftovers`)

    def __init__(self, args: list[str], stdin_text: str | None = None, interactive: bool = False) -> None:
        """`stdin_text` is written to its standard input, which is then closed; `interactive`
        keeps standard input open for `send`."""
        self.args = args
        piped = stdin_text is not None or interactive
        self.popen = subprocess.Popen(args, stdin=subprocess.PIPE if piped else subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      env=mentor_env())
        self.started = time.monotonic()
        Proc.started_here.append(self)
        self.out: list[str] = []
        self.err: list[str] = []
        self._changed = threading.Condition()
        self._readers = [threading.Thread(target=self._read, args=(stream, lines), daemon=True)
                         for stream, lines in ((self.popen.stdout, self.out), (self.popen.stderr, self.err))]
        for reader in self._readers:
            reader.start()
        if stdin_text is not None:
            threading.Thread(target=self._write, args=(stdin_text,), daemon=True).start()

    def _write(self, text: str) -> None:
        try:
            self.popen.stdin.write(text)
            self.popen.stdin.close()
        except OSError:  # it died first
            pass

    def send(self, line: str) -> None:
        """One line to its standard input (`interactive` only)."""
        self.popen.stdin.write(line + "\n")
        self.popen.stdin.flush()

    def close_stdin(self) -> None:
        self.popen.stdin.close()

    def _read(self, stream: IO[str], lines: list[str]) -> None:
        for line in stream:
            with self._changed:
                lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def _find(self, pattern: re.Pattern[str], lines: list[str]) -> str | None:
        return next((line for line in lines if pattern.search(line)), None)

    def wait_for(self, pattern: str, timeout: float = 60.0, stream: str = "out") -> str:
        """The first line matching `pattern` (a regex); Broken if the process ends or time runs
        out before one arrives."""
        regex = re.compile(pattern)
        lines = self.out if stream == "out" else self.err
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = self._find(regex, lines)
                if found is not None:
                    return found
                if self.popen.poll() is not None and not any(r.is_alive() for r in self._readers):
                    raise Broken(f"{self.describe()} ended (exit {self.popen.returncode}) before "
                                 f"printing /{pattern}/:\n{self.output()}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Broken(f"{self.describe()} printed no /{pattern}/ in {timeout:.0f} s:\n{self.output()}")
                self._changed.wait(min(left, 0.2))

    def kill(self) -> bool:
        """SIGKILL, as a crash or a power cut would end it (no cleanup runs); False when it had
        already ended."""
        alive = self.popen.poll() is None
        if alive:
            os.kill(self.popen.pid, signal.SIGKILL)
        self.finish(30)
        return alive

    def finish(self, timeout: float = 120.0) -> int:
        try:
            code = self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)
            raise Broken(f"{self.describe()} did not finish in {timeout:.0f} s:\n{self.output()}") from None
        for reader in self._readers:
            reader.join(10)
        return code

    def lines(self, pattern: str, stream: str = "out") -> list[str]:
        regex = re.compile(pattern)
        with self._changed:
            return [line for line in (self.out if stream == "out" else self.err) if regex.search(line)]

    @property
    def stdout(self) -> str:
        return "\n".join(self.out)

    @property
    def stderr(self) -> str:
        return "\n".join(self.err)

    def describe(self) -> str:
        shown = [a for a in self.args[1:] if a != "--"]
        return f"`{' '.join(Path(a).name if '/' in a else a for a in shown[:6])}`"

    def output(self) -> str:
        return f"--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}"


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Poll `condition` (cheap: a file, a line) until it holds; Broken after `timeout`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise Broken(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.005)


def kill_leftovers() -> None:
    """SIGKILL the children started here that still run (after a failed check, say)."""
    while Proc.started_here:
        proc = Proc.started_here.pop()
        if proc.popen.poll() is None:
            proc.kill()


def run_mentor(home: Path, *args: str, stdin_text: str | None = None, timeout: float = 120.0) -> Proc:
    """Run `mentor ARGS` to its end; Broken unless it exits 0 without a traceback."""
    proc = Proc(mentor_args(home, *args), stdin_text=stdin_text)
    code = proc.finish(timeout)
    if code != 0 or "Traceback" in proc.stderr:
        raise Broken(f"{proc.describe()} failed (exit {code}):\n{proc.output()}")
    return proc


def check_no_lock_errors(*procs: Proc) -> None:
    """No process tripped over another's SQLite lock."""
    for proc in procs:
        if "database is locked" in (proc.stdout + proc.stderr).lower():
            raise Broken(f"{proc.describe()} hit 'database is locked':\n{proc.output()}")


# -- test data --------------------------------------------------------------------------------


def write_threads(folder: Path, prefix: str, posts: int, seed: int) -> list[str]:
    """Markdown thread files of about `posts` posts in all, grown from the starter corpus (real
    vocabulary, realistic lengths); their ids start with `prefix`. Returns the ids."""
    from bench.corpus_gen import generate
    from mentor.importers.markdown import render

    folder.mkdir(parents=True, exist_ok=True)
    ids = []
    for thread in generate(posts, seed=seed):
        thread = replace(thread, id=f"{prefix}-{thread.id}")
        (folder / f"{thread.id}.md").write_text(render(thread), encoding="utf-8")
        ids.append(thread.id)
    return ids


def batch_state(folder: Path) -> dict[str, str]:
    """Thread id -> content hash of the thread files in `folder`, as mentor reads them."""
    from mentor.corpus.ingest import expand
    from mentor.importers.registry import read_file

    threads = [read_file(path.resolve()) for path in expand([folder]).files]
    return {thread.id: thread.content_hash() for thread in threads}


# -- checks -----------------------------------------------------------------------------------


def check_sqlite(path: Path) -> None:
    """The SQLite file opens (replaying its WAL) and passes `PRAGMA integrity_check`."""
    if not path.exists():
        raise Broken(f"{path.name} is missing")
    try:
        db = sqlite3.connect(path, timeout=10)
        try:
            rows = db.execute("PRAGMA integrity_check").fetchall()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise Broken(f"{path.name} does not open: {exc}") from None
    if rows != [("ok",)]:
        raise Broken(f"{path.name} failed its integrity check: {rows[:5]}")


def corpus_state(home: Path) -> dict[str, str]:
    """Thread id -> content hash of every ingested thread, after checking the file is sound and
    each row's stored hash matches the thread it holds."""
    from mentor.corpus.store import FILE_NAME, ThreadStore

    check_sqlite(home / FILE_NAME)
    store = ThreadStore(home)
    try:
        listed = {row.id: row.content_hash for row in store.list()}
        read = {thread.id: thread.content_hash() for thread in store.all()}
    finally:
        store.close()
    if listed != read:
        raise Broken("corpus.sqlite rows disagree with the threads they hold")
    return listed


def check_corpus_all_or_nothing(state: dict[str, str], before: dict[str, str], after: dict[str, str]) -> bool:
    """True when the ingest landed whole, False when nothing of it did; Broken otherwise."""
    if state == after:
        return True
    if state == before:
        return False
    extra = len(set(state) - set(before))
    raise Broken(f"the corpus is neither the old one ({len(before)} threads) nor old + new ({len(after)}): "
                 f"{len(state)} threads, {extra} of them new")


def check_lock_free(home: Path) -> None:
    """Nobody holds the writer lock (flock dies with its process: a kill must not leave it held)."""
    from mentor.engine.lock import StoreBusy, writer_lock

    try:
        with writer_lock(home, wait_seconds=2):
            pass
    except StoreBusy as exc:
        raise Broken(f"the writer lock is still held: {exc}") from None


@dataclass
class IndexReport:
    """The index of a data directory as it stands on disk, compared with its corpus."""

    posts: int = 0
    vectors: int | None = None  # None: no collection to open
    manifest_matches_corpus: bool = False
    claimed_threads: int = 0
    missing: list[str] = field(default_factory=list)  # corpus posts without a vector
    extra: list[str] = field(default_factory=list)  # vectors of posts not in the corpus
    lies: list[str] = field(default_factory=list)  # threads the manifest claims, posts absent
    not_found: list[str] = field(default_factory=list)  # posts their own text does not find
    error: str | None = None

    def honest_problems(self) -> list[str]:
        """What the manifest claims but the index lacks (a kill may leave less, never a lie)."""
        problems = [self.error] if self.error else []
        if self.lies:
            problems.append(f"the manifest lists {len(self.lies)} threads whose posts are not all "
                            f"in the index: {self.lies[:3]}")
        return problems

    def problems(self) -> list[str]:
        """Everything short of a complete, consistent index."""
        problems = self.honest_problems()
        if not self.manifest_matches_corpus:
            problems.append("the manifest does not list exactly the corpus's threads")
        if self.vectors != self.posts:
            problems.append(f"{self.vectors} vectors for {self.posts} posts")
        for name in ("missing", "extra", "not_found"):
            values = getattr(self, name)
            if values:
                problems.append(f"{len(values)} posts {name.replace('_', ' ')}: {values[:3]}")
        return problems


def inspect_index(home: Path, embedding_model: str | None = None) -> IndexReport:
    """Compare the index with the corpus without changing either (call in a fresh process: a
    chromadb client caches what it has read)."""
    import numpy as np

    from mentor.corpus.library import Corpus
    from mentor.engine.documents import thread_documents
    from mentor.engine.index import PostIndex
    from mentor.errors import MentorError

    corpus = Corpus(home)
    try:
        threads = corpus.threads()
    finally:
        corpus.close()
    documents = {t.id: thread_documents(t) for t in threads}
    report = IndexReport(posts=sum(len(d) for d in documents.values()))
    index = PostIndex(home, embedding_model=embedding_model)
    claimed: dict[str, str] = index.manifest.get("threads", {})
    report.claimed_threads = len(claimed)
    report.manifest_matches_corpus = claimed == {t.id: t.content_hash() for t in threads}
    try:
        index.open()
    except MentorError as exc:
        if claimed:
            report.error = f"the manifest lists {len(claimed)} threads but the index does not open: {exc}"
        return report
    stored = index.collection.get(include=[])["ids"]
    report.vectors = len(stored)
    have = set(stored)
    hashes = {t.id: t.content_hash() for t in threads}
    report.lies = sorted(tid for tid, digest in claimed.items()
                         if hashes.get(tid) == digest and not set(documents[tid]) <= have)
    wanted = {pid for docs in documents.values() for pid in docs}
    report.missing = sorted(wanted - have)
    report.extra = sorted(have - wanted)
    pairs = [(pid, text) for docs in documents.values() for pid, text in docs.items() if pid in have]
    for start in range(0, len(pairs), 256):
        chunk = pairs[start:start + 256]
        found = index.collection.query(query_embeddings=[np.asarray(v) for v in index.embedder([t for _, t in chunk])],
                                       n_results=min(10, len(stored)), include=["distances"])
        for (pid, _), ids, distances in zip(chunk, found["ids"], found["distances"]):
            if not any(i == pid and d <= SAME_VECTOR for i, d in zip(ids, distances)):
                report.not_found.append(pid)
    return report


def inspect_index_fresh(home: Path) -> IndexReport:
    """`inspect_index` in a new process, so nothing cached in this one colours the answer."""
    proc = Proc([sys.executable, str(SCRIPT), "inspect-index", str(home)])
    if proc.finish(300) != 0:
        raise Broken(f"inspecting the index failed:\n{proc.output()}")
    return IndexReport(**json.loads(proc.out[-1]))


def stored_conversations(home: Path) -> list[list[tuple[str, str]]]:
    """Every saved conversation as (question, answer) pairs in order, after checking
    history.sqlite is sound and each conversation resumes."""
    from mentor.history.store import FILE_NAME, HistoryStore

    if not (home / FILE_NAME).exists():
        return []
    check_sqlite(home / FILE_NAME)
    store = HistoryStore(home)
    try:
        conversations = []
        for session in sorted(store.sessions(), key=lambda s: s.id):
            resumed = store.resume(session.id)
            if len(resumed.turns) != session.turns:
                raise Broken(f"conversation {session.id}: {session.turns} turns listed, {len(resumed.turns)} read")
            conversations.append([(t.question, t.answer.text) for t in resumed.turns])
        return conversations
    finally:
        store.close()


def check_chat_history(home: Path, questions: Sequence[str], saved: int) -> int:
    """After a chat was killed having reported `saved` turns saved: those turns are all there, in
    order, with their answers, and at most the one in flight beyond them. Returns how many turns
    are stored."""
    conversations = stored_conversations(home)
    if len(conversations) > 1 or (saved and not conversations):
        raise Broken(f"expected one conversation, found {len(conversations)}")
    turns = conversations[0] if conversations else []
    asked = [q for q, _ in turns]
    if asked != list(questions[:len(asked)]):
        raise Broken(f"the saved questions are not the ones asked, in order: {asked}")
    if len(turns) < saved:
        raise Broken(f"{saved} turns were reported saved but only {len(turns)} are in history.sqlite")
    if len(turns) > saved + 1:
        raise Broken(f"{len(turns)} turns saved, more than the {saved} reported plus the one in flight")
    if any(not answer.strip() for _, answer in turns):
        raise Broken("a saved turn has no answer")
    return len(turns)


# -- the chat driver (runs in the child process) ------------------------------------------------


def _say(line: str) -> None:
    """Straight to fd 1: Textual captures sys.stdout while the app runs."""
    os.write(1, (line + "\n").encode())


async def _questions(given: Sequence[str]) -> AsyncIterator[str]:
    """The questions given, or else the lines of standard input (read off the event loop)."""
    for question in given:
        yield question
    if given:
        return
    loop = asyncio.get_running_loop()
    while line := await loop.run_in_executor(None, sys.stdin.readline):
        if line.strip():
            yield line.strip()


async def _drive_chat(home: Path, questions: Sequence[str], model: str | None, resume: int | None) -> int:
    from textual.widgets import OptionList

    from mentor.config import load_settings
    from mentor.tui.app import MentorApp
    from mentor.tui.widgets.prompt import PromptInput

    settings = load_settings(home).with_flags(model=model)
    app = MentorApp(home, settings, history=True, use_model=model is not None)
    notify = app.notify

    def echo(message: str, *args: object, **kwargs: object) -> None:  # what the app shows, on stderr
        os.write(2, f"notify: {message}\n".encode())
        notify(message, *args, **kwargs)

    app.notify = echo
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.engine is None or app.history is None:
            _say("error: the engine did not load")
            return 1
        if resume is not None:
            await pilot.press("ctrl+o")
            await pilot.pause()
            listed = app.screen.query_one(OptionList)
            listed.highlighted = listed.get_option_index(str(resume))
            await pilot.press("enter")
            await pilot.pause()
            _say(f"resumed {app.session_id}")
        _say("ready")
        n = 0
        earlier = len(app.conversation.turns)
        async for question in _questions(questions):
            n += 1
            _say(f"asking {n}")
            prompt = app.main.query_one(PromptInput)
            if app.focused is not prompt:  # where a person types: the chat must leave the focus there
                _say(f"error: the focus is on {app.focused}, not in the prompt")
                return 1
            prompt.load_text(question)
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            if len(app.conversation.turns) != earlier + n or app.session_id is None:
                _say(f"error: turn {n} did not complete")
                return 1
            _say(f"saved {n}")
            _say(f"session {app.session_id}")
    _say("done")
    return 0


# -- scenarios --------------------------------------------------------------------------------


@dataclass
class IngestSetup:
    """A data directory with an indexed corpus, a batch to ingest into it, and the corpus an
    uninterrupted ingest of that batch gives."""

    base: Path
    batch: Path
    before: dict[str, str]
    after: dict[str, str]
    seconds: float  # how long the uninterrupted ingest took


def prepare_base(work: Path, old_posts: int = 300, seed: int = 1) -> Path:
    """A data directory holding the bundled corpus plus `old_posts` ingested posts, indexed."""
    base = work / "base"
    old = work / "old-threads"
    write_threads(old, "old", old_posts, seed)
    run_mentor(base, "ingest", str(old))
    return base


def prepare_ingest(work: Path, base: Path, name: str, posts: int, seed: int) -> IngestSetup:
    """A batch of `posts` new posts for `base`, timed and checked through one uncut ingest."""
    batch = work / f"{name}-threads"
    write_threads(batch, name, posts, seed)
    before = corpus_state(base)
    reference = work / f"{name}-reference"
    shutil.copytree(base, reference)
    started = time.monotonic()
    run_mentor(reference, "ingest", str(batch))
    seconds = time.monotonic() - started
    after = {**before, **batch_state(batch)}
    problems = inspect_index_fresh(reference).problems()
    if problems or corpus_state(reference) != after:
        raise Broken(f"the uninterrupted ingest is not right: {problems}")
    shutil.rmtree(reference)
    return IngestSetup(base, batch, before, after, seconds)


def check_after_ingest_kill(home: Path, setup: IngestSetup) -> tuple[bool, IndexReport]:
    """Everything a killed ingest must leave right: whether the ingest had landed, and the index
    as the kill left it (before the next open repaired it)."""
    landed = check_corpus_all_or_nothing(corpus_state(home), setup.before, setup.after)
    check_lock_free(home)
    left = inspect_index_fresh(home)
    if left.honest_problems():
        raise Broken("before the next open: " + "; ".join(left.honest_problems()))
    answer = run_mentor(home, "ask", "--no-model", QUESTIONS[1])
    if "Sources" not in answer.stdout:
        raise Broken(f"`mentor ask` gave no sourced answer:\n{answer.output()}")
    if corpus_state(home) != (setup.after if landed else setup.before):
        raise Broken("the corpus changed when it was next opened")
    problems = inspect_index_fresh(home).problems()
    if problems:
        raise Broken("after the next open: " + "; ".join(problems))
    return landed, left


def ingest_round(setup: IngestSetup, home: Path, kill_after: float) -> tuple[str, str]:
    """Copy the base, start the ingest, SIGKILL it `kill_after` seconds in, check. Returns the
    outcome and when the kill came."""
    shutil.copytree(setup.base, home)
    proc = Proc(mentor_args(home, "ingest", str(setup.batch)))
    time.sleep(kill_after)
    stored = bool(proc.lines(r"^threads: "))
    when = ("indexing" if stored else "storing") if proc.kill() else "after it ended"
    landed, _ = check_after_ingest_kill(home, setup)
    return (INTACT if landed else LOST), when


def prepare_chat(work: Path) -> Path:
    """A data directory with the bundled corpus indexed (nothing ingested, no history)."""
    base = work / "chat-base"
    run_mentor(base, "index")
    return base


def start_chat(home: Path, questions: Sequence[str] = (), model: str | None = None,
               resume: int | None = None) -> Proc:
    """The chat driver, once its engine has loaded; with no `questions`, `send` them."""
    proc = Proc(driver_args(home, questions, model, resume), interactive=not questions)
    proc.wait_for(r"^ready$", timeout=120)
    return proc


def chat_round(base: Path, home: Path, kill_after: float, model: str | None = None) -> tuple[str, str]:
    """Copy the base, start the chat, SIGKILL it `kill_after` seconds after it is ready, check.
    Returns the outcome and when the kill came."""
    shutil.copytree(base, home)
    proc = start_chat(home, QUESTIONS, model)
    time.sleep(kill_after)
    alive = proc.kill()
    saved = len(proc.lines(r"^saved \d+$"))
    asked = len(proc.lines(r"^asking \d+$"))
    check_lock_free(home)
    stored = check_chat_history(home, QUESTIONS, saved)
    run_mentor(home, "history", "list")  # and the history stays usable
    when = ("mid-turn" if asked > saved else "between turns") if alive else "after it ended"
    return (LOST if stored < asked else INTACT), when


def chat_seconds(base: Path, work: Path, model: str | None) -> float:
    """How long the driver takes from `ready` to `done` (checking the uncut run's history)."""
    home = work / "chat-reference"
    shutil.copytree(base, home)
    proc = start_chat(home, QUESTIONS, model)
    ready = time.monotonic()
    proc.wait_for(r"^done$", timeout=600)
    seconds = time.monotonic() - ready
    if proc.finish() != 0 or check_chat_history(home, QUESTIONS, len(QUESTIONS)) != len(QUESTIONS):
        raise Broken(f"the uncut chat did not save every turn:\n{proc.output()}")
    shutil.rmtree(home)
    return seconds


# -- the table --------------------------------------------------------------------------------


@dataclass
class Tally:
    scenario: str
    outcomes: list[str] = field(default_factory=list)
    moments: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def row(self) -> str:
        counts = [self.outcomes.count(kind) for kind in (INTACT, LOST, BROKEN)]
        moments = ", ".join(f"{what} {self.moments.count(what)}" for what in dict.fromkeys(self.moments))
        return f"| {self.scenario} | {len(self.outcomes)} | " + " | ".join(map(str, counts)) + f" | {moments} |"


def run_rounds(tally: Tally, rounds: int, work: Path, one_round: Callable[[Path], tuple[str, str]]) -> None:
    for n in range(rounds):
        home = work / f"{tally.scenario.split()[0]}-{len(tally.outcomes)}"
        try:
            outcome, when = one_round(home)
        except Broken as exc:
            outcome, when = BROKEN, "?"
            tally.failures.append(f"{tally.scenario}, round {n + 1}: {exc}")
        kill_leftovers()
        tally.outcomes.append(outcome)
        tally.moments.append(when)
        shutil.rmtree(home, ignore_errors=True)
        print(f"  {tally.scenario} round {n + 1}: {outcome} (killed {when})", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="Rounds of each scenario (default 5).")
    parser.add_argument("--seed", type=int, default=None, help="Seed for the kill moments.")
    parser.add_argument("--model", help="A GGUF chat model for the chat scenario (default: none, "
                                        "answers quote the posts).")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    started = time.monotonic()
    tallies = []
    with tempfile.TemporaryDirectory(prefix="mentor-durability-") as tmp:
        work = Path(tmp)
        print(f"preparing (seed {seed})…", file=sys.stderr, flush=True)
        base = prepare_base(work)
        for scenario, name, posts, batch_seed in (("ingest (incremental)", "small", 600, 2),
                                                  ("ingest (refit)", "big", 1500, 3)):
            setup = prepare_ingest(work, base, name, posts, seed=batch_seed)
            print(f"  uncut {scenario}: {setup.seconds:.1f} s", file=sys.stderr, flush=True)
            tally = Tally(scenario)
            run_rounds(tally, args.rounds, work,
                       lambda home, s=setup: ingest_round(s, home, rng.uniform(0, s.seconds)))
            tallies.append(tally)
        chat_base = prepare_chat(work)
        seconds = chat_seconds(chat_base, work, args.model)
        print(f"  uncut chat ({len(QUESTIONS)} questions): {seconds:.1f} s", file=sys.stderr, flush=True)
        tally = Tally("chat")
        run_rounds(tally, args.rounds, work,
                   lambda home: chat_round(chat_base, home, rng.uniform(0, seconds), args.model))
        tallies.append(tally)
    print("| scenario | rounds | intact | lost | broken | killed while |")
    print("| --- | --- | --- | --- | --- | --- |")
    for tally in tallies:
        print(tally.row())
    print(f"\n{time.monotonic() - started:.0f} s, seed {seed}. intact: nothing lost; lost: only the work "
          "in flight was lost (allowed); broken: a check failed.")
    for tally in tallies:
        for failure in tally.failures:
            print(f"\nBROKEN {failure}")
    return 1 if any(t.failures for t in tallies) else 0


def _internal(argv: list[str]) -> int:
    """The child-process commands: `chat-driver HOME [--model M] [--resume ID] -- Q...`,
    `inspect-index HOME`."""
    if argv[0] == "inspect-index":
        print(json.dumps(asdict(inspect_index(Path(argv[1])))))
        return 0
    home, rest = Path(argv[1]), argv[2:]
    model = resume = None
    if rest[:1] == ["--model"]:
        model, rest = rest[1], rest[2:]
    if rest[:1] == ["--resume"]:
        resume, rest = int(rest[1]), rest[2:]
    return asyncio.run(_drive_chat(home, rest[1:] if rest[:1] == ["--"] else rest, model, resume))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("chat-driver", "inspect-index"):
        sys.exit(_internal(sys.argv[1:]))
    sys.exit(main())
