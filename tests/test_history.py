"""Saved conversations: private file, resume with numbers intact, list/export/delete from the CLI."""

from __future__ import annotations

import json
import sqlite3
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from mentor.config import Settings
from mentor.engine.answer_check import NOTE_START
from mentor.engine.conversation import Conversation, Turn
from mentor.engine.engine import Engine
from mentor.engine.events import Answer, Evidence
from mentor.history.store import HistoryStore, export_markdown
from mentor.llm.local import LocalModel
from mentor.llm.prompt import SYSTEM
from mentor.tui.app import MentorApp
from tests.conftest import Cli, ask_in_chat, durability_script

durability = durability_script()


def _answer(question: str) -> Answer:
    evidence = Evidence(question=question, query=question, sources=(), perspectives=(), one_sided=True,
                        common_ground=None, follow_ups=(), thread_titles=())
    return Answer(question=question, mode="extractive", text="an answer", evidence=evidence, cited=[])


def test_store_resume_and_cli(bundled_engine: Engine, cli: Cli) -> None:
    home = cli.home
    home.mkdir(parents=True, exist_ok=True)
    store = HistoryStore(home)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    conversation = Conversation()
    list(bundled_engine.ask(conversation, "should I do an MBA?"))
    list(bundled_engine.ask(conversation, "and what about a part-time one?"))
    session = store.save_conversation(conversation)
    resumed = store.resume(session)
    assert [t.answer.text for t in resumed.turns] == [t.answer.text for t in conversation.turns]
    assert resumed.numbers == conversation.numbers
    assert resumed.given() == conversation.given()
    after = list(bundled_engine.ask(resumed, "should I learn SQL?"))[-1].answer
    assert min(s.n for s in after.evidence.sources if (s.thread_id, s.post_index) not in conversation.numbers) \
        > max(conversation.numbers.values())

    listed = cli("history", "list")
    assert "should I do an MBA?" in listed.stdout and "2 turns" in listed.stdout
    exported = cli("history", "export", str(session))
    assert exported.stdout.startswith("# should I do an MBA?") and "Sources:" in exported.stdout
    assert cli("history", "delete", str(session)).exit_code == 0
    gone = cli("history", "export", str(session))
    assert gone.exit_code == 1 and f"no conversation {session}" in gone.stderr


def test_a_resumed_conversation_keeps_what_the_model_said(bundled_engine: Engine, tiny_llm: LocalModel,
                                                          home: Path) -> None:
    """The model's own words come back with a resumed conversation: its next answer is checked
    against them for repeats, and it reads them back, as in the unbroken conversation (a trial
    user's resumed conversation repeated an answer word for word with no note). A turn saved
    before they were kept gives them back from its text."""
    home.mkdir(parents=True)
    store = HistoryStore(home)
    conversation = Conversation()
    session = None
    for question in ("should I do an MBA?", "I'm 34 with two kids, so money is tight"):
        list(bundled_engine.ask(conversation, question, model=tiny_llm))
        session = session or store.new_session(question)
        store.add_turn(session, conversation.turns[-1], len(conversation.turns) - 1)
    said = conversation.model_answers()
    assert len(said) == 2 and any(turn.answer.fallback for turn in conversation.turns)  # text != model_text
    read = conversation.messages(SYSTEM, "next", set(), tiny_llm)
    assert store.resume(session).model_answers() == said
    assert store.resume(session).messages(SYSTEM, "next", set(), tiny_llm) == read
    # why the model's words were set aside comes back too (the chat folds them under the answer)
    assert [t.answer.fallback for t in store.resume(session).turns] == [t.answer.fallback for t in conversation.turns]
    db = sqlite3.connect(store.path)  # as a turn saved before the model's words were kept: the
    for row, raw in db.execute("SELECT id, data FROM turns").fetchall():  # note and posts followed them
        data = json.loads(raw)
        words, fallback = data.pop("model_text"), data.pop("fallback")
        text = words + (f"{NOTE_START}{fallback}; here is what the posts say._\n\n> “a quoted post” [1]\n"
                       if fallback else "")
        db.execute("UPDATE turns SET data = ?, answer = ? WHERE id = ?", (json.dumps(data), text, row))
    db.commit()
    db.close()
    assert store.resume(session).model_answers() == said


def test_a_resumed_pasted_essay_is_read_by_its_start_as_when_it_was_asked(bundled_engine: Engine, home: Path) -> None:
    """A question is read by its first 4,000 characters when asked; resuming its conversation
    (Ctrl+O, `mentor history export`) read the whole saved text for the person's facts: a
    megabyte question made resuming slow, and facts past the start, ignored when it was asked,
    came back. The resumed conversation knows what the unbroken one knew, and goes on alike."""
    home.mkdir(parents=True)
    store = HistoryStore(home)
    start = "I'm a PM in banking and I have no hard skills to show for my career, should I worry? "
    essay = (start + "My days are meetings and roadmaps and nobody asks me to build anything myself. " * 60)
    told = essay[:4_000] + " I'm 52 years old with two kids and a mortgage."
    conversation = Conversation()
    list(bundled_engine.ask(conversation, told))
    asked = conversation.situation
    assert asked.industry and asked.age is None and not asked.constraints  # the start, and only it, was read
    session = store.save_conversation(conversation)
    resumed = store.resume(session)
    assert resumed.turns[0].question == told  # kept whole
    assert resumed.situation == asked
    follow_up = "what would you do in my position?"
    list(bundled_engine.ask(conversation, follow_up))
    list(bundled_engine.ask(resumed, follow_up))
    assert resumed.turns[-1].answer.text == conversation.turns[-1].answer.text


def test_history_list_lines_up_and_tells_alike_conversations_apart(cli: Cli) -> None:
    cli.home.mkdir(parents=True)
    store = HistoryStore(cli.home)
    for extra in ([], ["and at a bank?"], ["what about SQL?"] * 10):
        conversation = Conversation()
        for question in ["should I do an MBA?", *extra]:
            conversation.turns.append(Turn(question, _answer(question)))
        store.save_conversation(conversation)
    lines = cli("history", "list").stdout.splitlines()
    assert len(lines) == 3 and len({line.index("should I do an MBA?") for line in lines}) == 1
    assert [line.split("(last: ")[-1] for line in lines if "(last: " in line] == ["what about SQL?)", "and at a bank?)"]


def test_no_history_mode_writes_nothing(tmp_path: Path, bundled_home: Path) -> None:
    import shutil

    from mentor.config import Settings
    from mentor.tui.app import MentorApp

    home = tmp_path / "home"
    shutil.copytree(bundled_home, home)
    app = MentorApp(home, Settings(embedding_model="lsa"), history=False, use_model=False)
    assert app.history is None and not (home / "history.sqlite").exists()


# -- several windows on one history ------------------------------------------------------------

QUESTIONS = durability.QUESTIONS


def _numbering_clashes(home: Path) -> list[str]:
    """Source numbers that name two different posts within one saved conversation, read from
    history.sqlite's rows as they are (not through `resume`)."""
    db = sqlite3.connect(home / "history.sqlite")
    named: dict[tuple[int, int], tuple[str, int]] = {}
    clashes = []
    for session, raw in db.execute("SELECT session_id, data FROM turns ORDER BY session_id, seq"):
        for source in json.loads(raw)["sources"]:
            post = (source["thread_id"], source["post_index"])
            if named.setdefault((session, source["n"]), post) != post:
                clashes.append(f"conversation {session}: [{source['n']}] is {named[(session, source['n'])]} and {post}")
    db.close()
    return clashes


class _Notes:
    """What the app told the person (its notifications), kept for the test to read."""

    def __init__(self, app: MentorApp) -> None:
        self.seen: list[str] = []
        notify = app.notify

        def note(message: str, *args: object, **kwargs: object) -> None:
            self.seen.append(message)
            notify(message, *args, **kwargs)

        app.notify = note


def test_a_deleted_conversation_id_is_never_given_again(home: Path) -> None:
    home.mkdir(parents=True)
    store = HistoryStore(home)
    conversation = Conversation()
    conversation.turns.append(Turn("q", _answer("q")))
    first, second = store.save_conversation(conversation), store.save_conversation(conversation)
    store.delete(second)
    assert store.save_conversation(conversation) == second + 1
    assert store.new_session("another") == second + 2
    store.delete(first)
    assert [s.id for s in store.sessions()] == [second + 2, second + 1]


def test_version_1_history_is_upgraded_with_its_conversations_and_whole_titles(home: Path) -> None:
    """A history.sqlite written by the previous version: ids and turns kept, ids no longer
    reused, and a title that was cut at 60 characters whole again."""
    home.mkdir(parents=True)
    long_question = "I have been a product manager for nine years and I feel I have no hard skills at all"
    db = sqlite3.connect(home / "history.sqlite")
    db.executescript("""
        CREATE TABLE sessions (id INTEGER PRIMARY KEY, title TEXT NOT NULL, created REAL NOT NULL,
                               updated REAL NOT NULL);
        CREATE TABLE turns (id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, mode TEXT NOT NULL,
            cancelled INTEGER NOT NULL, prompt TEXT NOT NULL, data TEXT NOT NULL, created REAL NOT NULL);
        CREATE INDEX turns_by_session ON turns(session_id, seq);
        PRAGMA user_version = 1;""")
    data = json.dumps({"sources": [], "perspectives": [], "cited": [], "given": [], "follow_ups": [],
                       "thread_titles": [], "one_sided": True, "common_ground": None})
    cut = long_question[:60].rsplit(" ", 1)[0] + "…"
    for session, title, question in ((1, "mba?", "mba?"), (2, cut, long_question), (3, "Renamed", "sql?")):
        db.execute("INSERT INTO sessions VALUES (?, ?, 1.0, 2.0)", (session, title))
        db.execute("INSERT INTO turns (session_id, seq, question, answer, mode, cancelled, prompt, data, created)"
                   " VALUES (?, 0, ?, 'an answer', 'extractive', 0, '', ?, 2.0)", (session, question, data))
    db.commit()
    db.close()
    store = HistoryStore(home)
    assert {s.id: (s.title, s.turns) for s in store.sessions()} == {
        1: ("mba?", 1), 2: (long_question, 1), 3: ("Renamed", 1)}
    assert store.resume(2).turns[0].question == long_question
    store.delete(3)
    assert store.new_session("new") == 4


async def test_deleting_the_conversation_on_screen_then_asking_starts_a_new_one(bundled_copy: Path) -> None:
    home = bundled_copy
    app = MentorApp(home, Settings(embedding_model="lsa"), use_model=False)
    notes = _Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, QUESTIONS[0])
        first = app.session_id
        await pilot.press("ctrl+o", "d", "d", "escape")
        await pilot.pause()
        assert app.main.query("#welcome") and app.session_id is None and not app.conversation.turns
        await ask_in_chat(pilot, QUESTIONS[1])
        await ask_in_chat(pilot, QUESTIONS[2])
    assert not [note for note in notes.seen if "could not" in note], notes.seen
    assert durability.stored_conversations(home) == [[(q, t.answer.text) for q, t in zip(QUESTIONS[1:3], app.conversation.turns)]]
    assert app.session_id > first


@pytest.mark.usefixtures("no_leftover_processes")
async def test_a_conversation_deleted_in_another_window(bundled_copy: Path) -> None:
    """Window A (a chat process) is in conversation 1; window B (this process) deletes it and
    starts its own. B's conversation gets a new id, so A cannot write into it: A's next answer
    saves A's conversation as a new one, and tells A's user so."""
    home = bundled_copy
    window_a = durability.start_chat(home)
    window_a.send(QUESTIONS[0])
    window_a.wait_for(r"^saved 1$")
    assert window_a.wait_for(r"^session \d+$") == "session 1"
    app = MentorApp(home, Settings(embedding_model="lsa"), use_model=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o", "d", "d", "escape")
        await ask_in_chat(pilot, QUESTIONS[1])
        assert app.session_id == 2
    window_a.send(QUESTIONS[2])
    window_a.wait_for(r"^saved 2$")
    window_a.close_stdin()
    assert window_a.finish(120) == 0, window_a.output()
    assert window_a.lines(r"^session \d+$") == ["session 1", "session 3"]
    assert "was deleted in another window" in window_a.stderr and "could not" not in window_a.stderr
    saved = {tuple(q for q, _ in turns) for turns in durability.stored_conversations(home)}
    assert saved == {(QUESTIONS[1],), (QUESTIONS[0], QUESTIONS[2])}


@pytest.mark.usefixtures("no_leftover_processes")
async def test_two_windows_going_on_with_one_conversation_keep_its_source_numbers_apart(bundled_copy: Path) -> None:
    """Windows A and B both have conversation 1 open; A asks, then B asks without knowing A's
    turn. Both numbered their new sources from the same point, so B's turn cannot join
    conversation 1 ([n] would name two posts there): B's conversation is saved as a new one."""
    home = bundled_copy
    app = MentorApp(home, Settings(embedding_model="lsa"), use_model=False)
    notes = _Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask_in_chat(pilot, QUESTIONS[0])
        window_a = durability.start_chat(home, resume=app.session_id)
        assert window_a.lines(r"^resumed \d+$") == [f"resumed {app.session_id}"]
        window_a.send(QUESTIONS[4])
        window_a.wait_for(r"^saved 1$")
        window_a.close_stdin()
        assert window_a.finish(120) == 0, window_a.output()
        await ask_in_chat(pilot, QUESTIONS[2])
        assert app.session_id == 2
    assert _numbering_clashes(home) == []
    saved = [tuple(q for q, _ in turns) for turns in durability.stored_conversations(home)]
    assert saved == [(QUESTIONS[0], QUESTIONS[4]), (QUESTIONS[0], QUESTIONS[2])]
    assert any("was changed in another window" in note for note in notes.seen), notes.seen


def test_an_export_shows_the_persons_markup_as_typed() -> None:
    """Questions and titles are the person's text: in the exported Markdown they read as typed,
    never as a link, emphasis or a heading of their own."""
    conversation = Conversation()
    question = "[bold red]am I[/bold red] *underpaid*? see [this](http://example.org) # now"
    conversation.turns.append(Turn(question, _answer(question)))
    exported = export_markdown(conversation, "*my* [title](http://example.org)")
    heading, _, second = exported.partition("\n\n")
    assert heading == r"# \*my\* \[title\](http://example.org)"
    assert second.startswith(r"## \[bold red\]am I\[/bold red\] \*underpaid\*? see \[this\](http://example.org) \# now")


def test_an_export_keeps_a_stopped_answers_warning() -> None:
    """A stopped answer's words are the model's as far as it got, unchecked: the export says so
    as the chat does (a trial's Ctrl+E kept only "(stopped)" under an invented quote)."""
    conversation = Conversation()
    stopped = replace(_answer("will AI replace me?"), cancelled=True)
    conversation.turns += [Turn("will AI replace me?", stopped), Turn("and PMs?", _answer("and PMs?"))]
    exported = export_markdown(conversation, "AI")
    assert exported.count("_(stopped: not checked against the posts)_") == 1
    assert exported.index("not checked") < exported.index("## and PMs?")
