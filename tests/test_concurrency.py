"""Two mentor processes on one data directory: real subprocesses, nothing lost, nobody crashes.

Chats read the corpus and the index and write history.sqlite (`mentor ask` keeps no history);
ingests, and any process that finds the index behind the corpus, write the corpus and the index
under the writer lock, and whoever must wait for it says so.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from mentor.corpus.ingest import IngestReport, expand, store_threads
from mentor.corpus.library import Corpus
from mentor.engine.index import PostIndex
from mentor.engine.lock import writer_lock
from mentor.errors import MentorError
from mentor.importers.registry import read_file
from mentor.sqlite_file import open_database
from tests.conftest import durability_script

durability = durability_script()
pytestmark = pytest.mark.usefixtures("no_leftover_processes")


QUESTIONS = durability.QUESTIONS


@pytest.fixture
def home(bundled_copy: Path) -> Path:
    return bundled_copy


def _answers(proc: durability.Proc) -> list[str]:
    return [json.loads(line)["question"] for line in proc.out if line.startswith("{")]


def _finish(*procs: durability.Proc) -> None:
    for proc in procs:
        assert proc.finish(120) == 0, proc.output()
        assert "Traceback" not in proc.stderr, proc.output()
    durability.check_no_lock_errors(*procs)


def test_two_chats_at_once(home: Path) -> None:
    """Two chats saving their conversations at once: every turn of each is answered and saved."""
    first, second = list(QUESTIONS[:4]), list(QUESTIONS[4:])
    chats = [durability.Proc(durability.driver_args(home, questions)) for questions in (first, second)]
    _finish(*chats)
    assert [len(chat.lines(r"^saved \d+$")) for chat in chats] == [4, 4]
    saved = durability.stored_conversations(home)
    assert sorted([question for question, _ in turns] for turns in saved) == sorted([first, second])
    assert all(answer.strip() for turns in saved for _, answer in turns)


def test_two_ingests_beside_a_chat_lose_no_vector(home: Path, tmp_path: Path) -> None:
    """Two ingests of different threads while a chat goes on, one big enough that the embedder
    is refitted (the collection the chat opened is replaced): the chat answers and saves every
    question, before, during and after; both ingests finish; the corpus holds both batches, and
    every post is in the index, found by its own embedding."""
    big, small = tmp_path / "big", tmp_path / "small"
    durability.write_threads(big, "big", 750, seed=0)  # past twice the fitted size: a refit
    durability.write_threads(small, "small", 150, seed=1)
    chat = durability.start_chat(home)
    chat.send(QUESTIONS[0])
    chat.wait_for(r"^saved 1$")
    ingests = [durability.Proc(durability.mentor_args(home, "ingest", str(batch))) for batch in (big, small)]
    for n, question in enumerate(QUESTIONS[1:4], 2):  # while they run (most likely)
        chat.send(question)
        chat.wait_for(rf"^saved {n}$")
    for ingest in ingests:
        ingest.finish(120)
    chat.send(QUESTIONS[4])  # after: the chat's collection was replaced
    chat.wait_for(r"^saved 5$")
    chat.close_stdin()
    _finish(*ingests, chat)
    assert "notify:" not in chat.stderr, chat.output()
    assert durability.check_chat_history(home, QUESTIONS, 5) == 5
    assert durability.corpus_state(home) == {**durability.batch_state(big), **durability.batch_state(small)}
    assert durability.inspect_index_fresh(home).problems() == []


@pytest.mark.parametrize("command", [("index",), ("ask", "--no-model", QUESTIONS[0])])
def test_a_writer_that_waits_says_so_and_indexes_what_is_there_when_its_turn_comes(
        command: tuple[str, ...], home: Path, tmp_path: Path) -> None:
    """A process that must update the index finds the lock held (here by this test, doing what an
    ingest does): it says whose turn it is and waits; then it indexes the corpus as it is by then,
    not as it was when it started waiting (which would drop the other writer's new vectors)."""
    first, second = tmp_path / "first", tmp_path / "second"
    durability.write_threads(first, "first", 100, seed=1)
    durability.write_threads(second, "second", 100, seed=2)
    corpus = Corpus(home)
    store_threads(corpus.store, [read_file(p.resolve()) for p in expand([first]).files], IngestReport())
    with writer_lock(home):  # the index is now behind the corpus: the process must write it
        proc = durability.Proc(durability.mentor_args(home, *command))
        waiting = proc.wait_for(r"waiting for it to finish", stream="err")
        assert f"{home} is being updated by mentor (pid {os.getpid()})" in waiting
        store_threads(corpus.store, [read_file(p.resolve()) for p in expand([second]).files], IngestReport())
        PostIndex(home, embedding_model="lsa").sync(corpus.threads())
    corpus.close()
    _finish(proc)
    assert durability.inspect_index_fresh(home).problems() == []


def test_two_conversations_open_an_empty_home_at_once(tmp_path: Path) -> None:
    """Two `mentor ask` conversations (questions on stdin) start on a new data directory: both
    must build the index; one builds it, the other waits and uses it. Both answer every question,
    and the index is whole."""
    home = tmp_path / "empty"
    first, second = list(QUESTIONS[:3]), list(QUESTIONS[3:6])
    asks = [durability.Proc(durability.mentor_args(home, "ask", "--no-model", "--json"),
                            stdin_text="\n".join(questions) + "\n") for questions in (first, second)]
    _finish(*asks)
    assert [_answers(ask) for ask in asks] == [first, second]
    assert durability.inspect_index_fresh(home).problems() == []


def _open_at_the_barrier(path: Path, barrier: multiprocessing.synchronize.Barrier,
                         failures: multiprocessing.SimpleQueue) -> None:
    barrier.wait()
    try:
        open_database(path, "CREATE TABLE IF NOT EXISTS turn (n INTEGER)", 1, "test file").close()
    except MentorError as exc:
        failures.put(str(exc))


def test_processes_opening_a_new_sqlite_file_at_the_same_moment_all_open_it(tmp_path: Path) -> None:
    """Four processes released together open one new SQLite file (as two chats started at once
    on a fresh data directory open history.sqlite) and every one of them gets it. Before the
    journal-mode change was retried, about one open in fifteen failed with "database is locked"
    though the busy timeout is ten seconds: 30 rounds all passing then was about a 1-in-1000 chance."""
    context = multiprocessing.get_context("fork")
    failures = context.SimpleQueue()
    for round_ in range(30):
        path = tmp_path / f"round-{round_}.sqlite"
        barrier = context.Barrier(4)
        openers = [context.Process(target=_open_at_the_barrier, args=(path, barrier, failures)) for _ in range(4)]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join(60)
        assert [opener.exitcode for opener in openers] == [0] * 4
    messages = []
    while not failures.empty():
        messages.append(failures.get())
    assert messages == []
